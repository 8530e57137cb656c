"""The words of the reason codes: below outputs/, a refusal names its case with a code
(`reason`, `what`...) and plain params; outputs/reasons.py words it. Real files in, the exact
message out, in Vietnamese and English.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from antq_cli.forms import load_forms
from antq_cli.model import ERROR, AntqError, FormError, RegistryError
from antq_cli.outputs.errors import render_error
from antq_cli.outputs.messages import render
from antq_cli.outputs.template import find_unit
from antq_cli.periods import Period
from antq_cli.run import one_file
from antq_cli.run.merge import validate_files
from antq_cli.settings import MB, Limits, RunSettings
from antq_cli.units.official import official_registry
from antq_cli.units.registry import Registry, Unit, load_registry
from tests.builders import Layout, write_bieu01
from tests.helpers import only, sender, validate_one, villages

UNREADABLE = (
    "Không đọc được tệp ({}). Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi "
    "lại.",
    "The file cannot be read ({}). Open it in Excel or LibreOffice, save it as .xlsx and send it "
    "again.",
)
SUSPICIOUS = (
    "Tệp có cấu trúc bất thường, có thể là tệp độc hại ({}): antq không đọc. Không mở tệp này; "
    "đề nghị đơn vị gửi lại bản lưu từ Excel hoặc LibreOffice.",
    "The file has an abnormal structure and may be malicious ({}): antq does not read it. Do not "
    "open it; ask the unit to send a copy saved from Excel or LibreOffice.",
)
OVER_LIMIT = (
    "Tệp vượt giới hạn của antq ({}). Xóa phần thừa (dòng, cột, trang tính không dùng) rồi lưu "
    "lại; nếu tệp đúng là lớn như vậy, đặt biến môi trường {} lớn hơn rồi chạy lại.",
    "The file is over an antq limit ({}). Delete what is not needed (unused rows, columns, "
    "sheets) and save it again; if the file really is that large, set the environment variable "
    "{} higher and run again.",
)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def zip_bytes(parts: dict[str, bytes | str], stored: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def xlsx(sheets: list[str], shared: str | None = None, doctype: str = "") -> bytes:
    """A minimal workbook: one sheet per XML body of `sheets` ("Biểu 1", "Biểu 2"...)."""
    names = "".join(f'<sheet name="Biểu {n}" sheetId="{n}" r:id="rId{n}"/>'
                    for n in range(1, len(sheets) + 1))
    rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                   f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    }
    if shared is not None:
        rels += f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        parts["xl/sharedStrings.xml"] = shared
    parts["xl/workbook.xml"] = (f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" '
                                f'xmlns:r="{_REL}"><sheets>{names}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">{rels}</Relationships>')
    for n, cells in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = (
            f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{_MAIN}"><sheetData>{cells}'
            "</sheetData></worksheet>")
    return zip_bytes(parts)


def ods(table: str) -> bytes:
    return zip_bytes({
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": (
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            f'<office:spreadsheet><table:table table:name="Biểu 01">{table}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>"),
    })


def declared(data: bytes, name: str, size: int) -> bytes:
    """A zip whose member `name` declares `size` bytes unpacked (local header and directory)."""
    raw = bytearray(data)
    local = raw.find(name.encode()) - 30
    central = raw.rfind(name.encode()) - 46
    raw[local + 22:local + 26] = size.to_bytes(4, "little")
    raw[central + 24:central + 28] = size.to_bytes(4, "little")
    return bytes(raw)


CELL = '<row r="1"><c r="A1" t="inlineStr"><is><t>Thôn 1</t></is></c></row>'
SHARED_USE = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 301))
ODS_REPEATED = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell '
                'table:number-columns-repeated="10" office:value-type="string"><text:p>'
                + "x" * 1000 + "</text:p></table:table-cell></table:table-row>")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def dangling(path: Path) -> None:
    path.symlink_to(path.parent / "khong co.xlsx")


# name, the file's bytes (or a maker of the path), limits, the reason in vi and en
CASES = {
    "not-a-file": ("ong dan.xlsx", fifo, Limits(),
                   "không phải tệp thông thường (thư mục, thiết bị hoặc ống dẫn)",
                   "not a regular file (a folder, a device or a pipe)"),
    "cannot-open": ("treo.xlsx", dangling, Limits(), "không mở được tệp",
                    "cannot open the file: No such file or directory"),
    "empty": ("rong.xlsx", b"", Limits(), "tệp rỗng", "the file is empty"),
    "html": ("web.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>",
             Limits(), "tệp là trang web (HTML) mang đuôi bảng tính",
             "an HTML page saved under a spreadsheet name"),
    "xml-2003": ("cu.xls", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:'
                 b'office:spreadsheet"/>', Limits(), "định dạng XML Spreadsheet 2003 cũ",
                 "old XML Spreadsheet 2003 format"),
    "not-a-table": ("pdf.xlsx", b"%PDF-1.4 ...", Limits(), "nội dung không phải bảng tính",
                    "the content is not a spreadsheet"),
    "incomplete": ("hong.xlsx", xlsx([CELL])[:200], Limits(), "tệp bị hỏng hoặc chưa tải về hết",
                   "the file is damaged or incomplete"),
    "incomplete-ods": ("hong.ods", zip_bytes({"mimetype": "application/vnd.oasis.opendocument."
                                              "spreadsheet"}), Limits(),
                       "tệp bị hỏng hoặc chưa tải về hết", "the file is damaged or incomplete"),
    "no-sheet-in-zip": ("anh.xlsx", zip_bytes({"anh/1.jpg": b"\xff\xd8\xff\xe0"}), Limits(),
                        "tệp nén không chứa bảng tính", "a zip archive with no sheet inside"),
    "xls-damaged": ("hong.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), Limits(),
                    "cấu trúc tệp .xls bị hỏng", "the .xls structure is damaged"),
}

SUSPICIOUS_CASES = {
    "inflates": ("lie.xlsx", declared(xlsx([CELL + " " * 5000]), "xl/worksheets/sheet1.xml", 100),
                 Limits(unpacked_bytes=10_000),
                 "phần \"xl/worksheets/sheet1.xml\" bung ra lớn hơn kích thước khai báo",
                 "part \"xl/worksheets/sheet1.xml\" inflates beyond its declared size"),
    "zip-bomb": ("bom.xlsx", declared(zip_bytes({"xl/worksheets/sheet1.xml": bytes(4096)},
                                                stored=True), "xl/worksheets/sheet1.xml", 3 << 30),
                 Limits(),
                 "một phần 3072 MB nén còn 4 KB, gấp 786432 lần; tệp thật không nén quá 200 lần "
                 "(ANTQ_MAX_ZIP_RATIO)",
                 "a 3072 MB part packed into 4 KB, 786432 times; real files compress at most 200 "
                 "times (ANTQ_MAX_ZIP_RATIO): a zip bomb"),
    "doctype": ("cuoi.xlsx", xlsx(['<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is>'
                                   "</c></row>"], doctype='<!DOCTYPE lolz [<!ENTITY lol "lol">]>'),
                Limits(), "XML có khai báo DOCTYPE/ENTITY, có thể bung vô hạn hoặc đọc tệp khác",
                "XML declares a DOCTYPE/ENTITY, which can expand without end or read other "
                "files"),
}

CSV = "".join(f"Thôn {n},{n}\n" for n in range(1, 11)).encode()
OVER_LIMIT_CASES = {
    "file_bytes": ("lon.csv", CSV * 20_000, Limits(file_bytes=MB), "ANTQ_MAX_FILE_MB",
                   "kích thước tệp: 1 MB, tối đa 1 MB", "file size: 1 MB, at most 1 MB"),
    "sheets": ("ba trang.xlsx", xlsx([CELL] * 3), Limits(sheets=2), "ANTQ_MAX_SHEETS",
               "số trang tính: 3 trang tính, tối đa 2 trang tính",
               "sheets: 3 sheets, at most 2 sheets"),
    "zip_parts": ("nhieu phan.xlsx", xlsx([CELL] * 3), Limits(zip_parts=4), "ANTQ_MAX_ZIP_PARTS",
                  "số phần trong tệp nén: 7 phần, tối đa 4 phần",
                  "parts in the zip: 7 parts, at most 4 parts"),
    "part_bytes": ("lon.xlsx", declared(xlsx([CELL]), "xl/worksheets/sheet1.xml", 3 * MB),
                   Limits(part_bytes=2 * MB), "ANTQ_MAX_PART_MB",
                   "phần \"xl/worksheets/sheet1.xml\" khi bung ra: 3 MB, tối đa 2 MB",
                   "part \"xl/worksheets/sheet1.xml\" unpacked: 3 MB, at most 2 MB"),
    "unpacked_bytes": ("lon.xlsx", declared(xlsx([CELL]), "xl/worksheets/sheet1.xml", 3 * MB),
                       Limits(unpacked_bytes=2 * MB), "ANTQ_MAX_UNPACKED_MB",
                       "tệp nén khi bung ra: 3 MB, tối đa 2 MB", "unpacked: 3 MB, at most 2 MB"),
    "shared_text_unpacked_bytes": (
        "chuoi chung.xlsx", xlsx([SHARED_USE], shared=f"<sst><si><t>{'x' * 8000}</t></si></sst>"),
        Limits(unpacked_bytes=2 * MB), "ANTQ_MAX_UNPACKED_MB",
        "chữ trong các ô khi bung ra: 2 MB, tối đa 2 MB",
        "text in the cells once unpacked: 2 MB, at most 2 MB"),
    "ods_text_unpacked_bytes": (
        "lap lai.ods", ods(ODS_REPEATED), Limits(unpacked_bytes=2 * MB), "ANTQ_MAX_UNPACKED_MB",
        "chữ trong các ô khi bung ra: 9 MB, tối đa 2 MB",
        "text in the cells unpacked: 9 MB, at most 2 MB"),
    "rows": ("dai.csv", CSV, Limits(rows=5), "ANTQ_MAX_ROWS",
             "số dòng của trang tính \"dai\": 10 dòng, tối đa 5 dòng",
             "rows of sheet \"dai\": 10 rows, at most 5 rows"),
    "cells": ("rong.xlsx", xlsx(['<row r="1500"><c r="A1500"><v>1</v></c>'
                                 '<c r="C1500"><v>1</v></c></row>']),
              Limits(cells=3000), "ANTQ_MAX_CELLS",
              "số ô của trang tính \"Biểu 1\" (1500 dòng x 3 cột, tính từ A1): 4.500 ô, "
              "tối đa 3.000 ô",
              "cells of sheet \"Biểu 1\" (1500 rows x 3 columns from A1): 4,500 cells, at most "
              "3,000 cells"),
    "cell_chars": ("o dai.csv", CSV, Limits(cell_chars=5), "ANTQ_MAX_CELL_CHARS",
                   "độ dài ô A1 của trang tính \"o dai\": 6 ký tự, tối đa 5 ký tự",
                   "length of cell A1 of sheet \"o dai\": 6 characters, at most 5 characters"),
    "shared_string_cell_chars": (
        "chuoi dai.xlsx", xlsx([SHARED_USE], shared=f"<sst><si><t>{'x' * 8000}</t></si></sst>"),
        Limits(cell_chars=1000, unpacked_bytes=2 * MB), "ANTQ_MAX_CELL_CHARS",
        "độ dài một chuỗi chữ trong tệp: 2.005 ký tự, tối đa 1.000 ký tự",
        "length of a text in the file: 2,005 characters, at most 1,000 characters"),
    "csv_cell_chars": ("o dai.csv", ("Thôn," + "x" * 200_000 + "\n").encode(), Limits(),
                       "ANTQ_MAX_CELL_CHARS",
                       "độ dài một ô của \"o dai\": 200.006 ký tự, tối đa 32.767 ký tự",
                       "length of a cell of \"o dai\": 200,006 characters, at most 32,767 "
                       "characters"),
}


def problem_of(tmp_path: Path, forms, name: str, content, limits: Limits, code: str):
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    [result] = validate_files([path], forms, None, settings=RunSettings(limits=limits))
    problem = only(result, code)
    assert problem.severity == ERROR
    return problem


@pytest.mark.parametrize(("name", "content", "limits", "vi", "en"), CASES.values(), ids=CASES)
def test_unreadable_file_reasons(tmp_path, forms, name, content, limits, vi, en):
    problem = problem_of(tmp_path, forms, name, content, limits, "unreadable-file")
    assert (render(problem, "vi"), render(problem, "en")) == (
        UNREADABLE[0].format(vi), UNREADABLE[1].format(en))


@pytest.mark.parametrize(("name", "content", "limits", "vi", "en"), SUSPICIOUS_CASES.values(),
                         ids=SUSPICIOUS_CASES)
def test_suspicious_file_reasons(tmp_path, forms, name, content, limits, vi, en):
    problem = problem_of(tmp_path, forms, name, content, limits, "suspicious-file")
    assert (render(problem, "vi"), render(problem, "en")) == (
        SUSPICIOUS[0].format(vi), SUSPICIOUS[1].format(en))


@pytest.mark.parametrize(("name", "content", "limits", "env", "vi", "en"),
                         OVER_LIMIT_CASES.values(), ids=OVER_LIMIT_CASES)
def test_over_limit_says_what(tmp_path, forms, name, content, limits, env, vi, en):
    problem = problem_of(tmp_path, forms, name, content, limits, "over-limit")
    assert (render(problem, "vi"), render(problem, "en")) == (
        OVER_LIMIT[0].format(vi, env), OVER_LIMIT[1].format(en, env))


def test_a_reading_that_raises_is_named(tmp_path, forms, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("ô B7 hỏng")

    monkeypatch.setattr(one_file, "read_submission", broken)
    path = tmp_path / "xa.xlsx"
    path.write_bytes(xlsx([CELL]))
    [problem] = one_file.read_one(path, forms, None).result.problems
    assert (render(problem, "vi"), render(problem, "en")) == (
        UNREADABLE[0].format("lỗi khi đọc (ValueError: ô B7 hỏng)"),
        UNREADABLE[1].format("error while reading (ValueError: ô B7 hỏng)"))


def test_a_reading_process_that_died_is_named(tmp_path, forms):
    reader = one_file.FileReader(forms, RunSettings())
    [problem] = reader.lost(tmp_path / "xa.xlsx", None).result.problems
    assert (render(problem, "vi"), render(problem, "en")) == (
        UNREADABLE[0].format("tiến trình đọc tệp bị dừng đột ngột (có thể do thiếu bộ nhớ)"),
        UNREADABLE[1].format("the process reading it stopped abruptly (perhaps out of memory)"))


def test_damaged_content_names_the_error_in_english(tmp_path, forms):
    # a workbook part that is not XML: calamine's own error, named in English only
    path = tmp_path / "hong.xlsx"
    path.write_bytes(zip_bytes({"xl/workbook.xml": "<workbook", "xl/worksheets/sheet1.xml": ""}))
    [result] = validate_files([path], forms)
    problem = only(result, "unreadable-file")
    assert render(problem, "vi") == UNREADABLE[0].format("nội dung tệp bị hỏng")
    assert render(problem, "en").startswith("The file cannot be read (damaged content (")


# -- the unit registry ---------------------------------------------------------------------------

REGISTRY = [
    ("Mã", "Tên", "Cấp", "Mã cấp trên"),
    ("08", "Tỉnh Tuyên Quang", "Tỉnh", ""),
    ("070", "Thành phố Tuyên Quang", "Huyện", "08"),
    ("02215", "Xã Tân Đức", "Xã", "070"),
    ("T1", "Thôn Tân Hòa", "Thôn", "02215"),
]


def registry_error(path: Path):
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return caught.value


def registry_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "dm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_row(row: str, at: int = 4) -> list[str]:
    lines = [",".join(cells) for cells in REGISTRY]
    lines.insert(at - 1, row)
    return lines


# reason: the registry's lines, the row and column named, the reason in vi and en
INVALID = {
    "no-units": ([",".join(REGISTRY[0])], 2, "mã",
                 "danh mục không có đơn vị nào; ghi mỗi đơn vị một dòng dưới dòng tiêu đề",
                 "the registry lists no unit; write one unit per row below the header"),
    "no-header": (["08,Tỉnh Tuyên Quang,Tỉnh,"], 1, "mã",
                  "không tìm thấy dòng tiêu đề có các cột mã, tên, cấp, mã cấp trên; thêm dòng "
                  "tiêu đề này phía trên danh sách đơn vị",
                  "no header row with the columns code, name, level, parent_code; add one above "
                  "the list of units"),
    "two-columns": (["Danh mục đơn vị", "Mã,Tên,Cấp,Mã cấp trên,Mã số", "08,Tỉnh,Tỉnh,,08"], 2,
                    "Mã số",
                    "hai cột cùng là \"mã\" (\"Mã\" và \"Mã số\"); xóa hoặc đổi tên một cột",
                    "two columns are both \"code\" (\"Mã\" and \"Mã số\"); delete or rename one"),
    "missing-column": (["Mã,Tên,Mã cấp trên", "08,Tỉnh Tuyên Quang,"], 1, "cấp",
                       "thiếu cột \"cấp\" trong dòng tiêu đề; thêm cột này",
                       "the header has no \"level\" column; add it"),
    "code-empty": (with_row(",Xã Mới,Xã,070"), 4, "Mã",
                   "mã đơn vị để trống; ghi mã cho đơn vị này hoặc xóa dòng",
                   "the unit code is empty; write the unit's code or delete the row"),
    "code-repeated": (with_row("02215,Xã Mới,Xã,070", at=6), 6, "Mã",
                      "mã \"02215\" trùng với dòng 4; mỗi đơn vị phải có mã riêng",
                      "code \"02215\" is already used on row 4; each unit needs its own code"),
    "name-empty": (with_row("X9,,Xã,070"), 4, "Tên", "tên đơn vị để trống; ghi tên đơn vị",
                   "the unit name is empty; write the unit's name"),
    "level-unknown": (with_row("X9,Xã Mới,Phố,070"), 4, "Cấp",
                      "cấp \"Phố\" không hợp lệ; ghi một trong: tỉnh, huyện, xã, thôn (hoặc "
                      "province, district, commune, village)",
                      "level \"Phố\" is not known; write one of province, district, commune, "
                      "village (or tỉnh, huyện, xã, thôn)"),
    "own-parent": (with_row("X9,Xã Mới,Xã,X9"), 4, "Mã cấp trên",
                   "đơn vị không thể là cấp trên của chính nó; sửa mã cấp trên",
                   "a unit cannot be its own parent; correct the parent code"),
    "parent-unknown": (with_row("X9,Xã Mới,Xã,999"), 4, "Mã cấp trên",
                       "mã cấp trên \"999\" không có trong danh mục; sửa mã hoặc thêm đơn vị cấp "
                       "trên vào danh mục",
                       "parent code \"999\" is not in the registry; correct it or add the parent "
                       "unit"),
    "parent-level": (with_row("X9,Huyện Mới,Huyện,T1", at=6), 6, "Mã cấp trên",
                     "đơn vị cấp trên \"Thôn Tân Hòa\" là cấp thôn, không cao hơn cấp huyện của "
                     "dòng này; sửa mã cấp trên hoặc cấp",
                     "parent \"Thôn Tân Hòa\" is a village, not above this row's district; "
                     "correct the parent code or the level"),
}


@pytest.mark.parametrize(("lines", "row", "column", "vi", "en"), INVALID.values(), ids=INVALID)
def test_registry_invalid_reasons(tmp_path, lines, row, column, vi, en):
    path = registry_file(tmp_path, lines)
    error = registry_error(path)
    assert (render_error(error, "vi"), render_error(error, "en")) == (
        f"Danh mục đơn vị {path}, dòng {row}, cột \"{column}\": {vi}.",
        f"Unit registry {path}, row {row}, column \"{column}\": {en}.")


def test_a_repeated_code_names_its_first_row_as_written(tmp_path):
    lines = ["Mã,Tên,Cấp,Mã cấp trên", "P,Tỉnh Lớn,Tỉnh,"]
    lines += [f"C{n},Xã {n},Xã,P" for n in range(1, 1500)] + ["C1200,Xã Trùng,Xã,P"]
    path = registry_file(tmp_path, lines)
    error = registry_error(path)
    assert (render_error(error, "vi"), render_error(error, "en")) == (
        f"Danh mục đơn vị {path}, dòng 1.502, cột \"Mã\": mã \"C1200\" trùng với dòng 1202; mỗi "
        "đơn vị phải có mã riêng.",
        f"Unit registry {path}, row 1,502, column \"Mã\": code \"C1200\" is already used on row "
        "1202; each unit needs its own code.")


def test_registry_unreadable_reasons(tmp_path, monkeypatch):
    said = {}
    missing = tmp_path / "khong co.csv"
    said["no-such-file"] = missing, registry_error(missing)
    empty = registry_file(tmp_path, [" "])
    said["empty"] = empty, registry_error(empty)
    undecodable = tmp_path / "dm1258.csv"
    undecodable.write_bytes(b"code,name,level,parent_code\n1,\x81\x8a,province,\n")
    said["encoding"] = undecodable, registry_error(undecodable)
    damaged = tmp_path / "dm.xlsx"
    damaged.write_text("not a zip")
    said["damaged"] = damaged, registry_error(damaged)
    with monkeypatch.context() as patched:
        def unreadable(self):
            raise OSError("[Errno 5] Input/output error")

        patched.setattr(Path, "read_bytes", unreadable)
        said["os-error"] = empty, registry_error(empty)
    texts = {reason: (render_error(error, "vi"), render_error(error, "en"))
             for reason, (_, error) in said.items()}
    assert texts["no-such-file"] == (
        f"Không đọc được danh mục đơn vị {missing}: không có tệp này.",
        f"The unit registry {missing} cannot be read: no such file.")
    assert texts["empty"] == (f"Không đọc được danh mục đơn vị {empty}: tệp trống.",
                              f"The unit registry {empty} cannot be read: the file is empty.")
    assert texts["encoding"] == (
        f"Không đọc được danh mục đơn vị {undecodable}: không giải mã được văn bản (không phải "
        "UTF-8 hay Windows-1258); lưu lại tệp dạng CSV UTF-8.",
        f"The unit registry {undecodable} cannot be read: the text is neither UTF-8 nor "
        "Windows-1258; save it as CSV UTF-8.")
    error = said["damaged"][1].params["error"]  # calamine's own words
    assert texts["damaged"] == (
        f"Không đọc được danh mục đơn vị {damaged}: tệp hỏng hoặc không phải bảng tính "
        f"({error}).",
        f"The unit registry {damaged} cannot be read: the file is damaged or not a spreadsheet "
        f"({error}).")
    assert texts["os-error"] == (
        f"Không đọc được danh mục đơn vị {empty}: [Errno 5] Input/output error.",
        f"The unit registry {empty} cannot be read: [Errno 5] Input/output error.")


# -- form files ----------------------------------------------------------------------------------

FORM = '''id = "bieu-09"
title = "Thử"
row_level = "village"
sender_level = "commune"
'''
INDICATOR = '''
[[indicators]]
code = "a"
label = "A"
type = "count"
'''
RATE = '''
[[rates]]
code = "r"
label = "R"
numerator = {numerator}
denominator = {{ count = "village" }}
'''

# reason: the form file, the field named, the reason in vi and en
FORM_INVALID = {
    "not-text": (FORM + INDICATOR.replace('label = "A"', "label = 5"), "indicators[0].label",
                 "thiếu hoặc không phải chuỗi", "missing or not a string"),
    "not-texts": (FORM + INDICATOR + 'variants = "A"\n', "indicators[0].variants",
                  "phải là danh sách chuỗi", "must be a list of strings"),
    "not-allowed": (FORM + INDICATOR.replace('"count"', '"yesno"'), "indicators[0].type",
                    "\"yesno\" không thuộc count, flag", "\"yesno\" is not one of count, flag"),
    "not-a-table": (FORM + "indicators = [1]\n", "indicators[0]", "phải là bảng [[indicators]]",
                    "must be a table"),
    "not-header-paths": (FORM + INDICATOR + 'headers = [["a", "b", "c", "d"]]\n',
                         "indicators[0].headers", "phải là danh sách [nhóm, cột]",
                         "must be a list of [group, leaf] pairs"),
    "not-a-number": (FORM + INDICATOR + 'max = "mười"\n', "indicators[0].max", "phải là số",
                     "must be a number"),
    "sum-or-count": (FORM + INDICATOR + RATE.format(numerator='{ sum = "a", count = "village" }'),
                     "rates[0].numerator", "phải có đúng một khóa sum hoặc count",
                     "must have exactly one of sum or count"),
    "unknown-indicator": (FORM + INDICATOR + RATE.format(numerator='{ sum = "b" }'),
                          "rates[0].numerator.sum", "chỉ tiêu \"b\" không có trong biểu",
                          "indicator \"b\" is not in the form"),
    "unknown-indicator-rule": (FORM + INDICATOR + '[[rules]]\nleft = "a"\nop = "<="\n'
                               'right = ["b"]\n', "rules[0].", "chỉ tiêu \"b\" không có trong biểu",
                               "indicator \"b\" is not in the form"),
    "unknown-level": (FORM + INDICATOR + RATE.format(numerator='{ count = "hamlet" }'),
                      "rates[0].numerator.count",
                      "cấp phải thuộc province, district, commune, village",
                      "level must be one of province, district, commune, village"),
    "no-indicators": (FORM, "indicators", "biểu phải có ít nhất một chỉ tiêu",
                      "a form needs at least one indicator"),
    "code-repeated": (FORM + INDICATOR + INDICATOR, "indicators[1].code", "mã \"a\" bị trùng",
                      "code \"a\" is repeated"),
    "bad-sentence": (FORM + INDICATOR + '[[paragraph]]\ntext = "Có {a"\n', "paragraph[0].text",
                     "mẫu câu sai: expected '}' before end of string",
                     "bad sentence template: expected '}' before end of string"),
    "unknown-name": (FORM + INDICATOR + '[[paragraph]]\ntext = "Có {b} thôn"\n',
                     "paragraph[0].text", "\"{b}\" không phải mã chỉ tiêu hay tỷ lệ của biểu",
                     "\"{b}\" is not an indicator or rate code of the form"),
    "unknown-when": (FORM + INDICATOR + '[[paragraph]]\ntext = "Có {a}"\nwhen = "b"\n',
                     "paragraph[0].when", "\"b\" không phải mã chỉ tiêu của biểu",
                     "\"b\" is not an indicator code of the form"),
}


def form_error(folder: Path) -> FormError:
    with pytest.raises(FormError) as caught:
        load_forms(folder)
    return caught.value


def form_messages(error: FormError, file: Path, field: str, vi: str, en: str) -> None:
    assert (render_error(error, "vi"), render_error(error, "en")) == (
        f"Biểu mẫu {file} lỗi ở trường \"{field}\": {vi}.",
        f"Form file {file} is broken at field \"{field}\": {en}.")


@pytest.mark.parametrize(("text", "field", "vi", "en"), FORM_INVALID.values(), ids=FORM_INVALID)
def test_form_invalid_reasons(tmp_path, text, field, vi, en):
    path = tmp_path / "bieu-09.toml"
    path.write_text(text, encoding="utf-8")
    form_messages(form_error(tmp_path), path, field, vi, en)


def test_a_form_file_that_is_not_toml(tmp_path):
    path = tmp_path / "bieu-09.toml"
    path.write_text(FORM + INDICATOR.replace("[[indicators]]", "[[indicators]"), encoding="utf-8")
    error = form_error(tmp_path)
    toml = error.params["error"]  # tomllib's own words
    form_messages(error, path, "(tệp)", f"không đọc được TOML: {toml}", f"not valid TOML: {toml}")


def test_a_forms_folder_without_forms(tmp_path):
    form_messages(form_error(tmp_path), tmp_path, "(thư mục)", "không có tệp biểu mẫu .toml nào",
                  "no .toml form file in it")


def test_two_forms_with_one_id(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    for path in (first, second):
        path.write_text(FORM + INDICATOR, encoding="utf-8")
    form_messages(form_error(tmp_path), second, "id", f"mã biểu \"bieu-09\" trùng với {first}",
                  f"form id \"bieu-09\" repeats {first}")


# -- the official lists --------------------------------------------------------------------------

NO_PROVINCE = (
    "Không có tỉnh, thành phố \"{}\" trong danh mục chính thức 2025 (QĐ 19/2025/QĐ-TTg).{} Xem "
    "danh sách bằng `antq units --era 2025`; ghi mã (08) hoặc tên (Tuyên Quang).",
    "There is no province \"{}\" in the official list of 2025 (Decision 19/2025/QĐ-TTg).{} See "
    "the list with `antq units --era 2025`; give a code (08) or a name (Tuyên Quang).",
)


@pytest.mark.parametrize(("written", "vi", "en"), [
    ("xyz", "", ""),
    ("Tuyen Qung", " Gần giống: Tỉnh Tuyên Quang.", " Closest: Tỉnh Tuyên Quang."),
    ("02", " Tỉnh Hà Giang (02) có trong danh mục 63 tỉnh, thành phố trước 1/7/2025: thêm --era "
     "legacy.", " Tỉnh Hà Giang (02) is in the 63-province list before 1 July 2025: add --era "
     "legacy."),
    ("Hà Giang", " Gần giống: Tỉnh An Giang, Tỉnh Hà Tĩnh, Thành phố Đà Nẵng. Tỉnh Hà Giang (02) "
     "có trong danh mục 63 tỉnh, thành phố trước 1/7/2025: thêm --era legacy.",
     " Closest: Tỉnh An Giang, Tỉnh Hà Tĩnh, Thành phố Đà Nẵng. Tỉnh Hà Giang (02) is in the "
     "63-province list before 1 July 2025: add --era legacy."),
])
def test_unknown_province_hints(written, vi, en):
    with pytest.raises(AntqError) as caught:
        official_registry("2025", written)
    assert (render_error(caught.value, "vi"), render_error(caught.value, "en")) == (
        NO_PROVINCE[0].format(written, vi), NO_PROVINCE[1].format(written, en))


def test_an_official_list_is_named_by_its_era(tmp_path):
    with pytest.raises(AntqError) as caught:
        find_unit(official_registry("legacy"), "12345")
    assert (render_error(caught.value, "vi"), render_error(caught.value, "en")) == (
        "Không có đơn vị mã 12345 trong danh mục danh mục 63 tỉnh, thành phố trước 1/7/2025. "
        "Kiểm tra lại mã đơn vị (cột code/mã của danh mục).",
        "There is no unit with code 12345 in the registry danh mục 63 tỉnh, thành phố trước "
        "1/7/2025. Check the unit code (the registry's code column).")


def test_units_named_by_the_files_are_a_registry_of_the_files():
    # Without --registry the units come from the files (run/merge.synthetic_registry).
    with pytest.raises(RegistryError) as caught:
        Registry.from_units([Unit("1", "Xã A", "commune"), Unit("2", "Xã B", "commune", "1")],
                            source=None)
    assert (render_error(caught.value, "vi"), render_error(caught.value, "en")) == (
        "Danh mục đơn vị (các tệp), dòng 2, cột \"parent_code\": đơn vị cấp trên \"Xã A\" là cấp "
        "xã, không cao hơn cấp xã của dòng này; sửa mã cấp trên hoặc cấp.",
        "Unit registry (các tệp), row 2, column \"parent_code\": parent \"Xã A\" is a commune, "
        "not above this row's commune; correct the parent code or the level.")


# -- units and periods of a file -----------------------------------------------------------------

TAN_DUC = "99103"


def tan_duc(tmp_path: Path, rows, period: str = "Quý I/2024", **layout) -> Path:
    path = tmp_path / layout.pop("name", "BC quy I-2024 xa Tan Duc.xlsx")
    write_bieu01(path, sender(TAN_DUC), rows, period, Layout(total_row=None, **layout))
    return path


def said(result, code: str) -> tuple[str, str]:
    problem = only(result, code)
    return render(problem, "vi"), render(problem, "en")


def test_unknown_unit_within_the_sender(tmp_path, forms, registry):
    rows = [(None, "Thôn Lạ Hoắc", values) for _, _, values in villages(TAN_DUC)[:1]]
    result = validate_one(tan_duc(tmp_path, rows), forms, registry)
    assert said(result, "unknown-unit") == (
        "Không có đơn vị \"Thôn Lạ Hoắc\" trong Xã Tân Đức. Tên gần đúng: Thôn Tân Hòa. Sửa tên "
        "cho đúng danh mục hoặc bổ sung danh mục đơn vị.",
        "There is no unit \"Thôn Lạ Hoắc\" in Xã Tân Đức. Closest names: Thôn Tân Hòa. Correct "
        "the name or add the unit to the registry.")


def test_unknown_unit_within_the_registry(tmp_path, forms, registry):
    rows = [(None, "Thôn Lạ Hoắc", values) for _, _, values in villages(TAN_DUC)[:1]]
    path = tan_duc(tmp_path, rows, unit_line=None, name="bao cao quy I-2024.xlsx")
    assert said(validate_one(path, forms, registry), "unknown-unit") == (
        "Không có đơn vị \"Thôn Lạ Hoắc\" trong danh mục. Tên gần đúng: Thôn Tân Hòa, Thôn Thuận "
        "Hòa. Sửa tên cho đúng danh mục hoặc bổ sung danh mục đơn vị.",
        "There is no unit \"Thôn Lạ Hoắc\" in the registry. Closest names: Thôn Tân Hòa, Thôn "
        "Thuận Hòa. Correct the name or add the unit to the registry.")


def test_unknown_unit_code(tmp_path, forms, registry):
    rows = [("9919999", name, values) for _, name, values in villages(TAN_DUC)[:1]]
    result = validate_one(tan_duc(tmp_path, rows, code_column=True), forms, registry)
    assert said(result, "unknown-unit") == (
        "Không có đơn vị \"9919999\" trong danh mục. Tên gần đúng: —. Sửa tên cho đúng danh mục "
        "hoặc bổ sung danh mục đơn vị.",
        # "danh mục" in English too: as it was (see outputs/reasons.py)
        "There is no unit \"9919999\" in danh mục. Closest names: —. Correct the name or add the "
        "unit to the registry.")


def test_periods_are_named_in_the_language(tmp_path, forms, registry):
    rows = villages(TAN_DUC)
    none = tan_duc(tmp_path, rows, period="", name="xa Tan Duc.xlsx")
    later = tan_duc(tmp_path, rows, period="6 tháng đầu năm 2024", name="xa Tan Duc H1.xlsx")
    first, second = validate_files([none, later], forms, registry, Period(2024, "Q", 1))
    assert said(first, "period-not-found") == (
        "Không tìm thấy kỳ báo cáo trong tệp; coi là Quý I/2024. Ghi kỳ ở tiêu đề, ví dụ "
        "\"Quý I/2024\".",
        "No reporting period found in the file; taken as Q1 2024. Write it in the title, e.g. "
        "\"Quý I/2024\".")
    assert said(second, "wrong-period") == (
        "Tệp báo cáo kỳ 6 tháng đầu năm 2024, nhưng đang tổng hợp kỳ Quý I/2024. Gửi đúng tệp "
        "của kỳ Quý I/2024.",
        "The file reports First half of 2024, but Q1 2024 is being merged. Send the file for "
        "Q1 2024.")
