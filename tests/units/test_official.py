"""The bundled official unit lists (2025 and legacy, official.py) and `antq units` listing them.

The counts are those of QĐ 19/2025/QĐ-TTg (34 provinces; 3,321 communes: 2,621 xã, 687
phường, 13 đặc khu) and of the 63-province list as on 30 June 2025 (696 districts, 10,035
communes). Codes were reused across the reform, so every era check runs both ways.
"""

from __future__ import annotations

import csv
import gzip
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.model import AntqError
from antq_cli.periods import parse_period_option
from antq_cli.units.official import (
    ERAS,
    era_for,
    find_province,
    official_registry,
    official_units,
    pick_era,
    unit_counts,
)
from antq_cli.units.registry import Registry, Unit, load_registry
from tests.helpers import ERA_TITLE, said, shown

DATA = Path(__file__).resolve().parents[2] / "antq_cli" / "data"


@pytest.fixture
def run(monkeypatch):
    """Invoke antq with ANTQ_LANG unset; returns the click Result (stderr kept apart)."""
    monkeypatch.delenv("ANTQ_LANG", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def _type_word(name: str) -> str:
    for word in ("Thành phố", "Tỉnh", "Huyện", "Quận", "Thị xã", "Thị trấn", "Phường", "Xã",
                 "Đặc khu"):
        if name.startswith(word + " "):
            return word
    raise AssertionError(f"no type word in {name!r}")


# ---------------------------------------------------------------- the bundled data


def test_2025_list_has_34_provinces_and_3321_communes():
    units = official_units("2025")
    levels = Counter(unit.level for unit in units)
    assert levels == {"province": 34, "commune": 3321}
    kinds = Counter(_type_word(unit.name) for unit in units if unit.level == "commune")
    assert kinds == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}
    assert Counter(_type_word(u.name) for u in units if u.level == "province") == {
        "Tỉnh": 28, "Thành phố": 6}


def test_legacy_list_has_63_provinces_696_districts_10035_communes():
    units = official_units("legacy")
    assert Counter(unit.level for unit in units) == {
        "province": 63, "district": 696, "commune": 10035}
    kinds = Counter(_type_word(unit.name) for unit in units if unit.level == "commune")
    # By name; the package's type column says 7,695/1,724/616 (see data/SOURCES.md).
    assert kinds == {"Xã": 7692, "Phường": 1726, "Thị trấn": 617}
    # Island districts without communes are kept as districts alone.
    registry = official_registry("legacy")
    empty = {u.name for u in registry.units("district") if not registry.children(u.code)}
    assert empty == {"Huyện Bạch Long Vĩ", "Huyện Cồn Cỏ", "Huyện Hoàng Sa", "Huyện Lý Sơn",
                     "Huyện Côn Đảo"}


@pytest.mark.parametrize("era", ERAS)
def test_bundled_list_is_a_valid_registry_with_official_codes(era):
    units = official_units(era)
    checked = Registry.from_units(units, source=era, era=era)   # every row checked
    assert len(checked) == len(units)
    width = {"province": 2, "district": 3, "commune": 5}
    for unit in units:
        assert unit.code.isdigit() and len(unit.code) == width[unit.level], unit
        assert unicodedata.is_normalized("NFC", unit.name) and unit.name == unit.name.strip()
    assert [u.code for u in checked] == [u.code for u in units]   # parents before children


def test_bundled_files_are_csv_with_the_registry_header():
    for name in ("units-2025.csv.gz", "units-legacy.csv.gz"):
        with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as text:
            assert next(csv.reader(text)) == ["code", "name", "level", "parent_code"]
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert "vietnamadminunits 1.0.4" in sources and "MIT License" in sources
    assert "Copyright (c) 2025 Tran Ngoc Minh Hieu" in sources


def test_units_are_read_once():
    assert official_units("2025") == official_units("2025")
    assert official_registry("legacy") is official_registry("legacy")


