"""A plain parallel map: one function over many items on every core, results in input order.

The function (a picklable callable, such as one_file.FileReader) is given to each worker once,
when it starts; the items go out in chunks and the results come back in input order
(`Executor.map`), so what the caller makes of them never depends on scheduling.

Start method: "fork" when the calling process has a single thread (a worker starts in about
20 ms and inherits what is already loaded and imported), else "forkserver" (forking a process
that runs other threads, such as a progress bar's refresh thread, can deadlock a child on a
lock one of them held), else "spawn" where neither exists; those two start in about 0.6 s.
A worker that dies outright (killed, out of memory) breaks the pool: the items not yet done
then run one by one in a fresh process each, so the item that kills its process is the only
one lost. Workers never outlive the process that started them: on Linux the kernel kills each
when its parent ends (PR_SET_PDEATHSIG, even for SIGKILL), elsewhere a thread in each checks
its parent every half second; a KeyboardInterrupt (Ctrl-C, or a SIGTERM the command turns into
one) ends them at once instead of waiting for their files.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # multiprocessing and concurrent.futures load only when a pool is started
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items the pool's start-up (fork, the first results) costs more than a second
# core saves: with 2 cores, 8 files took 0.88x the in-process time, 16 files 1.08x, 64 1.5x.
MIN_ITEMS_FOR_POOL = 16
MAX_CHUNK = 16
CHUNKS_AHEAD = 2  # per worker: enough to keep each busy while the caller takes results

_work: Callable[[Any], Any] | None = None  # a worker's function, set when it starts


def worker_count(items: int, jobs: int | None = None) -> int:
    """How many processes to run `items` items on: `jobs`, else every core when it pays.

    1 means in this process, with no pool at all.
    """
    if jobs is None:
        if items < MIN_ITEMS_FOR_POOL:
            return 1
        jobs = _cores()
    return max(1, min(jobs, items))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def forks() -> bool:
    """Whether the workers would be forked from this process (and so share what it holds)."""
    return _context().get_start_method() == "fork"


def parallel_map(work: Callable[[Item], Result], items: Sequence[Item], workers: int,
                 lost: Callable[[Item, BaseException | None], Result]) -> Iterator[Result]:
    """`map(work, items)` on `workers` processes, which start before this returns.

    An item whose work cannot be done in a pool (its process died: `lost(item, None)`; it
    raised or its result could not be sent back: `lost(item, error)`) costs only that item.
    Closing the iterator early cancels the items not yet started. The items go out a few
    chunks ahead of what the caller has taken, never all at once: results wait for the caller
    in this process, and a caller slower than the workers (naming each file's units here)
    would otherwise hold every file's records at once.
    """
    context = _context()
    chunk = max(1, min(MAX_CHUNK, len(items) // (workers * 8)))
    chunks = [items[start:start + chunk] for start in range(0, len(items), chunk)]
    pool = _executor(context, workers, work)
    ahead = deque(pool.submit(_run_chunk, part)  # the workers start here
                  for part in chunks[:workers * CHUNKS_AHEAD])
    return _collect(pool, ahead, chunks, context, work, items, lost)


def _collect(pool: ProcessPoolExecutor, ahead: deque[Future], chunks: list[Sequence[Item]],
             context: BaseContext, work: Callable[[Item], Result], items: Sequence[Item],
             lost: Callable[[Item, BaseException | None], Result]) -> Iterator[Result]:
    done, sent = 0, len(ahead)
    try:
        try:
            while ahead:
                results = ahead.popleft().result()
                if sent < len(chunks):  # the next chunk goes out before these are taken
                    ahead.append(pool.submit(_run_chunk, chunks[sent]))
                    sent += 1
                for result in results:
                    done += 1
                    yield result
        except Exception:  # noqa: BLE001 - a dead worker (BrokenProcessPool), an unpicklable result
            pool.shutdown(wait=True, cancel_futures=True)
            for item in items[done:]:
                yield _isolated(context, work, item, lost)
    except KeyboardInterrupt:  # the command is stopping: no file is worth waiting for
        _end_workers(pool)
        raise
    finally:  # also when the caller stops early: the items not started are not run at all
        pool.shutdown(wait=True, cancel_futures=True)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's processes now (Python 3.14 has `terminate_workers` for this)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):  # already gone
            pass


def _executor(context: BaseContext, workers: int,
              work: Callable[[Any], Any]) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                               initargs=(work, os.getpid(), context.get_start_method()))


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


def _start(work: Callable[[Any], Any], owner: int, method: str) -> None:
    """A worker's initializer: its function, once; its life tied to the pool's `owner`."""
    global _work
    _work = work
    _tie_to_parent(owner if method == "fork" else None)
    # The antq command turns the collector off for itself (cli/runtime.py); a worker runs on
    # files anyone may have made, whose garbage it must be able to free. Seldom: a file's
    # grids are freed by reference counting, and at the default threshold the collector would
    # scan the forms and the registry again and again.
    gc.set_threshold(50_000, 20, 20)
    gc.enable()


# prctl(2) option: the signal this process gets when the thread that made it ends.
_PR_SET_PDEATHSIG = 1
_PARENT_CHECK_SECONDS = 0.5


def _tie_to_parent(owner: int | None) -> None:
    """End this worker when its parent ends, however it ends: on Linux by the kernel, else by
    a thread that checks. A signal that stops the command stops it there, not here: SIGTERM
    and SIGHUP (handlers a fork inherits) kill a worker outright, and Ctrl-C, which the
    terminal sends to every process of the command, is left to the parent.

    `owner` is the process that started the pool when this one was forked from it (a fork
    server's workers have the server as parent, which ends with the owner)."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if not _kill_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                         name="antq-parent-check").start()
    if (owner is not None and parent != owner) or os.getppid() != parent:
        os._exit(1)  # the parent ended before the kernel was told


def _kill_with_parent() -> bool:
    """Ask the kernel for SIGKILL when the parent ends (Linux); False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Leave as soon as the parent is gone (this process is then adopted by another)."""
    import time

    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


def _run_chunk(items: Sequence[Any]) -> list[Any]:
    return [_run(item) for item in items]


def _run(item: Any) -> Any:
    assert _work is not None, "worker started without its function"
    return _work(item)


def _isolated(context: BaseContext, work: Callable[[Item], Result], item: Item,
              lost: Callable[[Item, BaseException | None], Result]) -> Result:
    """Run one item in a process of its own, after a worker died: only this item is lost."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _executor(context, 1, work) as pool:
            return pool.submit(_run, item).result()
    except BrokenProcessPool:
        return lost(item, None)
    except Exception as error:  # noqa: BLE001
        return lost(item, error)
