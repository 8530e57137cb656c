"""Every problem the pipeline can report, from a real file: severity, code, where, messages.

Each test writes a submission with one known fault (builders.py), runs the library and checks
the problem it must give: its severity, code, sheet, cell (A1), indicator, and that the
Vietnamese and English messages name the value at fault.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest

from antq_cli.forms import load_forms
from antq_cli.model import ACCEPTED, ERROR, REJECTED, SKIPPED, WARNING, Problem
from antq_cli.outputs.messages import PROBLEMS, render
from antq_cli.periods import parse_period_option
from antq_cli.run.merge import merge_files, validate_files
from antq_cli.units.registry import Registry, Unit
from tests import make_sample_data as sample
from tests.builders import (
    Formula,
    Layout,
    a1,
    instructions_sheet,
    table_sheet,
    write_bieu01,
    write_bieu02,
    write_workbook,
)
from tests.helpers import codes, commune_row, only, sender, validate_one, villages

TAN_DUC = "99103"
VILLAGE = "9910302"          # Thôn 2 of Xã Tân Đức, the row the faults go in
Q1 = parse_period_option("2024-Q1")
PLAIN = Layout(total_row=None)


def messages(problem: Problem) -> tuple[str, str]:
    """The problem's Vietnamese and English messages; both must be real sentences."""
    vi, en = render(problem, "vi"), render(problem, "en")
    assert vi and en and vi != en
    assert "{" not in vi and "{" not in en, (vi, en)
    return vi, en


def assert_problem(problem: Problem, severity: str, sheet: str, cell: str, indicator: str,
                   *shown: str, shown_en: tuple[str, ...] | None = None) -> None:
    """Severity, sheet, cell and indicator are as given; both messages show the `shown` texts."""
    assert (problem.severity, problem.sheet, problem.cell, problem.indicator) == (
        severity, sheet, cell, indicator)
    vi, en = messages(problem)
    for text in shown:
        assert text in vi, (text, vi)
    for text in shown if shown_en is None else shown_en:
        assert text in en, (text, en)


def tan_duc_bieu01(folder: Path, change: dict[str, dict] | None = None, layout: Layout = PLAIN,
                   name: str = "BC quy I-2024 xa Tan Duc.xlsx", rows=None, period="Quý I/2024",
                   fmt: str | None = None):
    """Xã Tân Đức's bieu-01 with some villages' values changed; returns (path, sheet)."""
    rows = rows if rows is not None else villages(TAN_DUC)
    change = change or {}
    rows = [(code, name_, {**values, **change.get(code, {})}) for code, name_, values in rows]
    path = folder / name
    return path, write_bieu01(path, sender(TAN_DUC), rows, period, layout, fmt)


def one_cell(tmp_path, forms, registry, indicator: str, value, code: str):
    """Write `value` into Thôn 2's `indicator` cell; return the problem and its expected cell."""
    path, sheet = tan_duc_bieu01(tmp_path, {VILLAGE: {indicator: value}})
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    return only(result, code), sheet, sheet.cell_of(VILLAGE, indicator)


# ------------------------------------------------------------------- cells


@pytest.mark.parametrize(("value", "shown"), [
    ("abc", "abc"), ("12 5", "12 5"), ("1.2.3,4,5", "1.2.3,4,5"),
])
def test_not_a_number(tmp_path, forms, registry, value, shown):
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "households", value, "not-a-number")
    assert_problem(problem, ERROR, sheet.name, cell, "households", f'"{shown}"')


@pytest.mark.parametrize("value", [-3, "-3"])
def test_negative(tmp_path, forms, registry, value):
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "meetings", value, "negative")
    assert_problem(problem, ERROR, sheet.name, cell, "meetings", "-3")


@pytest.mark.parametrize(("value", "shown"), [(12.5, "12.5"), ("12,5", "12,5")])
def test_not_whole(tmp_path, forms, registry, value, shown):
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "households", value, "not-whole")
    assert_problem(problem, ERROR, sheet.name, cell, "households", shown)


