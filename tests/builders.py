"""Write ANTQ submissions the way communes and districts really make them.

This module is the independent source of truth for the test suite and the benchmarks: it
never imports ``antq_cli``. It reads the indicator labels, variants and group headers from
``schemas/*.toml`` and lays a form out on a grid (a `Sheet`: cells, merged ranges and where
every unit, indicator and total landed), then renders the grid with a real writer:

=================== ===================================================================
fmt                 writer
=================== ===================================================================
``xlsx``            openpyxl; formulas are stored without a cached value
``xlsx-xlsxwriter`` xlsxwriter; formulas carry their computed value
``xlsm``            openpyxl, then the workbook part gets the macro-enabled content type
                    (a macro-free .xlsm, as Excel itself saves one)
``xls``             xlwt (BIFF8), merged cells via ``write_merge``; formulas have no
                    cached value and COUNTIF totals are written as values
``ods``             odfpy, merged cells via number-columns/rows-spanned + covered cells;
                    formulas (``of:=SUM(...)``) carry their value
``csv``             one sheet, no merges: a single header row of full labels (group
                    headers flattened); ``encoding`` utf-8-sig | utf-8 | cp1258,
                    ``delimiter`` "," | ";"
=================== ===================================================================

Zip-based outputs are normalised (fixed timestamps) so the same call writes the same bytes.

Typical use::

    layout = Layout(header_rows=2, total_row="bottom", total_formulas=True)
    sheet = write_bieu01("BC quy I-2024 xa Tan Duc.xlsx", ("99103", "Xã Tân Đức", "Huyện Tân Minh"),
                         [("9910301", "Thôn 1", random_values("bieu-01", rng)), ...],
                         "Quý I/2024", layout, "xlsx")
    sheet.cell_of("9910301", "households")   # -> "F9", where that value was written
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
FORMATS = ("xlsx", "xlsx-xlsxwriter", "xlsm", "xls", "ods", "csv")
NBSP = "\u00a0"
_FIXED_TIME = (2024, 3, 16, 8, 0, 0)
_FIXED_ISO = "2024-03-16T08:00:00"

# Flag cell values per style: (value when 1, value when 0).
FLAG_STYLES: dict[str, tuple[Any, Any]] = {
    "dat": ("Đạt", "Không đạt"),
    "x": ("x", None),
    "co": ("Có", "Không"),
    "10": (1, 0),
    "check": ("✓", None),
}
_FLAG_ALIASES = {"Đạt": "dat", "Có": "co", "1": "10", "1/0": "10", "✓": "check"}

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


# --------------------------------------------------------------------------- forms


@lru_cache(maxsize=None)
def load_form(form_id: str) -> dict:
    """The parsed schemas/<form_id>.toml (labels, variants, headers, rules)."""
    with open(SCHEMA_DIR / f"{form_id}.toml", "rb") as handle:
        return tomllib.load(handle)


def indicators(form_id: str) -> list[dict]:
    """The form's indicator tables, in form order."""
    return load_form(form_id)["indicators"]


def indicator_codes(form_id: str) -> list[str]:
    """The form's indicator codes, in form order."""
    return [ind["code"] for ind in indicators(form_id)]


def flag_codes(form_id: str) -> list[str]:
    """Codes of the form's flag indicators."""
    return [ind["code"] for ind in indicators(form_id) if ind["type"] == "flag"]


def check_rules(form_id: str, values: dict[str, Any]) -> list[str]:
    """The form's rules that `values` breaks, as readable strings (empty: all hold)."""
    broken = []
    for rule in load_form(form_id).get("rules", []):
        left = values.get(rule["left"]) or 0
        right = sum(values.get(code) or 0 for code in rule["right"])
        ok = {"<=": left <= right, "=": left == right, ">=": left >= right}[rule["op"]]
        if not ok:
            broken.append(f"{rule['left']} {rule['op']} {'+'.join(rule['right'])}: {left} vs {right}")
    return broken


# --------------------------------------------------------------------------- values


def random_values(form_id: str, rng: random.Random) -> dict[str, int]:
    """One row of realistic values for `form_id` that satisfies every rule of the form.

    bieu-01 is a village (80-900 households, 0-6 meetings with some zeros, flags mostly 1);
    bieu-02 is a commune. Flags are 1/0; every indicator of the form is present.
    """
    if form_id == "bieu-01":
        values = _village_values(rng)
    elif form_id == "bieu-02":
        values = _commune_values(rng)
    else:
        raise ValueError(f"no value generator for form {form_id!r}")
    assert set(values) == set(indicator_codes(form_id)), "generator out of step with schema"
    return values


def _village_values(rng: random.Random) -> dict[str, int]:
    households = rng.randint(80, 900)
    meetings = 0 if rng.random() < 0.15 else rng.randint(1, 6)
    if meetings:
        attending = round(households * rng.uniform(0.55, 0.98))
        attendance = sum(rng.randint(25, min(households, 160)) for _ in range(meetings))
    else:
        attending = attendance = 0
    return {
        "meetings": meetings,
        "meeting_attendance": attendance,
        "households": households,
        "households_attending": attending,
        "tips_received": rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8]),
        "self_managed_groups": max(1, households // rng.randint(35, 60)),
        "security_teams": rng.randint(0, 3),
        "mediation_groups": 1 if rng.random() < 0.9 else 2,
        "disputes_mediated": rng.choice([0, 0, 1, 1, 2, 3, 5]),
        "models_active": rng.randint(0, 3),
        "village_safe": 1 if rng.random() < 0.88 else 0,
    }


