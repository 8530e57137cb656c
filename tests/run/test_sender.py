"""sender.py: who sent a file, from its code column, unit line, title block, folders, file name,
--scope and rows, with two Xã Tân Hà in one province (Huyện Đức Linh's and Huyện Hàm Tân's).

Every file is written the way clerks make them (openpyxl, .xls by xlwt, CSV in Windows-1258
with ";"); a sender told right is accepted, a file whose sender cannot be told is refused with
the candidates and the fixes, and a title naming a unit the registry does not hold is never
re-attributed by its rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from antq_cli.model import ACCEPTED, ERROR, REJECTED, WARNING
from antq_cli.outputs.messages import render
from antq_cli.run.merge import merge_files, validate_files
from antq_cli.run.one_file import Source
from tests.builders import Layout, table_sheet, write_bieu01, write_workbook
from tests.helpers import (
    DONG_HA,
    TAN_HA_DUC_LINH,
    TAN_HA_HAM_TAN,
    TAN_XUAN,
    codes,
    only,
    same_names_villages,
)

Q1 = "Quý I/2024"
TAN_HA = (TAN_HA_HAM_TAN, "Xã Tân Hà")  # the sender as a title names it, without a district
FOUR = ("Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4")  # villages both Tân Hà have


def check(path: Path, forms, registry, root: Path | None = None):
    """validate_files on one file found under `root`: its one result."""
    [result] = validate_files([Source(path, root)], forms, registry)
    return result


def tan_ha_file(folder: Path, name: str = "bieu 01.xlsx", sender=TAN_HA, rows=None,
                layout: Layout | None = None, fmt: str | None = None, **csv):
    """A Tân Hà bieu-01 listing the four villages both communes have (nothing in the rows
    tells them apart); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = rows if rows is not None else same_names_villages(TAN_HA_HAM_TAN, FOUR)
    write_bieu01(folder / name, sender, rows, Q1, layout or Layout(), fmt, **csv)
    return folder / name


def sender_of(result) -> str:
    assert result.status == ACCEPTED, [(p.code, render(p)) for p in result.problems]
    return result.unit


# ------------------------------------------------------------------ the title block

@pytest.mark.parametrize("fmt,options", [("xlsx", {}), ("xls", {}),
                                         ("csv", {"encoding": "cp1258", "delimiter": ";"})])
def test_the_superior_line_tells_same_named_communes_apart(tmp_path, forms, same_names, fmt,
                                                           options):
    for code, district in ((TAN_HA_DUC_LINH, "Huyện Đức Linh"), (TAN_HA_HAM_TAN, "Huyện Hàm Tân")):
        path = tan_ha_file(tmp_path, f"{code}.{fmt}", (code, "Xã Tân Hà", district),
                           same_names_villages(code, FOUR), fmt=fmt, **options)
        assert sender_of(check(path, forms, same_names)) == code


def test_the_superior_line_below_the_unit_line_or_after_a_comma(tmp_path, forms, same_names):
    sheet = table_sheet("bieu-01", (TAN_HA_DUC_LINH, "Xã Tân Hà", "Huyện Đức Linh"),
                        same_names_villages(TAN_HA_DUC_LINH, FOUR), Q1, Layout())
    district, commune = sheet.cells[(0, 0)], sheet.cells[(1, 0)]
    assert (district, commune) == ("CÔNG AN HUYỆN ĐỨC LINH", "CÔNG AN XÃ TÂN HÀ")
    sheet.cells[(0, 0)], sheet.cells[(1, 0)] = commune, district
    write_workbook(tmp_path / "below.xlsx", [sheet])
    assert sender_of(check(tmp_path / "below.xlsx", forms, same_names)) == TAN_HA_DUC_LINH

    sheet.cells[(0, 0)], sheet.cells[(1, 0)] = "CÔNG AN XÃ TÂN HÀ, HUYỆN ĐỨC LINH", "ĐỘI AN NINH"
    write_workbook(tmp_path / "comma.xlsx", [sheet])
    assert sender_of(check(tmp_path / "comma.xlsx", forms, same_names)) == TAN_HA_DUC_LINH


def test_a_unit_line_without_a_type_word(tmp_path, forms, same_names):
    path = tan_ha_file(tmp_path / "Huyện Đức Linh", sender=(TAN_HA_DUC_LINH, "Tân Hà"),
                       layout=Layout(unit_line="line"))
    assert sender_of(check(path, forms, same_names, tmp_path)) == TAN_HA_DUC_LINH


# ------------------------------------------------------------------ where the file lies

