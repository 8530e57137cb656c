"""The files of a run: found under its folders, then read and identified on every core.

Reading a file and naming its units depend on that file, the forms, the settings and the
registry only, so each file can be done in any process (pool.py). Forked workers inherit the
registry and name the units themselves; otherwise (another start method, or a registry that
is still loading) they only read and this process names the units, building each name index
once instead of once per worker. A registry given as a `LateRegistry` is loaded once the
workers have started, while they read (a country's registry takes about 0.1 s).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..forms import FormSet
from ..model import ERROR, FileResult, Problem, os_reason
from ..settings import RunSettings
from ..units.registry import Registry
from .one_file import FileReader, Source, as_source, name_units, read_one
from .pool import forks, parallel_map, worker_count
from .submission import Submission

Progress = Callable[[str], None]
# What a scan finds: a file to read, or what became of a path it could not or would not enter
# (an unreadable folder, a link leading out of the folder).
Found = Path | FileResult


class LateRegistry:
    """A registry to load while the files are read: `load()` is called once, by `get`."""

    def __init__(self, load: Callable[[], Registry | None]) -> None:
        self._load, self._loaded, self._value = load, False, None

    def get(self) -> Registry | None:
        """The registry, loaded on the first call."""
        if not self._loaded:
            self._value, self._loaded = self._load(), True
        return self._value


def find_files(folder: str | os.PathLike) -> list[Found]:
    """Every file under `folder`, recursively, in a stable order, and what could not be read.

    A folder the scan cannot enter (no permission, a path longer than the system allows) is a
    FileResult rejected with `unreadable-folder`, in its place: nothing it holds goes
    unaccounted. A link to a file or folder outside `folder` is skipped with `link-outside`
    (a copy for a commune must never carry another file of the computer); a link to a folder
    inside is not followed (its files are read where they are, and a loop cannot trap the
    scan). Hidden names (".DS_Store", ".git") are left out.
    """
    root = os.fspath(folder)
    real_root = os.path.realpath(root)
    found: list[Found] = []
    waiting = [root]
    while waiting:
        directory = waiting.pop()
        try:
            with os.scandir(directory) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as error:
            found.append(_refused_folder(directory, error))
            continue
        for entry in entries:
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not _within(target, real_root):
                    found.append(_outside(entry.path, target))
                elif not os.path.isdir(target):
                    found.append(Path(entry.path))
            elif _is_folder(entry):
                waiting.append(entry.path)
            else:
                found.append(Path(entry.path))
    return sorted(found, key=_found_path)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # its type is unknown and it cannot be looked at: reading will say why
        return False


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive (Windows)
        return False


def _found_path(found: Found) -> Path:
    return found if isinstance(found, Path) else Path(found.path)


def _refused_folder(directory: str, error: OSError) -> FileResult:
    result = FileResult(path=directory)
    result.problems.append(Problem(ERROR, "unreadable-folder", file=directory,
                                   params={"reason": os_reason(error),
                                           "error": error.strerror or str(error)}))
    return result


def _outside(path: str, target: str) -> FileResult:
    result = FileResult(path=path)
    result.set_aside_for("link-outside", target=target)
    return result


def find_sources(paths: Iterable[Path]) -> list[Source | FileResult]:
    """The files to validate: every file under each folder given, with that folder (its
    folders tell who sent each file), and each file given by itself with its own folder
    (whose name may be its district's); what a folder's scan could not enter, as found."""
    sources: list[Source | FileResult] = []
    for path in paths:
        if path.is_dir():
            sources.extend(found if isinstance(found, FileResult) else Source(found, path)
                           for found in find_files(path))
        else:
            sources.append(Source(path, path.absolute().parent))
    return sources


def read_files(paths: Iterable[Found | Source], forms: FormSet,
               registry: Registry | LateRegistry | None, settings: RunSettings = RunSettings(),
               progress: Progress | None = None, root: Path | None = None,
               scope: str | None = None) -> list[Submission]:
    """Read and identify every file, in input order, on as many processes as
    `pool.worker_count` gives for `settings.jobs` (None: every core when a pool pays).
    What `find_files` could not enter comes back as it was found, in its place.

    `root`: the folder the plain paths were found under (a Source says its own); `scope`:
    the --scope code, both evidence of who sent each file.
    """
    found = [entry if isinstance(entry, FileResult) else as_source(entry, root)
             for entry in paths]
    sources = [entry for entry in found if not isinstance(entry, FileResult)]
    workers = worker_count(len(sources), settings.jobs)
    late = isinstance(registry, LateRegistry)
    if workers <= 1:
        units = registry.get() if late else registry
        named, results = True, (read_one(source.path, forms, units, settings, True,
                                         source.root, scope) for source in sources)
    else:
        named = not late and registry is not None and forks()
        reader = FileReader(forms, settings, registry if named else None, scope)
        results = parallel_map(reader, sources, workers, reader.lost)
        units = registry.get() if late else registry  # a broken registry stops the run here
    subs = []
    for entry, sub in _in_place(found, results):
        if not named and not isinstance(entry, FileResult):
            sub = name_units(sub, forms, units, scope)
        subs.append(sub)
        if progress:
            progress(sub.result.path)
    return subs


def _in_place(found: list[Source | FileResult], results: Iterable[Submission]
              ) -> Iterator[tuple[Source | FileResult, Submission]]:
    """Each entry with its Submission: a file's as read, what was refused as it was found."""
    read = iter(results)
    for entry in found:
        yield entry, (Submission(entry) if isinstance(entry, FileResult) else next(read))
    for _ in read:  # nothing is left: lets the pool finish (its readers joined) now
        pass
