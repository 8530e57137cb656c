"""Grid → table: find the header rows, map columns to indicators, classify the rows below.

A sheet is matched to the form whose labels it names most. Everything that is not data
(title block, header, column-number row, sections, blank rows, total rows, notes and the
signature block) is recognised and set aside; total rows are kept to be checked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from dataclasses import dataclass, field
from collections.abc import Callable, Iterator
from typing import Any

from .forms import Form, FormSet
from .headers import (Filled, Matcher, ascii_key as _ascii, clean_text as _clean, column_paths,
                      matcher)
from .model import Grid
from .text import a1, clean, fold

HEADER_SEARCH_ROWS = 40
MAX_HEADER_ROWS = 3
MIN_MATCHED = 3

_ROMAN = re.compile(r"^(?=[ivxlc]+\.?$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})\.?$")
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
_LEADING_ENUM = re.compile(r"^\s*(\d+(\.\d+)*\.?\)?|[a-zđ]\)|[-+•*–])\s+", re.IGNORECASE)


@dataclass(slots=True)
class TotalRow:
    """A "Tổng cộng"/"Cộng" row: checked against the sum of `scope` rows, never added."""

    row: int
    label: str
    scope: list[int]


@dataclass(slots=True)
class Table:
    """Where a form sits in a sheet and what each of its rows and columns is."""

    form: Form
    sheet: str
    vertical: bool
    header_top: int
    header_bottom: int
    columns: dict[str, int] = field(default_factory=dict)
    header_cells: dict[str, str] = field(default_factory=dict)
    name_col: int | None = None
    code_col: int | None = None
    stt_col: int | None = None
    data_rows: list[int] = field(default_factory=list)
    total_rows: list[TotalRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    value_col: int | None = None
    indicator_rows: dict[str, int] = field(default_factory=dict)


def _match_column(forms: FormSet, path: tuple[str, ...]) -> set[tuple[str, str]]:
    """What a column's header path names: (group, leaf), "group leaf", then the leaf alone."""
    return matcher(forms).column(path) if path else set()


def _score(forms: FormSet, paths: list[tuple[str, ...]]) -> list[tuple[str, int]]:
    """(form id, how many of its indicators the columns name) for each form named, in the
    order of the first column naming it."""
    memo = matcher(forms)
    # Each column's (form, indicator) pairs looked up, united and counted in C; only new paths
    # (and empty ones) go through `column`.
    named = list(map(memo.columns.get, paths))
    if None in named:
        named = [found if found is not None else memo.column(path) if path else ()
                 for found, path in zip(named, paths)]
    form_ids = list(map(itemgetter(0), set().union(*named)))  # a form per indicator named
    forms_named = set(form_ids)
    if len(forms_named) < 2:
        return [(form_ids[0], len(form_ids))] if form_ids else []
    order: dict[str, None] = {}
    for found in named:
        for form_id, _ in found:
            order[form_id] = None
        if len(order) == len(forms_named):
            break
    return [(form_id, form_ids.count(form_id)) for form_id in order]


def _find_horizontal(forms: FormSet, grid: Grid, filled: Filled) -> tuple | None:
    memo = matcher(forms)
    best = None
    for bottom in filled.labelled_rows(memo, min(len(grid.rows), HEADER_SEARCH_ROWS)):
        for depth, form_id, matched, paths in _candidates(forms, filled, bottom, memo):
            key = (matched, -depth)
            if best is None or key > best[0]:
                best = (key, form_id, bottom - depth + 1, bottom, matched, paths)
    if best is None:
        return None
    form = forms.forms[best[1]]
    if best[4] < min(MIN_MATCHED, len(form.indicators)):
        return None
    return best


def _candidates(forms: FormSet, filled: Filled, bottom: int, memo: Matcher) -> tuple:
    """(depth, form id, indicators named, column paths) of each header ending at `bottom`,
    in the order scored; memoised by the cells they come from, since a template's header
    rows recur byte for byte in every file made from it (the values are never changed)."""
    key = filled.window_key(max(0, bottom - MAX_HEADER_ROWS + 1), bottom)
    found = memo.windows.get(key)
    if found is None:
        found = memo.remember(memo.windows, key, tuple(_score_headers(forms, filled, bottom, memo)),
                              memo.MAX_WINDOWS)
    return found


