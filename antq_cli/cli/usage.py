"""The command's usage, checked and worded in the user's language: paths that are not what an
option takes, and click's own usage errors (unknown option, missing argument, bad value),
which typer would print in English.
"""

from __future__ import annotations

from pathlib import Path

from ..model import AntqError, FileResult
from ..outputs.errors import render_error
from ..settings import lang_from_environment


def path_error(checks) -> AntqError | None:
    """The error of the first (path, "file" | "folder" | "path", option) that does not exist or
    is not what the option takes; None when all are right (None paths are not given)."""
    for path, kind, option in checks:
        if path is None:
            continue
        path = Path(path)
        if not path.exists():
            return AntqError("no-such-path", path=str(path), what=kind)
        if kind == "folder" and not path.is_dir():
            return AntqError("not-a-folder", path=str(path), option=option)
        if kind == "file" and path.is_dir():
            return AntqError("not-a-file", path=str(path), option=option)
    return None


def check_output(output: Path | None) -> None:
    """The summary is an .xlsx (said before any file is read)."""
    if output is not None and output.suffix.lower() != ".xlsx":
        raise AntqError("output-not-xlsx", path=str(output))


def check_not_input(output: Path | None, files: list[FileResult]) -> None:
    """Never write the summary over a file being merged; an earlier summary of antq's, which
    the run has read as such, may be rewritten."""
    if output is None:
        return
    target = output.resolve()
    if any(Path(f.path).resolve() == target and not f.summary_of for f in files):
        raise AntqError("output-is-input", path=str(output))


def check_export(path: Path | None) -> None:
    """--export names a format antq writes (before any file is read)."""
    if path is not None:
        from ..outputs.export import check_export as check

        check(path)


def usage_error(error, kinds: set[str], args: list[str]) -> str:
    """click's usage error in the language of the run (--lang in `args`, else ANTQ_LANG)."""
    asked = next((args[i + 1] for i, a in enumerate(args[:-1]) if a == "--lang"), None)
    asked = asked or next((a.split("=", 1)[1] for a in args if a.startswith("--lang=")), None)
    lang = lang_from_environment(asked)
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path.removeprefix("antq").strip() if ctx else ""
    return render_error(AntqError("usage", detail=usage_detail(error, kinds, lang),
                                  command=f"{command} " if command else ""), lang)


def usage_detail(error, kinds: set[str], lang: str) -> str:
    """What is wrong, in `lang`, from the kind of click's error."""
    vi = lang == "vi"
    param, ctx = getattr(error, "param", None), getattr(error, "ctx", None)
    if "NoSuchOption" in kinds:
        return (f"không có tùy chọn {error.option_name}" if vi
                else f"there is no option {error.option_name}")
    if "MissingParameter" in kinds:
        name = param.human_readable_name if param else ""
        return f"thiếu {name}" if vi else f"{name} is missing"
    if "BadParameter" in kinds:
        name = param.get_error_hint(ctx) if param and ctx else ""
        return (f"giá trị của {name} không hợp lệ ({error.message})" if vi
                else f"the value of {name} is not valid ({error.message})")
    return error.message
