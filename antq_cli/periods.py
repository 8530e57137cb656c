"""Reporting periods: parsing them from --period, finding them in a file's title lines and
name, and the data window each covers (Decree 09/2019/NĐ-CP's closing date, or --closing).

Pure functions, no I/O; the closing in force is passed in (RunSettings.closing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from .text import plain_ascii, roman, roman_value

KINDS = ("Q", "H", "9M", "Y", "M")
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
            return f"Quý {roman(self.number)}/{self.year}"
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


# On the command line: "2024-Q1", "2024Q1", "2024 Q1", "2024-H1", "2024-9M", "2024", "2024-03";
# and "Q1/2024", "Q1-2024", "I/2024", "IV-2024", "H1/2024" with the year last.
_OPTION = re.compile(r"(\d{4})(?:[-_ ]?(?:(Q)([1-4])|(H)([12])|(9M))|-(\d{1,2}))?", re.IGNORECASE)
_YEAR_LAST = re.compile(r"(?:(Q)([1-4])|(H)([12])|(IV|I{1,3}))\s*[/\-._ ]\s*(\d{4})",
                        re.IGNORECASE)


class YearOutOfRange(ValueError):
    """A period written well whose year is not 2000–2099 ("2204-Q1"): said apart from a
    period antq cannot read at all."""

    def __init__(self, year: int) -> None:
        super().__init__(f"year out of range: {year}")
        self.year = year


def parse_period_option(text: str) -> Period:
    """The period given on the command line: "2024-Q1" (also "2024Q1", "Q1/2024", "I/2024"),
    "2024-H1", "2024-9M", "2024", "2024-03".

    A title form such as "Quý I/2024" is accepted as well. Raises YearOutOfRange for a year
    outside 2000–2099, ValueError for anything else (the CLI reports `bad-period`).
    """
    text = text.strip()
    match = _OPTION.fullmatch(text)
    if match:
        year, q_kind, quarter, h_kind, half, nine, month = match.groups()
        kind, number = ((q_kind or h_kind).upper(), int(quarter or half)) if q_kind or h_kind \
            else ("9M", 0) if nine else ("M", int(month)) if month else ("Y", 0)
        return _period(int(year), kind, number)
    match = _YEAR_LAST.fullmatch(text)
    if match:
        q_kind, quarter, h_kind, half, roman_quarter, year = match.groups()
        if roman_quarter:
            return _period(int(year), "Q", roman_value(roman_quarter.lower()) or 0)
        return _period(int(year), (q_kind or h_kind).upper(), int(quarter or half))
    found = find_period([text])
    if found is None:
        raise ValueError(f"not a period: {text!r}")
    return found


def _period(year: int, kind: str, number: int) -> Period:
    if not 2000 <= year <= 2099:
        raise YearOutOfRange(year)
    return Period(year, kind, number)


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


# Decree 09/2019/NĐ-CP's closing: the 14th, the year closing on 14/12.
DECREE_CLOSING = Closing()


def parse_closing(text: str) -> Closing:
    """"14/11" → the 14th, the year closing in November; "31/12" or "0/12" → calendar months."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*", text or "")
    if not match:
        raise ValueError(f"not a closing day/month: {text!r}")
    day, month = int(match[1]), int(match[2])
    # A closing day past the 28th is the month's last day: calendar months.
    return Closing(0 if day > 28 or (month == 2 and day == 28) else day, month)


def window(period: Period, closing: Closing = DECREE_CLOSING) -> tuple[date, date]:
    """The data window of a period: first and last day whose events it counts.

    By Decree 09/2019/NĐ-CP figures close on the 14th: a quarter runs from the 15th of the
    month before it to the 14th of its last month (Q1 2024 = 15/12/2023–14/3/2024), H1 to 14/6,
    9M to 14/9, the year 15/12–14/12, a month 15/2–14/3. `closing.day` (1–28) moves the closing
    day; 0 means calendar months (1/1–31/3). `closing.month` moves the reporting year's close
    (11: the year is 15/11–14/11, its quarters end in February, May, August and November).
    """
    (first_year, first_month), (last_year, last_month) = _months(period, closing.month)
    if closing.day == 0:
        return (
            date(first_year, first_month, 1),
            date(last_year, last_month, _last_day(last_year, last_month)),
        )
    before_year, before_month = _add_months(first_year, first_month, -1)
    return (date(before_year, before_month, closing.day + 1),
            date(last_year, last_month, closing.day))


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


def _period_key(text: str) -> str:
    """Lower-case text without diacritics, "_" as a space, worded dates as dd/mm/yyyy.

    A date is never a period phrase: "ngày 20 tháng 3 năm 2024" is not "tháng 3/2024".
    """
    key = plain_ascii(text).replace("_", " ")
    return _WORDED_DATE.sub(_worded_date, key)


def _quarter_number(token: str) -> int:
    """1–4 from "i".."iv" or "1".."4"."""
    return roman_value(token) or int(token)


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
    closing = Closing(close_day, year_end_month)
    for year in (end.year, end.year + 1):
        for kind, numbers in _NUMBERS_OF_KIND.items():
            for number in numbers:
                candidate = Period(year, kind, number)
                if window(candidate, closing) == (start, end):
                    return candidate
    return None


@lru_cache(maxsize=8192)
def _text_periods(text: str, year_end_month: int) -> tuple[str, Period | None, Period | None]:
    """A text's period key, the period a phrase of it names and the one its data window
    names (remembered: the title lines of a run's files repeat)."""
    key = _period_key(text)
    return key, _specific_period(key), _window_period(key, year_end_month)


def title_against_window(texts: list[Any],
                         closing: Closing = DECREE_CLOSING) -> tuple[Period, Period] | None:
    """(the period the title names, the period the data-window line names) when a file's
    title lines name both and they differ: "Quý I/2024" over "(Từ ngày 15/3/2024 đến ngày
    14/6/2024)". None when they agree or either is missing."""
    phrase = by_window = None
    for text in texts:
        if isinstance(text, str) and text.strip():
            _, named, windowed = _text_periods(text, closing.month)
            phrase, by_window = phrase or named, by_window or windowed
    if phrase is None or by_window is None or phrase == by_window:
        return None
    return phrase, by_window


def find_period(texts: list[Any], closing: Closing = DECREE_CLOSING) -> Period | None:
    """The reporting period named in a file's title cells or file name, None when none is.

    Reads "Quý I/2024", "quý 1/2024", "Q1-2024", "BC quy I-2024 xa Tan Duc.xlsx", "6 tháng
    đầu năm 2024", "9 tháng năm 2024", "tháng 3/2024", "Năm 2023" and data windows such as
    "(Từ ngày 15/12/2023 đến ngày 14/3/2024)". A specific phrase in any text wins over a bare
    "năm 2024"; a yearless "Quý I" takes the year of a "Năm 2024" elsewhere. Years are read
    only inside such phrases, and only 2000–2099; signing dates ("ngày 20 tháng 3 năm 2024")
    are ignored.
    """
    year_end_month = closing.month
    keys = []
    for text in texts:  # the title naming the period usually comes early: stop there
        if isinstance(text, str) and text.strip():
            key, phrase, by_window = _text_periods(text, year_end_month)
            keys.append(key)
            if phrase or by_window:
                return phrase or by_window
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
