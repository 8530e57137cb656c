"""reading.py: every format read into A1-addressed grids; damaged and hostile files refused."""

from __future__ import annotations

import csv
import io
import os
import random
import time
import unicodedata
import zipfile

import openpyxl
import pytest
import xlsxwriter
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from antq_cli.read import xlsx
from antq_cli.model import ReadError
from antq_cli.outputs.reasons import PHRASES
from antq_cli.outputs.words import fill
from antq_cli.read.reading import read_workbook
from antq_cli.settings import Limits, RunSettings

# A commune's bieu-02-like sheet: title block, a 2-row merged header with a group over its
# parts, three data rows, a "Tổng cộng" row and the signature line. (row, col) -> value.
CELLS: dict[tuple[int, int], object] = {
    (0, 0): "CÔNG AN XÃ TÂN ĐỨC", (0, 4): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    (2, 0): "BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ QUÝ I/2024",
    (4, 0): "STT", (4, 1): "Thôn", (4, 2): "Số vụ Nhân dân tố giác, tham gia truy bắt",
    (4, 6): "Số buổi họp dân",
    (5, 2): "Tổng số", (5, 3): "Trộm cắp", (5, 4): "Cướp", (5, 5): "Khác",
    (6, 0): 1, (6, 1): "Thôn Tân Hòa", (6, 2): 3, (6, 3): 1, (6, 4): 0, (6, 5): 2, (6, 6): 4,
    (7, 0): 2, (7, 1): "Thôn Đông", (7, 2): 5, (7, 3): 2, (7, 4): 1, (7, 5): 2, (7, 6): 6,
    (8, 0): 3, (8, 1): "Khu phố 3", (8, 2): 0, (8, 3): 0, (8, 4): 0, (8, 5): 0, (8, 6): 3,
    (9, 1): "Tổng cộng", (9, 2): 8, (9, 3): 3, (9, 4): 1, (9, 5): 4, (9, 6): 13,
    (11, 1): "Người lập biểu", (11, 5): "TRƯỞNG CÔNG AN XÃ",
}
MERGED = [(0, 0, 0, 2), (0, 4, 0, 6), (2, 0, 2, 6), (4, 0, 5, 0), (4, 1, 5, 1), (4, 2, 4, 5),
          (4, 6, 5, 6)]


def expected_rows(cells, height, width):
    return [[cells.get((r, c)) for c in range(width)] for r in range(height)]


def shifted(cells, merged, rows, cols):
    """The same sheet moved down and right, so its first used cell is not A1."""
    return ({(r + rows, c + cols): v for (r, c), v in cells.items()},
            [(r0 + rows, c0 + cols, r1 + rows, c1 + cols) for r0, c0, r1, c1 in merged])


def write_xlsx(path, cells, merged, sheet="Biểu 02"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for (r, c), value in cells.items():
        ws.cell(r + 1, c + 1, value)
    for r0, c0, r1, c1 in merged:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)
    return path


def write_xls(path, cells, merged, sheet="Biểu 02"):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    origins = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merged}
    for (r, c), value in cells.items():
        if (r, c) in origins:
            r1, c1 = origins.pop((r, c))
            ws.write_merge(r, r1, c, c1, value)
        else:
            ws.write(r, c, value)
    for (r0, c0), (r1, c1) in origins.items():
        ws.write_merge(r0, r1, c0, c1, "")
    book.save(str(path))
    return path


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


def read_error(path, limits: Limits = Limits()) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_workbook(path, limits)
    return caught.value


def shown(error: ReadError, key: str, lang: str = "vi") -> str:
    """What the message of `error` says for its param `key` (a code worded in outputs)."""
    return fill("{" + key + "}", error.params, lang, PHRASES.get(error.code))


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
    assert row == [12.0, 12.5, True, dt.datetime(2024, 3, 14, 8, 30), " 1.234 ", None]
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


def test_uncomputed_scan_is_cheap():
    row = b'<row r="%d"><c r="A%d" t="s"><v>1</v></c>' + b'<c r="B%d"><v>5</v></c>' * 10 + b"</row>"
    xml = b"<sheetData>" + b"".join(row % ((n,) * 12) for n in range(1, 41))
    total = b'<c r="%s41"><f>SUM(%s1:%s40)</f></c>'
    xml += b'<row r="41">' + b"".join(total % ((bytes([65 + c]),) * 3) for c in range(1, 11))
    xml += b"</row></sheetData>"
    assert len(xlsx.uncomputed_cells(xml)) == 10
    start = time.perf_counter()
    for _ in range(100):
        xlsx.uncomputed_cells(xml)
    assert (time.perf_counter() - start) / 100 < 0.001


# -- csv ------------------------------------------------------------------------------------------

CSV_ROWS = [["STT", "Tên thôn", "Số buổi họp dân", "Ghi chú"],
            ["1", "Thôn Tân Hòa", "1.234", ""],
            ["2", "Thôn Thuỷ Tú", "12,5", "Đạt"],
            ["", "Tổng cộng", "1.246,5", ""]]
CSV_GRID = [[cell or None for cell in row] for row in CSV_ROWS]


def to_cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: base letter, then a combining tone mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ","), ("utf-8", ";"), ("utf-8", "\t"), ("cp1258", ";"), ("utf-16", "\t"),
])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(CSV_ROWS)
    text = buffer.getvalue()
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path = tmp_path / "BC quy I-2024.csv"
    path.write_bytes(data)
    book = read_workbook(path)
    assert book.kind == "csv"
    [grid] = book.sheets
    assert grid.sheet == "BC quy I-2024"
    assert grid.rows == CSV_GRID
    assert all(unicodedata.is_normalized("NFC", c) for row in grid.rows for c in row if c)


