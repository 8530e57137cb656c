"""sample_data/: merged by the library and the CLI it gives the truth of make_sample_data.py.

And sample_data/ is exactly what its generator writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.model import ACCEPTED, REJECTED, SKIPPED
from antq_cli.outputs.report import merge_dict
from antq_cli.run.files import find_files
from antq_cli.run.merge import MergeResult, merge_files
from antq_cli.units.registry import load_registry
from tests import make_sample_data as sample

QUARTER = sample.SAMPLE_DIR / sample.QUARTER_DIR
REGISTRY = sample.SAMPLE_DIR / "registry.csv"


@pytest.fixture(scope="module")
def merged() -> MergeResult:
    return merge_files(find_files(QUARTER), load_forms(), load_registry(REGISTRY))


@pytest.fixture(scope="module")
def by_name(merged) -> dict:
    return {Path(f.path).name: f for f in merged.files}


def all_expected_totals(scope: str = sample.PROVINCE.code) -> dict[str, int]:
    return {**sample.expected_totals("bieu-01", scope), **sample.expected_totals("bieu-02", scope)}


# ------------------------------------------------------------------- the library


def test_totals_equal_the_truth(merged):
    assert merged.rollup.scope.code == sample.PROVINCE.code
    assert merged.rollup.totals() == all_expected_totals()


@pytest.mark.parametrize("district", [d.code for d in sample.DISTRICTS])
def test_district_totals_equal_the_truth(merged, district):
    assert merged.rollup.values[district] == all_expected_totals(district)


def test_rates_equal_the_truth(merged):
    rates = merged.rollup.scope_rates()
    expected = sample.expected_rates()
    assert set(rates) == set(expected)
    for code, truth in expected.items():
        assert (rates[code].numerator, rates[code].denominator) == (
            truth["numerator"], truth["denominator"]), code


def test_period(merged):
    assert merged.period.code == sample.PERIOD


def test_every_file_once_with_its_status(merged, by_name):
    assert len(merged.files) == len(sample.FILES)
    want = {"good": ACCEPTED, "bad": REJECTED, "not-a-form": SKIPPED}
    assert {name: f.status for name, f in by_name.items()} == {
        f.name: want[f.status] for f in sample.FILES}


@pytest.mark.parametrize("truth", sample.good_files(), ids=lambda f: f.name)
def test_good_files_read_as_written(by_name, truth):
    """Sender, forms, period, and every row's unit, values and cells, file by file."""
    result = by_name[truth.name]
    assert result.status == ACCEPTED
    assert result.unit == truth.sender
    assert tuple(result.forms) == truth.forms
    assert result.period == sample.PERIOD
    written = [r for r in sample.written_rows(status="good") if r.file == truth.name]
    got = {(r.form, r.unit): (r.values, r.cells) for r in result.records}
    want = {(r.form, r.unit_code): (r.values, r.cells) for r in written}
    assert got == want


def test_rejected_file_problems_equal_the_truth(by_name):
    [truth] = sample.bad_files()
    result = by_name[truth.name]
    assert result.status == REJECTED
    errors = [p for p in result.problems if p.severity == "error"]
    got = sorted((p.code, p.sheet, p.cell, p.indicator) for p in errors)
    want = sorted((p.code, p.sheet, p.cell, p.indicator or "") for p in truth.problems)
    assert got == want
    for expected in truth.problems:
        problem = next(p for p in errors if p.code == expected.code)
        if expected.code != "total-mismatch":    # a total row's problem names no row unit
            assert problem.unit == expected.unit


def test_rejected_file_messages_name_the_numbers(by_name):
    [truth] = sample.bad_files()
    result = by_name[truth.name]
    indicator, excess = sample.TOTAL_ERROR
    rows = [r for r in sample.written_rows("bieu-01") if r.file == truth.name]
    computed = sum(r.values[indicator] for r in rows)
    mismatch = next(p for p in result.problems if p.code == "total-mismatch")
    assert (mismatch.params["written"], mismatch.params["computed"]) == (computed + excess,
                                                                        computed)
    unknown = next(p for p in result.problems if p.code == "unknown-unit")
    assert sample.UNKNOWN_NAME in unknown.params["name"]
    assert "Tổ dân phố 6" in unknown.params["suggestions"]


def test_missing_per_form_equals_the_truth(merged):
    for form in sample.FORMS:
        got = [(u.code, reason) for u, reason in merged.missing_by_form[form]]
        assert got == sample.expected_missing(form), form


def test_missing_lists_every_commune_short_of_a_form(merged):
    """The top-level list: one entry per commune missing any form, `rejected` first.

    make_sample_data.expected_missing_any() reads SPEC's "have none accepted" as "no accepted
    file at all" (only Xã Đông Thạnh); antq lists Phường Trung Sơn too, since its bieu-01 was
    rejected. Both readings agree on the per-form lists above.
    """
    got = [(u.code, reason) for u, reason in merged.missing]
    assert sample.expected_missing_any()[0] in got
    assert got == [(sample.MISSING_COMMUNE, "not-sent"), (sample.BAD_COMMUNE, "rejected")]


