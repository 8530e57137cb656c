"""The first sheet of the summary workbook: what a report needs on one page.

The headline paragraph, completeness, the scope's totals per indicator and its rates, with
the comparison columns when `--compare` was given, then the signature block.
"""

from __future__ import annotations

from typing import Any

from ...model import ACCEPTED, REJECTED, SKIPPED
from ...run.rollup import RateValue
from .. import report
from ..report import format_rate
from ..words import LEVEL_NAMES, ui
from . import sheets as S

WIDTH = 7


def write_overview(book: Any, fmt: S.Formats, context: Any) -> None:
    """Title block, paragraph, completeness, totals and rates of the scope, signatures."""
    lang = context.lang
    sheet = book.add_worksheet(ui("sheet_overview", lang))
    row = S.title_block(sheet, fmt, context.heading(ui("overview_title", lang)), WIDTH)
    for line in _status_lines(context):
        _line(sheet, fmt.text, row, line)
        row += 1
    if context.paragraph:
        row += 1
        text = " ".join(context.paragraph)
        sheet.merge_range(row, 0, row, WIDTH - 1, "", fmt.text)
        S.write_text(sheet, row, 0, text, fmt.text)
        sheet.set_row(row, 16 * (len(text) // 120 + 2))
        row += 2
    header_row = row
    row = _totals(sheet, fmt, context, row)
    row = _rates(sheet, fmt, context, row + 1)
    S.signature_block(sheet, fmt, row + 1, WIDTH, lang)
    for col, width in enumerate((5, 52, 11, 14, 14, 12, 10)):
        sheet.set_column(col, col, width)
    S.page_setup(sheet, (header_row, header_row))


def _line(sheet: Any, style: Any, row: int, text: str) -> None:
    sheet.merge_range(row, 0, row, WIDTH - 1, "", style)
    S.write_text(sheet, row, 0, text, style)


def _status_lines(context: Any) -> list[str]:
    """Scope, files received and completeness per form, as on the terminal."""
    result, lang = context.result, context.lang
    scope = result.rollup.scope
    lines = [f"{ui('scope', lang)}: {scope.name + ' (' + scope.code + ')' if scope else ui('all_senders', lang)}"]
    counts = {s: sum(1 for f in result.files if f.status == s) for s in (ACCEPTED, REJECTED, SKIPPED)}
    lines.append(ui("summary", lang, accepted=counts[ACCEPTED], rejected=counts[REJECTED],
                    skipped=counts[SKIPPED]))
    if not result.has_registry:
        lines.append(ui("no_registry", lang))
    for form_id in result.missing_by_form:
        level = context.forms.forms[form_id].sender_level
        sent, expected = result.completeness(form_id, level)
        names = LEVEL_NAMES[level]
        lines.append(f"{form_id}: " + ui("completeness", lang, sent=sent, expected=expected,
                                          level=names.vi, level_en=names.en_plural))
    comparison = context.comparison
    if comparison is not None:
        lines.append(report.comparison_line(comparison, lang, context.forms))
    return lines


def _compare_headers(context: Any) -> list[str]:
    comparison = context.comparison
    if comparison is None:
        return []
    return [report.comparison_label(comparison, context.lang), ui("change", context.lang), "%"]


def _totals(sheet: Any, fmt: S.Formats, context: Any, row: int) -> int:
    lang = context.lang
    headers = ["STT", ui("indicator", lang), ui("uom", lang), ui("this_period", lang)]
    headers += _compare_headers(context)
    for col, header in enumerate(headers):
        S.write_text(sheet, row, col, header, fmt.header)
    totals = context.result.rollup.totals()
    number = 0
    for form in context.forms.forms.values():
        row += 1
        sheet.merge_range(row, 0, row, len(headers) - 1, "", fmt.header)
        S.write_text(sheet, row, 0, f"{form.id}: {form.title if lang == 'vi' else form.title_en}",
                     fmt.header)
        for ind in form.indicators:
            row += 1
            number += 1
            sheet.write_number(row, 0, number, fmt.code)
            S.write_text(sheet, row, 1, ind.label, fmt.cell)
            S.write_text(sheet, row, 2, ind.unit, fmt.code)
            S.value_cell(sheet, fmt, row, 3, ind, totals.get(ind.code, 0))
            if context.comparison is not None:
                _change_cells(sheet, fmt, row, context.comparison.totals.get(ind.code))
    return row + 1


def _change_cells(sheet: Any, fmt: S.Formats, row: int, change: Any) -> None:
    if change is None:
        for col in (4, 5, 6):
            sheet.write_blank(row, col, None, fmt.cell)
        return
    sheet.write_number(row, 4, change.previous, fmt.count)
    sheet.write_number(row, 5, change.change, fmt.count)
    if change.percent is None:
        sheet.write_string(row, 6, "—", fmt.rate)
    else:
        sheet.write_number(row, 6, change.percent / 100, fmt.percent)


def _rates(sheet: Any, fmt: S.Formats, context: Any, row: int) -> int:
    lang = context.lang
    headers = ["STT", ui("rates", lang), "", ui("this_period", lang)]
    comparison = context.comparison
    if comparison is not None:
        headers += [report.comparison_label(comparison, lang), ui("change_points", lang)]
    for col, header in enumerate(headers):
        S.write_text(sheet, row, col, header, fmt.header)
    rates = context.result.rollup.scope_rates()
    number = 0
    for form in context.forms.forms.values():
        for rate in form.rates:
            row += 1
            number += 1
            value = rates.get(rate.code, RateValue(0, 0))
            sheet.write_number(row, 0, number, fmt.code)
            sheet.merge_range(row, 1, row, 2, "", fmt.cell)
            S.write_text(sheet, row, 1, rate.label if lang == "vi" else rate.label_en, fmt.cell)
            sheet.write_string(row, 3, format_rate(value, lang), fmt.rate)
            if comparison is not None:
                before = comparison.rates.get(rate.code)
                sheet.write_string(row, 4, format_rate(before.previous, lang) if before else "",
                                   fmt.rate)
                points = before.points if before else None
                sheet.write_string(row, 5, "—" if points is None else
                                   report.format_points(points, lang), fmt.rate)
    return row + 1
