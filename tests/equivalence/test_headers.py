"""headers.py: the header fill, column paths and labelled rows give what the plain ones give.

The plain versions are in tests/reference.py. Merged ranges are generated overlapping, reaching
past the sheet and in any order, since the blanking of continued cells in `column_paths` is only
exact where no two ranges overlap.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli.forms import load_forms
from antq_cli.model import Grid
from antq_cli.table.headers import Filled, column_paths, matcher
from tests.helpers import GRID_CELLS
from tests.reference import reference_column_paths, reference_row

pytestmark = pytest.mark.equivalence

RANGES = st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 8), st.integers(0, 8))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(GRID_CELLS, max_size=8), min_size=1, max_size=8),
       st.lists(RANGES, max_size=8))
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


HEADER_CELLS = st.one_of(st.none(), st.sampled_from(["", " ", "Số hộ", "Tổng số", "STT",
                                                     "Họp dân", "Số buổi", "x"]), st.floats(0, 3))
SMALL_RANGES = st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 5), st.integers(0, 5))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(HEADER_CELLS, max_size=5), min_size=1, max_size=5),
       st.lists(SMALL_RANGES, max_size=4))
def test_column_paths_and_labelled_rows(rows: list, ranges: list) -> None:
    merged = [(r0, c0, max(r0, r1), max(c0, c1)) for r0, c0, r1, c1 in ranges]
    grid = Grid("s", rows, merged)
    memo = matcher(load_forms(None))
    filled = Filled(grid, 43)
    for bottom in range(len(rows)):
        for top in range(bottom + 1):
            assert column_paths(filled, top, bottom, filled.width) == \
                reference_column_paths(filled, top, bottom, filled.width)
    labelled = filled.labelled_rows(memo, len(rows))
    for row in range(len(rows)):
        if row not in labelled:
            assert filled.hits(row, memo) == 0
