"""The summary workbook's record sheets: detail rows, problems, missing units, input files,
and the hidden sheet that marks the workbook as antq's own summary.

The detail sheet of a form is itself a submission of the scope's unit: title block, the
form's header, one coded row per unit row that was merged, and a total row. Reading a
summary back (submission.py) takes only these sheets.
"""

from __future__ import annotations

import os
from typing import Any

from ... import installed_version
from ...forms import Form, FormSet
from ...model import MARK, MARK_SHEET, problem_counts
from ...run.merge import MergeResult
from ...text import a1, readable_path
from ..messages import render
from ..words import LEVEL_NAMES, missing_status, period_label, ui
from . import page as P
from . import sheets as S


def write_detail(book: Any, fmt: S.Formats, context: Any, form: Form) -> str:
    """The rows a form's totals were built from, as a submission; returns the sheet name.

    It prints as the form itself; the columns saying where each row came from (Thuộc đơn
    vị, Tệp nguồn, Dòng nguồn) stay on screen, right of the print area."""
    sheet = book.add_worksheet(f"{ui('sheet_detail', context.lang)} {context.form_name(form)}")
    paths = S.indicator_paths(form)
    lead = ["STT", form.columns["code"][0], form.columns["name"][0]]
    tail = [ui("parent_unit", "vi"), ui("source_file", "vi"), ui("source_row", "vi")]
    records = context.records(form)
    names = _source_names(context.result.files)
    sources = {id(r): (names[f.path], f"{r.sheet}!{r.row}")
               for f in context.result.files for r in f.records}
    for record in records:  # a row made of a unit's quarters: no single file
        sources.setdefault(id(record), (ui("from_quarters", "vi"), ""))
    tail_widths = [min(48, max([14] + [len(sources[id(r)][side]) + 2 for r in records]))
                   for side in (0, 1)]
    registry = context.result.registry
    longest = max([16] + [len(_name(registry, r)) + 2 for r in records])
    printed = [5, 10, min(30, longest)] + [S.indicator_width(form)] * len(paths)
    widths = printed + [22, *tail_widths]
    plan = P.plan_columns(printed, len(lead), S.header_groups(len(lead), paths))
    # The detail sheet is a submission in the form's own (Vietnamese) words, whatever --lang.
    top = P.write_heading(sheet, fmt, context.heading(form.title.upper(), "vi", form.name.upper()),
                          plan.band_widths(0))
    first = S.form_header(sheet, fmt, top, lead, paths, tail, widths)
    totals: dict[str, int | float] = {}
    for n, record in enumerate(records):
        _detail_row(sheet, fmt, registry, first + n, n + 1, form, record, sources[id(record)])
        for col, ind in enumerate(form.indicators, start=3):
            if ind.code not in record.values:  # no figure (quarters cannot make it): said
                context.unknown.append(f"{sheet.name}!{a1(first + n, col)}")
        for code, value in record.values.items():
            totals[code] = totals.get(code, 0) + value
        S.row_height(sheet, first + n, [(_name(registry, record), widths[2]),
                                        *zip(sources[id(record)], tail_widths)])
    total_row = first + len(records)
    sheet.merge_range(total_row, 0, total_row, 2, ui("total_row", "vi"), fmt.total_label)
    for col, ind in enumerate(form.indicators, start=3):
        S.total_formula(sheet, fmt.total, total_row, col, first, total_row - 1,
                        totals.get(ind.code, 0), flag=ind.type == "flag")
    S.set_widths(sheet, widths)
    sheet.freeze_panes(first, 3)
    band = plan.bands[-1]
    end = P.write_signoff(sheet, fmt, total_row + 2, band[0] if len(plan.bands) > 1 else 0,
                          band[1], context.heading("", "vi").issuer)
    P.apply_plan(sheet, plan, end, (top, first - 1))
    return sheet.name


def _name(registry: Any, record: Any) -> str:
    unit = registry.get(record.unit)
    return unit.name if unit else record.label


