"""The summary workbook of a merge (`antq merge -o summary.xlsx`).

Sheets: the overview (headline paragraph, totals, rates, completeness), one sheet per form
with a row per child unit and the total row, the rates by child unit with a chart, every
problem, the missing units, every input file, and the detail rows of each form. The detail
sheets are real submissions of the scope's unit (title block, header, coded rows, total
row), and a hidden sheet marks the workbook as antq's: the level above merges the detail
rows, so merging district summaries gives exactly what merging the communes' files gives.

Formulas carry their computed values (xlsxwriter stores them), so every reader sees numbers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...forms import Form, FormSet
from ...model import ACCEPTED, LEVELS, Record
from ...periods import DECREE_CLOSING, Closing
from ...run.merge import MergeResult
from ...run.rollup import RateValue
from ...units.registry import Unit
from ..report import format_rate, rate_text
from ..safe import write_atomically
from ..words import format_window, ui
from . import sheets as S
from .detail import (
    indicator_width,
    write_detail,
    write_files,
    write_marker,
    write_missing,
    write_problems,
)
from .overview import write_overview


@dataclass(slots=True)
class Context:
    """What every sheet needs: the merge, the forms, the language and the extras."""

    result: MergeResult
    forms: FormSet
    lang: str
    comparison: Any = None
    paragraph: tuple[str, ...] = ()
    closing: Closing = DECREE_CLOSING
    unknown: list[str] = field(default_factory=list)  # detail cells without a figure

    def heading(self, title: str, lang: str | None = None) -> S.Heading:
        """The title block of a sheet of this summary (in `lang`, default the run's)."""
        lang = lang or self.lang
        scope = self.result.rollup.scope
        registry = self.result.registry
        parent = registry.get(scope.parent) if scope is not None and scope.parent else None
        police = "POLICE OF " if lang == "en" else "CÔNG AN "
        unit = police + scope.name.upper() if scope else ui("all_senders", lang).upper()
        agency = police + parent.name.upper() if parent else ""
        period = self.result.period
        return S.Heading(agency, unit, title.upper(), period.label(lang) if period else "",
                         format_window(period, lang, self.closing) if period else "", lang)

    def forms_in_play(self) -> list[Form]:
        """The forms of which some file was accepted, in form order."""
        used = {r.form for f in self.result.files if f.status == ACCEPTED for r in f.records}
        return [form for form in self.forms.forms.values() if form.id in used]

    def records(self, form: Form) -> list[Record]:
        """The accepted rows of a form within the scope, in registry order (never file order)."""
        order = {u.code: i for i, u in enumerate(self.result.registry.units())}
        in_scope = self.result.rollup.values
        rows = [r for r in self.result.records if r.form == form.id and r.unit in in_scope]
        return sorted(rows, key=lambda r: (order.get(r.unit, len(order)), r.unit))


def write_summary(path: str | os.PathLike, result: MergeResult, forms: FormSet,
                  lang: str = "vi", comparison: Any = None,
                  paragraph: tuple[str, ...] | list[str] = (),
                  closing: Closing = DECREE_CLOSING) -> Path:
    """Write the summary workbook to `path` atomically; returns the path."""
    import xlsxwriter

    context = Context(result, forms, lang, comparison, tuple(paragraph), closing)

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(str(temporary), {"strings_to_formulas": False,
                                                    "strings_to_urls": False,
                                                    "strings_to_numbers": False})
        fmt = S.Formats(book)
        write_overview(book, fmt, context)
        played = context.forms_in_play()
        for form in played:
            _form_sheet(book, fmt, context, form)
        _rates_sheet(book, fmt, context)
        write_problems(book, fmt, result, lang)
        write_missing(book, fmt, result, forms, lang)
        write_files(book, fmt, result, lang)
        details = [write_detail(book, fmt, context, form) for form in played]
        write_marker(book, result, details, context.unknown)
        book.close()

    return write_atomically(path, write)


def _children(context: Context, form: Form) -> list[Unit]:
    """The rows of a form's summary sheet: the scope's children down to the form's row level."""
    result = context.result
    roll = result.rollup
    scope = roll.scope
    depth = LEVELS.index(form.row_level)
    if scope is None:
        units = [u for u in roll.units if u.parent is None or u.parent not in roll.values]
    elif LEVELS.index(scope.level) >= depth:
        return [scope]
    else:
        units = result.registry.children(scope.code)
    return [u for u in units if u.code in roll.values
            and (u.level not in LEVELS or LEVELS.index(u.level) <= depth)]


def _form_sheet(book: Any, fmt: S.Formats, context: Context, form: Form) -> None:
    lang = context.lang
    sheet = book.add_worksheet(f"{ui('sheet_summary', lang)} {form.id}")
    paths = S.indicator_paths(form)
    lead = ["STT", "Mã" if lang == "vi" else "Code", ui("unit", lang)]
    tail = [rate.short if lang == "vi" else rate.label_en for rate in form.rates]
    width = len(lead) + len(paths) + len(tail)
    top = S.title_block(sheet, fmt, context.heading(
        f"{ui('summary_title', lang)} {form.title}"), width)
    roll = context.result.rollup
    children = _children(context, form)
    widths = _widths(context, form, children, len(lead) + len(paths))
    first = S.form_header(sheet, fmt, top, lead, paths, tail, widths)
    for n, unit in enumerate(children):
        row = first + n
        sheet.write_number(row, 0, n + 1, fmt.code)
        S.write_text(sheet, row, 1, unit.code, fmt.code)
        S.write_text(sheet, row, 2, unit.name, fmt.cell)
        if roll.covered(unit.code, form.id)[0] == 0:
            # Nothing under this unit was reported: words, never zeros (SUM skips text).
            sheet.merge_range(row, 3, row, width - 1, ui("not_reported", lang), fmt.cell)
            continue
        values = roll.values[unit.code]
        for col, ind in enumerate(form.indicators, start=3):
            S.value_cell(sheet, fmt, row, col, ind, values.get(ind.code, 0))
        for col, rate in enumerate(form.rates, start=3 + len(paths)):
            sheet.write_string(row, col, format_rate(roll.rates[unit.code][rate.code], lang),
                               fmt.rate)
    total_row = first + len(children)
    sheet.merge_range(total_row, 0, total_row, 2, ui("total_row", lang), fmt.total_label)
    totals = _scope_values(context, children)
    rates = roll.scope_rates()
    for col, ind in enumerate(form.indicators, start=3):
        S.total_formula(sheet, fmt.total, total_row, col, first, total_row - 1,
                        totals.get(ind.code, 0))
    for col, rate in enumerate(form.rates, start=3 + len(paths)):
        sheet.write_string(total_row, col, rate_text(rates.get(rate.code, RateValue(0, 0)),
                                                     form.row_level, lang), fmt.total_rate)
    S.signature_block(sheet, fmt, total_row + 2, width, lang)
    S.set_widths(sheet, widths)
    sheet.freeze_panes(first, 3)
    S.page_setup(sheet, (top, first - 1))


def _scope_values(context: Context, children: list[Unit]) -> dict[str, int | float]:
    roll = context.result.rollup
    if roll.scope is not None and children == [roll.scope]:
        return roll.values[roll.scope.code]
    total: dict[str, int | float] = {}
    for unit in children:
        for code, value in roll.values[unit.code].items():
            total[code] = total.get(code, 0) + value
    return total


def _widths(context: Context, form: Form, children: list[Unit], before: int) -> list[float]:
    """Column widths: STT, code, name, the indicators, then each rate as wide as its
    longest text (the bold total "14.243/23.249 (61,3%)" must not be cut in print)."""
    roll, lang = context.result.rollup, context.lang
    rates = [roll.scope_rates()] + [roll.rates[u.code] for u in children]
    widths: list[float] = [5, 9, 24] + [indicator_width(form)] * (before - 3)
    for rate in form.rates:
        longest = max(len(rate_text(r.get(rate.code, RateValue(0, 0)), form.row_level, lang))
                      for r in rates)
        widths.append(max(12, longest * 1.1 + 2))
    return widths


def _rates_sheet(book: Any, fmt: S.Formats, context: Context) -> None:
    """Rates by child unit as percentages, with a native column chart of them."""
    lang = context.lang
    rates = [(form, rate) for form in context.forms_in_play() for rate in form.rates]
    if not rates:
        return
    roll = context.result.rollup
    sheet = book.add_worksheet(ui("sheet_rates", lang))
    children = _children(context, context.forms_in_play()[0])
    top = S.title_block(sheet, fmt, context.heading(ui("rates_title", lang)), len(rates) + 1)
    S.write_text(sheet, top, 0, ui("unit", lang), fmt.header)
    for col, (_form, rate) in enumerate(rates, start=1):
        S.write_text(sheet, top, col, rate.short if lang == "vi" else rate.label_en, fmt.header)
    for n, unit in enumerate(children, start=top + 1):
        S.write_text(sheet, n, 0, unit.name, fmt.cell)
        for col, (_form, rate) in enumerate(rates, start=1):
            ratio = roll.rates[unit.code][rate.code].ratio
            if ratio is None:
                sheet.write_blank(n, col, None, fmt.percent)
            else:
                sheet.write_number(n, col, ratio, fmt.percent)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, len(rates), 14)
    labels = [rate.short if lang == "vi" else rate.label_en for _form, rate in rates]
    sheet.set_row(top, max(S.text_lines(label, 14, True) for label in labels) * S.LINE_HEIGHT + 3)
    S.page_setup(sheet)
    if not children:
        return
    chart = book.add_chart({"type": "column"})
    last = top + len(children)
    for col in range(1, len(rates) + 1):
        chart.add_series({"name": [sheet.name, top, col],
                          "categories": [sheet.name, top + 1, 0, last, 0],
                          "values": [sheet.name, top + 1, col, last, col]})
    chart.set_title({"name": ui("rates_title", lang)})
    chart.set_y_axis({"num_format": "0%", "max": 1, "min": 0})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 420})
    sheet.insert_chart(last + 2, 0, chart)
