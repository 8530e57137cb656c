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
    met = f"{now['met'] / villages * 100:.1f}".replace(".", ",")
    # Every ratio has its percentage, every verb says what the form counts ("được hòa giải").
    assert (f"{now['met']}/{villages} thôn, tổ dân phố ({met}%) tổ chức {fmt('meetings')} buổi "
            f"họp dân với {fmt('households_attending')}/{fmt('households')} hộ dân tham dự, "
            f"tỷ lệ ") in text
    assert f"{fmt('disputes_mediated')} vụ mâu thuẫn được hòa giải" in text
    assert "hòa giải thành" not in text
    assert (f"tội phạm {fmt('crimes_reported')} vụ ({fmt('crimes_theft')} vụ trộm; "
            f"{fmt('crimes_robbery')} vụ cướp; {fmt('crimes_other')} vụ khác)") in text
    assert "So với" not in text  # no comparison asked for


def test_with_compare_the_paragraph_says_how_figures_moved(quarters):
    base, truth = quarters
    now, before = truth["2024-Q1"]["totals"], truth["2023-Q1"]["totals"]
    code, output = merge_cli(str(base / "2024-Q1"), "--compare", str(base / "2023-Q1"),
                             "--paragraph", "--format", "json")
    text = json.loads(output)["paragraph"]
    change = now["meetings"] - before["meetings"]
    percent = f"{abs(change) / before['meetings'] * 100:.1f}".replace(".", ",")
    verb = "tăng" if change > 0 else "giảm"
    assert (f"So với cùng kỳ năm trước (Quý I/2023), số buổi họp dân {verb} "
            f"{format_number(abs(change))} buổi ({percent}%)") in text
    assert "số người tiến bộ, trở thành người tốt" in text.split("So với")[2]
    code, output = merge_cli(str(base / "2024-Q1"), "--compare", str(base / "2023-Q1"),
                             "--paragraph", "--format", "json", "--lang", "en")
    english = json.loads(output)["paragraph"]
    assert "Compared with the same period last year (Q1 2023): village meetings " in english
    assert f"{'up' if change > 0 else 'down'} {abs(change)} meeting" in english


def test_english_words_agree_with_their_figures(tmp_path):
    """"1 wanted person was arrested", "2 wanted persons were arrested"."""
    write_quarter(tmp_path / "q", "Quý I/2024", "plural",
                  zero=("wanted_arrested",))
    code, output = merge_cli(str(tmp_path / "q"), "--paragraph", "--format", "json",
                             "--lang", "en")
    text = json.loads(output)["paragraph"]
    assert "0 wanted persons were arrested" in text
    assert "Across Mẫu Sơn province, " in text
    from antq_cli.outputs.paragraph import Figure

    assert f"{Figure(1, 'en'):person was|persons were}" == "person was"
    assert f"{Figure(2, 'en'):person was|persons were}" == "persons were"
    assert f"{Figure(1234, 'vi')}" == "1.234"


def test_paragraph_in_json_english_and_the_workbook(quarters, tmp_path):
    base, _ = quarters
    code, output = merge_cli(str(base / "2024-Q1"), "--paragraph", "--format", "json")
    vietnamese = json.loads(output)["paragraph"]
    assert vietnamese.startswith("Toàn tỉnh có ")
    code, output = merge_cli(str(base / "2024-Q1"), "--paragraph", "--format", "json",
                          "--lang", "en")
    assert json.loads(output)["paragraph"].startswith("Across Mẫu Sơn province, ")
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
