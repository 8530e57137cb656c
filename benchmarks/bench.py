"""Time `antq merge` against the floor (bare python-calamine) and a user's pandas loop.

    python benchmarks/bench.py                 # N = 100, 1000, 3321 communes
    python benchmarks/bench.py --n 20          # a quick run (the test suite's smoke run)

For each N (communes, one workbook each holding Biểu 01 and Biểu 02; see corpus.py) it
measures, in one run on the same files:

(a) antq   `antq merge DIR --registry REG --format json` in a fresh child process, so its
           wall time includes start-up; its peak memory is the largest sum of the resident
           sets of the child and its worker processes, sampled every 20 ms from /proc (and
           the largest single process's ru_maxrss from wait4, exact).
(b) calamine  python-calamine opening each file and reading every sheet to Python lists,
           in this process (the floor: no layout, no checks, no merging).
(c) pandas `pandas.read_excel(path, engine="openpyxl", header=None, sheet_name=None)` per
           file, in this process: what a user's own script would do.

and prints ms/file for each, a/b (antq over the floor) and c/a (how many times faster than
the pandas loop antq is), antq's wall seconds and peak RSS.

(a) and (b) are each the median of --repeat runs (3; machines are noisy), (c) is run once.
Before them, one untimed merge of a single district folder writes the bytecode of antq's
modules, as any Python does at the first run of an installed program (the child runs without
PYTHONDONTWRITEBYTECODE, which some sandboxes set: with it, every run compiles antq's sources
again, 0.05 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Row:
    """One line of the table."""

    n: int
    files: int
    antq_s: float
    calamine_s: float
    pandas_s: float | None
    rss_mib: float
    max_process_mib: float
    accepted: int

    def cells(self) -> list[str]:
        """The printed cells, in HEADER order."""
        antq, floor = self.antq_s / self.files * 1000, self.calamine_s / self.files * 1000
        pandas = None if self.pandas_s is None else self.pandas_s / self.files * 1000
        return [str(self.n), f"{antq:.2f}", f"{floor:.2f}",
                "—" if pandas is None else f"{pandas:.2f}", f"{antq / floor:.1f}",
                "—" if pandas is None else f"{pandas / antq:.1f}", f"{self.antq_s:.2f}",
                f"{self.rss_mib:.0f}"]


HEADER = ["N", "antq ms/file", "calamine ms/file", "pandas ms/file", "a/b", "c/a",
          "antq wall s", "antq peak RSS MiB"]


def machine() -> str:
    """Cores, CPU model, Python and the load when the run started."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{os.cpu_count()} cores, {model}; Python {platform.python_version()} "
            f"({platform.system()} {platform.release()}); load average {load}")


def antq_command() -> list[str]:
    """The installed `antq` script beside this Python, else `python -m antq_cli`."""
    script = Path(sys.executable).parent / "antq"
    return [str(script)] if script.exists() else [sys.executable, "-m", "antq_cli"]


def _tree(pid: int) -> list[int]:
    """pid and its descendants, from /proc/<pid>/task/*/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def child_environment() -> dict[str, str]:
    """This environment, with bytecode written as a user's Python does by default."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_antq(folder: Path, registry: Path, jobs: int | None,
             *extra: str) -> tuple[float, float, float, dict]:
    """(wall s, peak RSS MiB of the process tree, largest process MiB, the JSON) of one merge."""
    command = [*antq_command(), "merge", str(folder), "--registry", str(registry),
               "--format", "json", *extra]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=child_environment())
        peak, status, usage = 0, None, None
        while status is None:
            pid, code, rusage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                status, usage = code, rusage
                break
            peak = max(peak, _rss_bytes(_tree(child.pid)))
            time.sleep(0.02)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode not in (0, 1):
            raise SystemExit(f"antq merge failed ({child.returncode}): {err.read().decode()[-2000:]}")
        result = json.loads(out.read())
    largest = usage.ru_maxrss / 1024  # KiB on Linux
    return wall, max(peak / 2**20, largest), largest, result