def test_ambiguous_number(tmp_path, forms, registry):
    """"1,234" is 1,234 (decimal comma) or 1234 (English grouping): flagged, never guessed."""
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "households", "1,234",
                                    "ambiguous-number")
    assert_problem(problem, ERROR, sheet.name, cell, "households", '"1,234"', "1234")


def test_twelve_thousand_written_with_a_decimal_comma_is_asked(tmp_path, forms, registry):
    """"12,000" reads as 12 only by three zero decimals: asked, never read as 12."""
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "households", "12,000",
                                    "ambiguous-number")
    assert_problem(problem, ERROR, sheet.name, cell, "households", '"12,000"', "12000")


@pytest.mark.parametrize("value", [1e30, "3.000.000.000.000.000.000.000", "7" * 32_767])
def test_too_large(tmp_path, forms, registry, value):
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "households", value, "too-large")
    assert_problem(problem, ERROR, sheet.name, cell, "households", "1.000.000.000",
                   shown_en=("1,000,000,000",))


@pytest.mark.parametrize("value", ["#REF!", "#DIV/0!", "#N/A", Formula("1/0", "#DIV/0!")])
def test_excel_error(tmp_path, forms, registry, value):
    """An error value, typed or saved as a formula's result, is never read as a blank."""
    path, sheet = tan_duc_bieu01(tmp_path, {VILLAGE: {"households": value}},
                                 fmt="xlsx-xlsxwriter" if isinstance(value, Formula) else None)
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    cell = sheet.cell_of(VILLAGE, "households")
    shown = value.value if isinstance(value, Formula) else value
    assert_problem(only(result, "excel-error"), ERROR, sheet.name, cell, "households",
                   f"{cell} chứa lỗi {shown}", shown_en=(f"{cell} holds the error {shown}",))


@pytest.mark.parametrize("value", ["chưa rõ", "7"])
def test_bad_flag(tmp_path, forms, registry, value):
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "village_safe", value, "bad-flag")
    assert_problem(problem, ERROR, sheet.name, cell, "village_safe", str(value))


def test_formula_not_computed_in_a_data_cell(tmp_path, forms, registry):
    """openpyxl saves a formula with no value: the cell is an error, never a silent 0."""
    formula = Formula("E10+E11", 999)
    problem, sheet, cell = one_cell(tmp_path, forms, registry, "households", formula,
                                    "formula-not-computed")
    assert_problem(problem, ERROR, sheet.name, cell, "households", "Excel")


def test_total_not_computed_is_a_warning(tmp_path, forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path, layout=Layout(total_formulas=True))
    result = validate_one(path, forms, registry)
    assert result.status == ACCEPTED
    problem = only(result, "total-not-computed")
    first_indicator_col = min(sheet.columns[c] for c in sample.indicator_codes("bieu-01"))
    assert_problem(problem, WARNING, sheet.name, a1(sheet.total_row, first_indicator_col), "",
                   "Tổng cộng")


# ------------------------------------------------------------------- rules and totals


def test_rule_failed_names_both_numbers(tmp_path, forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path, {VILLAGE: {"households": 1200,
                                                      "households_attending": 1250}})
    problem = only(validate_one(path, forms, registry), "rule-failed")
    assert_problem(problem, ERROR, sheet.name, sheet.cell_of(VILLAGE, "households_attending"),
                   "households_attending", "1.250", "1.200", "Số hộ tham dự họp", "Tổng số hộ",
                   shown_en=("1,250", "1,200"))
    assert problem.unit == "Thôn 2"


