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
from ..periods import Period, find_period, title_against_window
from ..read.reading import SPREADSHEET_SUFFIXES, read_workbook
from ..settings import RunSettings
from ..table.checks import check_rules, check_table, check_totals
from ..table.layout import locate
from ..table.parsing import extract
from ..table.table import Table
from ..text import UNIT_TYPES, clean, column_index, fold_ascii, plain_ascii

# The levels a type word may name, on diacritic-free keys, the likelier first: a title's
# "thành phố" is a district (thuộc tỉnh) unless no district has the name (a province's city).
_LEVELS_OF: dict[str, tuple[str, ...]] = {}
for _level in ("commune", "district", "province"):
    for _word in UNIT_TYPES[_level]:
        _LEVELS_OF.setdefault(plain_ascii(_word), ())
        _LEVELS_OF[plain_ascii(_word)] += (_level,)
_SENDER_WORDS = "|".join(sorted(_LEVELS_OF, key=len, reverse=True))
# Short type words of file names ("P Trung Son", "TT Tan Minh"), as the word they stand for.
_SHORT_WORDS = {"tt": "thi tran", "p": "phuong", "tx": "thi xa", "tp": "thanh pho"}
_UNIT_LINE = re.compile(r"^(?:ten )?don vi(?: bao cao| gui)?\s*:\s*"
                        r"(?:(?:cong an|ubnd|uy ban nhan dan)\s+)?(.+)$")
_POLICE_LINE = re.compile(
    rf"^(?:cong an|ubnd|uy ban nhan dan|ban chi dao)\s+({_SENDER_WORDS})\s+(.+)$")
_NAMED = re.compile(rf"^({_SENDER_WORDS})\s+(.+)$")
# The most words a unit's name has after its type word ("Nông trường Việt Trung"): a longer
# line that starts like a unit line is a sentence.
_MOST_NAME_WORDS = 5
# Where one title line names two units: "CÔNG AN XÃ TÂN HÀ, HUYỆN HÀM TÂN".
_LINE_PARTS = re.compile(r"\s*[,;–—]\s*|\s+-\s+")
_NAME_SEPARATORS = re.compile(r"[_\-.,()]+")
_NAMED_IN_FILE = re.compile(
    rf"\b({_SENDER_WORDS}|{'|'.join(_SHORT_WORDS)})\s+([a-z ]+?)(?=\s+(?:q\d|quy|bieu|bc|nam|thang|"
    r"lan|bo sung|sua|dieu chinh|\d)\b|$)")


_TYPE_WORDS = sorted([*_LEVELS_OF, *_SHORT_WORDS], key=len, reverse=True)


def type_levels(name: str) -> tuple[str, ...]:
    """The levels the type word a name starts with may mean ("Huyện Hàm Tân": district;
    "TP Huế": district or province); none when it starts with none."""
    key = fold_ascii(name).replace(".", " ")
    for word in _TYPE_WORDS:
        if key.startswith(word + " "):
            return _LEVELS_OF[_SHORT_WORDS.get(word, word)]
    return ()


@dataclass(frozen=True, slots=True)
class Claim:
    """A unit a line of the file names: the levels its type word may mean (none when it has
    none), its name as written (type word included), and where it was read."""

    levels: tuple[str, ...]
    name: str
    source: str  # "unit-line" ("Đơn vị báo cáo: …"), "title" (the title block), "file-name"


@dataclass(slots=True)
class Evidence:
    """What a file says about who sent it, and where it lies: the sender's stated name in
    an "Đơn vị báo cáo:" line, the title block's unit lines in order, the file name's, and
    the folders between the merge root and the file (nearest first, the root's own last)."""

    unit_line: Claim | None = None
    title: tuple[Claim, ...] = ()
    file_name: tuple[Claim, ...] = ()
    stem: str = ""
    folders: tuple[str, ...] = ()


@dataclass(slots=True)
class Submission:
    """A file's result so far, plus what the file says about who sent it and for when.

    `sections` holds, per sheet, the (1-based row, label) of each section row ("I | Xã Tân
    Hà") in order; `hidden`, per sheet, its hidden (rows, columns), 0-based.
    """

    result: FileResult
    period: Period | None = None
    evidence: Evidence = field(default_factory=Evidence)
    tables: list[str] = field(default_factory=list)
    sections: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    hidden: dict[str, tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)


def read_evidence(lines: list[str], path: Path, root: Path | None = None) -> Evidence:
    """The sender evidence of a file: its title lines' claims, its name's, its folders."""
    unit_line = None
    title: list[Claim] = []
    for line in lines:
        for claim in _line_claims(line):
            if claim.source == "unit-line":
                unit_line = unit_line or claim
            elif claim not in title:
                title.append(claim)
    return Evidence(unit_line, tuple(title), name_claims(path.stem), path.stem,
                    folders_between(path, root))


