"""files.py: what the scan of a folder finds, and what it cannot or will not enter.

Nothing a folder holds goes unaccounted: a sub-folder that cannot be read is a rejected entry
of its own (the run exits 1), a link leading out of the folder is skipped with a warning and
never followed, and the rest is read in a stable order.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from antq_cli.model import FileResult
from antq_cli.outputs.messages import render
from antq_cli.run import files
from antq_cli.run.files import find_files
from tests.helpers import merge_cli


def _paths(found) -> list[str]:
    return [str(f) if isinstance(f, Path) else f.path for f in found]


def _refused(found) -> dict[str, tuple[str, str, dict]]:
    return {Path(f.path).name: (f.status, f.problems[0].code, f.problems[0].params)
            for f in found if isinstance(f, FileResult)}


def deep_folder(base: Path, levels: int = 25) -> Path:
    """Folders nested past the system's longest path (PATH_MAX, 4096 on Linux), a file in the
    deepest: made one level at a time from the one above, as no single path can name it."""
    name = "thu muc " + "d" * 190
    descriptor = os.open(base, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=descriptor)
            inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        os.close(os.open("bao cao.xlsx", os.O_WRONLY | os.O_CREAT, dir_fd=descriptor))
    finally:
        os.close(descriptor)
    return base / name


def test_files_are_found_in_a_stable_order_hidden_ones_left_out(tmp_path):
    for name in ("b.xlsx", "a.xlsx", ".DS_Store", "x/c.xlsx", ".git/d.xlsx", "x/y/e.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert _paths(find_files(tmp_path)) == [
        str(tmp_path / n) for n in ("a.xlsx", "b.xlsx", "x/c.xlsx", "x/y/e.csv")]


def test_a_folder_that_cannot_be_entered_is_accounted_for(tmp_path, monkeypatch):
    (tmp_path / "a.xlsx").write_bytes(b"")
    (tmp_path / "khoa").mkdir()
    (tmp_path / "khoa" / "b.xlsx").write_bytes(b"")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "khoa":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    found = find_files(tmp_path)
    assert _paths(found) == [str(tmp_path / "a.xlsx"), str(tmp_path / "khoa")]
    assert _refused(found) == {"khoa": ("rejected", "unreadable-folder", {
        "reason": "permission", "error": "Permission denied"})}
    [problem] = found[1].problems
    assert "không có quyền đọc thư mục" in render(problem, "vi")
    assert "no permission to read the folder" in render(problem, "en")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions are not enforced for root")
def test_a_folder_without_permission_is_accounted_for(tmp_path):
    locked = tmp_path / "khoa"
    locked.mkdir()
    (locked / "b.xlsx").write_bytes(b"")
    locked.chmod(0)
    try:
        assert _refused(find_files(tmp_path))["khoa"][:2] == ("rejected", "unreadable-folder")
    finally:
        locked.chmod(0o755)


@pytest.mark.skipif(os.name != "posix", reason="PATH_MAX")
def test_a_path_longer_than_the_system_allows_is_accounted_for(tmp_path):
    deep_folder(tmp_path)
    [entry] = find_files(tmp_path)
    assert isinstance(entry, FileResult) and entry.status == "rejected"
    assert entry.problems[0].params["reason"] == "too-long"
    assert "quá dài" in render(entry.problems[0], "vi")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_links_out_of_the_folder_are_skipped_and_never_followed(tmp_path):
    folder, outside = tmp_path / "bao cao", tmp_path / "khac"
    folder.mkdir()
    (outside / "sub").mkdir(parents=True)
    (outside / "mat.xlsx").write_bytes(b"secret")
    (folder / "that.xlsx").write_bytes(b"")
    (folder / "tep.xlsx").symlink_to(outside / "mat.xlsx")
    (folder / "thu muc").symlink_to(outside / "sub")
    (folder / "ban sao.xlsx").symlink_to(folder / "that.xlsx")  # inside: read (a copy)
    (folder / "vong").symlink_to(folder)  # a link to a folder inside: not followed
    found = find_files(folder)
    assert _paths(found) == [str(folder / n) for n in
                             ("ban sao.xlsx", "tep.xlsx", "that.xlsx", "thu muc")]
    refused = _refused(found)
    assert refused == {
        "tep.xlsx": ("skipped", "link-outside", {"target": str(outside / "mat.xlsx")}),
        "thu muc": ("skipped", "link-outside", {"target": str(outside / "sub")})}


def test_a_merge_lists_what_it_could_not_enter_and_exits_1(quarters, tmp_path, monkeypatch):
    base, truth = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    (folder / "huyen khac").mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "huyen khac":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    code, output = merge_cli(str(folder), "--format", "json")
    assert code == 1
    data = json.loads(output)
    [entry] = [f for f in data["files"] if f["path"] == str(folder / "huyen khac")]
    assert entry["status"] == "rejected"
    assert [p["code"] for p in entry["problems"]] == ["unreadable-folder"]
    assert data["totals"] == truth["2024-Q1"]["totals"]