def test_cp1258_bytes_really_hold_combining_marks():
    assert to_cp1258("Hòa").decode("cp1258") != "Hòa"
    decoded = to_cp1258("Hòa Thuỷ Đạt").decode("cp1258")
    assert unicodedata.normalize("NFC", decoded) == "Hòa Thuỷ Đạt"


def test_csv_excel_sep_hint_and_ragged_rows(tmp_path):
    path = tmp_path / "hint.csv"
    path.write_text("sep=;\na;b;c\nd;e\n", encoding="utf-8")
    assert read_workbook(path).sheets[0].rows == [["a", "b", "c"], ["d", "e", None]]


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


def test_password_protected_xlsx_is_named_as_such(tmp_path):
    # An encrypted .xlsx is an OLE2 file holding "EncryptionInfo" and "EncryptedPackage"
    # streams; rename the stream of an .xls to build one without an encryption library.
    data = bytearray(write_xls(tmp_path / "plain.xls", CELLS, MERGED).read_bytes())
    at = data.find("Workbook".encode("utf-16-le"))
    name = "EncryptedPackage\0".encode("utf-16-le")
    data[at:at + len(name)] = name
    data[at + 64:at + 66] = len(name).to_bytes(2, "little")
    path = tmp_path / "mat khau.xlsx"
    path.write_bytes(bytes(data))
    assert read_error(path).code == "encrypted-file"


def test_zip_bomb_is_refused_without_inflating(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", CELLS, MERGED)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet2.xml", "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(300):
                member.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    start = time.perf_counter()
    error = read_error(path)
    assert time.perf_counter() - start < 0.5
    assert error.code == "suspicious-file" and "zip bomb" in shown(error, "reason", "en")


def test_zip_that_lies_about_its_sizes_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/media/image1.png", os.urandom(300_000), zipfile.ZIP_STORED)
        archive.writestr("xl/worksheets/sheet1.xml", bytes(20 << 20))
    data = bytearray(out.getvalue())
    # Declare the 20 MB sheet as 1,000 bytes, in its local header and in the directory.
    local = data.find(b"PK\x03\x04", data.find(b"xl/worksheets/sheet1.xml") - 30)
    data[local + 22:local + 26] = (1000).to_bytes(4, "little")
    central = data.rfind(b"xl/worksheets/sheet1.xml") - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    data[central + 24:central + 28] = (1000).to_bytes(4, "little")
    path = tmp_path / "lie.xlsx"
    path.write_bytes(bytes(data))
    error = read_error(path)
    assert error.code == "suspicious-file"
    assert "inflates beyond its declared size" in shown(error, "reason", "en")


def test_stray_cell_far_away_is_refused_before_calamine_allocates_it(tmp_path):
    # calamine would allocate 1,048,576 x 16,384 cells and abort the whole process.
    path = tmp_path / "stray.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Biểu 01")
    sheet.write(0, 0, "CÔNG AN XÃ TÂN ĐỨC")
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    error = read_error(path)
    assert error.code == "over-limit" and "Biểu 01" in shown(error, "what")
    assert error.params["env"] == "ANTQ_MAX_ROWS"


def test_limits_come_with_each_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("".join(f"Thôn {n},{n}\n" for n in range(10)), encoding="utf-8")
    error = read_error(path, Limits(rows=5))
    assert (error.code, error.params["limit"], error.params["env"]) == ("over-limit", 5,
                                                                       "ANTQ_MAX_ROWS")
    assert len(read_workbook(path).sheets[0].rows) == 10
    assert shown(read_error(path, Limits(file_bytes=50)), "what") == "kích thước tệp"


@pytest.mark.parametrize(("variable", "value", "csv_rows", "code"), [
    ("ANTQ_MAX_ROWS", "5", 10, "over-limit"),
    ("ANTQ_MAX_ROWS", "10", 10, None),
    ("ANTQ_MAX_ROWS", "khong", 10, None),  # not a positive whole number: the default holds
    ("ANTQ_MAX_ROWS", "0", 10, None),
    ("ANTQ_MAX_CELLS", "15", 10, "over-limit"),
    ("ANTQ_MAX_FILE_MB", "1", 100_000, "over-limit"),
    ("ANTQ_MAX_CELL_CHARS", "5", 10, "over-limit"),
])
def test_limits_change_with_their_environment_variable(tmp_path, variable, value, csv_rows,
                                                       code):
    path = tmp_path / "long.csv"
    path.write_text("".join(f"Thôn {n},{n}\n" for n in range(csv_rows)), encoding="utf-8")
    limits = RunSettings.from_environment({variable: value}).limits
    if code is None:
        assert len(read_workbook(path, limits).sheets[0].rows) == csv_rows
    else:
        error = read_error(path, limits)
        assert (error.code, error.params["env"]) == (code, variable)


def test_typical_workbook_reads_fast(tmp_path):
    path = write_xlsx(tmp_path / "typical.xlsx", CELLS, MERGED)
    read_workbook(path)
    start = time.perf_counter()
    for _ in range(20):
        read_workbook(path)
    assert (time.perf_counter() - start) / 20 < 0.02
