"""Table → records: read every figure of every data row, and the figures of total rows.

Bad cells never raise: each becomes a Problem naming its cell and indicator, and the
record keeps 0 there so the rest of the row is still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .forms import Indicator
from .headers import clean_text
from .layout import Table, TotalRow
from .model import ERROR, WARNING, Grid, Problem, Record
from .text import a1, clean, column_letter
from .values import as_count, column_convention, parse_flag, parse_number


@dataclass(slots=True)
class Total:
    """A total row's figures as written, with the cells they stand in and the rows it covers."""

    row: TotalRow
    values: dict[str, int | float]
    cells: dict[str, str]


@dataclass(slots=True)
class Extract:
    """What a table yielded: records, total rows, and the problems met while reading cells."""

    records: list[Record] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _problem(code: str, table: Table, cell: str, indicator: Indicator, severity: str = ERROR,
             **params: Any) -> Problem:
    return Problem(severity, code, sheet=table.sheet, cell=cell, indicator=indicator.code,
                   params={"label": indicator.label, **params})


def _display(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value) if type(value) is str else clean(value)


def read_figure(value: Any, indicator: Indicator, convention: str, table: Table,
                cell: str) -> tuple[int | float, Problem | None]:
    """One cell's figure for `indicator`: (value, None) or (0, the problem with it)."""
    # The usual cells, a whole number or a blank: what the steps below would give, sooner.
    if type(value) is float and indicator.type != "flag" and 0 <= value < 2**53 \
            and value.is_integer() and (indicator.maximum is None or value <= indicator.maximum):
        return int(value), None
    if value is None and indicator.type != "flag" and not indicator.required \
            and (indicator.maximum is None or indicator.maximum >= 0):
        return 0, None
    if indicator.type == "flag":
        flag = parse_flag(value)
        if flag is None:
            return 0, _problem("bad-flag", table, cell, indicator, value=_display(value))
        return flag, None
    parsed = parse_number(value, convention)
    if parsed.code:
        return 0, _problem(parsed.code, table, cell, indicator, **parsed.params)
    if parsed.blank and indicator.required:
        return 0, _problem("missing-value", table, cell, indicator)
    number = parsed.value
    if number < 0:
        return 0, _problem("negative", table, cell, indicator, value=_display(value))
    count = as_count(number)
    if count is None:
        return 0, _problem("not-whole", table, cell, indicator, value=_display(value))
    if indicator.maximum is not None and count > indicator.maximum:
        return count, _problem("above-maximum", table, cell, indicator, value=count,
                               maximum=indicator.maximum)
    return count, None


@lru_cache(maxsize=256)
def _letters(col: int) -> str:
    return column_letter(col)


def _conventions(grid: Grid, table: Table, rows: list[int]) -> dict[str, str]:
    lines = [grid.rows[r] for r in rows if 0 <= r < len(grid.rows)]
    result = {}
    for code, col in table.columns.items():
        texts = [v for line in lines if col < len(line) and isinstance(v := line[col], str)]
        result[code] = column_convention(texts) if texts else "vi"
    return result


def _columns(table: Table) -> list[tuple[Indicator, int, str]]:
    """(indicator, column, column letters) of each indicator the table has, in form order."""
    return [(ind, col, _letters(col)) for ind in table.form.indicators
            if (col := table.columns.get(ind.code)) is not None]


def _read_row(grid: Grid, table: Table, row: int, conventions: dict[str, str],
              problems: list[Problem], columns: list[tuple[Indicator, int, str]] | None = None,
              ) -> tuple[dict[str, int | float], dict[str, str]]:
    values: dict[str, int | float] = {}
    cells: dict[str, str] = {}
    line = grid.rows[row] if 0 <= row < len(grid.rows) else []
    for ind, col, letters in _columns(table) if columns is None else columns:
        source_row = row
        if table.vertical:
            source_row = table.indicator_rows.get(ind.code, row)
            line = grid.rows[source_row] if 0 <= source_row < len(grid.rows) else []
        cell = f"{letters}{source_row + 1}"
        cells[ind.code] = cell
        if grid.uncomputed and (source_row, col) in grid.uncomputed:
            problems.append(_problem("formula-not-computed", table, cell, ind))
            values[ind.code] = 0
            continue
        values[ind.code], problem = read_figure(
            line[col] if col < len(line) else None, ind, conventions[ind.code], table, cell)
        if problem:
            problems.append(problem)
    return values, cells


