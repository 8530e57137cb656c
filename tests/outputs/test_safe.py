"""Safe outputs: text never runs as a formula, names stay in their folder, files land whole."""

from __future__ import annotations

import csv
import os

import pytest

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
