"""What a merge adds for the report: --compare, --paragraph and --closing."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.run.compare import OTHER, PREVIOUS_PERIOD, SAME_PERIOD_LAST_YEAR, previous_period, relation
from antq_cli.outputs.messages import format_number
from antq_cli.outputs.paragraph import area
from antq_cli.periods import Period, parse_period_option
from tests import make_sample_data as sample
from tests.builders import Layout, random_values, write_bieu01, write_bieu02
from tests.helpers import sender

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = str(ROOT / "sample_data" / "registry.csv")
COMMUNES = [u.code for u in sample.COMMUNES]


def _quarter(folder: Path, period_text: str, seed: str, zero: tuple[str, ...] = ()) -> dict:
    """Both forms for every sample commune; returns the truth: totals and village counts."""
    folder.mkdir(parents=True, exist_ok=True)
    totals: dict[str, int] = {}
    safe = met = 0
    for code in COMMUNES:
        rng = random.Random(f"{seed}:{code}")
        rows = []
        for village in (v for v in sample.VILLAGES if v.parent_code == code):
            values = random_values("bieu-01", rng) | {k: 0 for k in zero if k in
                                                        random_values("bieu-01", rng)}
            rows.append((village.code, village.name, values))
            safe += values["village_safe"]
            met += values["meetings"] > 0
        own = random_values("bieu-02", rng)
        for key in zero:
            if key in own:
                own[key] = 0
        if "crimes_reported" in zero:
            own.update(crimes_theft=0, crimes_robbery=0, crimes_other=0)
        for values in [r[2] for r in rows] + [own]:
            for key, value in values.items():
                totals[key] = totals.get(key, 0) + value
        write_bieu01(folder / f"bieu01 {code}.xlsx", sender(code), rows, period_text)
        write_bieu02(folder / f"bieu02 {code}.xlsx", sender(code),
                     [(code, sample.UNITS[code].name, own)], period_text)
    return {"totals": totals, "safe": safe, "met": met}


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    base = tmp_path_factory.mktemp("quarters")
    truth = {
        "2024-Q1": _quarter(base / "2024-Q1", "Quý I/2024", "now"),
        "2023-Q1": _quarter(base / "2023-Q1", "Quý I/2023", "last year"),
        "2023-Q4": _quarter(base / "2023-Q4", "Quý IV/2023", "last quarter"),
    }
    return base, truth


def _merge(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["merge", *args, "--registry", REGISTRY])
    return result.exit_code, result.output


def test_compare_with_the_same_quarter_last_year(quarters):
    base, truth = quarters
    code, output = _merge(str(base / "2024-Q1"), "--compare", str(base / "2023-Q1"),
                          "--format", "json")
    assert code == 0
    data = json.loads(output)
    compare = data["compare"]
    assert compare["relation"] == SAME_PERIOD_LAST_YEAR and compare["period"] == "2023-Q1"
    now, before = truth["2024-Q1"]["totals"], truth["2023-Q1"]["totals"]
    for key, value in now.items():
        change = compare["totals"][key]
        assert data["totals"][key] == value
        assert change["previous"] == before[key]
        assert change["change"] == value - before[key]
        expected = None if before[key] == 0 else (value - before[key]) / before[key] * 100
        assert change["percent"] == (None if expected is None else pytest.approx(expected, abs=1e-6))
    safe = compare["rates"]["village_safe_rate"]
    assert safe["previous"]["numerator"] == truth["2023-Q1"]["safe"]
    assert safe["previous"]["denominator"] == len(sample.VILLAGES)
    points = (truth["2024-Q1"]["safe"] - truth["2023-Q1"]["safe"]) / len(sample.VILLAGES) * 100
    assert safe["points"] == pytest.approx(points, abs=1e-6)


def test_compare_with_the_previous_quarter_from_its_summary_workbook(quarters, tmp_path):
    base, truth = quarters
    summary = tmp_path / "tong hop 2023-Q4.xlsx"
    code, _ = _merge(str(base / "2023-Q4"), "-o", str(summary))
    assert code == 0 and summary.exists()
    code, output = _merge(str(base / "2024-Q1"), "--compare", str(summary), "--format", "json")
    compare = json.loads(output)["compare"]
    assert compare["relation"] == PREVIOUS_PERIOD and compare["period"] == "2023-Q4"
    assert {k: v["previous"] for k, v in compare["totals"].items()} == truth["2023-Q4"]["totals"]


def test_compare_columns_in_the_terminal_and_the_workbook(quarters, tmp_path):
    base, truth = quarters
    out = tmp_path / "q1.xlsx"
    code, output = _merge(str(base / "2024-Q1"), "--compare", str(base / "2023-Q1"), "-o",
                          str(out))
    assert code == 0
    assert "So với cùng kỳ: Quý I/2023" in output
    assert "Cùng kỳ (Quý I/2023)" in output and "Tăng/giảm" in output
    now, before = truth["2024-Q1"]["totals"], truth["2023-Q1"]["totals"]
    change = now["households"] - before["households"]
    shown = ("+" if change > 0 else "") + format_number(change, "vi")
    line = next(l for l in output.splitlines() if "Tổng số hộ" in l)
    assert format_number(before["households"], "vi") in line and shown in line
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Tổng hợp").to_python()
    header = next(r for r in rows if "Kỳ này" in r)
    assert "Cùng kỳ (Quý I/2023)" in header and "Tăng/giảm" in header
    households = next(r for r in rows if "Tổng số hộ" in r)
    assert households[3:6] == [now["households"], before["households"], change]


def test_compare_with_nothing_accepted_is_a_usage_error(quarters, tmp_path):
    base, _ = quarters
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "note.txt").write_text("nothing here", encoding="utf-8")
    code, output = _merge(str(base / "2024-Q1"), "--compare", str(empty))
    assert code == 2
    assert "Không có tệp nào được nhận" in output


def test_paragraph_says_the_headline_figures(quarters):
    base, truth = quarters
    now = truth["2024-Q1"]
    code, output = _merge(str(base / "2024-Q1"), "--paragraph")
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
    code, output = _merge(str(base / "2024-Q1"), "--paragraph", "--format", "json")
    vietnamese = json.loads(output)["paragraph"]
    assert vietnamese.startswith("Toàn tỉnh có ")
    code, output = _merge(str(base / "2024-Q1"), "--paragraph", "--format", "json",
                          "--lang", "en")
    assert json.loads(output)["paragraph"].startswith("Across Tỉnh Mẫu Sơn, ")
    out = tmp_path / "p.xlsx"
    _merge(str(base / "2024-Q1"), "-o", str(out))
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Tổng hợp").to_python()
    assert any(cell == vietnamese for row in rows for cell in row)


def test_a_sentence_about_a_figure_that_is_zero_is_left_out(tmp_path):
    _quarter(tmp_path / "q", "Quý I/2024", "calm", zero=("crimes_reported",))
    code, output = _merge(str(tmp_path / "q"), "--paragraph", "--format", "json")
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


@pytest.mark.parametrize(("current", "earlier", "expected"), [
    ("2024-Q1", "2023-Q1", SAME_PERIOD_LAST_YEAR), ("2024-Q1", "2023-Q4", PREVIOUS_PERIOD),
    ("2024-Q3", "2024-Q2", PREVIOUS_PERIOD), ("2024-H1", "2023-H2", PREVIOUS_PERIOD),
    ("2024-H2", "2024-H1", PREVIOUS_PERIOD), ("2024", "2023", SAME_PERIOD_LAST_YEAR),
    ("2024-03", "2024-02", PREVIOUS_PERIOD), ("2024-01", "2023-12", PREVIOUS_PERIOD),
    ("2024-9M", "2023-9M", SAME_PERIOD_LAST_YEAR), ("2024-Q1", "2022-Q1", OTHER),
    ("2024-Q1", "2024-H1", OTHER),
])
def test_period_relations(current, earlier, expected):
    assert relation(parse_period_option(current), parse_period_option(earlier)) == expected


def test_previous_period_of_nine_months_is_none():
    assert previous_period(Period(2024, "9M", 0)) is None


def test_closing_moves_the_window_everywhere(quarters, monkeypatch):
    base, _ = quarters
    code, output = _merge(str(base / "2024-Q1"), "--closing", "14/11")
    assert "Số liệu tính từ 15/11/2023 đến 14/2/2024" in output
    monkeypatch.setenv("ANTQ_CLOSING", "31/12")
    code, output = _merge(str(base / "2024-Q1"))
    assert "Số liệu tính từ 1/1/2024 đến 31/3/2024" in output
    monkeypatch.delenv("ANTQ_CLOSING")
    code, output = _merge(str(base / "2024-Q1"))
    assert "Số liệu tính từ 15/12/2023 đến 14/3/2024" in output


def test_a_file_dated_by_its_window_is_read_with_the_closing_in_force(tmp_path, monkeypatch):
    folder = tmp_path / "q"
    folder.mkdir()
    rows = [(v.code, v.name, random_values("bieu-01", random.Random(v.code)))
            for v in sample.VILLAGES if v.parent_code == "99101"]
    write_bieu01(folder / "bieu01.xlsx", sender("99101"), rows,
                 "(Từ ngày 15/11/2023 đến ngày 14/2/2024)", Layout())
    monkeypatch.delenv("ANTQ_CLOSING", raising=False)
    code, output = _merge(str(folder), "--closing", "14/11", "--format", "json")
    assert json.loads(output)["period"] == "2024-Q1"


def test_a_bad_closing_is_a_usage_error(quarters):
    base, _ = quarters
    code, output = _merge(str(base / "2024-Q1"), "--closing", "45/13")
    assert code == 2
    assert "Ngày chốt \"45/13\" không hợp lệ" in output


def test_the_sample_compares_with_its_quarter_last_year():
    code, output = _merge(str(ROOT / "sample_data" / "2024-Q1"), "--compare",
                          str(ROOT / "sample_data" / "2023-Q1"), "--format", "json")
    assert code == 1  # the sample's own problems; the comparison does not change the code
    compare = json.loads(output)["compare"]
    assert compare["relation"] == SAME_PERIOD_LAST_YEAR
    assert {k: v["previous"] for k, v in compare["totals"].items()} == \
        sample.expected_last_year_totals()


def test_the_same_summary_can_be_written_again_in_the_folder(quarters, tmp_path):
    base, truth = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    out = folder / "tong hop.xlsx"
    first, _ = _merge(str(folder), "-o", str(out))
    second, output = _merge(str(folder), "-o", str(out), "--format", "json")
    assert first == second == 0  # the old summary is skipped (own-summary), then rewritten
    data = json.loads(output.split("Đã ghi")[0])
    assert data["totals"] == truth["2024-Q1"]["totals"]
    summary = next(f for f in data["files"] if f["path"].endswith("tong hop.xlsx"))
    assert summary["status"] == "skipped"
    assert [p["code"] for p in summary["problems"]] == ["own-summary"]


def test_a_submission_is_never_overwritten_by_the_summary(quarters, tmp_path):
    base, _ = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    victim = folder / "bieu01 99101.xlsx"
    before = victim.read_bytes()
    code, output = _merge(str(folder), "-o", str(victim))
    assert code == 2 and "Không ghi đè" in output
    assert victim.read_bytes() == before


def test_an_excel_lock_file_is_skipped_and_harmless(quarters, tmp_path):
    base, truth = quarters
    folder = tmp_path / "q"
    shutil.copytree(base / "2024-Q1", folder)
    (folder / "~$bieu01 99101.xlsx").write_bytes(b"\x0cNguyen Van A" + b"\x00" * 150)
    code, output = _merge(str(folder), "--format", "json")
    assert code == 0
    data = json.loads(output)
    lock = next(f for f in data["files"] if "~$" in f["path"])
    assert lock["status"] == "skipped" and lock["problems"][0]["code"] == "lock-file"
    assert "bieu01 99101.xlsx" in lock["problems"][0]["message"]
    assert data["totals"] == truth["2024-Q1"]["totals"]


def test_validate_reads_a_window_with_the_closing_given(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTQ_CLOSING", raising=False)
    rows = [(v.code, v.name, random_values("bieu-01", random.Random(v.code)))
            for v in sample.VILLAGES if v.parent_code == "99101"]
    path = tmp_path / "bieu01.xlsx"
    write_bieu01(path, sender("99101"), rows, "(Từ ngày 15/11/2023 đến ngày 14/2/2024)", Layout())
    result = CliRunner().invoke(app, ["validate", str(path), "--registry", REGISTRY,
                                      "--closing", "14/11", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["files"][0]["period"] == "2024-Q1"
    result = CliRunner().invoke(app, ["validate", str(path), "--registry", REGISTRY,
                                      "--format", "json"])
    assert json.loads(result.output)["files"][0]["period"] != "2024-Q1"