def run_calamine(paths: list[Path]) -> float:
    """Seconds to open every file and read every sheet with python-calamine."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in paths:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def run_pandas(paths: list[Path]) -> float:
    """Seconds for a pandas.read_excel(openpyxl) loop reading every sheet of every file."""
    import warnings

    import pandas

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on data validation and the like
        for path in paths:
            pandas.read_excel(path, engine="openpyxl", header=None, sheet_name=None)
    return time.perf_counter() - start


def measure(n: int, args: argparse.Namespace) -> Row:
    """Build (or reuse) the corpus of `n` communes and time the three readers on it."""
    folder, registry = corpus.build(n, args.seed, args.corpus, say=lambda s: print(s, file=sys.stderr))
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in paths:  # the page cache warm for all three
        path.read_bytes()
    run_antq(paths[0].parent, registry, args.jobs)  # untimed: bytecode written, caches warm
    runs = sorted((run_antq(folder, registry, args.jobs) for _ in range(args.repeat)),
                  key=lambda run: run[0])
    wall, rss, largest, result = runs[len(runs) // 2]  # the median run
    rss, largest = max(run[1] for run in runs), max(run[2] for run in runs)
    floor = statistics.median(run_calamine(paths) for _ in range(args.repeat))
    pandas = None if args.skip_pandas else run_pandas(paths)
    accepted = sum(1 for f in result["files"] if f["status"] == "accepted")
    return Row(n, len(paths), wall, floor, pandas, rss, largest, accepted)


def measure_year(n: int, args: argparse.Namespace) -> str:
    """A year of `n` communes (their four quarters) merged to the year, against one quarter:
    the line printed (the aim: at most 4 times the quarter)."""
    quarter_folder, registry = corpus.build(n, args.seed, args.corpus,
                                            say=lambda s: print(s, file=sys.stderr))
    year_folder, _ = corpus.build_year(n, args.seed, args.corpus,
                                       say=lambda s: print(s, file=sys.stderr))
    for path in year_folder.rglob("*.xlsx"):  # the page cache warm for both
        path.read_bytes()
    run_antq(quarter_folder, registry, args.jobs)  # untimed: bytecode written, caches warm
    quarter = statistics.median(run_antq(quarter_folder, registry, args.jobs)[0]
                                for _ in range(args.repeat))
    runs = [run_antq(year_folder, registry, args.jobs, "--period", "2026")
            for _ in range(args.repeat)]
    year = statistics.median(run[0] for run in runs)
    data = runs[0][3]
    accepted = sum(1 for f in data["files"] if f["status"] == "accepted")
    assert data["period"] == "2026", data["period"]
    return (f"| {n} | {quarter:.2f} | {year:.2f} | {year / quarter:.1f} | "
            f"{accepted}/{len(data['files'])} | {max(run[1] for run in runs):.0f} |")


def table(rows: list[Row]) -> str:
    """A Markdown table of the rows."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the machine, the command and the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000, corpus.COMMUNES],
                        help="corpus sizes in communes (files)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="passed to antq merge --jobs")
    parser.add_argument("--corpus", type=Path, default=corpus.DEFAULT_ROOT,
                        help="where generated workbooks are cached")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of (a) and (b) whose median is shown")
    parser.add_argument("--skip-pandas", action="store_true", help="leave out (c)")
    parser.add_argument("--year", action="store_true",
                        help="instead: a year of N communes (4 quarters) merged to the year, "
                        "against one quarter (the aim: at most 4 times)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if shutil.which(antq_command()[0]) is None and not Path(antq_command()[0]).exists():
        raise SystemExit("antq is not installed: pip install -e .")
    print(f"machine: {machine()}")
    print(f"command: python benchmarks/bench.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    if args.year:
        print("| N | quarter wall s | year wall s | year/quarter | files accepted | "
              "year peak RSS MiB |")
        print("|---:|---:|---:|---:|---:|---:|")
        for n in args.n:
            print(measure_year(n, args))
        return 0
    rows = []
    for n in args.n:
        row = measure(n, args)
        rows.append(row)
        print(f"N={n}: {row.accepted}/{row.files} files accepted; antq {row.antq_s:.2f} s, "
              f"largest process {row.max_process_mib:.0f} MiB", file=sys.stderr)
    print(table(rows))
    print("a = antq merge end to end (start-up, read, validate, merge, roll up, JSON), "
          "b = bare python-calamine read, c = pandas.read_excel(openpyxl) loop; "
          "a/b: antq over the floor, c/a: times faster than the pandas loop.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
