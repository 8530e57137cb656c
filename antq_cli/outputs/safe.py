"""Writing outputs safely: text that no spreadsheet runs as a formula, names that stay in
their folder, and files that appear whole or not at all.

Every text copied from a submission into a CSV or XLSX output goes through `cell_text`:
Excel and LibreOffice run a cell starting with =, +, -, @, a tab or a carriage return as a
formula (CSV injection), so such text gets a leading apostrophe-free quote mark instead.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..model import AntqError, os_reason

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
_NUMBER = re.compile(r"^[+-]?\d[\d.,]*%?$")


def cell_text(value: Any) -> Any:
    """A submission's text as an output cell that no spreadsheet will run as a formula.

    Numbers pass unchanged; text starting like a formula ("=HYPERLINK(...)", "@SUM", "+1+1")
    is prefixed with a single quote mark ("'") so it shows as written and is never evaluated.
    A plain signed number written as text ("-5") is kept: it is data, not a formula.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_filename(name: str, fallback: str = "don-vi") -> str:
    """A unit name as a file name that cannot leave its folder: "../../Xã A/B" → "Xã A-B"."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(c if c.isprintable() else " " for c in text)
    text = re.sub(r'[\\/:*?"<>|]+', "-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    text = text.lstrip(".")
    return text[:120] or fallback


def inside(folder: str | os.PathLike, name: str) -> Path:
    """`folder/name` for a name made safe, checked to stay inside `folder`."""
    base = Path(folder).resolve()
    target = (base / safe_filename(name)).resolve()
    if target.parent != base:
        raise ValueError(f"{name!r} would leave {base}")
    return target


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one step.

    An interrupted or failed write leaves no half-written file: the temporary file is
    removed and `target` keeps its old content, or stays absent. Its name is short
    (".antq-XXXXXXXX.tmp"), so any name the folder accepts for `target` can be written.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:  # a part of the path is a file
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR),
                                 str(target.parent)) from error
    handle, name = tempfile.mkstemp(prefix=".antq-", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        # mkstemp makes the file private (0600); an output is an ordinary file of the user's.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        yield temporary
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_atomically(target: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)` and move the result onto `target` in one step.

    A failure the system reports (a full disk, a read-only folder, a file open in Excel, a
    name too long, a path through a file) is an AntqError "write-failed" naming `target` and
    why, which the command says before leaving with exit code 2.
    """
    try:
        with atomic_path(target) as temporary:
            write(temporary)
    except Exception as error:  # noqa: BLE001 - a writer may wrap the OSError (xlsxwriter)
        cause = _os_error(error)
        if cause is None:
            raise
        raise AntqError("write-failed", path=str(target), reason=os_reason(cause),
                        error=cause.strerror or str(cause)) from error
    return Path(target)


def _os_error(error: BaseException | None) -> OSError | None:
    """The OSError behind `error`: itself, its cause or context, or one it carries as an
    argument (xlsxwriter's FileCreateError)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError):
            return error
        carried = next((arg for arg in error.args if isinstance(arg, OSError)), None)
        if carried is not None:
            return carried
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None
