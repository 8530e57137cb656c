"""parsing.py: extracting the records of a located table."""

from __future__ import annotations

import dataclasses

import pytest

from antq_cli.forms import load_forms
from antq_cli.memo import Memo
from antq_cli.model import CellError, Grid
from antq_cli.outputs.messages import render
from antq_cli.table.layout import Table
from antq_cli.table.parsing import extract
from antq_cli.text import column_letter

FORMS = load_forms()


def test_column_letters_beyond_z():
    form = FORMS.forms["bieu-01"]
    columns = {ind.code: 700 + i for i, ind in enumerate(form.indicators)}
    rows = [[None] * 720 for _ in range(3)]
    rows[2][700:711] = [1.0] * 10 + ["Đạt"]
    grid = Grid("S", rows)
    table = Table(form=form, sheet="S", vertical=False, header_top=0, header_bottom=1,
                  columns=columns, name_col=0, data_rows=[2])
    record = extract(grid, table).records[0]
    assert record.cells["meetings"] == column_letter(700) + "3"
    assert record.values["village_safe"] == 1


# -- cells that must never be read as a figure -------------------------------------------------

def _read(cells: list, form_id: str = "bieu-01", form=None):
    """extract over one data row whose first indicators hold `cells` (the rest 0)."""
    form = form or FORMS.forms[form_id]
    columns = {ind.code: 2 + i for i, ind in enumerate(form.indicators)}
    row = ["Thôn 1", None] + [0.0] * len(form.indicators)
    row[2:2 + len(cells)] = cells
    grid = Grid("S", [["h"] * len(row), row])
    table = Table(form=form, sheet="S", vertical=False, header_top=0, header_bottom=0,
                  columns=columns, name_col=0, data_rows=[1])
    return extract(grid, table)


def test_an_excel_error_is_an_error_naming_its_cell_never_a_blank():
    found = _read([CellError("#REF!")] + [0.0] * 9 + [CellError("#N/A")])
    assert [(p.code, p.cell, p.params["value"]) for p in found.problems] == [
        ("excel-error", "C2", "#REF!"), ("excel-error", "M2", "#N/A")]
    assert render(found.problems[0], "vi").startswith("Ô C2 chứa lỗi #REF!")


@pytest.mark.parametrize("cell", [1e30, 1e10, 1_000_000_001.0, "3.000.000.000.000.000.000.000",
                                  "1" * 32_767, "9" * 19, "1000000001"])
def test_a_count_past_the_form_s_largest_is_too_large(cell):
    [problem] = _read([cell]).problems
    assert (problem.code, problem.params["maximum"]) == ("too-large", 10**9)
    assert len(render(problem, "en")) < 300  # a 32,767-digit cell is quoted by its ends
    assert _read([cell]).records[0].values["meetings"] == 0


def test_the_largest_count_is_the_form_s():
    form = FORMS.forms["bieu-01"]
    small = dataclasses.replace(form, memo=Memo(8), indicators=tuple(
        dataclasses.replace(ind, ceiling=100) for ind in form.indicators))
    assert [p.code for p in _read([101.0], form=small).problems] == ["too-large"]
    assert _read([100.0], form=small).problems == []
    assert [p.code for p in _read(["101"], form=small).problems] == ["too-large"]


def test_twelve_thousand_with_a_decimal_comma_is_asked_not_read_as_twelve():
    [problem] = _read(["12,000"]).problems
    assert (problem.code, problem.params["vi"], problem.params["en"]) == (
        "ambiguous-number", "12", "12000")
    # Another cell that only reads the English way settles the column.
    form = FORMS.forms["bieu-01"]
    columns = {ind.code: 2 + i for i, ind in enumerate(form.indicators)}
    rows = [["h"] * 14] + [["Thôn " + str(n), None] + [0.0] * 11 for n in range(2)]
    rows[1][2], rows[2][2] = "12,000", "1,234,567"
    table = Table(form=form, sheet="S", vertical=False, header_top=0, header_bottom=0,
                  columns=columns, name_col=0, data_rows=[1, 2])
    found = extract(Grid("S", rows), table)
    assert found.problems == [] and [r.values["meetings"] for r in found.records] == [
        12000, 1234567]
