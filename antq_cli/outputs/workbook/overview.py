"""The first sheet of the summary workbook: the report itself, on A4 portrait.

The official header and "BÁO CÁO" title, who has reported (in words), the headline
paragraph, the scope's total per indicator (with the comparison columns under `--compare`),
every rate as figure | base | ratio, then the sign-off.
"""

from __future__ import annotations

from typing import Any

from ...text import roman
from .. import report
from ..words import LEVEL_NAMES, ui
from . import page as P
from . import sheets as S

# STT, label, ĐVT, then figures: this period's (and under --compare the earlier one's, the
# change and its percentage). The last columns are wide enough for the motto above them.
PLAIN = (5, 38, 12, 17, 17)
COMPARED = (5, 40, 10, 11, 11, 11, 11)
# With the year to date (a quarter merged with the earlier ones of its year) in a last column.
COMPARED_YTD = (5, 33, 9, 10, 10, 10, 10, 12)


def write_overview(book: Any, fmt: S.Formats, context: Any) -> None:
    """Title block, who reported, paragraph, totals and rates of the scope, sign-off."""
    lang = context.lang
    sheet = book.add_worksheet(ui("sheet_overview", lang))
    compared, ytd = context.comparison is not None, context.result.year_to_date is not None
    widths = list(COMPARED_YTD if compared and ytd else COMPARED if compared else PLAIN)
    width = len(widths)
    plan = P.plan_columns(widths, orientation="portrait")
    row = P.write_heading(sheet, fmt, context.heading(ui("overview_title", lang),
                                                      kind=ui("report_kind", lang)), widths)
    text_width = sum(widths)
    lines = _status_lines(context)
    if context.paragraph:
        lines.append(" ".join(context.paragraph))
    for line in lines:
        sheet.merge_range(row, 0, row, width - 1, "", fmt.text)
        S.write_text(sheet, row, 0, line, fmt.text)
        sheet.set_row(row, P.text_lines(line, text_width) * P.LINE_PT + 2)
        row += 1
    row = _totals(sheet, fmt, context, row + 1, widths)
    row = _rates(sheet, fmt, context, row + 1, widths)
    S.set_widths(sheet, widths)
    end = P.write_signoff(sheet, fmt, row + 1, 0, width - 1, context.heading("").issuer)
    P.apply_plan(sheet, plan, end)


def _status_lines(context: Any) -> list[str]:
    """Who reported, per form, in a report's words; who did not when the paragraph does
    not say it; what the comparison is against."""
    from ..paragraph import missing_sentence

    result, lang = context.result, context.lang
    parts = []
    for form_id in result.missing_by_form:
        form = context.forms.forms[form_id]
        sent, expected = result.completeness(form_id, form.sender_level)
        names = LEVEL_NAMES[form.sender_level]
        level = names.vi if lang == "vi" else names.en if expected == 1 else names.en_plural
        parts.append(ui("reported_part", lang, form=context.form_name(form),
                        sent=sent, expected=expected, level=level))
    lines = [ui("reported_line", lang, parts="; ".join(parts))] if parts else []
    if not result.has_registry:
        lines.append(ui("no_registry_printed", lang))
    missing = missing_sentence(result, context.forms, lang)
    if missing and missing not in context.paragraph:
        lines.append(missing)
    if context.comparison is not None:
        # The paragraph, when there is one, already says what either period lacks.
        lines.append(report.comparison_note(context.comparison, lang,
                                            None if context.paragraph else context.forms))
    return lines