def _read_total(grid: Grid, table: Table, total: TotalRow, conventions: dict[str, str],
                problems: list[Problem]) -> Total:
    values: dict[str, int | float] = {}
    cells: dict[str, str] = {}
    uncomputed = False
    for ind in table.form.indicators:
        col = table.columns.get(ind.code)
        if col is None:
            continue
        if (total.row, col) in grid.uncomputed:
            uncomputed = True
            continue
        value = grid.value(total.row, col)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        cell = a1(total.row, col)
        if ind.type == "flag" and parse_flag(value) is not None and not isinstance(value, int | float):
            continue
        count_like = Indicator(ind.code, ind.label, "count")
        number, problem = read_figure(value, count_like, conventions[ind.code], table, cell)
        if problem:
            problems.append(problem)
            continue
        values[ind.code], cells[ind.code] = number, cell
    if uncomputed:
        problems.append(Problem(WARNING, "total-not-computed", sheet=table.sheet,
                                cell=a1(total.row, min(table.columns.values())),
                                params={"label": total.label}))
    return Total(total, values, cells)


_EXACT = 2**53  # below it every whole float is exactly an int


def _specs(table: Table, conventions: dict[str, str]) -> list[tuple]:
    """Per indicator column, what reading its cells needs, worked out once per table:
    (indicator, code, column, letters, convention, is a count, upper bound, blank is 0)."""
    specs = []
    for ind, col, letters in _columns(table):
        counts = ind.type != "flag"
        bound = float("inf") if ind.maximum is None else ind.maximum
        blank_zero = counts and not ind.required and (ind.maximum is None or ind.maximum >= 0)
        specs.append((ind, ind.code, col, letters, conventions[ind.code], counts, bound,
                      blank_zero))
    return specs


def _read_line(grid: Grid, table: Table, row: int, specs: list[tuple],
               problems: list[Problem]) -> tuple[dict[str, int | float], dict[str, str]]:
    """`_read_row` of a horizontal table, with the usual cells (a whole number, a blank, a 0/1
    flag) read inline: what `read_figure` would give, without a call per cell."""
    values: dict[str, int | float] = {}
    cells: dict[str, str] = {}
    line = grid.rows[row] if 0 <= row < len(grid.rows) else []
    width = len(line)
    uncomputed = grid.uncomputed
    suffix = str(row + 1)
    for ind, code, col, letters, convention, counts, bound, blank_zero in specs:
        cells[code] = cell = letters + suffix
        if uncomputed and (row, col) in uncomputed:
            problems.append(_problem("formula-not-computed", table, cell, ind))
            values[code] = 0
            continue
        value = line[col] if col < width else None
        if value.__class__ is float:
            if counts:
                if 0 <= value < _EXACT and value <= bound and value.is_integer():
                    values[code] = int(value)
                    continue
            elif value == 0 or value == 1:  # parse_flag of a number
                values[code] = int(value)
                continue
        elif value is None and blank_zero:
            values[code] = 0
            continue
        values[code], problem = read_figure(value, ind, convention, table, cell)
        if problem:
            problems.append(problem)
    return values, cells


def extract(grid: Grid, table: Table) -> Extract:
    """Read the records and total rows of a located table."""
    result = Extract()
    if table.vertical:
        if table.value_col is None:
            return result
        conventions = {code: "vi" for code in table.columns}
        values, cells = _read_row(grid, table, 0, conventions, result.problems)
        first = min(table.indicator_rows.values())
        result.records.append(Record(table.form.id, table.sheet, first + 1, "", "", values, cells))
        return result
    conventions = _conventions(grid, table, table.data_rows)
    specs = _specs(table, conventions)
    form_id, sheet, rows = table.form.id, table.sheet, grid.rows
    name_col, code_col = table.name_col, table.code_col
    name_letters = _letters(name_col) if name_col is not None else ""
    code_letters = _letters(code_col) if code_col is not None else ""
    for row in table.data_rows:
        values, cells = _read_line(grid, table, row, specs, result.problems)
        line = rows[row] if 0 <= row < len(rows) else ()
        label = _display(line[name_col] if name_col < len(line) else None) \
            if name_col is not None else ""
        code = _display(line[code_col] if code_col < len(line) else None) \
            if code_col is not None else ""
        if code and not label:
            label_cell = code_letters + str(row + 1)
        else:
            label_cell = name_letters + str(row + 1) if name_col is not None else ""
        result.records.append(Record(form_id, sheet, row + 1, label, code, values, cells,
                                     label_cell=label_cell))
    for total in table.total_rows:
        result.totals.append(_read_total(grid, table, total, conventions, result.problems))
    return result
