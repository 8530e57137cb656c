"""compare.py: this period against an earlier one (`antq merge --compare`), and how they relate."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from antq_cli.forms import load_forms
from antq_cli.outputs.words import format_number
from antq_cli.periods import Period, parse_period_option
from antq_cli.run.compare import (
    OTHER,
    PREVIOUS_PERIOD,
    SAME_PERIOD_LAST_YEAR,
    previous_period,
    relation,
)
from tests import make_sample_data as sample
from tests.helpers import merge_cli, printed_cells, program_words

ROOT = Path(__file__).resolve().parents[2]


def test_compare_with_the_same_quarter_last_year(quarters):
    base, truth = quarters
    code, output = merge_cli(str(base / "2024-Q1"), "--compare", str(base / "2023-Q1"),
                          "--format", "json")
    assert code == 0
    data = json.loads(output)
    compare = data["compare"]
    assert compare["relation"] == SAME_PERIOD_LAST_YEAR and compare["period"] == "2023-Q1"
    now, before = truth["2024-Q1"]["totals"], truth["2023-Q1"]["totals"]
    for key, value in now.items():
        change = compare["totals"][key]
        assert data["totals"][key] == value
        assert change["previous"] == before[key]
        assert change["change"] == value - before[key]
        expected = None if before[key] == 0 else (value - before[key]) / before[key] * 100
        assert change["percent"] == (None if expected is None else pytest.approx(expected, abs=1e-6))
    safe = compare["rates"]["village_safe_rate"]
    assert safe["previous"]["numerator"] == truth["2023-Q1"]["safe"]
    assert safe["previous"]["denominator"] == len(sample.VILLAGES)
    points = (truth["2024-Q1"]["safe"] - truth["2023-Q1"]["safe"]) / len(sample.VILLAGES) * 100
    assert safe["points"] == pytest.approx(points, abs=1e-6)


def test_compare_with_the_previous_quarter_from_its_summary_workbook(quarters, tmp_path):
    base, truth = quarters
    summary = tmp_path / "tong hop 2023-Q4.xlsx"
    code, _ = merge_cli(str(base / "2023-Q4"), "-o", str(summary))
    assert code == 0 and summary.exists()
    code, output = merge_cli(str(base / "2024-Q1"), "--compare", str(summary), "--format", "json")
    compare = json.loads(output)["compare"]
    assert compare["relation"] == PREVIOUS_PERIOD and compare["period"] == "2023-Q4"
    assert {k: v["previous"] for k, v in compare["totals"].items()} == truth["2023-Q4"]["totals"]


def test_compare_columns_in_the_terminal_and_the_workbook(quarters, tmp_path):
    base, truth = quarters
    out = tmp_path / "q1.xlsx"
    code, output = merge_cli(str(base / "2024-Q1"), "--compare", str(base / "2023-Q1"), "-o",
                          str(out))
    assert code == 0
    assert "So với cùng kỳ: Quý I/2023" in output
    assert "Cùng kỳ (Quý I/2023)" in output and "Tăng/giảm" in output
    now, before = truth["2024-Q1"]["totals"], truth["2023-Q1"]["totals"]
    change = now["households"] - before["households"]
    shown = ("+" if change > 0 else "") + format_number(change, "vi")
    line = next(l for l in output.splitlines() if "Tổng số hộ" in l)
    assert format_number(before["households"], "vi") in line and shown in line
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Tổng hợp").to_python()
    header = next(r for r in rows if "Kỳ này" in r)
    assert "Cùng kỳ (Quý I/2023)" in header and "Tăng/giảm" in header
    households = next(r for r in rows if "Tổng số hộ" in r)
    assert households[3:6] == [now["households"], before["households"], change]
    # On paper: what the figures are compared with, in words, no folder; the change with its
    # sign in a number format, the percentage a number too.
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert "Số liệu so sánh: cùng kỳ năm trước (Quý I/2023)." in texts
    sheet = openpyxl.load_workbook(out)["Tổng hợp"]
    program = program_words(load_forms())
    assert not [c.value for c in printed_cells(sheet)
                if isinstance(c.value, str) and program.search(c.value)]
    [cell] = [c for line in sheet.iter_rows() for c in line if c.value == change]
    assert cell.number_format.startswith("+") and ";-" in cell.number_format


def test_compare_with_nothing_accepted_is_a_usage_error(quarters, tmp_path):
    base, _ = quarters
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "note.txt").write_text("nothing here", encoding="utf-8")
    code, output = merge_cli(str(base / "2024-Q1"), "--compare", str(empty))
    assert code == 2
    assert "Không có tệp nào được nhận" in output


@pytest.mark.parametrize(("current", "earlier", "expected"), [
    ("2024-Q1", "2023-Q1", SAME_PERIOD_LAST_YEAR), ("2024-Q1", "2023-Q4", PREVIOUS_PERIOD),
    ("2024-Q3", "2024-Q2", PREVIOUS_PERIOD), ("2024-H1", "2023-H2", PREVIOUS_PERIOD),
    ("2024-H2", "2024-H1", PREVIOUS_PERIOD), ("2024", "2023", SAME_PERIOD_LAST_YEAR),
    ("2024-03", "2024-02", PREVIOUS_PERIOD), ("2024-01", "2023-12", PREVIOUS_PERIOD),
    ("2024-9M", "2023-9M", SAME_PERIOD_LAST_YEAR), ("2024-Q1", "2022-Q1", OTHER),
    ("2024-Q1", "2024-H1", OTHER),
])
def test_period_relations(current, earlier, expected):
    assert relation(parse_period_option(current), parse_period_option(earlier)) == expected


def test_previous_period_of_nine_months_is_none():
    assert previous_period(Period(2024, "9M", 0)) is None


def test_the_sample_compares_with_its_quarter_last_year():
    code, output = merge_cli(str(ROOT / "sample_data" / "2024-Q1"), "--compare",
                          str(ROOT / "sample_data" / "2023-Q1"), "--format", "json")
    assert code == 1  # the sample's own problems; the comparison does not change the code
    compare = json.loads(output)["compare"]
    assert compare["relation"] == SAME_PERIOD_LAST_YEAR
    assert {k: v["previous"] for k, v in compare["totals"].items()} == \
        sample.expected_last_year_totals()
