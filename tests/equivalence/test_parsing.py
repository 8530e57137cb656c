"""parsing.py: extract's fast paths give what reading every cell with read_figure gives.

The reference (tests/reference.py) is the plain algorithm: every indicator cell of every data
row read by `read_figure` in its column's convention, total rows likewise. Random grids mix the cells
the fast paths take (whole numbers, blanks, 0/1 and text flags, digits typed as text) with
every cell they must leave to it (fractions, negatives, huge, NaN, booleans, dates, grouped
and ambiguous texts, flags that are not flags, formulas without a value, short rows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from antq_cli.forms import load_forms
from antq_cli.model import Grid, Record
from antq_cli.table.layout import Table
from antq_cli.table.parsing import extract
from antq_cli.table.rows import TotalRow
from tests.reference import reference_extract

pytestmark = pytest.mark.equivalence

FORMS = load_forms()

CELLS = [
    0.0, -0.0, 1.0, 3.0, 587.0, 12345.0, 2.5, -3.0, 2.0**53, 2.0**53 + 2, 1e300,
    float("nan"), float("inf"), float("-inf"), True, False, None, None, 5, 0, -2,
    "12", " 12 ", "\xa012", "12\xa0", "007", "1.234", "12.645", "1.234.567", "1,234", "1,5",
    "1.234,5", "-", "x", "", "  ", "Đạt", "Không đạt", "✓", "Có", "abc", "١٢", "²", "-5",
    "+7", "12%", "1 234", "\u200b12", dt.datetime(2024, 3, 1), dt.date(2024, 3, 1),
]
WHOLE = [0.0, 1.0, 2.0, 7.0, 40.0, 587.0, 1234.0] * 3 + [-4.0]
FLAGS = [0.0, 1.0, "Đạt", "x", "✓", "Không", None]


def _form(form_id: str, rng: random.Random):
    """The form, sometimes with bounds, required figures or its flag moved."""
    form = FORMS.forms[form_id]
    indicators = list(form.indicators)
    for index, ind in enumerate(indicators):
        if ind.type != "flag" and rng.random() < 0.15:
            indicators[index] = dataclasses.replace(
                ind, maximum=rng.choice([0, 100, 1000.0, 2.0**60]), required=rng.random() < 0.5)
    if rng.random() < 0.3:
        rng.shuffle(indicators)
    return dataclasses.replace(form, indicators=tuple(indicators))


def _cell(rng: random.Random, flag: bool, kind: float) -> object:
    if rng.random() < kind:
        return rng.choice(FLAGS if flag else WHOLE)
    return rng.choice(CELLS)


def _case(seed: int) -> tuple[Grid, Table]:
    rng = random.Random(seed)
    form = _form(rng.choice(["bieu-01", "bieu-02"]), rng)
    codes = [ind.code for ind in form.indicators]
    present = [code for code in codes if rng.random() < 0.9] or codes[:1]
    first = rng.randint(1, 3)
    columns = dict(zip(present, rng.sample(range(first, first + len(present) + 3),
                                           len(present))))
    flags = {ind.code for ind in form.indicators if ind.type == "flag"}
    width = max(columns.values()) + 1
    kind = rng.choice([1.0, 0.97, 0.8, 0.3])  # how often a cell is an ordinary one
    rows = [["Thôn " + str(r), str(r)] + [None] * (width - 2) for r in range(12)]
    for r in range(3, 12):
        for code, col in columns.items():
            rows[r][col] = _cell(rng, code in flags, kind)
        if rng.random() < 0.1:
            del rows[r][rng.randint(first, width):]  # a short row
    uncomputed = set()
    if rng.random() < 0.1:
        uncomputed = {(rng.randint(2, 11), rng.choice(list(columns.values())))}
    grid = Grid("Biểu", rows, uncomputed=uncomputed)
    data_rows = [r for r in range(3, 12) if r != 8] + ([40] if rng.random() < 0.1 else [])
    totals = [TotalRow(row=8, label="Tổng cộng", scope=data_rows)] if rng.random() < 0.7 else []
    table = Table(form=form, sheet="Biểu", vertical=False, header_top=0, header_bottom=1,
                  columns=columns, name_col=0, code_col=1 if rng.random() < 0.5 else None,
                  data_rows=data_rows, total_rows=totals)
    return grid, table


@pytest.mark.parametrize("seed", range(400))
def test_extract_reads_every_cell_as_read_figure_does(seed):
    grid, table = _case(seed)
    found = extract(grid, table)
    rows, totals, problems = reference_extract(grid, table)
    assert [(r.values, r.cells) for r in found.records] == rows
    assert [repr(r.values) for r in found.records] == [repr(v) for v, _ in rows]  # int vs float
    assert [list(r.values) for r in found.records] == [list(v) for v, _ in rows]  # form order
    assert found.totals == totals
    assert found.problems == problems
    assert all(isinstance(r, Record) for r in found.records)


def test_cells_are_a_new_dict_per_record():
    grid, table = _case(1)
    first, second = extract(grid, table), extract(grid, table)
    assert first.records[0].cells == second.records[0].cells
    assert first.records[0].cells is not second.records[0].cells