def folders_between(path: Path, root: Path | None) -> tuple[str, ...]:
    """The names of the folders from `path`'s own up to `root`, then `root`'s (none without
    a root, or for a file outside it)."""
    if root is None:
        return ()
    root = Path(os.path.abspath(root))
    try:
        inside = Path(os.path.abspath(path)).parent.relative_to(root).parts
    except ValueError:
        return ()
    names = [*reversed(inside), root.name]
    return tuple(name for name in names if name and name not in (".", ".."))


@lru_cache(maxsize=8192)
def _line_claims(line: str) -> tuple[Claim, ...]:
    """The units one title line names, or none (cached: most title lines repeat).

    "CÔNG AN XÃ TÂN ĐỨC" names a commune, "Đơn vị báo cáo: Xã Tân Đức" the sender, and
    "CÔNG AN XÃ TÂN HÀ, HUYỆN HÀM TÂN" a commune and its district.
    """
    key = plain_ascii(line)
    if not key.startswith(("cong an", "ubnd", "uy ban", "ban chi dao", "don vi", "ten don vi")):
        return ()
    parts = _LINE_PARTS.split(clean(line))
    first = _part_claim(parts[0], head=True)
    if first is None:
        return ()
    rest = [_part_claim(part, head=False) for part in parts[1:]]
    if None in rest:
        return ()  # a sentence with a comma, not a unit's line
    return (first, *(Claim(c.levels, c.name, "title") for c in rest if c is not None))


def _part_claim(part: str, head: bool) -> Claim | None:
    """The unit one part of a title line names; only the first part may be an "Đơn vị báo
    cáo:" or a police line, the others name a unit by its type word alone."""
    key = plain_ascii(part)
    words = part.split()
    if head and (match := _UNIT_LINE.match(key)):
        named = _NAMED.match(match.group(1))
        levels = _LEVELS_OF[named.group(1)] if named else ()
        name_words = len(match.group(1).split())
        if name_words > _MOST_NAME_WORDS + len(named.group(1).split() if named else ()):
            return None
        return Claim(levels, " ".join(words[-name_words:]), "unit-line")
    match = _POLICE_LINE.match(key) if head else _NAMED.match(key)
    if not match or len(match.group(2).split()) > _MOST_NAME_WORDS:
        return None  # a sentence ("Công an xã tổng hợp gửi Công an huyện trước ngày 15")
    named_words = len(match.group(1).split()) + len(match.group(2).split())
    return Claim(_LEVELS_OF[match.group(1)], " ".join(words[-named_words:]), "title")


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


def _sheet(grid: Grid, forms: FormSet, sub: Submission, lines: list[str],
           filled: dict[str, tuple[bool, str]]) -> Table | None:
    result = sub.result
    problems: list[Problem] = []
    if grid.hidden_rows or grid.hidden_cols:
        sub.hidden[grid.sheet] = (frozenset(grid.hidden_rows), frozenset(grid.hidden_cols))
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
    if table.sections:
        sub.sections[table.sheet] = [(row + 1, label) for row, label in table.sections]
    if found.filled or table.form.id not in filled:
        filled[table.form.id] = (found.filled, table.sheet)
    return table


def read_submission(path: str | os.PathLike, forms: FormSet,
                    settings: RunSettings = RunSettings(), root: Path | None = None) -> Submission:
    """Read, locate, parse and check one file; every outcome is a Submission, never a raise.

    `root`: the folder the file was found under (the merge's FOLDER), whose folders between
    it and the file are evidence of who sent it.
    """
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
        table = _sheet(grid, forms, submission, lines, filled)
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
    contradiction = title_against_window(lines, closing)
    if contradiction is not None:
        result.problems.append(Problem(WARNING, "window-mismatch", params={
            "title": contradiction[0], "window": contradiction[1]}))
    submission.evidence = read_evidence(lines, path, root)
    for problem in result.problems:
        problem.file = str(path)
    mark_hidden(submission)
    return submission


_A1 = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def mark_hidden(sub: Submission) -> None:
    """Say on each problem whose cell lies in a hidden row or column that it is hidden
    (Excel's SUM counts hidden cells, and so does antq; the clerk must unhide them to see)."""
    if not sub.hidden:
        return
    for problem in sub.result.problems:
        hidden = sub.hidden.get(problem.sheet)
        match = _A1.match(problem.cell) if hidden and problem.cell else None
        if match is None or "hidden_row" in problem.params or "hidden_col" in problem.params:
            continue
        row = int(match.group(2))
        if row - 1 in hidden[0]:
            problem.params["hidden_row"] = row
        elif column_index(match.group(1)) in hidden[1]:
            problem.params["hidden_col"] = match.group(1)


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


def name_claims(stem: str) -> tuple[Claim, ...]:
    """A unit a file name names after its type word ("BC quy I-2024 xa Tan Duc", "P Trung
    Son Q1"): its levels and the words after it, diacritics dropped."""
    words = _NAME_SEPARATORS.sub(" ", fold_ascii(stem)).split()
    match = _NAMED_IN_FILE.search(" ".join(words))
    if not match:
        return ()
    word = _SHORT_WORDS.get(match.group(1), match.group(1))
    return (Claim(_LEVELS_OF[word], f"{word} {match.group(2)}".strip(), "file-name"),)
