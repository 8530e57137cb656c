"""registry_csv.py: `antq units -o` writes a province of the official list as a registry CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.outputs.registry_csv import write_registry_csv
from antq_cli.units.official import official_registry
from antq_cli.units.registry import Registry, Unit, load_registry
from tests.helpers import ERA_TITLE, said


@pytest.fixture
def run(monkeypatch):
    """Invoke antq with ANTQ_LANG unset; returns the click Result (stderr kept apart)."""
    monkeypatch.delenv("ANTQ_LANG", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_export_is_a_registry_the_user_can_extend(run, tmp_path):
    path = tmp_path / "tuyen-quang.csv"
    result = run("units", "--province", "08", "-o", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"Tỉnh Tuyên Quang: 124 xã — {ERA_TITLE['2025']}"
    assert said(" ".join(result.stdout.splitlines()[1:])) == (
        f"Đã ghi {path}. Thêm các thôn (cấp: thôn; mã cấp trên: mã xã) rồi dùng --registry "
        f"{path}.")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfcode,name,level,parent_code\r\n")
    rows = _rows(path)
    assert rows[1] == ["08", "Tỉnh Tuyên Quang", "province", ""]
    assert rows[2] == ["00691", "Phường Hà Giang 2", "commune", "08"]
    assert len(rows) == 1 + 1 + 124
    loaded = load_registry(path)
    assert list(loaded) == list(official_registry("2025", "08"))
    # The user adds villages under a commune: a three-level registry.
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write("0069101,Tổ dân phố 1,thôn,00691\r\n0069102,Tổ dân phố 2,village,00691\r\n")
    extended = load_registry(path)
    assert extended.levels == ("province", "commune", "village")
    assert [u.name for u in extended.children("00691")] == ["Tổ dân phố 1", "Tổ dân phố 2"]
    assert extended.ancestor_at("0069102", "province").code == "08"


def test_legacy_export_with_villages_is_a_four_level_registry(run, tmp_path):
    path = tmp_path / "ha-noi-2024.csv"
    assert run("units", "--province", "Hà Nội", "--era", "legacy", "-o", path).exit_code == 0
    rows = _rows(path)
    assert rows[1:4] == [["01", "Thành phố Hà Nội", "province", ""],
                         ["001", "Quận Ba Đình", "district", "01"],
                         ["00001", "Phường Phúc Xá", "commune", "001"]]
    assert ["00004", "Phường Trúc Bạch", "commune", "001"] in rows
    assert not any(row[1] == "Phường Ba Đình" for row in rows)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write("0000401,Tổ dân phố số 1,village,00004\r\n")
    loaded = load_registry(path)
    assert loaded.levels == ("province", "district", "commune", "village")
    assert [u.code for u in loaded.ancestors("0000401")] == ["00004", "001", "01"]


def test_export_never_overwrites_and_wants_csv(run, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("my villages\n", encoding="utf-8")
    result = run("units", "--province", "08", "-o", path)
    assert result.exit_code == 2
    assert "không ghi đè" in said(result.stderr)
    assert path.read_text(encoding="utf-8") == "my villages\n"
    result = run("units", "--province", "08", "-o", tmp_path / "registry.xlsx")
    assert result.exit_code == 2 and "phải có đuôi .csv" in said(result.stderr)
    assert not (tmp_path / "registry.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["registry.csv"]   # no temporary left


def test_export_neutralises_formula_like_names(tmp_path):
    registry = Registry.from_units([Unit("99", "Tỉnh Mẫu Sơn", "province"),
                                    Unit("99001", "=HYPERLINK(\"x\")", "commune", "99")])
    path = write_registry_csv(registry, tmp_path / "r.csv")
    assert _rows(path)[2] == ["99001", "'=HYPERLINK(\"x\")", "commune", "99"]


def test_export_survives_excel_dropping_leading_zeros(run, tmp_path):
    """Excel reads 00691 as the number 691 and saves it so; the registry still matches."""
    path = tmp_path / "tuyen-quang.csv"
    assert run("units", "--province", "08", "-o", path).exit_code == 0
    rows = _rows(path)
    resaved = tmp_path / "resaved.csv"
    with open(resaved, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0])
        for code, name, level, parent in rows[1:]:
            writer.writerow([code.lstrip("0"), name, level, parent.lstrip("0")])
    loaded = load_registry(resaved)
    assert loaded.find_code("00691").name == "Phường Hà Giang 2"
    assert loaded.find_code("08").name == "Tỉnh Tuyên Quang"
    assert len(loaded.children("8")) == 124
