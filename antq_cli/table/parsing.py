"""Table → records: read every figure of every data row, and the figures of total rows.

Bad cells never raise: each becomes a Problem naming its cell and indicator, and the
record keeps 0 there so the rest of the row is still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..forms import LARGEST_COUNT_LIMIT, Form, Indicator
from ..model import ERROR, WARNING, CellError, Grid, Problem, Record, RowCells
from ..numbers import MOST_DIGITS, as_count, column_convention, parse_flag, parse_number
from ..text import a1, column_letter, value_text
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
    filled: bool = False  # some figure cell of a data row holds something (not a blank form)


def _problem(code: str, table: Table, cell: str, indicator: Indicator, severity: str = ERROR,
             **params: Any) -> Problem:
    return Problem(severity, code, sheet=table.sheet, cell=cell, indicator=indicator.code,
                   params={"label": indicator.label, **params})


def read_figure(value: Any, indicator: Indicator, convention: str, table: Table,
                cell: str) -> tuple[int | float, Problem | None]:
    """One cell's figure for `indicator`: (value, None) or (0, the problem with it). The one
    rule for reading a figure; `_Reader._whole_numbers` is its only shortcut."""
    # The usual cells first, as the steps below read them: a whole number, a blank, or digits
    # typed as text in a count; 0 or 1 in a flag.
    if indicator.type != "flag":
        bound = indicator.bound
        if value.__class__ is float:
            if 0 <= value and value.is_integer() and value <= bound:
                return int(value), None
        elif value is None:
            if not indicator.required and bound >= 0:
                return 0, None
        elif value.__class__ is str:
            digits = value.strip()
            # Never int() on a long digit string: past 4,300 digits Python refuses it.
            if digits.isascii() and digits.isdigit() and len(digits) <= MOST_DIGITS \
                    and int(digits) <= bound:
                return int(digits), None
    elif value.__class__ is float and (value == 0 or value == 1):
        return int(value), None
    if value.__class__ is CellError:  # #REF!, #DIV/0!: the figure is lost, never a blank
        return 0, _problem("excel-error", table, cell, indicator, value=str(value),
                           address=cell)
    if indicator.type == "flag":
        flag = parse_flag(value)
        if flag is None:
            return 0, _problem("bad-flag", table, cell, indicator, value=value_text(value))
        return flag, None
    parsed = parse_number(value, convention)
    if parsed.code:
        extra = {"maximum": indicator.ceiling} if parsed.code == "too-large" else {}
        return 0, _problem(parsed.code, table, cell, indicator, **parsed.params, **extra)
    if parsed.blank and indicator.required:
        return 0, _problem("missing-value", table, cell, indicator)
    number = parsed.value
    if number < 0:
        return 0, _problem("negative", table, cell, indicator, value=value_text(value))
    count = as_count(number)
    if count is None:
        return 0, _problem("not-whole", table, cell, indicator, value=value_text(value))
    if count > indicator.ceiling:
        return 0, _problem("too-large", table, cell, indicator, value=value_text(value),
                           maximum=indicator.ceiling)
    if indicator.maximum is not None and count > indicator.maximum:
        return count, _problem("above-maximum", table, cell, indicator, value=count,
                               maximum=indicator.maximum)
    return count, None


def _convention(grid: Grid, rows: list[int], col: int) -> str:
    """The number convention of the texts in one column of `rows` ("vi" without any)."""
    lines = [grid.rows[r] for r in rows if 0 <= r < len(grid.rows)]
    texts = [v for line in lines if col < len(line) and isinstance(v := line[col], str)]
    return column_convention(texts) if texts else "vi"


class _Plan:
    """What reading a table's cells needs, worked out once per form and columns (a template's
    layout recurs in every file made from it): remembered on the form."""

    def __init__(self, form: Form, columns: dict[str, int]) -> None:
        found = [(ind, col) for ind in form.indicators
                 if (col := columns.get(ind.code)) is not None]
        self.specs = [(ind, col, column_letter(col)) for ind, col in found]
        self.codes = tuple(ind.code for ind, _ in found)
        self.last_col = max((col for _, col in found), default=-1)
        # The fast path: the count columns taken in one C call, their lowest bound, and the
        # flags' positions among the indicators with their columns.
        counts = [(ind, col) for ind, col in found if ind.type != "flag"]
        self.take_counts = itemgetter(*[col for _, col in counts]) if len(counts) > 1 else None
        self.lowest_bound = min((ind.bound for ind, _ in counts), default=None)
        self.flags = [(position, col) for position, (ind, col) in enumerate(found)
                      if ind.type == "flag"]
        # A total row's figures are read as counts, whatever the indicator's type; it adds up
        # many rows, so the form's largest count per cell does not bound it.
        self.as_counts = {ind.code: Indicator(ind.code, ind.label, "count",
                                              ceiling=LARGEST_COUNT_LIMIT) for ind, _ in found}
        self.letters = dict(zip(self.codes, [letters for _, _, letters in self.specs]))

    def cells(self, row: int) -> RowCells:
        """The {indicator code: A1 address} of a row (0-based), from the shared letters."""
        return RowCells(self.letters, row + 1)


def _plan(form: Form, columns: dict[str, int]) -> _Plan:
    return form.memo.get_or(("plan", tuple(columns.items())), lambda: _Plan(form, columns))


class _Reader:
    """Reads the data rows and total rows of one table into values and cells."""

    def __init__(self, grid: Grid, table: Table, problems: list[Problem]) -> None:
        self.grid, self.table, self.problems = grid, table, problems
        self.plan = _plan(table.form, table.columns)
        self._conventions: dict[str, str] = {}
        self.filled = False  # a figure cell held a value (or a formula)

    def convention(self, code: str) -> str:
        """The number convention of an indicator's column, worked out the first time a text
        in it needs one (most tables have none: their figures are numbers)."""
        if self.table.vertical:
            return "vi"  # one value per indicator: no column to learn a convention from
        known = self._conventions.get(code)
        if known is None:
            known = self._conventions[code] = _convention(self.grid, self.table.data_rows,
                                                          self.table.columns[code])
        return known

    def line(self, row: int) -> tuple[dict[str, int | float], dict[str, str]]:
        """The values and cells of one data row (a vertical table's indicators each on their
        own row)."""
        plan, rows = self.plan, self.grid.rows
        line = rows[row] if 0 <= row < len(rows) else []
        if not self.table.vertical:
            values = self._whole_numbers(line)
            if values is not None:
                self.filled = True
                return values, plan.cells(row)
        values, cells = {}, {}
        for ind, col, letters in plan.specs:
            at = self.table.indicator_rows.get(ind.code, row) if self.table.vertical else row
            source = rows[at] if 0 <= at < len(rows) else []
            cell = cells[ind.code] = f"{letters}{at + 1}"
            values[ind.code] = self._figure(source, at, col, ind, cell)
        return values, cells if self.table.vertical else plan.cells(row)

    def _figure(self, line: list[Any], row: int, col: int, ind: Indicator,
                cell: str) -> int | float:
        """One cell read by `read_figure` (0 and a problem when it cannot be)."""
        if (row, col) in self.grid.uncomputed:
            self.filled = True
            self.problems.append(_problem("formula-not-computed", self.table, cell, ind))
            return 0
        value = line[col] if col < len(line) else None
        if value is not None and not self.filled and (value.__class__ is not str or value.strip()):
            self.filled = True
        # Only text is read in its column's convention (a flag is never a number text).
        convention = self.convention(ind.code) \
            if ind.type != "flag" and isinstance(value, str) else "vi"
        figure, problem = read_figure(value, ind, convention, self.table, cell)
        if problem:
            self.problems.append(problem)
        return figure

    def _whole_numbers(self, line: list[Any]) -> dict[str, int | float] | None:
        """The one fast path: the row's values when every count is a whole number (float) in
        bounds and every flag reads as one, in a few C calls, exactly what `read_figure` gives
        each cell; else None (the cells are then read one by one)."""
        plan = self.plan
        if plan.take_counts is None or len(line) <= plan.last_col or self.grid.uncomputed:
            return None
        counts = plan.take_counts(line)
        try:
            # float.is_integer refuses anything but a float (text, a blank, a date, a bool).
            if not all(map(float.is_integer, counts)):
                return None
        except TypeError:
            return None
        # A whole float of any size reads as int(value) on every path: only bounds matter.
        if min(counts) < 0 or (plan.lowest_bound is not None and max(counts) > plan.lowest_bound):
            return None
        figures = list(map(int, counts))
        for position, col in plan.flags:
            flag = parse_flag(line[col])
            if flag is None:
                return None
            figures.insert(position, flag)
        return dict(zip(plan.codes, figures))

    def total(self, total: TotalRow) -> Total:
        """A total row's figures as written: blanks and flag marks skipped, the rest counts."""
        values: dict[str, int | float] = {}
        cells: dict[str, str] = {}
        uncomputed = False
        grid, table, plan = self.grid, self.table, self.plan
        line = grid.rows[total.row] if 0 <= total.row < len(grid.rows) else []
        for ind, col, letters in plan.specs:
            if (total.row, col) in grid.uncomputed:
                uncomputed = True
                continue
            value = line[col] if col < len(line) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if ind.type == "flag" and parse_flag(value) is not None \
                    and not isinstance(value, int | float):
                continue
            cell = f"{letters}{total.row + 1}"
            convention = self.convention(ind.code) if isinstance(value, str) else "vi"
            number, problem = read_figure(value, plan.as_counts[ind.code], convention, table,
                                          cell)
            if problem:
                self.problems.append(problem)
                continue
            values[ind.code], cells[ind.code] = number, cell
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
        reader = _Reader(grid, table, result.problems)
        values, cells = reader.line(0)
        result.filled = reader.filled
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
        label = value_text(line[name_col] if name_col < len(line) else None) \
            if name_col is not None else ""
        code = value_text(line[code_col] if code_col < len(line) else None) \
            if code_col is not None else ""
        if code and not label:
            label_cell = code_letters + str(row + 1)
        else:
            label_cell = name_letters + str(row + 1) if name_col is not None else ""
        result.records.append(Record(form_id, sheet, row + 1, label, code, values, cells,
                                     label_cell=label_cell))
    result.totals = [reader.total(total) for total in table.total_rows]
    result.filled = reader.filled
    return result
