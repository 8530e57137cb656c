"""Table → its rows: which rows under the header are data, which are total rows (and the rows
each sums), and where the notes and signatures begin. Used by layout.py once a table's header
and columns are known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ..model import LEVEL_RANK, LEVELS, Grid
from ..text import UNIT_TYPES, clean, fold_ascii, plain_ascii, roman_value, value_text
from .table import Table, TotalRow

_SECTION_LETTER = re.compile(r"^[a-e]\.?$")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,3}|[a-z])\s*\)?$")
_TOTAL = re.compile(
    r"^(tong cong|tong so|tong|cong|tong hop|toan (xa|phuong|thi tran|huyen|quan|thi xa|tinh|dia ban|don vi))"
    r"(\s*(:|toan .*|chung|cac .*))?$"
)
_NOTE = re.compile(
    r"^(ghi chu|luu y|chu thich|nguoi lap|nguoi bao cao|thu truong|truong cong an|pho truong|"
    r"xac nhan|noi nhan|t/?m\b|kt\.?\b|tm\.?\b|ngay .* thang|.*, ngay .* thang|chu tich|"
    r"can bo tong hop|duyet|ky ten|\*)"
)

# A section's own numbering in its label: "I. Xã Tân Hà", "II - Tân Xuân".
_NUMBERED_LABEL = re.compile(r"^([IVXLCivxlc]+)\s*[.):\-–]\s*(\S.*)$")
# The type words of the levels above each row level: a row "Xã Tân Hà" with no figures in a
# form whose rows are villages heads the villages of that commune.
_HIGHER_WORDS = {
    level: tuple(sorted({plain_ascii(word) + " " for above in LEVELS[:LEVEL_RANK[level]]
                         for word in UNIT_TYPES[above]}, key=len, reverse=True))
    for level in LEVELS
}


def _cell_text(grid: Grid, row: int, col: int | None) -> str:
    """The text of a cell as a person reads it ("" for none; 3.0 reads "3")."""
    return "" if col is None else value_text(grid.value(row, col))


def _row_label(grid: Grid, table: Table, row: int) -> str:
    """The text that names a row: its name cell, else the first text left of the figures."""
    name = _cell_text(grid, row, table.name_col)
    if name:
        return name
    first = min(table.columns.values(), default=0)
    for col in range(first):
        value = grid.value(row, col)
        if isinstance(value, str) and clean(value) and col != table.stt_col:
            return clean(value)
    return ""


def _is_column_numbers(figures: list[Any], name: Any) -> bool:
    """Whether a row's figures (in column order) and name read "(1) (2) (3)…", "A B 1 2…"."""
    last = None  # the last number read: they must increase
    for value in figures:
        number = _column_number(value)
        if number is None:
            return False
        if number >= 0:
            if last is not None and number <= last:
                return False  # a data row of figures: settled at its first decrease
            last = number
    name_text = value_text(name).lower()
    return not name_text or bool(_COLUMN_NUMBER.match(name_text))


def _column_number(value: Any) -> int | None:
    """The number a column-number cell reads ("(3)" → 3), -1 for a letter ("b"), else None."""
    match = _COLUMN_NUMBER.match(value_text(value).lower())
    if not match:
        return None
    number = match.group(1)
    return int(number) if number.isdigit() else -1


def _is_total(key: str) -> bool:
    return bool(_TOTAL.match(key))


def _is_section(stt: str) -> bool:
    return roman_value(stt.removesuffix(".")) is not None or bool(_SECTION_LETTER.match(stt))


def _fetcher(columns: list[int], shortest: int) -> Callable[[list[Any]], tuple]:
    """A function giving a row's cells at `columns` (None past its end) as a tuple, for rows
    at least `shortest` cells long."""
    reach = max(columns)
    pick = itemgetter(*columns)
    if len(columns) > 1 and shortest > reach:
        return pick  # every row reaches every column (a sheet is read as a rectangle): all C
    if len(columns) == 1:
        return lambda cells: (cells[reach],) if len(cells) > reach else (None,)

    def fetch(cells: list[Any]) -> tuple:
        if len(cells) > reach:
            return pick(cells)  # one C call for the whole row
        return tuple(cells[c] if c < len(cells) else None for c in columns)
    return fetch


def classify_rows(grid: Grid, table: Table) -> None:
    """Split the rows under the header into data rows and total rows; stop at the notes."""
    sections: list[list[int]] = []
    rows = grid.rows
    shortest = min(map(len, rows[table.header_bottom + 1:]), default=0)
    # Each row's cells of interest fetched at once: name, code, STT (those the table has),
    # then the figures; `at`: where name, code and STT sit (-1: a None added at the end), and
    # where the figures start.
    roles = [table.name_col, table.code_col, table.stt_col]
    ids = [col for col in roles if col is not None]
    figure_cols = list(table.columns.values())
    fetch = _fetcher(ids + figure_cols, shortest)
    at = (*(ids.index(col) if col is not None else -1 for col in roles), len(ids))
    start = _after_column_numbers(rows, fetch, table.header_bottom + 1, at[0], sorted(
        range(len(ids), len(ids) + len(figure_cols)), key=lambda i: figure_cols[i - len(ids)]))
    # The common data row settled in a few C calls: a name that reads as a label and is no
    # total, and a first figure that is a number (then the row is neither notes nor section).
    name_col, figure = table.name_col, figure_cols[0]
    quick = name_col is not None and shortest > max(name_col, figure)
    bare: tuple[int, str] | None = None  # a name alone on its row: a section or a blank unit
    for row in range(start, len(rows)):
        cells = rows[row]
        if not (quick and type(cells[name_col]) is str and _plain_label(cells[name_col])
                and type(cells[figure]) in _NUMBER_TYPES):
            values = fetch(cells) + (None,)
            if bare is not None and not _blank(values):
                _settle_bare(table, sections, bare, value_text(values[at[2]]))
                bare = None
            kind = _row_kind(grid, table, row, values, at, sections)
            if kind is _STOP:
                break
            if kind.__class__ is tuple:
                bare = kind
                continue
            if kind is not _DATA:
                continue
        elif bare is not None:
            _settle_bare(table, sections, bare, value_text(grid.value(row, table.stt_col)))
            bare = None
        _add_data(table, sections, row)
    if bare is not None:
        _add_data(table, sections, bare[0])
    # A total row above the data (at the top) covers every data row.
    for total in table.total_rows:
        if not total.scope:
            total.scope = [r for r in table.data_rows if r > total.row] or list(table.data_rows)


