"""Folded keys for Vietnamese labels and unit names, and A1 cell addresses.

Two spellings that a clerk would call "the same" must fold to the same key: case, NFC/NFD,
line breaks and runs of spaces, old and new tone placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy"),
a trailing unit of measure "(vụ)". `fold_ascii` goes further and drops every diacritic;
callers use it only where it stays unambiguous.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

# The five tone marks of Vietnamese as combining characters: huyền, sắc, hỏi, ngã, nặng.
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"
_SPACES = re.compile(r"\s+")
_TRAILING_NOTE = re.compile(r"(\s*\([^()]{0,20}\)|\s*[:*.])+$")
_NOTE_ENDS = (")", ":", "*", ".")

# The type words a unit's name starts with, by level, as people write them ("Xã Tân Đức",
# "Thôn 1"); the first is the usual one. "Thành phố" names a province (trực thuộc trung ương)
# or a district (thuộc tỉnh).
UNIT_TYPES: dict[str, tuple[str, ...]] = {
    "province": ("tỉnh", "thành phố"),
    "district": ("huyện", "quận", "thị xã", "thành phố"),
    "commune": ("xã", "phường", "thị trấn", "đặc khu"),
    "village": ("thôn", "tổ dân phố", "khu phố", "ấp", "bản", "xóm", "khu dân cư", "buôn", "plei",
                "sóc", "khóm", "khối", "làng", "tổ", "khu"),
}
# Words a unit name may start with, the short forms too ("TP. Huế", "TT Tân Minh"): "Thôn Tân
# Hòa" and "Tân Hòa" are one village.
UNIT_PREFIXES = tuple(dict.fromkeys(
    [word for words in UNIT_TYPES.values() for word in words]
    + ["tp.", "tp", "tx.", "tx", "tt.", "tt"]))


_TONE = re.compile(f"[{TONE_MARKS}]")
_WITHOUT_TONES = dict.fromkeys(map(ord, TONE_MARKS))


def _canonical_tones(text: str) -> str:
    """Move each word's tone mark to the word's end, so placement no longer matters."""
    words = unicodedata.normalize("NFD", text).split(" ")
    for index, word in enumerate(words):
        tones = _TONE.findall(word)  # C calls instead of a Python test per character
        if tones:
            words[index] = word.translate(_WITHOUT_TONES) + "".join(tones)
    return unicodedata.normalize("NFC", " ".join(words))


# Characters a reader cannot see: bidirectional embeddings, overrides and isolates (they make
# "Thôn 1" display as something else), zero-width characters and the BOM. Not the soft hyphen
# U+00AD: TCVN3 text read as Latin-1 uses it for a letter until it is converted.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(f"[\u061c\u200b-\u200f\u2060-\u2064\ufeff{BIDI_CONTROLS}]")
# C0 control characters other than tab and line breaks (which \s folds already). Not C1
# (U+0080-U+009F): TCVN3 text read as Latin-1 uses them for letters until it is converted.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
_HIDDEN = re.compile(f"{_INVISIBLE.pattern}|{_CONTROLS.pattern}")


def strip_hidden(text: str) -> str:
    """`text` without invisible characters, its control characters made spaces."""
    if text.isprintable() or not _HIDDEN.search(text):  # the common cases, nothing to strip
        return text
    return _CONTROLS.sub(" ", _INVISIBLE.sub("", text))


def clean(text: object) -> str:
    """NFC text with line breaks, NBSP and runs of spaces folded to one space; no invisible or
    control characters, so a name carrying a bidi override still matches and never shows one."""
    if text is None:
        return ""
    text = str(text)
    # Printable text holds no whitespace but " " (no line break, tab, NBSP, invisible or
    # control character): without a run of spaces, in NFC, only the ends can change.
    if text.isprintable() and "  " not in text \
            and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable() and _HIDDEN.search(text):
        text = _CONTROLS.sub(" ", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


def value_text(value: object) -> str:
    """A cell's value as a person reads it: "" for none, 3.0 as "3" (a whole number a
    workbook keeps as a float: a figure, a unit code), any other value `clean`ed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def fold(text: object) -> str:
    """The comparison key of a label or name: case, spacing, Unicode form and tone placement."""
    key = clean(text).lower()
    if key.endswith(_NOTE_ENDS):  # else the trailing-note pattern cannot match (no newline left)
        key = _TRAILING_NOTE.sub("", key)
    return _canonical_tones(key.strip())


