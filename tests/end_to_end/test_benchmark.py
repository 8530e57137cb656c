"""The benchmark script (benchmarks/bench.py) keeps working: a smoke run at N = 20.

It prints the machine and the table of the three methods and their ratios (no timing is
asserted: machines are noisy).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_smoke_run_prints_the_table(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--n", "20",
         "--corpus", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("machine: ") and "cores" in lines[0] and "Python 3." in lines[0]
    header = next(line for line in lines if line.startswith("| N |"))
    for column in ("antq ms/file", "calamine ms/file", "pandas ms/file", "a/b", "c/a",
                   "antq wall s", "antq peak RSS MiB"):
        assert column in header
    row = next(line for line in lines if line.startswith("| 20 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 8
    assert all(re.fullmatch(r"\d+(\.\d+)?", cell) for cell in cells), cells
    assert float(cells[7]) > 10  # a Python process's resident set, in MiB
    # every generated workbook was accepted by antq (the corpus is valid, not just fast)
    assert "20/20 files accepted" in run.stderr
    # the corpus is cached: the files are there for a rerun
    assert len(list((tmp_path / "seed1" / "n20").rglob("*.xlsx"))) == 20
