"""One file end to end, without the registry: read, locate, parse, check.

`read_submission` is a pure function of the path (and the forms), so a pool of processes
can run it over many files; what needs the registry or the other files comes after.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..encodings import detect_legacy, to_unicode, unicode_vietnamese
from ..forms import FormSet
from ..model import (
    ERROR,
    WARNING,
    FileResult,
    Grid,
    Problem,
    ReadError,
    Workbook,
    summary_mark,
)
from ..periods import Period, find_period
from ..read.reading import SPREADSHEET_SUFFIXES, read_workbook
from ..settings import RunSettings
from ..table.checks import check_rules, check_table, check_totals
from ..table.layout import locate
from ..table.parsing import extract
from ..table.table import Table
from ..text import UNIT_TYPES, clean, fold_ascii, plain_ascii

# The level a sender's type word names, on diacritic-free keys; a title's "thành phố" is
# taken for a district (a province's title says "tỉnh" or names the city's police as such).
_SENDER_LEVELS = {plain_ascii(word): level for level in ("province", "district", "commune")
                  for word in UNIT_TYPES[level]}
_SENDER_WORDS = "|".join(sorted(_SENDER_LEVELS, key=len, reverse=True))
_UNIT_LINE = re.compile(r"^(?:ten )?don vi(?: bao cao| gui)?\s*:\s*(.+)$")
_POLICE_LINE = re.compile(rf"^(?:cong an|ubnd|uy ban nhan dan|ban chi dao)\s+({_SENDER_WORDS})\s+(.+)$")
_NAMED = re.compile(rf"^({_SENDER_WORDS})\s+(.+)$")
_NAME_SEPARATORS = re.compile(r"[_\-.,()]+")
_NAMED_IN_FILE = re.compile(rf"\b({_SENDER_WORDS})\s+([a-z ]+?)(?=\s+(?:q\d|quy|bieu|bc|nam|thang|"
                            r"\d)\b|$)")


@dataclass(slots=True)
class Submission:
    """A file's result so far, plus what the file says about who sent it and for when."""

    result: FileResult
    period: Period | None = None
    sender_hints: list[tuple[str, str]] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


def sender_hints(lines: list[str]) -> list[tuple[str, str]]:
    """(level, name as written) for each line naming a unit: "CÔNG AN XÃ TÂN ĐỨC" → commune."""
    return [hint for line in lines if (hint := _line_hint(line)) is not None]


@lru_cache(maxsize=8192)
def _line_hint(line: str) -> tuple[str, str] | None:
    """The (level, name) one title line names, or None (cached: most title lines repeat)."""
    key = plain_ascii(line)
    match = _UNIT_LINE.match(key) or _POLICE_LINE.match(key)
    if not match:
        return None
    words = clean(line).split()
    named = _NAMED.match(match.group(1)) if match.re is _UNIT_LINE else None
    level_word = match.group(1) if match.re is _POLICE_LINE else (named.group(1) if named else "")
    name_words = len(match.group(match.lastindex).split())
    if match.re is _POLICE_LINE:
        name_words += len(level_word.split())
    return (_SENDER_LEVELS.get(level_word, ""), " ".join(words[-name_words:]))


def _convert_legacy(grid: Grid, problems: list[Problem]) -> None:
    for row in grid.rows[:60]:
        # A Unicode-only letter in the sample settles it (detect_legacy's first test), and the
        # first lines of a sheet usually hold one: no need to gather the whole sample.
        if unicode_vietnamese(" ".join(filter(str.__instancecheck__, row))):
            return
    sample = " ".join([v for row in grid.rows[:60] for v in row if isinstance(v, str)])
    encoding = detect_legacy(sample) if sample else None
    if not encoding:
        return
    grid.rows = [[to_unicode(v, encoding) if isinstance(v, str) else v for v in row]
                 for row in grid.rows]
    problems.append(Problem(WARNING, "legacy-encoding", sheet=grid.sheet,
                            params={"encoding": encoding.upper()}))


def _sheet(grid: Grid, forms: FormSet, result: FileResult, lines: list[str],
           filled: dict[str, tuple[bool, str]]) -> Table | None:
    problems: list[Problem] = []
    _convert_legacy(grid, problems)
    table = locate(grid, forms)
    if table is None:
        problems.append(Problem(WARNING, "sheet-skipped", sheet=grid.sheet,
                                params={"sheet": grid.sheet}))
        result.problems.extend(problems)
        return None
    found = extract(grid, table)
    problems += check_table(table) + found.problems
    problems += check_rules(table.form, found.records)
    problems += check_totals(table.form, found.records, found.totals)
    result.records.extend(found.records)
    result.problems.extend(problems)
    lines.extend(table.title_lines)
    if found.filled or table.form.id not in filled:
        filled[table.form.id] = (found.filled, table.sheet)
    return table


