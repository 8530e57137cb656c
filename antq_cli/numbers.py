"""Reading the values of a submission: Vietnamese numbers, yes/no flags, legacy text (periods
are in periods.py).

Pure functions, no I/O. A cell that cannot be read is not an exception: `parse_number`
returns the problem code and its parameters (see outputs/messages.py) for the caller to report.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .text import clean, fold_ascii, strip_hidden

# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

CONVENTIONS = ("vi", "en", "mixed")

# Cell texts that mean "nothing to report": read as 0 in a count, flagged `blank`.
_BLANK_MARKS = frozenset({"", "-", "--", "–", "—", "x", "X", "…", "...", ".."})
_GROUPED_BY_SPACES = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)
_NUMBER_SHAPE = re.compile(r"\d+(?:[.,]\d+)*|[.,]\d+", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
# The most significant digits a count written as text is read with (any form's largest count
# has fewer): a longer one is `too-large` without int(), which refuses past 4,300 digits.
MOST_DIGITS = 18


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A cell read as a number: its value, or the problem code and parameters that say why not.

    `blank` is set for an empty cell and for the placeholders "-", "x", "…" (value 0), so a
    caller can refuse them for a required indicator. `percent` is set when the text ended in "%"
    (the value is then the figure as written: "92,3%" is 92.3).
    """

    value: int | float | None
    code: str = ""
    params: dict[str, str] = field(default_factory=dict)
    blank: bool = False
    percent: bool = False

    @property
    def ok(self) -> bool:
        """True when the cell was read as a number (blank included)."""
        return not self.code


