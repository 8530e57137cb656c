"""The building blocks of antq's workbooks: cell formats, form headers, figures and total
rows, written with xlsxwriter (the official header, sign-off and print plan: page.py).

Every text that comes from a submission or a registry goes through `cell_text` and is
written with `write_string`, so nothing a unit typed can become a formula.

Figures are numbers whose format prints them the Vietnamese way on any PC: the thousands
dot is a literal in the format ("13.768" under US settings too, where "#,##0" printed
"13,768"), and a ratio's format carries the Vietnamese locale ("61,3%" in LibreOffice, and in
Excel on a PC set to Vietnamese; Excel takes a decimal mark only from the PC).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ...forms import Form, Indicator
from ..safe import cell_text
from . import page as P
from .page import BODY_PT, LINE_PT, text_lines

FONT = "Times New Roman"
# Text antq writes stays text: a unit named "=HYPERLINK(...)" or "0012" is never made a
# formula, a link or a number by xlsxwriter (every workbook antq writes is opened with these).
TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}
# Whole numbers with a literal thousands mark (0 to 999.999.999), by language.
COUNT_FORMAT = {"vi": r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0",
                "en": r"[>=1000000]#\,###\,##0;[>=1000]#\,##0;0"}
PERCENT_FORMAT = {"vi": "[$-42A]0.0%", "en": "[$-409]0.0%"}
SIGNED_PERCENT = {"vi": "[$-42A]+0.0%;-0.0%;0.0%", "en": "[$-409]+0.0%;-0.0%;0.0%"}
POINTS_FORMAT = {"vi": "[$-42A]+0.0;-0.0;0.0", "en": "[$-409]+0.0;-0.0;0.0"}
DECIMAL_FORMAT = {"vi": "[$-42A]#,##0.0##", "en": "[$-409]#,##0.0##"}


def signed_format(value: float, lang: str = "vi") -> str:
    """A change with its sign and a literal thousands mark: "+1.234", "-56", "0" (a format
    cannot both test the size and keep the sign, so the writer picks one by the value)."""
    mark = "\\." if lang == "vi" else "\\,"
    digits = abs(value)
    body = f"#{mark}###{mark}##0" if digits >= 1e6 else f"#{mark}##0" if digits >= 1000 else "0"
    return f"+{body};-{body};0"


class Formats:
    """The workbook's cell formats, made once per workbook, in the language of its figures."""

    def __init__(self, book: Any, lang: str = "vi") -> None:
        self.book, self.lang = book, lang
        base = {"font_name": FONT, "font_size": BODY_PT, "valign": "vcenter"}
        cell = base | {"border": 1}
        self._cell = cell
        self._signed: dict[str, Any] = {}

        def add(**extra: Any) -> Any:
            return book.add_format(base | extra)

        def boxed(**extra: Any) -> Any:
            return book.add_format(cell | extra)

        # The official header (page.py): sizes after Nghị định 30/2020/NĐ-CP.
        self.superior = add(align="center", text_wrap=True)
        self.body = add(align="center", bold=True, text_wrap=True)
        self.rule = add(align="center", underline=1, valign="top", font_size=P.RULE_PT)
        self.nation = add(align="center", bold=True)
        self.motto = add(align="center", bold=True, font_size=13)
        self.number = add(align="center", font_size=13)
        self.date_line = add(align="center", italic=True, font_size=13)
        self.kind = add(align="center", bold=True, font_size=14)
        self.title = add(align="center", bold=True, font_size=14, text_wrap=True)
        self.period = add(align="center", bold=True, font_size=13)
        self.window = add(align="center", italic=True, font_size=13)
        self.signer = add(align="center", bold=True, font_size=13, text_wrap=True)
        self.sign_note = add(align="center", italic=True)
        # Text outside tables.
        self.text = add(text_wrap=True, valign="top", align="justify")
        self.note = add(italic=True, text_wrap=True, valign="top")
        self.bold = add(bold=True)
        # Tables.
        self.header = boxed(bold=True, align="center", text_wrap=True, bg_color="#DDEBF7")
        self.number_row = boxed(italic=True, align="center")
        self.section = boxed(bold=True, text_wrap=True, bg_color="#F2F2F2")
        self.cell = boxed(text_wrap=True)
        self.part = boxed(text_wrap=True, indent=2, italic=True)
        self.code = boxed(align="center", num_format="@")
        self.center = boxed(align="center", text_wrap=True)
        self.count = boxed(num_format=COUNT_FORMAT[lang])
        self.decimal = boxed(num_format=DECIMAL_FORMAT[lang])
        self.percent = boxed(num_format=PERCENT_FORMAT[lang])
        self.signed_percent = boxed(num_format=SIGNED_PERCENT[lang])
        self.points = boxed(num_format=POINTS_FORMAT[lang])
        self.total_label = boxed(bold=True, align="center")
        self.total = boxed(bold=True, num_format=COUNT_FORMAT[lang])
        self.total_percent = boxed(bold=True, num_format=PERCENT_FORMAT[lang])
        self.total_note = boxed(bold=True, italic=True, text_wrap=True)
        self.error = boxed(text_wrap=True, font_color="#C00000")
        self.warning = boxed(text_wrap=True, font_color="#9C5700")

    def signed(self, value: float) -> Any:
        """The format of a change: "+1.234", "-56" (see signed_format)."""
        number_format = signed_format(value, self.lang)
        if number_format not in self._signed:
            self._signed[number_format] = self.book.add_format(
                self._cell | {"num_format": number_format})
        return self._signed[number_format]


