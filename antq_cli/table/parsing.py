"""Table → records: read every figure of every data row, and the figures of total rows.

Bad cells never raise: each becomes a Problem naming its cell and indicator, and the
record keeps 0 there so the rest of the row is still checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..forms import Form, Indicator
from ..model import ERROR, WARNING, Grid, Problem, Record
from ..numbers import as_count, column_convention, parse_flag, parse_number
from ..text import a1, clean, column_letter
from .table import Table, TotalRow


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
    return clean(value) if type(value) is str else clean(value)


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


def _convention(grid: Grid, rows: list[int], col: int) -> str:
    """The number convention of the texts in one column of `rows` ("vi" without any)."""
    lines = [grid.rows[r] for r in rows if 0 <= r < len(grid.rows)]
    texts = [v for line in lines if col < len(line) and isinstance(v := line[col], str)]
    return column_convention(texts) if texts else "vi"


def _columns_of(form: Form, columns: dict[str, int]) -> list[tuple[Indicator, int, str]]:
    """(indicator, column, column letters) of each indicator in `columns`, in form order."""
    return [(ind, col, column_letter(col)) for ind in form.indicators
            if (col := columns.get(ind.code)) is not None]


def _read_row(grid: Grid, table: Table, row: int, conventions: dict[str, str],
              problems: list[Problem]) -> tuple[dict[str, int | float], dict[str, str]]:
    """The values and cells of a vertical table's record, each cell read by `read_figure`."""
    values: dict[str, int | float] = {}
    cells: dict[str, str] = {}
    line = grid.rows[row] if 0 <= row < len(grid.rows) else []
    for ind, col, letters in _columns_of(table.form, table.columns):
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


_EXACT = 2**53  # below it every whole float is exactly an int
_REMEMBERED_ROWS = 1000  # the cells of rows below it are remembered per plan


class _Plan:
    """What reading a horizontal table's cells needs, worked out once per table layout."""

    def __init__(self, form: Form, columns: dict[str, int]) -> None:
        found = _columns_of(form, columns)
        self.form = form
        self.codes = tuple(ind.code for ind, _, _ in found)
        self.letters = tuple(letters for _, _, letters in found)
        # Per column: (indicator, code, column, letters, is a count, upper bound, blank is 0).
        self.specs = []
        for ind, col, letters in found:
            counts = ind.type != "flag"
            bound = float("inf") if ind.maximum is None else ind.maximum
            blank_zero = counts and not ind.required and (ind.maximum is None or ind.maximum >= 0)
            self.specs.append((ind, ind.code, col, letters, counts, bound, blank_zero))
        # A total row's figures are read as counts, whatever the indicator's type.
        self.as_counts = {ind.code: Indicator(ind.code, ind.label, "count") for ind, _, _ in found}
        count_cols = [col for _, _, col, _, counts, _, _ in self.specs if counts]
        self.last_col = max(col for _, col, _ in found) if found else -1
        self.take_counts = _getter(count_cols)
        self.lowest_bound = min([bound for *_, counts, bound, _ in self.specs if counts],
                                default=0)
        self.bounded = self.lowest_bound != float("inf")
        # The flags' positions among the table's indicators and their columns, in that order.
        self.flags = [(position, spec[2]) for position, spec in enumerate(self.specs)
                      if not spec[4]]
        self._cells: dict[int, dict[str, str]] = {}

    def cells(self, row: int) -> dict[str, str]:
        """A new {indicator code: A1 address} of a data row."""
        # Copying a remembered dict costs a fifteenth of building one (rows recur across files).
        known = self._cells.get(row)
        if known is None:
            suffix = str(row + 1)
            known = dict(zip(self.codes, [letters + suffix for letters in self.letters]))
            if row < _REMEMBERED_ROWS:
                self._cells[row] = known
        return known.copy()


def _getter(cols: list[int]) -> Callable[[list[Any]], tuple[Any, ...]] | None:
    """A C-level function taking `cols` of a row as a tuple (None for no column)."""
    if not cols:
        return None
    if len(cols) == 1:
        col = cols[0]
        return lambda line: (line[col],)
    return itemgetter(*cols)


_PLANS: dict[tuple, tuple[Form, _Plan]] = {}
_MAX_PLANS = 256


def _plan(form: Form, columns: dict[str, int]) -> _Plan:
    """The table's `_Plan`, remembered per form and columns (templates recur in every file)."""
    key = (id(form), tuple(columns.items()))
    known = _PLANS.get(key)
    # The entry keeps its form alive, so no other form can take its id while it is here.
    if known is not None and known[0] is form:
        return known[1]
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    plan = _Plan(form, columns)
    _PLANS[key] = (form, plan)
    return plan


