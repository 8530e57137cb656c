"""A command's outputs, written once its results are out: each one said when written, and one
that cannot be (a full disk, a read-only folder, a file open in Excel) said in one line, so
the command leaves with exit code 2 and the results it printed stay whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..forms import FormSet
from ..model import AntqError, FileResult
from ..outputs.errors import render_error
from ..outputs.words import ui
from . import terminal


def written(lang: str, debug: bool, write: Callable[[], object]) -> bool:
    """Call `write`; False when what it writes cannot be (said on stderr). An internal error
    is raised, for the command to stop on."""
    try:
        write()
    except AntqError as error:
        if debug:
            raise
        terminal.print_error(render_error(error, lang))
        return False
    return True


def merge_outputs(result: Any, forms: FormSet, lang: str, comparison: Any, sentences: list[str],
                  closing: Any, output: Path | None, export: Path | None, replaced: bool,
                  to_stderr: bool, debug: bool) -> bool:
    """merge -o and --export, each said when written; False at the first that cannot be."""
    if output:
        from ..outputs.workbook.summary import write_summary

        if not written(lang, debug, lambda: write_summary(
                output, result, forms, lang, comparison, sentences, closing)):
            return False
        terminal.print_line(ui("overwritten" if replaced else "written", lang, path=output),
                            to_stderr=to_stderr)
    if export is not None:
        from ..outputs.export import write_export

        if not written(lang, debug, lambda: write_export(export, result.to_frame())):
            return False
        terminal.print_line(ui("written", lang, path=export), to_stderr=to_stderr)
    return True


def annotated(results: list[FileResult], target: Path, lang: str, to_stderr: bool,
              debug: bool, forms: FormSet | None = None) -> bool:
    """validate --annotate: the copies, one line each (stderr beside --format json); False
    when one cannot be written (said; the copies before it are kept)."""
    from ..outputs.annotate import annotate_all

    copies: list = []
    done = written(lang, debug, lambda: copies.extend(annotate_all(results, target, lang, forms)))
    terminal.print_results(lang, lambda: terminal.print_annotated(copies, lang,
                                                                  to_stderr=to_stderr))
    return done
