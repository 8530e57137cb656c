"""The building blocks of antq's workbooks: cell formats, the title block, form headers,
the signature block and page setup, written with xlsxwriter.

Every text that comes from a submission or a registry goes through `cell_text` and is
written with `write_string`, so nothing a unit typed can become a formula.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from ...forms import Form, Indicator
from ..safe import cell_text

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
MOTTO_EN = ("SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness")


class Formats:
    """The workbook's cell formats, made once per workbook."""

    def __init__(self, book: Any) -> None:
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
        cell = base | {"border": 1}

        def add(**extra: Any) -> Any:
            return book.add_format(base | extra)

        self.title = add(bold=True, font_size=13, align="center", text_wrap=True)
        self.center = add(align="center")
        self.center_bold = add(align="center", bold=True)
        self.italic = add(italic=True, align="center")
        self.text = add(text_wrap=True, valign="top")
        self.bold = add(bold=True)
        self.header = book.add_format(cell | {"bold": True, "align": "center", "text_wrap": True,
                                              "bg_color": "#DDEBF7"})
        self.number_row = book.add_format(cell | {"italic": True, "align": "center",
                                                  "font_size": 9})
        self.cell = book.add_format(cell | {"text_wrap": True})
        self.code = book.add_format(cell | {"align": "center", "num_format": "@"})
        self.count = book.add_format(cell | {"num_format": "#,##0"})
        self.decimal = book.add_format(cell | {"num_format": "#,##0.0"})
        self.percent = book.add_format(cell | {"num_format": "0.0%"})
        self.rate = book.add_format(cell | {"align": "right"})
        self.total_label = book.add_format(cell | {"bold": True, "align": "center"})
        self.total = book.add_format(cell | {"bold": True, "num_format": "#,##0"})
        self.total_rate = book.add_format(cell | {"bold": True, "align": "right"})
        self.error = book.add_format(cell | {"text_wrap": True, "font_color": "#C00000"})
        self.warning = book.add_format(cell | {"text_wrap": True, "font_color": "#9C5700"})


