"""What the antq command prints: rich tables and lines on the terminal, JSON on stdout.

Results go to stdout (`out`), the progress bar and run-stopping errors to stderr (`err`).
Every text taken from a file is escaped before rich reads its markup.
"""

from __future__ import annotations

import errno
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..forms import FormSet
from ..model import ACCEPTED, REJECTED, SKIPPED, AntqError, FileResult, os_reason
from ..outputs import report
from ..outputs.errors import render_error
from ..outputs.messages import render
from ..outputs.words import (ERA_NAMES, LEVEL_NAMES, format_number, format_window, missing_status,
                             ui)
from ..periods import Closing
from ..run.merge import MergeResult
from ..run.rollup import RateValue
from ..text import readable_path, strip_hidden
from ..units.official import unit_counts
from . import runtime


class _LazyConsole:
    """A rich Console made on first use: a run that prints only JSON never loads rich (about
    30 ms of start-up)."""

    def __init__(self, **options) -> None:
        self._options, self._console = options, None

    @property
    def console(self):
        """The Console itself (made now if not yet)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
            # rich answers a closed pipe by leaving with exit code 1: let the command say it.
            self._console.on_broken_pipe = _broken_pipe
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.console, name)


def _broken_pipe() -> None:
    raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def escape(text: str) -> str:
    """rich's markup escaping, loaded with the first text printed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _table(*args, **options):
    from rich.table import Table

    return Table(*args, **options)


def print_results(lang: str, show: Callable[[], None]) -> int:
    """Print results with `show`: 0, or the exit code of a standard output that cannot take
    them, CLOSED_PIPE (141) for a reader that went away (`antq ... | head`: said nowhere,
    nobody reads), 2 for another failure (a full disk, a closed stdout), said in one line on
    stderr."""
    try:
        runtime.check_stdout()
        show()
        runtime.flush_stdout()
    except OSError as error:
        runtime.forget_stdout()  # what is still buffered for it is dropped, not retried
        if error.errno == errno.EPIPE:
            return runtime.CLOSED_PIPE
        print_error(render_error(AntqError("stdout-failed", reason=os_reason(error),
                                           error=error.strerror or str(error)), lang))
        return 2
    return 0


# Piped output (a file, CI) gets a fixed width so tables are not squeezed to 80 columns.
out = _LazyConsole(highlight=False, width=None if runtime.stdout_is_terminal() else 120)
err = _LazyConsole(stderr=True, highlight=False)


def _where(problem) -> str:
    return "!".join(x for x in (problem.sheet, problem.cell) if x)


def print_file(result: FileResult, lang: str) -> None:
    """A file's status line, then its problems: where, indicator, unit, code and the fix."""
    out.print(_file_line(result, lang))
    if not result.problems:
        return
    table = _table(show_edge=False, pad_edge=False, box=None, padding=(0, 1))
    for key in ("where", "indicator", "unit", "severity"):
        table.add_column(ui(key, lang), no_wrap=True)
    table.add_column(ui("problems", lang), overflow="fold", ratio=1)
    for problem in result.problems:
        style = "red" if problem.severity == "error" else "yellow"
        table.add_row("  " + escape(_where(problem)), escape(problem.indicator),
                      escape(problem.unit),
                      f"[{style}]{ui(problem.severity, lang)}[/{style}] {problem.code}",
                      escape(render(problem, lang)))
    out.print(table)


def _file_line(result: FileResult, lang: str) -> str:
    style = {ACCEPTED: "green", REJECTED: "red", SKIPPED: "yellow"}[result.status]
    forms = ", ".join(result.forms) or "—"
    who = result.unit_name or result.unit or "—"
    # A file name may hide a right-to-left override: show it without (JSON keeps the true path).
    path = strip_hidden(readable_path(result.path))
    return (f"[{style}]{ui(result.status, lang)}[/{style}] {escape(path)} "
            f"({forms}; {escape(who)}; {ui('rows', lang)}: {result.rows})")


