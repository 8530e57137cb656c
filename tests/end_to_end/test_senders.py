"""Who sent what, through the command: a province's folder of district folders, each with a
"Xã Tân Hà" whose title does not name its district, merged and validated as a user would.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from antq_cli.cli.app import app
from tests.builders import Layout, write_bieu01, write_bieu02
from tests.helpers import (
    SAME_NAMES_UNITS,
    TAN_HA_DUC_LINH,
    TAN_HA_HAM_TAN,
    same_names_row,
    same_names_villages,
    write_units_csv,
)

Q1 = "Quý I/2024"
FOUR = ("Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4")


def _province(tmp_path):
    """bao-cao/Huyen Duc Linh/tan ha.xlsx and bao-cao/Huyen Ham Tan/tan ha.xlsx, each titled
    "CÔNG AN XÃ TÂN HÀ" alone, with the four villages both communes have; the registry."""
    registry = write_units_csv(tmp_path / "dm.csv", [("code", "name", "level", "parent_code"),
                                                     *SAME_NAMES_UNITS])
    root = tmp_path / "bao-cao"
    for folder, code in (("Huyen Duc Linh", TAN_HA_DUC_LINH), ("Huyen Ham Tan", TAN_HA_HAM_TAN)):
        (root / folder).mkdir(parents=True)
        write_bieu01(root / folder / "tan ha.xlsx", (code, "Xã Tân Hà"),
                     same_names_villages(code, FOUR), Q1, Layout())
        write_bieu02(root / folder / "tan ha bieu 02.xlsx", (code, "Xã Tân Hà"),
                     [same_names_row(code)], Q1)
    return root, registry


def run(*args):
    result = CliRunner().invoke(app, [*map(str, args)])
    return result.exit_code, result.stdout


def test_merge_tells_two_tan_ha_apart_by_their_folders(tmp_path):
    root, registry = _province(tmp_path)
    code, out = run("merge", root, "--registry", registry, "--format", "json")
    data = json.loads(out)
    units = {f["path"].split("bao-cao/")[1]: (f["status"], f["unit"]) for f in data["files"]}
    assert units == {
        "Huyen Duc Linh/tan ha.xlsx": ("accepted", TAN_HA_DUC_LINH),
        "Huyen Duc Linh/tan ha bieu 02.xlsx": ("accepted", TAN_HA_DUC_LINH),
        "Huyen Ham Tan/tan ha.xlsx": ("accepted", TAN_HA_HAM_TAN),
        "Huyen Ham Tan/tan ha bieu 02.xlsx": ("accepted", TAN_HA_HAM_TAN),
    }
    households = sum(v["households"] for c in (TAN_HA_DUC_LINH, TAN_HA_HAM_TAN)
                     for _, _, v in same_names_villages(c, FOUR))
    assert data["totals"]["households"] == households
    missing = {m["code"]: m for m in data["missing"]}
    assert missing["2322105"]["forms"] == ["bieu-01"]  # Đức Linh's Thôn 5, left out
    assert missing["23224"]["forms"] == ["bieu-01", "bieu-02"]  # Xã Đông Hà sent nothing
    assert code == 1


def test_merge_of_one_district_folder_with_scope(tmp_path):
    root, registry = _province(tmp_path)
    code, out = run("merge", root / "Huyen Ham Tan", "--registry", registry, "--scope", "601",
                    "--format", "json")
    data = json.loads(out)
    assert [f["status"] for f in data["files"]] == ["accepted", "accepted"]
    assert {f["unit"] for f in data["files"]} == {TAN_HA_HAM_TAN}
    assert data["scope"]["code"] == "601"


def test_validate_a_folder_or_a_file_in_its_district_s_folder(tmp_path):
    root, registry = _province(tmp_path)
    code, out = run("validate", root, "--registry", registry, "--format", "json")
    assert code == 0
    assert {f["unit"] for f in json.loads(out)["files"]} == {TAN_HA_DUC_LINH, TAN_HA_HAM_TAN}
    code, out = run("validate", root / "Huyen Duc Linh" / "tan ha.xlsx", "--registry", registry,
                    "--format", "json")
    assert code == 0 and json.loads(out)["files"][0]["unit"] == TAN_HA_DUC_LINH
    (root / "tan ha.xlsx").write_bytes((root / "Huyen Duc Linh" / "tan ha.xlsx").read_bytes())
    code, out = run("validate", root / "tan ha.xlsx", "--registry", registry)
    assert code == 1
    said = " ".join(out.split())
    assert "ambiguous-sender" in said
    assert "Xã Tân Hà (23221, Huyện Đức Linh) hoặc Xã Tân Hà (23257, Huyện Hàm Tân)" in said