def _totals(sheet: Any, fmt: S.Formats, context: Any, row: int, widths: list[float]) -> int:
    width = len(widths)
    lang = context.lang
    ytd = context.result.year_to_date
    headers = ["STT", ui("indicator", lang), ui("uom", lang),
               ui("this_period", lang)]
    comparison = context.comparison
    if comparison is not None:
        headers += [report.comparison_label(comparison, lang), ui("change", lang),
                    ui("change_percent", lang)]
    if ytd is not None:
        headers.append(ui("year_to_date", lang))
    # Without --compare this period's figure spans the last two columns (the rates below
    # use them for figure, base and ratio), so both tables end at one edge.
    wide = comparison is None and width > len(headers)
    for col, header in enumerate(headers):
        if wide and col == 3:
            sheet.merge_range(row, 3, row, width - 1, "", fmt.header)
        S.write_text(sheet, row, col, header, fmt.header)
    S.row_height(sheet, row, list(zip(headers, widths)), bold=True)
    totals = context.result.rollup.figures(None)
    for section, form in enumerate(context.forms.forms.values(), start=1):
        row += 1
        sheet.write_string(row, 0, roman(section), fmt.section)
        title = f"{context.form_name(form)}: {form.title if lang == 'vi' else form.title_en}"
        sheet.merge_range(row, 1, row, width - 1, "", fmt.section)
        S.write_text(sheet, row, 1, title, fmt.section)
        S.row_height(sheet, row, [(title, sum(widths[1:width]))], bold=True)
        number = 0
        for ind in form.indicators:
            row += 1
            part = S.is_part(ind)
            label = ind.label if lang == "vi" else ind.label_en
            if part:
                sheet.write_blank(row, 0, None, fmt.code)
            else:
                number += 1
                sheet.write_number(row, 0, number, fmt.code)
            S.write_text(sheet, row, 1, label, fmt.part if part else fmt.cell)
            S.write_text(sheet, row, 2, ind.unit if lang == "vi" else ind.unit_en, fmt.code)
            texts = [(label, widths[1] - (4 if part else 0))]
            if ytd is not None and ytd.get(ind.code) is None:
                texts.append((ui("not_from_quarters", lang), widths[len(headers) - 1]))
            S.row_height(sheet, row, texts)
            value = totals.get(ind.code)
            if wide:
                sheet.merge_range(row, 3, row, width - 1, "", fmt.count)
            if value is None:
                S.write_text(sheet, row, 3, ui("not_reported", lang), fmt.center)
            else:
                S.value_cell(sheet, fmt, row, 3, ind, value)
            if comparison is not None:
                _change_cells(sheet, fmt, row, comparison.totals.get(ind.code))
            if ytd is not None:
                _ytd_cell(sheet, fmt, row, len(headers) - 1, ind, ytd.get(ind.code), lang)
    return row + 1


def _ytd_cell(sheet: Any, fmt: S.Formats, row: int, col: int, ind: Any,
              value: int | float | None, lang: str) -> None:
    """The year to date of one indicator; said in words when quarters cannot make it (a
    count of distinct households is not the sum of the quarters')."""
    if value is None:
        S.write_text(sheet, row, col, ui("not_from_quarters", lang), fmt.center)
    else:
        S.value_cell(sheet, fmt, row, col, ind, value)


def _change_cells(sheet: Any, fmt: S.Formats, row: int, change: Any) -> None:
    if change is None:
        for col in (4, 5, 6):
            sheet.write_blank(row, col, None, fmt.cell)
        return
    S.value_cell(sheet, fmt, row, 4, None, change.previous)
    sheet.write_number(row, 5, change.change, fmt.signed(change.change))
    if change.percent is None:
        sheet.write_string(row, 6, "—", fmt.center)
    else:
        sheet.write_number(row, 6, change.percent / 100, fmt.signed_percent)


def _rates(sheet: Any, fmt: S.Formats, context: Any, row: int, widths: list[float]) -> int:
    """Each rate of the scope: figure, base and ratio as numbers; under --compare the
    earlier ratio and the change in percentage points."""
    lang = context.lang
    headers = ["STT", ui("rates", lang), ui("rate_figure", lang), ui("rate_base", lang),
               ui("rate_ratio", lang)]
    comparison = context.comparison
    if comparison is not None:
        headers += [report.comparison_label(comparison, lang), ui("change_points", lang)]
    for col, header in enumerate(headers):
        S.write_text(sheet, row, col, header, fmt.header)
    S.row_height(sheet, row, list(zip(headers, widths)), bold=True)
    rates = context.result.rollup.scope_rates()
    number = 0
    for form in context.forms.forms.values():
        for rate in form.rates:
            row += 1
            number += 1
            value = rates.get(rate.code)
            sheet.write_number(row, 0, number, fmt.code)
            label = rate.label if lang == "vi" else rate.label_en
            level = form.row_level
            caveat = report.rate_caveat(value, level, lang) if value is not None else ""
            if value is None or value.reported == 0:
                caveat = f" — {ui('not_reported', lang)}"
            text = label[:1].upper() + label[1:] + caveat
            S.write_text(sheet, row, 1, text, fmt.cell)
            S.row_height(sheet, row, [(text, widths[1])])
            S.ratio_cells(sheet, fmt, row, 2, value)
            if comparison is not None:
                _rate_change(sheet, fmt, row, comparison.rates.get(rate.code))
    return row + 1


def _rate_change(sheet: Any, fmt: S.Formats, row: int, change: Any) -> None:
    before = change.previous.ratio if change is not None else None
    if before is None:
        sheet.write_blank(row, 5, None, fmt.percent)
    else:
        sheet.write_number(row, 5, before, fmt.percent)
    points = change.points if change is not None else None
    if points is None:
        sheet.write_string(row, 6, "—", fmt.center)
    else:
        sheet.write_number(row, 6, round(points, 1), fmt.points)