def write_text(sheet: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """A text or number cell; text is neutralised and never read as a formula."""
    value = cell_text(value)
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def indicator_paths(form: Form) -> list[tuple[str, ...]]:
    """Each indicator's header as a path: (group, leaf) where the form gives one, else (label,)."""
    return [ind.headers[0] if ind.headers else (ind.label,) for ind in form.indicators]


def is_part(indicator: Indicator) -> bool:
    """True for an "of which" line ("Trong đó: trộm cắp"): indented under its parent, no STT."""
    label = unicodedata.normalize("NFC", indicator.label).strip().lower()
    return label.startswith(("trong đó", "trong do", "of which"))


def set_widths(sheet: Any, widths: list[float]) -> None:
    """Each column's width, in characters."""
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)


def form_header(sheet: Any, fmt: Formats, top: int, lead: list[str],
                paths: list[tuple[str, ...]], tail: list[str | tuple[str, ...]] = (),
                widths: list[float] | None = None) -> int:
    """Header rows (groups merged over their leaves), then the column-number row.

    `lead` columns (STT, Mã, name) and `tail` columns (a label, or a (group, leaf) path) span
    the header rows; returns the row after the column-number row. With the columns'
    `widths`, the header rows are made tall enough for their wrapped labels.
    """
    depth = max((len(p) for p in [*paths, *[t for t in tail if isinstance(t, tuple)]]),
                default=1)
    columns = [(label,) for label in lead] + list(paths) + [
        t if isinstance(t, tuple) else (t,) for t in tail]
    for col, path in enumerate(columns):
        if len(path) < depth:
            _span(sheet, top, col, top + depth - 1, col, path[-1], fmt.header)
        else:
            write_text(sheet, top + depth - 1, col, path[-1], fmt.header)
    col = 0
    while col < len(columns):
        path = columns[col]
        if len(path) == depth and depth > 1:
            last = col
            while last + 1 < len(columns) and len(columns[last + 1]) == depth \
                    and columns[last + 1][0] == path[0]:
                last += 1
            _span(sheet, top, col, top, last, path[0], fmt.header)
            col = last + 1
        else:
            col += 1
    numbers = top + depth
    for col in range(len(columns)):
        sheet.write_string(numbers, col, f"({col + 1})", fmt.number_row)
    _header_heights(sheet, top, depth, columns, widths)
    return numbers + 1


def header_groups(lead: int, columns: list[tuple[str, ...]]) -> list[int]:
    """The first column of each run of columns under one group header (and of each column
    without one), counted after `lead` columns: where a wide table may be cut into pages."""
    starts, previous = [], None
    for col, path in enumerate(columns, start=lead):
        group = path[0] if len(path) > 1 else None
        if group is None or group != previous:
            starts.append(col)
        previous = group
    return starts


def _header_heights(sheet: Any, top: int, depth: int, columns: list[tuple[str, ...]],
                    widths: list[float] | None) -> None:
    """Group rows as tall as their longest wrapped group label, the leaf row as tall as its
    longest wrapped label (a label spanning every row shares their height)."""
    if widths is None:
        sheet.set_row(top + depth - 1, 4 * LINE_PT)
        return
    groups: dict[tuple[int, str], float] = {}
    for col, path in enumerate(columns):
        for level, label in enumerate(path[:-1]):
            groups[(level, label)] = groups.get((level, label), 0) + widths[col]
    group_lines = max((text_lines(label, width, bold=True) for (_, label), width
                       in groups.items()), default=0)
    leaves = [text_lines(p[-1], widths[c], bold=True) for c, p in enumerate(columns)
              if len(p) == depth]
    spans = [text_lines(p[-1], widths[c], bold=True) for c, p in enumerate(columns)
             if len(p) < depth]
    group_rows = (depth - 1) * (group_lines * LINE_PT + 4)
    leaf = max(max(leaves, default=1) * LINE_PT, max(spans, default=1) * LINE_PT - group_rows,
               2 * LINE_PT)
    for row in range(top, top + depth - 1):
        sheet.set_row(row, group_lines * LINE_PT + 4)
    sheet.set_row(top + depth - 1, leaf + 4)


