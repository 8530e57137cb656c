"""Safe outputs: text never runs as a formula, names stay in their folder, files land whole."""

from __future__ import annotations

import csv
import errno
import os

import pytest

from antq_cli.model import AntqError
from antq_cli.outputs.errors import render_error
from antq_cli.outputs.safe import atomic_path, cell_text, inside, safe_filename, write_atomically


@pytest.mark.parametrize("text", [
    "=1+1", "=HYPERLINK(\"http://evil.example\",\"bấm vào\")", "+1+1", "-1+2", "@SUM(A1:A3)",
    "\t=1", "\r=1", "\n=1", "-", "--", "+", "=", "|calc", "%0A=1",
])
def test_formula_like_text_is_neutralised(text):
    shown = cell_text(text)
    assert shown == "'" + text
    assert not shown.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "|", "%"))


@pytest.mark.parametrize("value", [
    "Thôn 1", "Xã Tân Đức", "-5", "+84", "12,5", "1.234", "-1.234,5", "92,3%", "", 12, -3,
    1.5, None,
])
def test_ordinary_values_pass_unchanged(value):
    assert cell_text(value) == value


def test_neutralised_text_reads_back_as_written_from_a_csv(tmp_path):
    path = tmp_path / "out.csv"
    rows = [["Thôn =1", cell_text("=1+1")], [cell_text("@SUM(A1)"), cell_text("Thôn 2")]]
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(rows)
    with path.open(encoding="utf-8-sig") as handle:
        back = list(csv.reader(handle))
    assert back == [["Thôn =1", "'=1+1"], ["'@SUM(A1)", "Thôn 2"]]


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "etc-passwd"), ("Xã Tân Đức", "Xã Tân Đức"),
    ("Thôn 1/Thôn 2", "Thôn 1-Thôn 2"), ("..", "don-vi"), ("a\nb\tc", "a b c"),
    ("C:\\Windows\\x", "C-Windows-x"), ("  .hidden", "hidden"), ("x" * 300, "x" * 120),
    ("Thôn\u202e1", "Thôn 1"),
])
def test_unit_names_become_file_names_that_stay_put(name, expected):
    assert safe_filename(name) == expected


def test_inside_never_leaves_the_folder(tmp_path):
    for name in ("../x", "/etc/passwd", "..", "a/../../b", "Xã Tân Đức.xlsx"):
        target = inside(tmp_path, name)
        assert target.parent == tmp_path.resolve()


def test_atomic_write_replaces_in_one_step(tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    target.write_bytes(b"old")
    write_atomically(target, lambda temporary: temporary.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["tong-hop.xlsx"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    target.write_bytes(b"old")

    def broken(temporary):
        temporary.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["tong-hop.xlsx"]


def test_an_interrupted_first_write_leaves_nothing(tmp_path):
    target = tmp_path / "new" / "tong-hop.xlsx"
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_outputs_get_the_usual_file_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        target = write_atomically(tmp_path / "out.xlsx", lambda t: t.write_bytes(b"x"))
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("error", "reason"), [
    (OSError(errno.ENOSPC, "No space left on device"), "disk-full"),
    (PermissionError(errno.EACCES, "Permission denied"), "permission"),
    (OSError(errno.EROFS, "Read-only file system"), "read-only"),
])
def test_a_failed_write_is_a_write_failed_error_naming_why(tmp_path, error, reason):
    target = tmp_path / "tong-hop.xlsx"

    def failing(temporary):
        temporary.write_bytes(b"half")
        raise error

    with pytest.raises(AntqError) as caught:
        write_atomically(target, failing)
    assert (caught.value.code, caught.value.params["reason"]) == ("write-failed", reason)
    assert caught.value.params["path"] == str(target)
    assert os.listdir(tmp_path) == []


def test_an_os_error_a_writer_wraps_is_found(tmp_path):
    from xlsxwriter.exceptions import FileCreateError

    def failing(temporary):
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as error:
            raise FileCreateError(error) from None

    with pytest.raises(AntqError) as caught:
        write_atomically(tmp_path / "x.xlsx", failing)
    assert caught.value.params["reason"] == "disk-full"


def test_a_path_through_a_file_is_said_as_such(tmp_path):
    (tmp_path / "tep.txt").write_text("x")
    with pytest.raises(AntqError) as caught:
        write_atomically(tmp_path / "tep.txt" / "x.xlsx", lambda t: t.write_bytes(b"x"))
    assert caught.value.params["reason"] == "not-a-folder"
    assert "một phần của đường dẫn là tệp" in render_error(caught.value, "vi")


def test_the_temporary_name_is_short_enough_for_any_legal_name(tmp_path):
    name = "Báo cáo tổng hợp " * 12  # 251 bytes in UTF-8 with the suffix, the limit is 255
    target = tmp_path / (name.encode()[:250].decode("utf-8", "ignore") + ".xlsx")
    assert len(target.name.encode()) <= 255
    write_atomically(target, lambda temporary: temporary.write_bytes(b"x"))
    assert target.read_bytes() == b"x"