def test_rule_failed_on_a_sum(tmp_path, forms, registry):
    """bieu-02: crimes_reported = theft + robbery + other; the message gives the sum."""
    [(code, name, values)] = commune_row(TAN_DUC)
    values = {**values, "crimes_theft": 3, "crimes_robbery": 1, "crimes_other": 2,
              "crimes_reported": 9}
    path = tmp_path / "xa tan duc bieu 02.xlsx"
    sheet = write_bieu02(path, sender(TAN_DUC), [(code, name, values)], "Quý I/2024")
    problem = only(validate_one(path, forms, registry), "rule-failed")
    assert_problem(problem, ERROR, sheet.name, sheet.cell_of(code, "crimes_reported"),
                   "crimes_reported", "(9)", "(6)")


def test_total_mismatch_names_both_numbers(tmp_path, forms, registry):
    rows = villages(TAN_DUC)
    written = sum(v["households"] for _, _, v in rows) + 1000
    path, sheet = tan_duc_bieu01(tmp_path, layout=Layout(total_override={"households": written}))
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    problem = only(result, "total-mismatch")
    computed = written - 1000
    vi_written, vi_computed = (f"{n:,}".replace(",", ".") for n in (written, computed))
    assert_problem(problem, ERROR, sheet.name, sheet.total_cell("households"), "households",
                   vi_written, vi_computed, "Tổng cộng",
                   shown_en=(f"{written:,}", f"{computed:,}"))


def test_total_row_is_never_added(tmp_path, forms, registry):
    rows = villages(TAN_DUC)
    path, _ = tan_duc_bieu01(tmp_path, rows=rows, layout=Layout(total_row="top"))
    result = merge_files([path], forms, registry)
    assert result.files[0].status == ACCEPTED
    totals = result.rollup.values[TAN_DUC]
    assert totals["households"] == sum(v["households"] for _, _, v in rows)


# ------------------------------------------------------------------- the table's shape


def _without_column(sheet, indicator):
    col = sheet.columns[indicator]
    sheet.cells = {(r, c): v for (r, c), v in sheet.cells.items() if c != col}
    return sheet


def test_missing_column(tmp_path, forms, registry):
    sheet = table_sheet("bieu-01", sender(TAN_DUC), villages(TAN_DUC), "Quý I/2024",
                        Layout(header_rows=1, column_numbers=None, total_row=None))
    path = tmp_path / "xa tan duc.xlsx"
    write_workbook(path, [_without_column(sheet, "security_teams")], "xlsx")
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    problem = only(result, "missing-column")
    assert_problem(problem, ERROR, sheet.name, "", "security_teams", "Số Tổ an ninh nhân dân",
                   "bieu-01")


def test_duplicate_column(tmp_path, forms, registry):
    sheet = table_sheet("bieu-01", sender(TAN_DUC), villages(TAN_DUC), "Quý I/2024",
                        Layout(header_rows=1, column_numbers=None, total_row=None,
                               notes_and_signature=False))
    col, extra = sheet.columns["households"], sheet.n_cols
    for (r, c), value in list(sheet.cells.items()):
        if c == col and r >= sheet.header_rows[0]:
            sheet.cells[(r, extra)] = value
    path = tmp_path / "xa tan duc.xlsx"
    write_workbook(path, [sheet], "xlsx")
    problem = only(validate_one(path, forms, registry), "duplicate-column")
    first, other = a1(sheet.header_rows[0], col), a1(sheet.header_rows[0], extra)
    assert_problem(problem, ERROR, sheet.name, other, "households", first, other)


def test_empty_form(tmp_path, forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path, rows=[])
    result = validate_one(path, forms, registry)
    problem = only(result, "empty-form")
    assert_problem(problem, WARNING, sheet.name, "", "", "bieu-01")
    assert result.records == []


# ------------------------------------------------------------------- units


