"""Reading the values of a submission: Vietnamese numbers, yes/no flags, periods, legacy text.

Pure functions, no I/O. A cell that cannot be read is not an exception: `parse_number`
returns the problem code and its parameters (see messages.py) for the caller to report.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .text import clean, fold_ascii, plain_ascii

# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

CONVENTIONS = ("vi", "en", "mixed")

# Cell texts that mean "nothing to report": read as 0 in a count, flagged `blank`.
_BLANK_MARKS = frozenset({"", "-", "--", "–", "—", "x", "X", "…", "...", ".."})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_GROUPED_BY_SPACES = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)
_NUMBER_SHAPE = re.compile(r"\d+(?:[.,]\d+)*|[.,]\d+", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


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
    body = text.translate(_INVISIBLE).replace("\u2212", "-")
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
    if text.translate(_INVISIBLE).strip() in _BLANK_MARKS:
        return ParsedNumber(0, blank=True)
    parts = _split_number_text(text)
    if parts is None:
        return ParsedNumber(None, "not-a-number", {"value": clean(text)})
    sign, body, percent = parts
    if _DIGITS.fullmatch(body):
        return ParsedNumber(int(sign + body), percent=percent)
    vi, en = _reading(body, "vi"), _reading(body, "en")
    if vi is None and en is None:  # "1,2,3", "1.234.5": well formed in neither convention
        return ParsedNumber(None, "not-a-number", {"value": clean(text)})
    chosen = _choose_reading(vi, en, convention)
    if chosen is None:
        whole = vi if vi is not None and vi == vi.to_integral_value() else en
        params = {
            "value": clean(text),
            "vi": sign + _vi_text(vi) if vi is not None else "",
            "en": sign + _vi_text(en) if en is not None else "",
            "example": sign + _vi_text(whole) if whole is not None else "",
        }
        return ParsedNumber(None, "ambiguous-number", params)
    return ParsedNumber(_number(-chosen if sign == "-" else chosen), percent=percent)


def _choose_reading(vi: Decimal | None, en: Decimal | None, convention: str) -> Decimal | None:
    """The reading to trust, None when the text is ambiguous in this column."""
    if vi is None or en is None or vi == en:
        return vi if vi is not None else en
    if convention == "en":
        return en
    # In a Vietnamese or not yet established column "1.234" is the usual 1234, but "1,234"
    # could be 1,234 (decimal comma) or 1234 (English grouping): never guessed.
    if convention == "vi" and vi == vi.to_integral_value():
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


@lru_cache(maxsize=4096)
def _flag_text(text: str) -> int | None:
    """`parse_flag` for a text cell (cached: a few spellings fill every flag column)."""
    key = fold_ascii(text.translate(_INVISIBLE))
    if key in _FLAG_YES:
        return 1
    if key in _FLAG_NO:
        return 0
    return None


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------

KINDS = ("Q", "H", "9M", "Y", "M")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OF = {number: roman.upper() for roman, number in _ROMAN.items()}
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
_NUMBERS_OF_KIND = {"Q": range(1, 5), "H": range(1, 3), "M": range(1, 13), "9M": (0,), "Y": (0,)}


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: a quarter, half-year, first nine months, year or month of a year.

    `number` is the quarter (1–4), half (1–2) or month (1–12), and 0 for "9M" and "Y".
    """

    year: int
    kind: str
    number: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.number not in _NUMBERS_OF_KIND[self.kind]:
            raise ValueError(f"not a period: {self.year} {self.kind} {self.number}")
        if not 2000 <= self.year <= 2099:
            raise ValueError(f"year out of range: {self.year}")

    @property
    def code(self) -> str:
        """The command-line and JSON form: "2024-Q1", "2024-H1", "2024-9M", "2024", "2024-03"."""
        if self.kind == "Y":
            return str(self.year)
        if self.kind == "9M":
            return f"{self.year}-9M"
        if self.kind == "M":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-{self.kind}{self.number}"

    @property
    def label_vi(self) -> str:
        """The Vietnamese title form: "Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024"."""
        if self.kind == "Q":
            return f"Quý {_ROMAN_OF[self.number]}/{self.year}"
        if self.kind == "H":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        if self.kind == "9M":
            return f"9 tháng năm {self.year}"
        if self.kind == "M":
            return f"Tháng {self.number}/{self.year}"
        return f"Năm {self.year}"

    @property
    def label_en(self) -> str:
        """The English form: "Q1 2024", "First half of 2024", "March 2024", "Year 2024"."""
        if self.kind == "Q":
            return f"Q{self.number} {self.year}"
        if self.kind == "H":
            return f"{'First' if self.number == 1 else 'Second'} half of {self.year}"
        if self.kind == "9M":
            return f"First nine months of {self.year}"
        if self.kind == "M":
            return f"{_MONTHS_EN[self.number - 1]} {self.year}"
        return f"Year {self.year}"

    def label(self, lang: str = "vi") -> str:
        """The label in `lang` ("vi" or "en")."""
        return self.label_en if lang == "en" else self.label_vi

    def __str__(self) -> str:
        return self.code


