"""The `antq` command: parse options, build the run's settings once, call the library, render.

The only module that imports typer (rich is in terminal.py). Run-stopping errors become a
message and an exit code here, in one place; tracebacks only with --debug.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import installed_version
from ..forms import FormSet, load_forms
from ..model import AntqError, FileResult
from ..outputs.errors import render_error
from ..outputs.words import ui
from ..settings import RunSettings, lang_from_environment
from . import runtime, terminal, usage, written

app = typer.Typer(
    help="antq: kiểm tra, tổng hợp báo cáo phong trào Toàn dân bảo vệ ANTQ "
    "(check and merge ANTQ movement reports).",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        terminal.print_line(f"antq {installed_version()}")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="In phiên bản antq (print the version).")] = False) -> None:
    """antq: kiểm tra, tổng hợp báo cáo phong trào Toàn dân bảo vệ ANTQ (check and merge ANTQ
    movement reports)."""


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


class Prefer(str, Enum):
    newest = "newest"


class Era(str, Enum):
    current = "2025"
    legacy = "legacy"


RegistryOpt = Annotated[Optional[Path], typer.Option(
    "--registry",
    help="Danh mục đơn vị (CSV/XLSX: code,name,level,parent_code). Unit registry.")]
PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", help="Kỳ báo cáo: 2024-Q1, 2024-H1, 2024-9M, 2024, 2024-03.")]
FormatOpt = Annotated[OutputFormat, typer.Option(
    "--format", help="table (mặc định) hoặc json (chỉ JSON trên stdout).")]
LangOpt = Annotated[Optional[str], typer.Option(
    "--lang", help="vi (mặc định) hoặc en; cũng đặt được bằng ANTQ_LANG.")]
FormsOpt = Annotated[Optional[Path], typer.Option(
    "--forms", help="Thư mục biểu mẫu (mặc định: schemas/).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Hiện traceback khi có lỗi nội bộ.")]
ClosingOpt = Annotated[Optional[str], typer.Option(
    "--closing", help="Ngày chốt số liệu/tháng kết thúc năm, mặc định 14/12 (Nghị định "
    "09/2019/NĐ-CP); ví dụ 14/11. Cũng đặt được bằng ANTQ_CLOSING.")]


def _fail(error: Exception, lang: str, debug: bool) -> None:
    """The one place a run-stopping error becomes a message and an exit code."""
    if debug:
        raise error
    if isinstance(error, AntqError):
        terminal.print_error(render_error(error, lang))
        raise typer.Exit(2)
    terminal.print_error(ui("internal", lang, detail=repr(error)), soft_wrap=False)
    raise typer.Exit(3)


def _check_paths(lang: str, debug: bool, *checks: tuple[Path | None, str, str]) -> None:
    """Each (path, "file" | "folder" | "path", option) exists and is what the option takes,
    said in the user's language (exit 2) before anything is read."""
    error = usage.path_error(checks)
    if error is not None:
        _fail(error, lang, debug)


def _settings(lang: str, debug: bool, **options) -> RunSettings:
    """The run's settings from its options and the ANTQ_* variables (a bad one: exit 2)."""
    try:
        return RunSettings.from_environment(lang=lang, **options)
    except AntqError as error:
        _fail(error, lang, debug)
        raise  # not reached: _fail exits