def print_json(data: dict, indent: bool) -> None:
    """`data` as UTF-8 JSON on stdout. orjson writes a country's merge (8 MB at 1,000
    communes) in 7 ms where the json module takes 90 ms."""
    import orjson

    text = orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else 0) + b"\n"
    sys.stdout.flush()
    written = sys.stdout.buffer.write(text)
    if written is not None and written < len(text):
        # A reader that went away (antq ... | head) cuts the write short without an error.
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
    sys.stdout.flush()


def with_progress(paths: list[Path], lang: str, run):
    """`run(step)` with a progress bar on stderr advanced by `step` (on a terminal only)."""
    if not sys.stderr.isatty():
        return run(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(ui("reading", lang)), BarColumn(), MofNCompleteColumn(),
                  console=err.console, transient=True) as progress:
        task = progress.add_task("", total=len(paths))
        return run(lambda _path: progress.advance(task))


def print_merge(result: MergeResult, forms: FormSet, lang: str, closing: Closing,
                comparison=None) -> None:
    """The terminal report of a merge: period, scope, totals, rates, per unit, files, missing.
    A figure built on units that sent nothing says so; with nothing accepted there is no
    table of zeros, only what was read and who is missing."""
    roll = result.rollup
    if result.period is not None:
        out.print(f"[bold]{ui('period', lang)}:[/bold] {result.period.label(lang)}"
                  f" — {format_window(result.period, lang, closing)}")
    out.print(f"[bold]{ui('scope', lang)}:[/bold] {escape(report.scope_text(result, lang))}")
    if not any(f.status == ACCEPTED for f in result.files):
        out.print(f"[bold red]{ui('nothing_accepted', lang)}[/bold red]")
        _print_files(result, forms, lang)
        _print_missing(result, forms, lang)
        return
    if comparison is not None:
        out.print(escape(report.comparison_line(comparison, lang, forms)))
    totals = roll.figures(None)
    for form in forms.forms.values():
        title = f"[bold]{ui('totals', lang)} — {form.id}:[/bold] " \
                f"{escape(form.title if lang == 'vi' else form.title_en)}"
        if roll.covered(None, form.id)[0] == 0:
            out.print(f"{title} — [yellow]{ui('not_reported', lang)}[/yellow]")
            continue
        out.print(title)
        table = _table()
        ytd = result.year_to_date
        table.add_column(ui("indicator", lang))
        table.add_column(ui("uom", lang))
        table.add_column(ui("value" if ytd is None else "this_period", lang), justify="right")
        if ytd is not None:
            table.add_column(ui("year_to_date", lang), justify="right")
        _compare_columns(table, comparison, lang, ui("change", lang), "%")
        for ind in form.indicators:
            cells = [escape(ind.label if lang == "vi" else ind.label_en),
                     escape(ind.unit if lang == "vi" else ind.unit_en),
                     report.figure_text(roll, None, ind.code, totals[ind.code], lang)]
            if ytd is not None:
                cells.append(report.figure_text(roll, None, ind.code, ytd.get(ind.code), lang)
                             if ytd.get(ind.code) is not None else ui("not_from_quarters", lang))
            if comparison is not None:
                change = comparison.totals[ind.code]
                cells += [format_number(change.previous, lang),
                          *report.format_change(change, lang)]
            table.add_row(*cells)
        out.print(table)
    _print_rates(result, forms, lang, comparison)
    _print_children(result, forms, lang)
    _print_files(result, forms, lang)
    _print_missing(result, forms, lang)


def _print_rates(result: MergeResult, forms: FormSet, lang: str, comparison) -> None:
    rates = result.rollup.scope_rates()
    table = _table(title=ui("rates", lang), title_justify="left")
    table.add_column(ui("indicator", lang))
    table.add_column(ui("value", lang), justify="right")
    _compare_columns(table, comparison, lang, ui("change_points", lang))
    for form in forms.forms.values():
        for rate in form.rates:
            cells = [escape(rate.label if lang == "vi" else rate.label_en),
                     report.rate_text(rates.get(rate.code, RateValue(0, 0)), form.row_level,
                                      lang)]
            if comparison is not None:
                before = comparison.rates[rate.code]
                points = before.points
                cells += [report.rate_text(before.previous, form.row_level, lang),
                          "—" if points is None else report.format_points(points, lang)]
            table.add_row(*cells)
    out.print(table)


