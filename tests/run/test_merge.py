"""merge.py: a summary or a lock file in the folder merged; no summary written over an input."""

from __future__ import annotations

import json
import shutil

from tests.helpers import merge_cli


def test_the_same_summary_can_be_written_again_in_the_folder(quarters, tmp_path):
    base, truth = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    out = folder / "tong hop.xlsx"
    first, _ = merge_cli(str(folder), "-o", str(out))
    second, output = merge_cli(str(folder), "-o", str(out), "--format", "json")
    assert first == second == 0  # the old summary is skipped (own-summary), then rewritten
    data = json.loads(output.split("Đã ghi")[0])
    assert data["totals"] == truth["2024-Q1"]["totals"]
    summary = next(f for f in data["files"] if f["path"].endswith("tong hop.xlsx"))
    assert summary["status"] == "skipped"
    assert [p["code"] for p in summary["problems"]] == ["own-summary"]


def test_a_submission_is_never_overwritten_by_the_summary(quarters, tmp_path):
    base, _ = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    victim = folder / "bieu01 99101.xlsx"
    before = victim.read_bytes()
    code, output = merge_cli(str(folder), "-o", str(victim))
    assert code == 2 and "Không ghi đè" in output
    assert victim.read_bytes() == before


def test_an_excel_lock_file_is_skipped_and_harmless(quarters, tmp_path):
    base, truth = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    (folder / "~$bieu01 99101.xlsx").write_bytes(b"\x0cNguyen Van A" + b"\x00" * 150)
    code, output = merge_cli(str(folder), "--format", "json")
    assert code == 0
    data = json.loads(output)
    lock = next(f for f in data["files"] if "~$" in f["path"])
    assert lock["status"] == "skipped" and lock["problems"][0]["code"] == "lock-file"
    assert "bieu01 99101.xlsx" in lock["problems"][0]["message"]
    assert data["totals"] == truth["2024-Q1"]["totals"]
