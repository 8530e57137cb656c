"""rows.py: the column-number row and number tests give what the plain ones (reference.py) give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli.table import rows
from tests.helpers import GRID_CELLS
from tests.reference import reference_has_number, reference_is_column_numbers

pytestmark = pytest.mark.equivalence


@settings(max_examples=1000, deadline=None)
@given(st.lists(GRID_CELLS, max_size=8), GRID_CELLS)
def test_column_numbers(figures: list, name: object) -> None:
    assert rows._is_column_numbers(figures, name) == reference_is_column_numbers(figures, name)
    increasing = [float(n) for n in range(1, len(figures) + 1)]
    assert rows._is_column_numbers(increasing, name) == \
        reference_is_column_numbers(increasing, name)


@settings(max_examples=300, deadline=None)
@given(st.lists(GRID_CELLS, max_size=8))
def test_has_number(figures: list) -> None:
    assert rows._has_number(tuple(figures)) == reference_has_number(figures)