_OPTION = re.compile(r"(20\d\d)(?:-(?:(Q)([1-4])|(H)([12])|(9M)|(\d{1,2})))?", re.IGNORECASE)


def parse_period_option(text: str) -> Period:
    """The period given on the command line ("2024-Q1", "2024-H1", "2024-9M", "2024", "2024-03").

    A title form such as "Quý I/2024" is accepted as well. Raises ValueError otherwise (the
    CLI reports `bad-period`).
    """
    match = _OPTION.fullmatch(text.strip())
    if match:
        year, q_kind, quarter, h_kind, half, nine, month = match.groups()
        if q_kind or h_kind:
            return Period(int(year), (q_kind or h_kind).upper(), int(quarter or half))
        if nine:
            return Period(int(year), "9M")
        if month:
            return Period(int(year), "M", int(month))
        return Period(int(year), "Y")
    found = find_period([text])
    if found is None:
        raise ValueError(f"not a period: {text!r}")
    return found


def _months(period: Period, year_end_month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(year, month) of the first and last month a period covers in its reporting year."""
    first, last = {
        "Q": (3 * period.number - 2, 3 * period.number),
        "H": (6 * period.number - 5, 6 * period.number),
        "9M": (1, 9),
        "Y": (1, 12),
        "M": (period.number, period.number),
    }[period.kind]
    # A reporting year that closes in November runs one month ahead of the calendar; a month
    # is always its own month.
    shift = 0 if period.kind == "M" else 12 - year_end_month
    return _add_months(period.year, first, -shift), _add_months(period.year, last, -shift)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by `delta` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    """The number of days in a month."""
    next_year, next_month = _add_months(year, month, 1)
    return (date(next_year, next_month, 1) - date(year, month, 1)).days


@dataclass(frozen=True, slots=True)
class Closing:
    """When figures close: on `day` of each month (0: calendar months), the year in `month`.

    Decree 09/2019/NĐ-CP: the 14th, the year closing in December (14/12). Parts of the
    movement close their year on 14/11.
    """

    day: int = 14
    month: int = 12

    def __post_init__(self) -> None:
        if not 0 <= self.day <= 28 or not 1 <= self.month <= 12:
            raise ValueError(f"closing {self.day}/{self.month} is not a day 0–28 of a month 1–12")

    @property
    def text(self) -> str:
        return f"{self.day}/{self.month}"


CLOSING_ENV = "ANTQ_CLOSING"
_DECREE_CLOSING = Closing()


def parse_closing(text: str) -> Closing:
    """"14/11" → the 14th, the year closing in November; "31/12" or "0/12" → calendar months."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*", text or "")
    if not match:
        raise ValueError(f"not a closing day/month: {text!r}")
    day, month = int(match[1]), int(match[2])
    # A closing day past the 28th is the month's last day: calendar months.
    return Closing(0 if day > 28 or (month == 2 and day == 28) else day, month)


def current_closing() -> Closing:
    """The closing in force: ANTQ_CLOSING (set by --closing too), else Decree 09's 14/12."""
    text = os.environ.get(CLOSING_ENV, "").strip()
    return parse_closing(text) if text else Closing()


def _year_end_month() -> int:
    """current_closing().month, without building a Closing when ANTQ_CLOSING is not set."""
    text = os.environ.get(CLOSING_ENV, "").strip()
    return parse_closing(text).month if text else _DECREE_CLOSING.month