def _compare_columns(table, comparison, lang: str, *headers: str) -> None:
    if comparison is None:
        return
    table.add_column(escape(report.comparison_label(comparison, lang)), justify="right")
    for header in headers:
        table.add_column(header, justify="right")


def _print_children(result: MergeResult, forms: FormSet, lang: str) -> None:

    roll = result.rollup
    if roll.scope is not None:
        children = result.registry.children(roll.scope.code)
    else:
        children = [u for u in roll.units if u.parent is None]
    children = [u for u in children if u.code in roll.values]
    if not children:
        return
    rates = [(rate, form.row_level) for form in forms.forms.values() for rate in form.rates]
    table = _table(title=ui("by_unit", lang), title_justify="left")
    table.add_column(ui("unit", lang))
    for rate, _ in rates:
        table.add_column(escape(rate.short if lang == "vi" else rate.short_en), justify="right")
    gaps = [report.unreported_text(roll, child.code, forms, lang) for child in children]
    if any(gaps):
        table.add_column(ui("unreported_column", lang))
    for child, gap in zip(children, gaps):
        table.add_row(escape(child.name), *(
            report.unit_rate_text(roll.rates[child.code][rate.code], lang)
            for rate, _ in rates), *([gap] if any(gaps) else []))
    out.print(table)


def _print_files(result: MergeResult, forms: FormSet, lang: str) -> None:
    """How many files were accepted, rejected, skipped, then each rejected and skipped one; the
    files of units outside --scope are one line, not one each."""
    outside = [f for f in result.files if f.set_aside == "outside-scope"]
    files = [f for f in result.files if f.set_aside != "outside-scope"]
    counts = {s: sum(1 for f in files if f.status == s) for s in (ACCEPTED, REJECTED, SKIPPED)}
    out.print(ui("summary", lang, accepted=counts[ACCEPTED], rejected=counts[REJECTED],
                 skipped=counts[SKIPPED]))
    noted = Counter(p.code for f in files if f.status == ACCEPTED for p in f.problems)
    if noted:
        out.print(escape(ui("accepted_warnings", lang, count=sum(noted.values()),
                            codes=", ".join(f"{code} {n}" for code, n in noted.most_common()))))
    if outside:
        out.print(escape(ui("outside_files", lang, count=len(outside),
                            scope=result.rollup.scope.name if result.rollup.scope else "")))
    for status, title in ((REJECTED, "rejected_files"), (SKIPPED, "skipped_files")):
        chosen = [f for f in files if f.status == status]
        if chosen:
            out.print(f"[bold]{ui(title, lang)}[/bold]")
            for file in chosen:
                print_file(file, lang)


def _print_missing(result: MergeResult, forms: FormSet, lang: str) -> None:

    if not result.has_registry:
        out.print(f"[yellow]{ui('no_registry', lang)}[/yellow]")
        return
    for form_id in result.missing_by_form:
        level = forms.forms[form_id].sender_level
        sent, expected = result.completeness(form_id, level)
        names = LEVEL_NAMES[level]
        line = ui("completeness", lang, sent=sent, expected=expected,
                  level=names.vi, level_en=names.en_plural)
        out.print(f"[bold]{form_id}: {line}[/bold]")
    if result.missing:
        table = _table(title=ui("missing", lang), title_justify="left")
        table.add_column(ui("unit", lang))
        table.add_column("Mã" if lang == "vi" else "Code")
        table.add_column(ui("form", lang))
        table.add_column(ui("status", lang))
        lacking = result.missing_forms()
        for unit, reason in result.missing:
            table.add_row(escape(unit.name), unit.code, ", ".join(lacking[unit.code]),
                          missing_status(reason, lang))
        out.print(table)


