"""The faster header fill, column paths and row tests give what the plain versions gave.

Merged ranges are generated overlapping, reaching past the sheet and in any order, since the
blanking of continued cells in `column_paths` is only exact where no two ranges overlap.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli.table import layout
from antq_cli.table import rows
from antq_cli.forms import load_forms
from antq_cli.table.headers import Filled, column_paths, matcher
from antq_cli.model import Grid
from antq_cli.text import clean

from .test_locate_perf import reference_column_paths

TEXTS = ["", " ", "Số hộ", "Tổng số", "STT", "Họp dân", "Số buổi", "x", "(1)", "2", "a"]
CELLS = st.one_of(st.none(), st.sampled_from(TEXTS),
                  st.floats(0, 3), st.integers(0, 12), st.booleans())
RANGES = st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 8), st.integers(0, 8))


def reference_row(filled: Filled, row: int) -> list[str]:
    cells = filled.grid.rows[row] if 0 <= row < len(filled.grid.rows) else []
    texts = [clean(v) if isinstance(v, str) else "" for v in cells[: filled.width]]
    texts += [""] * (filled.width - len(texts))
    for col, origin in enumerate(filled.origins(row) or ()):
        if origin is not None:
            value = filled.grid.value(*origin)
            texts[col] = clean(value) if isinstance(value, str) else ""
    return texts


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


_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,3}|[a-z])\s*\)?$")


def reference_is_column_numbers(figures: list, name: object) -> bool:
    numbers = []
    for value in figures:
        match = _COLUMN_NUMBER.match(rows._text(value).lower())
        if not match:
            return False
        numbers.append(match.group(1))
    name_text = rows._text(name).lower()
    if name_text and not _COLUMN_NUMBER.match(name_text):
        return False
    digits = [int(n) for n in numbers if n.isdigit()]
    return len(digits) < 2 or all(b > a for a, b in zip(digits, digits[1:]))


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
    expected = [clean(v) for row in rows[:max(last_row, 0)] for v in row
                if isinstance(v, str) and v.strip()]
    assert layout._title_lines(Grid("s", rows), last_row) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, max_size=8))
def test_has_number(figures: list) -> None:
    assert rows._has_number(tuple(figures)) == any(map(rows.looks_numeric, figures))