def _score_headers(forms: FormSet, filled: Filled, bottom: int, memo: Matcher) -> Iterator[tuple]:
    if filled.hits(bottom, memo) < 2:
        return
    shallower = None
    for depth in range(1, MAX_HEADER_ROWS + 1):
        top = bottom - depth + 1
        if top < 0:
            break
        if depth > 1 and not any(filled.row(top)):
            continue  # the same paths as one row less: the same scores at a worse depth
        paths = column_paths(filled, top, bottom, filled.width)
        if paths == shallower:
            continue
        shallower = paths
        for form_id, matched in _score(forms, paths):
            yield depth, form_id, matched, paths


def _roles(forms: FormSet, form: Form, paths: list[tuple[str, ...]],
           used: set[int]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col, path in enumerate(paths):
        if col in used:
            continue
        for text in path:
            for form_id, role in matcher(forms).role(text):
                if form_id == form.id:
                    roles.setdefault(role, col)
    return roles


def _cell_text(grid: Grid, row: int, col: int | None) -> str:
    if col is None:
        return ""
    value = grid.value(row, col)
    if value is None:
        return ""
    if type(value) is str:
        return _clean(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def _row_label(grid: Grid, table: Table, row: int) -> str:
    """The text that names a row: its name cell, else the first text left of the figures."""
    name = _cell_text(grid, row, table.name_col)
    if name:
        return name
    first = min(table.columns.values(), default=0)
    for col in range(first):
        value = grid.value(row, col)
        if isinstance(value, str) and _clean(value) and col != table.stt_col:
            return _clean(value)
    return ""


def _is_column_numbers(figures: list[Any], name: Any) -> bool:
    """Whether a row's figures (in column order) and name read "(1) (2) (3)…", "A B 1 2…"."""
    last = None  # the last number read: they must increase
    for value in figures:
        try:
            number = _column_number(value)
        except TypeError:  # a value that cannot be a cache key (no reader makes one)
            number = _column_number.__wrapped__(value)
        if number is None:
            return False
        if number >= 0:
            if last is not None and number <= last:
                return False  # a data row of figures: settled at its first decrease
            last = number
    name_text = _text(name).lower()
    return not name_text or bool(_COLUMN_NUMBER.match(name_text))


# typed: 1, 1.0 and True are equal keys but read "1", "1" and "True".
@lru_cache(maxsize=4096, typed=True)
def _column_number(value: Any) -> int | None:
    """The number a column-number cell reads ("(3)" → 3), -1 for a letter ("b"), else None."""
    match = _COLUMN_NUMBER.match(_text(value).lower())
    if not match:
        return None
    number = match.group(1)
    return int(number) if number.isdigit() else -1


@lru_cache(maxsize=4096)
def _is_total(key: str) -> bool:
    return bool(_TOTAL.match(key))


@lru_cache(maxsize=4096)
def _is_section(stt: str) -> bool:
    return bool(_ROMAN.match(stt) or _SECTION_LETTER.match(stt))


def _text(value: Any) -> str:
    """`_cell_text` of a value already fetched."""
    if value is None:
        return ""
    if type(value) is str:
        return _clean(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


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


def _classify_rows(grid: Grid, table: Table) -> None:
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
    for row in range(start, len(rows)):
        cells = rows[row]
        if not (quick and type(cells[name_col]) is str and _plain_label(cells[name_col])
                and type(cells[figure]) in _NUMBER_TYPES):
            kind = _row_kind(grid, table, row, fetch(cells) + (None,), at, sections)
            if kind is _STOP:
                break
            if kind is not _DATA:
                continue
        table.data_rows.append(row)
        if sections:
            sections[-1].append(row)
    # A total row above the data (at the top) covers every data row.
    for total in table.total_rows:
        if not total.scope:
            total.scope = [r for r in table.data_rows if r > total.row] or list(table.data_rows)


_DATA, _STOP = "data", "stop"
_NUMBER_TYPES = frozenset((int, float))


@lru_cache(maxsize=8192)
def _plain_label(name: str) -> bool:
    """Whether a name cell's text is a label that is not a total (memoised by the cell value)."""
    label = _clean(name)
    return bool(label) and not _is_total(_ascii(label))


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
              sections: list[list[int]]) -> str | None:
    """_DATA, _STOP (the notes begin) or None (a row set aside); records a total row and opens
    a section. `values`: the fetched cells and a None."""
    if _blank(values):
        return None
    name_at, code_at, stt_at, lead = at
    name, code, stt_value = values[name_at], values[code_at], values[stt_at]
    figures = values[lead:-1]
    label = _text(name) or _row_label(grid, table, row)
    key = _ascii(label)
    stt_text = _text(stt_value)
    stt = _ascii(stt_text)
    if _is_total(key) or (not label and _is_total(stt)):
        # The label may sit in the STT column (merged): "Tổng …" covers all, "Cộng" a section.
        scope_all = "tong" in (key or stt) or not sections or not sections[-1]
        scope = list(table.data_rows) if scope_all else list(sections[-1])
        table.total_rows.append(TotalRow(row, label or stt_text, scope))
        if not scope_all:
            sections.append([])
        return None
    if not _has_number(figures) and (
        _NOTE.match(key) or _NOTE.match(_ascii(_first_text(grid, row)))
    ):
        return _STOP
    if _is_section(stt) and not any(map(_text, figures)):
        sections.append([])
        return None
    if not label and not _text(code) and not any(map(_text, figures)):
        return None
    return _DATA


def _has_number(figures: tuple) -> bool:
    """`any(map(_looks_numeric, figures))`, settled in C for rows of numbers or of nothing."""
    if not _NUMBER_TYPES.isdisjoint(map(type, figures)):
        return True
    if figures.count(None) == len(figures):
        return False
    return any(map(_looks_numeric, figures))


def _blank(values: tuple) -> bool:
    """Whether none of the cells holds anything but text that cleans to nothing."""
    if values.count(None) == len(values):  # an empty row, in one C call
        return True
    for value in values:
        if value is not None and (not isinstance(value, str) or _clean(value)):
            return False
    return True


def _first_text(grid: Grid, row: int) -> str:
    for value in filter(str.__instancecheck__, grid.rows[row] if row < len(grid.rows) else ()):
        if value.strip():
            return _clean(value)
    return ""


def _title_lines(grid: Grid, last_row: int) -> list[str]:
    # The cells above the header, the empty ones dropped by filter(None, ...) in C.
    values = filter(None, chain.from_iterable(grid.rows[:max(last_row, 0)]))
    return [_clean(value) for value in values if isinstance(value, str) and value.strip()]


def _horizontal_table(forms: FormSet, grid: Grid, filled: Filled, found: tuple) -> Table:
    _, form_id, top, bottom, _, paths = found
    form = forms.forms[form_id]
    memo = matcher(forms)
    # What the header says depends on the header alone: worked out once per template.
    key = (form_id, bottom, tuple(paths))
    header = memo.layouts.get(key)
    if header is None:
        header = memo.remember(memo.layouts, key, _header(forms, form, paths, bottom),
                               memo.MAX_WINDOWS)
    columns, duplicates, header_cells, stt_col, code_col, name_col, missing = header
    table = Table(form=form, sheet=grid.sheet, vertical=False, header_top=top,
                  header_bottom=bottom, columns=dict(columns), header_cells=dict(header_cells),
                  stt_col=stt_col, code_col=code_col, name_col=name_col,
                  duplicates=list(duplicates), missing=list(missing))
    table.title_lines = _title_lines(grid, top)
    _classify_rows(grid, table)
    return table


def _header(forms: FormSet, form: Form, paths: list[tuple[str, ...]], bottom: int) -> tuple:
    """(columns, duplicates, header cells, STT, code and name columns, missing indicators) of
    a header whose column paths are `paths` and last row `bottom`."""
    seen: dict[str, int] = {}
    duplicates = []
    for col, path in enumerate(paths):
        for fid, code in sorted(_match_column(forms, path)):
            if fid != form.id:
                continue
            if code in seen and seen[code] != col:
                duplicates.append((code, a1(bottom, seen[code]), a1(bottom, col)))
            else:
                seen[code] = col
            break
    header_cells = {code: a1(bottom, col) for code, col in seen.items()}
    roles = _roles(forms, form, paths, set(seen.values()))
    stt_col, code_col = roles.get("stt"), roles.get("code")
    name_col = roles.get("name")
    if name_col is None:
        first = min(seen.values())
        candidates = [c for c in range(first) if c not in (stt_col, code_col)]
        name_col = candidates[-1] if candidates else None
    missing = [i.code for i in form.indicators if i.code not in seen]
    return seen, duplicates, header_cells, stt_col, code_col, name_col, missing


def _strip_enum(text: str) -> str:
    return _LEADING_ENUM.sub("", text, count=1)


def _find_vertical(forms: FormSet, grid: Grid) -> Table | None:
    """Indicators as rows (STT | Nội dung | ĐVT | Số liệu): one value column for one unit."""
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for row, cells in enumerate(grid.rows):
        for col, value in enumerate(cells):
            if isinstance(value, str) and len(value) < 200:
                for form_id, code in matcher(forms).label(_strip_enum(clean(value))):
                    counts.setdefault((form_id, col), {}).setdefault(code, row)
    if not counts:
        return None
    (form_id, label_col), rows = max(counts.items(), key=lambda item: len(item[1]))
    form = forms.forms[form_id]
    if len(rows) < min(MIN_MATCHED, len(form.indicators)):
        return None
    first_row = min(rows.values())
    header_row = _vertical_header_row(forms, grid, first_row)
    value_col = _vertical_value_col(forms, grid, header_row, label_col, rows)
    table = Table(form=form, sheet=grid.sheet, vertical=True,
                  header_top=header_row if header_row is not None else first_row,
                  header_bottom=header_row if header_row is not None else first_row - 1)
    table.value_col = value_col
    table.indicator_rows = dict(rows)
    table.columns = {code: value_col for code in rows} if value_col is not None else {}
    table.header_cells = {code: a1(row, label_col) for code, row in rows.items()}
    table.missing = [i.code for i in form.indicators if i.code not in rows]
    table.title_lines = _title_lines(grid, table.header_top)
    return table


def _vertical_header_row(forms: FormSet, grid: Grid, first_row: int) -> int | None:
    for row in range(first_row - 1, max(first_row - 6, -1), -1):
        for value in grid.rows[row]:
            if isinstance(value, str) and fold(value) in forms.vertical_roles:
                return row
    return None


def _vertical_value_col(forms: FormSet, grid: Grid, header_row: int | None, label_col: int,
                        rows: dict[str, int]) -> int | None:
    if header_row is not None:
        for col, value in enumerate(grid.rows[header_row]):
            if col > label_col and isinstance(value, str):
                if forms.vertical_roles.get(fold(value)) == "value":
                    return col
    width = max(len(grid.rows[r]) for r in rows.values())
    best, best_count = None, 0
    for col in range(label_col + 1, width):
        count = sum(1 for r in rows.values() if _looks_numeric(grid.value(r, col)))
        if count > best_count:
            best, best_count = col, count
    return best


_NUMERIC_TEXT = re.compile(r"^\s*[\d.,\s]+\s*%?\s*$")


def _looks_numeric(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(_NUMERIC_TEXT.match(value))


def locate(grid: Grid, forms: FormSet) -> Table | None:
    """The form table in this sheet, or None when the sheet is not a form."""
    if not grid.rows:
        return None
    filled = Filled(grid, HEADER_SEARCH_ROWS + MAX_HEADER_ROWS)
    found = _find_horizontal(forms, grid, filled)
    vertical = None
    if found is None or found[4] < len(forms.forms[found[1]].indicators) // 2:
        vertical = _find_vertical(forms, grid)
    if vertical is not None and (found is None or len(vertical.indicator_rows) > found[4]):
        return vertical
    return _horizontal_table(forms, grid, filled, found) if found else None
