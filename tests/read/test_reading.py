"""reading.py: every format read into A1-addressed grids; damaged files and other files refused."""

from __future__ import annotations

import io
import os
import random
import re
import threading
import time
import zipfile

import openpyxl
import pytest
import xlsxwriter
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from antq_cli.model import CellError
from antq_cli.read import reading, xlsx
from antq_cli.read.reading import read_workbook
from tests.helpers import CELLS, MERGED, read_error, shown, write_xls, write_xlsx


def expected_rows(cells, height, width):
    return [[cells.get((r, c)) for c in range(width)] for r in range(height)]


def shifted(cells, merged, rows, cols):
    """The same sheet moved down and right, so its first used cell is not A1."""
    return ({(r + rows, c + cols): v for (r, c), v in cells.items()},
            [(r0 + rows, c0 + cols, r1 + rows, c1 + cols) for r0, c0, r1, c1 in merged])


def write_ods(path, cells, merged, sheet="Biểu 02"):
    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merged}
    covered = {(r, c) for r0, c0, r1, c1 in merged for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)} - set(spans)
    height = max(r for r, _ in list(cells) + [(m[2], 0) for m in merged]) + 1
    width = max(c for _, c in list(cells) + [(0, m[3]) for m in merged]) + 1
    for r in range(height):
        row = TableRow()
        for c in range(width):
            if (r, c) in covered:
                row.addElement(CoveredTableCell())
                continue
            attrs = {}
            if (r, c) in spans:
                rows_spanned, cols_spanned = spans[r, c]
                attrs = {"numberrowsspanned": rows_spanned, "numbercolumnsspanned": cols_spanned}
            value = cells.get((r, c))
            if value is None:
                cell = TableCell(**attrs)
            elif isinstance(value, str):
                cell = TableCell(valuetype="string", **attrs)
                cell.addElement(P(text=value))
            else:
                cell = TableCell(valuetype="float", value=value, **attrs)
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods}


