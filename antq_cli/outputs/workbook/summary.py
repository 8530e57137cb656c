"""The summary workbook of a merge (`antq merge -o summary.xlsx`).

Sheets: the report (headline paragraph, totals, rates, completeness), one sheet per form
with a row per child unit and the total row, the rates by child unit with a chart, every
problem, the missing units, every input file, and the detail rows of each form. The detail
sheets are real submissions of the scope's unit (title block, header, coded rows, total
row), and a hidden sheet marks the workbook as antq's: the level above merges the detail
rows, so merging district summaries gives exactly what merging the communes' files gives.

Every printed sheet is an official page (page.py): the issuing body under its superior, the
motto, "Số: …/BC-…", the place and date, the title with the period and its window, and the
sign-off. Formulas carry their computed values (xlsxwriter stores them), so every reader
sees numbers.
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
from ...units.registry import Unit
from ..official import english_name, issuer
from ..report import units_of
from ..safe import write_atomically
from ..words import format_window, ui
from . import page as P
from . import sheets as S
from .detail import write_detail, write_files, write_marker, write_missing, write_problems
from .overview import write_overview
from .rates import write_rates
from .turned import turned_plan, write_turned


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

    def heading(self, title: str, lang: str | None = None, kind: str = "") -> P.Heading:
        """The official top of a sheet of this summary (in `lang`, default the run's)."""
        lang = lang or self.lang
        scope = self.result.rollup.scope
        registry = self.result.registry
        parent = registry.get(scope.parent) if scope is not None and scope.parent else None
        period = self.result.period
        return P.Heading(issuer(scope, parent, lang), title,
                         period.label(lang) if period else "",
                         format_window(period, lang, self.closing) if period else "", kind)

    def unit_name(self, unit: Unit) -> str:
        """A unit's name in the run's language: "Huyện Tân Minh", "Tân Minh district"."""
        return english_name(unit.name, unit.level) if self.lang == "en" else unit.name

    def form_name(self, form: Form, lang: str | None = None) -> str:
        """"Biểu 01" ("Form 01" in English)."""
        return form.name_en if (lang or self.lang) == "en" else form.name

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

    def children(self, form: Form) -> list[Unit]:
        """The rows of a form's summary: the scope's children down to the form's row level."""
        result = self.result
        roll = result.rollup
        scope = roll.scope
        depth = LEVELS.index(form.row_level)
        if scope is None:
            units = roll.roots()
        elif LEVELS.index(scope.level) >= depth:
            return [scope]
        else:
            units = result.registry.children(scope.code)
        return [u for u in units if u.code in roll.values
                and (u.level not in LEVELS or LEVELS.index(u.level) <= depth)]

    def unreported(self, code: str | None, form: Form) -> str:
        """"4 thôn chưa báo cáo": the units of the form's row level under `code` (the scope
        when None) that sent nothing; "" when none is missing."""
        reported, expected = self.result.rollup.covered(code, form.id)
        if expected <= reported:
            return ""
        return ui("unreported_units", self.lang,
                  units=units_of(expected - reported, form.row_level, self.lang))


def write_summary(path: str | os.PathLike, result: MergeResult, forms: FormSet,
                  lang: str = "vi", comparison: Any = None,
                  paragraph: tuple[str, ...] | list[str] = (),
                  closing: Closing = DECREE_CLOSING) -> Path:
    """Write the summary workbook to `path` atomically; returns the path."""
    import xlsxwriter

    context = Context(result, forms, lang, comparison, tuple(paragraph), closing)

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(str(temporary), S.TEXT_STAYS_TEXT)
        fmt = S.Formats(book, lang)
        write_overview(book, fmt, context)
        played = context.forms_in_play()
        for form in played:
            _form_sheet(book, fmt, context, form)
        write_rates(book, fmt, context)
        write_problems(book, fmt, context)
        write_missing(book, fmt, context)
        write_files(book, fmt, context)
        # The detail sheets are submissions: Vietnamese figures, whatever --lang.
        vietnamese = fmt if lang == "vi" else S.Formats(book, "vi")
        details = [write_detail(book, vietnamese, context, form) for form in played]
        write_marker(book, result, details, context.unknown)
        book.close()

    return write_atomically(path, write)


RATE_PARTS = ("rate_figure", "rate_base", "rate_ratio")


def _form_sheet(book: Any, fmt: S.Formats, context: Context, form: Form) -> None:
    """A row per child unit, the total row, each rate as figure | base | ratio, and a note
    column saying which units under each row sent nothing; turned round when the units are
    few enough to stand as columns on one page (turned.py)."""
    lang = context.lang
    sheet = book.add_worksheet(f"{ui('sheet_summary', lang)} {context.form_name(form)}")
    heading = context.heading(
        f"{ui('summary_title', lang)} {form.title if lang == 'vi' else form.title_en}".upper(),
        kind=context.form_name(form, lang).upper())
    children = context.children(form)
    turned = turned_plan(form, children)
    if turned is not None:   # few units: indicators as rows, on one page across
        write_turned(sheet, fmt, context, form, children, turned, heading)
        return
    # The form's own (Vietnamese) header, or each indicator's English label.
    paths = S.indicator_paths(form) if lang == "vi" else [(i.label_en,) for i in form.indicators]
    lead = ["STT", ui("code", lang), ui("unit", lang)]
    rate_paths = [(_rate_name(rate, lang), ui(part, lang)) for rate in form.rates
                  for part in RATE_PARTS]
    tail = [*rate_paths, ui("note", lang)]
    names = [len(u.name) for u in children]
    widths = ([5, 8, min(28, max([16, *names]) + 2)] + [11] * len(paths)
              + [9, 9, 8] * len(form.rates) + [20])
    plan = P.plan_columns(widths, len(lead), S.header_groups(len(lead), [*paths, *tail]))
    top = P.write_heading(sheet, fmt, heading, plan.band_widths(0))
    first = S.form_header(sheet, fmt, top, lead, paths, tail, widths)
    roll = context.result.rollup
    rate_col = len(lead) + len(paths)
    note_col = rate_col + 3 * len(form.rates)
    for n, unit in enumerate(children):
        row = first + n
        sheet.write_number(row, 0, n + 1, fmt.code)
        S.write_text(sheet, row, 1, unit.code, fmt.code)
        S.write_text(sheet, row, 2, context.unit_name(unit), fmt.cell)
        note = context.unreported(unit.code, form)
        S.write_text(sheet, row, note_col, note, fmt.cell)
        S.row_height(sheet, row, [(unit.name, widths[2]), (note, widths[note_col])])
        if roll.covered(unit.code, form.id)[0] == 0:
            # Nothing under this unit was reported: words, never zeros (SUM skips text).
            sheet.merge_range(row, 3, row, note_col - 1, ui("not_reported", lang), fmt.center)
            continue
        values = roll.values[unit.code]
        for col, ind in enumerate(form.indicators, start=len(lead)):
            S.value_cell(sheet, fmt, row, col, ind, values.get(ind.code, 0))
        for n_rate, rate in enumerate(form.rates):
            S.ratio_cells(sheet, fmt, row, rate_col + 3 * n_rate,
                          roll.rates[unit.code].get(rate.code))
    total_row = first + len(children)
    sheet.merge_range(total_row, 0, total_row, 2, ui("total_row", lang), fmt.total_label)
    totals = _scope_values(context, children)
    rates = roll.scope_rates()
    for col, ind in enumerate(form.indicators, start=len(lead)):
        S.total_formula(sheet, fmt.total, total_row, col, first, total_row - 1,
                        totals.get(ind.code, 0))
    for n_rate, rate in enumerate(form.rates):
        S.ratio_cells(sheet, fmt, total_row, rate_col + 3 * n_rate, rates.get(rate.code),
                      bold=True)
    note = context.unreported(None, form)
    S.write_text(sheet, total_row, note_col, note, fmt.total_note)
    S.row_height(sheet, total_row, [(note, widths[note_col])], bold=True)
    S.set_widths(sheet, widths)
    sheet.freeze_panes(first, len(lead))
    last_band = plan.bands[-1]
    end = P.write_signoff(sheet, fmt, total_row + 2, last_band[0] if len(plan.bands) > 1
                          else 0, last_band[1], context.heading("").issuer)
    P.apply_plan(sheet, plan, end, (top, first - 1))


def _rate_name(rate: Any, lang: str) -> str:
    return rate.short_en or rate.label_en if lang == "en" else rate.short


def _scope_values(context: Context, children: list[Unit]) -> dict[str, int | float]:
    roll = context.result.rollup
    if roll.scope is not None and children == [roll.scope]:
        return roll.values[roll.scope.code]
    total: dict[str, int | float] = {}
    for unit in children:
        for code, value in roll.values[unit.code].items():
            total[code] = total.get(code, 0) + value
    return total
