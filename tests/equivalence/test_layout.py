"""layout.py: the title lines above a table are what the plain reading (reference.py) gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli.model import Grid
from antq_cli.table import layout
from tests.helpers import GRID_CELLS
from tests.reference import reference_title_lines

pytestmark = pytest.mark.equivalence


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(GRID_CELLS, max_size=6), max_size=6), st.integers(-1, 7))
def test_title_lines(rows: list, last_row: int) -> None:
    assert layout._title_lines(Grid("s", rows), last_row) == reference_title_lines(rows, last_row)