@pytest.mark.parametrize("era, code, name, parent", [
    ("2025", "00004", "Phường Ba Đình", "01"),
    ("legacy", "00004", "Phường Trúc Bạch", "001"),
    ("2025", "08", "Tỉnh Tuyên Quang", None),
    ("legacy", "001", "Quận Ba Đình", "01"),
    ("legacy", "02", "Tỉnh Hà Giang", None),
])
def test_spot_checks(era, code, name, parent):
    assert official_registry(era)[code] == Unit(code, name, "province" if parent is None else
                                                ("district" if len(code) == 3 else "commune"),
                                                parent)


# ---------------------------------------------------------------- eras never mix


def test_code_00004_resolves_per_era_and_never_both():
    names = {era: official_registry(era, "01").get("00004").name for era in ERAS}
    assert names == {"2025": "Phường Ba Đình", "legacy": "Phường Trúc Bạch"}
    for era in ERAS:
        registry = official_registry(era, "01")
        assert registry.era == era
        found = [u for u in registry if u.name in ("Phường Ba Đình", "Phường Trúc Bạch")]
        assert [u.name for u in found] == [names[era]]


def test_a_registry_holds_one_era_only():
    current, legacy = official_registry("2025"), official_registry("legacy")
    assert current.levels == ("province", "commune")
    assert legacy.levels == ("province", "district", "commune")
    reused = [u for u in legacy.units("commune") if u.code in current]
    assert len(reused) > 1000   # why codes are never looked up across eras
    assert all(current[u.code].parent != u.parent for u in reused)
    # Provinces that exist in one era only are found in that era only.
    assert find_province("Hà Giang", "2025") is None
    assert find_province("Hà Giang", "legacy").code == "02"
    assert find_province("02", "2025") is None
    with pytest.raises(ValueError):
        official_units("2019")