def read_submission(path: str | os.PathLike, forms: FormSet,
                    settings: RunSettings = RunSettings()) -> Submission:
    """Read, locate, parse and check one file; every outcome is a Submission, never a raise."""
    path = path if isinstance(path, Path) else Path(path)
    result = FileResult(path=str(path))
    submission = Submission(result)
    try:
        result.mtime = path.stat().st_mtime
    except OSError:
        pass
    if path.name.startswith("~$"):
        # Excel leaves "~$name.xlsx" beside a file someone has open: not a report.
        result.set_aside_for("lock-file", name=path.name[2:])
        return submission
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        result.set_aside_for("not-a-spreadsheet")
        return submission
    try:
        workbook = read_workbook(path, settings.limits)
    except ReadError as exc:
        if exc.code == "not-a-spreadsheet":
            result.set_aside_for(exc.code, **exc.params)
        else:
            result.problems.append(Problem(ERROR, exc.code, file=str(path),
                                           params=dict(exc.params)))
        return submission
    result.problems.extend(workbook.warnings)
    lines: list[str] = []
    filled: dict[str, tuple[bool, str]] = {}  # form -> (a figure in it, a sheet of it)
    for grid in _form_sheets(workbook, result):
        table = _sheet(grid, forms, result, lines, filled)
        if table is not None and table.form.id not in result.forms:
            result.forms.append(table.form.id)
        if table is not None:
            submission.tables.append(table.sheet)
    drop_unknown(result, workbook)
    if not result.forms:
        result.problems = [p for p in result.problems if p.code != "sheet-skipped"]
        result.problems.append(Problem(ERROR, "no-form-found",
                                       params={"forms": ", ".join(forms.forms)}))
    else:
        _check_filled(result, filled)
    closing = settings.closing
    submission.period = find_period(lines, closing) or find_period([path.stem], closing)
    submission.sender_hints = sender_hints(lines) + sender_hints_from_name(path.stem)
    for problem in result.problems:
        problem.file = str(path)
    return submission


def _check_filled(result: FileResult, filled: dict[str, tuple[bool, str]]) -> None:
    """A template sent back unfilled is no report: a file whose figures are all blank is
    rejected (`empty-submission`); a form left blank beside a filled one does not count as
    sent (`blank-form`); every figure typed as 0 is worth a look (`all-zero`)."""
    blank = [form for form in result.forms if not filled[form][0]]
    if len(blank) == len(result.forms):
        result.problems.append(Problem(ERROR, "empty-submission", sheet=filled[blank[0]][1],
                                       params={"forms": ", ".join(blank)}))
        return
    for form in blank:
        result.forms.remove(form)
        result.records = [r for r in result.records if r.form != form]
        result.problems.append(Problem(WARNING, "blank-form", sheet=filled[form][1],
                                       params={"form": form}))
    if result.records and not any(any(r.values.values()) for r in result.records):
        result.problems.append(Problem(WARNING, "all-zero", sheet=result.records[0].sheet,
                                       params={"forms": ", ".join(result.forms)}))


def _form_sheets(workbook: Workbook, result: FileResult) -> list[Grid]:
    """The sheets to read as forms: all of them, or only the detail rows of an antq summary
    (its per-unit sheets are sums of those rows: reading both would count twice)."""
    mark = summary_mark(workbook)
    if mark is None:
        return workbook.sheets
    result.summary_of = (mark.get("scope_name") or mark.get("scope") or ["?"])[0]
    details = set(mark.get("detail", []))
    return [grid for grid in workbook.sheets if grid.sheet in details]


def drop_unknown(result: FileResult, workbook: Workbook) -> None:
    """A summary's detail cells left blank for want of a figure (its marker lists them) have
    no figure, not 0: their rows lose that indicator (merge.left_out sees it)."""
    mark = summary_mark(workbook)
    unknown = set(mark.get("unknown", [])) if mark else set()
    if not unknown:
        return
    for record in result.records:
        for code, cell in record.cells.items():
            if f"{record.sheet}!{cell}" in unknown:
                record.values.pop(code, None)


def sender_hints_from_name(stem: str) -> list[tuple[str, str]]:
    """A unit named in a file name ("BC quy I-2024 xa Tan Duc"): level and the words after it."""
    words = _NAME_SEPARATORS.sub(" ", fold_ascii(stem)).split()
    text = " ".join(words)
    match = _NAMED_IN_FILE.search(text)
    if not match:
        return []
    return [(_SENDER_LEVELS[match.group(1)], f"{match.group(1)} {match.group(2)}".strip())]
