"""The summary's rates sheet: every rate of every child unit and of the scope itself, as
numbers, and a column chart of them on a page of its own.

A unit of which nothing was reported for a rate's form has a blank ratio (a chart would draw
a text as 0) and a note saying so, never a 0%.
"""

from __future__ import annotations

from typing import Any

from ..official import english_name
from ..report import unreported_text
from ..words import area, ui
from . import page as P
from . import sheets as S

LABEL_WIDTH, RATE_WIDTH, NOTE_WIDTH = 24, 12, 26
CHART_FONT = {"name": S.FONT, "size": 11}


def scope_label(context: Any) -> str:
    """The scope's own row and bar: "Toàn tỉnh" ("Mẫu Sơn province"); "Tổng cộng" when
    there is no single scope."""
    scope = context.result.rollup.scope
    if scope is None:
        return ui("total_row", context.lang)
    if context.lang == "en":
        return english_name(scope.name, scope.level)
    words = area(scope.name)
    return words[:1].upper() + words[1:]


def write_rates(book: Any, fmt: S.Formats, context: Any) -> None:
    """Rates by child unit as percentages, the scope last, with a native column chart."""
    lang = context.lang
    played = context.forms_in_play()
    rates = [(form, rate) for form in played for rate in form.rates]
    if not rates:
        return
    roll = context.result.rollup
    sheet = book.add_worksheet(ui("sheet_rates", lang))
    children = context.children(played[0])
    widths = [5, LABEL_WIDTH] + [RATE_WIDTH] * len(rates) + [NOTE_WIDTH]
    plan = P.plan_columns(widths, 2)
    top = P.write_heading(sheet, fmt, context.heading(ui("rates_title", lang).upper()),
                          plan.band_widths(0))
    labels = [rate.short_en or rate.label_en if lang == "en" else rate.short
              for _form, rate in rates]
    for col, text in enumerate(["STT", ui("unit", lang), *labels, ui("note", lang)]):
        S.write_text(sheet, top, col, text, fmt.header)
    S.row_height(sheet, top, list(zip(labels, widths[2:])), bold=True)
    rows = [(unit.code, context.unit_name(unit)) for unit in children] \
        + [(None, scope_label(context))]
    for n, (code, name) in enumerate(rows, start=1):
        row = top + n
        scope_row = code is None
        sheet.write_number(row, 0, n, fmt.code) if not scope_row else \
            sheet.write_blank(row, 0, None, fmt.code)
        S.write_text(sheet, row, 1, name, fmt.total_label if scope_row else fmt.cell)
        values = roll.scope_rates() if scope_row else roll.rates[code]
        for col, (_form, rate) in enumerate(rates, start=2):
            value = values.get(rate.code)
            style = fmt.total_percent if scope_row else fmt.percent
            if value is None or value.reported == 0 or value.ratio is None:
                sheet.write_blank(row, col, None, style)
            else:
                sheet.write_number(row, col, value.ratio, style)
        missing = unreported_text(roll, code, context.forms, lang)
        note = ui("unreported_units", lang, units=missing) if missing else ""
        S.write_text(sheet, row, len(widths) - 1, note, fmt.total_note if scope_row else fmt.cell)
        S.row_height(sheet, row, [(name, LABEL_WIDTH), (note, NOTE_WIDTH)])
    S.set_widths(sheet, widths)
    last = top + len(rows)
    end = P.write_signoff(sheet, fmt, last + 2, 0, plan.last_column, context.heading("").issuer)
    _chart(book, sheet, context, plan, top, last, rates, end)
    P.apply_plan(sheet, plan, end + _CHART_ROWS)


_CHART_ROWS = 30  # rows the chart covers, kept inside the print area


def _chart(book: Any, sheet: Any, context: Any, plan: P.PrintPlan, top: int, last: int,
           rates: list, at: int) -> None:
    """A column chart on a page of its own: a group of bars per unit (the scope's last),
    one colour per rate, each bar labelled with its percentage."""
    chart = book.add_chart({"type": "column"})
    number_format = S.PERCENT_FORMAT[context.lang]
    for col in range(2, 2 + len(rates)):
        chart.add_series({
            "name": [sheet.name, top, col],
            "categories": [sheet.name, top + 1, 1, last, 1],
            "values": [sheet.name, top + 1, col, last, col],
            "data_labels": {"value": True, "num_format": number_format,
                            "font": CHART_FONT | {"size": 9}},
            "gap": 80,
        })
    chart.set_title({"name": ui("rates_title", context.lang),
                     "name_font": CHART_FONT | {"size": 14, "bold": True}})
    chart.set_x_axis({"num_font": CHART_FONT})
    # Up to 110%, ticks every 20%: a bar at 100% keeps its label inside the chart.
    chart.set_y_axis({"num_format": number_format.replace("0.0%", "0%"), "max": 1.1, "min": 0,
                      "major_unit": 0.2, "num_font": CHART_FONT,
                      "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom", "font": CHART_FONT})
    chart.set_chartarea({"border": {"none": True}})
    width, height = P.printable(plan.orientation)
    scale = plan.scale / 100
    chart.set_size({"width": int(width / 0.75 / scale * 0.9),
                    "height": int(height / 0.75 / scale * 0.85)})
    sheet.set_h_pagebreaks([at])
    sheet.insert_chart(at, 0, chart, {"x_offset": 4, "y_offset": 4, "object_position": 3})
