"""The `antq` command: parse options, call one library function, render the result.

The only module that imports typer or rich. Results go to stdout, the progress bar and
run-stopping errors to stderr; tracebacks only with --debug.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..forms import FormSet, load_forms
from ..model import ACCEPTED, REJECTED, SKIPPED, AntqError, FileResult
from ..outputs import report
from ..outputs.messages import LEVEL_NAMES, current_lang, format_number, render, render_error, ui
from ..text import strip_hidden

app = typer.Typer(
    help="antq: kiểm tra, tổng hợp báo cáo phong trào Toàn dân bảo vệ ANTQ "
    "(check and merge ANTQ movement reports).",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


class Prefer(str, Enum):
    newest = "newest"


RegistryOpt = Annotated[Optional[Path], typer.Option(
    "--registry", exists=True, dir_okay=False,
    help="Danh mục đơn vị (CSV/XLSX: code,name,level,parent_code). Unit registry.")]
PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", help="Kỳ báo cáo: 2024-Q1, 2024-H1, 2024-9M, 2024, 2024-03.")]
FormatOpt = Annotated[OutputFormat, typer.Option(
    "--format", help="table (mặc định) hoặc json (chỉ JSON trên stdout).")]
LangOpt = Annotated[Optional[str], typer.Option(
    "--lang", help="vi (mặc định) hoặc en; cũng đặt được bằng ANTQ_LANG.")]
FormsOpt = Annotated[Optional[Path], typer.Option(
    "--forms", exists=True, file_okay=False, help="Thư mục biểu mẫu (mặc định: schemas/).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Hiện traceback khi có lỗi nội bộ.")]
ClosingOpt = Annotated[Optional[str], typer.Option(
    "--closing", help="Ngày chốt số liệu/tháng kết thúc năm, mặc định 14/12 (Nghị định "
    "09/2019/NĐ-CP); ví dụ 14/11. Cũng đặt được bằng ANTQ_CLOSING.")]


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
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.console, name)


def escape(text: str) -> str:
    """rich's markup escaping, loaded with the first text printed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _table(*args, **options):
    from rich.table import Table

    return Table(*args, **options)


# Piped output (a file, CI) gets a fixed width so tables are not squeezed to 80 columns.
out = _LazyConsole(highlight=False, width=None if sys.stdout.isatty() else 120)
err = _LazyConsole(stderr=True, highlight=False)


def _fail(error: Exception, lang: str, debug: bool) -> None:
    """The one place a run-stopping error becomes a message and an exit code."""
    if debug:
        raise error
    if isinstance(error, AntqError):
        err.print(f"[red]{escape(render_error(error, lang))}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    err.print(f"[red]{escape(ui('internal', lang, detail=repr(error)))}[/red]")
    raise typer.Exit(3)


@contextmanager
def _closing_in_force(closing: str | None, lang: str, debug: bool):
    """Set the closing day for the command (through the environment, so worker processes
    close the same way) and put the old one back afterwards."""
    from ..periods import CLOSING_ENV, parse_closing

    if closing is None:
        yield
        return
    try:
        parse_closing(closing)
    except ValueError:
        _fail(AntqError("bad-closing", value=closing), lang, debug)
    before = os.environ.get(CLOSING_ENV)
    os.environ[CLOSING_ENV] = closing
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CLOSING_ENV, None)
        else:
            os.environ[CLOSING_ENV] = before