def window(period: Period, close_day: int | None = None,
           year_end_month: int | None = None) -> tuple[date, date]:
    """The data window of a period: first and last day whose events it counts.

    By Decree 09/2019/NĐ-CP figures close on the 14th: a quarter runs from the 15th of the
    month before it to the 14th of its last month (Q1 2024 = 15/12/2023–14/3/2024), H1 to 14/6,
    9M to 14/9, the year 15/12–14/12, a month 15/2–14/3. `close_day` (1–28) moves the closing
    day; 0 means calendar months (1/1–31/3). `year_end_month` moves the reporting year's close
    (11: the year is 15/11–14/11, its quarters end in February, May, August and November).
    """
    closing = current_closing() if close_day is None or year_end_month is None else None
    close_day = closing.day if close_day is None else close_day
    year_end_month = closing.month if year_end_month is None else year_end_month
    if not 0 <= close_day <= 28:
        raise ValueError(f"close_day must be 0 (calendar) or 1–28, not {close_day}")
    if not 1 <= year_end_month <= 12:
        raise ValueError(f"year_end_month must be 1–12, not {year_end_month}")
    (first_year, first_month), (last_year, last_month) = _months(period, year_end_month)
    if close_day == 0:
        return (
            date(first_year, first_month, 1),
            date(last_year, last_month, _last_day(last_year, last_month)),
        )
    before_year, before_month = _add_months(first_year, first_month, -1)
    return date(before_year, before_month, close_day + 1), date(last_year, last_month, close_day)


def format_window(
    period: Period, lang: str = "vi", close_day: int | None = None,
    year_end_month: int | None = None,
) -> str:
    """The window as printed under a title: "Số liệu tính từ 15/12/2023 đến 14/3/2024"."""
    start, end = window(period, close_day, year_end_month)
    first, last = (f"{d.day}/{d.month}/{d.year}" for d in (start, end))
    return f"Data from {first} to {last}" if lang == "en" else f"Số liệu tính từ {first} đến {last}"


# Period phrases, matched on lower-case text without diacritics (file names have none).
_YEAR = r"(?<!\d)(20\d\d)(?!\d)"
_TO_YEAR = r"\s*[/.,\-–]?\s*(?:nam\s*)?"
_WORDED_DATE = re.compile(r"ngay\W*(\d{1,2})?\W*thang\W*(\d{1,2})?\W*nam\W*(20\d\d)?")
_QUARTER = re.compile(rf"\b(?:quy|q)\s*\.?\s*(iv|iii|ii|i|[1-4])\b{_TO_YEAR}{_YEAR}")
_CODE = re.compile(rf"{_YEAR}\s*[-_ ]\s*(?:(q)([1-4])|(h)([12])|(9m))\b")
_HALF = re.compile(rf"\b(?:6|06|sau)\s*thang\s*(dau|cuoi)?\s*(?:nam\s*)?{_YEAR}")
_HALF_CODE = re.compile(rf"\bh([12])\b{_TO_YEAR}{_YEAR}")
_NINE = re.compile(rf"\b(?:9|09|chin)\s*thang\s*(?:dau\s*)?(?:nam\s*)?{_YEAR}")
_MONTH = re.compile(rf"\bthang\s*(\d{{1,2}})\s*(?:[/.\-]\s*|nam\s*){_YEAR}")
_YEAR_PHRASE = re.compile(rf"\b(?:12\s*thang\s*(?:nam\s*)?|nam\s*){_YEAR}")
_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*{_YEAR}")
_YEARLESS = (
    (re.compile(r"\bquy\s*(iv|iii|ii|i|[1-4])\b"), "Q"),
    (re.compile(r"\b6\s*thang\s*(dau|cuoi)\b"), "H"),
    (re.compile(r"\b9\s*thang\b"), "9M"),
)


def _worded_date(match: re.Match[str]) -> str:
    """A worded date as "15/12/2023"; a partial one (a blank signing line) as nothing."""
    return f" {match[1]}/{match[2]}/{match[3]} " if all(match.groups()) else " "


@lru_cache(maxsize=8192)
def _period_key(text: str) -> str:
    """Lower-case text without diacritics, "_" as a space, worded dates as dd/mm/yyyy.

    A date is never a period phrase: "ngày 20 tháng 3 năm 2024" is not "tháng 3/2024".
    """
    key = plain_ascii(text).replace("_", " ")
    return _WORDED_DATE.sub(_worded_date, key)


def _quarter_number(token: str) -> int:
    """1–4 from "i".."iv" or "1".."4"."""
    return _ROMAN.get(token) or int(token)


def _specific_period(key: str) -> Period | None:
    """A period phrase more specific than a bare "năm 2024" in one text, if any."""
    if match := _QUARTER.search(key):
        return Period(int(match[2]), "Q", _quarter_number(match[1]))
    if match := _CODE.search(key):
        year = int(match[1])
        if match[2]:
            return Period(year, "Q", int(match[3]))
        return Period(year, "H", int(match[5])) if match[4] else Period(year, "9M")
    if match := _HALF.search(key):
        return Period(int(match[2]), "H", 2 if match[1] == "cuoi" else 1)
    if match := _HALF_CODE.search(key):
        return Period(int(match[2]), "H", int(match[1]))
    if match := _NINE.search(key):
        return Period(int(match[1]), "9M")
    if (match := _MONTH.search(key)) and 1 <= int(match[1]) <= 12:
        return Period(int(match[2]), "M", int(match[1]))
    return None


