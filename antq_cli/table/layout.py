"""Grid → table: find the header rows, map columns to indicators, classify the rows below.

A sheet is matched to the form whose labels it names most. Everything that is not data
(title block, header, column-number row, sections, blank rows, total rows, notes and the
signature block) is recognised and set aside (rows.py); total rows are kept to be checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter

from ..forms import Form, FormSet
from ..model import Grid
from ..text import a1, clean, fold
from .headers import Filled, Matcher, column_paths, matcher
from .rows import classify_rows, looks_numeric
from .table import Table

HEADER_SEARCH_ROWS = 40
MAX_HEADER_ROWS = 3
MIN_MATCHED = 3

_LEADING_ENUM = re.compile(r"^\s*(\d+(\.\d+)*\.?\)?|[a-zđ]\)|[-+•*–])\s+", re.IGNORECASE)


def _match_column(forms: FormSet, path: tuple[str, ...]) -> set[tuple[str, str]]:
    """What a column's header path names: (group, leaf), "group leaf", then the leaf alone."""
    return matcher(forms).column(path) if path else set()


def _score(forms: FormSet, paths: list[tuple[str, ...]]) -> list[tuple[str, int]]:
    """(form id, how many of its indicators the columns name) for each form named, in the
    order of the first column naming it."""
    memo = matcher(forms)
    # Each column's (form, indicator) pairs looked up, united and counted in C; only new paths
    # (and empty ones) go through `column`.
    named = list(map(memo.columns.known.get, paths))
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
    found = memo.windows.known.get(key)
    if found is None:
        found = memo.windows.remember(key, tuple(_score_headers(forms, filled, bottom, memo)))
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
    memo = matcher(forms)
    for col, path in enumerate(paths):
        if col in used:
            continue
        for text in path:
            for form_id, role in memo.role(text):
                if form_id == form.id:
                    roles.setdefault(role, col)
    return roles


def _title_lines(grid: Grid, last_row: int) -> list[str]:
    # The cells above the header, the empty ones dropped by filter(None, ...) in C.
    values = filter(None, chain.from_iterable(grid.rows[:max(last_row, 0)]))
    return [clean(value) for value in values if isinstance(value, str) and value.strip()]


def _horizontal_table(forms: FormSet, grid: Grid, filled: Filled, found: tuple) -> Table:
    _, form_id, top, bottom, _, paths = found
    form = forms.forms[form_id]
    memo = matcher(forms)
    # What the header says depends on the header alone: worked out once per template.
    key = (form_id, bottom, tuple(paths))
    header = memo.layouts.known.get(key)
    if header is None:
        header = memo.layouts.remember(key, _header(forms, form, paths, bottom))
    columns, duplicates, header_cells, stt_col, code_col, name_col, missing = header
    table = Table(form=form, sheet=grid.sheet, vertical=False, header_top=top,
                  header_bottom=bottom, columns=dict(columns), header_cells=dict(header_cells),
                  stt_col=stt_col, code_col=code_col, name_col=name_col,
                  duplicates=list(duplicates), missing=list(missing))
    table.title_lines = _title_lines(grid, top)
    if table.missing:
        table.unmatched = _unmatched(filled, table, paths)
    classify_rows(grid, table)
    return table


def _unmatched(filled: Filled, table: Table, paths: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """(cell, text) of the lowest header cell of each column that names nothing of the form:
    when an indicator is missing, what the clerk may have meant for it."""
    used = {*table.columns.values(), table.stt_col, table.code_col, table.name_col}
    found = []
    for col, path in enumerate(paths):
        if not path or col in used:
            continue
        for row in range(table.header_bottom, table.header_top - 1, -1):
            text = filled.row(row)[col]
            if text:
                found.append((a1(row, col), text))
                break
    return found


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
    memo = matcher(forms)
    for row, cells in enumerate(grid.rows):
        for col, value in enumerate(cells):
            if isinstance(value, str) and len(value) < 200:
                for form_id, code in memo.label(_strip_enum(clean(value))):
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
        count = sum(1 for r in rows.values() if looks_numeric(grid.value(r, col)))
        if count > best_count:
            best, best_count = col, count
    return best


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