def write_text(sheet: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """A text or number cell; text is neutralised and never read as a formula."""
    value = cell_text(value)
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


@dataclass(slots=True)
class Heading:
    """What the title block of a sheet says."""

    agency: str          # the level above, upper case ("CÔNG AN TỈNH MẪU SƠN"), may be ""
    unit: str            # the reporting unit ("CÔNG AN HUYỆN TÂN ĐỨC")
    title: str
    period: str          # "Quý I/2024"
    window: str          # "Số liệu tính từ 15/12/2023 đến 14/3/2024"
    lang: str = "vi"


def title_block(sheet: Any, fmt: Formats, heading: Heading, width: int) -> int:
    """Unit and motto side by side, then the title, period and window; returns the next row."""
    left = max(2, min(4, width // 3))
    motto = MOTTO_EN if heading.lang == "en" else MOTTO
    right_first = max(left, width - max(4, width // 2))
    # The unit stands level with the motto's first line when there is no agency above it.
    units = ((heading.agency, fmt.center), (heading.unit, fmt.center_bold)) if heading.agency \
        else ((heading.unit, fmt.center_bold), ("", fmt.center))
    for row, ((unit_text, unit_fmt), motto_text) in enumerate(zip(units, motto)):
        _merged(sheet, row, 0, left - 1, unit_text, unit_fmt)
        _merged(sheet, row, right_first, width - 1, motto_text, fmt.center_bold)
    for row, text, style in ((3, heading.title, fmt.title), (4, heading.period, fmt.center_bold),
                             (5, f"({heading.window})", fmt.italic)):
        _merged(sheet, row, 0, width - 1, text, style)
    sheet.set_row(3, 36)
    return 7


def _merged(sheet: Any, row: int, first: int, last: int, text: str, fmt: Any) -> None:
    if last > first:
        sheet.merge_range(row, first, row, last, "", fmt)
    write_text(sheet, row, first, text, fmt)


def indicator_paths(form: Form) -> list[tuple[str, ...]]:
    """Each indicator's header as a path: (group, leaf) where the form gives one, else (label,)."""
    return [ind.headers[0] if ind.headers else (ind.label,) for ind in form.indicators]


LINE_HEIGHT = 15  # points per line of 11-pt Times New Roman


def text_lines(text: Any, width: float, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (an estimate:
    LibreOffice does not grow rows to fit wrapped text written by xlsxwriter)."""
    usable = max(3, int(width * (1.0 if bold else 1.1)) - 1)
    parts = str(text if text is not None else "").split("\n")
    return sum(max(1, len(textwrap.wrap(part, usable, break_long_words=True))) for part in parts)


def set_widths(sheet: Any, widths: list[float]) -> None:
    """Each column's width, in characters."""
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)


def form_header(sheet: Any, fmt: Formats, top: int, lead: list[str],
                paths: list[tuple[str, ...]], tail: list[str] = (),
                widths: list[float] | None = None) -> int:
    """Header rows (groups merged over their leaves), then the column-number row.

    `lead` columns (STT, Mã, name) and `tail` columns span the header rows; returns the row
    after the column-number row. With the columns' `widths`, the header rows are made tall
    enough for their wrapped labels.
    """
    depth = max((len(p) for p in paths), default=1)
    columns = [(label,) for label in lead] + list(paths) + [(label,) for label in tail]
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


def _header_heights(sheet: Any, top: int, depth: int, columns: list[tuple[str, ...]],
                    widths: list[float] | None) -> None:
    """Group rows one or two lines, the leaf row as tall as its longest wrapped label."""
    if widths is None:
        sheet.set_row(top + depth - 1, 48)
        return
    groups: dict[tuple[int, str], float] = {}
    for col, path in enumerate(columns):
        for level, label in enumerate(path[:-1]):
            groups[(level, label)] = groups.get((level, label), 0) + widths[col]
    group_lines = max((text_lines(label, width, True) for (_, label), width in groups.items()),
                      default=0)
    leaves = [text_lines(p[-1], widths[c], True) for c, p in enumerate(columns) if len(p) == depth]
    spans = [text_lines(p[-1], widths[c], True) for c, p in enumerate(columns) if len(p) < depth]
    group_rows = (depth - 1) * group_lines * LINE_HEIGHT
    leaf = max(max(leaves, default=1) * LINE_HEIGHT, max(spans, default=1) * LINE_HEIGHT
               - group_rows, 2 * LINE_HEIGHT)
    for row in range(top, top + depth - 1):
        sheet.set_row(row, group_lines * LINE_HEIGHT + 3)
    sheet.set_row(top + depth - 1, leaf + 3)


def _span(sheet: Any, first_row: int, first_col: int, last_row: int, last_col: int,
          text: str, fmt: Any) -> None:
    if (first_row, first_col) != (last_row, last_col):
        sheet.merge_range(first_row, first_col, last_row, last_col, "", fmt)
    write_text(sheet, first_row, first_col, text, fmt)


def value_cell(sheet: Any, fmt: Formats, row: int, col: int, indicator: Indicator,
               value: int | float) -> None:
    """A figure as a number, whole numbers without decimals."""
    number_format = fmt.count if float(value).is_integer() else fmt.decimal
    sheet.write_number(row, col, value, number_format)


def signature_block(sheet: Any, fmt: Formats, row: int, width: int, lang: str = "vi") -> None:
    """The date line and the two signatures: who made the table and the head of the unit."""
    if lang == "en":
        texts = ("PREPARED BY", "HEAD OF UNIT", "......, day ... month ... year ......")
    else:
        texts = ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "......, ngày ... tháng ... năm ......")
    half = max(1, width // 2)
    _merged(sheet, row, half, width - 1, texts[2], fmt.italic)
    _merged(sheet, row + 1, 0, half - 1, texts[0], fmt.center_bold)
    _merged(sheet, row + 1, half, width - 1, texts[1], fmt.center_bold)


def page_setup(sheet: Any, header_rows: tuple[int, int] | None = None) -> None:
    """A4 landscape, fit to the page width, header rows repeated on every page."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.center_horizontally()
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)


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