def test_loaded_user_registry_has_no_era(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("code,name,level,parent_code\n08,Tỉnh Tuyên Quang,province,\n",
                    encoding="utf-8")
    assert load_registry(path).era is None


@pytest.mark.parametrize("period, era", [
    (None, "2025"), ("2024-Q1", "legacy"), ("2025-Q2", "legacy"), ("2025-H1", "legacy"),
    ("2025-06", "legacy"), ("2025-07", "2025"), ("2025-Q3", "2025"), ("2025-9M", "2025"),
    ("2025", "2025"), ("2026-Q1", "2025"),
])
def test_era_of_a_period_follows_its_data_window(period, era):
    assert era_for(parse_period_option(period) if period else None) == era


def test_pick_era_prefers_the_era_then_the_period():
    assert pick_era("legacy", "2025-Q4") == "legacy"
    assert pick_era(None, "2024-Q1") == "legacy"
    assert pick_era(None, None) == "2025"
    with pytest.raises(AntqError) as raised:
        pick_era(None, "quý năm")
    assert raised.value.code == "bad-period"


# ---------------------------------------------------------------- finding a province


@pytest.mark.parametrize("written, code", [
    ("08", "08"), ("8", "08"), (" 08 ", "08"), ("Tuyên Quang", "08"), ("tuyen quang", "08"),
    ("TỈNH TUYÊN QUANG", "08"), ("Tỉnh  Tuyên Quang", "08"), ("Thành phố Hà Nội", "01"),
    ("ha noi", "01"), ("Hồ Chí Minh", "79"), ("Khánh Hoà", "56"), ("Huế", "46"),
])
@pytest.mark.parametrize("era", ERAS)
def test_find_province_by_code_or_name(era, written, code):
    assert find_province(written, era).code == code


@pytest.mark.parametrize("written", ["00004", "001", "99", "xyz", "", "Phường Ba Đình"])
def test_find_province_refuses_what_is_no_province(written):
    assert find_province(written, "2025") is None


def test_unknown_province_names_the_closest_and_the_other_era():
    with pytest.raises(AntqError) as raised:
        official_registry("2025", "Tuyen Qung")
    assert raised.value.code == "unknown-province"
    assert "Tỉnh Tuyên Quang" in shown(raised.value, "hint")
    with pytest.raises(AntqError) as raised:
        official_registry("2025", "Hà Giang")
    assert "--era legacy" in shown(raised.value, "hint")


def test_unit_counts():
    legacy = official_registry("legacy", "01")
    assert unit_counts(legacy) == {"province": 1, "district": 30, "commune": 526}
    by_district = [unit_counts(legacy, u.code).get("commune", 0) for u in legacy.children("01")]
    assert len(by_district) == 30 and sum(by_district) == 526
    assert unit_counts(legacy, "00004") == {}
    assert unit_counts(official_registry("2025"), "08") == {"commune": 124}


# ---------------------------------------------------------------- antq units


def test_units_lists_the_provinces(run):
    result = run("units")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Cả nước: 34 tỉnh, 3.321 xã — {ERA_TITLE['2025']}"
    assert lines[1].split() == ["Mã", "Tỉnh,", "thành", "phố", "Số", "xã"]
    assert lines[2].split() == ["01", "Thành", "phố", "Hà", "Nội", "126"]
    assert len(lines) == 2 + 34
    assert any(line.split() == ["08", "Tỉnh", "Tuyên", "Quang", "124"] for line in lines)


def test_units_legacy_counts_districts(run):
    result = run("units", "--era", "legacy")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Cả nước: 63 tỉnh, 696 huyện, 10.035 xã — {ERA_TITLE['legacy']}"
    assert lines[2].split() == ["01", "Thành", "phố", "Hà", "Nội", "30", "526"]
    assert len(lines) == 2 + 63


def test_units_of_one_province(run):
    result = run("units", "--province", "tuyen quang")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Tỉnh Tuyên Quang: 124 xã — {ERA_TITLE['2025']}"
    assert lines[2].split() == ["00691", "Phường", "Hà", "Giang", "2"]
    assert len(lines) == 2 + 124


def test_units_of_a_legacy_province_nest_communes_under_districts(run):
    result = run("units", "--province", "01", "--period", "2024-Q1")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Thành phố Hà Nội: 30 huyện, 526 xã — {ERA_TITLE['legacy']}"
    assert lines[2].rstrip() == " 001    Quận Ba Đình"
    assert lines[4].rstrip() == " 00004    Phường Trúc Bạch"
    assert "Phường Ba Đình" not in result.stdout
    assert len(lines) == 2 + 30 + 526


def test_units_in_english(run):
    result = run("units", "--province", "8", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "Tỉnh Tuyên Quang: 124 communes — official list of 2025 (Decision 19/2025/QĐ-TTg)")
    assert result.stdout.splitlines()[1].split() == ["Code", "Name"]


def test_unknown_province_exits_2_with_a_vietnamese_message(run):
    result = run("units", "--province", "Hà Giang")
    assert result.exit_code == 2
    assert result.stdout == ""
    message = said(result.stderr)
    assert message.startswith("Không có tỉnh, thành phố \"Hà Giang\" trong " + ERA_TITLE["2025"])
    assert "Tỉnh Hà Giang (02) có trong danh mục 63 tỉnh, thành phố trước 1/7/2025: thêm " \
           "--era legacy." in message
    assert "Traceback" not in result.output


def test_unknown_province_in_english(run):
    result = run("units", "--province", "Tuyen Qung", "--lang", "en")
    assert result.exit_code == 2
    message = said(result.stderr)
    assert message.startswith("There is no province \"Tuyen Qung\" in the official list of 2025")
    assert "Closest: Tỉnh Tuyên Quang." in message


def test_bad_era_and_bad_period_are_usage_errors(run):
    assert run("units", "--era", "2019").exit_code == 2
    result = run("units", "--period", "Q5/2024")
    assert result.exit_code == 2 and "Kỳ \"Q5/2024\" không hợp lệ" in said(result.stderr)


def test_units_has_help(run):
    result = run("units", "--help")
    assert result.exit_code == 0
    for option in ("--province", "--era", "--period", "--output", "--lang"):
        assert option in result.stdout