def test_unknown_unit_suggests_the_closest_names(tmp_path, forms, registry):
    rows = [(None if code == "9910304" else code, "Thôn Đồng Tầm" if code == "9910304" else n, v)
            for code, n, v in villages(TAN_DUC)]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows)
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    problem = only(result, "unknown-unit")
    cell = a1(sheet.data_rows["Thôn Đồng Tầm"], sheet.columns["name"])
    assert_problem(problem, ERROR, sheet.name, cell, "", "Thôn Đồng Tầm", "Thôn Đồng Tâm",
                   "Xã Tân Đức")
    assert problem.unit == "Thôn Đồng Tầm"


def test_unknown_unit_code(tmp_path, forms, registry):
    rows = [("9919999" if code == VILLAGE else code, n, v) for code, n, v in villages(TAN_DUC)]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows, layout=Layout(total_row=None,
                                                                    code_column=True))
    problem = only(validate_one(path, forms, registry), "unknown-unit")
    assert problem.severity == ERROR
    assert "9919999" in render(problem, "vi") and "9919999" in render(problem, "en")


def test_ambiguous_unit(tmp_path, forms):
    """Two villages of one commune fold to the same name without diacritics."""
    units = [Unit(u.code, u.name, u.level, u.parent_code or None) for u in sample.REGISTRY]
    units.append(Unit("9910399", "Thôn Tân Hóa", "village", TAN_DUC))
    registry = Registry.from_units(units)
    rows = [(None if code == "9910303" else code, "thon tan hoa" if code == "9910303" else n, v)
            for code, n, v in villages(TAN_DUC)]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows)
    problem = only(validate_one(path, forms, registry), "ambiguous-unit")
    cell = a1(sheet.data_rows["thon tan hoa"], sheet.columns["name"])
    assert_problem(problem, ERROR, sheet.name, cell, "", "thon tan hoa", "9910303", "9910399")


def test_unit_outside_sender(tmp_path, forms, registry):
    """A code column naming a village of Xã Sơn Mỹ in Xã Tân Đức's file."""
    rows = [("9910503" if code == VILLAGE else code, n, v) for code, n, v in villages(TAN_DUC)]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows,
                                 layout=Layout(total_row=None, code_column=True))
    problem = only(validate_one(path, forms, registry), "unit-outside-sender")
    row = sheet.data_rows["9910503"]
    assert problem.cell in (a1(row, sheet.columns["name"]), a1(row, sheet.columns["code"]))
    assert_problem(problem, ERROR, sheet.name, problem.cell, "", "Thôn 3", "Xã Tân Đức")


def test_wrong_level(tmp_path, forms, registry):
    """A commune's code on a row of bieu-01, whose rows are villages."""
    rows = [(TAN_DUC if code == VILLAGE else code, n, v) for code, n, v in villages(TAN_DUC)]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows,
                                 layout=Layout(total_row=None, code_column=True))
    problem = only(validate_one(path, forms, registry), "wrong-level")
    assert problem.severity == ERROR and problem.sheet == sheet.name
    vi, en = messages(problem)
    assert "Xã Tân Đức" in vi and "bieu-01" in vi and "Xã Tân Đức" in en


def test_duplicate_unit(tmp_path, forms, registry):
    rows = villages(TAN_DUC)
    rows = rows + [(None, rows[1][1], rows[1][2])]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows)
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    problem = only(result, "duplicate-unit")
    first, second = sheet.data_rows[VILLAGE] + 1, sheet.data_rows["Thôn 2"] + 1
    assert_problem(problem, ERROR, sheet.name, problem.cell, "", "Thôn 2", str(first),
                   str(second))
    assert problem.cell.endswith(str(second))


def test_unnamed_row(tmp_path, forms, registry):
    rows = [(code, "" if code == VILLAGE else n, v) for code, n, v in villages(TAN_DUC)]
    path, sheet = tan_duc_bieu01(tmp_path, rows=rows)
    problem = only(validate_one(path, forms, registry), "unnamed-row")
    assert problem.severity == ERROR
    assert problem.sheet == sheet.name
    assert problem.cell.endswith(str(sheet.data_rows[VILLAGE] + 1))
    messages(problem)


