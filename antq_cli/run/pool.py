"""Read many files on every core: a process pool over files, results in input order.

Reading a file (`read_submission`) and naming its units (`identify`) depend on that file, the
forms and the registry only, so each file can be done in any process. Workers receive the
forms and the registry once (the pool's initializer) and send back Submissions (records and
problems, never grids); results come back in input order (`Executor.map`), so the output
never depends on scheduling. What needs all the files (periods, duplicates, the roll-up)
stays in the calling process.

Start method: "fork" when the calling process has a single thread (a worker starts in about
20 ms and inherits the forms, the registry and what is already imported), else "forkserver"
(forking a process that runs other threads, such as a progress bar's refresh thread, can
deadlock a child on a lock one of them held), else "spawn" where neither exists. Both of
those start in about 0.6 s here, and pickling a country's registry to each worker would cost
about 1.7 s more, so with them the workers only read and the calling process identifies.
A registry given as a `LateRegistry` is loaded once the workers have started, while they
read (a country's registry takes about 0.1 s): the workers then only read and this process
identifies, also building each name index once instead of once per worker.
A worker that dies outright (killed, out of memory) breaks
the pool; the files not yet read are then read one by one in a fresh process each, so the
file that kills its reader is the only one reported unreadable.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..forms import FormSet
from ..model import ACCEPTED, ERROR, REJECTED, AntqError, FileResult, Problem
from ..periods import CLOSING_ENV
from ..units.registry import Registry
from .identify import identify
from .submission import Submission, read_submission

if TYPE_CHECKING:  # multiprocessing and concurrent.futures load only when a pool is started
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

JOBS_ENV = "ANTQ_JOBS"
# Below this many files the pool's start-up (fork, the first results) costs more than a second
# core saves: with 2 cores, 8 files took 0.88x the in-process time, 16 files 1.08x, 64 1.5x.
MIN_FILES_FOR_POOL = 16
MAX_CHUNK = 16

_forms: FormSet | None = None
_registry: Registry | None = None
_identify_here = True


def worker_count(files: int, jobs: int | None = None) -> int:
    """How many processes read `files` files: `jobs`, else ANTQ_JOBS, else every core when it pays.

    1 means in this process, with no pool at all.
    """
    if jobs is None:
        jobs = _jobs_from_env()
    if jobs is None:
        if files < MIN_FILES_FOR_POOL:
            return 1
        jobs = _cores()
    return max(1, min(jobs, files))


def _jobs_from_env() -> int | None:
    text = os.environ.get(JOBS_ENV, "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise AntqError("bad-jobs", value=text, env=JOBS_ENV)
    return int(text)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_one(path: str | os.PathLike, forms: FormSet, registry: Registry | None,
             identify_units: bool = True) -> Submission:
    """Read, check and (unless told not to) identify one file; never raises.

    Any unexpected exception becomes the file's `unreadable-file` error, so one bad file
    never stops the run.
    """
    try:
        sub = read_submission(path, forms)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # noqa: BLE001 - calamine's panics are BaseExceptions
        return _failed(path, error)
    return name_units(sub, forms, registry) if identify_units else sub


def name_units(sub: Submission, forms: FormSet, registry: Registry | None) -> Submission:
    """`identify` the file's sender and rows; a file with errors after that is rejected."""
    try:
        if sub.result.forms:
            identify(sub, forms, registry)
            if sub.result.status == ACCEPTED and sub.result.has_errors:
                sub.result.status = REJECTED
    except Exception as error:  # noqa: BLE001 - one bad file never stops the run
        return _failed(sub.result.path, error)
    return sub


def _failed(path: str | os.PathLike, error: BaseException) -> Submission:
    detail = f"{type(error).__name__}: {str(error)[:200]}"
    return crashed(path, f"lỗi khi đọc ({detail})", f"error while reading ({detail})")


def crashed(path: str | os.PathLike, detail: str, detail_en: str) -> Submission:
    """The Submission of a file whose reading failed outright: rejected as unreadable."""
    result = FileResult(path=str(path), status=REJECTED)
    try:
        result.mtime = Path(path).stat().st_mtime
    except OSError:
        pass
    result.problems.append(Problem(ERROR, "unreadable-file", file=str(path),
                                   params={"detail": detail, "detail_en": detail_en}))
    return Submission(result)


