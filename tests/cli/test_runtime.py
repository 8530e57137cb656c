"""runtime.py and pool.py together: a stopped antq leaves nothing behind.

The command runs in a child process whose reading (or writing) is made to wait, so the test
can stop it at that point: SIGTERM, SIGHUP and Ctrl-C stop it cleanly (exit 128 + the signal,
the reading processes ended, no temporary file left), and SIGKILL of the command, which no
clean-up can follow, still takes its reading processes with it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import Layout, write_bieu01
from tests.helpers import sender, villages

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the process tree from /proc")

# The command with its reading, or its writing, made to wait: what a stop interrupts.
LAUNCH = """
import sys, time
from antq_cli.run import one_file
from antq_cli.outputs import safe
from antq_cli.outputs.workbook import summary
if sys.argv[1] == "reading":
    real = one_file.read_one
    def read_one(*args, **kwargs):
        time.sleep(120)
        return real(*args, **kwargs)
    one_file.read_one = read_one
else:
    def write_summary(path, *args, **kwargs):
        def write(temporary):
            temporary.write_bytes(b"half a workbook")
            time.sleep(120)
        return safe.write_atomically(path, write)
    summary.write_summary = write_summary
from antq_cli.cli.app import main
sys.argv = ["antq", *sys.argv[2:]]
main()
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Twenty small submissions: enough for a pool of two reading processes."""
    folder = tmp_path_factory.mktemp("bao cao")
    for n in range(20):
        write_bieu01(folder / f"xa Tan Duc {n:02d}.xlsx", sender("99103"), villages("99103", n),
                     "Quý I/2024", Layout(total_row=None))
    return folder


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(n) for n in text.split()]


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def start(phase: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LAUNCH, phase, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_while_reading_stops_cleanly_with_its_code(folder, name, code):
    command = start("reading", "merge", str(folder), "--jobs", "2")
    try:
        assert wait_for(lambda: len(children(command.pid)) == 2), "no reading processes"
        workers = children(command.pid)
        time.sleep(0.3)  # the workers are in their first file
        command.send_signal(getattr(signal, name))
        _, stderr = command.communicate(timeout=60)
    finally:
        command.kill()
    assert command.returncode == code, stderr
    assert "Traceback" not in stderr and "Đã dừng" in stderr
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 10)


def test_killing_the_command_takes_its_reading_processes_with_it(folder):
    """SIGKILL (a caller's hard timeout): no handler runs, the kernel ends the workers."""
    command = start("reading", "merge", str(folder), "--jobs", "2")
    try:
        assert wait_for(lambda: len(children(command.pid)) == 2), "no reading processes"
        workers = children(command.pid)
        command.kill()
        command.communicate(timeout=60)
    finally:
        command.kill()
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 10)


def test_a_signal_while_writing_leaves_no_temporary_file(folder, tmp_path):
    out = tmp_path / "ket qua" / "tong hop.xlsx"
    command = start("writing", "merge", str(folder), "-o", str(out), "--format", "json")
    try:
        assert wait_for(lambda: any(out.parent.glob(".antq-*.tmp")) if out.parent.exists()
                        else False), "the write never started"
        command.send_signal(signal.SIGTERM)
        stdout, stderr = command.communicate(timeout=60)
    finally:
        command.kill()
    assert command.returncode == 143, stderr
    assert stdout.startswith("{")  # the results were out before the write began
    assert list(out.parent.iterdir()) == []