def rewrite_member(path, member, edit):
    """Copy a zip, passing one member's bytes through `edit`."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, edit(data) if info.filename == member else data)
    source.close()
    path.write_bytes(out.getvalue())


# -- layouts --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_commune_sheet_reads_cell_for_cell(tmp_path, kind):
    path = WRITERS[kind](tmp_path / f"BC quy I-2024 xa Tan Duc.{kind}", CELLS, MERGED)
    book = read_workbook(path)
    assert book.kind == kind
    assert book.path == os.fspath(path)
    [grid] = book.sheets
    assert grid.sheet == "Biểu 02"
    assert grid.rows == expected_rows(CELLS, 12, 7)
    assert sorted(grid.merged) == sorted(MERGED)
    assert grid.uncomputed == set()
    assert grid.value(9, 1) == "Tổng cộng" and grid.value(9, 6) == 13
    assert all(value is None for value in grid.rows[1])  # empty cells are None, never ""


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_first_used_cell_c3_stays_at_c3(tmp_path, kind):
    cells, merged = shifted(CELLS, MERGED, 2, 2)
    grid = read_workbook(WRITERS[kind](tmp_path / f"c3.{kind}", cells, merged)).sheets[0]
    assert grid.rows == expected_rows(cells, 14, 9)
    assert grid.value(2, 2) == "CÔNG AN XÃ TÂN ĐỨC"
    assert grid.rows[0] == [None] * 9 and [row[0] for row in grid.rows] == [None] * 14
    assert sorted(grid.merged) == sorted(merged)


def test_merged_ranges_identical_across_formats(tmp_path):
    cells, merged = shifted(CELLS, MERGED, 1, 3)
    found = {}
    for kind, write in WRITERS.items():
        grid = read_workbook(write(tmp_path / f"m.{kind}", cells, merged)).sheets[0]
        found[kind] = sorted(grid.merged)
    assert found["xlsx"] == found["xls"] == found["ods"] == sorted(merged)


def test_values_keep_their_types(tmp_path):
    import datetime as dt

    path = tmp_path / "types.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write(0, 0, 12)
    sheet.write(0, 1, 12.5)
    sheet.write_boolean(0, 2, True)
    when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_datetime(0, 3, dt.datetime(2024, 3, 14, 8, 30), when)
    sheet.write_string(0, 4, " 1.234 ")
    sheet.write_formula(0, 5, "=1/0", None, "#DIV/0!")
    book.close()
    [row] = read_workbook(path).sheets[0].rows
    # The formula's saved error is that error, never a blank (it read as None before).
    assert row == [12.0, 12.5, True, dt.datetime(2024, 3, 14, 8, 30), " 1.234 ", "#DIV/0!"]
    assert type(row[5]) is CellError
    assert type(row[0]) is float  # whole numbers stay floats; the caller normalises


def test_sheets_in_order_hidden_kept_chart_sheet_left_out(tmp_path):
    path = tmp_path / "multi.xlsx"
    book = xlsxwriter.Workbook(path)
    for name in ("Hướng dẫn", "Biểu 01", "Danh mục"):
        book.add_worksheet(name).write(0, 0, name)
    book.get_worksheet_by_name("Danh mục").hide()
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "='Biểu 01'!$A$1:$A$1"})
    book.add_chartsheet("Biểu đồ").set_chart(chart)
    book.add_worksheet("Biểu 02").write(0, 0, "Biểu 02")
    book.close()
    sheets = read_workbook(path).sheets
    assert [grid.sheet for grid in sheets] == ["Hướng dẫn", "Biểu 01", "Danh mục", "Biểu 02"]
    assert [grid.rows for grid in sheets] == [[[g.sheet]] for g in sheets]


# -- formulas -------------------------------------------------------------------------------------

def test_formulas_without_saved_values_are_uncomputed(tmp_path):
    cells = {key: value for key, value in CELLS.items() if key[0] < 9}
    path = write_xlsx(tmp_path / "openpyxl.xlsx", cells, MERGED)
    book = openpyxl.load_workbook(path)
    ws = book.active
    ws["B10"] = "Tổng cộng"
    for letter in "CDEFG":
        ws[f"{letter}10"] = f"=SUM({letter}7:{letter}9)"
    ws["G11"] = "=G10*2"  # a trailing row made only of a formula: calamine drops it
    book.save(path)
    grid = read_workbook(path).sheets[0]
    assert grid.uncomputed == {(9, 2), (9, 3), (9, 4), (9, 5), (9, 6), (10, 6)}
    assert len(grid.rows) == 11 and all(len(row) == 7 for row in grid.rows)
    assert grid.rows[9] == [None, "Tổng cộng", None, None, None, None, None]
    assert grid.value(10, 6) is None


def test_formulas_with_saved_values_are_read(tmp_path):
    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Biểu 01")
    for r in range(3):
        sheet.write(r, 0, f"Thôn {r + 1}")
        sheet.write(r, 1, r + 2)
    sheet.write(3, 0, "Tổng cộng")
    sheet.write_formula(3, 1, "=SUM(B1:B3)", None, 9)
    sheet.write_formula(4, 1, '=IF(B4>0,"","x")', None, "")
    book.close()
    grid = read_workbook(path).sheets[0]
    assert grid.uncomputed == set()
    assert grid.value(3, 1) == 9
    assert grid.value(4, 1) is None  # a computed empty text is a value, not a missing one


def test_shared_and_prefixed_formulas_without_values(tmp_path):
    path = write_xlsx(tmp_path / "shared.xlsx", {(0, 0): 1, (0, 1): 2, (2, 5): "x"}, [])
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"</sheetData>",
        b'<row r="2"><c r="A2"><f t="shared" ref="A2:B2" si="0">A1*2</f></c>'
        b'<c r="B2"><f t="shared" si="0"/></c><c r="C2" t="str"><f>""</f><v></v></c>'
        b'<c r="D2"><f>A1</f><v>1</v></c></row></sheetData>'))
    grid = read_workbook(path).sheets[0]
    assert grid.uncomputed == {(1, 0), (1, 1)}


def test_uncomputed_cells_of_a_sheet_with_a_formula_total_row():
    row = b'<row r="%d"><c r="A%d" t="s"><v>1</v></c>' + b'<c r="B%d"><v>5</v></c>' * 10 + b"</row>"
    xml = b"<sheetData>" + b"".join(row % ((n,) * 12) for n in range(1, 41))
    total = b'<c r="%s41"><f>SUM(%s1:%s40)</f></c>'
    xml += b'<row r="41">' + b"".join(total % ((bytes([65 + c]),) * 3) for c in range(1, 11))
    xml += b"</row></sheetData>"
    assert xlsx.uncomputed_cells(xml) == {(40, col) for col in range(1, 11)}


# -- the kind of a file ---------------------------------------------------------------------------


def test_content_decides_the_kind_not_the_name(tmp_path):
    csv_named_xlsx = tmp_path / "bao cao.xlsx"
    csv_named_xlsx.write_text("STT,Tên thôn\n1,Thôn 1\n", encoding="utf-8")
    assert read_workbook(csv_named_xlsx).kind == "csv"
    assert read_workbook(csv_named_xlsx).sheets[0].rows == [["STT", "Tên thôn"], ["1", "Thôn 1"]]
    xlsx_named_csv = write_xlsx(tmp_path / "bao cao.csv", CELLS, MERGED)
    assert read_workbook(xlsx_named_csv).kind == "xlsx"
    xls_named_xlsx = write_xls(tmp_path / "cu.xlsx", CELLS, MERGED)
    assert read_workbook(xls_named_xlsx).sheets[0].rows == expected_rows(CELLS, 12, 7)


# -- refused files --------------------------------------------------------------------------------

def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content"), [
    ("bao cao.docx", docx_bytes()),
    ("bao cao.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    ("anh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
    ("ghi chu.txt", "Kính gửi Công an tỉnh.\nCông an xã báo cáo như sau, đề nghị xem xét.\n"
                    "Trân trọng.\n".encode()),
    ("~$BC quy I.xlsx", b"\x0bNguyen Van A" + b"\x00" * 40),
    ("empty.docx", b""),
    ("word.xlsx", docx_bytes()),  # the content decides: a Word file under a spreadsheet name
])
def test_other_files_are_not_spreadsheets(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert read_error(path).code == "not-a-spreadsheet"


def zip_of_pictures() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("anh/1.jpg", b"\xff\xd8\xff\xe0")
    return out.getvalue()


def garbage(tmp_path):
    return random.Random(7).randbytes(3000)


@pytest.mark.parametrize(("name", "make", "words"), [
    ("truncated.xlsx", lambda p: write_xlsx(p / "t.xlsx", CELLS, MERGED).read_bytes()[:2000],
     "hỏng"),
    ("empty.xlsx", lambda p: b"", "rỗng"),
    ("random.xls", garbage, "không phải bảng tính"),
    ("web.xls", lambda p: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
    ("pdf.xlsx", lambda p: b"%PDF-1.4 ...", "không phải bảng tính"),
    ("anh.xlsx", lambda p: zip_of_pictures(), "không chứa bảng tính"),
])
def test_damaged_spreadsheets_are_unreadable(tmp_path, name, make, words):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    error = read_error(path)
    assert error.code == "unreadable-file"
    assert words in shown(error, "reason")
    assert shown(error, "reason", "en")


def test_missing_file_is_unreadable(tmp_path):
    assert shown(read_error(tmp_path / "khong co.xlsx"), "reason") == "không mở được tệp"


# -- reading a file's bytes, and its sheet map ----------------------------------------------------

def test_read_up_to_reads_on_after_a_short_read():
    read_end, write_end = os.pipe()
    os.write(write_end, b"abc")  # a pipe gives what it holds: a short read, as some file systems

    def rest() -> None:
        time.sleep(0.05)
        os.write(write_end, b"def")
        os.close(write_end)

    writer = threading.Thread(target=rest)
    writer.start()
    try:
        assert reading._read_up_to(read_end, 10, 6) == b"abcdef"
        assert reading._read_up_to(read_end, 10, 10) == b""  # the end
    finally:
        writer.join()
        os.close(read_end)


def _workbook(path, sheets, level=6):
    """An xlsx with these sheet names, its parts deflated at `level`."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    for sheet in book.worksheets:
        sheet["A1"] = sheet.title
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED, level)
    return path


