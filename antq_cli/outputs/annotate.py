"""An annotated copy of a submission, to send back to the unit that made it.

Every problem cell is filled (errors red, warnings yellow) and carries a comment with the
message, the code and the indicator; a first sheet lists every problem with a link to its
cell. The original file is never touched: the copy is written beside it, atomically.

.xlsx/.xlsm copies keep their formatting (openpyxl); .xls, .ods and .csv (which openpyxl
cannot open) are rebuilt from the grids antq read, merges included, so every cell keeps the
address the problems name. Text typed by the unit stays text in the copy (never a formula),
and what the listing sheet quotes from the submission goes through `cell_text`.
"""

from __future__ import annotations

import os
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)

from ..forms import FormSet
from ..model import ERROR, AntqError, FileResult, Grid, Problem, ReadError
from ..read.reading import read_workbook
from .annotate_print import (
    sheet_title,
    ERROR_FILL,
    WARNING_FILL,
    listing,
    print_a4,
    problem_column,
    sheets_with_cells,
)
from .messages import render
from .safe import inside, write_atomically
from .words import ui

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".ots", ".csv", ".tsv", ".xltx", ".xltm")
COPY_SUFFIX = " - kiem tra.xlsx"
# File-level: nothing to annotate (a link out of the folder is never followed to make a copy).
NOT_READ = ("unreadable-file", "not-a-spreadsheet", "unreadable-folder", "link-outside")

ERROR_TAB, WARNING_TAB = "C00000", "FFC000"
_A1 = re.compile(r"[A-Za-z]{1,3}[1-9][0-9]{0,6}")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(slots=True)
class Copy:
    """What --annotate did for one file: the copy written, or why there is none."""

    source: str
    path: Path | None = None
    unreadable: bool = False


def annotate(source: str | os.PathLike, result: FileResult, out: str | os.PathLike,
             lang: str = "vi", labels: dict[str, str] | None = None) -> Path:
    """Write to `out` a copy of `source` with its problem cells filled and commented, each
    problem beside its row, every sheet set to print on A4 (`labels`: indicator code → the
    words to show for it)."""
    source, out = Path(source), Path(out)
    labels = labels or {}
    _refuse_input(out, [source])
    book, titles, note = _open_copy(source, lang)
    _mark_cells(book, titles, result.problems, lang, labels)
    for title, found in sheets_with_cells(book, titles, result.problems, _address).items():
        problem_column(book[title], found, labels, lang)
    listing(book, source, result, titles, lang, note, labels, _address)
    for ws in book.worksheets:
        print_a4(ws)
    return write_atomically(out, book.save)


def check_target(out: Path, inputs: list[Path]) -> None:
    """Refuse, before anything is read, an OUT that would replace an input or cannot hold them."""
    if out.suffix.lower() in OTHER_SPREADSHEETS and not out.is_dir():
        raise AntqError("annotate-not-xlsx", path=str(out))
    if is_folder(out):
        _refuse_input(out, inputs, list(_folder_targets(out, [str(p) for p in inputs]).values()))
        return
    if len(inputs) > 1:
        raise AntqError("annotate-needs-folder", path=str(out), count=len(inputs))
    _refuse_input(out, inputs)


def annotate_all(results: list[FileResult], out: Path, lang: str = "vi",
                 forms: FormSet | None = None) -> list[Copy]:
    """The annotated copy of each file that needs one: OUT itself, or one per file in folder OUT.

    With several files, a file without problems gets no copy; a file that could not be read
    never gets one (its Copy says so).
    """
    folder = is_folder(out)
    single = len(results) == 1
    labels = {ind.code: ind.label if lang == "vi" else ind.label_en
              for form in (forms.forms.values() if forms else ()) for ind in form.indicators}
    targets = _folder_targets(out, [r.path for r in results]) if folder else {}
    copies = []
    for result in results:
        if any(p.code in NOT_READ and not p.sheet for p in result.problems):
            unreadable = any(p.code in ("unreadable-file", "unreadable-folder")
                             for p in result.problems)
            if unreadable or single:
                copies.append(Copy(result.path, unreadable=True))
            continue
        if not result.problems and not single:
            continue
        target = targets[result.path] if folder else out
        try:
            copies.append(Copy(result.path, annotate(result.path, result, target, lang, labels)))
        except ReadError:
            copies.append(Copy(result.path, unreadable=True))
    return copies


def is_folder(out: Path) -> bool:
    """OUT names a folder (one copy per file) unless it ends in .xlsx and is not a folder."""
    return out.is_dir() or out.suffix.lower() != ".xlsx"


def _folder_targets(folder: Path, paths: list[str]) -> dict[str, Path]:
    """`<stem> - kiem tra.xlsx` in `folder` for each path; equal stems get " (2)", " (3)"."""
    targets: dict[str, Path] = {}
    used: set[str] = set()
    for path in paths:
        stem, number = Path(path).stem[:90], 1  # safe_filename keeps 120 characters
        name = stem + COPY_SUFFIX
        while name.casefold() in used:
            number += 1
            name = f"{stem} ({number}){COPY_SUFFIX}"
        used.add(name.casefold())
        targets[path] = folder / inside(folder, name).name  # checked, shown as the user wrote it
    return targets