def _commune_values(rng: random.Random) -> dict[str, int]:
    school_sessions = rng.randint(0, 6)
    minority_sessions = 0 if rng.random() < 0.5 else rng.randint(1, 4)
    theft, robbery, other = rng.randint(0, 8), rng.choice([0, 0, 0, 0, 1, 2]), rng.randint(0, 6)
    educated = rng.randint(0, 45)
    educated_youth = rng.randint(0, educated // 2) if educated else 0
    reformed = rng.randint(educated // 2, educated) if educated else 0
    reformed_youth = rng.randint(0, min(reformed, educated_youth))
    agencies = rng.randint(3, 40)
    return {
        "civil_defense_teams": rng.randint(1, 9),
        "cadres_briefed": rng.randint(20, 420),
        "school_sessions": school_sessions,
        "school_attendance": sum(rng.randint(60, 450) for _ in range(school_sessions)),
        "minority_religious_sessions": minority_sessions,
        "minority_religious_attendance": sum(rng.randint(30, 200) for _ in range(minority_sessions)),
        "leaflets": rng.choice([0, rng.randint(50, 900), rng.randint(1000, 4500)]),
        "prestige_persons": rng.randint(0, 30),
        "crimes_reported": theft + robbery + other,
        "crimes_theft": theft,
        "crimes_robbery": robbery,
        "crimes_other": other,
        "wanted_arrested": rng.choice([0, 0, 0, 1, 2]),
        "wanted_surrendered": rng.choice([0, 0, 0, 0, 1]),
        "social_evils_eliminated": rng.randint(0, 3),
        "subjects_warned": rng.randint(0, 20),
        "educated": educated,
        "educated_youth": educated_youth,
        "reformed": reformed,
        "reformed_youth": reformed_youth,
        "jobs_placed": rng.randint(0, 15),
        "agencies": agencies,
        "agencies_safe": agencies - rng.choice([0, 0, 0, 1, 1, 2]) if agencies > 2 else agencies,
        "commune_safe": 1 if rng.random() < 0.85 else 0,
        "commendations_collective": rng.randint(0, 3),
        "commendations_individual": rng.randint(0, 8),
    }


def vn_number(value: int) -> str:
    """A whole number in Vietnamese format: 16504 -> "16.504"."""
    return f"{value:,}".replace(",", ".")


# --------------------------------------------------------------------------- periods


def period_window(period: str) -> tuple[dt.date, dt.date] | None:
    """The Decree 09/2019 data window of a period text ("Quý I/2024" -> 15/12/2023-14/3/2024)."""
    text = unicodedata.normalize("NFC", period).lower()
    match = re.search(r"(?:quý|quy|q)\s*([ivx]+|\d)\s*(?:/|\.|-|năm)\s*(\d{4})", text)
    if match:
        token, year = match.group(1), int(match.group(2))
        quarter = int(token) if token.isdigit() else _ROMAN.index(token.upper()) + 1
        return _window(year, 3 * quarter - 2, 3 * quarter)
    if match := re.search(r"6 tháng(?: đầu)? năm (\d{4})", text):
        return _window(int(match.group(1)), 1, 6)
    if match := re.search(r"9 tháng(?: đầu)? năm (\d{4})", text):
        return _window(int(match.group(1)), 1, 9)
    if match := re.search(r"tháng (\d{1,2})\s*/\s*(\d{4})", text):
        month = int(match.group(1))
        return _window(int(match.group(2)), month, month)
    if match := re.search(r"năm (\d{4})", text):
        return _window(int(match.group(1)), 1, 12)
    return None


def _window(year: int, first_month: int, last_month: int) -> tuple[dt.date, dt.date]:
    start_year, start_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    return dt.date(start_year, start_month, 15), dt.date(year, last_month, 14)


def _vn_date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


# --------------------------------------------------------------------------- the grid


@dataclass
class Formula:
    """A formula cell: `expr` in Excel syntax without "=", and the value it computes."""

    expr: str
    value: Any


@dataclass
class Section:
    """A section row between data rows ("I | Các xã"); `numeral` defaults to I, II, …"""

    label: str
    numeral: str | None = None


@dataclass
class Sheet:
    """A laid-out sheet: cells by 0-based (row, col), merged ranges, and where things landed.

    `columns` maps "stt", "code", "name", "value" (vertical) and indicator codes to 0-based
    columns; `data_rows` maps each row's unit code (or its name when it has no code; for a
    vertical sheet, each indicator code) to its 0-based row.
    """

    name: str
    form_id: str | None = None
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold: set[tuple[int, int]] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    data_rows: dict[str, int] = field(default_factory=dict)
    header_rows: tuple[int, int] | None = None
    column_number_row: int | None = None
    total_row: int | None = None
    vertical: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    def set(self, row: int, col: int, value: Any, bold: bool = False) -> None:
        """Put a value (None leaves the cell blank)."""
        if value is not None:
            self.cells[(row, col)] = value
        if bold:
            self.bold.add((row, col))

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: Any, bold: bool = False) -> None:
        """Put a value in the top-left cell and merge the range (one-cell ranges stay plain)."""
        self.set(r1, c1, value, bold)
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    @property
    def n_rows(self) -> int:
        """Number of rows up to the last used one."""
        return 1 + max([r for r, _ in self.cells] + [m[2] for m in self.merges] + [0])

    @property
    def n_cols(self) -> int:
        """Number of columns up to the last used one."""
        return 1 + max([c for _, c in self.cells] + [m[3] for m in self.merges] + [0])

    def value(self, row: int, col: int) -> Any:
        """The value written at (row, col); a Formula gives its computed value."""
        cell = self.cells.get((row, col))
        return cell.value if isinstance(cell, Formula) else cell

    def cell_of(self, unit: str | None, indicator: str) -> str:
        """A1 address of an indicator's value for a unit (vertical sheets ignore `unit`)."""
        if self.vertical:
            return a1(self.data_rows[indicator], self.columns["value"])
        return a1(self.data_rows[unit], self.columns[indicator])

    def total_cell(self, indicator: str) -> str:
        """A1 address of an indicator's cell in the total row."""
        assert self.total_row is not None, "this sheet has no total row"
        return a1(self.total_row, self.columns[indicator])

    def rows(self) -> list[list[Any]]:
        """The grid as a list of rows of values (formulas as their value, blanks as None)."""
        return [[self.value(r, c) for c in range(self.n_cols)] for r in range(self.n_rows)]


def column_letter(col: int) -> str:
    """0-based column index to letters: 0 -> A, 27 -> AB."""
    letters, col = "", col + 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1(row: int, col: int) -> str:
    """0-based (row, col) to an A1 address."""
    return f"{column_letter(col)}{row + 1}"


# --------------------------------------------------------------------------- layout


@dataclass
class Layout:
    """How a submission looks. Every knob is something real files do.

    title_block      motto right, police unit(s) left, then the report title with the period,
                     the form title and "(Số liệu tính từ ngày … đến ngày …)".
    unit_line        how the sender is stated: "line" ("Đơn vị báo cáo: Xã Tân Đức", prefix in
                     `unit_line_prefix`), "title_block" ("CÔNG AN XÃ TÂN ĐỨC" in the left block)
                     or None (the left block is left out: only the file name, or a code
                     column, tells).
    header_rows      1 (full labels), 2 (group headers merged over their parts, the other
                     columns merged vertically) or 3 (plus a "KẾT QUẢ THỰC HIỆN" band over all
                     indicator columns).
    column_numbers   None, "paren" ("(1)", "(2)", … over every column) or "letters" ("A", "B"
                     over the STT/code/name columns, then the numbers 1, 2, … as numbers).
    stt              an STT column 1, 2, 3 (Section rows get I, II and restart the count).
    code_column      a "Mã" column with the unit codes (as text).
    total_row        None, "top" or "bottom"; `total_label` "Tổng cộng" | "Cộng" | "Tổng số";
                     `total_formulas` writes SUM/COUNTIF formulas; `total_override` replaces
                     some totals with other numbers (a total that does not add up).
                     Flag totals are the number of flagged rows.
    blank_rows       how many blank rows to scatter between data rows (seeded positions).
    notes_and_signature  "Ghi chú: …", "Người lập biểu", the date, "Trưởng Công an xã", names.
    column_order     "form" or "shuffle" (seeded; group members stay together).
    text_numbers     every count written as text: "1.234", " 12 ", "12\\xa0" (no formulas then).
    messy_labels     labels cycled through: a schema variant, a line break, UPPER/lower case,
                     NFD, extra spaces, a trailing "(vụ)"/"(người)"; other id column labels.
    start_col        "A", "B" or "C": the column the table starts in.
    flag_style       "dat" (Đạt/Không đạt), "x" (x/blank), "co" (Có/Không), "10" (1/0),
                     "check" (✓/blank).
    extra_sheets     add a "Hướng dẫn" sheet before the form and a "Danh sách" sheet after it.
    sheet_name       the form sheet's name (default "Biểu 01" / "Biểu 02").
    seed             drives every seeded choice (shuffle, messiness, text styles, blanks).
    """

    title_block: bool = True
    unit_line: str | None = "title_block"
    unit_line_prefix: str = "Đơn vị báo cáo: "
    header_rows: int = 2
    column_numbers: str | None = "paren"
    stt: bool = True
    code_column: bool = False
    total_row: str | None = "bottom"
    total_label: str = "Tổng cộng"
    total_formulas: bool = False
    total_override: dict[str, Any] | None = None
    blank_rows: int = 0
    notes_and_signature: bool = True
    column_order: str = "form"
    text_numbers: bool = False
    messy_labels: bool = False
    start_col: str = "A"
    flag_style: str = "dat"
    extra_sheets: bool = False
    sheet_name: str | None = None
    seed: int = 0


Row = tuple[str | None, str, dict[str, Any]]
Sender = tuple[str, str] | tuple[str, str, str]


class _Messer:
    """Cycles through the kinds of label damage so a table shows each of them."""

    KINDS = ("variant", "newline", "case", "nfd", "spaces", "unit")

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.turn = rng.randrange(len(self.KINDS))

    def __call__(self, label: str, unit: str | None = None, variants: Sequence[str] = ()) -> str:
        kind = self.KINDS[self.turn % len(self.KINDS)]
        self.turn += 1
        if kind == "variant" and variants:
            return self.rng.choice(list(variants))
        if kind == "case":
            return label.upper() if self.turn % 2 else label.lower()
        if kind == "nfd":
            return unicodedata.normalize("NFD", label)
        if kind == "spaces":
            return " " + label.replace(" ", "  ", 1) + "  "
        if kind == "unit" and unit:
            return f"{label} ({unit})"
        spaces = [i for i, ch in enumerate(label) if ch == " "]
        if not spaces:
            return label + " "
        cut = min(spaces, key=lambda i: abs(i - len(label) // 2))
        return label[:cut] + "\n" + label[cut + 1:]


def _flag_pair(style: str) -> tuple[Any, Any]:
    return FLAG_STYLES[_FLAG_ALIASES.get(style, style)]


class _Cells:
    """Turns values into cell contents for a layout (flags, text numbers)."""

    def __init__(self, form_id: str, layout: Layout):
        self.flags = set(flag_codes(form_id))
        self.layout = layout
        self.on, self.off = _flag_pair(layout.flag_style)
        self.rng = random.Random(f"{layout.seed}:text-numbers")

    def __call__(self, indicator: str, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value  # blanks and deliberate oddities ("12,5", "abc") go in as they are
        if indicator in self.flags:
            return self.on if value else self.off
        return self.text(value) if self.layout.text_numbers else value

    def text(self, value: Any) -> Any:
        if not isinstance(value, int):
            return value
        shown = vn_number(value)
        return self.rng.choice([shown, shown, f" {shown} ", f"{shown}{NBSP}", f"{NBSP}{shown}"])


def _col_index(start_col: str | int) -> int:
    if isinstance(start_col, int):
        return start_col
    return ord(start_col.upper()) - ord("A")


def _sender_parts(sender: Sender) -> tuple[str, str, str | None]:
    code, name = sender[0], sender[1]
    parent = sender[2] if len(sender) > 2 else None
    return code, name, parent


_TYPE_WORDS = ("Thị trấn", "Thị xã", "Thành phố", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh",
               "Xã")


def _type_word(name: str) -> str:
    for word in _TYPE_WORDS:
        if name.startswith(word + " "):
            return word
    return "Xã"


def _police(name: str) -> str:
    return f"CÔNG AN {name}".upper()


def _title_block(sheet: Sheet, row: int, c0: int, width: int, form_id: str, sender: Sender,
                 period: str, layout: Layout) -> int:
    """Write the motto, police lines, title and window from `row`; return the next free row."""
    _, name, parent = _sender_parts(sender)
    left = []
    if layout.unit_line is not None:
        if parent:
            left.append(_police(parent))
        if layout.unit_line == "title_block":
            left.append(_police(name))
    if not layout.title_block:
        if layout.unit_line == "title_block":
            sheet.set(row, c0, _police(name), bold=True)
            row += 2
        return row
    lw = max(1, (width - 1) // 2)
    for i, text in enumerate(left):
        sheet.merge(row + i, c0, row + i, c0 + lw - 1, text, bold=(i == len(left) - 1))
    sheet.merge(row, c0 + lw, row, c0 + width - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    sheet.merge(row + 1, c0 + lw, row + 1, c0 + width - 1, "Độc lập - Tự do - Hạnh phúc", bold=True)
    row += max(2, len(left)) + 1
    title = f"BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC {period.upper()}"
    sheet.merge(row, c0, row, c0 + width - 1, title, bold=True)
    form = load_form(form_id)
    number = form_id.split("-")[-1]
    sheet.merge(row + 1, c0, row + 1, c0 + width - 1, f"(Biểu {number}: {form['title']})")
    row += 2
    window = period_window(period)
    if window:
        text = f"(Số liệu tính từ ngày {_vn_date(window[0])} đến ngày {_vn_date(window[1])})"
        sheet.merge(row, c0, row, c0 + width - 1, text)
        row += 1
    return row + 1


def _unit_line(sheet: Sheet, row: int, c0: int, sender: Sender, layout: Layout) -> int:
    if layout.unit_line != "line":
        return row
    sheet.set(row, c0, f"{layout.unit_line_prefix}{_sender_parts(sender)[1]}", bold=True)
    return row + 2


def _signature(sheet: Sheet, row: int, c0: int, width: int, sender: Sender, period: str,
               layout: Layout) -> int:
    """Notes, date and signatures; the date names the place only when the sender is stated."""
    _, name, _ = _sender_parts(sender)
    window = period_window(period)
    signed = (window[1] + dt.timedelta(days=2)) if window else None
    date = f"ngày {signed.day} tháng {signed.month} năm {signed.year}" if signed \
        else "ngày … tháng … năm …"
    if layout.unit_line is None:
        date = date[0].upper() + date[1:]
    else:
        words = 2 if name.startswith(("Thị trấn", "Thị xã", "Thành phố", "Đặc khu")) else 1
        date = f"{name.split(' ', words)[-1]}, {date}"
    sheet.set(row + 1, c0, "Ghi chú: Số liệu báo cáo theo hướng dẫn của Công an tỉnh.")
    lw = max(1, (width - 1) // 2)
    row += 3
    sheet.merge(row, c0 + lw, row, c0 + width - 1, date)
    sheet.merge(row + 1, c0, row + 1, c0 + lw - 1, "Người lập biểu", bold=True)
    sheet.merge(row + 1, c0 + lw, row + 1, c0 + width - 1,
                f"Trưởng Công an {_type_word(name).lower()}", bold=True)
    sheet.merge(row + 5, c0, row + 5, c0 + lw - 1, "Nguyễn Thị Thu Hà", bold=True)
    sheet.merge(row + 5, c0 + lw, row + 5, c0 + width - 1, "Thiếu tá Trần Văn Bình", bold=True)
    return row + 6


# --------------------------------------------------------------------------- table forms


def _blocks(form_id: str, layout: Layout, rng: random.Random, messer: _Messer | None) -> list:
    """Indicator column blocks: ("single", code, label) or ("group", label, [(code, part)])."""
    blocks: list = []
    inds = indicators(form_id)
    i = 0
    while i < len(inds):
        ind = inds[i]
        members = [ind]
        if layout.header_rows >= 2 and ind.get("headers"):
            group = ind["headers"][0][0]
            j = i + 1
            while j < len(inds) and inds[j].get("headers") and inds[j]["headers"][0][0] == group:
                members.append(inds[j])
                j += 1
        if len(members) == 1:
            label = ind["label"]
            if messer:
                label = messer(label, ind.get("unit"), ind.get("variants", ()))
            blocks.append(("single", ind["code"], label))
            i += 1
            continue
        shared = [g for g in dict.fromkeys(p[0] for p in members[0]["headers"])
                  if all(any(p[0] == g for p in m["headers"]) for m in members)]
        group = rng.choice(shared) if messer else shared[0]
        parts = []
        for member in members:
            options = [p[1] for p in member["headers"] if p[0] == group]
            part = rng.choice(options) if messer else options[0]
            if messer:
                part = messer(part, member.get("unit"))
            parts.append((member["code"], part))
        blocks.append(("group", messer(group) if messer else group, parts))
        i += len(members)
    if layout.column_order == "shuffle":
        random.Random(f"{layout.seed}:order").shuffle(blocks)
    elif layout.column_order != "form":
        raise ValueError(f"column_order must be 'form' or 'shuffle', not {layout.column_order!r}")
    return blocks


def _id_columns(form_id: str, layout: Layout, rng: random.Random) -> list[tuple[str, str]]:
    columns = load_form(form_id)["columns"]
    pick = (lambda options: rng.choice(options)) if layout.messy_labels else (lambda o: o[0])
    ids = []
    if layout.stt:
        ids.append(("stt", pick(columns["stt"])))
    if layout.code_column:
        ids.append(("code", pick(columns["code"])))
    ids.append(("name", pick(columns["name"])))
    return ids


def table_sheet(form_id: str, sender: Sender, rows: Sequence[Row | Section], period: str,
                layout: Layout | None = None) -> Sheet:
    """Lay out a row-per-unit form (bieu-01, bieu-02) on a Sheet."""
    layout = layout or Layout()
    if layout.header_rows not in (1, 2, 3):
        raise ValueError("header_rows must be 1, 2 or 3")
    number = form_id.split("-")[-1]
    sheet = Sheet(name=layout.sheet_name or f"Biểu {number}", form_id=form_id)
    rng = random.Random(f"{layout.seed}:{form_id}:labels")
    messer = _Messer(rng) if layout.messy_labels else None
    ids = _id_columns(form_id, layout, rng)
    blocks = _blocks(form_id, layout, rng, messer)
    c0 = _col_index(layout.start_col)
    order = [key for key, _ in ids] + [
        code for b in blocks for code in ([b[1]] if b[0] == "single" else [c for c, _ in b[2]])]
    sheet.columns = {key: c0 + i for i, key in enumerate(order)}
    width = len(order)

    row = _title_block(sheet, 0, c0, width, form_id, sender, period, layout)
    row = _unit_line(sheet, row, c0, sender, layout)

    # header
    h = layout.header_rows
    top = row
    sheet.header_rows = (top, top + h - 1)
    for key, label in ids:
        sheet.merge(top, sheet.columns[key], top + h - 1, sheet.columns[key], label, bold=True)
        sheet.labels[key] = label
    first_ind = c0 + len(ids)
    if h == 3:
        band = "KẾT QUẢ THỰC HIỆN"
        sheet.merge(top, first_ind, top, c0 + width - 1, messer(band) if messer else band, bold=True)
    group_row = top + (1 if h == 3 else 0)
    for block in blocks:
        if block[0] == "single":
            col = sheet.columns[block[1]]
            sheet.merge(group_row, col, top + h - 1, col, block[2], bold=True)
            sheet.labels[block[1]] = block[2]
        else:
            cols = [sheet.columns[code] for code, _ in block[2]]
            sheet.merge(group_row, cols[0], group_row, cols[-1], block[1], bold=True)
            for (code, part), col in zip(block[2], cols):
                sheet.set(group_row + 1, col, part, bold=True)
                sheet.labels[code] = f"{block[1]} | {part}"
    row = top + h
    for key, _ in ids:
        sheet.widths[sheet.columns[key]] = {"stt": 5, "code": 10, "name": 24}[key]
    for code in order[len(ids):]:
        sheet.widths[sheet.columns[code]] = 12

    if layout.column_numbers:
        sheet.column_number_row = row
        for i, key in enumerate(order):
            if layout.column_numbers == "paren":
                mark: Any = f"({i + 1})"
            elif i < len(ids):
                mark = chr(ord("A") + i)
            else:
                mark = i - len(ids) + 1
            sheet.set(row, c0 + i, mark)
        row += 1

    convert = _Cells(form_id, layout)
    units = [r for r in rows if not isinstance(r, Section)]
    n_blank = min(layout.blank_rows, max(0, len(rows) - 1))
    blank_after = set(random.Random(f"{layout.seed}:blanks").sample(range(len(rows) - 1), n_blank)) \
        if n_blank else set()
    if layout.total_row == "top":
        sheet.total_row = row
        row += 1
    first_data = row
    numeral = 0
    stt = 0
    for index, item in enumerate(rows):
        if isinstance(item, Section):
            label = item.numeral or _ROMAN[numeral]
            numeral += 1
            stt = 0
            if layout.stt:
                sheet.set(row, sheet.columns["stt"], label, bold=True)
                sheet.set(row, sheet.columns["name"], item.label, bold=True)
            else:
                sheet.set(row, sheet.columns["name"], f"{label}. {item.label}", bold=True)
        else:
            code, name, values = item
            stt += 1
            if layout.stt:
                sheet.set(row, sheet.columns["stt"], stt)
            if layout.code_column:
                sheet.set(row, sheet.columns["code"], code)
            sheet.set(row, sheet.columns["name"], name)
            for indicator in order[len(ids):]:
                sheet.set(row, sheet.columns[indicator], convert(indicator, values.get(indicator)))
            sheet.data_rows[code or name] = row
        row += 1
        if index in blank_after:
            row += 1
    last_data = row - 1
    if layout.total_row == "bottom":
        sheet.total_row = row
        row += 1
    elif layout.total_row not in (None, "top"):
        raise ValueError("total_row must be None, 'top' or 'bottom'")
    if sheet.total_row is not None:
        _total_row(sheet, form_id, units, order[len(ids):], layout, convert, first_data, last_data)
    if layout.notes_and_signature:
        row = _signature(sheet, row, c0, width, sender, period, layout)
    return sheet


def _total_row(sheet: Sheet, form_id: str, units: Sequence[Row], indicator_cols: list[str],
               layout: Layout, convert: _Cells, first: int, last: int) -> None:
    row = sheet.total_row
    label_cols = [sheet.columns[k] for k in ("stt", "code", "name") if k in sheet.columns]
    sheet.merge(row, label_cols[0], row, label_cols[-1], layout.total_label, bold=True)
    flags = set(flag_codes(form_id))
    override = layout.total_override or {}
    for indicator in indicator_cols:
        numbers = [v.get(indicator) for _, _, v in units]
        total = sum(n for n in numbers if isinstance(n, (int, float)) and not isinstance(n, bool))
        col = sheet.columns[indicator]
        if indicator in override:
            cell: Any = override[indicator]
        elif layout.text_numbers:
            cell = convert.text(total)
        elif layout.total_formulas:
            span = f"{a1(first, col)}:{a1(last, col)}"
            on = _flag_pair(layout.flag_style)[0]
            if indicator in flags and isinstance(on, str):
                cell = Formula(f'COUNTIF({span},"{on}")', total)
            else:
                cell = Formula(f"SUM({span})", total)
        else:
            cell = total
        sheet.set(row, col, cell, bold=True)


def vertical_sheet(sender: Sender, values: dict[str, Any], period: str,
                   layout: Layout | None = None, form_id: str = "bieu-02") -> Sheet:
    """Lay out one unit's form vertically: STT | Nội dung | ĐVT | Số liệu, sections I-IV."""
    layout = layout or Layout(header_rows=1, column_numbers=None)
    sheet = Sheet(name=layout.sheet_name or f"Biểu {form_id.split('-')[-1]}", form_id=form_id,
                  vertical=True)
    rng = random.Random(f"{layout.seed}:{form_id}:vertical")
    messer = _Messer(rng) if layout.messy_labels else None
    spec = load_form(form_id)
    heads = spec.get("vertical", {})
    pick = (lambda o: rng.choice(o)) if messer else (lambda o: o[0])
    header = [("stt", pick(spec["columns"]["stt"])),
              ("content", pick(heads.get("content", ["Nội dung"]))),
              ("uom", pick(heads.get("unit_of_measure", ["ĐVT"]))),
              ("value", pick(heads.get("value", ["Số liệu"])))]
    c0 = _col_index(layout.start_col)
    sheet.columns = {key: c0 + i for i, (key, _) in enumerate(header)}
    row = _title_block(sheet, 0, c0, 4, form_id, sender, period, layout)
    row = _unit_line(sheet, row, c0, sender, layout)
    sheet.header_rows = (row, row)
    for key, label in header:
        sheet.set(row, sheet.columns[key], label, bold=True)
        sheet.labels[key] = label
    row += 1
    if layout.column_numbers:
        sheet.column_number_row = row
        marks = ["(1)", "(2)", "(3)", "(4)"] if layout.column_numbers == "paren" else ["A", "B", "C", 1]
        for i, mark in enumerate(marks):
            sheet.set(row, c0 + i, mark)
        row += 1
    sheet.widths.update({c0: 5, c0 + 1: 48, c0 + 2: 10, c0 + 3: 12})
    convert = _Cells(form_id, layout)
    sections = _VERTICAL_SECTIONS.get(form_id, {})
    stt = 0
    for ind in spec["indicators"]:
        code = ind["code"]
        if code in sections:
            numeral, title = sections[code]
            sheet.set(row, c0, numeral, bold=True)
            sheet.set(row, c0 + 1, title, bold=True)
            row += 1
        label = messer(ind["label"], ind.get("unit"), ind.get("variants", ())) if messer else ind["label"]
        if ind["label"].startswith("Trong đó"):
            label = "    " + label
        else:
            stt += 1
            sheet.set(row, c0, stt)
        sheet.set(row, c0 + 1, label)
        sheet.labels[code] = label
        sheet.set(row, c0 + 2, ind.get("unit"))
        sheet.set(row, c0 + 3, convert(code, values.get(code)))
        sheet.data_rows[code] = row
        row += 1
    if layout.notes_and_signature:
        _signature(sheet, row, c0, 4, sender, period, layout)
    return sheet


_VERTICAL_SECTIONS = {
    "bieu-02": {
        "civil_defense_teams": ("I", "CÔNG TÁC TUYÊN TRUYỀN, VẬN ĐỘNG"),
        "crimes_reported": ("II", "KẾT QUẢ PHÁT HIỆN, TỐ GIÁC TỘI PHẠM"),
        "educated": ("III", "GIÁO DỤC, CẢM HÓA NGƯỜI VI PHẠM PHÁP LUẬT"),
        "agencies": ("IV", "XÂY DỰNG PHONG TRÀO, KHEN THƯỞNG"),
    },
}


def instructions_sheet(form_id: str, name: str = "Hướng dẫn") -> Sheet:
    """A sheet of filling instructions: text only, no table."""
    sheet = Sheet(name=name)
    lines = [
        "HƯỚNG DẪN GHI BIỂU",
        f"1. Mỗi đơn vị ghi một dòng; không sửa tên cột của biểu {form_id}.",
        "2. Số liệu tính từ ngày 15 tháng cuối quý trước đến ngày 14 tháng cuối quý "
        "báo cáo.",
        "3. Cột đánh giá ghi \"Đạt\" hoặc \"Không đạt\".",
        "4. Dòng Tổng cộng dùng công thức SUM, không nhập tay.",
        "5. Gửi biểu về Công an huyện trước ngày 16 tháng cuối quý.",
    ]
    for i, line in enumerate(lines):
        sheet.set(i, 0, line, bold=(i == 0))
    sheet.widths[0] = 90
    return sheet


def list_sheet(rows: Sequence[Row | Section], form_id: str = "bieu-01", name: str = "Danh sách") -> Sheet:
    """A list of the units (STT | Mã | Tên): looks like a table, is not a form."""
    sheet = Sheet(name=name)
    sheet.set(0, 0, "DANH SÁCH ĐƠN VỊ", bold=True)
    columns = load_form(form_id)["columns"]
    for col, label in enumerate(["STT", "Mã", columns["name"][0], "Ghi chú"]):
        sheet.set(2, col, label, bold=True)
    units = [r for r in rows if not isinstance(r, Section)]
    for i, (code, unit_name, _) in enumerate(units):
        sheet.set(3 + i, 0, i + 1)
        sheet.set(3 + i, 1, code)
        sheet.set(3 + i, 2, unit_name)
    sheet.widths.update({0: 5, 1: 10, 2: 26, 3: 20})
    return sheet


# --------------------------------------------------------------------------- public writers


def _form_sheets(form_sheet: Sheet, rows: Sequence[Row | Section], layout: Layout, fmt: str) -> list[Sheet]:
    if not layout.extra_sheets or fmt == "csv":
        return [form_sheet]
    return [instructions_sheet(form_sheet.form_id or ""), form_sheet,
            list_sheet(rows, form_sheet.form_id or "bieu-01")]


def _csv_layout(layout: Layout, fmt: str) -> Layout:
    return replace(layout, header_rows=1) if fmt == "csv" else layout


def write_bieu01(path: str | Path, sender: Sender, rows: Sequence[Row | Section], period: str,
                 layout: Layout | None = None, fmt: str | None = None, **csv_options: str) -> Sheet:
    """Write a commune's bieu-01 (one row per village) and return the laid-out form sheet.

    sender is (code, name) or (code, name, parent name); rows are (code, name, values) with
    values indicator code -> number / flag 1|0 / None (blank) / str (written as is).
    """
    fmt = fmt or _fmt_from_suffix(path)
    layout = _csv_layout(layout or Layout(), fmt)
    sheet = table_sheet("bieu-01", sender, rows, period, layout)
    write_workbook(path, _form_sheets(sheet, rows, layout, fmt), fmt, **csv_options)
    return sheet


def write_bieu02(path: str | Path, sender: Sender, rows: Sequence[Row | Section], period: str,
                 layout: Layout | None = None, fmt: str | None = None, **csv_options: str) -> Sheet:
    """Write bieu-02: a commune's own row, or a district's row per commune (Section rows allowed)."""
    fmt = fmt or _fmt_from_suffix(path)
    layout = _csv_layout(layout or Layout(total_row=None), fmt)
    sheet = table_sheet("bieu-02", sender, rows, period, layout)
    write_workbook(path, _form_sheets(sheet, rows, layout, fmt), fmt, **csv_options)
    return sheet


def write_bieu02_vertical(path: str | Path, sender: Sender, values: dict[str, Any], period: str,
                          fmt: str | None = None, layout: Layout | None = None,
                          **csv_options: str) -> Sheet:
    """Write bieu-02 vertically (indicators as rows, "Trong đó: …" rows indented)."""
    fmt = fmt or _fmt_from_suffix(path)
    sheet = vertical_sheet(sender, values, period, layout)
    write_workbook(path, [sheet], fmt, **csv_options)
    return sheet


def write_workbook(path: str | Path, sheets: Sequence[Sheet], fmt: str | None = None, *,
                   encoding: str = "utf-8-sig", delimiter: str = ",") -> None:
    """Write Sheets (one per worksheet) to `path` in `fmt` (see the module docstring).

    CSV takes exactly one sheet; build it with header_rows=1 for a realistic export.
    """
    fmt = fmt or _fmt_from_suffix(path)
    path = Path(path)
    names = [s.name for s in sheets]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate sheet names: {names}")
    if fmt in ("xlsx", "xlsm"):
        _write_openpyxl(path, sheets)
        _normalize_zip(path, xlsm=(fmt == "xlsm"))
    elif fmt == "xlsx-xlsxwriter":
        _write_xlsxwriter(path, sheets)
        _normalize_zip(path)
    elif fmt == "xls":
        _write_xlwt(path, sheets)
    elif fmt == "ods":
        _write_ods(path, sheets)
        _normalize_zip(path)
    elif fmt == "csv":
        if len(sheets) != 1:
            raise ValueError("a CSV file holds exactly one sheet")
        _write_csv(path, sheets[0], encoding, delimiter)
    else:
        raise ValueError(f"unknown fmt {fmt!r}; one of {FORMATS}")


def _fmt_from_suffix(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("xlsx", "xlsm", "xls", "ods", "csv"):
        raise ValueError(f"cannot tell the format of {path}; pass fmt")
    return suffix


# --------------------------------------------------------------------------- renderers


def _write_openpyxl(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for (r, c), value in sorted(sheet.cells.items()):
            cell = ws.cell(row=r + 1, column=c + 1)
            cell.value = f"={value.expr}" if isinstance(value, Formula) else value
            if isinstance(value, str) and "\n" in value:
                cell.alignment = wrap
        for r, c in sheet.bold:
            ws.cell(row=r + 1, column=c + 1).font = bold
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for col, width in sheet.widths.items():
            ws.column_dimensions[column_letter(col)].width = width
    workbook.properties.creator = "Công an xã"
    workbook.properties.created = workbook.properties.modified = dt.datetime(*_FIXED_TIME)
    workbook.save(path)


def _write_xlsxwriter(path: Path, sheets: Sequence[Sheet]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"author": "Công an xã", "created": dt.datetime(*_FIXED_TIME)})
    plain = workbook.add_format({"text_wrap": True, "valign": "vcenter"})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name)
        merged = {(m[0], m[1]): m for m in sheet.merges}
        for (r, c), value in sorted(sheet.cells.items()):
            style = bold if (r, c) in sheet.bold else plain
            if (r, c) in merged:
                r1, c1, r2, c2 = merged[(r, c)]
                ws.merge_range(r1, c1, r2, c2, "", style)
            if isinstance(value, Formula):
                ws.write_formula(r, c, f"={value.expr}", style, value.value)
            elif isinstance(value, str):
                ws.write_string(r, c, value, style)
            else:
                ws.write_number(r, c, value, style)
        for (r1, c1, r2, c2) in sheet.merges:
            if (r1, c1) not in sheet.cells:
                ws.merge_range(r1, c1, r2, c2, "", plain)
        for col, width in sheet.widths.items():
            ws.set_column(col, col, width)
    workbook.close()


def _write_xlwt(path: Path, sheets: Sequence[Sheet]) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    plain = xlwt.easyxf("align: wrap on, vert centre")
    bold = xlwt.easyxf("font: bold on; align: wrap on, vert centre")
    for sheet in sheets:
        ws = workbook.add_sheet(sheet.name, cell_overwrite_ok=True)
        merged = {(m[0], m[1]): m for m in sheet.merges}
        done = set()
        for (r, c), value in sorted(sheet.cells.items()):
            style = bold if (r, c) in sheet.bold else plain
            if isinstance(value, Formula):
                # xlwt's formula parser takes plain SUMs; other formulas go in as their value.
                value = xlwt.Formula(value.expr) if value.expr.startswith("SUM(") else value.value
            if (r, c) in merged:
                r1, c1, r2, c2 = merged[(r, c)]
                ws.write_merge(r1, r2, c1, c2, value, style)
                done.add((r1, c1))
            else:
                ws.write(r, c, value, style)
        for (r1, c1, r2, c2) in sheet.merges:
            if (r1, c1) not in done:
                ws.write_merge(r1, r2, c1, c2, "", plain)
        for col, width in sheet.widths.items():
            ws.col(col).width = int(width * 256)
    workbook.save(str(path))


def _ods_formula(expr: str) -> str:
    expr = re.sub(r"([A-Z]+\d+):([A-Z]+\d+)", r"[.\1:.\2]", expr)
    return "of:=" + expr.replace(",", ";")


def _write_ods(path: Path, sheets: Sequence[Sheet]) -> None:
    from odf import teletype
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    bold = Style(name="bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    width_styles: dict[float, Style] = {}
    for sheet in sheets:
        table = Table(name=sheet.name)
        for col in range(sheet.n_cols):
            width = sheet.widths.get(col, 10)
            if width not in width_styles:
                style = Style(name=f"co{len(width_styles) + 1}", family="table-column")
                style.addElement(TableColumnProperties(columnwidth=f"{width * 0.19:.2f}cm"))
                doc.automaticstyles.addElement(style)
                width_styles[width] = style
            table.addElement(TableColumn(stylename=width_styles[width]))
        spans = {(m[0], m[1]): m for m in sheet.merges}
        covered = {(r, c) for r1, c1, r2, c2 in sheet.merges
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - set(spans)
        for r in range(sheet.n_rows):
            tr = TableRow()
            for c in range(sheet.n_cols):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                attrs: dict[str, Any] = {}
                if (r, c) in spans:
                    r1, c1, r2, c2 = spans[(r, c)]
                    attrs.update(numbercolumnsspanned=c2 - c1 + 1, numberrowsspanned=r2 - r1 + 1)
                if (r, c) in sheet.bold:
                    attrs["stylename"] = bold
                value = sheet.cells.get((r, c))
                if isinstance(value, Formula):
                    attrs["formula"] = _ods_formula(value.expr)
                    value = value.value
                if value is None:
                    cell = TableCell(**attrs)
                elif isinstance(value, str):
                    cell = TableCell(valuetype="string", **attrs)
                    for line in value.split("\n"):  # LibreOffice keeps each line as a <text:p>
                        paragraph = P()
                        teletype.addTextToElement(paragraph, line)
                        cell.addElement(paragraph)
                else:
                    cell = TableCell(valuetype="float", value=value, **attrs)
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def encode_cp1258(text: str) -> bytes:
    """Encode text as Windows-1258 does: precomposed where the code page has the letter,
    else base letter + combining tone mark ("ệ" -> "ê" + U+0323)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def csv_text(sheet: Sheet, delimiter: str = ",") -> str:
    """The sheet as CSV text (merged labels in their top-left cell, formulas as values)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for values in sheet.rows():
        writer.writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def _write_csv(path: Path, sheet: Sheet, encoding: str, delimiter: str) -> None:
    text = csv_text(sheet, delimiter)
    if encoding.lower().replace("_", "-") in ("cp1258", "windows-1258"):
        data = encode_cp1258(text)
    elif encoding in ("utf-8", "utf-8-sig"):
        data = text.encode(encoding)
    else:
        raise ValueError(f"unsupported CSV encoding {encoding!r}")
    path.write_bytes(data)


_MAIN_XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MAIN_XLSM = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _normalize_zip(path: Path, xlsm: bool = False) -> None:
    """Rewrite a zip with fixed timestamps (same bytes every run); give an .xlsm its type."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            if info.filename == "[Content_Types].xml" and xlsm:
                data = data.replace(_MAIN_XLSX, _MAIN_XLSM)
            if info.filename in ("docProps/core.xml", "meta.xml"):
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", _FIXED_ISO.encode() + b"Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def iter_units(rows: Iterable[Row | Section]) -> list[Row]:
    """The unit rows of a row list, without Section markers."""
    return [r for r in rows if not isinstance(r, Section)]