def test_sender_unknown(tmp_path, forms, registry):
    """No unit line, a file name without a unit, and villages ("Thôn 1", "Thôn 2") that
    several communes have: nobody can tell who sent it."""
    rows = [(code, n, v) for code, n, v in villages(TAN_DUC) if n in ("Thôn 1", "Thôn 2")]
    path, _ = tan_duc_bieu01(tmp_path, rows=rows, layout=Layout(unit_line=None, total_row=None),
                             name="bao cao quy I-2024.xlsx")
    result = validate_one(path, forms, registry)
    problem = only(result, "sender-unknown")
    assert problem.severity == WARNING
    assert result.unit == ""
    vi, en = messages(problem)
    assert "Đơn vị báo cáo" in vi and "commune" in en


# ------------------------------------------------------------------- periods


def test_period_not_found(tmp_path, forms, registry):
    path, _ = tan_duc_bieu01(tmp_path, period="", name="bao cao xa Tan Duc.xlsx")
    result = validate_one(path, forms, registry, Q1)
    problem = only(result, "period-not-found")
    assert problem.severity == WARNING
    assert result.status == ACCEPTED
    assert result.period == "2024-Q1"
    vi, en = messages(problem)
    assert "2024" in vi and "2024" in en


def test_wrong_period(tmp_path, forms, registry):
    path, _ = tan_duc_bieu01(tmp_path, period="Quý IV/2023", name="xa Tan Duc.xlsx")
    result = validate_one(path, forms, registry, Q1)
    assert result.status == REJECTED
    problem = only(result, "wrong-period")
    assert problem.severity == ERROR
    assert result.period == "2023-Q4"
    vi, en = messages(problem)
    assert "2023" in vi and "2024" in vi and "2023" in en and "2024" in en


def test_wrong_period_against_the_other_files(tmp_path, forms, registry):
    """Without --period, the most common period of the folder wins; the odd file is rejected."""
    tan_duc_bieu01(tmp_path)
    for code in ("99105", "99101"):
        write_bieu01(tmp_path / f"{code}.xlsx", sender(code), villages(code), "Quý I/2024")
    write_bieu01(tmp_path / "99201.xlsx", sender("99201"), villages("99201"), "Quý IV/2023")
    result = merge_files(sorted(tmp_path.iterdir()), forms, registry)
    assert result.period.code == "2024-Q1"
    by_name = {Path(f.path).name: f for f in result.files}
    assert by_name["99201.xlsx"].status == REJECTED
    assert codes(by_name["99201.xlsx"]) == ["wrong-period"]


def test_window_mismatch_names_the_title_s_and_the_window_s(tmp_path, forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path)
    grid = sheet.rows()
    window_at = next((r, c) for r, line in enumerate(grid) for c, v in enumerate(line)
                     if isinstance(v, str) and v.startswith("(Số liệu tính từ"))
    sheet.cells[window_at] = "(Số liệu tính từ ngày 15/3/2024 đến ngày 14/6/2024)"
    write_workbook(path, [sheet])
    result = validate_one(path, forms, registry)
    problem = only(result, "window-mismatch")
    assert problem.severity == WARNING and result.status == ACCEPTED
    assert result.period == "2024-Q1"  # the title's
    vi, en = messages(problem)
    assert "Quý I/2024" in vi and "Quý II/2024" in vi and "Q1 2024" in en and "Q2 2024" in en


# ------------------------------------------------------------------- files against files


