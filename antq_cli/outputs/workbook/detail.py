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
from ...text import readable_path
from ..messages import render
from ..words import LEVEL_NAMES, ui
from . import sheets as S


def write_detail(book: Any, fmt: S.Formats, context: Any, form: Form) -> str:
    """The rows a form's totals were built from, as a submission; returns the sheet name."""
    lang = context.lang
    sheet = book.add_worksheet(f"{ui('sheet_detail', lang)} {form.id}")
    paths = S.indicator_paths(form)
    lead = ["STT", form.columns["code"][0], form.columns["name"][0]]
    tail = [ui("parent_unit", lang), ui("source_file", lang), ui("source_row", lang)]
    width = len(lead) + len(paths) + len(tail)
    records = context.records(form)
    names = _source_names(context.result.files)
    sources = {id(r): (names[f.path], f"{r.sheet}!{r.row}")
               for f in context.result.files for r in f.records}
    for record in records:  # a row made of a unit's quarters: no single file
        sources.setdefault(id(record), (ui("from_quarters", "vi"), ""))
    tail_widths = [min(48, max([14] + [len(sources[id(r)][side]) + 2 for r in records]))
                   for side in (0, 1)]
    widths = [5, 10, 24] + [indicator_width(form)] * len(paths) + [22, *tail_widths]
    # The detail sheet is a submission in the form's own (Vietnamese) words, whatever --lang.
    top = S.title_block(sheet, fmt, context.heading(form.title, "vi"), width)
    first = S.form_header(sheet, fmt, top, lead, paths, tail, widths)
    totals: dict[str, int | float] = {}
    for n, record in enumerate(records):
        for col, ind in enumerate(form.indicators, start=3):
            if ind.code not in record.values:  # no figure (quarters cannot make it): said
                context.unknown.append(f"{sheet.name}!{_a1(first + n, col)}")
        _detail_row(sheet, fmt, context.result.registry, first + n, n + 1, form, record,
                    sources[id(record)])
        for code, value in record.values.items():
            totals[code] = totals.get(code, 0) + value
        lines = max(S.text_lines(text, width) for text, width in zip(sources[id(record)],
                                                                      tail_widths))
        if lines > 1:
            sheet.set_row(first + n, lines * S.LINE_HEIGHT)
    total_row = first + len(records)
    sheet.merge_range(total_row, 0, total_row, 2, ui("total_row", "vi"), fmt.total_label)
    for col, ind in enumerate(form.indicators, start=3):
        S.total_formula(sheet, fmt.total, total_row, col, first, total_row - 1,
                        totals.get(ind.code, 0), flag=ind.type == "flag")
    S.signature_block(sheet, fmt, total_row + 2, width, "vi")
    S.set_widths(sheet, widths)
    sheet.freeze_panes(first, 3)
    S.page_setup(sheet, (top, first - 1))
    return sheet.name


def _a1(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)


def indicator_width(form: Form) -> int:
    """Indicator columns narrower on a wide form (bieu-02's 26), so its A4 print stays legible."""
    return 11 if len(form.indicators) <= 14 else 9


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
            continue  # left blank, and listed as unknown in the marker sheet
        value = record.values[ind.code]
        if ind.type == "flag":
            S.write_text(sheet, row, col, "Đạt" if value else "Không đạt", fmt.code)
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


def _table(book: Any, fmt: S.Formats, name: str, headers: list[str], rows: list[list[Any]],
           widths: list[int], styles: list[Any] | None = None) -> Any:
    """A plain listing sheet: a header row, then rows; every text neutralised."""
    sheet = book.add_worksheet(name)
    for col, header in enumerate(headers):
        S.write_text(sheet, 0, col, header, fmt.header)
        sheet.set_column(col, col, widths[col])
    for n, values in enumerate(rows, start=1):
        style = styles[n - 1] if styles else fmt.cell
        for col, value in enumerate(values):
            S.write_text(sheet, n, col, value, style)
        # Wrapped text gets its height here: LibreOffice would not grow the row itself.
        lines = max((S.text_lines(value, widths[col]) for col, value in enumerate(values)
                     if isinstance(value, str)), default=1)
        if lines > 1:
            sheet.set_row(n, lines * S.LINE_HEIGHT)
    sheet.freeze_panes(1, 0)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    S.page_setup(sheet, (0, 0))
    return sheet


def write_problems(book: Any, fmt: S.Formats, result: MergeResult, lang: str) -> None:
    """Every problem of every file: where it is, what it is, what to do."""
    rows, styles = [], []
    for file in _own_files(result):
        for problem in file.problems:
            rows.append([len(rows) + 1, readable_path(file.path), problem.sheet, problem.cell,
                         problem.indicator, problem.unit, ui(problem.severity, lang),
                         problem.code, render(problem, lang)])
            styles.append(fmt.error if problem.severity == "error" else fmt.warning)
    headers = ["STT", ui("file", lang), ui("sheet", lang), ui("cell", lang),
               ui("indicator", lang), ui("unit", lang), ui("severity", lang),
               ui("code", lang), ui("message", lang)]
    _table(book, fmt, ui("sheet_problems", lang), headers, rows,
           [5, 34, 14, 7, 18, 18, 9, 18, 70], styles)


def write_missing(book: Any, fmt: S.Formats, result: MergeResult, forms: FormSet,
                  lang: str) -> None:
    """The units that should have sent a file and have none accepted, with the reason."""
    rows = []
    forms_of = result.missing_forms()
    for unit, reason in result.missing:
        lacking = forms_of[unit.code]
        parent = result.registry.get(unit.parent) if unit.parent else None
        rows.append([len(rows) + 1, unit.code, unit.name, parent.name if parent else "",
                     ", ".join(lacking),
                     ui("not-sent" if reason == "not-sent" else "reason_rejected", lang)])
    if not result.has_registry:
        rows.append(["", "", ui("no_registry", lang), "", "", ""])
    headers = ["STT", ui("code", lang), ui("unit", lang), ui("parent_unit", lang),
               ui("form", lang), ui("status", lang)]
    _table(book, fmt, ui("sheet_missing", lang), headers, rows, [5, 10, 28, 28, 18, 18])


def write_files(book: Any, fmt: S.Formats, result: MergeResult, lang: str) -> None:
    """Every input file and what became of it: nothing read is left unaccounted for."""
    rows = []
    for n, file in enumerate(_own_files(result), start=1):
        errors, warnings = problem_counts(file.problems)
        rows.append([n, readable_path(file.path), ui(file.status, lang), ", ".join(file.forms),
                     file.unit_name or file.unit, file.period, file.rows, errors, warnings])
    headers = ["STT", ui("file", lang), ui("status", lang), ui("form", lang), ui("unit", lang),
               ui("period", lang), ui("rows", lang), ui("error", lang), ui("warning", lang)]
    _table(book, fmt, ui("sheet_files", lang), headers, rows, [5, 44, 12, 16, 24, 10, 8, 6, 9])


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
