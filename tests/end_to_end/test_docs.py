"""The README is part of the product: its commands run and its sessions are what antq prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.outputs.messages import PROBLEMS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAIN = "pip install . && antq merge sample_data/2024-Q1 --registry sample_data/registry.csv"
TESTS = "pip install -e '.[test]' && python -m pytest"


def test_readme_has_the_two_commands():
    assert MAIN in README
    assert TESTS in README


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install" in ci and "-e '.[test]'" in ci and "pytest" in ci


@pytest.mark.parametrize("command", ["validate", "merge", "forms", "template", "units"])
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert f"antq {command}" in README


def test_every_problem_code_is_documented():
    documented = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \|", README, re.M))
    assert documented == set(PROBLEMS)


def _session(command: str) -> str:
    """The output printed under `$ command` in the README, up to the next `$`."""
    start = README.index(f"$ {command}\n") + len(command) + 3
    return README[start:README.index("\n$ ", start)]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s│┃┏┓┗┛━─┡┩╇┳┻┼┬┴╋]+", text) if w]


def test_readme_merge_session_is_what_antq_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "110")
    result = CliRunner().invoke(
        app, ["merge", "sample_data/2024-Q1", "--registry", "sample_data/registry.csv"])
    assert result.exit_code == 1
    shown = _session("antq merge sample_data/2024-Q1 --registry sample_data/registry.csv")
    for line in ("45/60 (75,0%)", "14.243/23.249 (61,3%)", "bieu-01: 8/10 xã đã gửi",
                 "bieu-02: 9/10 xã đã gửi", "Xã Đông Thạnh", "23.249"):
        assert line in shown and line in result.output
    assert _words(result.output) == _words(shown)


def test_readme_validate_session_is_what_antq_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "110")
    command = ('antq validate "sample_data/2024-Q1/BC ANTQ P Trung Son Q1 2024.xlsx" '
               "--registry sample_data/registry.csv")
    result = CliRunner().invoke(app, [
        "validate", "sample_data/2024-Q1/BC ANTQ P Trung Son Q1 2024.xlsx",
        "--registry", "sample_data/registry.csv"])
    assert result.exit_code == 1
    assert _words(result.output) == _words(_session(command))


def test_python_dash_m_works():
    done = subprocess.run([sys.executable, "-m", "antq_cli", "--help"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0
    assert "merge" in done.stdout and "validate" in done.stdout


@pytest.mark.parametrize("options", [
    ["-o", "{tmp}/tong-hop-2024-Q1.xlsx"],
    ["--compare", "sample_data/2023-Q1"],
    ["--paragraph"],
    ["--closing", "14/11"],
])
def test_readme_merge_excerpts_are_what_antq_prints(options, monkeypatch, tmp_path):
    """Each line the README shows of these sessions ("…" marks a cut) is a line antq prints."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "110")
    shown_options = [o.replace("{tmp}/", "") for o in options]
    command = ("antq merge sample_data/2024-Q1 --registry sample_data/registry.csv "
               + " ".join(shown_options))
    result = CliRunner().invoke(app, ["merge", "sample_data/2024-Q1", "--registry",
                                      "sample_data/registry.csv",
                                      *(o.replace("{tmp}", str(tmp_path)) for o in options)])
    assert result.exit_code == 1
    printed = {line.strip() for line in result.output.replace(str(tmp_path) + "/", "").splitlines()}
    session = _session(command).split("```")[0]
    shown = [line.strip() for line in session.splitlines() if line.strip() and line.strip() != "…"]
    assert len(shown) >= 2
    assert [line for line in shown if line not in printed] == []


def test_readme_python_use_runs(monkeypatch, capsys):
    """The README's few lines of Python for analysts run as written, from the repository."""
    monkeypatch.chdir(ROOT)
    code = re.search(r"From Python:\n\n```python\n(.*?)```", README, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    assert "district_code" in capsys.readouterr().out
