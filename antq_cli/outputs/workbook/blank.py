"""A blank form sheet of `antq template`, laid out to be filled in and printed.

A form with a row per unit: the official header, the form's header (groups merged over their
leaves), a column-number row, a row per unit (under their parent's section row when the unit
is two levels up), a "Tổng cộng" row of formulas, a note and the sign-off; printed across
pages with the unit columns repeated when it is wide. A form of one row (a commune's own
Biểu 02) is turned round, as communes write it: STT | Nội dung | ĐVT | Số liệu, one indicator
a row, on A4 portrait. Counts accept only whole numbers ≥ 0 and flags a Đạt / Không đạt
dropdown; everything but the data cells is locked.
"""

from __future__ import annotations

from typing import Any

from ...forms import Form
from ..words import ui
from . import page as P
from . import sheets as S

# What a clerk picks in a flag column; numbers.parse_flag reads the first as 1, the second as 0.
FLAG_CHOICES = ("Đạt", "Không đạt")
LEAD_COLUMNS = 3  # STT, Mã, name
ENTRY_PT = 20     # a row to fill in: room for a hand-written figure on the printed form


class BlankFormats(S.Formats):
    """antq's workbook formats, plus the unlocked cells a clerk types into."""

    def __init__(self, book: Any) -> None:
        super().__init__(book, "vi")
        cell = {"font_name": S.FONT, "font_size": P.BODY_PT, "valign": "vcenter", "border": 1,
                "locked": False}
        self.input_count = book.add_format(cell | {"num_format": S.COUNT_FORMAT["vi"]})
        self.input_flag = book.add_format(cell | {"align": "center"})
        self.input_name = book.add_format(cell | {"text_wrap": True})


def write_blank(book: Any, fmt: BlankFormats, heading: P.Heading, planned: Any,
                sheet_name: str, lang: str) -> None:
    """One form of the template: turned round when its one row is the unit's own and the
    form says how (`planned.turned`), else a row per unit."""
    form = planned.form
    sheet = book.add_worksheet(sheet_name)
    heading = P.Heading(heading.issuer, form.title.upper(), heading.period, heading.window,
                        form.name.upper())
    if planned.turned:
        _vertical(sheet, fmt, heading, form, lang)
    else:
        _horizontal(sheet, fmt, heading, planned, lang)
    # Protection without a password: it keeps a clerk from typing over the header, the codes
    # or the totals by accident, not a secret (Review > Unprotect Sheet lifts it).
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _horizontal(sheet: Any, fmt: BlankFormats, heading: P.Heading, planned: Any,
                lang: str) -> None:
    form = planned.form
    paths = S.indicator_paths(form)
    lead = ["STT", form.columns["code"][0], form.columns["name"][0]]
    names = [len(row.unit.name) for row in planned.rows if row.unit is not None]
    widths = [5, 10, min(36, max([22, *names]) + 2)] + [S.indicator_width(form)] * len(paths)
    plan = P.plan_columns(widths, LEAD_COLUMNS, S.header_groups(LEAD_COLUMNS, paths))
    top = P.write_heading(sheet, fmt, heading, plan.band_widths(0))
    first = S.form_header(sheet, fmt, top, lead, paths, widths=widths)
    for offset, row in enumerate(planned.rows):
        _write_row(sheet, fmt, first + offset, form, row)
        sheet.set_row(first + offset, ENTRY_PT)
    last = first + len(planned.rows) - 1
    _total_row(sheet, fmt, form, first, last)
    for col, ind in enumerate(form.indicators, start=LEAD_COLUMNS):
        sheet.data_validation(first, col, last, col, _rule(ind, lang))
    band = plan.bands[-1]
    start = band[0] if len(plan.bands) > 1 else 0
    end = _note(sheet, fmt, form, last + 3, start, band[1], widths, lang)
    end = P.write_signoff(sheet, fmt, end + 1, start, band[1], heading.issuer)
    S.set_widths(sheet, widths)
    sheet.freeze_panes(first, LEAD_COLUMNS)
    P.apply_plan(sheet, plan, end, (top, first - 1))


def _write_row(sheet: Any, fmt: BlankFormats, row: int, form: Form, planned: Any) -> None:
    unit = planned.unit
    if planned.section:
        S.write_text(sheet, row, 0, planned.number, fmt.section)
        S.write_text(sheet, row, 1, unit.code if unit else "", fmt.section)
        S.write_text(sheet, row, 2, unit.name if unit else "", fmt.section)
        for col in range(LEAD_COLUMNS, LEAD_COLUMNS + len(form.indicators)):
            sheet.write_blank(row, col, None, fmt.section)
        return
    sheet.write_number(row, 0, int(planned.number), fmt.code)
    if unit is None:
        sheet.write_blank(row, 1, None, fmt.code)
        sheet.write_blank(row, 2, None, fmt.input_name)
    else:
        S.write_text(sheet, row, 1, unit.code, fmt.code)
        S.write_text(sheet, row, 2, unit.name, fmt.cell)
    for col, ind in enumerate(form.indicators, start=LEAD_COLUMNS):
        sheet.write_blank(row, col, None, fmt.input_flag if ind.type == "flag" else fmt.input_count)


