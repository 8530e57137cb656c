"""The entry point: `antq` as installed, and `python -m antq_cli` running the same cli.main.

It leaves without freeing the heap once everything is printed; nothing may be lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


def _antq(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "antq_cli", *args], cwd=ROOT,
                          capture_output=True, timeout=120, **options)


def test_the_whole_json_is_printed_and_the_exit_code_kept():
    done = _antq("merge", str(SAMPLE / "2024-Q1"), "--registry", str(SAMPLE / "registry.csv"),
                 "--format", "json")
    assert done.returncode == 1  # the sample holds a rejected file and missing communes
    result = json.loads(done.stdout)
    assert sorted(Path(f["path"]).name for f in result["files"]) == \
        sorted(p.name for p in (SAMPLE / "2024-Q1").iterdir())  # every file accounted for
    assert result["totals"] and result["units"]
    assert done.stderr == b""


def test_a_usage_error_exits_2_with_its_message():
    done = _antq("merge", str(SAMPLE / "no-such-folder"))
    assert done.returncode == 2
    assert b"no-such-folder" in done.stderr and b"Traceback" not in done.stderr


def test_a_reader_that_goes_away_is_an_error_not_a_silent_cut():
    command = [sys.executable, "-m", "antq_cli", "merge", str(SAMPLE / "2024-Q1"), "--registry",
               str(SAMPLE / "registry.csv"), "--format", "json"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as child:
        child.stdout.read(10)
        child.stdout.close()  # as `antq merge ... | head -c 10` does
        stderr = child.stderr.read()
        assert child.wait(timeout=120) == 1
    assert b"Traceback" not in stderr


def test_validating_one_file_imports_only_what_it_uses():
    """`antq validate one.xlsx` is timed by its start: no pandas, openpyxl or xlsxwriter (the
    reading is calamine's), no rich for a JSON answer, and no pydantic (typer 0.29 and later
    import it to coerce every option, 0.1 s at each command: pyproject keeps typer below)."""
    one = next((SAMPLE / "2024-Q1").glob("*.xlsx"))
    probe = ("import sys\n"
             "from antq_cli.cli.app import app\n"
             "sys.argv = ['antq', 'validate', sys.argv[1], '--format', 'json']\n"
             "try:\n    app()\n"
             "except SystemExit:\n    pass\n"
             "heavy = ('pandas', 'openpyxl', 'xlsxwriter', 'rich', 'pydantic', 'numpy')\n"
             "sys.stderr.write(repr(sorted(m for m in heavy if m in sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(one)], cwd=ROOT,
                          capture_output=True, timeout=120)
    assert json.loads(done.stdout)["files"][0]["path"].endswith(one.name)
    assert done.stderr == b"[]"