def _number(value: Decimal) -> int | float:
    """An int when the value is whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


@lru_cache(maxsize=4096)
def _reading(text: str, locale: str) -> Decimal | None:
    """The value of `text` in one locale's convention, None when it is not well formed there
    (cached: babel takes 7-14 µs, and a column's convention reads its texts again)."""
    from babel.numbers import parse_decimal  # lazy: importing babel costs ~7 ms

    try:
        return parse_decimal(text, locale=locale, strict=True)
    except ValueError:  # NumberFormatError, and anything else babel rejects
        return None


def _vi_text(value: Decimal) -> str:
    """A reading written the Vietnamese way without grouping: 1.234 -> "1,234", 1234 -> "1234"."""
    return format(value.normalize() if value == value.to_integral_value() else value, "f").replace(
        ".", ","
    )


@lru_cache(maxsize=8192)
def _split_number_text(text: str) -> tuple[str, str, bool] | None:
    """Sign, digits-and-separators body, percent; None when the text is not number-shaped."""
    body = strip_hidden(text).replace("\u2212", "-")
    body = re.sub(r"\s+", " ", body).strip()
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    sign = ""
    if body[:1] in ("-", "+"):
        sign, body = body[0].replace("+", ""), body[1:].lstrip()
    if " " in body:
        if not _GROUPED_BY_SPACES.fullmatch(body):  # "1 234" groups thousands; "12 5" is a typo
            return None
        body = body.replace(" ", "")
    if not _NUMBER_SHAPE.fullmatch(body):
        return None
    return sign, body, percent


@lru_cache(maxsize=8192)
def _parse_text(text: str, convention: str) -> ParsedNumber:
    """`parse_number` for a text cell (cached: the same texts recur across thousands of rows)."""
    if strip_hidden(text).strip() in _BLANK_MARKS:
        return ParsedNumber(0, blank=True)
    parts = _split_number_text(text)
    if parts is None:
        return ParsedNumber(None, "not-a-number", {"value": clean(text)})
    sign, body, percent = parts
    if _DIGITS.fullmatch(body):
        if len(body.lstrip("0")) > MOST_DIGITS:
            return ParsedNumber(None, "too-large", {"value": clean(text)})
        return ParsedNumber(int(sign + body), percent=percent)
    vi, en = _reading(body, "vi"), _reading(body, "en")
    if vi is None and en is None:  # "1,2,3", "1.234.5": well formed in neither convention
        return ParsedNumber(None, "not-a-number", {"value": clean(text)})
    decimal_comma = "," in body
    chosen = _choose_reading(vi, en, convention, decimal_comma)
    if chosen is None:
        whole = vi if vi is not None and vi == vi.to_integral_value() and not decimal_comma \
            else en
        params = {
            "value": clean(text),
            "vi": sign + _vi_text(vi) if vi is not None else "",
            "en": sign + _vi_text(en) if en is not None else "",
            "example": sign + _vi_text(whole) if whole is not None else "",
        }
        return ParsedNumber(None, "ambiguous-number", params)
    return ParsedNumber(_number(-chosen if sign == "-" else chosen), percent=percent)


def _choose_reading(vi: Decimal | None, en: Decimal | None, convention: str,
                    decimal_comma: bool) -> Decimal | None:
    """The reading to trust, None when the text is ambiguous in this column."""
    if vi is None or en is None or vi == en:
        return vi if vi is not None else en
    if convention == "en":
        return en
    # In a Vietnamese or not yet established column "1.234" is the usual 1234, but "1,234"
    # could be 1,234 (decimal comma) or 1234 (English grouping): never guessed. Neither is
    # "12,000", whose Vietnamese reading is whole only by its three zero decimals: no count is
    # written so, and it is far likelier 12000 typed the English way.
    if convention == "vi" and vi == vi.to_integral_value() and not decimal_comma:
        return vi
    return None


def parse_number(value: Any, convention: str = "vi") -> ParsedNumber:
    """Read a cell as a number: numeric cells as they are, text in the column's convention.

    `convention` is "vi" (Vietnamese, also the default when a column shows no evidence),
    "en" (the column is plainly English) or "mixed" (see `column_convention`). In text "."
    groups thousands and "," is the decimal mark ("16.504" = 16504, "1.234,5" = 1234.5); a
    text valid in only one convention is read in that one; a text whose two readings differ
    and that the column cannot settle ("1,234") is `ambiguous-number`, never guessed.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown number convention {convention!r}")
    if value is None:
        return ParsedNumber(0, blank=True)
    if isinstance(value, (bool, datetime, date, time)):
        # TRUE/FALSE or a date is not a figure (Excel turns "1.2" typed in a cell into 1 Feb).
        shown = value.isoformat() if not isinstance(value, bool) else str(value).upper()
        return ParsedNumber(None, "not-a-number", {"value": shown.removesuffix("T00:00:00")})
    if isinstance(value, int):
        return ParsedNumber(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ParsedNumber(None, "not-a-number", {"value": str(value)})
        return ParsedNumber(int(value) if value.is_integer() else value)
    if isinstance(value, Decimal):
        return ParsedNumber(_number(value)) if value.is_finite() else ParsedNumber(
            None, "not-a-number", {"value": str(value)}
        )
    parsed = _parse_text(str(value), convention)
    # A fresh params dict: the cached result is shared and a caller may add to its params.
    return replace(parsed, params=dict(parsed.params)) if parsed.params else parsed


def column_convention(texts: list[Any]) -> str:
    """The number convention of a column's text cells: "vi", "en" or "mixed" (default "vi").

    A column is plainly English when some text reads only the English way ("12,345,678",
    "1,234.5", "12.5") and plainly Vietnamese when some text reads only the Vietnamese way
    ("12.345.678", "1.234,5", "12,5"); both kinds make it "mixed".
    """
    seen_vi = seen_en = False
    for text in texts:
        if not isinstance(text, str):
            continue
        parts = _split_number_text(text)
        if parts is None or _DIGITS.fullmatch(parts[1]):
            continue
        vi, en = _reading(parts[1], "vi"), _reading(parts[1], "en")
        seen_vi = seen_vi or (vi is not None and en is None)
        seen_en = seen_en or (en is not None and vi is None)
    if seen_vi and seen_en:
        return "mixed"
    return "en" if seen_en else "vi"


def as_count(number: int | float | None) -> int | None:
    """The number as a whole count, None when it is not whole ("12,5" people is an error)."""
    if number is None or isinstance(number, bool):
        return None
    if isinstance(number, int):
        return number
    if not math.isfinite(number):
        return None
    nearest = round(number)
    # Tolerate only binary floating-point noise from spreadsheet arithmetic (16503.999999999998).
    return int(nearest) if abs(number - nearest) <= 1e-9 * max(1.0, abs(number)) else None


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------

_FLAG_YES = frozenset({
    "dat", "d", "dat chuan", "dat tieu chuan", "co", "x", "1", "yes", "y", "true",
    "✓", "✔", "☑", "✅", "🗹",
})
_FLAG_NO = frozenset({
    "khong dat", "chua dat", "kd", "cd", "khong", "k", "0", "no", "n", "false",
    "✗", "✘", "☐", "❌", "", "-", "–", "—",
})


def parse_flag(value: Any) -> int | None:
    """A yes/no cell as 1 or 0 (Đạt / Không đạt, Có / Không, x / blank, 1 / 0, ✓ / ✗, ...).

    Case and diacritics are forgiven ("dat", "ĐẠT", "khong dat"); "Chưa đạt" is 0 and a blank
    cell is 0. None means the value is not a flag at all (the caller reports `bad-flag`).
    """
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, Decimal)):
        return int(value) if value in (0, 1) else None
    if not isinstance(value, str):
        return None
    return _flag_text(value)


def _flag_text(text: str) -> int | None:
    """`parse_flag` for a text cell (its key is `fold_ascii`'s, which is remembered)."""
    key = fold_ascii(strip_hidden(text))
    if key in _FLAG_YES:
        return 1
    if key in _FLAG_NO:
        return 0
    return None