def _total_row(sheet: Any, fmt: BlankFormats, form: Form, first: int, last: int) -> None:
    """"Tổng cộng": SUM of each count, COUNTIF "Đạt" of each flag, stored as 0."""
    row = last + 1
    sheet.merge_range(row, 0, row, LEAD_COLUMNS - 1, "", fmt.total_label)
    S.write_text(sheet, row, 0, ui("total_row", "vi"), fmt.total_label)
    for col, ind in enumerate(form.indicators, start=LEAD_COLUMNS):
        S.total_formula(sheet, fmt.total, row, col, first, last, 0, flag=ind.type == "flag")


def _vertical(sheet: Any, fmt: BlankFormats, heading: P.Heading, form: Form, lang: str) -> None:
    """STT | Nội dung | ĐVT | Số liệu: the form's indicators as rows, "Trong đó" lines
    indented without a number, one unlocked value cell each."""
    widths = [6, 40, 20, 26]   # the motto needs the last two
    labels = [form.vertical["content"][0], form.vertical["unit_of_measure"][0],
              form.vertical["value"][0]]
    plan = P.plan_columns(widths, orientation="portrait")
    top = P.write_heading(sheet, fmt, heading, widths)
    for col, label in enumerate(["STT", *labels]):
        S.write_text(sheet, top, col, label, fmt.header)
        sheet.write_string(top + 1, col, f"({col + 1})", fmt.number_row)
    sheet.set_row(top, 2 * P.LINE_PT + 4)
    first = top + 2
    number = 0
    for row, ind in enumerate(form.indicators, start=first):
        part = S.is_part(ind)
        if part:
            sheet.write_blank(row, 0, None, fmt.code)
        else:
            number += 1
            sheet.write_number(row, 0, number, fmt.code)
        S.write_text(sheet, row, 1, ind.label, fmt.part if part else fmt.cell)
        S.write_text(sheet, row, 2, ind.unit, fmt.code)
        sheet.write_blank(row, 3, None, fmt.input_flag if ind.type == "flag" else fmt.input_count)
        sheet.data_validation(row, 3, row, 3, _rule(ind, lang))
        lines = P.text_lines(ind.label, widths[1] - (4 if part else 0))
        sheet.set_row(row, max(ENTRY_PT, lines * P.LINE_PT + 4))
    last = first + len(form.indicators) - 1
    end = _note(sheet, fmt, form, last + 2, 0, len(widths) - 1, widths, lang, "template_note_one")
    end = P.write_signoff(sheet, fmt, end + 1, 0, len(widths) - 1, heading.issuer)
    S.set_widths(sheet, widths)
    sheet.freeze_panes(first, 0)
    P.apply_plan(sheet, plan, end, (top, top + 1))


def _rule(ind: Any, lang: str) -> dict[str, Any]:
    """Whole numbers ≥ 0 in a count cell, the Đạt / Không đạt list in a flag cell."""
    if ind.type == "flag":
        return {"validate": "list", "source": list(FLAG_CHOICES),
                "input_title": ui("template_flag_title", lang)[:32],
                "input_message": ui("template_flag_input", lang, label=ind.label)[:255],
                "error_title": ui("template_flag_error_title", lang)[:32],
                "error_message": ui("template_flag_error", lang)[:255]}
    unit = f" ({ind.unit})" if ind.unit else ""
    return {"validate": "integer", "criteria": ">=", "value": 0,
            "input_title": ui("template_count_title", lang)[:32],
            "input_message": ui("template_count_input", lang, label=ind.label,
                                unit=unit)[:255],
            "error_title": ui("template_count_error_title", lang)[:32],
            "error_message": ui("template_count_error", lang)[:255]}


def _note(sheet: Any, fmt: BlankFormats, form: Form, row: int, first: int, last: int,
          widths: list[float], lang: str, key: str = "template_note") -> int:
    """A note on filling in, over columns first..last; returns the row after it."""
    flags = [ind.label for ind in form.indicators if ind.type == "flag"]
    note = ui(key, lang, flags="; ".join(flags) or "—", choices=" / ".join(FLAG_CHOICES))
    if last > first:
        sheet.merge_range(row, first, row, last, "", fmt.note)
    S.write_text(sheet, row, first, note, fmt.note)
    sheet.set_row(row, P.text_lines(note, sum(widths[first:last + 1])) * P.LINE_PT + 4)
    return row + 1
