"""registry_file.py: reading a registry from a CSV or a workbook, its errors, its level words."""

from __future__ import annotations

import csv
import unicodedata

import openpyxl
import pytest

from antq_cli.model import RegistryError
from antq_cli.outputs.errors import render_error
from antq_cli.units.registry import Registry, Unit, load_registry, parse_level
from tests.helpers import FOUR_LEVELS, shown, write_units_csv


def write_xlsx(path, rows, title_rows=()):
    """Write a workbook with optional title rows above the table; numeric codes stay numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def error_of(path):
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    return caught.value


# ---------------------------------------------------------------- reading


def test_csv_utf8_with_bom_keeps_leading_zeros(four_levels):
    assert four_levels.get("08") == Unit("08", "Tỉnh Tuyên Quang", "province", None)
    assert four_levels.get("02215").parent == "070"
    assert four_levels.levels == ("province", "district", "commune", "village")
    assert len(four_levels) == 11


def test_csv_utf8_without_bom_and_tabs(tmp_path):
    registry = load_registry(write_units_csv(tmp_path / "dm.tsv", FOUR_LEVELS, "\t", "utf-8"))
    assert registry.get("T1").name == "Thôn Tân Hòa"


def test_csv_windows_1258_with_semicolons_is_nfc(tmp_path):
    path = write_units_csv(tmp_path / "dm.csv", FOUR_LEVELS, ";", "cp1258")
    registry = load_registry(path)
    name = registry.get("02215").name
    assert name == "Xã Tân Đức"
    assert unicodedata.is_normalized("NFC", name)


def test_csv_vietnamese_headers_and_level_words(tmp_path):
    rows = [
        ("DANH MỤC ĐƠN VỊ", "", "", ""),
        ("Mã đơn vị", "Tên đơn vị", "Cấp", "Mã cấp trên"),
        ("04", "Tỉnh Cao Bằng", "Tỉnh", ""),
        ("040", "Thành phố Cao Bằng", "Thành phố thuộc tỉnh", "04"),
        ("01270", "Phường Hợp Giang", "Phường", "040"),
        ("K1", "Tổ dân phố 1", "Tổ dân phố", "01270"),
        ("K2", "Xóm Nà Cạn", "xóm", "01270"),
    ]
    registry = load_registry(write_units_csv(tmp_path / "dm.csv", rows, ";"))
    assert [u.level for u in registry.units()] == [
        "province",
        "district",
        "commune",
        "village",
        "village",
    ]


@pytest.mark.parametrize(
    "header",
    [
        ("ma", "ten", "cap", "parent"),
        ("Mã", "Tên", "Cấp", "Mã cấp trên"),
        ("Mã ĐVHC", "Tên đơn vị", "Cấp hành chính", "Mã đơn vị cấp trên"),
    ],
)
def test_header_variants(tmp_path, header):
    registry = load_registry(write_units_csv(tmp_path / "dm.csv", [header, *FOUR_LEVELS[1:4]]))
    assert registry.get("070").parent == "08"


def test_extra_columns_are_ignored(tmp_path):
    rows = [("STT", "Mã", "Tên", "Cấp", "Mã cấp trên", "Tên cấp trên", "Ghi chú")]
    rows += [(str(n), *row, "", "") for n, row in enumerate(FOUR_LEVELS[1:4], start=1)]
    registry = load_registry(write_units_csv(tmp_path / "dm.csv", rows))
    assert registry.get("070") == Unit("070", "Thành phố Tuyên Quang", "district", "08")


def test_xlsx_title_row_numeric_codes_and_vietnamese_headers(tmp_path):
    rows = [
        ("Mã", "Tên", "Cấp", "Mã cấp trên"),
        (1, "Thành phố Hà Nội", "Thành phố trực thuộc TW", None),
        (4, "Phường Ba Đình", "Phường", 1),
        (4001, "Tổ dân phố 1", "Tổ dân phố", 4),
        ("00007", "Phường Ngọc Hà", "phường", 1),
    ]
    path = write_xlsx(tmp_path / "dm.xlsx", rows, title_rows=[("DANH MỤC ĐƠN VỊ HÀNH CHÍNH",), ()])
    registry = load_registry(path)
    assert registry.levels == ("province", "commune", "village")
    assert registry.get("4").parent == "1"
    assert registry.get("4001").parent == "4"
    assert registry.get("00007").level == "commune"


def test_three_level_registry_since_2025(tmp_path):
    rows = [
        ("code", "name", "level", "parent_code"),
        ("01", "Thành phố Hà Nội", "province", ""),
        ("00004", "Phường Ba Đình", "commune", "01"),
        ("V1", "Tổ dân phố 1", "village", "00004"),
    ]
    registry = load_registry(write_units_csv(tmp_path / "dm.csv", rows))
    assert registry.levels == ("province", "commune", "village")
    assert registry.ancestor_at("V1", "province").code == "01"
    assert registry.ancestor_at("V1", "district") is None


def test_registry_starting_at_a_commune(tmp_path):
    rows = [
        ("code", "name", "level", "parent_code"),
        ("02215", "Xã Tân Đức", "commune", ""),
        ("T1", "Thôn Tân Hòa", "village", "02215"),
        ("T2", "Thôn 1", "village", "02215"),
    ]
    registry = load_registry(write_units_csv(tmp_path / "dm.csv", rows))
    assert [u.code for u in registry.roots()] == ["02215"]
    assert registry.find("Thôn 1", "village", within="02215").unit.code == "T2"


# ---------------------------------------------------------------- errors


def test_missing_file(tmp_path):
    error = error_of(tmp_path / "none.csv")
    assert error.code == "registry-unreadable"
    assert error.params["file"].endswith("none.csv")


def test_damaged_workbook(tmp_path):
    path = tmp_path / "dm.xlsx"
    path.write_text("not a zip")
    assert error_of(path).code == "registry-unreadable"


def test_undecodable_csv(tmp_path):
    path = tmp_path / "dm.csv"
    path.write_bytes(b"code,name,level,parent_code\n1,\x81\x8a,province,\n")
    assert error_of(path).code == "registry-unreadable"


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_longer_than_any_name_is_a_clear_error(tmp_path, quoted):
    """A 1 MB cell (or an unclosed quote that swallows the rest of the file) names its line;
    csv's own field limit never stops the run with its words."""
    path = tmp_path / "dm.csv"
    long = ('"' + "Huyện B,district,99\n" * 60_000) if quoted else "x" * (1 << 20)
    path.write_text("code,name,level,parent_code\n99,Tỉnh A,province,\n991," + long
                    + ",district,99\n99101,Xã C,commune,991\n", encoding="utf-8")
    error = error_of(path)
    assert (error.code, error.params["reason"], error.params["row"]) == (
        "registry-unreadable", "long-field", 3)
    assert "dòng 3 có một ô dài hơn 10.000 ký tự" in render_error(error, "vi")
    assert "line 3 holds a cell longer than 10,000 characters" in render_error(error, "en")
    assert csv.field_size_limit() == 131_072  # the process-wide limit is put back


