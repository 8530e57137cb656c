"""The builders write what they claim, read back with python-calamine and openpyxl.

These tests check the test data itself, independently of antq_cli: merges, text numbers,
encodings, formulas, rule-abiding values, and that sample_data/ matches its generator.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import tomllib
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tests import builders as b
from tests import make_sample_data as msd

SENDER = ("99103", "Xã Tân Đức", "Huyện Tân Minh")
PERIOD = "Quý I/2024"
EXT = {"xlsx": "xlsx", "xlsx-xlsxwriter": "xlsx", "xlsm": "xlsm", "xls": "xls", "ods": "ods", "csv": "csv"}
SHEET_FORMATS = ["xlsx", "xlsx-xlsxwriter", "xlsm", "xls", "ods"]
TRUE_FLAGS = {"đạt", "có", "x", "✓", "1"}


# --------------------------------------------------------------------------- helpers


def village_rows(n: int = 5, seed: int = 1) -> list:
    rng = random.Random(seed)
    names = ["Thôn 1", "Thôn 2", "Thôn Tân Hòa", "Thôn Đồng Tâm", "Thôn Phú Lợi", "Thôn Khe Lim",
             "Thôn Mỹ Thủy", "Thôn 3", "Thôn Hòa Bình"]
    return [(f"99103{i:02d}", names[i - 1], b.random_values("bieu-01", rng)) for i in range(1, n + 1)]


def commune_rows(n: int = 1, seed: int = 2) -> list:
    rng = random.Random(seed)
    names = ["Xã Tân Đức", "Xã Sơn Mỹ", "Thị trấn Tân Minh", "Xã Minh Hòa"]
    return [(f"991{i:02d}", names[i - 1], b.random_values("bieu-02", rng)) for i in range(1, n + 1)]


def grid(path: Path, sheet: str | None = None) -> list[list]:
    workbook = CalamineWorkbook.from_path(str(path))
    ws = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
    return ws.to_python(skip_empty_area=False)


def csv_grid(path: Path, encoding: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding)), delimiter=delimiter))


def cell(rows: list[list], address: str):
    match = re.fullmatch(r"([A-Z]+)(\d+)", address)
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    row = int(match.group(2)) - 1
    if row >= len(rows) or col - 1 >= len(rows[row]):
        return ""
    return rows[row][col - 1]


def count_of(value) -> int:
    """A count cell as a number: numbers, "1.234", " 12 ", NBSP, blank."""
    if isinstance(value, (int, float)):
        assert value == int(value)
        return int(value)
    text = str(value).replace("\xa0", "").strip().replace(".", "")
    return int(text) if text else 0


def flag_of(value) -> int:
    if isinstance(value, (int, float)):
        return int(value)
    return int(unicodedata.normalize("NFC", str(value)).strip().lower() in TRUE_FLAGS)


def fold(text: str) -> str:
    """Independent folded key: NFC, lower, spaces, a trailing "(…)" dropped."""
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*\([^()]*\)$", "", text)


def schema(form_id: str) -> dict:
    with open(b.SCHEMA_DIR / f"{form_id}.toml", "rb") as handle:
        return tomllib.load(handle)


def broken_rules(form_id: str, values: dict) -> list:
    ops = {"<=": lambda x, y: x <= y, "=": lambda x, y: x == y, ">=": lambda x, y: x >= y}
    return [rule for rule in schema(form_id).get("rules", [])
            if not ops[rule["op"]](values[rule["left"]], sum(values[c] for c in rule["right"]))]


def merges_of(path: Path, fmt: str, sheet: str) -> set[tuple[int, int, int, int]]:
    """Merged ranges as 0-based (r1, c1, r2, c2), read by calamine, or odfpy for ODS."""
    if fmt == "ods":
        return ods_merges(path, sheet)
    ranges = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).merged_cell_ranges
    return {(r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges}


def ods_merges(path: Path, sheet: str) -> set[tuple[int, int, int, int]]:
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table

    doc = load(str(path))
    table = next(t for t in doc.spreadsheet.getElementsByType(Table)
                 if t.getAttrNS(TABLENS, "name") == sheet)
    found = set()
    r = 0
    for row in table.childNodes:
        if row.qname[1] != "table-row":
            continue
        c = 0
        for node in row.childNodes:
            span_c = node.getAttrNS(TABLENS, "number-columns-spanned")
            span_r = node.getAttrNS(TABLENS, "number-rows-spanned")
            if node.qname[1] == "table-cell" and (span_c or span_r):
                found.add((r, c, r + int(span_r or 1) - 1, c + int(span_c or 1) - 1))
            c += int(node.getAttrNS(TABLENS, "number-columns-repeated") or 1)
        r += 1
    return found


def write(tmp_path: Path, form: str, fmt: str, layout: b.Layout, rows=None,
          **options) -> tuple[Path, b.Sheet]:
    path = tmp_path / f"out.{EXT[fmt]}"
    writer = b.write_bieu01 if form == "bieu-01" else b.write_bieu02
    rows = rows if rows is not None else (village_rows() if form == "bieu-01" else commune_rows())
    return path, writer(path, SENDER, rows, PERIOD, layout, fmt, **options)


def read_back(path: Path, fmt: str, sheet: b.Sheet, **options) -> list[list]:
    if fmt == "csv":
        return csv_grid(path, options.get("encoding", "utf-8-sig"), options.get("delimiter", ","))
    return grid(path, sheet.name)


def assert_values(rows: list[list], sheet: b.Sheet, units: list) -> None:
    flags = set(b.flag_codes(sheet.form_id))
    for code, _, values in units:
        for indicator, expected in values.items():
            got = cell(rows, sheet.cell_of(code, indicator))
            read = flag_of(got) if indicator in flags else count_of(got)
            assert read == expected, (code, indicator, got)


# --------------------------------------------------------------------------- values


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), form_id=st.sampled_from(["bieu-01", "bieu-02"]))
def test_random_values_satisfy_every_rule(seed, form_id):
    values = b.random_values(form_id, random.Random(seed))
    codes = [ind["code"] for ind in schema(form_id)["indicators"]]
    assert set(values) == set(codes)
    for ind in schema(form_id)["indicators"]:
        value = values[ind["code"]]
        assert isinstance(value, int) and value >= 0
        if ind["type"] == "flag":
            assert value in (0, 1)
    assert broken_rules(form_id, values) == []
    assert b.check_rules(form_id, values) == []


def test_random_values_are_realistic():
    rng = random.Random(0)
    villages = [b.random_values("bieu-01", rng) for _ in range(400)]
    assert all(80 <= v["households"] <= 900 for v in villages)
    assert all(0 <= v["meetings"] <= 6 for v in villages)
    assert 0.05 < sum(v["meetings"] == 0 for v in villages) / 400 < 0.3
    assert sum(v["village_safe"] for v in villages) / 400 > 0.75
    assert all(v["meeting_attendance"] == 0 for v in villages if v["meetings"] == 0)
    communes = [b.random_values("bieu-02", rng) for _ in range(200)]
    assert any(c["leaflets"] >= 1000 for c in communes)  # so "1.234" shows up as text
    assert any(c["crimes_robbery"] for c in communes)


@pytest.mark.parametrize("period, start, end", [
    ("Quý I/2024", "2023-12-15", "2024-03-14"),
    ("quý 1/2024", "2023-12-15", "2024-03-14"),
    ("Q1/2024", "2023-12-15", "2024-03-14"),
    ("Quý I năm 2024", "2023-12-15", "2024-03-14"),
    ("Quý III/2024", "2024-06-15", "2024-09-14"),
    ("6 tháng đầu năm 2024", "2023-12-15", "2024-06-14"),
    ("9 tháng năm 2024", "2023-12-15", "2024-09-14"),
    ("Năm 2023", "2022-12-15", "2023-12-14"),
    ("tháng 3/2024", "2024-02-15", "2024-03-14"),
])
def test_period_window(period, start, end):
    first, last = b.period_window(period)
    assert (first.isoformat(), last.isoformat()) == (start, end)


def test_vn_number():
    assert b.vn_number(16504) == "16.504"
    assert b.vn_number(1234567) == "1.234.567"
    assert b.vn_number(12) == "12"


# --------------------------------------------------------------------------- layouts


@pytest.mark.parametrize("fmt", SHEET_FORMATS + ["csv"])
@pytest.mark.parametrize("form", ["bieu-01", "bieu-02"])
def test_values_read_back_in_every_format(tmp_path, fmt, form):
    layout = b.Layout(header_rows=2, code_column=True, total_row="bottom")
    units = village_rows() if form == "bieu-01" else commune_rows(3)
    path, sheet = write(tmp_path, form, fmt, layout, units)
    assert_values(read_back(path, fmt, sheet), sheet, units)


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_two_row_header_merges(tmp_path, fmt):
    path, sheet = write(tmp_path, "bieu-01", fmt, b.Layout(header_rows=2))
    merges = merges_of(path, fmt, sheet.name)
    assert merges == set(sheet.merges)
    top, bottom = sheet.header_rows
    rows = grid(path, sheet.name)
    meetings, attendance = sheet.columns["meetings"], sheet.columns["meeting_attendance"]
    assert (top, meetings, top, attendance) in merges           # "Họp dân" over its parts
    assert rows[top][meetings] == "Họp dân"
    assert rows[bottom][meetings] == "Số buổi"
    assert rows[bottom][attendance] == "Lượt người tham dự"
    stt, name = sheet.columns["stt"], sheet.columns["name"]
    assert (top, stt, bottom, stt) in merges                     # STT merged vertically
    assert (top, name, bottom, name) in merges
    assert rows[top][stt] == "STT"


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_bieu02_group_headers_and_band(tmp_path, fmt):
    path, sheet = write(tmp_path, "bieu-02", fmt, b.Layout(header_rows=3, start_col="C"))
    merges = merges_of(path, fmt, sheet.name)
    rows = grid(path, sheet.name)
    top, bottom = sheet.header_rows
    assert bottom - top == 2
    first = min(sheet.columns[c] for c in b.indicator_codes("bieu-02"))
    last = max(sheet.columns[c] for c in b.indicator_codes("bieu-02"))
    assert first == 2 + 2                                          # C + STT + name
    assert (top, first, top, last) in merges
    assert rows[top][first] == "KẾT QUẢ THỰC HIỆN"
    crimes = [sheet.columns[c] for c in ("crimes_reported", "crimes_theft", "crimes_robbery", "crimes_other")]
    assert crimes == list(range(crimes[0], crimes[0] + 4))
    assert (top + 1, crimes[0], top + 1, crimes[-1]) in merges
    assert rows[top + 1][crimes[0]] == "Số vụ Nhân dân tố giác, tham gia truy bắt"
    assert [rows[bottom][c] for c in crimes] == ["Tổng số", "Trộm cắp", "Cướp", "Khác"]
    civil = sheet.columns["civil_defense_teams"]
    assert (top + 1, civil, bottom, civil) in merges              # a single merged down
    stt = sheet.columns["stt"]
    assert (top, stt, bottom, stt) in merges


def test_openpyxl_sees_the_same_merges(tmp_path):
    from openpyxl import load_workbook

    path, sheet = write(tmp_path, "bieu-02", "xlsx", b.Layout(header_rows=2))
    ws = load_workbook(path)[sheet.name]
    found = {(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges}
    assert found == set(sheet.merges)


@pytest.mark.parametrize("fmt", ["xlsx", "xlsx-xlsxwriter", "ods", "csv"])
def test_text_numbers_are_strings(tmp_path, fmt):
    units = [(c, n, {**v, "leaflets": 1234}) for c, n, v in commune_rows(3)]
    layout = b.Layout(header_rows=2, text_numbers=True, total_row="bottom", seed=9)
    path, sheet = write(tmp_path, "bieu-02", fmt, layout, units)
    rows = read_back(path, fmt, sheet)
    flags = set(b.flag_codes("bieu-02"))
    styles = set()
    for code, _, values in units:
        for indicator in values:
            if indicator not in flags:
                got = cell(rows, sheet.cell_of(code, indicator))
                assert isinstance(got, str), (indicator, got)
                styles.add("nbsp" if "\xa0" in got else "space" if got != got.strip() else "plain")
        assert cell(rows, sheet.cell_of(code, "leaflets")).strip("\xa0 ") == "1.234"
    assert styles >= {"plain", "space", "nbsp"}
    assert isinstance(cell(rows, sheet.total_cell("leaflets")), str)
    assert count_of(cell(rows, sheet.total_cell("leaflets"))) == 3702
    assert_values(rows, sheet, units)


def test_openpyxl_formulas_have_no_cached_value(tmp_path):
    from openpyxl import load_workbook

    layout = b.Layout(total_row="bottom", total_formulas=True, notes_and_signature=True)
    path, sheet = write(tmp_path, "bieu-01", "xlsx", layout)
    address = sheet.total_cell("households")
    assert load_workbook(path)[sheet.name][address].value.startswith("=SUM(")
    assert load_workbook(path, data_only=True)[sheet.name][address].value is None
    assert cell(grid(path, sheet.name), address) == ""


@pytest.mark.parametrize("fmt", ["xlsx-xlsxwriter", "ods"])
def test_formulas_with_cached_values(tmp_path, fmt):
    units = village_rows(6)
    layout = b.Layout(total_row="top", total_formulas=True, flag_style="dat")
    path, sheet = write(tmp_path, "bieu-01", fmt, layout, units)
    rows = grid(path, sheet.name)
    assert sheet.total_row < min(sheet.data_rows.values())
    for indicator in b.indicator_codes("bieu-01"):
        expected = sum(v[indicator] for _, _, v in units)
        assert count_of(cell(rows, sheet.total_cell(indicator))) == expected
    assert isinstance(sheet.cells[(sheet.total_row, sheet.columns["village_safe"])], b.Formula)
    assert "COUNTIF" in sheet.cells[(sheet.total_row, sheet.columns["village_safe"])].expr


def test_total_override_makes_a_wrong_total(tmp_path):
    units = village_rows()
    layout = b.Layout(total_row="bottom", total_label="Cộng", total_override={"households": 1})
    path, sheet = write(tmp_path, "bieu-01", "xlsx", layout, units)
    rows = grid(path, sheet.name)
    assert cell(rows, sheet.total_cell("households")) == 1
    assert count_of(cell(rows, sheet.total_cell("meetings"))) == sum(v["meetings"] for _, _, v in units)
    assert rows[sheet.total_row][sheet.columns["stt"]] == "Cộng"


def test_xlsm_is_macro_enabled(tmp_path):
    path, sheet = write(tmp_path, "bieu-01", "xlsm", b.Layout())
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert "spreadsheetml.sheet.main+xml" not in types
    assert_values(grid(path, sheet.name), sheet, village_rows())


def test_cp1258_csv_decodes_to_the_same_text(tmp_path):
    units = village_rows(9)
    layout = b.Layout(header_rows=1, messy_labels=True, text_numbers=True, seed=4)
    utf8 = tmp_path / "u.csv"
    legacy = tmp_path / "w.csv"
    b.write_bieu01(utf8, SENDER, units, PERIOD, layout, "csv", encoding="utf-8", delimiter=";")
    sheet = b.write_bieu01(legacy, SENDER, units, PERIOD, layout, "csv", encoding="cp1258", delimiter=";")
    raw = legacy.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\xf2" in raw  # combining dot below: "ệ" is "ê" + U+0323 in Windows-1258
    nfc = lambda text: unicodedata.normalize("NFC", text)  # noqa: E731
    assert nfc(raw.decode("cp1258")) == nfc(utf8.read_bytes().decode("utf-8"))
    rows = csv_grid(legacy, "cp1258", ";")
    assert_values(rows, sheet, units)
    assert any("TÂN ĐỨC" in nfc(c) for r in rows for c in r)


def test_csv_flattens_group_headers_into_one_row(tmp_path):
    path, sheet = write(tmp_path, "bieu-02", "csv", b.Layout(header_rows=3), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert sheet.header_rows[0] == sheet.header_rows[1]
    rows = csv_grid(path, "utf-8-sig", ",")
    header = rows[sheet.header_rows[0]]
    for ind in schema("bieu-02")["indicators"]:
        assert header[sheet.columns[ind["code"]]] == ind["label"]
    assert "KẾT QUẢ THỰC HIỆN" not in {c for r in rows for c in r}
    assert not sheet.merges or all(r1 < sheet.header_rows[0] or r1 > sheet.header_rows[0]
                                   for r1, _, _, _ in sheet.merges)


def test_shuffled_columns_keep_groups_together():
    units = commune_rows()
    plain = b.table_sheet("bieu-02", SENDER, units, PERIOD, b.Layout(header_rows=2))
    shuffled = b.Layout(header_rows=2, column_order="shuffle", seed=3)
    one = b.table_sheet("bieu-02", SENDER, units, PERIOD, shuffled)
    two = b.table_sheet("bieu-02", SENDER, units, PERIOD, shuffled)
    codes = b.indicator_codes("bieu-02")
    order = sorted(codes, key=one.columns.get)
    assert order != codes and sorted(order) == sorted(codes)
    assert one.columns == two.columns
    assert sorted(one.columns[c] for c in codes) == sorted(plain.columns[c] for c in codes)
    for group in (["crimes_reported", "crimes_theft", "crimes_robbery", "crimes_other"],
                  ["educated", "educated_youth"], ["agencies", "agencies_safe"]):
        cols = [one.columns[c] for c in group]
        assert cols == list(range(cols[0], cols[0] + len(group)))


def test_messy_labels_show_every_kind_and_still_fold_to_the_schema(tmp_path):
    path, sheet = write(tmp_path, "bieu-02", "xlsx", b.Layout(header_rows=1, messy_labels=True, seed=1))
    rows = grid(path, sheet.name)
    top = sheet.header_rows[0]
    labels = {ind["code"]: rows[top][sheet.columns[ind["code"]]] for ind in schema("bieu-02")["indicators"]}
    texts = list(labels.values())
    assert any("\n" in t for t in texts)
    assert any(unicodedata.normalize("NFC", t) != t for t in texts)
    assert any(t == t.upper() and t != t.lower() for t in texts)
    assert any("  " in t for t in texts)
    assert any(re.search(r"\((vụ|người|lượt người|đội|buổi|tờ|đối tượng|tập thể|cá nhân|cơ quan)\)$", t) for t in texts)
    variants_used = 0
    for ind in schema("bieu-02")["indicators"]:
        accepted = {fold(ind["label"])} | {fold(v) for v in ind.get("variants", [])}
        assert fold(labels[ind["code"]]) in accepted, labels[ind["code"]]
        variants_used += fold(labels[ind["code"]]) != fold(ind["label"])
    assert variants_used >= 2


def test_messy_group_headers_fold_to_schema_pairs():
    sheet = b.table_sheet("bieu-01", SENDER, village_rows(), PERIOD,
                          b.Layout(header_rows=2, messy_labels=True, seed=2))
    top, bottom = sheet.header_rows
    grouped = 0
    for ind in schema("bieu-01")["indicators"]:
        col = sheet.columns[ind["code"]]
        groups = [m for m in sheet.merges if m[0] == m[2] == top and m[1] <= col <= m[3]]
        if not groups:
            continue  # a single column, merged down through both header rows
        grouped += 1
        pair = (fold(sheet.cells[groups[0][:2]]), fold(sheet.cells[(bottom, col)]))
        assert pair in {(fold(g), fold(p)) for g, p in ind["headers"]}, pair
    assert grouped == 4  # Họp dân (2) and Số hộ (2)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods", "csv"])
def test_vertical_bieu02(tmp_path, fmt):
    values = commune_rows()[0][2]
    path = tmp_path / f"v.{EXT[fmt]}"
    sheet = b.write_bieu02_vertical(path, SENDER, values, PERIOD, fmt)
    rows = read_back(path, fmt, sheet)
    content = sheet.columns["content"]
    labels = [str(r[content]) if len(r) > content else "" for r in rows]
    assert "STT" in rows[sheet.header_rows[0]] and "Số liệu" in rows[sheet.header_rows[0]]
    theft = sheet.data_rows["crimes_theft"]
    assert labels[theft].strip() == "Trong đó: trộm cắp" and labels[theft].startswith(" ")
    assert sheet.data_rows["crimes_reported"] < theft < sheet.data_rows["crimes_robbery"]
    assert [r[sheet.columns["stt"]] for r in rows if r and r[sheet.columns["stt"]] in ("I", "II", "III", "IV")] \
        == ["I", "II", "III", "IV"]
    for indicator, expected in values.items():
        got = cell(rows, sheet.cell_of(None, indicator))
        assert (flag_of(got) if indicator == "commune_safe" else count_of(got)) == expected


@pytest.mark.parametrize("style, on, off", [("dat", "Đạt", "Không đạt"), ("x", "x", ""),
                                            ("co", "Có", "Không"), ("10", 1, 0)])
def test_flag_styles(tmp_path, style, on, off):
    units = [("9910301", "Thôn 1", {"village_safe": 1}), ("9910302", "Thôn 2", {"village_safe": 0})]
    path, sheet = write(tmp_path, "bieu-01", "xlsx", b.Layout(flag_style=style), units)
    rows = grid(path, sheet.name)
    assert cell(rows, sheet.cell_of("9910301", "village_safe")) == on
    assert cell(rows, sheet.cell_of("9910302", "village_safe")) == off
    assert cell(rows, sheet.cell_of("9910301", "meetings")) == ""   # missing value: blank


def test_title_block_unit_line_and_signature(tmp_path):
    def texts(layout):
        path, sheet = write(tmp_path, "bieu-01", "xlsx", layout)
        return [str(c) for r in grid(path, sheet.name) for c in r if c != ""]

    full = texts(b.Layout(unit_line="title_block"))
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "CÔNG AN HUYỆN TÂN MINH", "CÔNG AN XÃ TÂN ĐỨC",
                     "(Số liệu tính từ ngày 15/12/2023 đến ngày 14/3/2024)",
                     "Người lập biểu", "Trưởng Công an xã", "Tân Đức, ngày 16 tháng 3 năm 2024"]:
        assert expected in full
    assert any("QUÝ I/2024" in t and t.startswith("BÁO CÁO") for t in full)
    assert any(t.startswith("Ghi chú:") for t in full)
    line = texts(b.Layout(unit_line="line"))
    assert "Đơn vị báo cáo: Xã Tân Đức" in line and "CÔNG AN XÃ TÂN ĐỨC" not in line
    hidden = texts(b.Layout(unit_line=None))
    assert not any("tân đức" in t.lower() for t in hidden)
    bare = texts(b.Layout(title_block=False, unit_line=None, notes_and_signature=False,
                          column_numbers=None, total_row=None))
    assert not any("CỘNG HÒA" in t or "Ghi chú" in t for t in bare)


@pytest.mark.parametrize("mode, expected", [("paren", ["(1)", "(2)", "(3)"]), ("letters", ["A", "B", 1])])
def test_column_number_row(tmp_path, mode, expected):
    path, sheet = write(tmp_path, "bieu-01", "xls", b.Layout(column_numbers=mode))
    rows = grid(path, sheet.name)
    assert rows[sheet.column_number_row][:3] == expected
    assert sheet.column_number_row == sheet.header_rows[1] + 1


def test_blank_rows_between_data_rows(tmp_path):
    path, sheet = write(tmp_path, "bieu-01", "xlsx", b.Layout(blank_rows=3, seed=2), village_rows(8))
    rows = grid(path, sheet.name)
    first, last = min(sheet.data_rows.values()), max(sheet.data_rows.values())
    blanks = [r for r in range(first, last) if all(c == "" for c in rows[r])]
    assert len(blanks) == 3 and last - first + 1 == 8 + 3


def test_sections_use_roman_numerals_and_restart_stt(tmp_path):
    units = commune_rows(4)
    rows_in = [b.Section("Thị trấn"), units[2], b.Section("Các xã"), units[0], units[1], units[3]]
    district = ("991", "Huyện Tân Minh", "Tỉnh Mẫu Sơn")
    path = tmp_path / "d.xlsx"
    sheet = b.write_bieu02(path, district, rows_in, "Quý I/2024",
                           b.Layout(total_row="bottom", code_column=True), "xlsx")
    rows = grid(path, sheet.name)
    stt = sheet.columns["stt"]
    first = min(sheet.data_rows.values()) - 1
    assert [rows[r][stt] for r in range(first, first + 6)] == ["I", 1, "II", 1, 2, 3]
    assert "CÔNG AN TỈNH MẪU SƠN" in rows[0] and "CÔNG AN HUYỆN TÂN MINH" in rows[1]
    assert any("Trưởng Công an huyện" in r for r in rows)
    assert count_of(cell(rows, sheet.total_cell("leaflets"))) == sum(v["leaflets"] for _, _, v in units)


def test_extra_sheets_and_write_workbook(tmp_path):
    path, sheet = write(tmp_path, "bieu-01", "xlsx-xlsxwriter", b.Layout(extra_sheets=True))
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Hướng dẫn", "Biểu 01", "Danh sách"]
    listing = grid(path, "Danh sách")
    assert [r[2] for r in listing[3:8]] == [n for _, n, _ in village_rows()]
    both = tmp_path / "both.ods"
    s1 = b.table_sheet("bieu-01", SENDER, village_rows(), PERIOD, b.Layout(sheet_name="B1"))
    s2 = b.vertical_sheet(SENDER, commune_rows()[0][2], PERIOD)
    b.write_workbook(both, [s1, s2])
    assert CalamineWorkbook.from_path(str(both)).sheet_names == ["B1", "Biểu 02"]
    assert_values(grid(both, "B1"), s1, village_rows())
    with pytest.raises(ValueError):
        b.write_workbook(tmp_path / "x.csv", [s1, s2])


def test_odd_cell_values_pass_through(tmp_path):
    units = [("9910301", "Thôn 1", {"households": "12,5", "meetings": None, "tips_received": "abc"})]
    path, sheet = write(tmp_path, "bieu-01", "xlsx", b.Layout(total_row="bottom"), units)
    rows = grid(path, sheet.name)
    assert cell(rows, sheet.cell_of("9910301", "households")) == "12,5"
    assert cell(rows, sheet.cell_of("9910301", "tips_received")) == "abc"


@pytest.mark.parametrize("fmt", ["xlsx", "xlsx-xlsxwriter", "xlsm", "xls", "ods", "csv"])
def test_same_call_same_bytes(tmp_path, fmt):
    layout = b.Layout(header_rows=3, messy_labels=True, text_numbers=True, column_order="shuffle", seed=5)
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    a, _ = write(tmp_path / "1", "bieu-02", fmt, layout)
    c, _ = write(tmp_path / "2", "bieu-02", fmt, layout)
    assert a.read_bytes() == c.read_bytes()


# --------------------------------------------------------------------------- sample data


def test_registry_is_a_small_four_level_province():
    units = msd.REGISTRY
    assert len({u.code for u in units}) == len(units)
    codes = {u.code for u in units}
    assert all(u.parent_code in codes for u in units if u.level != "province")
    assert [u.level for u in units].count("district") == 3
    assert [u.level for u in units].count("commune") == 10
    for commune in msd.COMMUNES:
        assert 4 <= len([v for v in msd.VILLAGES if v.parent_code == commune.code]) <= 9
    owners = {v.parent_code for v in msd.VILLAGES if v.name == "Thôn 1"}
    assert len(owners) >= 2
    rows = list(csv.DictReader(io.StringIO((msd.SAMPLE_DIR / "registry.csv").read_text("utf-8"))))
    assert [(r["code"], r["name"], r["level"], r["parent_code"]) for r in rows] == \
        [(u.code, u.name, u.level, u.parent_code) for u in units]


def test_sample_truth_is_deterministic():
    first = json.dumps(msd.truth(), ensure_ascii=False, sort_keys=True)
    msd._files.cache_clear()
    msd._generated.cache_clear()
    assert json.dumps(msd.truth(), ensure_ascii=False, sort_keys=True) == first
    assert json.loads((msd.SAMPLE_DIR / "expected.json").read_text("utf-8")) == json.loads(first)


def test_generate_twice_gives_the_same_files(tmp_path):
    msd.generate(tmp_path / "a")
    msd.generate(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a" / msd.QUARTER_DIR).iterdir())
    assert names == sorted(f.name for f in msd.files())
    for name in names:
        assert (tmp_path / "a" / msd.QUARTER_DIR / name).read_bytes() == \
            (tmp_path / "b" / msd.QUARTER_DIR / name).read_bytes(), name


def test_committed_sample_data_matches_the_generator(tmp_path):
    msd.generate(tmp_path)
    for sample in msd.files():
        fresh, kept = tmp_path / msd.QUARTER_DIR / sample.name, msd.SAMPLE_DIR / msd.QUARTER_DIR / sample.name
        assert kept.exists(), f"{sample.name}: run python tests/make_sample_data.py"
        if sample.fmt in ("csv", "txt"):
            assert fresh.read_bytes() == kept.read_bytes(), sample.name
        else:
            for sheet in sample.sheets:
                assert grid(fresh, sheet.name) == grid(kept, sheet.name), (sample.name, sheet.name)


def test_sample_files_hold_the_truth():
    quarter = msd.SAMPLE_DIR / msd.QUARTER_DIR
    for sample in msd.files():
        if sample.status == "not-a-form":
            continue
        path = quarter / sample.name
        for sheet in sample.sheets:
            if not sheet.form_id:
                continue
            rows = csv_grid(path, sample.options["encoding"], sample.options["delimiter"]) \
                if sample.fmt == "csv" else grid(path, sheet.name)
            flags = set(b.flag_codes(sheet.form_id))
            written = [r for r in msd.written_rows() if r.file == sample.name and r.sheet == sheet.name]
            assert written
            for row in written:
                for indicator, expected in row.values.items():
                    got = cell(rows, row.cells[indicator])
                    assert (flag_of(got) if indicator in flags else count_of(got)) == expected, \
                        (sample.name, row.unit_name, indicator)


def test_sample_bad_file_problems_are_where_the_truth_says():
    (bad,) = msd.bad_files()
    rows = grid(msd.SAMPLE_DIR / msd.QUARTER_DIR / bad.name, bad.sheets[0].name)
    by_code = {p.code: p for p in bad.problems}
    assert set(by_code) == {"rule-failed", "total-mismatch", "unknown-unit"}
    rule = by_code["rule-failed"]
    sheet = bad.sheets[0]
    households = cell(rows, sheet.cell_of(msd.BAD_VILLAGE_RULE, "households"))
    assert cell(rows, rule.cell) > households
    total = by_code["total-mismatch"]
    column = total.cell.rstrip("0123456789")
    data_sum = sum(count_of(cell(rows, f"{column}{r + 1}")) for r in sheet.data_rows.values())
    assert count_of(cell(rows, total.cell)) == data_sum + msd.TOTAL_ERROR[1]
    assert cell(rows, by_code["unknown-unit"].cell) == msd.UNKNOWN_NAME
    assert msd.UNKNOWN_NAME not in {v.name for v in msd.VILLAGES if v.parent_code == msd.BAD_COMMUNE}


def test_sample_folder_contents():
    quarter = msd.SAMPLE_DIR / msd.QUARTER_DIR
    assert sum(p.stat().st_size for p in msd.SAMPLE_DIR.rglob("*") if p.is_file()) < 1_000_000
    senders = {f.sender for f in msd.files() if f.sender}
    assert msd.MISSING_COMMUNE not in senders
    assert senders == {c.code for c in msd.COMMUNES} - {msd.MISSING_COMMUNE}
    suffixes = {Path(f.name).suffix for f in msd.files()}
    assert suffixes >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
    assert any(f.fmt == "csv" and f.options["encoding"] == "cp1258" and f.options["delimiter"] == ";"
               for f in msd.files())
    assert any(s.vertical for f in msd.files() for s in f.sheets)
    assert any(len(f.forms) == 2 for f in msd.files())
    assert (quarter / "ghi chu.txt").exists()
    assert (msd.SAMPLE_DIR / "README.md").exists()
    for sample in msd.good_files():
        for form in sample.forms:
            assert form in msd.FORMS


def test_expected_totals_add_up():
    villages = msd.village_values()
    assert not any(code.startswith(msd.BAD_COMMUNE) for code in villages)
    assert not any(code.startswith(msd.MISSING_COMMUNE) for code in villages)
    totals = msd.expected_totals("bieu-01")
    assert totals["households"] == sum(v["households"] for v in villages.values())
    by_district = [msd.expected_totals("bieu-01", d.code)["households"] for d in msd.DISTRICTS]
    assert sum(by_district) == totals["households"]
    communes = msd.commune_values()
    assert set(communes) == {c.code for c in msd.COMMUNES} - {msd.MISSING_COMMUNE}
    t2 = msd.expected_totals("bieu-02")
    assert t2["crimes_reported"] == t2["crimes_theft"] + t2["crimes_robbery"] + t2["crimes_other"]
    for values in list(villages.values()) + list(communes.values()):
        form = "bieu-01" if "households" in values else "bieu-02"
        assert broken_rules(form, values) == []
    assert msd.expected_missing("bieu-01") == [("99207", "not-sent"), ("99303", "rejected")]
    assert msd.expected_missing("bieu-02") == [("99207", "not-sent")]
    assert msd.expected_missing_any() == [("99207", "not-sent")]
