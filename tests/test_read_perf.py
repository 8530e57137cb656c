"""The fast paths of reading.py give exactly what the slow ways they replace give."""

from __future__ import annotations

import random
import re

from antq_cli import guards, reading

_SHEET_PIECES = [b"<sheetData>", b"</sheetData>", b"<f>", b"<f", b":f", b"f", b"<", b":",
                 b"<c r=\"A1\">", b"<v>1</v>", b"</c>", b"x", b"<x:f>", b"footer"]


def test_may_hold_formulas_misses_no_formula():
    rng = random.Random(11)
    for _ in range(20000):
        xml = b"".join(rng.choice(_SHEET_PIECES) for _ in range(rng.randint(0, 12)))
        if b"<f" in xml or b":f" in xml:
            assert reading._may_hold_formulas(xml), xml


def test_far_ref_is_the_plain_pattern():
    plain = re.compile(rb'r="(?:[A-Z]{3}|[D-Z][A-Z]|[A-Z]{1,2}\d{6})')
    rng = random.Random(12)
    for _ in range(50000):
        xml = bytes(rng.choice(b'r="ACDZ09" ') for _ in range(rng.randint(0, 16)))
        assert bool(guards._FAR_REF.search(xml)) == bool(plain.search(xml)), xml