# The combining characters of U+0300-U+036F (every diacritic of Vietnamese once decomposed).
_DIACRITICS = re.compile(
    "[" + "".join(ch for ch in map(chr, range(0x300, 0x370)) if unicodedata.combining(ch)) + "]")


def plain_ascii(text: object) -> str:
    """Cleaned lower-case text without diacritics, nothing else removed: "Cáo:" -> "cao:"."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    # Vietnamese text is ASCII once those diacritics are gone: one regex pass instead of a
    # Python test per character. If anything else is left, every combining mark is looked up.
    stripped = _DIACRITICS.sub("", decomposed)
    if stripped.isascii():
        return stripped
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_ascii(text: object) -> str:
    """`fold` without any diacritic ("Đạt" -> "dat"): for file names and lenient matching."""
    return _fold_ascii(text) if type(text) is str else plain_ascii(fold(text))


# Remembered: the same labels, names and title lines come back in every file, and this key is
# asked for far more often than `fold` (a merge of 200 communes runs 9% more instructions
# without it; `fold`'s own memo bought 1.7% and went).
@lru_cache(maxsize=1 << 16)
def _fold_ascii(text: str) -> str:
    # plain_ascii(fold(text)) without fold's tone placement, which dropping every diacritic
    # makes moot (the same key for every character, tests/equivalence/test_text.py): a third as long.
    key = clean(text).lower()
    if key.endswith(_NOTE_ENDS):
        key = _TRAILING_NOTE.sub("", key)
    return plain_ascii(key.strip())


_PREFIX_KEYS = sorted(
    {fold(p) for p in UNIT_PREFIXES} | {fold_ascii(p) for p in UNIT_PREFIXES}, key=len, reverse=True
)


# The longest first, so "thành phố" is tried before "thành": one C search, not a loop of 50.
_PREFIX = re.compile("(?:" + "|".join(map(re.escape, _PREFIX_KEYS)) + ") (?=.)", re.DOTALL)


def strip_unit_prefix(key: str) -> str:
    """Drop a leading type word ("thôn", "thon", "xã", ...) from a folded key, if a name remains."""
    found = _PREFIX.match(key)
    return key[found.end():].strip() if found else key


def name_keys(name: object) -> tuple[str, str]:
    """The folded name with and without its type word: ("thôn tân hoà", "tân hoà")."""
    return _name_keys(name if type(name) is str else clean(name))


# Remembered: every file's title lines, folders and file name are looked up in the registry,
# and a folder's name comes back with each of its files.
@lru_cache(maxsize=1 << 14)
def _name_keys(name: str) -> tuple[str, str]:
    key = fold(name)
    return key, strip_unit_prefix(key)


def column_letter(col: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 27 -> AB."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel column letters to a 0-based index: "A" -> 0, "AB" -> 27."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def a1(row: int, col: int) -> str:
    """0-based (row, col) to an A1 address: (0, 0) -> "A1"."""
    return f"{column_letter(col)}{row + 1}"


# Roman numerals as sections and quarters are numbered ("IV", "Quý III"), up to 399.
_ROMAN_DIGITS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                 (4, "IV"), (1, "I"))
_ROMAN_NUMERAL = re.compile(r"(?=[ivxlc]+$)c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")


def roman(number: int) -> str:
    """A number as a Roman numeral: 4 → "IV", 27 → "XXVII"."""
    text = ""
    for value, letters in _ROMAN_DIGITS:
        count, number = divmod(number, value)
        text += letters * count
    return text


def roman_value(text: str) -> int | None:
    """The number a lower-case Roman numeral stands for ("iv" → 4), None for anything else."""
    if not _ROMAN_NUMERAL.fullmatch(text):
        return None
    value, rest = 0, text.upper()
    for number, letters in _ROMAN_DIGITS:
        while rest.startswith(letters):
            value, rest = value + number, rest[len(letters):]
    return value


def readable_path(path: str) -> str:
    """A file path as a person can read it, valid UTF-8 for every output. A name whose bytes
    are not UTF-8 (old zip tools write names in the PC's code page; Python keeps such bytes
    as surrogates) is read as Windows-1258, the Vietnamese one, else its odd bytes become �."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        raw = os.fsencode(path)
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1258"))
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")