def test_conflict_names_both_files_and_prefer_newest_resolves_it(tmp_path, forms, registry):
    first, _ = tan_duc_bieu01(tmp_path, name="xa Tan Duc lan 1.xlsx")
    second, _ = tan_duc_bieu01(tmp_path, {VILLAGE: {"meetings": 9}}, name="xa Tan Duc lan 2.xlsx")
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_700_100_000, 1_700_100_000))

    result = merge_files([first, second], forms, registry)
    for this, other in ((first, second), (second, first)):
        file = next(f for f in result.files if f.path == str(this))
        assert file.status == REJECTED
        problem = only(file, "conflict")
        assert problem.severity == ERROR
        vi, en = messages(problem)
        assert str(other) in vi and str(other) in en and "--prefer newest" in vi
        before = next(v["meetings"] for code, _, v in villages(TAN_DUC) if code == VILLAGE)
        mine, theirs = (before, 9) if this == first else (9, before)
        assert f"Thôn 2, Số buổi họp dân: {mine} / {theirs}" in vi
        assert "thời gian sửa đổi" in vi and "time on disk" in en
        # "lần 2" marks the second as a correction: the hint points it out.
        assert f'"{second}" được đặt tên là bản sửa' in vi and f'"{second}" is named as a' in en
    assert result.rollup.values[TAN_DUC]["meetings"] == 0
    assert result.exit_code == 1

    result = merge_files([first, second], forms, registry, prefer="newest")
    older, newer = result.files
    assert (older.status, newer.status) == (SKIPPED, ACCEPTED)
    problem = only(older, "superseded")
    assert problem.severity == WARNING
    assert str(second) in render(problem, "vi") and str(second) in render(problem, "en")
    assert "thời gian sửa đổi" in render(problem, "vi") and "times on disk" in render(problem, "en")
    expected = sum(v["meetings"] for code, _, v in villages(TAN_DUC) if code != VILLAGE) + 9
    assert result.rollup.values[TAN_DUC]["meetings"] == expected


def test_prefer_newest_never_guesses_between_files_saved_at_the_same_time(tmp_path, forms,
                                                                          registry):
    first, _ = tan_duc_bieu01(tmp_path, name="xa Tan Duc lan 1.xlsx")
    second, _ = tan_duc_bieu01(tmp_path, {VILLAGE: {"meetings": 9}}, name="xa Tan Duc lan 2.xlsx")
    for path in (first, second):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    result = merge_files([first, second], forms, registry, prefer="newest")
    assert [f.status for f in result.files] == [REJECTED, REJECTED]
    for file in result.files:
        vi, en = messages(only(file, "conflict"))
        assert "cùng thời gian sửa đổi" in vi and "same time" in en
    assert result.rollup.values[TAN_DUC]["meetings"] == 0


def test_identical_copy_counts_once(tmp_path, forms, registry):
    original, _ = tan_duc_bieu01(tmp_path)
    copy = tmp_path / "Copy of BC quy I-2024 xa Tan Duc.xlsx"
    shutil.copy(original, copy)
    result = merge_files(sorted([original, copy]), forms, registry)
    statuses = sorted(f.status for f in result.files)
    assert statuses == [ACCEPTED, SKIPPED]
    skipped = next(f for f in result.files if f.status == SKIPPED)
    problem = only(skipped, "duplicate-file")
    assert problem.severity == WARNING
    accepted = next(f for f in result.files if f.status == ACCEPTED)
    assert accepted.path in render(problem, "vi") and accepted.path in render(problem, "en")
    households = sum(v["households"] for _, _, v in villages(TAN_DUC))
    assert result.rollup.values[TAN_DUC]["households"] == households


# ------------------------------------------------------------------- legacy text

_TCVN3_ROWS = (  # TCVN3 (ABC) code points, written out from the standard's table
    ("µ¸¶·¹", "àáảãạ"), ("»¾¼½Æ", "ằắẳẵặ"), ("ÇÊÈÉË", "ầấẩẫậ"), ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ÒÕÓÔÖ", "ềếểễệ"), ("×ÝØÜÞ", "ìíỉĩị"), ("ßãáâä", "òóỏõọ"), ("åèæçé", "ồốổỗộ"),
    ("êíëìî", "ờớởỡợ"), ("ïóñòô", "ùúủũụ"), ("õøö÷ù", "ừứửữự"), ("úýûüþ", "ỳýỷỹỵ"),
    ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"), ("¨©ª«¬\xad®", "ăâêôơưđ"),
)
_TO_TCVN3 = {letter: byte for bytes_, letters in _TCVN3_ROWS
             for byte, letter in zip(bytes_, letters, strict=True)}


