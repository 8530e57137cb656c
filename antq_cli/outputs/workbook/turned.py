"""A form's summary turned round when its units are few: the indicators as rows, a column
per child unit and one for the total, on one page across at a readable size.

Three districts' Biểu 02 as a row each spread 29 columns over three pages; turned round it
is one page, read down like the report it goes into: STT | Chỉ tiêu | ĐVT | each unit |
Tổng cộng, "Trong đó" lines indented without a number, each rate as its figure, its base
and its ratio, and a last row saying which units under each column sent nothing. A unit with
nothing reported has its column say "chưa báo cáo", never 0.
"""

from __future__ import annotations

from typing import Any

from ...forms import Form
from ..words import LEVEL_NAMES, ui
from . import page as P
from . import sheets as S

LEAD = (5, 38, 10)     # STT, Chỉ tiêu, ĐVT
VALUE_WIDTH = 13


def turned_plan(form: Form, children: list[Any]) -> P.PrintPlan | None:
    """The print plan of the form turned round, when it fits one page across (at a scale
    where every figure prints at 9 pt or more): A4 portrait, else landscape; None when the
    units are too many."""
    widths = [*LEAD] + [VALUE_WIDTH] * (len(children) + 1)
    for orientation in ("portrait", "landscape"):
        plan = P.plan_columns(widths, orientation=orientation)
        if len(plan.bands) == 1:
            return plan
    return None


def write_turned(sheet: Any, fmt: S.Formats, context: Any, form: Form, children: list[Any],
                 plan: P.PrintPlan, heading: P.Heading) -> None:
    """The form's summary as rows of indicators and rates, a column per child unit."""
    lang = context.lang
    roll = context.result.rollup
    widths = plan.widths
    total_col = len(LEAD) + len(children)
    top = P.write_heading(sheet, fmt, heading, widths)
    names = [context.unit_name(unit) for unit in children]
    headers = ["STT", ui("indicator", lang), ui("uom", lang), *names, ui("total_row", lang)]
    for col, text in enumerate(headers):
        S.write_text(sheet, top, col, text, fmt.header)
        sheet.write_string(top + 1, col, f"({col + 1})", fmt.number_row)
    S.row_height(sheet, top, list(zip(headers, widths)), bold=True)
    row = top + 2
    first = row
    number = 0
    for ind in form.indicators:
        part = S.is_part(ind)
        number += 0 if part else 1
        _label(sheet, fmt, row, None if part else number,
               ind.label if lang == "vi" else ind.label_en, part, widths)
        S.write_text(sheet, row, 2, ind.unit if lang == "vi" else ind.unit_en, fmt.code)
        for col, unit in enumerate(children, start=len(LEAD)):
            S.value_cell(sheet, fmt, row, col, ind, roll.values[unit.code].get(ind.code, 0))
        total = sum(roll.values[unit.code].get(ind.code, 0) for unit in children)
        S.row_formula(sheet, fmt.total, row, total_col, len(LEAD), total_col - 1, total)
        row += 1
    scope_rates = roll.scope_rates()
    for rate in form.rates:
        number += 1
        _label(sheet, fmt, row, number, _sentence(rate.label if lang == "vi" else rate.label_en),
               False, widths, bold=True)
        for col in range(2, total_col + 1):
            sheet.write_blank(row, col, None, fmt.cell)
        parts = [ui("rate_figure", lang), ui("rate_base", lang), ui("rate_ratio", lang)]
        units = [_side_unit(form, rate.numerator, lang), _side_unit(form, rate.denominator, lang),
                 "%"]
        for offset, (label, unit_word) in enumerate(zip(parts, units), start=1):
            _label(sheet, fmt, row + offset, None, label, True, widths)
            sheet.write_string(row + offset, 2, unit_word, fmt.code)   # "%": antq's own
        for col, unit in enumerate(children, start=len(LEAD)):
            S.ratio_down(sheet, fmt, row + 1, col, roll.rates[unit.code].get(rate.code))
        S.ratio_down(sheet, fmt, row + 1, total_col, scope_rates.get(rate.code), bold=True)
        row += 4
    last = row - 1
    _label(sheet, fmt, row, None, ui("note", lang), False, widths, bold=True)
    sheet.write_blank(row, 2, None, fmt.cell)
    notes = [context.unreported(unit.code, form) for unit in children]
    for col, (unit, note) in enumerate(zip(children, notes), start=len(LEAD)):
        S.write_text(sheet, row, col, note, fmt.cell)
        if roll.covered(unit.code, form.id)[0] == 0:
            # Nothing under this unit was reported: words down its column, never zeros.
            sheet.merge_range(first, col, last, col, ui("not_reported", lang), fmt.center)
    total_note = context.unreported(None, form)
    S.write_text(sheet, row, total_col, total_note, fmt.total_note)
    S.row_height(sheet, row, [(text, VALUE_WIDTH) for text in [*notes, total_note]])
    S.set_widths(sheet, widths)
    sheet.freeze_panes(top + 2, len(LEAD))
    end = P.write_signoff(sheet, fmt, row + 2, 0, total_col, heading.issuer)
    P.apply_plan(sheet, plan, end, (top, top + 1))


def _label(sheet: Any, fmt: S.Formats, row: int, number: int | None, text: str, part: bool,
           widths: list[float], bold: bool = False) -> None:
    if number is None:
        sheet.write_blank(row, 0, None, fmt.code)
    else:
        sheet.write_number(row, 0, number, fmt.code)
    S.write_text(sheet, row, 1, text, fmt.part if part else fmt.section if bold else fmt.cell)
    S.row_height(sheet, row, [(text, widths[1] - (4 if part else 0))], bold=bold)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _side_unit(form: Form, side: dict[str, str], lang: str) -> str:
    """What a rate's side counts: "thôn" for a count of villages, "hộ" for a sum of
    households."""
    if "count" in side:
        names = LEVEL_NAMES[side["count"]]
        return names.vi if lang == "vi" else names.en_plural
    indicator = form.indicator(side["sum"])
    return indicator.unit if lang == "vi" else indicator.unit_en
