"""text.py: cleaning and folding text give exactly what the plain versions (reference.py) give.

`clean`, `fold`, `fold_ascii`, `plain_ascii` and the tone placement are shared keys: every
label, unit name and file name is compared through them, so the regex versions in text.py are
checked here against the character-by-character versions they replaced, on generated
Vietnamese text and on every character of the Basic Multilingual Plane.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_cli import text
from antq_cli.text import clean
from tests.reference import reference_clean, reference_fold, reference_plain_ascii, reference_tones

pytestmark = pytest.mark.equivalence

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
    assert text.fold(value) == reference_fold(value)
    assert text._canonical_tones(value) == reference_tones(value)
    assert text.plain_ascii(value) == reference_plain_ascii(value)
    assert text._fold_ascii.__wrapped__(value) == reference_plain_ascii(reference_fold(value))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_fold_is_the_plain_fold_on_any_text(value: str) -> None:
    assert text.clean(value) == reference_clean(value)
    assert text.fold(value) == reference_fold(value)
    assert text.plain_ascii(value) == reference_plain_ascii(value)
    assert text._fold_ascii.__wrapped__(value) == reference_plain_ascii(reference_fold(value))


def test_fold_of_every_character() -> None:
    """Each BMP character alone, after a letter, before a tone and inside a word."""
    for code in range(0x10000):
        ch = chr(code)
        for value in (ch, "a" + ch, ch + "\u0301", "o\u0301" + ch + "n (x)", "Đ" + ch + ":",
                      "\u0309" + ch + "\u0323a"):
            assert text.clean(value) == reference_clean(value), hex(code)
            assert text.fold(value) == reference_fold(value), hex(code)
            assert text.plain_ascii(value) == reference_plain_ascii(value), hex(code)
            assert text._fold_ascii.__wrapped__(value) == \
                reference_plain_ascii(reference_fold(value)), hex(code)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=20))
def test_clean_of_ascii_text(value: str) -> None:
    assert text.clean(value) == reference_clean(value)
    assert text.fold(value) == reference_fold(value)


def test_clean_of_every_bmp_character_in_context():
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        for value in (char, f"Thôn {char}1", f" {char} ", f"Hoa\u0300 {char}", f"a{char}{char}b"):
            assert clean(value) == reference_clean(value), repr(value)


@pytest.mark.parametrize("value", ["Tổ dân phố 1", " Tổ  dân ", "Hoa\u0300", "Thôn\u00a01",
                                   "Thôn\t1", "\u202eThôn", "x\u200by", 12, 1.5, None, ""])
def test_clean_of_names(value):
    assert clean(value) == reference_clean(value)