def to_tcvn3(text: str) -> str:
    """Text as a .VnTime typist leaves it (no toned capitals: those come out small)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        out.append(_TO_TCVN3.get(char) or _TO_TCVN3.get(char.lower(), char))
    return "".join(out)


def test_legacy_tcvn3_workbook_is_read(tmp_path, forms, registry):
    rows = villages(TAN_DUC)
    sheet = table_sheet("bieu-01", sender(TAN_DUC), rows, "Quý I/2024", Layout(header_rows=1))
    sheet.cells = {k: to_tcvn3(v) if isinstance(v, str) else v for k, v in sheet.cells.items()}
    assert "Sè buæi häp d©n" in sheet.cells.values()
    path = tmp_path / "xa tan duc (VnTime).xlsx"
    write_workbook(path, [sheet], "xlsx")
    result = validate_one(path, forms, registry)
    assert result.status == ACCEPTED, result.problems
    problem = only(result, "legacy-encoding")
    assert problem.severity == WARNING and problem.sheet == sheet.name
    vi, en = messages(problem)
    assert "TCVN3" in vi and "TCVN3" in en
    assert result.unit == TAN_DUC
    assert {r.unit: r.values for r in result.records} == {c: v for c, _, v in rows}


# ------------------------------------------------------------------- files that are not forms


def _truncated_zip(path: Path) -> None:
    write_bieu01(path, sender(TAN_DUC), villages(TAN_DUC), "Quý I/2024")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(("name", "make"), [
    ("truncated.xlsx", _truncated_zip),
    ("random.xlsx", lambda p: p.write_bytes(bytes(range(256)) * 40)),
    ("random.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(range(256)) * 40)),
    ("empty.xlsx", lambda p: p.write_bytes(b"")),
    ("broken.ods", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200)),
])
def test_unreadable_file(tmp_path, forms, registry, name, make):
    path = tmp_path / name
    make(path)
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    problem = only(result, "unreadable-file")
    assert problem.severity == ERROR
    assert problem.file == str(path)
    vi, en = messages(problem)
    assert ".xlsx" in vi and ".xlsx" in en


@pytest.mark.parametrize("name", ["ghi chu.txt", "anh chup.jpg"])
def test_not_a_spreadsheet_is_skipped(tmp_path, forms, registry, name):
    path = tmp_path / name
    path.write_text("Xã Đông Thạnh chưa gửi báo cáo.\n", encoding="utf-8")
    result = validate_one(path, forms, registry)
    assert result.status == SKIPPED
    problem = only(result, "not-a-spreadsheet")
    assert problem.severity == WARNING
    messages(problem)


def test_no_form_found(tmp_path, forms, registry):
    path = tmp_path / "huong dan.xlsx"
    write_workbook(path, [instructions_sheet("bieu-01")], "xlsx")
    result = validate_one(path, forms, registry)
    assert result.status == REJECTED
    assert codes(result) == ["no-form-found"]
    vi, en = messages(result.problems[0])
    assert "bieu-01" in vi and "bieu-02" in en


def test_sheet_skipped(tmp_path, forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path, layout=Layout(total_row=None, extra_sheets=True))
    result = validate_one(path, forms, registry)
    assert result.status == ACCEPTED
    skipped = [p for p in result.problems if p.code == "sheet-skipped"]
    assert [p.sheet for p in skipped] == ["Hướng dẫn", "Danh sách"]
    for problem in skipped:
        assert problem.severity == WARNING
        vi, en = messages(problem)
        assert problem.sheet in vi and problem.sheet in en


# ------------------------------------------------------------------- form options


@pytest.fixture
def strict_forms(tmp_path):
    """The default forms with a maximum on meetings and tips_received marked required."""
    folder = tmp_path / "schemas"
    shutil.copytree(sample.ROOT / "schemas", folder)
    form = folder / "bieu-01.toml"
    text = form.read_text(encoding="utf-8")
    text = text.replace('code = "meetings"\n', 'code = "meetings"\nmax = 31\n', 1)
    text = text.replace('code = "tips_received"\n', 'code = "tips_received"\nrequired = true\n', 1)
    form.write_text(text, encoding="utf-8")
    return load_forms(folder)


def test_above_maximum(tmp_path, strict_forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path, {VILLAGE: {"meetings": 45}})
    problem = only(validate_one(path, strict_forms, registry), "above-maximum")
    assert_problem(problem, ERROR, sheet.name, sheet.cell_of(VILLAGE, "meetings"), "meetings",
                   "45", "31")


def test_missing_value_of_a_required_indicator(tmp_path, strict_forms, registry):
    path, sheet = tan_duc_bieu01(tmp_path, {VILLAGE: {"tips_received": None}})
    problem = only(validate_one(path, strict_forms, registry), "missing-value")
    assert_problem(problem, ERROR, sheet.name, sheet.cell_of(VILLAGE, "tips_received"),
                   "tips_received", "Số tin báo liên quan ANTT")


# ------------------------------------------------------------------- the run goes on


def test_every_problem_code_has_both_messages():
    for code, (vi, en) in PROBLEMS.items():
        assert vi.strip() and en.strip() and vi != en, code


def test_a_rejected_file_never_stops_a_merge(tmp_path, forms, registry):
    good = {}
    for code in ("99101", "99105", "99201"):
        write_bieu01(tmp_path / f"{code}.xlsx", sender(code), villages(code), "Quý I/2024",
                     Layout(total_row=None))
        good[code] = villages(code)
    alone = merge_files(sorted(tmp_path.iterdir()), forms, registry)

    tan_duc_bieu01(tmp_path, {VILLAGE: {"households": "abc"}})
    _truncated_zip(tmp_path / "hong.xlsx")
    (tmp_path / "ghi chu.txt").write_text("ghi chú", encoding="utf-8")
    (tmp_path / "rong.csv").write_bytes(b"")
    paths = sorted(tmp_path.iterdir())
    result = merge_files(paths, forms, registry)

    assert sorted(f.path for f in result.files) == sorted(str(p) for p in paths)
    status = {Path(f.path).name: f.status for f in result.files}
    assert status["BC quy I-2024 xa Tan Duc.xlsx"] == REJECTED
    assert status["hong.xlsx"] == REJECTED
    assert status["ghi chu.txt"] == SKIPPED
    assert [status[f"{code}.xlsx"] for code in good] == [ACCEPTED] * 3
    assert result.rollup.totals() == alone.rollup.totals()
    for code, rows in good.items():
        assert result.rollup.values[code]["households"] == sum(v["households"] for _, _, v in rows)
    assert result.rollup.values[TAN_DUC]["households"] == 0
    assert result.exit_code == 1


def test_validate_reports_every_file_once(tmp_path, forms, registry):
    tan_duc_bieu01(tmp_path)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    _truncated_zip(tmp_path / "hong.xlsx")
    paths = sorted(tmp_path.iterdir())
    results = validate_files(paths, forms, registry)
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [r.status for r in results] == [ACCEPTED, REJECTED, SKIPPED]


def test_problems_carry_their_file(tmp_path, forms, registry):
    path, _ = tan_duc_bieu01(tmp_path, {VILLAGE: {"households": "abc", "meetings": -1}})
    result = validate_one(path, forms, registry)
    assert {p.file for p in result.problems} == {str(path)}
    assert zipfile.is_zipfile(path)