def _detail_row(sheet: Any, fmt: S.Formats, registry: Any, row: int, number: int, form: Form,
                record: Any, source: tuple[str, str]) -> None:
    """One merged row: its unit by code and registry name, its values, where it came from."""
    unit = registry.get(record.unit)
    parent = registry.get(unit.parent) if unit is not None and unit.parent else None
    sheet.write_number(row, 0, number, fmt.code)
    S.write_text(sheet, row, 1, record.unit, fmt.code)
    S.write_text(sheet, row, 2, unit.name if unit else record.label, fmt.cell)
    for col, ind in enumerate(form.indicators, start=3):
        if ind.code not in record.values:
            sheet.write_blank(row, col, None, fmt.center)
            continue  # left blank, and listed as unknown in the marker sheet
        value = record.values[ind.code]
        if ind.type == "flag":
            S.write_text(sheet, row, col, "Đạt" if value else "Không đạt", fmt.center)
        else:
            S.value_cell(sheet, fmt, row, col, ind, value)
    tail_col = 3 + len(form.indicators)
    S.write_text(sheet, row, tail_col, parent.name if parent else "", fmt.cell)
    S.write_text(sheet, row, tail_col + 1, source[0], fmt.cell)
    S.write_text(sheet, row, tail_col + 2, source[1], fmt.cell)


def _source_names(files: list[Any]) -> dict[str, str]:
    """Each input file as a path relative to the folder holding them all: short enough to
    print, and unique even when every commune's folder has its own "Bieu 01.xlsx"."""
    paths = [f.path for f in files]
    if not paths:
        return {}
    try:
        base = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])
    except ValueError:  # different drives (Windows)
        return {p: readable_path(p) for p in paths}
    return {p: readable_path(os.path.relpath(os.path.abspath(p), base)) for p in paths}


def _table(book: Any, fmt: S.Formats, context: Any, name: str, title: str,
           headers: list[str], rows: list[list[Any]], widths: list[float],
           styles: list[Any] | None = None, printed: int | None = None) -> Any:
    """A listing sheet as a printed annex: the official header and a title, a header row,
    the rows (every text neutralised), the sign-off. Columns from `printed` on stay on
    screen only."""
    sheet = book.add_worksheet(name)
    printed = len(headers) if printed is None else printed
    plan = P.plan_columns(widths[:printed], 1)
    top = P.write_heading(sheet, fmt, context.heading(title.upper()), plan.band_widths(0))
    for col, header in enumerate(headers):
        S.write_text(sheet, top, col, header, fmt.header)
    S.row_height(sheet, top, list(zip(headers, widths)), bold=True)
    for n, values in enumerate(rows, start=top + 1):
        style = styles[n - top - 1] if styles else fmt.cell
        for col, value in enumerate(values):
            number = fmt.code if col == 0 else fmt.count
            S.write_text(sheet, n, col, value, number if isinstance(value, int) else style)
        S.row_height(sheet, n, list(zip(values, widths)))
    S.set_widths(sheet, widths)
    sheet.freeze_panes(top + 1, 0)
    last = top + max(1, len(rows))
    if rows:
        sheet.autofilter(top, 0, last, len(headers) - 1)
    end = P.write_signoff(sheet, fmt, last + 2, 0, printed - 1, context.heading("").issuer)
    P.apply_plan(sheet, plan, end, (top, top))
    return sheet


def write_problems(book: Any, fmt: S.Formats, context: Any) -> None:
    """Every problem of every file: where it is, what it is, what to do."""
    result, lang = context.result, context.lang
    labels = {ind.code: ind.label if lang == "vi" else ind.label_en
              for form in context.forms.forms.values() for ind in form.indicators}
    names = _source_names(result.files)
    rows, styles = [], []
    for file in _own_files(result):
        for problem in file.problems:
            rows.append([len(rows) + 1, names[file.path], problem.sheet, problem.cell,
                         labels.get(problem.indicator, problem.indicator), problem.unit,
                         ui(problem.severity, lang), render(problem, lang), problem.code])
            styles.append(fmt.error if problem.severity == "error" else fmt.warning)
    headers = ["STT", ui("file", lang), ui("sheet", lang), ui("cell", lang),
               ui("indicator", lang), ui("unit", lang), ui("severity", lang),
               ui("message", lang), ui("code", lang)]
    _table(book, fmt, context, ui("sheet_problems", lang), ui("problems_title", lang),
           headers, rows, [5, 24, 11, 6, 20, 16, 9, 56, 18], styles, printed=8)


