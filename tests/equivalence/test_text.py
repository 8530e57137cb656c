"""The faster text folding and header search give exactly what the plain versions gave.

`fold`, `fold_ascii`, `plain_ascii` and the tone placement are shared keys: every label, unit
name and file name is compared through them, so the regex versions in text.py are checked
here against the character-by-character versions they replaced, on generated Vietnamese text
and on every character of the Basic Multilingual Plane.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli import text
from antq_cli.forms import load_forms
from antq_cli.table.headers import Filled, column_paths, matcher
from antq_cli.model import Grid
from tests.reference import (reference_clean, reference_column_paths, reference_fold,
                             reference_plain_ascii, reference_tones)

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
)
MARKS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\u0308\u034f\u0360\u20d0"
OTHER = ("  \xa0\t\n\r\x0b\x1c\x00\x7f()[]:*./,-–'\"0123456789\u200b\u202e\ufeff\x07"
         "ßİŉǅﬁ한글中文ض\U0001f600")
TEXTS = st.text(alphabet=st.sampled_from(VIETNAMESE + MARKS + OTHER), max_size=40)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_fold_is_the_plain_fold(value: str) -> None:
    assert text.clean(value) == reference_clean(value)
    assert text._fold_any(value) == reference_fold(value)
    assert text._canonical_tones(value) == reference_tones(value)
    assert text.plain_ascii(value) == reference_plain_ascii(value)
    assert text._fold_ascii.__wrapped__(value) == reference_plain_ascii(reference_fold(value))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_fold_is_the_plain_fold_on_any_text(value: str) -> None:
    assert text.clean(value) == reference_clean(value)
    assert text._fold_any(value) == reference_fold(value)
    assert text.plain_ascii(value) == reference_plain_ascii(value)
    assert text._fold_ascii.__wrapped__(value) == reference_plain_ascii(reference_fold(value))


def test_fold_of_every_character() -> None:
    """Each BMP character alone, after a letter, before a tone and inside a word."""
    for code in range(0x10000):
        ch = chr(code)
        for value in (ch, "a" + ch, ch + "\u0301", "o\u0301" + ch + "n (x)", "Đ" + ch + ":",
                      "\u0309" + ch + "\u0323a"):
            assert text.clean(value) == reference_clean(value), hex(code)
            assert text._fold_any(value) == reference_fold(value), hex(code)
            assert text.plain_ascii(value) == reference_plain_ascii(value), hex(code)
            assert text._fold_ascii.__wrapped__(value) == \
                reference_plain_ascii(reference_fold(value)), hex(code)


CELLS = st.one_of(st.none(), st.sampled_from(["", " ", "Số hộ", "Tổng số", "STT", "Họp dân",
                                              "Số buổi", "x"]), st.floats(0, 3))
RANGES = st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 5), st.integers(0, 5))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=5), min_size=1, max_size=5), st.lists(RANGES, max_size=4))
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


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=20))
def test_clean_of_ascii_text(value: str) -> None:
    assert text.clean(value) == reference_clean(value)
    assert text._fold_any(value) == reference_fold(value)
