"""Writing outputs safely: text that no spreadsheet runs as a formula, names that stay in
their folder, and files that appear whole or not at all.

Every text copied from a submission into a CSV or XLSX output goes through `cell_text`:
Excel and LibreOffice run a cell starting with =, +, -, @, a tab or a carriage return as a
formula (CSV injection), so such text gets a leading apostrophe-free quote mark instead.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    removed and `target` keeps its old content, or stays absent.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp",
                                    dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    # mkstemp makes the file private (0600); an output is an ordinary file of the user's.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_atomically(target: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)` and move the result onto `target` in one step."""
    with atomic_path(target) as temporary:
        write(temporary)
    return Path(target)
