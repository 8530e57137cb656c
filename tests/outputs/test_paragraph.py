"""paragraph.py: the headline paragraph of a merge (`antq merge --paragraph`) and its sentences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.outputs.paragraph import area
from antq_cli.outputs.words import format_number
from tests import make_sample_data as sample
from tests.helpers import merge_cli, write_quarter

ROOT = Path(__file__).resolve().parents[2]


def test_paragraph_says_the_headline_figures(quarters):
    base, truth = quarters
    now = truth["2024-Q1"]
    code, output = merge_cli(str(base / "2024-Q1"), "--paragraph")
    assert code == 0
    text = " ".join(output.split("Đoạn tóm tắt", 1)[1].split())
    villages = len(sample.VILLAGES)
    percent = f"{now['safe'] / villages * 100:.1f}".replace(".", ",")
    assert (f"Toàn tỉnh có {now['safe']}/{villages} thôn, tổ dân phố ({percent}%) đạt tiêu "
            f"chuẩn \"An toàn về an ninh, trật tự\".") in text
    totals = now["totals"]
    fmt = lambda key: format_number(totals[key], "vi")  # noqa: E731
    assert (f"{now['met']}/{villages} thôn, tổ dân phố tổ chức {fmt('meetings')} buổi họp dân "
            f"với {fmt('households_attending')}/{fmt('households')} hộ dân tham dự") in text
    assert (f"tội phạm {fmt('crimes_reported')} vụ ({fmt('crimes_theft')} vụ trộm; "
            f"{fmt('crimes_robbery')} vụ cướp; {fmt('crimes_other')} vụ khác)") in text


def test_paragraph_in_json_english_and_the_workbook(quarters, tmp_path):
    base, _ = quarters
    code, output = merge_cli(str(base / "2024-Q1"), "--paragraph", "--format", "json")
    vietnamese = json.loads(output)["paragraph"]
    assert vietnamese.startswith("Toàn tỉnh có ")
    code, output = merge_cli(str(base / "2024-Q1"), "--paragraph", "--format", "json",
                          "--lang", "en")
    assert json.loads(output)["paragraph"].startswith("Across Tỉnh Mẫu Sơn, ")
    out = tmp_path / "p.xlsx"
    merge_cli(str(base / "2024-Q1"), "-o", str(out))
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Tổng hợp").to_python()
    assert any(cell == vietnamese for row in rows for cell in row)


def test_a_sentence_about_a_figure_that_is_zero_is_left_out(tmp_path):
    write_quarter(tmp_path / "q", "Quý I/2024", "calm", zero=("crimes_reported",))
    code, output = merge_cli(str(tmp_path / "q"), "--paragraph", "--format", "json")
    assert code == 0
    text = json.loads(output)["paragraph"]
    assert text.startswith("Toàn tỉnh có") and "tố giác" not in text


def test_a_bad_sentence_template_names_the_form_file_and_field(tmp_path, monkeypatch):
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "schemas", forms)
    path = forms / "bieu-01.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{village_safe_rate.num}/", "{village_safe_ratio.num}/", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["forms", "--forms", "forms"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "bieu-01.toml" in text and "paragraph[0].text" in text
    assert "village_safe_ratio" in text


@pytest.mark.parametrize(("name", "expected"), [
    ("Tỉnh Mẫu Sơn", "toàn tỉnh"), ("Thành phố Hà Nội", "toàn thành phố"),
    ("Huyện Tân Đức", "toàn huyện"), ("Phường Ba Đình", "toàn phường"),
    ("Đặc khu Phú Quốc", "toàn đặc khu"), ("Mẫu Sơn", "toàn Mẫu Sơn"), (None, "toàn địa bàn"),
])
def test_area_words(name, expected):
    assert area(name) == expected