@pytest.mark.parametrize("folders,expected", [
    (("Huyen Ham Tan",), TAN_HA_HAM_TAN),
    (("Huyện Đức Linh", "thang 3"), TAN_HA_DUC_LINH),
    (("601",), TAN_HA_HAM_TAN),
    (("Ham Tan", "Tan Ha"), TAN_HA_HAM_TAN),
])
def test_the_folders_between_the_root_and_the_file(tmp_path, forms, same_names, folders,
                                                   expected):
    root = tmp_path / "bao cao quy I"
    path = tan_ha_file(root.joinpath(*folders))
    assert sender_of(check(path, forms, same_names, root)) == expected


def test_the_root_s_own_name_and_no_root_at_all(tmp_path, forms, same_names):
    root = tmp_path / "Huyện Đức Linh"
    path = tan_ha_file(root)
    assert sender_of(check(path, forms, same_names, root)) == TAN_HA_DUC_LINH
    # A file given by itself: its folders are not evidence, and nothing else tells.
    assert codes(check(path, forms, same_names)) == ["ambiguous-sender"]


def test_a_misplaced_file_goes_by_its_title(tmp_path, forms, same_names):
    """The title names Đức Linh's Tân Hà; the file sits in Hàm Tân's folder: the title wins."""
    path = tan_ha_file(tmp_path / "Huyen Ham Tan",
                       sender=(TAN_HA_DUC_LINH, "Xã Tân Hà", "Huyện Đức Linh"))
    assert sender_of(check(path, forms, same_names, tmp_path)) == TAN_HA_DUC_LINH


@pytest.mark.parametrize("name,expected", [
    ("Tan Ha (Ham Tan) Q1.xlsx", TAN_HA_HAM_TAN),
    ("BC quy I-2024 xa Tan Ha - huyen Duc Linh.xlsx", TAN_HA_DUC_LINH),
])
def test_the_file_name_names_the_commune_and_its_district(tmp_path, forms, same_names, name,
                                                          expected):
    path = tan_ha_file(tmp_path, name, layout=Layout(unit_line=None))
    assert sender_of(check(path, forms, same_names)) == expected


# ------------------------------------------------------------------ the rows and --scope

def test_the_code_column_tells_them_apart(tmp_path, forms, same_names):
    rows = same_names_villages(TAN_HA_DUC_LINH, FOUR, codes=True)
    path = tan_ha_file(tmp_path, rows=rows, layout=Layout(code_column=True))
    assert sender_of(check(path, forms, same_names)) == TAN_HA_DUC_LINH


def test_the_rows_names_break_the_tie_last(tmp_path, forms, same_names):
    rows = same_names_villages(TAN_HA_HAM_TAN)  # "Thôn Bình Thắng" is only Hàm Tân's
    path = tan_ha_file(tmp_path, rows=rows)
    assert sender_of(check(path, forms, same_names)) == TAN_HA_HAM_TAN


def test_scope_tells_them_apart_in_a_merge(tmp_path, forms, same_names):
    path = tan_ha_file(tmp_path)
    alone = merge_files([path], forms, same_names, root=tmp_path)
    assert codes(alone.files[0]) == ["ambiguous-sender"]
    scoped = merge_files([path], forms, same_names, scope="601", root=tmp_path)
    [result] = scoped.files
    assert result.status == ACCEPTED and result.unit == TAN_HA_HAM_TAN
    assert scoped.rollup.values[TAN_HA_HAM_TAN]["households"] == sum(
        v["households"] for _, _, v in same_names_villages(TAN_HA_HAM_TAN, FOUR))


def test_a_district_title_over_one_commune_s_villages(tmp_path, forms, same_names):
    """The clerk kept the district's line and left the commune's out: the rows tell which."""
    rows = same_names_villages(TAN_HA_HAM_TAN)
    path = tan_ha_file(tmp_path, sender=("601", "Huyện Hàm Tân", "Tỉnh Bình Thuận"), rows=rows)
    assert sender_of(check(path, forms, same_names)) == TAN_HA_HAM_TAN


# ------------------------------------------------------------------ refused, never guessed

def test_ambiguous_sender_names_each_candidate_and_the_fixes(tmp_path, forms, same_names):
    result = check(tan_ha_file(tmp_path), forms, same_names)
    assert result.status == REJECTED and result.unit == ""
    assert codes(result) == ["ambiguous-sender"]  # no row is looked up across the province
    problem = only(result, "ambiguous-sender")
    assert problem.severity == ERROR
    vi, en = render(problem, "vi"), render(problem, "en")
    assert ("Xã Tân Hà (23221, Huyện Đức Linh) hoặc Xã Tân Hà (23257, Huyện Hàm Tân)") in vi
    assert "Xã Tân Hà (23221, Huyện Đức Linh) or Xã Tân Hà (23257, Huyện Hàm Tân)" in en
    for fix in ("CÔNG AN HUYỆN", "thư mục", "cột mã", "--scope"):
        assert fix in vi
    assert "Đơn vị báo cáo: Xã" not in vi  # the title names the unit: not the generic advice
    assert all(record.unit == "" for record in result.records)