def test_note_is_skipped(by_name):
    [note] = sample.other_files()
    result = by_name[note.name]
    assert result.status == SKIPPED
    assert [p.code for p in result.problems] == ["not-a-spreadsheet"]


def test_exit_code_is_1(merged):
    assert merged.exit_code == 1


def test_expected_json_is_the_truth():
    on_disk = json.loads((sample.SAMPLE_DIR / "expected.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(sample.truth(), ensure_ascii=False))


# ------------------------------------------------------------------- without a registry


def test_merge_without_registry_gives_the_accepted_files_totals():
    result = merge_files(find_files(QUARTER), load_forms())
    assert not result.has_registry
    assert result.missing == []
    statuses = {Path(f.path).name: f.status for f in result.files}
    assert statuses[sample.bad_files()[0].name] == REJECTED
    assert result.rollup.totals() == all_expected_totals()
    rates = result.rollup.scope_rates()
    expected = sample.expected_rates()
    for code in ("households_attending_rate", "agencies_safe_rate", "reformed_rate"):
        assert (rates[code].numerator, rates[code].denominator) == (
            expected[code]["numerator"], expected[code]["denominator"])
    assert result.exit_code == 1


def test_without_registry_a_communes_own_row_names_the_file_without_a_title():
    """Phan Lâm's Biểu 02 CSV has no unit line: its one row, "Xã Phan Lâm", is the commune
    its Biểu 01 names, not a unit called after the file."""
    result = merge_files(find_files(QUARTER), load_forms())
    [own] = [f for f in result.files if f.path.endswith("Phan Lam - bieu 02 - quy 1.2024.csv")]
    [villages] = [f for f in result.files
                  if f.path.endswith("Phan Lam - bieu 01 - quy 1.2024.csv")]
    assert own.unit == villages.unit == "phan-lam"
    assert "sender-unknown" not in [p.code for p in own.problems]
    assert not any("bieu 02" in u.name for u in result.rollup.units)


# ------------------------------------------------------------------- the CLI


def test_cli_merge_json_equals_the_truth(merged, monkeypatch):
    monkeypatch.delenv("ANTQ_LANG", raising=False)
    result = CliRunner().invoke(app, ["merge", str(QUARTER), "--registry", str(REGISTRY),
                                      "--format", "json"])
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed == merge_dict(merged, "vi")
    assert printed["period"] == sample.PERIOD
    assert printed["scope"] == {"code": "99", "name": "Tỉnh Mẫu Sơn", "level": "province"}
    assert printed["totals"] == all_expected_totals()
    for code, truth in sample.expected_rates().items():
        rate = printed["rates"][code]
        assert (rate["numerator"], rate["denominator"]) == (truth["numerator"],
                                                            truth["denominator"])
    units = {u["code"]: u for u in printed["units"]}
    assert set(units) == set(sample.UNITS)
    for district in sample.DISTRICTS:
        assert units[district.code]["values"] == all_expected_totals(district.code)


def test_cli_merge_table(monkeypatch):
    monkeypatch.delenv("ANTQ_LANG", raising=False)
    result = CliRunner().invoke(app, ["merge", str(QUARTER), "--registry", str(REGISTRY)])
    assert result.exit_code == 1
    totals = sample.expected_totals("bieu-01")
    village_rate = sample.expected_rates()["village_safe_rate"]
    shown = f"{village_rate['numerator']}/{village_rate['denominator']}"
    households = f"{totals['households']:,}".replace(",", ".")
    for text in (shown, households, "Xã Đông Thạnh", "ghi chu.txt", "BC ANTQ P Trung Son",
                 "total-mismatch", "unknown-unit", "rule-failed"):
        assert text in result.stdout, text


def test_cli_merge_without_registry(monkeypatch):
    monkeypatch.delenv("ANTQ_LANG", raising=False)
    result = CliRunner().invoke(app, ["merge", str(QUARTER), "--format", "json"])
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed["totals"] == all_expected_totals()
    assert printed["missing"] == []


# ------------------------------------------------------------------- the generator


def test_sample_data_is_what_the_generator_writes(tmp_path):
    sample.generate(tmp_path)
    # The PNG is a LibreOffice rendering of the summary, made by hand (see its README).
    committed = sorted(p.relative_to(sample.SAMPLE_DIR) for p in sample.SAMPLE_DIR.rglob("*")
                       if p.is_file() and p.suffix != ".png")
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert generated == committed
    for relative in committed:
        new, old = tmp_path / relative, sample.SAMPLE_DIR / relative
        if relative.suffix == ".ods":
            # odfpy declares the namespaces its process has met so far (the "of:" of formulas
            # once any ODS with a formula was written), so its bytes depend on test order.
            assert cell_values(new) == cell_values(old), relative
            continue
        assert new.read_bytes() == old.read_bytes(), \
            f"{relative} drifted from tests/make_sample_data.py: run it and commit the result"


def cell_values(path: Path) -> dict[str, list[list]]:
    """Every sheet's cell values, by sheet name."""
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