def with_row(row, at=3):
    rows = list(FOUR_LEVELS)
    rows.insert(at - 1, row)
    return rows


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        (with_row(("", "Xã Mới", "commune", "070")), 3, "code", "để trống"),
        (with_row(("02215", "Xã Mới", "commune", "070")), 7, "code", "dòng 3"),
        (with_row(("X9", "", "commune", "070")), 3, "name", "tên"),
        (with_row(("X9", "Xã Mới", "ward", "070")), 3, "level", "ward"),
        (with_row(("X9", "Thành phố Mới", "Thành phố", "08")), 3, "level", "Thành phố"),
        (with_row(("X9", "Xã Mới", "commune", "999")), 3, "parent_code", "999"),
        (with_row(("X9", "Xã Mới", "commune", "X9")), 3, "parent_code", "chính nó"),
        (with_row(("X9", "Xã Mới", "commune", "02215")), 3, "parent_code", "không cao hơn"),
        (with_row(("X9", "Huyện Mới", "district", "T1"), at=13), 13, "parent_code", "Tân Hòa"),
    ],
)
def test_invalid_rows_name_row_and_column(tmp_path, rows, row, column, words):
    error = error_of(write_units_csv(tmp_path / "dm.csv", rows))
    assert error.code == "registry-invalid"
    assert (error.params["row"], error.params["column"]) == (row, column)
    assert words in shown(error, "reason")
    assert shown(error, "reason", "en")


def test_invalid_row_in_workbook_counts_title_rows(tmp_path):
    rows = [
        ("Mã đơn vị", "Tên đơn vị", "Cấp", "Mã cấp trên"),
        ("08", "Tỉnh Tuyên Quang", "Tỉnh", None),
        ("02215", "Xã Tân Đức", "Xã", "99"),
    ]
    path = write_xlsx(tmp_path / "dm.xlsx", rows, title_rows=[("DANH MỤC",), ("Kèm theo ...",), ()])
    error = error_of(path)
    assert (error.params["row"], error.params["column"]) == (6, "Mã cấp trên")


def test_missing_column(tmp_path):
    rows = [("Danh mục",), ("Mã", "Tên", "Mã cấp trên"), ("08", "Tỉnh Tuyên Quang", "")]
    error = error_of(write_units_csv(tmp_path / "dm.csv", rows))
    assert (error.code, error.params["row"], shown(error, "column")) == (
        "registry-invalid",
        2,
        "cấp",
    )


def test_no_header(tmp_path):
    error = error_of(write_units_csv(tmp_path / "dm.csv", [("08", "Tỉnh Tuyên Quang", "province", "")]))
    assert (error.params["row"], shown(error, "column")) == (1, "mã")


def test_header_only(tmp_path):
    error = error_of(write_units_csv(tmp_path / "dm.csv", FOUR_LEVELS[:1]))
    assert error.code == "registry-invalid"
    assert error.params["row"] == 2


def test_from_units_checks_like_a_file():
    with pytest.raises(RegistryError) as caught:
        Registry.from_units([Unit("1", "Xã A", "commune"), Unit("2", "Thôn B", "village", "3")])
    assert (caught.value.params["row"], caught.value.params["column"]) == (2, "parent_code")


# ---------------------------------------------------------------- level words


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("Tỉnh", "province"),
        ("Thành phố trực thuộc TW", "province"),
        ("Quận", "district"),
        ("thị xã", "district"),
        ("Thành phố thuộc tỉnh", "district"),
        ("Đặc khu", "commune"),
        ("thi tran", "commune"),
        ("Ấp", "village"),
        ("Khu dân cư", "village"),
        ("cấp xã", "commune"),
        ("Thành phố", None),
        ("1", None),
    ],
)
def test_parse_level(word, level):
    assert parse_level(word) == level