@contextmanager
def _no_collections():
    """The cyclic garbage collector off for the command, back as it was afterwards.

    A merge keeps nearly everything it makes until it prints: records, units, the roll-up.
    The collector would only scan them again and again, for nothing (a merge of 1,000
    communes leaves about 50 objects in cycles): 0.025 s of that merge's 1.7 s. Worker
    processes turn theirs back on (pool.py), as they read files anyone may have made.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _setup(forms_dir: Path | None, registry: Path | None, period: str | None):
    from ..periods import parse_period_option
    from ..units.registry import load_registry

    forms = load_forms(forms_dir)
    units = load_registry(registry) if registry else None
    try:
        wanted = parse_period_option(period) if period else None
    except ValueError:
        raise AntqError("bad-period", value=period) from None
    return forms, units, wanted


def _load_units(registry: Path, scope: str | None):
    """The registry of a merge, which must hold the --scope unit when one is given."""
    from ..units.registry import load_registry

    units = load_registry(registry)
    if scope and units.find_code(scope) is None:
        raise AntqError("unknown-scope", value=scope)
    return units


def _expand(paths: list[Path]) -> list[Path]:
    from ..run.merge import find_files

    files: list[Path] = []
    for path in paths:
        files.extend(find_files(path) if path.is_dir() else [path])
    return files


def _where(problem) -> str:
    return "!".join(x for x in (problem.sheet, problem.cell) if x)


def _print_file(result: FileResult, lang: str) -> None:
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
    path = strip_hidden(result.path)
    return (f"[{style}]{ui(result.status, lang)}[/{style}] {escape(path)} "
            f"({forms}; {escape(who)}; {ui('rows', lang)}: {len(result.records)})")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(exists=True, help="Tệp hoặc thư mục cần kiểm tra.")],
    registry: RegistryOpt = None, period: PeriodOpt = None,
    fmt: FormatOpt = OutputFormat.table, lang: LangOpt = None, forms_dir: FormsOpt = None,
    annotate: Annotated[Optional[Path], typer.Option(
        "--annotate", help="Ghi bản sao .xlsx đánh dấu, ghi chú từng ô lỗi để gửi lại đơn vị "
        "(nhiều tệp: một thư mục). Annotated copy to send back.")] = None,
    closing: ClosingOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Kiểm tra tệp báo cáo trước khi gửi lên (check submissions). Exit 0 ok, 1 errors, 2 usage."""
    lang = current_lang(lang)
    with _closing_in_force(closing, lang, debug), _no_collections():
        _validate(files, registry, period, fmt, lang, forms_dir, annotate, debug)


def _validate(files, registry, period, fmt, lang, forms_dir, annotate, debug) -> None:
    try:
        from ..run.merge import validate_files

        forms, units, wanted = _setup(forms_dir, registry, period)
        paths = _expand(files)
        if annotate is not None:
            from ..outputs.annotate import check_target

            check_target(annotate, paths)
        results = validate_files(paths, forms, units, wanted)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    if fmt == OutputFormat.json:
        from ..outputs.report import validate_dict

        _print_json(validate_dict(results, lang), indent=True)
    else:
        for result in results:
            _print_file(result, lang)
        if not any(r.has_errors for r in results):
            out.print(ui("file_ok", lang))
    if annotate is not None:
        _write_annotated(results, annotate, lang, fmt, debug)
    raise typer.Exit(1 if any(r.has_errors for r in results) else 0)


def _write_annotated(results: list[FileResult], target: Path, lang: str, fmt: OutputFormat,
                     debug: bool) -> None:
    """validate --annotate: write the copies, one line each (stderr with --format json)."""
    from ..outputs.annotate import annotate_all

    try:
        copies = annotate_all(results, target, lang)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    console = err if fmt == OutputFormat.json else out
    for copy in copies:
        if copy.path is not None:
            console.print(escape(ui("annotate_written", lang, path=copy.path)), soft_wrap=True)
        else:
            console.print(f"[yellow]{escape(ui('annotate_unreadable', lang, path=copy.source))}"
                          "[/yellow]", soft_wrap=True)


