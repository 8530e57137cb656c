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
from collections.abc import Callable, Iterable
from pathlib import Path

from ..forms import FormSet
from ..settings import RunSettings
from ..units.registry import Registry
from .one_file import FileReader, Source, as_source, name_units, read_one
from .pool import forks, parallel_map, worker_count
from .submission import Submission

Progress = Callable[[str], None]


class LateRegistry:
    """A registry to load while the files are read: `load()` is called once, by `get`."""

    def __init__(self, load: Callable[[], Registry | None]) -> None:
        self._load, self._loaded, self._value = load, False, None

    def get(self) -> Registry | None:
        """The registry, loaded on the first call."""
        if not self._loaded:
            self._value, self._loaded = self._load(), True
        return self._value


def find_files(folder: str | os.PathLike) -> list[Path]:
    """Every file under `folder`, recursively, in a stable order; links to folders not followed."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root, name) for name in sorted(files) if not name.startswith("."))
    return sorted(found)


def find_sources(paths: Iterable[Path]) -> list[Source]:
    """The files to validate: every file under each folder given, with that folder (its
    folders tell who sent each file), and each file given by itself with its own folder
    (whose name may be its district's)."""
    sources = []
    for path in paths:
        if path.is_dir():
            sources.extend(Source(found, path) for found in find_files(path))
        else:
            sources.append(Source(path, path.absolute().parent))
    return sources


def read_files(paths: Iterable[Path | Source], forms: FormSet,
               registry: Registry | LateRegistry | None, settings: RunSettings = RunSettings(),
               progress: Progress | None = None, root: Path | None = None,
               scope: str | None = None) -> list[Submission]:
    """Read and identify every file, in input order, on as many processes as
    `pool.worker_count` gives for `settings.jobs` (None: every core when a pool pays).

    `root`: the folder the plain paths were found under (a Source says its own); `scope`:
    the --scope code, both evidence of who sent each file.
    """
    sources = [as_source(path, root) for path in paths]
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
    for sub in results:
        subs.append(sub if named else name_units(sub, forms, units, scope))
        if progress:
            progress(sub.result.path)
    return subs