_DATA, _STOP = "data", "stop"


def _add_data(table: Table, sections: list[list[int]], row: int) -> None:
    table.data_rows.append(row)
    if sections:
        sections[-1].append(row)


def _settle_bare(table: Table, sections: list[list[int]], bare: tuple[int, str],
                 next_stt: str) -> None:
    """A name alone on its row (no STT, no figures) heads a section when the row after it is
    numbered ("Tân Hà" over "1 | Thôn 1"); otherwise it is a unit that reported nothing."""
    if next_stt.isdigit():
        sections.append([])
        table.sections.append(bare)
    else:
        _add_data(table, sections, bare[0])
_NUMBER_TYPES = frozenset((int, float))


def _plain_label(name: str) -> bool:
    """Whether a name cell's text is a label that is not a total."""
    label = clean(name)
    return bool(label) and not _is_total(fold_ascii(label))


def _after_column_numbers(rows: list[list[Any]], fetch: Callable[[list[Any]], tuple],
                          start: int, name_at: int, by_column: list[int]) -> int:
    """The first row to classify: the first non-blank one, unless it holds column numbers."""
    for row in range(start, len(rows)):
        values = fetch(rows[row]) + (None,)
        if not _blank(values):
            numbers = _is_column_numbers([values[i] for i in by_column], values[name_at])
            return row + 1 if numbers else row
    return len(rows)


def _row_kind(grid: Grid, table: Table, row: int, values: tuple, at: tuple[int, int, int, int],
              sections: list[list[int]]) -> str | tuple[int, str] | None:
    """_DATA, _STOP (the notes begin), None (a row set aside), or (row, label) for a name
    alone on its row, which the row after it settles; records a total row and opens a
    section. `values`: the fetched cells and a None."""
    if _blank(values):
        return None
    name_at, code_at, stt_at, lead = at
    name, code, stt_value = values[name_at], values[code_at], values[stt_at]
    figures = values[lead:-1]
    label = value_text(name) or _row_label(grid, table, row)
    key = fold_ascii(label)
    stt_text = value_text(stt_value)
    stt = fold_ascii(stt_text)
    if _is_total(key) or (not label and _is_total(stt)):
        # The label may sit in the STT column (merged): "Tổng …" covers all, "Cộng" a section.
        scope_all = "tong" in (key or stt) or not sections or not sections[-1]
        scope = list(table.data_rows) if scope_all else list(sections[-1])
        table.total_rows.append(TotalRow(row, label or stt_text, scope))
        if not scope_all:
            sections.append([])
        return None
    if not _has_number(figures) and (
        _NOTE.match(key) or _NOTE.match(fold_ascii(_first_text(grid, row)))
    ):
        return _STOP
    if any(map(value_text, figures)):
        return _DATA
    if _is_section(stt):
        sections.append([])
        table.sections.append((row, label))
        return None
    if not label and not value_text(code):
        return None
    numbered = _NUMBERED_LABEL.match(label)
    if numbered and roman_value(numbered.group(1).lower()) is not None:
        sections.append([])
        table.sections.append((row, numbered.group(2)))
        return None
    if key.startswith(_HIGHER_WORDS[table.form.row_level]):
        sections.append([])
        table.sections.append((row, label))
        return None
    if table.stt_col is not None and not stt_text and not value_text(code) and label:
        return (row, label)
    return _DATA


def _has_number(figures: tuple) -> bool:
    """`any(map(looks_numeric, figures))`, settled in C for rows of numbers or of nothing."""
    if not _NUMBER_TYPES.isdisjoint(map(type, figures)):
        return True
    if figures.count(None) == len(figures):
        return False
    return any(map(looks_numeric, figures))


def _blank(values: tuple) -> bool:
    """Whether none of the cells holds anything but text that cleans to nothing."""
    if values.count(None) == len(values):  # an empty row, in one C call
        return True
    for value in values:
        if value is not None and (not isinstance(value, str) or clean(value)):
            return False
    return True


def _first_text(grid: Grid, row: int) -> str:
    for value in filter(str.__instancecheck__, grid.rows[row] if row < len(grid.rows) else ()):
        if value.strip():
            return clean(value)
    return ""


_NUMERIC_TEXT = re.compile(r"^\s*[\d.,\s]+\s*%?\s*$")


def looks_numeric(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(_NUMERIC_TEXT.match(value))

