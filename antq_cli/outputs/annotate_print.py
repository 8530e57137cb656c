"""What the annotated copy shows on paper: each problem beside its row, in a "Lỗi cần sửa"
column, named by the row's unit and the form's column number ("Tổ dân phố 2 – cột (6)",
never "F12", which means nothing on paper), and every sheet on A4 landscape, fit to width.

The copy's first sheet lists every problem the same way; the cell address and the problem
code stay beside it, out of the print area, for whoever opens the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties

from ..model import ERROR, Problem, problem_counts
from .messages import render
from .safe import cell_text
from .words import period_label, ui
from .workbook.page import LINE_PT, text_lines
from .workbook.sheets import FONT

NOTE_WIDTH = 48
# Excel's own "Bad" and "Neutral" cell styles, which users already read as error / look again.
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
# The listing's columns (UI key, width); the last two stay on screen, out of the print area.
LISTING_COLUMNS = (("annotate_no", 5), ("severity", 10), ("annotate_where", 34), ("indicator", 24),
           ("message", 70), ("cell", 8), ("annotate_code", 20))
PRINTED = 5
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
_NUMBER_CELL = re.compile(r"\(\s*(\d{1,3})\s*\)")
_STT = ("stt", "tt", "số tt", "no.")
_INVALID_TITLE = re.compile(r"[\\/*?:\[\]]")


def print_a4(ws: Any) -> None:
    """A4 landscape, as wide as the page, as many pages down as it takes."""
    ws.page_setup.paperSize = 9
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, str) else ""


def column_number(ws: Any, row: int, col: int) -> str:
    """The form's number of column `col` ("6" for "(6)"), from its column-number row above
    `row`; "" when the form has none."""
    for above in range(row - 1, 0, -1):
        match = _NUMBER_CELL.fullmatch(_text(ws.cell(row=above, column=col).value))
        if match:
            return match.group(1)
    return ""


def row_name(ws: Any, row: int) -> str:
    """The name a row goes by: the first text among its first four cells ("Tổ dân phố 8",
    "Tổng cộng")."""
    for col in range(1, 5):
        text = _text(ws.cell(row=row, column=col).value)
        if text and not text.replace(".", "").replace(",", "").isdigit():
            return text
    return ""


def position(ws: Any, problem: Problem, labels: dict[str, str], lang: str) -> str:
    """Where a problem is, as a reader of the printed page finds it: "Biểu 01 – Tổ dân phố 2
    – cột (6)"; the sheet alone for a sheet's problem; the whole file for a file's."""
    if not problem.sheet:
        return ui("annotate_whole_file", lang)
    parts = [problem.sheet]
    if ws is not None and problem.cell:
        row = coordinate_from_string(problem.cell.upper())[1]
        col = ws[problem.cell.upper()].column
        name = problem.unit or row_name(ws, row)
        parts.append(name or ui("annotate_row", lang, row=row))
        number = column_number(ws, row, col)
        label = labels.get(problem.indicator, "")
        parts.append(ui("annotate_column", lang, number=number) if number
                     else label or ui("annotate_cell", lang, cell=problem.cell.upper()))
    return " – ".join(parts)


