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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)
from openpyxl.worksheet.hyperlink import Hyperlink

from ..model import ERROR, AntqError, FileResult, Grid, Problem, ReadError, problem_counts
from ..periods import parse_period_option
from ..read.reading import read_workbook
from .messages import render
from .safe import cell_text, inside, write_atomically
from .words import ui

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".ots", ".csv", ".tsv", ".xltx", ".xltm")
COPY_SUFFIX = " - kiem tra.xlsx"
# File-level: nothing to annotate (a link out of the folder is never followed to make a copy).
NOT_READ = ("unreadable-file", "not-a-spreadsheet", "unreadable-folder", "link-outside")

# Excel's own "Bad" and "Neutral" cell styles, which users already read as error / look again.
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
ERROR_TAB, WARNING_TAB = "C00000", "FFC000"
_INVALID_TITLE = re.compile(r"[\\/*?:\[\]]")
_A1 = re.compile(r"[A-Za-z]{1,3}[1-9][0-9]{0,6}")
_WRAP = Alignment(wrap_text=True, vertical="top")
# Listing sheet columns: (UI key, width).
_COLUMNS = (("annotate_no", 5), ("severity", 10), ("annotate_code", 20), ("sheet", 16), ("cell", 8),
            ("indicator", 22), ("unit", 20), ("message", 80))


@dataclass(slots=True)
class Copy:
    """What --annotate did for one file: the copy written, or why there is none."""

    source: str
    path: Path | None = None
    unreadable: bool = False


def annotate(source: str | os.PathLike, result: FileResult, out: str | os.PathLike,
             lang: str = "vi") -> Path:
    """Write to `out` a copy of `source` with its problem cells filled and commented."""
    source, out = Path(source), Path(out)
    _refuse_input(out, [source])
    book, titles, note = _open_copy(source, lang)
    _mark_cells(book, titles, result.problems, lang)
    _listing(book, source, result, titles, lang, note)
    return write_atomically(out, lambda temporary: _save(book, temporary))


def _save(book: Workbook, temporary: Path) -> None:
    book.save(temporary)
    # mkstemp makes the file private (0600); the copy is an ordinary document to send on.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)


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


def annotate_all(results: list[FileResult], out: Path, lang: str = "vi") -> list[Copy]:
    """The annotated copy of each file that needs one: OUT itself, or one per file in folder OUT.

    With several files, a file without problems gets no copy; a file that could not be read
    never gets one (its Copy says so).
    """
    folder = is_folder(out)
    single = len(results) == 1
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
            copies.append(Copy(result.path, annotate(result.path, result, target, lang)))
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
        ws = book.create_sheet(_sheet_title(grid.sheet, set(titles.values())))
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


def _sheet_title(name: str, used: set[str]) -> str:
    """A name Excel accepts as a sheet title (31 characters, no []:*?/\\), unique."""
    title = _INVALID_TITLE.sub("-", name).strip("'") or "Sheet"
    base, number = title[:31], 1
    title = base
    while title.casefold() in {u.casefold() for u in used}:
        number += 1
        title = f"{base[:27]} ({number})"
    return title


# -- problem cells ----------------------------------------------------------------------------

def _mark_cells(book: Workbook, titles: dict[str, str], problems: list[Problem],
                lang: str) -> None:
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
        text = "\n\n".join(_comment_text(p, lang) for p in found)
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


def _comment_text(problem: Problem, lang: str) -> str:
    where = ", ".join(x for x in (problem.indicator, problem.unit) if x)
    head = f"{ui(problem.severity, lang)} ({problem.code})" + (f" — {where}" if where else "")
    return f"{head}:\n{render(problem, lang)}"


# -- the listing sheet ------------------------------------------------------------------------

def _listing(book: Workbook, source: Path, result: FileResult, titles: dict[str, str],
             lang: str, note: str) -> None:
    """The first sheet: the file, unit, period and counts, what to do, then every problem."""
    ws = book.create_sheet(_sheet_title(ui("annotate_sheet", lang), set(book.sheetnames)), 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = other is ws
    book.active = 0
    errors, warnings = problem_counts(result.problems)
    lines = [
        (ui("annotate_title", lang), Font(bold=True, size=14)),
        (f"{ui('file', lang)}: {source.name}", None),
        (f"{ui('unit', lang)}: {result.unit_name or result.unit or '—'}", None),
        (f"{ui('period', lang)}: {_period_label(result.period, lang)}", None),
        (ui("annotate_counts", lang, errors=errors, warnings=warnings), None),
        (ui(_advice(errors, errors + warnings), lang), Font(bold=True, color="C00000")),
    ] + ([(note, Font(italic=True))] if note else [])
    last = get_column_letter(len(_COLUMNS))
    for row, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=_xml_text(cell_text(text)))
        cell.font, cell.alignment = font or Font(), _WRAP
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 15 * (len(text) // 150 + 1) + (6 if row == 1 else 0)
    header = len(lines) + 2
    for col, (key, width) in enumerate(_COLUMNS, start=1):
        cell = ws.cell(row=header, column=col, value=ui(key, lang))
        cell.font, cell.alignment = Font(bold=True), _WRAP
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(col)].width = width
    for number, problem in enumerate(result.problems, start=1):
        _problem_row(ws, header + number, number, problem, titles, lang)
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.auto_filter.ref = f"A{header}:{last}{header + max(1, len(result.problems))}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header}:{header}"


def _problem_row(ws: Any, row: int, number: int, problem: Problem, titles: dict[str, str],
                 lang: str) -> None:
    values = (number, ui(problem.severity, lang), problem.code, problem.sheet, problem.cell,
              problem.indicator, problem.unit, render(problem, lang))
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=_xml_text(cell_text(value)))
        cell.alignment = _WRAP
    # Neither Excel nor LibreOffice grows a row for wrapped text reliably: size it here.
    longest = max(len(str(v)) / (width - 1) for v, (_, width) in zip(values, _COLUMNS))
    ws.row_dimensions[row].height = 15 * (int(longest) + 1)
    severity = ws.cell(row=row, column=2)
    severity.fill = ERROR_FILL if problem.severity == ERROR else WARNING_FILL
    title = titles.get(problem.sheet)
    if title is not None:
        target = problem.cell.upper() if _address(problem.cell) else "A1"
        link = ws.cell(row=row, column=5 if problem.cell else 4)
        link.hyperlink = Hyperlink(ref=link.coordinate,
                                   location=f"'{title.replace(chr(39), chr(39) * 2)}'!{target}")
        link.font = Font(color="0563C1", underline="single")


def _advice(errors: int, problems: int) -> str:
    if errors:
        return "annotate_fix"
    return "annotate_review" if problems else "file_ok"


def _period_label(code: str, lang: str) -> str:
    if not code:
        return "—"
    try:
        return parse_period_option(code).label(lang)
    except ValueError:
        return code
