"""A run's memory is bounded by its largest file, not by the sum of its files.

Forty data-heavy submissions (1,500 village rows each, two wrong figures in every row: 3,000
problems a file) are merged in a child process, then ten of them; the peak resident set of the
largest process of each run (the command or one of its reading processes, from wait4) must
be about the same. Before, every row and every problem of every file stayed in memory: ten
such files took 93 MiB, forty 294 MiB (3.2 times); now 47 and 47. Ratios, never absolute
figures: machines differ.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from tests.builders import indicators

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs wait4")

ROWS = 1500


def heavy_workbook() -> bytes:
    """A commune's bieu-01 with ROWS villages, two of whose figures are wrong in every row."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Biểu 01")
    sheet.write(0, 0, "CÔNG AN XÃ TÂN ĐỨC")
    sheet.write(1, 0, "BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ QUÝ I/2024")
    figures = indicators("bieu-01")
    for col, label in enumerate(["STT", "Tên thôn, tổ dân phố"] + [i["label"] for i in figures]):
        sheet.write(3, col, label)
    for row in range(ROWS):
        sheet.write_row(4 + row, 0, [row + 1, f"Thôn {row + 1}"] + [
            "nhiều" if n == 0 else -1 if n == 1 else "Đạt" if ind["type"] == "flag" else 7
            for n, ind in enumerate(figures)])
    book.close()
    return out.getvalue()


def peak_mib(folder: Path) -> tuple[float, dict]:
    """The largest resident set of `antq merge FOLDER` and its reading processes, and its JSON."""
    command = subprocess.Popen(
        [sys.executable, "-m", "antq_cli", "merge", str(folder), "--format", "json", "--jobs",
         "2"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    with command.stdout:
        output = command.stdout.read()
    _, status, usage = os.wait4(command.pid, 0)
    command.returncode = os.waitstatus_to_exitcode(status)
    assert command.returncode == 1
    return usage.ru_maxrss / 1024, json.loads(output)


def test_peak_memory_is_flat_from_ten_to_forty_heavy_files(tmp_path):
    data = heavy_workbook()
    forty, ten = tmp_path / "40", tmp_path / "10"
    forty.mkdir()
    for n in range(40):
        (forty / f"BC quy I-2024 xa {n:02d}.xlsx").write_bytes(data)
    shutil.copytree(forty, ten, ignore=lambda _, names: sorted(names)[10:])
    small, few = peak_mib(ten)
    large, many = peak_mib(forty)
    assert len(few["files"]) == 10 and len(many["files"]) == 40
    for entry in many["files"]:  # every output lists 50 problems of a code, then their count
        assert entry["status"] == "rejected" and entry["rows"] == ROWS
        codes = [p["code"] for p in entry["problems"]]
        assert codes.count("not-a-number") == codes.count("negative") == 50
        more = {p["message"].split()[1]: p for p in entry["problems"]
                if p["code"] == "more-problems"}
        assert more.keys() == {"1.450"}
    assert large / small < 1.35, (small, large)