class _Reader:
    """Reads the data rows and total rows of one horizontal table into values and cells."""

    def __init__(self, grid: Grid, table: Table, problems: list[Problem]) -> None:
        self.grid, self.table, self.problems = grid, table, problems
        self.plan = _plan(table.form, table.columns)
        self._conventions: dict[str, str] = {}

    def convention(self, code: str) -> str:
        """The number convention of an indicator's column, worked out the first time a text
        in it needs one (most tables have none: their figures are numbers)."""
        known = self._conventions.get(code)
        if known is None:
            col = self.table.columns[code]
            known = self._conventions[code] = _convention(self.grid, self.table.data_rows, col)
        return known

    def line(self, row: int) -> tuple[dict[str, int | float], dict[str, str]]:
        """The values and cells of one data row."""
        plan, rows = self.plan, self.grid.rows
        line = rows[row] if 0 <= row < len(rows) else []
        if plan.take_counts is not None and len(line) > plan.last_col \
                and not self.grid.uncomputed:
            values = self._whole_numbers(line)
            if values is not None:
                return values, plan.cells(row)
        return self._cells(line, row, str(row + 1)), plan.cells(row)

    def _whole_numbers(self, line: list[Any]) -> dict[str, int | float] | None:
        """The row's values when every count is a whole number in bounds and every flag reads
        as one (what `read_figure` gives them), in a few C calls; else None."""
        plan = self.plan
        counts = plan.take_counts(line)
        try:
            # float.is_integer refuses anything but a float (text, a blank, a date, a bool).
            if not all(map(float.is_integer, counts)):
                return None
        except TypeError:
            return None
        # A whole float of any size reads as int(value) on every path: only bounds matter.
        if min(counts) < 0 or (plan.bounded and max(counts) > plan.lowest_bound):
            return None
        if not plan.flags:
            return dict(zip(plan.codes, map(int, counts)))
        figures = list(map(int, counts))
        for position, col in plan.flags:
            flag = parse_flag(line[col])
            if flag is None:
                return None
            figures.insert(position, flag)
        return dict(zip(plan.codes, figures))

    def _cells(self, line: list[Any], row: int, suffix: str) -> dict[str, int | float]:
        """`_read_row` of a horizontal table, with the usual cells (a whole number, a blank, a
        0/1 flag, digits typed as text) read inline: what `read_figure` would give."""
        values: dict[str, int | float] = {}
        width = len(line)
        uncomputed = self.grid.uncomputed
        table, problems = self.table, self.problems
        for ind, code, col, letters, counts, bound, blank_zero in self.plan.specs:
            if uncomputed and (row, col) in uncomputed:
                problems.append(_problem("formula-not-computed", table, letters + suffix, ind))
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
            elif value is None:
                if blank_zero:
                    values[code] = 0
                    continue
            elif value.__class__ is str and counts:
                # Digits typed as text, perhaps padded: parse_number reads them as int(digits).
                digits = value.strip()
                if digits.isascii() and digits.isdigit() and int(digits) <= bound:
                    values[code] = int(digits)
                    continue
            # Only text is read in its column's convention (a flag is never a number text).
            convention = self.convention(code) if counts and isinstance(value, str) else "vi"
            values[code], problem = read_figure(value, ind, convention, table, letters + suffix)
            if problem:
                problems.append(problem)
        return values

    def total(self, total: TotalRow) -> Total:
        """A total row's figures as written: blanks and flag marks skipped, the rest counts."""
        values: dict[str, int | float] = {}
        cells: dict[str, str] = {}
        uncomputed = False
        grid, table, plan = self.grid, self.table, self.plan
        line = grid.rows[total.row] if 0 <= total.row < len(grid.rows) else []
        suffix = str(total.row + 1)
        for ind, code, col, letters, counts, _, _ in plan.specs:
            if (total.row, col) in grid.uncomputed:
                uncomputed = True
                continue
            value = line[col] if col < len(line) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cell = letters + suffix
            if not counts and parse_flag(value) is not None and not isinstance(value, int | float):
                continue
            if isinstance(value, str):
                digits = value.strip()
                if digits.isascii() and digits.isdigit():  # read as in `_cells`, unbounded
                    values[code], cells[code] = int(digits), cell
                    continue
            convention = self.convention(code) if isinstance(value, str) else "vi"
            number, problem = read_figure(value, plan.as_counts[code], convention, table, cell)
            if problem:
                self.problems.append(problem)
                continue
            values[code], cells[code] = number, cell
        if uncomputed:
            self.problems.append(Problem(WARNING, "total-not-computed", sheet=table.sheet,
                                         cell=a1(total.row, min(table.columns.values())),
                                         params={"label": total.label}))
        return Total(total, values, cells)


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
    reader = _Reader(grid, table, result.problems)
    form_id, sheet, rows = table.form.id, table.sheet, grid.rows
    name_col, code_col = table.name_col, table.code_col
    name_letters = column_letter(name_col) if name_col is not None else ""
    code_letters = column_letter(code_col) if code_col is not None else ""
    for row in table.data_rows:
        values, cells = reader.line(row)
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
    result.totals = [reader.total(total) for total in table.total_rows]
    return result