@app.command()
def merge(
    folder: Annotated[Path, typer.Argument(exists=True, file_okay=False,
                                           help="Thư mục chứa các tệp báo cáo.")],
    registry: RegistryOpt = None, period: PeriodOpt = None,
    scope: Annotated[Optional[str], typer.Option("--scope", help="Mã đơn vị tổng hợp.")] = None,
    prefer: Annotated[Optional[Prefer], typer.Option(
        "--prefer", help="newest: khi hai tệp trùng đơn vị, lấy tệp mới hơn.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", dir_okay=False, help="Ghi bảng tổng hợp ra tệp .xlsx.")] = None,
    compare: Annotated[Optional[Path], typer.Option(
        "--compare", exists=True, help="Kỳ trước hoặc cùng kỳ để so sánh: thư mục báo cáo "
        "hoặc bảng tổng hợp .xlsx antq đã ghi.")] = None,
    paragraph: Annotated[bool, typer.Option(
        "--paragraph", help="In đoạn văn tóm tắt số liệu để dán vào báo cáo.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", min=1, help="Số tiến trình đọc tệp (mặc định: theo số lõi CPU).")] = None,
    closing: ClosingOpt = None,
    fmt: FormatOpt = OutputFormat.table, lang: LangOpt = None, forms_dir: FormsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Tổng hợp các tệp trong thư mục (merge a folder). Exit 0 all in, 1 problems, 2 usage."""
    lang = current_lang(lang)
    with _closing_in_force(closing, lang, debug), _no_collections():
        _merge(folder, registry, period, scope, prefer, output, compare, paragraph, jobs, fmt,
               lang, forms_dir, debug)


def _merge(folder, registry, period, scope, prefer, output, compare, paragraph, jobs, fmt,
           lang, forms_dir, debug) -> None:
    try:
        from ..run.merge import find_files, merge_files
        from ..run.pool import LateRegistry

        forms, _, wanted = _setup(forms_dir, None, period)
        if scope and registry is None:
            raise AntqError("scope-needs-registry")
        # Loaded while the files are read (see pool.py); a broken registry still stops the run.
        units = LateRegistry(lambda: _load_units(registry, scope)) if registry else None
        paths = find_files(folder)
        _check_output(output)
        result = _with_progress(paths, lang, lambda step: merge_files(
            paths, forms, units, wanted, scope, prefer.value if prefer else None, step,
            jobs=jobs))
        _check_not_input(output, result.files)
        units = units.get() if units else None
        comparison = _comparison(compare, forms, units, result, prefer) if compare else None
        sentences = _paragraph(result, forms, lang) if paragraph or output else []
        if output:
            from ..outputs.workbook.summary import write_summary

            write_summary(output, result, forms, lang, comparison, sentences)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    if fmt == OutputFormat.json:
        from ..outputs.report import merge_dict

        # Indented for a person at a terminal, compact when piped (a country's units).
        _print_json(merge_dict(result, lang, comparison, sentences if paragraph else None),
                    indent=sys.stdout.isatty())
    else:
        _print_merge(result, forms, lang, folder, comparison)
        if paragraph:
            out.print(f"[bold]{ui('paragraph', lang)}[/bold]")
            out.print(escape(" ".join(sentences)))
    if output:
        (err if fmt == OutputFormat.json else out).print(escape(ui("written", lang, path=output)))
    raise typer.Exit(result.exit_code)


def _print_json(data: dict, indent: bool) -> None:
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


def _check_output(output: Path | None) -> None:
    """The summary is an .xlsx (said before any file is read)."""
    if output is not None and output.suffix.lower() != ".xlsx":
        raise AntqError("output-not-xlsx", path=str(output))


def _check_not_input(output: Path | None, files: list[FileResult]) -> None:
    """Never write the summary over a file being merged; an earlier summary of antq's, which
    the run has read as such, may be rewritten."""
    if output is None:
        return
    target = output.resolve()
    if any(Path(f.path).resolve() == target and not f.summary_of for f in files):
        raise AntqError("output-is-input", path=str(output))


def _comparison(previous: Path, forms: FormSet, units, result, prefer):
    """Merge PREVIOUS with the same forms, registry and scope, and compare."""
    from ..run.compare import compare
    from ..run.merge import find_files, merge_files

    paths = find_files(previous) if previous.is_dir() else [previous]
    scope = result.rollup.scope.code if result.rollup.scope and units is not None else None
    earlier = merge_files(paths, forms, units, None, scope, prefer.value if prefer else None)
    if not any(f.status == "accepted" for f in earlier.files):
        raise AntqError("compare-empty", path=str(previous))
    return compare(result, earlier, str(previous))


def _paragraph(result, forms: FormSet, lang: str) -> list[str]:
    from ..outputs.paragraph import paragraph

    return paragraph(result, forms, lang)


def _with_progress(paths: list[Path], lang: str, run):
    if not sys.stderr.isatty():
        return run(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(ui("reading", lang)), BarColumn(), MofNCompleteColumn(),
                  console=err.console, transient=True) as progress:
        task = progress.add_task("", total=len(paths))
        return run(lambda _path: progress.advance(task))


def _print_merge(result, forms: FormSet, lang: str, folder: Path, comparison=None) -> None:
    from ..outputs.report import format_rate
    from ..periods import format_window
    from ..run.rollup import RateValue

    roll = result.rollup
    if result.period is not None:
        out.print(f"[bold]{ui('period', lang)}:[/bold] {result.period.label(lang)}"
                  f" — {format_window(result.period, lang)}")
    scope_name = roll.scope.name if roll.scope else ui("all_senders", lang)
    out.print(f"[bold]{ui('scope', lang)}:[/bold] {escape(scope_name)}")
    if comparison is not None:
        out.print(escape(report.comparison_line(comparison, lang)))
    totals = roll.totals()
    for form in forms.forms.values():
        out.print(f"[bold]{ui('totals', lang)} — {form.id}:[/bold] "
                  f"{escape(form.title if lang == 'vi' else form.title_en)}")
        table = _table()
        table.add_column(ui("indicator", lang))
        table.add_column(ui("uom", lang))
        table.add_column(ui("value", lang), justify="right")
        _compare_columns(table, comparison, lang, ui("change", lang), "%")
        for ind in form.indicators:
            label = ind.label if lang == "vi" else f"{ind.code} — {ind.label}"
            cells = [escape(label), ind.unit, format_number(totals.get(ind.code, 0), lang)]
            if comparison is not None:
                change = comparison.totals[ind.code]
                cells += [format_number(change.previous, lang),
                          *report.format_change(change, lang)]
            table.add_row(*cells)
        out.print(table)
    rates = roll.scope_rates()  # empty when no file was accepted
    table = _table(title=ui("rates", lang), title_justify="left")
    table.add_column(ui("indicator", lang))
    table.add_column(ui("value", lang), justify="right")
    _compare_columns(table, comparison, lang, ui("change_points", lang))
    for form in forms.forms.values():
        for rate in form.rates:
            cells = [escape(rate.label if lang == "vi" else rate.label_en),
                     format_rate(rates.get(rate.code, RateValue(0, 0)), lang)]
            if comparison is not None:
                before = comparison.rates[rate.code]
                points = before.points
                cells += [format_rate(before.previous, lang),
                          "—" if points is None else report.format_points(points, lang)]
            table.add_row(*cells)
    out.print(table)
    _print_children(result, forms, lang)
    _print_files(result, forms, lang)
    _print_missing(result, forms, lang)


def _compare_columns(table, comparison, lang: str, *headers: str) -> None:
    if comparison is None:
        return
    table.add_column(escape(report.comparison_label(comparison, lang)), justify="right")
    for header in headers:
        table.add_column(header, justify="right")


def _print_children(result, forms: FormSet, lang: str) -> None:
    from ..outputs.report import format_rate

    roll = result.rollup
    if roll.scope is not None:
        children = result.registry.children(roll.scope.code)
    else:
        children = [u for u in roll.units if u.parent is None]
    children = [u for u in children if u.code in roll.values]
    if not children:
        return
    rates = [rate for form in forms.forms.values() for rate in form.rates]
    table = _table(title=ui("by_unit", lang), title_justify="left")
    table.add_column(ui("unit", lang))
    for rate in rates:
        table.add_column(escape(rate.short if lang == "vi" else rate.code), justify="right")
    for child in children:
        table.add_row(escape(child.name),
                      *(format_rate(roll.rates[child.code][r.code], lang) for r in rates))
    out.print(table)


def _print_files(result, forms: FormSet, lang: str) -> None:
    counts = {s: sum(1 for f in result.files if f.status == s) for s in (ACCEPTED, REJECTED, SKIPPED)}
    out.print(ui("summary", lang, accepted=counts[ACCEPTED], rejected=counts[REJECTED],
                 skipped=counts[SKIPPED]))
    for status, title in ((REJECTED, "rejected_files"), (SKIPPED, "skipped_files")):
        chosen = [f for f in result.files if f.status == status]
        if chosen:
            out.print(f"[bold]{ui(title, lang)}[/bold]")
            for file in chosen:
                _print_file(file, lang)


def _print_missing(result, forms: FormSet, lang: str) -> None:
    from ..run.merge import expected_units

    if not result.has_registry:
        out.print(f"[yellow]{ui('no_registry', lang)}[/yellow]")
        return
    for form_id, missing in result.missing_by_form.items():
        level = forms.forms[form_id].sender_level
        expected = len(expected_units(result.registry, result.rollup.scope, level))
        vi_name, en_name = LEVEL_NAMES[level]
        line = ui("completeness", lang, sent=expected - len(missing), expected=expected,
                  level=vi_name, level_en=en_name)
        out.print(f"[bold]{form_id}: {line}[/bold]")
    if result.missing:
        table = _table(title=ui("missing", lang), title_justify="left")
        table.add_column(ui("unit", lang))
        table.add_column("Mã" if lang == "vi" else "Code")
        table.add_column(ui("form", lang))
        table.add_column(ui("status", lang))
        for unit, reason in result.missing:
            lacking = [f for f, items in result.missing_by_form.items()
                       if any(u.code == unit.code for u, _ in items)]
            table.add_row(escape(unit.name), unit.code, ", ".join(lacking),
                          ui("not-sent" if reason == "not-sent" else "reason_rejected", lang))
        out.print(table)


@app.command("forms")
def forms_command(lang: LangOpt = None, forms_dir: FormsOpt = None, debug: DebugOpt = False) -> None:
    """Liệt kê các biểu mẫu và chỉ tiêu (list forms and indicators)."""
    lang = current_lang(lang)
    try:
        forms = load_forms(forms_dir)
    except Exception as error:  # noqa: BLE001
        _fail(error, lang, debug)
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


class Era(str, Enum):
    current = "2025"
    legacy = "legacy"


@app.command("units")
def units_command(
    province: Annotated[Optional[str], typer.Option(
        "--province", help="Mã (08) hoặc tên tỉnh (Tuyên Quang): liệt kê các đơn vị của tỉnh.")
    ] = None,
    era: Annotated[Optional[Era], typer.Option(
        "--era", help="2025 (mặc định; QĐ 19/2025/QĐ-TTg) hoặc legacy (63 tỉnh, trước "
        "1/7/2025). Không ghi thì theo --period.")] = None,
    period: PeriodOpt = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", dir_okay=False, help="Ghi danh mục ra tệp .csv (code,name,level,"
        "parent_code) để thêm thôn rồi dùng với --registry.")] = None,
    lang: LangOpt = None, debug: DebugOpt = False,
) -> None:
    """Danh mục đơn vị hành chính chính thức, không cần mạng (official provinces and communes)."""
    lang = current_lang(lang)
    try:
        from ..outputs.registry_csv import write_registry_csv
        from ..units.official import official_registry, pick_era

        units = official_registry(pick_era(era.value if era else None, period), province)
        if output:
            write_registry_csv(units, output)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    _print_units(units, lang, listing=output is None)
    if output:
        out.print(escape(ui("units_written", lang, path=output)))


def _print_units(registry, lang: str, listing: bool) -> None:
    """The list's name and counts, then its provinces, or one province's units."""
    from ..units.official import ERA_NAMES, unit_counts

    roots = registry.roots()
    alone = roots[0] if len(roots) == 1 else None
    which = 0 if lang == "vi" else 1
    counts = ", ".join(f"{format_number(n, lang)} {LEVEL_NAMES[level][which]}" for level, n
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


@app.command()
def template(
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị (xã, huyện, tỉnh).")],
    period: Annotated[str, typer.Option("--period", help="Kỳ báo cáo: 2024-Q1, 2024-H1, 2024.")],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False,
                                         help="Tệp .xlsx sẽ ghi.")],
    registry: RegistryOpt = None,
    form_ids: Annotated[Optional[list[str]], typer.Option(
        "--form", help="Chỉ lập biểu này (lặp lại được); mặc định: biểu đơn vị phải điền.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp -o đã có.")] = False,
    closing: ClosingOpt = None,
    lang: LangOpt = None, forms_dir: FormsOpt = None, debug: DebugOpt = False,
) -> None:
    """Lập biểu mẫu trống cho một đơn vị và kỳ (write a blank submission). Exit 0 ok, 2 usage."""
    lang = current_lang(lang)
    with _closing_in_force(closing, lang, debug):
        _template(unit, period, output, registry, form_ids, force, lang, forms_dir, debug)


def _template(unit, period, output, registry, form_ids, force, lang, forms_dir, debug) -> None:
    try:
        from ..outputs import template as T

        forms, units, wanted = _setup(forms_dir, registry, period)
        units = units if units is not None else T.default_registry(wanted)
        T.check_output(output, force)
        found = T.find_unit(units, unit)
        planned = T.plan_template(found, units, forms, form_ids)
        T.write_template(output, found, units, forms, wanted, lang, form_ids)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    out.print(escape(T.describe(output, found, planned, wanted, lang)), soft_wrap=True)


def main() -> None:
    """Entry point of the `antq` command and of `python -m antq_cli`."""
    try:
        app()
    except SystemExit as done:
        code = done.code
        if isinstance(code, str):  # what Python would print for sys.exit("message")
            print(code, file=sys.stderr)
        _leave(1 if isinstance(code, str) else code or 0)


def _leave(code: int) -> None:
    """Exit once everything is printed, without tearing the heap down object by object:
    a country's merge holds about a million objects, which took 50 ms to free one by one
    (the operating system takes the whole process back at once). Every file antq writes is
    closed and renamed before this point; the reading processes have been joined."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (antq ... | head): nothing more to say
            code = code or 1
    os._exit(code)
