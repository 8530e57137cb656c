"""The values that flow between antq's steps: grids, records, problems, file results.

Every number keeps where it came from (file, sheet, cell) until the end, so a problem, a
total or an annotation can always name its cell.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# The levels of the unit hierarchy, highest first (districts were abolished in July 2025 and
# remain in older data).
LEVELS = ("province", "district", "commune", "village")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

ERROR = "error"
WARNING = "warning"

ACCEPTED = "accepted"
REJECTED = "rejected"
SKIPPED = "skipped"

# The hidden sheet that marks a summary written by antq (outputs/workbook/detail.py writes it).
MARK_SHEET = "antq"
MARK = "antq-summary"


class AntqError(Exception):
    """A run cannot go on (a broken form file, an unusable registry). Caught once, in cli/app.py."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class FormError(AntqError):
    """A form file in schemas/ is broken; params name the file and the field."""


class RegistryError(AntqError):
    """The unit registry cannot be used; params name the file, row and column."""


class ReadError(Exception):
    """A file cannot be read as a spreadsheet; `code` is the problem code to report."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# Why the system refused a folder or a file: an OSError's errno as a code that outputs/ words
# (the system's own text is English, and says nothing of what to do).
_OS_REASONS = {
    errno.EACCES: "permission", errno.EPERM: "permission", errno.EROFS: "read-only",
    errno.ENOSPC: "disk-full", getattr(errno, "EDQUOT", errno.ENOSPC): "disk-full",
    errno.ENAMETOOLONG: "too-long", errno.ENOTDIR: "not-a-folder", errno.ENOENT: "gone",
    errno.ELOOP: "loop", errno.EISDIR: "is-a-folder", errno.EBUSY: "busy",
    getattr(errno, "ETXTBSY", errno.EBUSY): "busy", errno.EBADF: "closed",
}


def os_reason(error: OSError) -> str:
    """The code of why an operation on a path failed ("permission", "disk-full", "too-long",
    "not-a-folder", "read-only", "gone", "loop", "is-a-folder", "busy", "closed"), "other"
    else."""
    return _OS_REASONS.get(error.errno, "other")


@dataclass(slots=True)
class Problem:
    """One thing wrong (or worth a look) in a submission, with where it is and its parameters.

    The message is rendered from `code` and `params` in the user's language by outputs/messages.py.
    """

    severity: str
    code: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    indicator: str = ""
    unit: str = ""
    params: dict[str, Any] = field(default_factory=dict)


class CellError(str):
    """An Excel error value as the cell shows it ("#REF!", "#DIV/0!", "#N/A"): a plain error
    cell, or a formula whose saved result is an error. Text everywhere a text is read (a title,
    a name), never a figure: a figure cell holding one is an `excel-error`."""

    __slots__ = ()


@dataclass(slots=True)
class Grid:
    """One sheet as read: rows of cell values, addressed from A1 (row 0, col 0).

    Values are None, str, int, float, bool, datetime or CellError (the readers give an error
    cell as a blank: read/ finds them in the file itself). `merged` holds merged ranges as
    0-based inclusive (first_row, first_col, last_row, last_col). `uncomputed` holds the
    (row, col) of formula cells saved without a value (a file written by a tool without a
    calculation engine); such cells read as None in `rows`. `hidden_rows` and `hidden_cols`
    hold the 0-based rows and columns hidden in the sheet (read like any other: Excel's SUM
    counts them), where the format says.
    """

    sheet: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)

    def value(self, row: int, col: int) -> Any:
        """The value at (row, col), None outside the grid."""
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return None


@dataclass(slots=True)
class Workbook:
    """A file read once: its kind ("xlsx", "xls", "ods", "csv") and its sheets."""

    path: str
    kind: str
    sheets: list[Grid]
    warnings: list[Problem] = field(default_factory=list)


class RowCells(Mapping[str, str]):
    """The cell of each figure of one row, {indicator code: "E12"}, made when asked from the
    columns' letters, which the rows of a table share: a dict per row held a kilobyte for
    each of a run's rows, and a country's run has 70,000 of them."""

    __slots__ = ("letters", "row")

    def __init__(self, letters: dict[str, str], row: int) -> None:
        self.letters, self.row = letters, row  # row: as Excel numbers it, from 1

    def __getitem__(self, code: str) -> str:
        return self.letters[code] + str(self.row)

    def __iter__(self) -> Iterator[str]:
        return iter(self.letters)

    def __len__(self) -> int:
        return len(self.letters)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self):
        return RowCells, (self.letters, self.row)


@dataclass(slots=True)
class Record:
    """One data row of a form: the unit as written, its values, and the cell of each value."""

    form: str
    sheet: str
    row: int
    label: str
    code: str
    values: dict[str, int | float]
    cells: Mapping[str, str]
    unit: str = ""
    label_cell: str = ""

    def __reduce__(self):
        # Pickled as one tuple of fields (a country's merge sends 66,000 records from the
        # reading processes): about a quarter faster than the slots' default state dict.
        return Record, (self.form, self.sheet, self.row, self.label, self.code, self.values,
                        self.cells, self.unit, self.label_cell)


def file_status(problems: list[Problem], set_aside: str = "") -> str:
    """What became of a file: rejected when any of its problems is an error (a file is taken
    or refused whole), else skipped when it was set aside (`set_aside` says why: a copy, a
    lock file, not a spreadsheet...), else accepted. A file of a unit outside the run's scope
    is skipped whatever its errors: it is not part of this merge. The one place a status is
    decided."""
    if set_aside == "outside-scope":
        return SKIPPED
    if any(p.severity == ERROR for p in problems):
        return REJECTED
    return SKIPPED if set_aside else ACCEPTED


@dataclass(slots=True)
class FileResult:
    """What one input file became (accepted, rejected or skipped) and why.

    `status` follows from the problems and `set_aside`, the code of the reason the file was
    left out without an error ("duplicate-file", "superseded", "own-summary", "outside-scope",
    "not-a-spreadsheet", "lock-file"), which is also one of its warnings.
    """

    path: str
    forms: list[str] = field(default_factory=list)
    unit: str = ""
    unit_name: str = ""
    period: str = ""
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mtime: float = 0.0
    summary_of: str = ""  # an antq summary workbook: the scope it sums ("" for a submission)
    set_aside: str = ""
    # Per form, the codes of the registry's units its rows leave out (the villages of a
    # commune it covers that it has no row for): not sent, for completeness and rates.
    unlisted: dict[str, list[str]] = field(default_factory=dict)
    dropped_rows: int = 0  # rows read whose records were let go (see `drop_rows`)

    @property
    def rows(self) -> int:
        """The number of data rows read from the file."""
        return len(self.records) + self.dropped_rows

    def drop_rows(self, unit_of: Callable[[Record], str] | None = None) -> None:
        """Keep of a rejected file's rows one per form and unit, without their figures: all
        the later steps use of them (which units sent a file that was refused). `unit_of`
        names the unit a row counts for there (a village's commune, the one that sends the
        form); by default the row's own. A file is rejected for good: a run's memory holds the
        rows of the files it takes, not of every file it reads."""
        kept: dict[tuple[str, str], Record] = {}
        for record in self.records:
            unit = unit_of(record) if unit_of and record.unit else record.unit
            if unit and (record.form, unit) not in kept:
                kept[(record.form, unit)] = Record(record.form, record.sheet, record.row, "", "",
                                                   {}, {}, unit)
        self.dropped_rows += len(self.records) - len(kept)
        self.records = list(kept.values())

    @property
    def status(self) -> str:
        """"accepted", "rejected" or "skipped" (see `file_status`)."""
        return file_status(self.problems, self.set_aside)

    @property
    def has_errors(self) -> bool:
        """True when any problem of this file is an error (the file is then rejected whole)."""
        return any(p.severity == ERROR for p in self.problems)

    def set_aside_for(self, code: str, **params: Any) -> None:
        """Leave the file out, without an error, saying why (a warning of that code)."""
        self.set_aside = code
        self.problems.append(Problem(WARNING, code, file=self.path, params=params))


# Problems listed per file and code: a sheet with a wrong figure in every cell of a column
# would otherwise give a problem per cell (598,000 in one 22 MB workbook, 229 MB of JSON).
PROBLEMS_PER_CODE = 50
MORE = "more-problems"  # the one problem that counts those of a code past the first ones


def cap_problems(problems: list[Problem], most: int = PROBLEMS_PER_CODE) -> list[Problem]:
    """The first `most` problems of each code, in their order, then for each code with more a
    `more-problems` problem counting the rest (`code`, `count`), an error when any of them
    is one. Capping again adds to the counts, so it can follow each step that adds problems."""
    seen: dict[str, int] = {}
    kept: list[Problem] = []
    more: dict[str, Problem] = {}
    for problem in problems:
        if problem.code == MORE:
            code, count = problem.params["code"], problem.params["count"]
        else:
            code, count = problem.code, 1
            seen[code] = seen.get(code, 0) + 1
            if seen[code] <= most:
                kept.append(problem)
                continue
        more[code] = _more(more.get(code), problem, code, count, most)
    return kept + list(more.values())


def _more(summary: Problem | None, problem: Problem, code: str, count: int,
          most: int) -> Problem:
    if summary is None:
        return Problem(problem.severity, MORE, file=problem.file,
                       params={"code": code, "count": count, "shown": most})
    summary.params["count"] += count
    if problem.severity == ERROR:
        summary.severity = ERROR
    return summary


def problem_counts(problems: list[Problem]) -> tuple[int, int]:
    """(errors, warnings) among `problems`, those a `more-problems` counts included."""
    counts = {ERROR: 0, WARNING: 0}
    for problem in problems:
        counts[problem.severity] += problem.params["count"] if problem.code == MORE else 1
    return counts[ERROR], counts[WARNING]


def summary_mark(workbook: Workbook) -> dict[str, list[str]] | None:
    """The hidden "antq" sheet of a summary antq wrote: key → values, or None."""
    for grid in workbook.sheets:
        if grid.sheet != MARK_SHEET or not grid.rows or grid.value(0, 0) != MARK:
            continue
        mark: dict[str, list[str]] = {}
        for row in grid.rows:
            if len(row) >= 2 and isinstance(row[0], str) and row[1] not in (None, ""):
                mark.setdefault(row[0], []).append(str(row[1]))
        return mark
    return None
