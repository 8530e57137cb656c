"""The `antq` command through CliRunner: exit codes, JSON equal to the library, languages, help.

Also the closing day (--closing, ANTQ_CLOSING) that moves every period's data window.

click ≥ 8.2's CliRunner keeps stderr apart: `result.stdout` is stdout alone.
"""

from __future__ import annotations

import errno
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.outputs.report import merge_dict, validate_dict
from antq_cli.periods import parse_period_option
from antq_cli.run.files import find_files
from antq_cli.run.merge import merge_files, validate_files
from antq_cli.units.registry import load_registry
from tests import make_sample_data as sample
from tests.builders import Layout, random_values, write_bieu01, write_bieu02
from tests.helpers import SAMPLE_REGISTRY, commune_row, merge_cli, said, sender, villages

DISTRICT = "991"
COMMUNES = ["99101", "99103", "99105"]      # every commune of Huyện Tân Minh

FILE_KEYS = {"path", "status", "form", "unit", "period", "rows", "problems"}
PROBLEM_KEYS = {"severity", "code", "message", "sheet", "cell", "indicator", "unit"}
MERGE_KEYS = {"files", "period", "scope", "totals", "rates", "units", "missing"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner, monkeypatch):
    """Invoke antq with ANTQ_LANG unset; returns the click Result."""
    monkeypatch.delenv("ANTQ_LANG", raising=False)

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(app, [str(a) for a in args], env=env)

    return invoke


def district_registry(folder: Path) -> Path:
    """A registry CSV of Huyện Tân Minh only (province, district, its 3 communes, villages)."""
    keep = {"99", DISTRICT, *COMMUNES}
    lines = ["code,name,level,parent_code"]
    for unit in sample.REGISTRY:
        if unit.code in keep or unit.parent_code in COMMUNES:
            lines.append(f"{unit.code},{unit.name},{unit.level},{unit.parent_code}")
    path = folder / "registry.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_district(folder: Path, communes=COMMUNES, bad: str | None = None) -> Path:
    """bieu-01 of each commune into folder/in/; `bad` gets a not-a-number cell."""
    inbox = folder / "in"
    inbox.mkdir(exist_ok=True)
    for code in communes:
        rows = villages(code)
        if code == bad:
            rows[0] = (rows[0][0], rows[0][1], {**rows[0][2], "tips_received": "nhiều"})
        write_bieu01(inbox / f"bieu01 {code} quy I-2024.xlsx", sender(code), rows, "Quý I/2024",
                     Layout(total_row=None))
    return inbox


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ------------------------------------------------------------------- validate exit codes


