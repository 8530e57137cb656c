"""The faster header fill, column paths and row tests give what the plain versions gave.

Merged ranges are generated overlapping, reaching past the sheet and in any order, since the
blanking of continued cells in `column_paths` is only exact where no two ranges overlap.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli.table import layout
from antq_cli.table import rows
from antq_cli.forms import load_forms
from antq_cli.table.headers import Filled, column_paths, matcher
from antq_cli.model import Grid
from tests.reference import (reference_column_paths, reference_has_number,
                             reference_is_column_numbers, reference_row, reference_title_lines)

TEXTS = ["", " ", "Số hộ", "Tổng số", "STT", "Họp dân", "Số buổi", "x", "(1)", "2", "a"]
CELLS = st.one_of(st.none(), st.sampled_from(TEXTS),
                  st.floats(0, 3), st.integers(0, 12), st.booleans())
RANGES = st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 8), st.integers(0, 8))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=8), min_size=1, max_size=8), st.lists(RANGES, max_size=8))
def test_filled_rows_and_column_paths(rows: list, ranges: list) -> None:
    merged = [(r0, c0, max(r0, r1), max(c0, c1)) for r0, c0, r1, c1 in ranges]
    grid = Grid("s", rows, merged)
    memo = matcher(load_forms(None))
    filled = Filled(grid, 5)  # ranges and rows past the header area too
    for row in range(len(rows) + 1):
        assert filled.row(row) == reference_row(filled, row)
        assert filled.hits(row, memo) == sum(memo.header_like(t) for t in filled.row(row) if t)
    for bottom in range(len(rows)):
        for top in range(bottom + 1):
            assert column_paths(filled, top, bottom, filled.width) == \
                reference_column_paths(filled, top, bottom, filled.width)


@settings(max_examples=1000, deadline=None)
@given(st.lists(CELLS, max_size=8), CELLS)
def test_column_numbers(figures: list, name: object) -> None:
    assert rows._is_column_numbers(figures, name) == reference_is_column_numbers(figures, name)
    increasing = [float(n) for n in range(1, len(figures) + 1)]
    assert rows._is_column_numbers(increasing, name) == \
        reference_is_column_numbers(increasing, name)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=6), max_size=6), st.integers(-1, 7))
def test_title_lines(rows: list, last_row: int) -> None:
    assert layout._title_lines(Grid("s", rows), last_row) == reference_title_lines(rows, last_row)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, max_size=8))
def test_has_number(figures: list) -> None:
    assert rows._has_number(tuple(figures)) == reference_has_number(figures)
