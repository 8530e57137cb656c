"""coverage.py: a district's own workbooks read by section, and the villages a file leaves out.

A district clerk's Biểu 01 lists the villages of each of its communes under that commune's
row ("I | Xã Tân Hà", "Tân Xuân" alone), so "Thôn 1" repeats and each is looked up within its
section's commune; its Biểu 02 has a row per commune. A commune's file that lists 2 of its
villages leaves the others out: a warning names them and a merge counts them as not sent.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.model import ACCEPTED, REJECTED, WARNING
from antq_cli.outputs.messages import render
from antq_cli.outputs.report import merge_dict
from antq_cli.run.merge import merge_files, validate_files
from tests.builders import Layout, Section, table_sheet, write_bieu01, write_bieu02, write_workbook
from tests.helpers import (
    SAME_NAMES_UNITS,
    SAME_NAMES_VILLAGES,
    TAN_HA_DUC_LINH,
    TAN_HA_HAM_TAN,
    TAN_XUAN,
    codes,
    only,
    same_names_row,
    same_names_villages,
    write_units_csv,
    write_xlsx,
)

Q1 = "Quý I/2024"
HAM_TAN = ("601", "Huyện Hàm Tân", "Tỉnh Bình Thuận")
NGHIA = "23263"
COMMUNES = ((TAN_HA_HAM_TAN, "Xã Tân Hà"), (TAN_XUAN, "Tân Xuân"), (NGHIA, "Thị trấn Tân Nghĩa"))


def district_rows() -> list:
    """Hàm Tân's communes as sections, each over its villages (codes left out: names only)."""
    rows: list = []
    for code, name in COMMUNES:
        rows.append(Section(name))
        rows += same_names_villages(code)
    return rows


def units_by_row(result) -> dict[tuple[str, int], str]:
    return {(r.label, r.row): r.unit for r in result.records}


@pytest.mark.parametrize("layout,fmt", [(Layout(), "xlsx"), (Layout(stt=False), "xlsx"),
                                        (Layout(), "xls"), (Layout(header_rows=1), "csv")])
def test_a_district_bieu01_by_commune_sections(tmp_path, forms, same_names, layout, fmt):
    path = tmp_path / f"huyen ham tan bieu 01.{fmt}"
    options = {"encoding": "cp1258", "delimiter": ";"} if fmt == "csv" else {}
    write_bieu01(path, HAM_TAN, district_rows(), Q1, layout, fmt, **options)
    [result] = validate_files([path], forms, same_names)
    assert result.status == ACCEPTED, [(p.code, render(p)) for p in result.problems]
    assert result.unit == "601"
    assert not result.problems or codes(result) == ["total-not-computed"]
    expected = {}
    for code, _ in COMMUNES:
        for number, name in enumerate(SAME_NAMES_VILLAGES[code], 1):
            expected[(name, code)] = f"{code}{number:02d}"
    found = {(r.label, same_names[r.unit].parent): r.unit for r in result.records}
    assert found == expected  # every "Thôn 1" is its own section's
    assert len(result.records) == len(expected)


def test_a_commune_s_name_alone_heads_its_villages(tmp_path, forms, same_names):
    """No Roman numeral, no "Xã": the commune's name alone on a row, its villages numbered."""
    sheet = table_sheet("bieu-01", HAM_TAN, district_rows(), Q1, Layout())
    stt = sheet.columns["stt"]
    for (row, col), value in list(sheet.cells.items()):
        if col == stt and value in ("I", "II", "III"):
            del sheet.cells[(row, col)]
            name = sheet.cells[(row, sheet.columns["name"])]
            sheet.cells[(row, sheet.columns["name"])] = name.removeprefix("Xã ")
    write_workbook(tmp_path / "ham tan.xlsx", [sheet])
    [result] = validate_files([tmp_path / "ham tan.xlsx"], forms, same_names)
    assert result.status == ACCEPTED, [(p.code, render(p)) for p in result.problems]
    assert {same_names[r.unit].parent for r in result.records} == {c for c, _ in COMMUNES}


