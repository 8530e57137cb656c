"""No figure without its caveat, through the command: nothing accepted, unfilled templates, units
without data, a scope narrower than the registry, other units' files, replaced summaries,
file names in an old code page, the language of labels and usage errors, period spellings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.outputs.template import write_template
from antq_cli.periods import parse_period_option
from antq_cli.units.registry import load_registry
from tests import make_sample_data as sample
from tests.builders import Layout, table_sheet, write_bieu01, write_workbook
from tests.helpers import SAMPLE_REGISTRY, _cp1258, commune_row, sender, villages

ROOT = Path(__file__).resolve().parents[2]
QUARTER = sample.SAMPLE_DIR / "2024-Q1"
COMMUNES = [u.code for u in sample.REGISTRY if u.level == "commune"]


def run(*args: object, lang: str = "vi"):
    """antq through CliRunner, stdout and stderr apart."""
    return CliRunner().invoke(app, [str(a) for a in args], env={"ANTQ_LANG": lang,
                                                                "COLUMNS": "160"})


def words(text: str) -> str:
    """The words of a terminal output, table borders and line breaks gone (cells wrap)."""
    return " ".join(text.translate(str.maketrans("│┃┏┓┗┛━─┡┩╇┳┻┼┬┴╋└┘┌┐", " " * 21)).split())


def merge_json(folder: Path, *args: object) -> tuple[int, dict]:
    result = run("merge", folder, "--registry", SAMPLE_REGISTRY, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


# ----------------------------------------------------------------------- nothing accepted

@pytest.mark.parametrize("content", [None, b"%PDF-1.4 a report scanned to PDF"])
def test_nothing_accepted_exits_1_and_every_commune_is_missing(tmp_path, content):
    folder = tmp_path / "bao cao"
    folder.mkdir()
    if content is not None:
        (folder / "bao cao quy 1.pdf").write_bytes(content)
    code, data = merge_json(folder)
    assert code == 1
    assert sorted(m["code"] for m in data["missing"]) == sorted(COMMUNES)
    assert data["scope"]["code"] == "99"  # the registry's root: nothing told otherwise
    assert all(value is None for value in data["totals"].values())
    table = run("merge", folder, "--registry", SAMPLE_REGISTRY)
    assert table.exit_code == 1
    assert "Không có tệp báo cáo nào được nhận" in table.stdout
    assert "Số buổi họp dân" not in table.stdout  # no table of zeros
    assert "0/10 xã đã gửi" in table.stdout


def test_validate_of_a_file_that_is_not_a_spreadsheet_is_an_error(tmp_path):
    pdf = tmp_path / "bao cao.pdf"
    pdf.write_bytes(b"%PDF-1.4 a report scanned to PDF")
    named = run("validate", pdf)
    assert named.exit_code == 1
    assert "unreadable-file" in named.stdout and "Không có lỗi" not in named.stdout
    folder = run("validate", tmp_path)  # found in a folder: skipped, and nothing was checked
    assert folder.exit_code == 1
    assert "Không có tệp báo cáo nào để kiểm tra" in folder.stdout


# ------------------------------------------------------------- unfilled, blank and zero

def test_an_unfilled_template_is_rejected_and_its_commune_stays_missing(tmp_path):
    folder = tmp_path / "q1"
    shutil.copytree(QUARTER, folder)
    forms, registry = load_forms(), load_registry(SAMPLE_REGISTRY)
    write_template(folder / "Dong Thanh - mau chua dien.xlsx", "99207", registry, forms,
                   parse_period_option("2024-Q1"))
    code, data = merge_json(folder)
    [blank] = [f for f in data["files"] if "mau chua dien" in f["path"]]
    assert blank["status"] == "rejected"
    assert [p["code"] for p in blank["problems"] if p["severity"] == "error"] == [
        "empty-submission"]
    assert "99207" in [m["code"] for m in data["missing"]] and code == 1


def test_all_zero_is_a_warning_and_a_blank_form_is_not_counted_as_sent(tmp_path):
    who = sender("99103")
    zeros = [(code, name, dict.fromkeys(values, 0)) for code, name, values in villages("99103")]
    write_bieu01(tmp_path / "tan duc bieu 01.xlsx", who, zeros, "Quý I/2024", Layout())
    result = run("validate", tmp_path / "tan duc bieu 01.xlsx", "--registry", SAMPLE_REGISTRY,
                 "--format", "json")
    [file] = json.loads(result.stdout)["files"]
    assert file["status"] == "accepted" and "all-zero" in [p["code"] for p in file["problems"]]
    # One workbook, Biểu 01 filled and Biểu 02 left blank: only Biểu 01 counts.
    blank02 = [(code, name, dict.fromkeys(values)) for code, name, values in commune_row("99103")]
    path = tmp_path / "both.xlsx"
    write_workbook(path, [
        table_sheet("bieu-01", who, villages("99103"), "Quý I/2024", Layout()),
        table_sheet("bieu-02", who, blank02, "Quý I/2024", Layout(total_row=None))])
    result = run("validate", path, "--registry", SAMPLE_REGISTRY, "--format", "json")
    [file] = json.loads(result.stdout)["files"]
    assert file["status"] == "accepted" and file["form"] == "bieu-01"
    assert "blank-form" in [p["code"] for p in file["problems"]]


# --------------------------------------------------------------- units without data

def test_a_rejected_commune_is_not_reported_never_zero():
    code, data = merge_json(QUARTER)
    units = {u["code"]: u for u in data["units"]}
    # Phường Trung Sơn's Biểu 01 was rejected: its villages have no figures, not zeros.
    trung_son = [u for u in data["units"] if u["parent"] == "99303" and u["level"] == "village"]
    assert trung_son and all(set(u["values"].values()) == {None} for u in trung_son)
    assert units["99303"]["values"]["meetings"] is None
    assert units["99303"]["values"]["civil_defense_teams"] is not None  # its Biểu 02 came
    rate = data["rates"]["village_safe_rate"]
    assert (rate["numerator"], rate["denominator"], rate["reported"]) == (45, 60, 50)
    table = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY)
    assert "45/60 (75,0%) — 10 thôn chưa báo cáo" in table.stdout
    shown = words(table.stdout)  # per district, a column of its units without data
    assert "Chưa báo" in shown and "4 thôn," in shown and "6 thôn" in shown


def test_compare_and_paragraph_say_who_is_missing():
    result = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, "--paragraph",
                 "--compare", sample.SAMPLE_DIR / "2023-Q1")
    assert "Lưu ý: kỳ này 10 thôn, 1 xã chưa báo cáo" in words(result.stdout)
    paragraph = result.stdout.split("Đoạn tóm tắt")[1].strip()
    assert "\n" not in paragraph  # one line, to paste into Word
    assert paragraph.endswith("Chưa có báo cáo (không có trong số liệu trên): Xã Đông Thạnh; "
                              "Phường Trung Sơn (Biểu 01, tệp bị trả lại).")


# --------------------------------------------------------------------------- scope

def test_a_scope_narrower_than_the_registry_says_how_to_widen_it(tmp_path):
    folder = tmp_path / "song phan"
    folder.mkdir()
    for path in QUARTER.iterdir():
        if any(word in path.name for word in ("Phan Lam", "PhuXuan", "Hoa Thuan")):
            shutil.copy(path, folder / path.name)
    result = run("merge", folder, "--registry", SAMPLE_REGISTRY)
    assert ("Phạm vi: Huyện Sông Phan (theo các tệp đã gửi; --scope 99 để tổng hợp toàn tỉnh)"
            in result.stdout)


def test_with_scope_other_units_files_are_one_line_and_not_in_the_exit_code(tmp_path):
    result = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, "--scope", "991",
                 "-o", tmp_path / "991.xlsx")
    assert result.exit_code == 0  # Trung Sơn's rejected file is another district's business
    assert "tệp của đơn vị ngoài Huyện Tân Minh (--scope)" in result.stdout
    assert "Trung Son" not in result.stdout
    book = openpyxl.load_workbook(tmp_path / "991.xlsx", read_only=True)
    listed = [row[1] for row in book["Tệp đã đọc"].iter_rows(values_only=True) if row[1]]
    assert not any("Trung Son" in str(name) for name in listed)


# ---------------------------------------------------------------- outputs and names

def test_replacing_an_earlier_summary_is_said(tmp_path):
    target = tmp_path / "tong hop.xlsx"
    first = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, "-o", target)
    second = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, "-o", target)
    assert "thay cho bảng tổng hợp" not in first.stdout
    assert "thay cho bảng tổng hợp có sẵn ở đó" in second.stdout


def test_a_file_name_in_an_old_code_page_works_in_every_output(tmp_path):
    folder = tmp_path / "zip cu"
    folder.mkdir()
    # "Xã Tân Đức.xlsx" as an old zip tool wrote it: Windows-1258 bytes, not UTF-8.
    name = _cp1258("Xã Tân Đức.xlsx")
    shutil.copy(QUARTER / "BC quy I-2024 xa Tan Duc.xlsx", os.fsencode(folder) + b"/" + name)
    code, data = merge_json(folder)
    assert [Path(f["path"]).name for f in data["files"]] == ["Xã Tân Đức.xlsx"]
    written = run("merge", folder, "--registry", SAMPLE_REGISTRY, "-o", tmp_path / "s.xlsx")
    assert written.exit_code in (0, 1) and (tmp_path / "s.xlsx").exists()
    assert "Xã Tân Đức.xlsx" in written.stdout or "Lỗi nội bộ" not in written.stdout


# ----------------------------------------------------------------------------- language

def test_english_labels_and_headers():
    result = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, lang="en")
    shown = words(result.stdout)
    assert "Village meetings held" in shown and "Số buổi họp dân" not in shown
    assert "Safe" in shown and "villages" in shown and "village_safe_rate" not in shown
    assert "45/60 (75.0%) — 10 villages not reported" in result.stdout


@pytest.mark.parametrize(("args", "vi", "en"), [
    (["merge", "khong co thu muc"], 'Không có thư mục "khong co thu muc"',
     'There is no folder "khong co thu muc"'),
    (["merge", SAMPLE_REGISTRY], "là một tệp, không phải thư mục",
     "is a file, not a folder"),
    (["validate", str(QUARTER), "--registry", str(QUARTER)], "là một thư mục, không phải tệp",
     "is a folder, not a file"),
])
def test_path_errors_in_the_users_language(args, vi, en):
    for lang, words in (("vi", vi), ("en", en)):
        result = run(*args, lang=lang)
        assert result.exit_code == 2 and words in result.stderr, result.output


@pytest.mark.parametrize(("args", "vi"), [
    (["merge", str(QUARTER), "--bogus"], "Lệnh chưa đúng: không có tùy chọn --bogus"),
    (["validate"], "Lệnh chưa đúng: thiếu"),
])
def test_usage_errors_of_the_command_in_vietnamese(args, vi):
    done = subprocess.run([sys.executable, "-m", "antq_cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "ANTQ_LANG": "vi"})
    assert done.returncode == 2 and vi in done.stderr and "Traceback" not in done.stderr


def test_version_and_short_help():
    assert run("--version").stdout.startswith("antq ")
    assert "merge" in run("-h").stdout and "--registry" in run("merge", "-h").stdout


# ------------------------------------------------------------------------------ periods

@pytest.mark.parametrize("written", ["2024-Q1", "2024Q1", "Q1/2024", "I/2024", "q1-2024"])
def test_period_spellings(written):
    assert parse_period_option(written).code == "2024-Q1"
    result = run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, "--period", written)
    assert result.exit_code == 1 and "Kỳ báo cáo: Quý I/2024" in result.stdout


def test_a_year_out_of_range_has_its_own_message():
    result = run("merge", QUARTER, "--period", "2204-Q1")
    assert result.exit_code == 2
    assert 'Năm 2204 của kỳ "2204-Q1" nằm ngoài 2000–2099' in result.stderr


def test_the_summary_workbook_says_not_reported_instead_of_zeros(tmp_path):
    target = tmp_path / "993.xlsx"
    run("merge", QUARTER, "--registry", SAMPLE_REGISTRY, "--scope", "993", "-o", target)
    sheet = openpyxl.load_workbook(target)["Tổng hợp bieu-01"]
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
    assert rows["99303"][3] == "chưa báo cáo"  # Phường Trung Sơn's Biểu 01 was rejected
    assert isinstance(rows["99301"][3], int | float)  # Phường Bạch Thông's figures
