"""The fast paths of reading.py give exactly what the slow ways they replace give."""

from __future__ import annotations

import os
import random
import re
import threading
import time

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


_CELL_PIECES = [b"<c ", b"<x:c ", b'r="B2"', b" ", b"\n", b">", b"/>", b"<f>", b"<x:f ", b"</f>",
                b"<v>", b"<v/>", b"</v>", b"</c>", b"</x:c>", b"<", b"1", b"t=\"s\""]


def test_formula_cell_patterns_are_the_plain_ones():
    plain = [re.compile(rb"<c ([^>]*)>\s*<f[\s>/](.*?)</c>", re.S),
             re.compile(rb"<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f[\s>/](.*?)</(?:\w+:)?c>", re.S)]
    rng = random.Random(13)
    for _ in range(20000):
        xml = b"".join(rng.choice(_CELL_PIECES) for _ in range(rng.randint(0, 14)))
        for fast, slow in zip((reading._FORMULA_CELL, reading._PREFIXED_FORMULA_CELL), plain):
            assert [m.span(1) + m.span(2) for m in fast.finditer(xml)] == \
                [m.span(1) + m.span(2) for m in slow.finditer(xml)], xml


def test_read_up_to_reads_on_after_a_short_read():
    read_end, write_end = os.pipe()
    os.write(write_end, b"abc")  # a pipe gives what it holds: a short read, as some file systems

    def rest() -> None:
        time.sleep(0.05)
        os.write(write_end, b"def")
        os.close(write_end)

    writer = threading.Thread(target=rest)
    writer.start()
    try:
        assert reading._read_up_to(read_end, 10, 6) == b"abcdef"
        assert reading._read_up_to(read_end, 10, 10) == b""  # the end
    finally:
        writer.join()
        os.close(read_end)
