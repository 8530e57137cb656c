"""MergeResult.to_frame and `antq merge --export`: the merged figures as a tidy long table."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import load_forms
from antq_cli.run.files import find_files
from antq_cli.run.frame import COLUMNS
from antq_cli.run.merge import merge_files
from antq_cli.units.registry import load_registry
from tests import make_sample_data as sample

QUARTER = sample.SAMPLE_DIR / "2024-Q1"
REGISTRY = sample.SAMPLE_DIR / "registry.csv"


@pytest.fixture(scope="module")
def merged():
    return merge_files(find_files(QUARTER), load_forms(), load_registry(REGISTRY))


def test_one_row_per_unit_and_indicator_with_its_ancestors(merged):
    frame = merged.to_frame()
    assert tuple(frame.columns) == COLUMNS
    units = merged.rollup.units
    assert len(frame) == sum(len(merged.rollup.values[u.code]) for u in units)
    village = frame[(frame.unit_code == "9910301") & (frame.indicator == "households")].iloc[0]
    assert (village.level, village.parent_code, village.province_code, village.district_code,
            village.commune_code, village.form) == ("village", "99103", "99", "991", "99103",
                                                    "bieu-01")
    assert village.file.endswith("BC quy I-2024 xa Tan Duc.xlsx") and village.cell


def test_the_tidy_table_adds_up_to_the_totals(merged):
    frame = merged.to_frame()
    villages = frame[frame.level == "village"]
    by_indicator = villages.groupby("indicator")["value"].sum()
    totals = merged.rollup.totals()
    for code in ("meetings", "households", "tips_received"):
        assert by_indicator[code] == totals[code]
    province = frame[frame.level == "province"].set_index("indicator")["value"]
    assert province["households"] == 23249


def test_units_without_data_are_missing_values_not_zeros(merged):
    frame = merged.to_frame()
    trung_son = frame[(frame.commune_code == "99303") & (frame.form == "bieu-01")]
    assert len(trung_son) and trung_son["value"].isna().all()  # its Biểu 01 was rejected
    assert frame["value"].dtype == "Int64"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_merge_export_writes_the_long_table(tmp_path, suffix, merged):
    target = tmp_path / f"du lieu{suffix}"
    result = CliRunner().invoke(app, ["merge", str(QUARTER), "--registry", str(REGISTRY),
                                      "--export", str(target)])
    assert result.exit_code == 1 and target.exists()  # the sample has a rejected file
    read = pd.read_csv(target, dtype=str) if suffix == ".csv" else pd.read_excel(
        target, dtype=str, engine="calamine")
    assert list(read.columns) == list(COLUMNS) and len(read) == len(merged.to_frame())


def test_an_export_antq_cannot_write_is_said_before_reading(tmp_path):
    result = CliRunner().invoke(app, ["merge", str(QUARTER), "--export", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and "--export" in result.stderr