def test_a_title_naming_a_unit_the_registry_does_not_hold(tmp_path, forms, same_names):
    """Xã Ngọc Đường is in no registry here; its villages happen to be named like Đông Hà's."""
    rows = same_names_villages(DONG_HA)
    path = tmp_path / "ngoc duong.xlsx"
    write_bieu01(path, ("00700", "Xã Ngọc Đường", "Huyện Vị Xuyên"), rows, Q1)
    result = check(path, forms, same_names)
    assert result.status == REJECTED and result.unit == ""
    assert codes(result) == ["unknown-sender"]
    problem = only(result, "unknown-sender")
    vi, en = render(problem, "vi"), render(problem, "en")
    assert "Xã Ngọc Đường" in vi and "Huyện Vị Xuyên" in vi and "Xã Ngọc Đường" in en
    assert "Đông Hà" not in vi  # the rows never attribute it to another unit
    merged = merge_files([path], forms, same_names)
    assert merged.rollup.totals()["households"] == 0
    assert (same_names[DONG_HA], "not-sent") in merged.missing


def test_a_title_naming_a_commune_under_another_district(tmp_path, forms, same_names):
    rows = same_names_villages(TAN_XUAN)
    path = tmp_path / "tan xuan.xlsx"
    write_bieu01(path, (TAN_XUAN, "Xã Tân Xuân", "Huyện Đức Linh"), rows, Q1)
    problem = only(check(path, forms, same_names), "unknown-sender")
    vi, en = render(problem, "vi"), render(problem, "en")
    assert "Xã Tân Xuân" in vi and "Huyện Đức Linh" in vi
    assert "Xã Tân Xuân (23260, Huyện Hàm Tân)" in vi and "Xã Tân Xuân (23260, Huyện Hàm Tân)" in en


def test_a_title_whose_rows_are_another_unit_s(tmp_path, forms, same_names):
    rows = same_names_villages(DONG_HA, ("Thôn Đông Hòa", "Thôn Bàu Chim"))
    path = tmp_path / "tan xuan.xlsx"
    write_bieu01(path, (TAN_XUAN, "Xã Tân Xuân", "Huyện Hàm Tân"), rows, Q1)
    result = check(path, forms, same_names)
    assert result.status == REJECTED
    assert codes(result) == ["sender-mismatch"]
    vi, en = (render(only(result, "sender-mismatch"), lang) for lang in ("vi", "en"))
    assert "Xã Tân Xuân (23260, Huyện Hàm Tân)" in vi and "Xã Đông Hà (23224, Huyện Đức Linh)" in vi
    assert "Xã Đông Hà (23224, Huyện Đức Linh)" in en


def test_code_column_against_the_title(tmp_path, forms, same_names):
    """The title says Đức Linh's Tân Hà, the codes are Hàm Tân's: refused, both named."""
    rows = same_names_villages(TAN_HA_HAM_TAN, codes=True)
    path = tan_ha_file(tmp_path, sender=(TAN_HA_DUC_LINH, "Xã Tân Hà", "Huyện Đức Linh"),
                       rows=rows, layout=Layout(code_column=True))
    result = check(path, forms, same_names)
    assert codes(result) == ["sender-mismatch"]
    assert "23257" in render(result.problems[0]) and "23221" in render(result.problems[0])


def test_nothing_names_the_sender(tmp_path, forms, same_names):
    """No title, a file name without a unit: the generic advice, as a warning."""
    path = tan_ha_file(tmp_path, "bao cao quy I.xlsx", layout=Layout(unit_line=None))
    result = check(path, forms, same_names)
    problem = result.problems[0]
    assert (problem.code, problem.severity) == ("sender-unknown", WARNING)
    assert "Đơn vị báo cáo" in render(problem)


def test_a_district_line_against_a_registry_without_districts(tmp_path, forms):
    """Since 2025 there are no districts: an old title's "CÔNG AN HUYỆN …" names nothing the
    registry could hold, and the file name tells."""
    from antq_cli.units.registry import Registry, Unit

    units = [Unit("60", "Tỉnh Bình Thuận", "province"), Unit("23257", "Xã Tân Hà", "commune", "60")]
    units += [Unit(f"23257{n:02d}", name, "village", "23257")
              for n, name in enumerate(("Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4"), 1)]
    registry = Registry.from_units(units)
    path = tan_ha_file(tmp_path, "bao cao xa Tan Ha.xlsx", ("601", "Huyện Hàm Tân"))
    assert sender_of(check(path, forms, registry)) == TAN_HA_HAM_TAN