def _with_crc(path, part, crc, target):
    """A copy of the zip at `path` whose directory and local header give `part` this CRC."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 14, crc)  # local header
    name = part.encode()  # and its entry in the central directory
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 16, crc)
        at = data.find(b"PK\x01\x02", at + 4)
    target.write_bytes(bytes(data))
    return target


def test_the_sheet_map_remembered_by_stored_bytes_is_each_files_own(tmp_path):
    """Files whose workbook part is stored alike share its map; any other file, the same
    text stored otherwise or one whose checksum is wrong, is read as it is."""
    xlsx._SHEET_MAPS.known.clear()
    first = _workbook(tmp_path / "a.xlsx", ["Biểu 01", "Biểu 02"])
    same = _workbook(tmp_path / "b.xlsx", ["Biểu 01", "Biểu 02"])
    other = _workbook(tmp_path / "c.xlsx", ["Biểu 02", "Ghi chú", "Biểu 01"])
    packed = _workbook(tmp_path / "d.xlsx", ["Biểu 01", "Biểu 02"], level=1)
    names = [[grid.sheet for grid in reading.read_workbook(path).sheets]
             for path in (first, same, other, packed)]
    assert names == [["Biểu 01", "Biểu 02"], ["Biểu 01", "Biểu 02"],
                     ["Biểu 02", "Ghi chú", "Biểu 01"], ["Biểu 01", "Biểu 02"]]
    assert len(xlsx._SHEET_MAPS) == 3  # a and b stored their workbook part alike
    broken = _with_crc(first, "xl/workbook.xml", 12345, tmp_path / "e.xlsx")
    try:
        reading.read_workbook(broken)
    except reading.ReadError as error:
        assert error.code == "unreadable-file"
    else:
        raise AssertionError("a workbook part whose checksum is wrong was read")


# -- error values (#REF!, #DIV/0!): calamine gives them as blanks --------------------------------

def _sheet_xml(cells: str) -> bytes:
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>').encode()


def test_error_cells_are_found_in_the_sheet_xml():
    xml = _sheet_xml('<row r="12"><c r="B12" t="n"><v>5</v></c><c r="C12" t="e"><v>#REF!</v>'
                     '</c><c r="D12" s="3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                     '<c r="E12" t="s"><v>0</v></c></row>')
    assert xlsx.error_cells(xml) == {(11, 2): "#REF!", (11, 3): "#DIV/0!"}
    assert xlsx.error_cells(_sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')) == {}


def test_a_self_closing_cell_does_not_swallow_the_next_one():
    xml = _sheet_xml('<row r="1"><c r="A1" t="e"/><c r="B1" t="n"><v>4</v></c>'
                     '<c r="C1" t="e"><v>#N/A</v></c></row>')
    assert xlsx.error_cells(xml) == {(0, 2): "#N/A"}


def test_error_values_are_read_where_the_file_has_them(tmp_path):
    path = tmp_path / "errors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["C1"] = "Thôn 1", 3, "#REF!"  # openpyxl writes t="e"
    sheet["A2"] = "Thôn 2"
    sheet["E5"] = "#VALUE!"  # past every other value: the grid grows to hold it
    book.save(path)
    rows = read_workbook(path).sheets[0].rows
    assert rows[0][:3] == ["Thôn 1", 3, "#REF!"] and type(rows[0][2]) is CellError
    assert rows[4][4] == "#VALUE!" and type(rows[4][4]) is CellError
    assert [v for row in rows for v in row if isinstance(v, CellError)] == ["#REF!", "#VALUE!"]


def test_ods_error_cells_are_read_as_errors(tmp_path):
    calc = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        f'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="{calc}">'
        '<office:body><office:spreadsheet><table:table table:name="Biểu 01"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Thôn 1</text:p></table:table-cell>'
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        '</table:table-cell><table:table-cell office:value-type="float" office:value="7"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>")
    path = tmp_path / "loi.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "</manifest:manifest>"))
        archive.writestr("content.xml", content)
    [row] = read_workbook(path).sheets[0].rows
    assert row == ["Thôn 1", "#DIV/0!", 7.0] and type(row[1]) is CellError


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_file_swapped_for_a_pipe_before_the_open_is_refused_without_waiting(tmp_path,
                                                                              monkeypatch):
    """The open file is checked, not the name: a pipe put in a file's place between a look at
    the name and the open would block an open that waits for a writer, forever."""
    path = tmp_path / "bao cao.xlsx"
    path.write_bytes(b"PK\x03\x04")
    real_open = os.open

    def swapping_open(name, flags, *args, **kwargs):
        if str(name) == str(path):
            path.unlink()
            os.mkfifo(path)
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(reading.os, "open", swapping_open)
    outcome: list = []
    reader = threading.Thread(target=lambda: outcome.append(read_error(path)), daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert outcome, "the read waited on the pipe"
    assert (outcome[0].code, outcome[0].params["reason"]) == ("unreadable-file", "not-a-file")


def test_xls_error_cells_are_read_as_errors(tmp_path):
    """A plain error value (BOOLERR) and a formula whose saved result is an error, in an .xls
    whose workbook stream is small (the mini stream) or not."""
    import xlwt

    for rows in (0, 300):
        book = xlwt.Workbook(encoding="utf-8")
        sheet, other = book.add_sheet("Biểu 01"), book.add_sheet("Khác")
        sheet.write(0, 0, "Thôn 1")
        sheet.row(0).set_cell_error(1, "#REF!")
        sheet.write(1, 2, xlwt.Formula("1/0"))
        other.row(2).set_cell_error(0, 0x2A)
        for row in range(rows):
            sheet.write(row + 5, 0, "Ghi chú " * 10)
        path = tmp_path / f"loi {rows}.xls"
        book.save(path)
        data = bytearray(path.read_bytes())
        # xlwt saves a formula with 0 as its result: make it an error (#DIV/0!) saved by Excel.
        formula = re.search(rb"\x06\x00..\x01\x00\x02\x00", data, re.S)  # FORMULA at C2
        at = formula.start() + 10  # past the header, row, column and format
        data[at:at + 8] = b"\x02\x00\x07\x00\x00\x00\xff\xff"
        path.write_bytes(bytes(data))
        first, second = read_workbook(path).sheets
        errors = {(r, c): v for r, row in enumerate(first.rows) for c, v in enumerate(row)
                  if isinstance(v, CellError)}
        assert errors == {(0, 1): "#REF!", (1, 2): "#DIV/0!"}
        assert second.rows[2][0] == "#N/A" and type(second.rows[2][0]) is CellError