def _section_totals_sheet(wrong: int = 0) -> tuple[dict, list]:
    """A district's bieu-01 typed by hand, one header row: two sections, each with its own
    "Cộng" row (the second's households off by `wrong`), and a "Tổng cộng" row."""
    from tests.builders import indicators
    labels = [ind["label"] for ind in indicators("bieu-01")]
    cells: dict = {(0, 0): "CÔNG AN HUYỆN HÀM TÂN", (1, 0): "BÁO CÁO QUÝ I/2024",
                   (3, 0): "STT", (3, 1): "Tên thôn, tổ dân phố"}
    for col, label in enumerate(labels, 2):
        cells[(3, col)] = label
    codes_ = [ind["code"] for ind in indicators("bieu-01")]
    row, grand = 4, dict.fromkeys(codes_, 0)
    for numeral, (commune, name) in zip(("I", "II"), COMMUNES[:2]):
        cells[(row, 0)], cells[(row, 1)] = numeral, name
        row += 1
        section = dict.fromkeys(codes_, 0)
        for number, (_, village, values) in enumerate(same_names_villages(commune), 1):
            cells[(row, 0)], cells[(row, 1)] = number, village
            for col, code in enumerate(codes_, 2):
                cells[(row, col)] = values[code]
                section[code] += values[code]
                grand[code] += values[code]
            row += 1
        cells[(row, 1)] = "Cộng"
        for col, code in enumerate(codes_, 2):
            cells[(row, col)] = section[code] + (wrong if code == "households" and numeral == "II"
                                                 else 0)
        row += 1
    cells[(row, 1)] = "Tổng cộng"
    for col, code in enumerate(codes_, 2):
        cells[(row, col)] = grand[code]
    return cells, codes_


def test_a_section_s_cong_checks_that_section(tmp_path, forms, same_names):
    cells, _ = _section_totals_sheet()
    write_xlsx(tmp_path / "good.xlsx", cells, [], "Biểu 01")
    [good] = validate_files([tmp_path / "good.xlsx"], forms, same_names)
    assert good.status == ACCEPTED, [(p.code, render(p)) for p in good.problems]
    cells, codes_ = _section_totals_sheet(wrong=7)
    write_xlsx(tmp_path / "bad.xlsx", cells, [], "Biểu 01")
    [bad] = validate_files([tmp_path / "bad.xlsx"], forms, same_names)
    problem = only(bad, "total-mismatch")
    households = sum(v["households"] for _, _, v in same_names_villages(TAN_XUAN))
    assert problem.params["written"] == households + 7
    assert problem.params["computed"] == households


def test_a_district_bieu02_with_a_row_per_commune(tmp_path, forms, same_names):
    rows = [same_names_row(code, name) for code, name in COMMUNES]
    path = tmp_path / "ham tan bieu 02.xlsx"
    write_bieu02(path, HAM_TAN, rows, Q1, Layout(total_row="bottom"))
    [result] = validate_files([path], forms, same_names)
    assert result.status == ACCEPTED, [(p.code, render(p)) for p in result.problems]
    assert result.unit == "601"
    assert [r.unit for r in result.records] == [code for code, _ in COMMUNES]


def test_a_district_row_outside_the_district(tmp_path, forms, same_names):
    """Đức Linh's Tân Hà, by its code, in Hàm Tân's workbook: the district sent it, and
    every row's unit must lie under it."""
    rows = [(code, name, same_names_row(code)[2]) for code, name in COMMUNES[1:]]
    rows.append((TAN_HA_DUC_LINH, "Xã Tân Hà", same_names_row(TAN_HA_DUC_LINH)[2]))
    path = tmp_path / "ham tan bieu 02.xlsx"
    write_bieu02(path, HAM_TAN, rows, Q1, Layout(code_column=True))
    [result] = validate_files([path], forms, same_names)
    assert result.status == REJECTED and result.unit == "601"
    problem = only(result, "unit-outside-sender")
    assert "Huyện Hàm Tân" in render(problem)


# ------------------------------------------------------------------ villages left out

def test_villages_a_commune_leaves_out_are_named(tmp_path, forms, same_names):
    rows = same_names_villages(TAN_HA_DUC_LINH, ("Thôn 1", "Thôn 2"))
    path = tmp_path / "tan ha.xlsx"
    write_bieu01(path, (TAN_HA_DUC_LINH, "Xã Tân Hà", "Huyện Đức Linh"), rows, Q1)
    [result] = validate_files([path], forms, same_names)
    assert result.status == ACCEPTED
    problem = only(result, "villages-missing")
    assert problem.severity == WARNING
    vi, en = render(problem, "vi"), render(problem, "en")
    assert "4/6" in vi and "Xã Tân Hà" in vi and "Thôn 3, Thôn 4, Thôn 5, Thôn 6" in vi
    assert "4 of the 6" in en and "Thôn 6" in en
    assert result.unlisted == {"bieu-01": ["2322103", "2322104", "2322105", "2322106"]}