def write_missing(book: Any, fmt: S.Formats, context: Any) -> None:
    """The units that should have sent a file and have none accepted, with the reason."""
    result, forms, lang = context.result, context.forms, context.lang
    rows = []
    forms_of = result.missing_forms()
    for unit, reason in result.missing:
        lacking = forms_of[unit.code]
        parent = result.registry.get(unit.parent) if unit.parent else None
        rows.append([len(rows) + 1, unit.code, unit.name, parent.name if parent else "",
                     ", ".join(_form_names(forms, lacking, lang)),
                     missing_status(reason, lang)])
    if not result.has_registry:
        rows.append(["", "", ui("no_registry_printed", lang), "", "", ""])
    headers = ["STT", ui("code", lang), ui("unit", lang), ui("parent_unit", lang),
               ui("form", lang), ui("status", lang)]
    _table(book, fmt, context, ui("sheet_missing", lang), ui("missing_title", lang), headers,
           rows, [5, 10, 28, 28, 18, 18])


def write_files(book: Any, fmt: S.Formats, context: Any) -> None:
    """Every input file and what became of it: nothing read is left unaccounted for."""
    result, lang = context.result, context.lang
    names = _source_names(result.files)
    rows = []
    for n, file in enumerate(_own_files(result), start=1):
        errors, warnings = problem_counts(file.problems)
        rows.append([n, names[file.path], ui(file.status, lang),
                     ", ".join(_form_names(context.forms, file.forms, lang)),
                     file.unit_name or file.unit, period_label(file.period, lang),
                     file.rows, errors, warnings])
    headers = ["STT", ui("file", lang), ui("status", lang), ui("form", lang), ui("unit", lang),
               ui("period", lang), ui("rows", lang), ui("error", lang), ui("warning", lang)]
    _table(book, fmt, context, ui("sheet_files", lang), ui("files_title", lang), headers,
           rows, [5, 40, 11, 16, 22, 12, 8, 6, 9])


def _form_names(forms: FormSet, ids: list[str], lang: str) -> list[str]:
    """"Biểu 01" for "bieu-01" (the id itself for a form not in the set)."""
    found = [forms.forms.get(form_id) for form_id in ids]
    return [(form.name_en if lang == "en" else form.name) if form else form_id
            for form, form_id in zip(found, ids)]


def _own_files(result: MergeResult) -> list[Any]:
    """The files this summary is about: those of other units (outside --scope) are left to
    their own summaries."""
    return [f for f in result.files if f.set_aside != "outside-scope"]


def write_marker(book: Any, result: MergeResult, details: list[str],
                 unknown: list[str] = ()) -> None:
    """A hidden sheet saying this is antq's summary, of which scope and period, and where
    its detail rows are, so that a later merge reads those rows and nothing else."""
    sheet = book.add_worksheet(MARK_SHEET)
    scope = result.rollup.scope
    lines = [(MARK, installed_version()), ("period", result.period.code if result.period else ""),
             ("scope", scope.code if scope else ""), ("scope_name", scope.name if scope else ""),
             ("scope_level", LEVEL_NAMES.get(scope.level, ("", ""))[0] if scope else "")]
    lines += [("detail", name) for name in details]
    # Cells of the detail rows left blank for want of a figure (not 0): read back as such.
    lines += [("unknown", cell) for cell in unknown]
    for row, (key, value) in enumerate(lines):
        sheet.write_string(row, 0, key)
        S.write_text(sheet, row, 1, value)
    sheet.hide()