def _refuse_input(out: Path, inputs: list[Path], targets: list[Path] | None = None) -> None:
    """AntqError when a copy would land on one of the inputs (same path or same file).

    Each input is looked at once, each target once: a thousand files are checked in a
    thousand steps, not a million."""
    paths, files = set(), set()
    for source in inputs:
        paths.add(Path(source).resolve())
        try:
            status = os.stat(source)
        except OSError:
            continue
        files.add((status.st_dev, status.st_ino))
    for target in targets if targets is not None else [out]:
        same = Path(target).resolve() in paths
        if not same and files:
            try:
                status = os.stat(target)
            except OSError:  # not there yet: it is no input
                continue
            same = (status.st_dev, status.st_ino) in files
        if same:
            raise AntqError("annotate-is-input", path=str(target))


# -- the copy ---------------------------------------------------------------------------------

def _open_copy(source: Path, lang: str) -> tuple[Workbook, dict[str, str], str]:
    """The workbook to annotate, its sheet titles by the names antq read, and a note on what
    the copy does not keep ("" when it keeps everything)."""
    if source.suffix.lower() in OPENPYXL_SUFFIXES:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about parts it drops (data-validation extensions, slicers):
                # the copy is for reading the problems, not a replacement of the original.
                warnings.simplefilter("ignore")
                book = load_workbook(source, rich_text=True)
        except Exception:  # noqa: BLE001 - a workbook openpyxl cannot open is rebuilt instead
            pass
        else:
            macros = source.suffix.lower() in (".xlsm", ".xltm")
            book.template = False
            titles = {name: name for name in book.sheetnames}
            return book, titles, ui("annotate_macros", lang) if macros else ""
    workbook = read_workbook(source)  # raises ReadError when the file cannot be read
    book, titles = _rebuild(workbook.sheets)
    return book, titles, ui("annotate_rebuilt", lang, kind=source.suffix or "?")


def _rebuild(grids: list[Grid]) -> tuple[Workbook, dict[str, str]]:
    """A new workbook holding the grids' values at their own addresses, merges re-applied."""
    book = Workbook()
    book.remove(book.active)
    titles: dict[str, str] = {}
    for grid in grids:
        ws = book.create_sheet(sheet_title(grid.sheet, set(titles.values())))
        titles[grid.sheet] = ws.title
        widths: dict[int, int] = defaultdict(int)
        for r, cells in enumerate(grid.rows):
            for c, value in enumerate(cells):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r + 1, column=c + 1, value=_xml_text(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # the unit's text stays text, never a formula
                    if "\n" in value:
                        cell.alignment = _WRAP
                widths[c] = max(widths[c], min(40, len(str(value).split("\n")[0]) + 2))
        for r1, c1, r2, c2 in grid.merged:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1,
                           end_column=c2 + 1)
        for c, width in widths.items():
            ws.column_dimensions[get_column_letter(c + 1)].width = max(width, 8)
    return book, titles


def _xml_text(value: Any) -> Any:
    """Text without the control characters XML cannot hold (a .csv or .xls may have them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _mark_cells(book: Workbook, titles: dict[str, str], problems: list[Problem],
                lang: str, labels: dict[str, str]) -> None:
    """Fill and comment every problem cell; colour the tab of every sheet with problems."""
    by_cell: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        title = titles.get(problem.sheet)
        if title is None:
            continue
        tab = book[title].sheet_properties
        if problem.severity == ERROR or tab.tabColor is None:
            tab.tabColor = ERROR_TAB if problem.severity == ERROR else WARNING_TAB
        if _address(problem.cell):
            by_cell[(title, problem.cell.upper())].append(problem)
    for (title, address), found in by_cell.items():
        cell = _anchor(book[title], address)
        cell.fill = ERROR_FILL if any(p.severity == ERROR for p in found) else WARNING_FILL
        text = "\n\n".join(_comment_text(p, lang, labels) for p in found)
        if cell.comment is not None and cell.comment.author != "antq":
            text += f"\n\n— {ui('annotate_earlier', lang)}: {cell.comment.text}"
        lines = sum(len(line) // 50 + 1 for line in text.split("\n"))
        cell.comment = Comment(_xml_text(text), "antq", height=min(400, 18 * lines + 20), width=340)


def _address(cell: str) -> bool:
    """True for a single A1 address inside Excel's grid ("F12"), False for "" or a range."""
    if not _A1.fullmatch(cell or ""):
        return False
    letters, row = coordinate_from_string(cell.upper())
    return column_index_from_string(letters) <= 16384 and row <= 1048576


def _anchor(ws: Any, address: str) -> Any:
    """The cell at `address`, or the top-left cell of the merged range that covers it."""
    cell = ws[address]
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if address in merged:
                return ws.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _comment_text(problem: Problem, lang: str, labels: dict[str, str]) -> str:
    indicator = labels.get(problem.indicator, problem.indicator)
    where = ", ".join(x for x in (indicator, problem.unit) if x)
    head = ui(problem.severity, lang) + (f" — {where}" if where else "")
    return f"{head}:\n{render(problem, lang)}"