def print_units(registry, lang: str, listing: bool) -> None:
    """The list's name and counts, then its provinces, or one province's units."""

    roots = registry.roots()
    alone = roots[0] if len(roots) == 1 else None
    which = 0 if lang == "vi" else 1
    plural = {level: names.vi if lang == "vi" else names.en_plural
              for level, names in LEVEL_NAMES.items()}
    counts = ", ".join(f"{format_number(n, lang)} {plural[level]}" for level, n
                       in unit_counts(registry, alone.code if alone else None).items())
    line = ui("units_list", lang, what=alone.name if alone else ui("country", lang),
              counts=counts, source=ERA_NAMES[registry.era][which])
    out.print(f"[bold]{escape(line)}[/bold]")
    if not listing:
        return
    table = _table(show_edge=False, box=None, padding=(0, 1))
    table.add_column(ui("code", lang), no_wrap=True)
    if alone:
        table.add_column(ui("name", lang))
        for unit in registry.descendants(alone.code):
            nested = unit.level == "commune" and "district" in registry.levels
            table.add_row(unit.code, ("  " if nested else "") + escape(unit.name),
                          style="bold" if unit.level == "district" else None)
    else:
        table.add_column(ui("province", lang))
        lower = [level for level in registry.levels if level != "province"]
        for level in lower:
            table.add_column(ui(f"count_{level}", lang), justify="right")
        for unit in roots:
            numbers = unit_counts(registry, unit.code)
            table.add_row(unit.code, escape(unit.name),
                          *(format_number(numbers.get(level, 0), lang) for level in lower))
    out.print(table)




def print_error(text: str, soft_wrap: bool = True) -> None:
    """A run-stopping error, in red on stderr."""
    err.print(f"[red]{escape(text)}[/red]", soft_wrap=soft_wrap)


def print_validation(results: list[FileResult], lang: str) -> None:
    """Each file's status and problems, then "Không có lỗi." when none has an error."""
    for result in results:
        print_file(result, lang)
    if all(r.status == SKIPPED for r in results):
        out.print(f"[bold red]{ui('nothing_checked', lang)}[/bold red]")
    elif not any(r.has_errors for r in results):
        out.print(ui("file_ok", lang))


def print_annotated(copies, lang: str, to_stderr: bool) -> None:
    """validate --annotate: one line per copy written or not (stderr beside --format json)."""
    console = err if to_stderr else out
    for copy in copies:
        if copy.path is not None:
            console.print(escape(ui("annotate_written", lang, path=copy.path)), soft_wrap=True)
        else:
            console.print(f"[yellow]{escape(ui('annotate_unreadable', lang, path=copy.source))}"
                          "[/yellow]", soft_wrap=True)


def print_paragraph(sentences: list[str], lang: str) -> None:
    """merge --paragraph: the headline sentences under their title."""
    out.print(f"[bold]{ui('paragraph', lang)}[/bold]")
    # One line, never broken: it is pasted into a Word document, which wraps it itself.
    out.print(escape(" ".join(sentences)), soft_wrap=True)


def print_line(text: str, to_stderr: bool = False, soft_wrap: bool = False) -> None:
    """One plain line (text escaped), on stdout or stderr; `soft_wrap`: never broken."""
    (err if to_stderr else out).print(escape(text), soft_wrap=soft_wrap)


def print_forms(forms: FormSet, lang: str) -> None:
    """`antq forms`: each form's indicators (label, type, unit, rules, code) and its rates."""
    for form in forms.forms.values():
        table = _table(title=f"{form.id}: {form.title if lang == 'vi' else form.title_en} "
                       f"({form.row_level}; {escape(form.path)})", title_justify="left")
        for key in ("indicator", "form", "uom", "rules"):
            table.add_column({"form": "Loại" if lang == "vi" else "Type"}.get(key, ui(key, lang)))
        # Codes are typed on the command line and in schemas: never cut them.
        table.add_column("Mã" if lang == "vi" else "Code", no_wrap=True,
                         min_width=max(len(ind.code) for ind in form.indicators))
        for ind in form.indicators:
            rules = [f"{r.op} {' + '.join(r.right)}" for r in form.rules if r.left == ind.code]
            table.add_row(escape(ind.label), ui(f"type_{ind.type}", lang), ind.unit,
                          "; ".join(rules), ind.code)
        out.print(table)
        for rate in form.rates:
            out.print(f"  {rate.code}: {escape(rate.label if lang == 'vi' else rate.label_en)}")