def _window_period(key: str, year_end_month: int) -> Period | None:
    """The period whose data window is the first "dd/mm/yyyy ... dd/mm/yyyy" pair of a text."""
    dates = []
    for day, month, year in _DATE.findall(key)[:2]:
        try:
            dates.append(date(int(year), int(month), int(day)))
        except ValueError:
            return None
    if len(dates) < 2 or dates[0] >= dates[1]:
        return None
    start, end = dates
    if start.day == 1 and end.day == _last_day(end.year, end.month):
        close_day = 0
    elif start.day == end.day + 1 and end.day <= 28:
        close_day = end.day
    else:
        return None
    for year in (end.year, end.year + 1):
        for kind, numbers in _NUMBERS_OF_KIND.items():
            for number in numbers:
                candidate = Period(year, kind, number)
                if window(candidate, close_day, year_end_month) == (start, end):
                    return candidate
    return None


@lru_cache(maxsize=8192)
def _key_period(key: str, year_end_month: int) -> Period | None:
    """The period one text names by a phrase or a data window (cached: titles repeat)."""
    return _specific_period(key) or _window_period(key, year_end_month)


def find_period(texts: list[Any], year_end_month: int | None = None) -> Period | None:
    """The reporting period named in a file's title cells or file name, None when none is.

    Reads "Quý I/2024", "quý 1/2024", "Q1-2024", "BC quy I-2024 xa Tan Duc.xlsx", "6 tháng
    đầu năm 2024", "9 tháng năm 2024", "tháng 3/2024", "Năm 2023" and data windows such as
    "(Từ ngày 15/12/2023 đến ngày 14/3/2024)". A specific phrase in any text wins over a bare
    "năm 2024"; a yearless "Quý I" takes the year of a "Năm 2024" elsewhere. Years are read
    only inside such phrases, and only 2000–2099; signing dates ("ngày 20 tháng 3 năm 2024")
    are ignored.
    """
    if year_end_month is None:
        year_end_month = _year_end_month()
    keys = []
    for text in texts:  # the title naming the period usually comes early: stop there
        if isinstance(text, str) and text.strip():
            keys.append(key := _period_key(text))
            found = _key_period(key, year_end_month)
            if found:
                return found
    years = [int(match[1]) for key in keys if (match := _YEAR_PHRASE.search(key))]
    if not years:
        return None
    for key in keys:
        for pattern, kind in _YEARLESS:
            if match := pattern.search(key):
                if kind == "Q":
                    return Period(years[0], "Q", _quarter_number(match[1]))
                if kind == "H":
                    return Period(years[0], "H", 2 if match[1] == "cuoi" else 1)
                return Period(years[0], kind)
    return Period(years[0], "Y")


# ---------------------------------------------------------------------------------------------
# Legacy Vietnamese encodings (TCVN3, VNI) read as if they were Unicode
# ---------------------------------------------------------------------------------------------
# The tables are data here rather than a dependency. PyPI `viparse` (MIT) has them, but only as
# internal modules of a document loader: importing one runs its package __init__ (40 modules
# and certifi, ~70 ms), and its VNI table leaves out ẳ/Ẳ. Both encodings have a fixed layout.

# TCVN3 (ABC, ".VnTime" fonts): one Latin-1 character per letter; per vowel the five tones in
# the order huyền, sắc, hỏi, ngã, nặng. It has no upper-case toned letters (".VnTimeH" fonts
# draw the lower-case ones in capitals).
_TCVN3_ROWS = (
    ("µ¸¶·¹", "àáảãạ"), ("»¾¼½Æ", "ằắẳẵặ"), ("ÇÊÈÉË", "ầấẩẫậ"), ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ÒÕÓÔÖ", "ềếểễệ"), ("×ÝØÜÞ", "ìíỉĩị"), ("ßãáâä", "òóỏõọ"), ("åèæçé", "ồốổỗộ"),
    ("êíëìî", "ờớởỡợ"), ("ïóñòô", "ùúủũụ"), ("õøö÷ù", "ừứửữự"), ("úýûüþ", "ỳýỷỹỵ"),
    ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"), ("¨©ª«¬\xad®", "ăâêôơưđ"),
)
_TCVN3 = {ord(k): v for keys, letters in _TCVN3_ROWS for k, v in zip(keys, letters, strict=True)}

