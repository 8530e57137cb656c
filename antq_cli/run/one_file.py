"""One file end to end: read and checked (submission.py), then its units named (identify.py).

Never raises: whatever goes wrong with one file becomes that file's `unreadable-file` error, so
one bad file never stops a run. `FileReader` is the same job as a picklable callable, what a
reading process is given once and runs on each of its files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..forms import FormSet
from ..model import ERROR, FileResult, Problem, Record, cap_problems
from ..settings import RunSettings
from ..units.registry import Registry
from .identify import identify
from .submission import Submission, read_submission


class Source(NamedTuple):
    """A file to read and the folder it was found under (the merge's FOLDER, or a folder
    given to validate), whose folders between it and the file tell who sent it."""

    path: Path
    root: Path | None = None


def read_one(path: str | os.PathLike, forms: FormSet, registry: Registry | None,
             settings: RunSettings = RunSettings(), identify_units: bool = True,
             root: Path | None = None, scope: str | None = None) -> Submission:
    """Read, check and (unless told not to) identify one file; `scope`: the --scope code."""
    try:
        sub = read_submission(path, forms, settings, root)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # noqa: BLE001 - calamine's panics are BaseExceptions
        return failed(path, error)
    if identify_units:
        return name_units(sub, forms, registry, scope)
    result = sub.result
    result.problems = cap_problems(result.problems)
    if result.has_errors:  # refused whatever its units: the caller names them, nothing more
        figures: dict = {}
        for record in result.records:
            record.values = figures
    return sub


def name_units(sub: Submission, forms: FormSet, registry: Registry | None,
               scope: str | None = None) -> Submission:
    """`identify` the file's sender and rows (the problems met make it rejected), then keep
    what the rest of the run needs of it: the first problems of each kind (`cap_problems`),
    and of a rejected file's rows only the units they name (`FileResult.drop_rows`)."""
    try:
        if sub.result.forms:
            identify(sub, forms, registry, scope)
    except Exception as error:  # noqa: BLE001 - one bad file never stops the run
        return failed(sub.result.path, error)
    result = sub.result
    result.problems = cap_problems(result.problems)
    if result.has_errors:
        result.drop_rows(_sender_of(forms, registry))
    return sub


def _sender_of(forms: FormSet, registry: Registry | None) -> Callable[[Record], str]:
    """A row's unit as the unit that sends its form (a village's commune for bieu-01): what a
    refused file tells the rest of the run (the scope, who sent a file that was refused).
    Without a registry, nothing: the units of a run are then those of the files it takes."""
    def unit_of(record: Record) -> str:
        if registry is None:
            return ""
        if registry.get(record.unit) is None:
            return record.unit
        owner = registry.ancestor_at(record.unit, forms.forms[record.form].sender_level)
        return owner.code if owner is not None else record.unit
    return unit_of


def failed(path: str | os.PathLike, error: BaseException) -> Submission:
    """The Submission of a file whose reading raised: rejected as unreadable, naming why."""
    return crashed(path, "crashed", error=f"{type(error).__name__}: {str(error)[:200]}")


def crashed(path: str | os.PathLike, reason: str, **params: Any) -> Submission:
    """The Submission of a file whose reading failed outright: rejected as unreadable, the
    `reason` a code of outputs/reasons.py."""
    result = FileResult(path=str(path))
    try:
        result.mtime = Path(path).stat().st_mtime
    except OSError:
        pass
    result.problems.append(Problem(ERROR, "unreadable-file", file=str(path),
                                   params={"reason": reason, **params}))
    return Submission(result)


@dataclass(frozen=True, slots=True)
class FileReader:
    """`read_one` with its forms, settings and registry bound: given once to each reading
    process. Without a registry it only reads, and the caller names the units."""

    forms: FormSet
    settings: RunSettings
    registry: Registry | None = None
    scope: str | None = None

    def __call__(self, item: Source | str | os.PathLike) -> Submission:
        source = as_source(item)
        return read_one(source.path, self.forms, self.registry, self.settings,
                        self.registry is not None, source.root, self.scope)

    def lost(self, item: Source | str | os.PathLike, error: BaseException | None) -> Submission:
        """The Submission of a file whose reading process died (`error` None: killed, out of
        memory) or whose reading could not be sent back."""
        path = as_source(item).path
        if error is not None:
            return failed(path, error)
        return crashed(path, "reader-died")


def as_source(item: Source | str | os.PathLike, root: Path | None = None) -> Source:
    """A Source as it is, or a path found under `root`."""
    return item if isinstance(item, Source) else Source(Path(item), root)
