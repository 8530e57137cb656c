"""reading.py: its formula prefilter and patterns find what the plain ones (reference.py) find."""

from __future__ import annotations

import random

import pytest

from antq_cli.read import xlsx
from tests.reference import FORMULA_CELL, PREFIXED_FORMULA_CELL, reference_holds_formula

pytestmark = pytest.mark.equivalence

_SHEET_PIECES = [b"<sheetData>", b"</sheetData>", b"<f>", b"<f", b":f", b"f", b"<", b":",
                 b"<c r=\"A1\">", b"<v>1</v>", b"</c>", b"x", b"<x:f>", b"footer"]


def test_may_hold_formulas_misses_no_formula():
    rng = random.Random(11)
    for _ in range(20000):
        xml = b"".join(rng.choice(_SHEET_PIECES) for _ in range(rng.randint(0, 12)))
        if reference_holds_formula(xml):
            assert xlsx._may_hold_formulas(xml), xml


_CELL_PIECES = [b"<c ", b"<x:c ", b'r="B2"', b" ", b"\n", b">", b"/>", b"<f>", b"<x:f ", b"</f>",
                b"<v>", b"<v/>", b"</v>", b"</c>", b"</x:c>", b"<", b"1", b"t=\"s\""]


def test_formula_cell_patterns_are_the_plain_ones():
    plain = [FORMULA_CELL, PREFIXED_FORMULA_CELL]
    rng = random.Random(13)
    for _ in range(20000):
        xml = b"".join(rng.choice(_CELL_PIECES) for _ in range(rng.randint(0, 14)))
        for fast, slow in zip((xlsx._FORMULA_CELL, xlsx._PREFIXED_FORMULA_CELL), plain):
            assert [m.span(1) + m.span(2) for m in fast.finditer(xml)] == \
                [m.span(1) + m.span(2) for m in slow.finditer(xml)], xml