# VNI ("VNI-Times" fonts): a base letter followed by a mark character; ơ ư đ and the toned i's
# are single characters. Marks: tones ø ù û õ ï (huyền, sắc, hỏi, ngã, nặng), â = circumflex
# and à á å ã ä = circumflex + tone, ê = breve and è é ú ü ë = breve + tone; upper case alike.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_VNI_SINGLE = dict(zip("ñÑôÔöÖòÒæÆóÓ", "đĐơƠưƯịỊỉỈĩĨ", strict=True))


def _vni_table() -> dict[str, str]:
    """Every VNI two-character sequence (base + mark) and single character, to Unicode."""
    table = dict(_VNI_SINGLE)
    groups = (  # (bases, plain mark, tone marks, combining mark added to the base)
        ("aeouyôöAEOUYÔÖ", "", "øùûõï", ""),
        ("aeoAEO", "â", "àáåãä", "\u0302"),
        ("aA", "ê", "èéúüë", "\u0306"),
    )
    for bases, plain, tone_marks, mark in groups:
        for base in bases:
            letter = _VNI_SINGLE.get(base, base) + mark
            pairs = ([(plain, "")] if plain else []) + list(zip(tone_marks, _TONES, strict=True))
            for key, tone in pairs:
                for key_case in {key, key.upper()}:
                    table[base + key_case] = unicodedata.normalize("NFC", letter + tone)
    return table


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))

# Letters of Unicode Vietnamese that lie in Latin-1, and so also appear in Unicode text.
_VIETNAMESE_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9\u0300-\u036f]")
_LEGACY_CHARS = frozenset(map(chr, _TCVN3)) | frozenset("".join(_VNI))
_EVIDENCE = frozenset(ch for ch in _LEGACY_CHARS if not ch.isascii()) - _VIETNAMESE_LATIN1
_WORD = re.compile(
    "[A-Za-z" + re.escape("".join(sorted(_LEGACY_CHARS - set(map(chr, range(128)))))) + "]+"
)
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui "
    "uô uơ uy ưa ưi ươ ưu yê iêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu yêu"
).split()
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    f"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
    "(?:ch|nh|ng|[cmnpt])?"
)


def _is_syllable(word: str) -> bool:
    """True when a lower-case word could be one Vietnamese syllable (one tone at most)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(ch in _TONES for ch in decomposed)
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None


def _fit(text: str, encoding: str) -> tuple[int, int]:
    """(words that become Vietnamese syllables, words that do not) when read in `encoding`.

    Only words with an ASCII letter and a character Unicode Vietnamese never uses count.
    """
    good = bad = 0
    for word in _WORD.findall(text):
        if any(ch in _EVIDENCE for ch in word) and any(ch.isascii() for ch in word):
            if _is_syllable(to_unicode(word, encoding).lower()):
                good += 1
            else:
                bad += 1
    return good, bad


def unicode_vietnamese(text: str) -> bool:
    """True when `text` has a letter or mark only Unicode Vietnamese uses: `detect_legacy` of
    any text holding it is None."""
    return _UNICODE_ONLY.search(text) is not None


def detect_legacy(text: str) -> str | None:
    """The legacy encoding ("tcvn3" or "vni") a text was typed in and read as Unicode, or None.

    Decided by content: at least two words must turn into Vietnamese syllables, far more than
    turn into nonsense, and clearly more in one encoding than in the other. Unicode Vietnamese
    and English never fire; a few words are rarely enough, so pass a sheet's text joined.
    """
    if not text or text.isascii() or _UNICODE_ONLY.search(text):
        return None
    scores = {encoding: _fit(text, encoding) for encoding in ("tcvn3", "vni")}
    margin = {encoding: good - bad for encoding, (good, bad) in scores.items()}
    best = max(margin, key=margin.__getitem__)
    good, bad = scores[best]
    other = margin["vni" if best == "tcvn3" else "tcvn3"]
    if good >= 2 and good >= 3 * bad and margin[best] > other:
        return best
    return None


def to_unicode(text: str, encoding: str) -> str:
    """Convert text typed in a TCVN3 or VNI font (and read as Latin-1) to Unicode NFC.

    TCVN3 has no capital toned letters, so a text whose ASCII letters are all capitals (a
    ".VnTimeH" heading, "CéNG HOµ") comes back in capitals: "CỘNG HOÀ".
    """
    if encoding == "tcvn3":
        converted = text.translate(_TCVN3)
        letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters) and converted != text:
            converted = converted.upper()
    elif encoding == "vni":
        converted = _VNI_PATTERN.sub(lambda match: _VNI[match[0]], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", converted)