class LateRegistry:
    """A registry to load while the files are read: `load()` is called once, by `get`."""

    def __init__(self, load: Callable[[], Registry | None]) -> None:
        self._load, self._loaded, self._value = load, False, None

    def get(self) -> Registry | None:
        """The registry, loaded on the first call."""
        if not self._loaded:
            self._value, self._loaded = self._load(), True
        return self._value


def read_submissions(paths: Sequence[str | os.PathLike], forms: FormSet,
                     registry: Registry | LateRegistry | None,
                     jobs: int | None = None) -> Iterator[Submission]:
    """Each file read and identified, in the order of `paths`, on `worker_count` processes."""
    workers = worker_count(len(paths), jobs)
    late = isinstance(registry, LateRegistry)
    if workers <= 1:
        units = registry.get() if late else registry
        for path in paths:
            yield read_one(path, forms, units)
        return
    context = _context()
    # Forked workers identify with the registry they inherit; started any other way, or
    # before the registry is loaded, they only read and this process identifies.
    here = late or context.get_start_method() != "fork"
    done = 0
    chunk = max(1, min(MAX_CHUNK, len(paths) // (workers * 8)))
    pool = _executor(context, workers, forms, None if late else registry)
    try:
        results = pool.map(_read_in_worker, paths, chunksize=chunk)  # the workers start here
        units = registry.get() if late else registry  # a broken registry stops the run here
        try:
            for sub in results:
                done += 1
                yield name_units(sub, forms, units) if here else sub
        except Exception:  # noqa: BLE001 - a dead worker (BrokenProcessPool), an unpicklable result
            pool.shutdown(wait=True, cancel_futures=True)
            for path in paths[done:]:
                yield _read_isolated(context, path, forms, units)
    finally:  # also when the caller stops early: the files not started are not read at all
        pool.shutdown(wait=True, cancel_futures=True)


def _executor(context: BaseContext, workers: int, forms: FormSet,
              registry: Registry | None) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    forked = context.get_start_method() == "fork"
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(forms, registry if forked else None, forked,
                                         os.environ.get(CLOSING_ENV)))


def _context() -> BaseContext:
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _start_worker(forms: FormSet, registry: Registry | None, identify_units: bool,
                  closing: str | None) -> None:
    """Pool initializer: the forms (and, forked, the registry) once per worker, and the
    caller's data-window closing."""
    global _forms, _registry, _identify_here
    _forms, _registry, _identify_here = forms, registry, identify_units
    # The antq command turns the collector off for itself (cli.py); a worker reads files
    # anyone may have made, whose garbage it must be able to free. Seldom: a file's grids are
    # freed by reference counting, and at the default threshold the collector would scan the
    # forms and the registry again and again.
    gc.set_threshold(50_000, 20, 20)
    gc.enable()
    # A forkserver's environment is the one it started with: take the caller's.
    if closing is None:
        os.environ.pop(CLOSING_ENV, None)
    else:
        os.environ[CLOSING_ENV] = closing


def _read_in_worker(path: str | os.PathLike) -> Submission:
    assert _forms is not None, "worker started without forms"
    return read_one(path, _forms, _registry, _identify_here)


def _read_isolated(context: BaseContext, path: str | os.PathLike,
                   forms: FormSet, registry: Registry | None) -> Submission:
    """Read one file in a process of its own, after a worker died: only its own file is lost."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _executor(context, 1, forms, registry) as pool:
            sub = pool.submit(_read_in_worker, path).result()
    except BrokenProcessPool:
        return crashed(path, "tiến trình đọc tệp bị dừng đột ngột (có thể do thiếu bộ nhớ)",
                       "the process reading it stopped abruptly (perhaps out of memory)")
    except Exception as error:  # noqa: BLE001
        return _failed(path, error)
    return sub if context.get_start_method() == "fork" else name_units(sub, forms, registry)