def test_villages_left_out_are_missing_and_count_as_not_sent(tmp_path, forms, same_names):
    registry = write_units_csv(tmp_path / "dm.csv", [("code", "name", "level", "parent_code"),
                                                     *SAME_NAMES_UNITS])
    inbox = tmp_path / "Huyện Đức Linh"
    inbox.mkdir()
    rows = same_names_villages(TAN_HA_DUC_LINH, ("Thôn 1", "Thôn 2"))
    write_bieu01(inbox / "tan ha.xlsx", (TAN_HA_DUC_LINH, "Xã Tân Hà"), rows, Q1)
    result = CliRunner().invoke(app, ["merge", str(inbox), "--registry", str(registry),
                                      "--scope", "600", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    missing = {m["code"]: m for m in data["missing"]}
    assert missing["2322103"] == {"code": "2322103", "name": "Thôn 3", "level": "village",
                                  "reason": "not-sent", "forms": ["bieu-01"]}
    assert {"2322104", "2322105", "2322106"} <= missing.keys()
    assert missing["23224"]["forms"] == ["bieu-01"] and missing["23224"]["level"] == "commune"
    assert data["rates"]["village_safe_rate"]["denominator"] == 6 + 5  # Đức Linh's villages
    terminal = CliRunner().invoke(app, ["merge", str(inbox), "--registry", str(registry),
                                        "--scope", "600"])
    assert "bieu-01: 1/2 xã đã gửi" in terminal.output  # villages are not counted as communes


def test_villages_sent_in_a_second_file_are_not_missing(tmp_path, forms, same_names):
    sender = (TAN_HA_DUC_LINH, "Xã Tân Hà", "Huyện Đức Linh")
    write_bieu01(tmp_path / "tan ha.xlsx", sender,
                 same_names_villages(TAN_HA_DUC_LINH, ("Thôn 1", "Thôn 2", "Thôn 3")), Q1)
    write_bieu01(tmp_path / "tan ha bo sung.xlsx", sender,
                 same_names_villages(TAN_HA_DUC_LINH, ("Thôn 4", "Thôn 5")), Q1)
    result = merge_files(sorted(tmp_path.iterdir()), forms, same_names, scope="600")
    assert all(f.status == ACCEPTED for f in result.files)
    assert [(u.code, reason) for u, reason in result.missing] == [
        ("2322106", "not-sent"), ("23224", "not-sent")]
    assert merge_dict(result, "vi")["missing"][0]["forms"] == ["bieu-01"]


def test_a_district_workbook_leaving_out_villages(tmp_path, forms, same_names):
    rows = [Section("Xã Tân Hà"), *same_names_villages(TAN_HA_HAM_TAN, ("Thôn 1", "Thôn 2")),
            Section("Xã Tân Xuân"), *same_names_villages(TAN_XUAN)]
    path = tmp_path / "ham tan.xlsx"
    write_bieu01(path, HAM_TAN, rows, Q1)
    [result] = validate_files([path], forms, same_names)
    assert result.status == ACCEPTED
    problem = only(result, "villages-missing")
    assert problem.params["commune"] == "Xã Tân Hà" and problem.params["count"] == 3
    assert result.unlisted == {"bieu-01": ["2325703", "2325704", "2325705"]}


def test_no_villages_missing_when_a_row_could_not_be_told(tmp_path, forms, same_names):
    """An unknown name may be one of the villages left out: its error says so already."""
    rows = same_names_villages(TAN_HA_DUC_LINH, ("Thôn 1", "Thôn 2"))
    rows.append((None, "Thôn 9", rows[0][2]))
    path = tmp_path / "tan ha.xlsx"
    write_bieu01(path, (TAN_HA_DUC_LINH, "Xã Tân Hà", "Huyện Đức Linh"), rows, Q1,
                 Layout(total_row=None))
    [result] = validate_files([path], forms, same_names)
    assert codes(result) == ["unknown-unit"]