def _setup(settings: RunSettings, registry: Path | None, period: str | None):
    from ..periods import YearOutOfRange, parse_period_option
    from ..units.registry import load_registry

    forms = load_forms(settings.forms_dir)
    units = load_registry(registry) if registry else None
    try:
        wanted = parse_period_option(period) if period else None
    except YearOutOfRange as error:
        raise AntqError("period-year", value=period, year=error.year) from None
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


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Tệp hoặc thư mục cần kiểm tra.")],
    registry: RegistryOpt = None, period: PeriodOpt = None,
    fmt: FormatOpt = OutputFormat.table, lang: LangOpt = None, forms_dir: FormsOpt = None,
    annotate: Annotated[Optional[Path], typer.Option(
        "--annotate", help="Ghi bản sao .xlsx đánh dấu, ghi chú từng ô lỗi để gửi lại đơn vị "
        "(nhiều tệp: một thư mục). Annotated copy to send back.")] = None,
    closing: ClosingOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Kiểm tra tệp báo cáo trước khi gửi lên (check submissions). Exit 0 ok, 1 errors, 2 usage."""
    lang = lang_from_environment(lang)
    _check_paths(lang, debug, *((path, "path", "validate") for path in files),
                 (registry, "file", "--registry"), (forms_dir, "folder", "--forms"))
    settings = _settings(lang, debug, closing=closing, forms_dir=forms_dir)
    with runtime.no_collections():
        _validate(files, registry, period, fmt, settings, annotate, debug)


def _validate(files, registry, period, fmt, settings: RunSettings, annotate, debug) -> None:
    lang = settings.lang
    try:
        from ..run.files import find_sources
        from ..run.merge import validate_files

        forms, units, wanted = _setup(settings, registry, period)
        sources = find_sources(files)
        if annotate is not None:
            from ..outputs.annotate import check_target

            check_target(annotate, [s.path for s in sources if not isinstance(s, FileResult)])
        results = validate_files(sources, forms, units, wanted, settings,
                                 named=[path for path in files if not path.is_dir()])
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    if fmt == OutputFormat.json:
        from ..outputs.report import validate_dict

        shown = terminal.print_results(lang, lambda: terminal.print_json(
            validate_dict(results, lang), indent=True))
    else:
        shown = terminal.print_results(lang, lambda: terminal.print_validation(results, lang))
    # Exit 1 when a file has errors, or when nothing was a report at all.
    nothing = all(r.status == "skipped" for r in results)
    code = 1 if nothing or any(r.has_errors for r in results) else 0
    if annotate is not None:
        try:
            if not written.annotated(results, annotate, lang, fmt == OutputFormat.json, debug,
                                     forms):
                code = 2
        except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
            _fail(error, lang, debug)
    raise typer.Exit(code if code == 2 else shown or code)


@app.command()
def merge(
    folder: Annotated[Path, typer.Argument(help="Thư mục chứa các tệp báo cáo.")],
    registry: RegistryOpt = None, period: PeriodOpt = None,
    scope: Annotated[Optional[str], typer.Option("--scope", help="Mã đơn vị tổng hợp.")] = None,
    prefer: Annotated[Optional[Prefer], typer.Option(
        "--prefer", help="newest: khi hai tệp trùng đơn vị, lấy tệp mới hơn.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", dir_okay=False, help="Ghi bảng tổng hợp ra tệp .xlsx.")] = None,
    compare: Annotated[Optional[Path], typer.Option(
        "--compare", help="Kỳ trước hoặc cùng kỳ để so sánh: thư mục báo cáo "
        "hoặc bảng tổng hợp .xlsx antq đã ghi.")] = None,
    paragraph: Annotated[bool, typer.Option(
        "--paragraph", help="In đoạn văn tóm tắt số liệu để dán vào báo cáo.")] = False,
    ytd: Annotated[Optional[Path], typer.Option(
        "--ytd", help="Thư mục các quý trước của năm, để tính lũy kế từ đầu năm.")] = None,
    export: Annotated[Optional[Path], typer.Option(
        "--export", help="Ghi số liệu đã tổng hợp thành bảng dài (.csv, .xlsx, .parquet): mỗi "
        "dòng một đơn vị, một chỉ tiêu, để làm bảng tổng hợp (pivot) hoặc phân tích.")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", min=1, help="Số tiến trình đọc tệp (mặc định: theo số lõi CPU).")] = None,
    closing: ClosingOpt = None,
    fmt: FormatOpt = OutputFormat.table, lang: LangOpt = None, forms_dir: FormsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Tổng hợp các tệp trong thư mục (merge a folder). Exit 0 all in, 1 problems, 2 usage."""
    lang = lang_from_environment(lang)
    _check_paths(lang, debug, (folder, "folder", "merge"), (registry, "file", "--registry"),
                 (compare, "path", "--compare"), (forms_dir, "folder", "--forms"),
                 (ytd, "folder", "--ytd"))
    settings = _settings(lang, debug, closing=closing, jobs=jobs, forms_dir=forms_dir)
    with runtime.no_collections():
        _merge(folder, registry, period, scope, prefer, output, compare, paragraph, export, fmt,
               settings, debug, ytd)


def _merge(folder, registry, period, scope, prefer, output, compare, paragraph, export, fmt,
           settings: RunSettings, debug, ytd=None) -> None:
    lang = settings.lang
    try:
        from ..run.files import LateRegistry, find_files
        from ..run.merge import merge_files

        forms, _, wanted = _setup(settings, None, period)
        if scope and registry is None:
            raise AntqError("scope-needs-registry")
        # Loaded while the files are read (see run/files.py); a broken registry still stops
        # the run.
        units = LateRegistry(lambda: _load_units(registry, scope)) if registry else None
        # --ytd: the earlier quarters of the year, kept elsewhere, read with the quarter's files.
        paths = find_files(folder) + (find_files(ytd) if ytd is not None else [])
        usage.check_output(output)
        usage.check_export(export)
        result = terminal.with_progress(paths, lang, lambda step: merge_files(
            paths, forms, units, wanted, scope, prefer.value if prefer else None, step,
            settings, root=folder))
        usage.check_not_input(output, result.files)
        units = units.get() if units else None
        comparison = _comparison(compare, forms, units, result, prefer, settings) \
            if compare else None
        sentences = _paragraph(result, forms, lang, comparison) if paragraph or output else []
        replaced = output is not None and output.exists()
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    if fmt == OutputFormat.json:
        from ..outputs.report import merge_dict

        # Indented for a person at a terminal, compact when piped (a country's units).
        shown = terminal.print_results(lang, lambda: terminal.print_json(
            merge_dict(result, lang, comparison, sentences if paragraph else None),
            indent=runtime.stdout_is_terminal()))
    else:
        def show() -> None:
            terminal.print_merge(result, forms, lang, settings.closing, comparison)
            if paragraph:
                terminal.print_paragraph(sentences, lang)

        shown = terminal.print_results(lang, show)
    # The outputs are written once the results are out: a failure here never hides them.
    try:
        if not written.merge_outputs(result, forms, lang, comparison, sentences,
                                     settings.closing, output, export, replaced,
                                     fmt == OutputFormat.json, debug):
            raise typer.Exit(2)
    except typer.Exit:
        raise
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    raise typer.Exit(shown or result.exit_code)