def _span(sheet: Any, first_row: int, first_col: int, last_row: int, last_col: int,
          text: str, fmt: Any) -> None:
    if (first_row, first_col) != (last_row, last_col):
        sheet.merge_range(first_row, first_col, last_row, last_col, "", fmt)
    write_text(sheet, first_row, first_col, text, fmt)


def value_cell(sheet: Any, fmt: Formats, row: int, col: int, indicator: Indicator | None,
               value: int | float, style: Any = None) -> None:
    """A figure as a number, whole numbers without decimals."""
    if style is None:
        style = fmt.count if float(value).is_integer() else fmt.decimal
    sheet.write_number(row, col, value, style)


def ratio_cells(sheet: Any, fmt: Formats, row: int, col: int, rate: Any,
                bold: bool = False) -> None:
    """A rate as three numbers, figure | base | ratio, so formulas work on them; the ratio
    blank when the base is 0 (or nothing was reported: the row's note says so)."""
    count, percent = (fmt.total, fmt.total_percent) if bold else (fmt.count, fmt.percent)
    if rate is None or rate.reported == 0:
        for offset in range(3):
            sheet.write_blank(row, col + offset, None, count)
        return
    sheet.write_number(row, col, rate.numerator, count)
    sheet.write_number(row, col + 1, rate.denominator, count)
    if rate.ratio is None:
        sheet.write_blank(row, col + 2, None, percent)
    else:
        sheet.write_number(row, col + 2, rate.ratio, percent)


def ratio_down(sheet: Any, fmt: Formats, row: int, col: int, rate: Any,
               bold: bool = False) -> None:
    """`ratio_cells` down a column: figure, base and ratio in rows row..row + 2."""
    count, percent = (fmt.total, fmt.total_percent) if bold else (fmt.count, fmt.percent)
    reported = rate is not None and rate.reported != 0
    for offset, value in enumerate((rate.numerator, rate.denominator, rate.ratio)
                                   if reported else (None, None, None)):
        style = percent if offset == 2 else count
        if value is None:
            sheet.write_blank(row + offset, col, None, style)
        else:
            sheet.write_number(row + offset, col, value, style)


def row_height(sheet: Any, row: int, cells: list[tuple[Any, float]], bold: bool = False) -> None:
    """Make a row tall enough for its wrapped texts ((text, column width) pairs)."""
    lines = max((text_lines(text, width, bold=bold) for text, width in cells
                 if isinstance(text, str) and text), default=1)
    if lines > 1:
        sheet.set_row(row, lines * LINE_PT + 4)


def row_formula(sheet: Any, style: Any, row: int, col: int, first: int, last: int,
                value: int | float) -> None:
    """A "Tổng cộng" cell at the end of a row: =SUM of the row's columns first..last, with
    its value stored."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    cells = f"{xl_rowcol_to_cell(row, first)}:{xl_rowcol_to_cell(row, last)}"
    sheet.write_formula(row, col, f"=SUM({cells})", style, value)


def total_formula(sheet: Any, style: Any, row: int, col: int, first: int, last: int,
                  value: int | float, flag: bool = False) -> None:
    """A "Tổng cộng" cell: =SUM of the column's rows first..last (=COUNTIF "Đạt" for a flag,
    which antq checks as the number of units flagged), with its value stored for readers
    without a calculation engine; the plain value when there are no rows."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    if last < first:
        sheet.write_number(row, col, value, style)
        return
    cells = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
    formula = f'=COUNTIF({cells},"Đạt")' if flag else f"=SUM({cells})"
    sheet.write_formula(row, col, formula, style, value)


def indicator_width(form: Form) -> int:
    """11 characters, 10 for a wide form (bieu-02's 26 columns): Biểu 01 of a commune's
    villages on one page across, a wide form on as few pages as it can."""
    return 11 if len(form.indicators) <= 15 else 10