def problem_column(ws: Any, found: list[Problem], labels: dict[str, str], lang: str) -> None:
    """Write each problem of sheet `ws` beside its row, in a column after the table headed
    "Lỗi cần sửa", and take that column into the sheet's print area."""
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for problem in found:
        by_row[coordinate_from_string(problem.cell.upper())[1]].append(problem)
    if not by_row:
        return
    col = ws.max_column + 1
    header = _header_row(ws, min(by_row))
    cell = ws.cell(row=header, column=col, value=ui("annotate_column_title", lang))
    cell.font, cell.alignment, cell.fill, cell.border = Font(bold=True), WRAP, HEADER_FILL, BOX
    ws.column_dimensions[get_column_letter(col)].width = NOTE_WIDTH
    for row, problems in by_row.items():
        lines = []
        for problem in problems:
            where = _where_in_row(ws, problem, labels, lang)
            lines.append(f"{where}: {render(problem, lang)}" if where else render(problem, lang))
        text = "\n".join(lines)
        note = ws.cell(row=row, column=col, value=cell_text(text))
        note.data_type = "s"
        error = any(p.severity == ERROR for p in problems)
        note.font = Font(color="C00000" if error else "9C5700")
        note.alignment, note.border = WRAP, BOX
        needed = 15 * sum(len(line) // (NOTE_WIDTH - 4) + 1 for line in lines)
        height = ws.row_dimensions[row].height or 15
        ws.row_dimensions[row].height = max(height, needed)
    if ws.print_area:   # the unit's own print area, widened to the notes
        areas = [range_boundaries(area.split("!")[-1].replace("$", ""))
                 for area in ws.print_area.split(",")]
        ws.print_area = [f"{get_column_letter(c1)}{r1}:{get_column_letter(max(c2, col))}{r2}"
                         for c1, r1, c2, r2 in areas]


def _where_in_row(ws: Any, problem: Problem, labels: dict[str, str], lang: str) -> str:
    """"Cột (6)" (or the indicator's label) for a problem in a row's note."""
    col = ws[problem.cell.upper()].column
    row = coordinate_from_string(problem.cell.upper())[1]
    number = column_number(ws, row, col)
    text = ui("annotate_column", lang, number=number) if number \
        else labels.get(problem.indicator, "")
    return text[:1].upper() + text[1:]


def _header_row(ws: Any, first_problem: int) -> int:
    """The table's header row: the "STT" row above the first problem, else the row above it."""
    for row in range(1, first_problem):
        for col in range(1, 4):
            if _text(ws.cell(row=row, column=col).value).lower() in _STT:
                return row
    return max(1, first_problem - 1)


def sheets_with_cells(book: Any, titles: dict[str, str], problems: list[Problem],
                      has_address: Any) -> dict[str, list[Problem]]:
    """The problems of each sheet of the copy that name a cell of it, by sheet title."""
    found: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        title = titles.get(problem.sheet)
        if title is not None and has_address(problem.cell):
            found[title].append(problem)
    return found


# -- the listing sheet ------------------------------------------------------------------------

def listing(book: Any, source: Any, result: Any, titles: dict[str, str], lang: str,
            note: str, labels: dict[str, str], has_address: Any) -> None:
    """The first sheet: the file, unit, period and counts, what to do, then every problem
    where a reader of the page finds it, with a link to its cell."""
    ws = book.create_sheet(sheet_title(ui("annotate_sheet", lang), set(book.sheetnames)), 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = other is ws
    book.active = 0
    errors, warnings = problem_counts(result.problems)
    lines = [
        (ui("annotate_title", lang), Font(name=FONT, bold=True, size=14)),
        (f"{ui('file', lang)}: {source.name}", None),
        (f"{ui('unit', lang)}: {result.unit_name or result.unit or '—'}", None),
        (f"{ui('period', lang)}: {period_label(result.period, lang)}", None),
        (ui("annotate_counts", lang, errors=errors, warnings=warnings), None),
        (ui(_advice(errors, errors + warnings), lang), Font(name=FONT, bold=True,
                                                                color="C00000")),
    ] + ([(note, Font(name=FONT, italic=True))] if note else [])
    last = get_column_letter(PRINTED)
    text_width = sum(width for _, width in LISTING_COLUMNS[:PRINTED])
    for row, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=_clean(text))
        cell.font, cell.alignment = font or Font(name=FONT, size=12), WRAP
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 22 if row == 1 else 16 * (len(text) // text_width + 1)
    header = len(lines) + 2
    for col, (key, width) in enumerate(LISTING_COLUMNS, start=1):
        cell = ws.cell(row=header, column=col, value=ui(key, lang))
        cell.font, cell.alignment = Font(name=FONT, size=12, bold=True), WRAP
        cell.fill, cell.border = HEADER_FILL, BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    for number, problem in enumerate(result.problems, start=1):
        title = titles.get(problem.sheet)
        sheet = book[title] if title is not None and has_address(problem.cell) else None
        _problem_row(ws, header + number, number, problem, sheet, title, labels, lang,
                     has_address)
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(LISTING_COLUMNS))}" \
                         f"{header + max(1, len(result.problems))}"
    ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{last}{header + max(1, len(result.problems))}"


def _problem_row(ws: Any, row: int, number: int, problem: Problem, sheet: Any,
                 title: str | None, labels: dict[str, str], lang: str,
                 has_address: Any) -> None:
    values = (number, ui(problem.severity, lang), position(sheet, problem, labels, lang),
              labels.get(problem.indicator, problem.indicator), render(problem, lang),
              problem.cell, problem.code)
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=_clean(value))
        cell.font, cell.alignment, cell.border = Font(name=FONT, size=12), WRAP, BOX
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="top")
    # Neither Excel nor LibreOffice grows a row for wrapped text reliably: size it here.
    lines = max(text_lines(v, width) for v, (_, width) in zip(values, LISTING_COLUMNS))
    ws.row_dimensions[row].height = LINE_PT * lines + 2
    ws.cell(row=row, column=2).fill = ERROR_FILL if problem.severity == ERROR else WARNING_FILL
    if title is not None:
        target = problem.cell.upper() if has_address(problem.cell) else "A1"
        link = ws.cell(row=row, column=3)
        link.hyperlink = Hyperlink(ref=link.coordinate,
                                   location=f"'{title.replace(chr(39), chr(39) * 2)}'!{target}")
        link.font = Font(name=FONT, size=12, color="0563C1", underline="single")


def _clean(value: Any) -> Any:
    """A listing cell: never a formula, without characters XML cannot hold."""
    value = cell_text(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def sheet_title(name: str, used: set[str]) -> str:
    """A name Excel accepts as a sheet title (31 characters, no []:*?/\\), unique."""
    title = _INVALID_TITLE.sub("-", name).strip("'") or "Sheet"
    base, number = title[:31], 1
    title = base
    while title.casefold() in {u.casefold() for u in used}:
        number += 1
        title = f"{base[:27]} ({number})"
    return title


# -- problem cells ----------------------------------------------------------------------------


def _advice(errors: int, problems: int) -> str:
    if errors:
        return "annotate_fix"
    return "annotate_review" if problems else "file_ok"