def _comparison(previous: Path, forms: FormSet, units, result, prefer, settings: RunSettings):
    """Merge PREVIOUS with the same forms, registry, scope and settings, and compare."""
    from ..run.compare import compare_with

    return compare_with(previous, result, forms, units, prefer.value if prefer else None,
                        settings)


def _paragraph(result, forms: FormSet, lang: str, comparison) -> list[str]:
    from ..outputs.paragraph import paragraph

    return paragraph(result, forms, lang, comparison)


@app.command("forms")
def forms_command(lang: LangOpt = None, forms_dir: FormsOpt = None, debug: DebugOpt = False) -> None:
    """Liệt kê các biểu mẫu và chỉ tiêu (list forms and indicators)."""
    lang = lang_from_environment(lang)
    _check_paths(lang, debug, (forms_dir, "folder", "--forms"))
    settings = _settings(lang, debug, forms_dir=forms_dir)
    try:
        forms = load_forms(settings.forms_dir)
    except Exception as error:  # noqa: BLE001
        _fail(error, lang, debug)
    raise typer.Exit(terminal.print_results(lang, lambda: terminal.print_forms(forms, lang)))


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
    lang = lang_from_environment(lang)
    try:
        from ..outputs.registry_csv import write_registry_csv
        from ..units.official import official_registry, pick_era

        units = official_registry(pick_era(era.value if era else None, period), province)
        if output:
            write_registry_csv(units, output)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    def show() -> None:
        terminal.print_units(units, lang, listing=output is None)
        if output:
            terminal.print_line(ui("units_written", lang, path=output))

    raise typer.Exit(terminal.print_results(lang, show))


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
    lang = lang_from_environment(lang)
    _check_paths(lang, debug, (registry, "file", "--registry"), (forms_dir, "folder", "--forms"))
    settings = _settings(lang, debug, closing=closing, forms_dir=forms_dir)
    try:
        from ..outputs import template as T

        forms, units, wanted = _setup(settings, registry, period)
        units = units if units is not None else T.default_registry(wanted)
        T.check_output(output, force)
        found = T.find_unit(units, unit)
        planned = T.plan_template(found, units, forms, form_ids)
        T.write_template(output, found, units, forms, wanted, lang, form_ids, settings.closing,
                         planned)
    except Exception as error:  # noqa: BLE001 - the one place errors become exit codes
        _fail(error, lang, debug)
    raise typer.Exit(terminal.print_results(lang, lambda: terminal.print_line(
        T.describe(output, found, planned, wanted, lang), soft_wrap=True)))


def main() -> None:
    """Entry point of the `antq` command and of `python -m antq_cli`: a usage error (unknown
    option, missing argument, bad value) is said in the user's language, exit 2.

    SIGTERM and SIGHUP stop a run as Ctrl-C does: whatever is being written is removed, the
    reading processes end, and the exit code is 128 + the signal's number (130 for Ctrl-C,
    143 for SIGTERM, 129 for SIGHUP).
    """
    runtime.stop_on_signals()
    try:
        code = app(standalone_mode=False)
    except Exception as error:  # click's errors, by kind (typer may vendor its own click)
        kinds = {cls.__name__ for cls in type(error).__mro__}
        if "UsageError" in kinds:
            terminal.print_error(usage.usage_error(error, kinds, sys.argv[1:]))
            code = 2
        elif "Abort" in kinds:  # Ctrl-C at a prompt
            code = 130
        else:
            raise
    except SystemExit as done:
        code = done.code
        if isinstance(code, str):  # what Python would print for sys.exit("message")
            print(code, file=sys.stderr)
            code = 1
    if runtime.stopped_by:
        terminal.print_error(ui("interrupted", lang_from_environment(None)))
        code = runtime.EXIT_SIGNALLED + runtime.stopped_by
    runtime.leave(code if isinstance(code, int) else 0)