def test_validate_clean_file_exits_0(tmp_path, run):
    inbox = write_district(tmp_path, ["99103"])
    [path] = inbox.iterdir()
    result = run("validate", path, "--registry", district_registry(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Không có lỗi." in result.stdout
    assert str(path) in result.stdout


def test_validate_with_only_warnings_exits_0(tmp_path, run):
    path = tmp_path / "BC quy I-2024 xa Tan Duc.xlsx"
    write_bieu01(path, sender("99103"), villages("99103"), "Quý I/2024",
                 Layout(total_formulas=True, extra_sheets=True))
    result = run("validate", path, "--registry", district_registry(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout)["files"][0]["problems"]
    assert {p["severity"] for p in problems} == {"warning"}
    assert {p["code"] for p in problems} == {"total-not-computed", "sheet-skipped"}


def test_validate_with_errors_exits_1(tmp_path, run):
    inbox = write_district(tmp_path, ["99103"], bad="99103")
    result = run("validate", inbox, "--registry", district_registry(tmp_path))
    assert result.exit_code == 1
    assert "not-a-number" in result.stdout
    assert "nhiều" in result.stdout
    assert_no_traceback(result)


@pytest.mark.parametrize("args", [
    ["validate", "khong co tep nay.xlsx"],
    ["validate"],
    ["validate", "{file}", "--bogus"],
    ["validate", "{file}", "--period", "2024-Q5"],
    ["validate", "{file}", "--period", "quý 1"],
    ["validate", "{file}", "--registry", "{broken}"],
    ["validate", "{file}", "--registry", "khong co.csv"],
    ["validate", "{file}", "--format", "xml"],
    ["merge", "khong co thu muc"],
    ["merge", "{file}"],
    ["merge", "{folder}", "--prefer", "oldest"],
    ["merge", "{folder}", "--period", "2024-Q5"],
    ["merge", "{folder}", "--registry", "{broken}"],
    ["merge", "{folder}", "--scope", "99"],
    ["merge", "{folder}", "--registry", "{registry}", "--scope", "12345"],
], ids=lambda args: " ".join(args))
def test_usage_errors_exit_2_without_traceback(tmp_path, run, args):
    inbox = write_district(tmp_path, ["99103"])
    broken = tmp_path / "broken.csv"
    broken.write_text("code,name,level,parent_code\n99,Tỉnh Mẫu Sơn,province,\n"
                      "991,Huyện Tân Minh,district,88\n", encoding="utf-8")
    places = {"{file}": next(inbox.iterdir()), "{folder}": inbox, "{broken}": broken,
              "{registry}": district_registry(tmp_path)}
    result = run(*[places.get(a, a) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip()
    assert_no_traceback(result)


def test_broken_registry_message_names_row_and_column(tmp_path, run):
    inbox = write_district(tmp_path, ["99103"])
    broken = tmp_path / "broken.csv"
    broken.write_text("code,name,level,parent_code\n99,Tỉnh Mẫu Sơn,province,\n"
                      "991,Huyện Tân Minh,district,88\n", encoding="utf-8")
    result = run("merge", inbox, "--registry", broken)
    assert result.exit_code == 2
    assert "parent_code" in result.stderr and "88" in result.stderr and "3" in result.stderr


# ------------------------------------------------------------------- merge exit codes


def test_merge_all_accepted_none_missing_exits_0(tmp_path, run):
    inbox = write_district(tmp_path)
    result = run("merge", inbox, "--registry", district_registry(tmp_path))
    assert result.exit_code == 0, result.output
    assert "3/3 xã đã gửi" in result.stdout


def test_merge_with_a_missing_commune_exits_1(tmp_path, run):
    inbox = write_district(tmp_path, COMMUNES[:2])
    result = run("merge", inbox, "--registry", district_registry(tmp_path), "--format", "json")
    assert result.exit_code == 1
    missing = json.loads(result.stdout)["missing"]
    assert missing == [{"code": "99105", "name": "Xã Sơn Mỹ", "level": "commune",
                        "reason": "not-sent", "forms": ["bieu-01"]}]


def test_merge_with_a_rejected_file_exits_1(tmp_path, run):
    inbox = write_district(tmp_path, bad="99105")
    result = run("merge", inbox, "--registry", district_registry(tmp_path))
    assert result.exit_code == 1
    assert "not-a-number" in result.stdout
    assert "Xã Sơn Mỹ" in result.stdout


def test_merge_without_registry(tmp_path, run):
    inbox = write_district(tmp_path)
    result = run("merge", inbox)
    assert result.exit_code == 0, result.output
    assert "Không có danh mục đơn vị" in result.stdout


# ------------------------------------------------------------------- JSON


def test_validate_json_equals_the_library(tmp_path, run):
    inbox = write_district(tmp_path, bad="99105")
    (inbox / "ghi chu.txt").write_text("ghi chú", encoding="utf-8")
    registry = district_registry(tmp_path)
    result = run("validate", inbox, "--registry", registry, "--period", "2024-Q1",
                 "--format", "json")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)          # stdout is JSON and nothing else
    library = validate_files(find_files(inbox), load_forms(), load_registry(registry),
                             parse_period_option("2024-Q1"))
    assert printed == validate_dict(library, "vi")
    assert set(printed) == {"files"}
    for file in printed["files"]:
        assert set(file) == FILE_KEYS
        for problem in file["problems"]:
            assert set(problem) == PROBLEM_KEYS
    assert [f["status"] for f in printed["files"]] == ["accepted", "accepted", "rejected",
                                                      "skipped"]


def test_merge_json_equals_the_library(tmp_path, run):
    inbox = write_district(tmp_path, COMMUNES[:2])
    write_bieu02(inbox / "xa tan duc bieu 02.xlsx", sender("99103"), commune_row("99103"),
                 "Quý I/2024")
    registry = district_registry(tmp_path)
    result = run("merge", inbox, "--registry", registry, "--format", "json")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    library = merge_files(find_files(inbox), load_forms(), load_registry(registry))
    assert printed == merge_dict(library, "vi")

    assert set(printed) == MERGE_KEYS
    assert printed["period"] == "2024-Q1"
    assert printed["scope"] == {"code": DISTRICT, "name": "Huyện Tân Minh", "level": "district"}
    codes = set(sample.indicator_codes("bieu-01")) | set(sample.indicator_codes("bieu-02"))
    assert set(printed["totals"]) == codes
    households = sum(v["households"] for c in COMMUNES[:2] for _, _, v in villages(c))
    assert printed["totals"]["households"] == households
    assert printed["totals"]["leaflets"] == commune_row("99103")[0][2]["leaflets"]
    for rate in printed["rates"].values():
        assert set(rate) == {"numerator", "denominator", "ratio", "reported"}
    assert printed["rates"]["village_safe_rate"]["denominator"] == 18  # 6 + 5 + 7 villages
    for unit in printed["units"]:
        assert set(unit) == {"code", "name", "level", "parent", "values"}
    for missing in printed["missing"]:
        assert set(missing) == {"code", "name", "level", "reason", "forms"}
        assert missing["forms"] and set(missing["forms"]) <= {"bieu-01", "bieu-02"}
    assert {m["code"] for m in printed["missing"]} == {"99105", "99101"}


def test_json_stays_json_with_a_progress_callback_and_warnings(tmp_path, run):
    """Nothing but the JSON document reaches stdout, even with rejected and skipped files."""
    inbox = write_district(tmp_path, bad="99101")
    (inbox / "notes.txt").write_text("x", encoding="utf-8")
    result = run("merge", inbox, "--format", "json")
    json.loads(result.stdout)
    assert result.stdout.lstrip().startswith("{") and result.stdout.rstrip().endswith("}")


# ------------------------------------------------------------------- languages


def _messages(stdout: str) -> list[str]:
    return [p["message"] for f in json.loads(stdout)["files"] for p in f["problems"]]


def test_lang_en_and_antq_lang(tmp_path, run):
    inbox = write_district(tmp_path, ["99103"], bad="99103")
    registry = district_registry(tmp_path)
    vi = run("validate", inbox, "--registry", registry, "--format", "json")
    en = run("validate", inbox, "--registry", registry, "--format", "json", "--lang", "en")
    env = run("validate", inbox, "--registry", registry, "--format", "json",
              env={"ANTQ_LANG": "en"})
    assert _messages(vi.stdout) == ['"nhiều" không phải là số. Nhập số (ví dụ 1.234), để trống '
                                    'nếu bằng 0.']
    assert _messages(en.stdout) == ['"nhiều" is not a number. Enter a number (e.g. 1.234), or '
                                    'leave it blank for 0.']
    assert _messages(env.stdout) == _messages(en.stdout)
    table = run("validate", inbox, "--registry", registry, "--lang", "en")
    assert "is not a number" in table.stdout and "Error" in table.stdout


def test_lang_en_for_run_stopping_errors(tmp_path, run):
    inbox = write_district(tmp_path, ["99103"])
    result = run("validate", inbox, "--period", "2024-Q5", env={"ANTQ_LANG": "en"})
    assert result.exit_code == 2
    assert "is not valid" in result.stderr


# ------------------------------------------------------------------- forms and help


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_forms_lists_every_form_and_indicator(run, lang):
    result = run("forms", "--lang", lang)
    assert result.exit_code == 0
    for form in ("bieu-01", "bieu-02"):
        assert form in result.stdout
        for code in sample.indicator_codes(form):
            assert code in result.stdout, code
    assert "village_safe_rate" in result.stdout


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "merge", "forms"):
        assert command in result.stdout
    for command in ("validate", "merge", "forms"):
        sub = run(command, "--help")
        assert sub.exit_code == 0 and "--lang" in sub.stdout


def test_no_arguments_shows_help(run):
    result = run()
    assert "validate" in result.output
    assert_no_traceback(result)


def test_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "antq_cli", "--help"], capture_output=True,
                          text=True, timeout=60, cwd=sample.ROOT)
    assert done.returncode == 0, done.stderr
    assert "validate" in done.stdout and "merge" in done.stdout


# ------------------------------------------------------------------- the closing day (--closing)


def test_closing_moves_the_window_everywhere(quarters, monkeypatch):
    base, _ = quarters
    code, output = merge_cli(str(base / "2024-Q1"), "--closing", "14/11")
    assert "Số liệu tính từ 15/11/2023 đến 14/2/2024" in output
    monkeypatch.setenv("ANTQ_CLOSING", "31/12")
    code, output = merge_cli(str(base / "2024-Q1"))
    assert "Số liệu tính từ 1/1/2024 đến 31/3/2024" in output
    monkeypatch.delenv("ANTQ_CLOSING")
    code, output = merge_cli(str(base / "2024-Q1"))
    assert "Số liệu tính từ 15/12/2023 đến 14/3/2024" in output


def test_a_file_dated_by_its_window_is_read_with_the_closing_in_force(tmp_path, monkeypatch):
    folder = tmp_path / "q"
    folder.mkdir()
    rows = [(v.code, v.name, random_values("bieu-01", random.Random(v.code)))
            for v in sample.VILLAGES if v.parent_code == "99101"]
    write_bieu01(folder / "bieu01.xlsx", sender("99101"), rows,
                 "(Từ ngày 15/11/2023 đến ngày 14/2/2024)", Layout())
    monkeypatch.delenv("ANTQ_CLOSING", raising=False)
    code, output = merge_cli(str(folder), "--closing", "14/11", "--format", "json")
    assert json.loads(output)["period"] == "2024-Q1"


def test_a_bad_closing_is_a_usage_error(quarters):
    base, _ = quarters
    code, output = merge_cli(str(base / "2024-Q1"), "--closing", "45/13")
    assert code == 2
    assert "Ngày chốt \"45/13\" không hợp lệ" in output


def test_validate_reads_a_window_with_the_closing_given(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTQ_CLOSING", raising=False)
    rows = [(v.code, v.name, random_values("bieu-01", random.Random(v.code)))
            for v in sample.VILLAGES if v.parent_code == "99101"]
    path = tmp_path / "bieu01.xlsx"
    write_bieu01(path, sender("99101"), rows, "(Từ ngày 15/11/2023 đến ngày 14/2/2024)", Layout())
    result = CliRunner().invoke(app, ["validate", str(path), "--registry", SAMPLE_REGISTRY,
                                      "--closing", "14/11", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["files"][0]["period"] == "2024-Q1"
    result = CliRunner().invoke(app, ["validate", str(path), "--registry", SAMPLE_REGISTRY,
                                      "--format", "json"])
    assert json.loads(result.output)["files"][0]["period"] != "2024-Q1"


# ------------------------------------------------------------------- bad input, no traceback


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04garbage", bytes(range(256)) * 8,
                                     "Tên;Số\n;;;\n".encode("utf-16")],
                         ids=["empty", "bad-zip", "random", "utf16-csv"])
def test_garbage_files_never_give_a_traceback(tmp_path, run, content):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for suffix in (".xlsx", ".xls", ".ods", ".csv", ".xlsm"):
        (inbox / f"tep{suffix}").write_bytes(content)
    for args in (["validate", inbox], ["merge", inbox], ["merge", inbox, "--format", "json"]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert_no_traceback(result)


# ------------------------------------------------------------------- outputs that cannot be written


def test_a_summary_that_cannot_be_written_is_exit_2_after_the_results(tmp_path, run):
    inbox = write_district(tmp_path)
    registry = district_registry(tmp_path)
    (tmp_path / "tep").write_text("a file, not a folder")
    result = run("merge", inbox, "--registry", registry, "--format", "json",
                 "-o", tmp_path / "tep" / "tong hop.xlsx")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["totals"]  # the merge is printed first, whole
    assert said(result.stderr).startswith(f"Không ghi được {tmp_path / 'tep' / 'tong hop.xlsx'}:"
                                          " một phần của đường dẫn là tệp, không phải thư mục.")
    assert_no_traceback(result)


@pytest.mark.parametrize(("error", "words"), [
    (errno.ENOSPC, "ổ đĩa đã đầy"),
    (errno.EACCES, "tệp đang mở trong Excel hoặc thư mục không có quyền ghi"),
    (errno.EROFS, "ổ đĩa hoặc thư mục chỉ cho đọc"),
])
def test_a_full_disk_or_a_file_open_in_excel_is_said_not_an_internal_error(tmp_path, run,
                                                                           monkeypatch, error,
                                                                           words):
    from xlsxwriter.exceptions import FileCreateError

    def close(book):
        raise FileCreateError(OSError(error, os.strerror(error)))

    monkeypatch.setattr("xlsxwriter.Workbook.close", close)
    inbox = write_district(tmp_path)
    out = tmp_path / "ket qua" / "tong hop.xlsx"
    result = run("merge", inbox, "--registry", district_registry(tmp_path), "-o", out)
    assert result.exit_code == 2
    assert "Tổng hợp số liệu" in result.stdout
    assert words in said(result.stderr) and "Lỗi nội bộ" not in result.stderr
    assert list(out.parent.iterdir()) == []  # no temporary file left
    assert_no_traceback(result)


def test_template_and_units_outputs_that_cannot_be_written_are_exit_2(tmp_path, run):
    (tmp_path / "tep").write_text("x")
    result = run("template", "--unit", "99103", "--period", "2024-Q1", "--registry",
                 SAMPLE_REGISTRY, "-o", tmp_path / "tep" / "mau.xlsx")
    assert result.exit_code == 2 and "Không ghi được" in said(result.stderr)
    result = run("units", "--province", "08", "-o", tmp_path / "tep" / "dm.csv", "--lang", "en")
    assert result.exit_code == 2
    assert "Cannot write" in said(result.stderr) and "part of the path is a file" in said(
        result.stderr)


def test_an_annotated_copy_that_cannot_be_written_is_exit_2_after_the_results(tmp_path, run):
    inbox = write_district(tmp_path, ["99103"], bad="99103")
    (tmp_path / "tep").write_text("x")
    result = run("validate", inbox, "--annotate", tmp_path / "tep" / "tra lai")
    assert result.exit_code == 2
    assert "Bị trả lại" in result.stdout and "Không ghi được" in said(result.stderr)
    assert_no_traceback(result)


# ------------------------------------------------------------------- a standard output that fails


def _antq(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "antq_cli", *args], capture_output=False,
                          stderr=subprocess.PIPE, text=True, timeout=120, cwd=sample.ROOT,
                          **options)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_one_line_and_exit_2():
    with open("/dev/full", "w") as full:
        done = _antq("merge", "sample_data/2024-Q1", "--format", "json", stdout=full)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "Không in được kết quả ra đầu ra chuẩn (stdout) (ổ đĩa đã đầy): kết quả bị thiếu. "
        "Chuyển kết quả vào tệp ở ổ đĩa còn chỗ, hoặc dùng -o, rồi chạy lại."]


@pytest.mark.skipif(os.name != "posix", reason="closes a file descriptor")
def test_a_closed_stdout_is_one_line_and_exit_2():
    done = _antq("forms", preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "đầu ra đã bị đóng" in done.stderr


def test_a_reader_that_goes_away_is_exit_141_and_the_summary_is_still_written(tmp_path):
    out = tmp_path / "tong hop.xlsx"
    command = subprocess.Popen([sys.executable, "-m", "antq_cli", "merge", "sample_data/2024-Q1",
                                "-o", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=sample.ROOT)
    command.stdout.close()  # `antq ... | head -0`: nobody reads what it prints
    _, stderr = command.communicate(timeout=120)
    assert command.returncode == 141, stderr
    assert b"Traceback" not in stderr and out.exists()
