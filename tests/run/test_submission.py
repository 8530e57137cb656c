"""submission.py: what a file says about who sent it (its title lines, its name, its folders)."""

from __future__ import annotations

from pathlib import Path

import pytest

from antq_cli.run.submission import (
    Claim,
    folders_between,
    name_claims,
    read_evidence,
    type_levels,
)


@pytest.mark.parametrize("line,claims", [
    ("CÔNG AN XÃ TÂN ĐỨC", [(("commune",), "XÃ TÂN ĐỨC", "title")]),
    ("UBND THỊ TRẤN TÂN MINH", [(("commune",), "THỊ TRẤN TÂN MINH", "title")]),
    ("CÔNG AN THÀNH PHỐ HUẾ", [(("district", "province"), "THÀNH PHỐ HUẾ", "title")]),
    ("CÔNG AN XÃ TÂN HÀ, HUYỆN HÀM TÂN", [(("commune",), "XÃ TÂN HÀ", "title"),
                                         (("district",), "HUYỆN HÀM TÂN", "title")]),
    ("Đơn vị báo cáo: Xã Tân Đức", [(("commune",), "Xã Tân Đức", "unit-line")]),
    ("Đơn vị báo cáo: Công an xã Tân Hà", [(("commune",), "xã Tân Hà", "unit-line")]),
    ("Đơn vị: Tân Hà", [((), "Tân Hà", "unit-line")]),
    ("Công an xã tổng hợp, gửi Công an huyện trước ngày 15 tháng 3 năm 2024", []),
    ("Công an xã tổng hợp gửi Công an huyện trước ngày 15 tháng 3", []),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", []),
    ("CÔNG AN XÃ", []),
])
def test_the_units_a_title_line_names(line, claims):
    evidence = read_evidence([line], Path("bao cao.xlsx"))
    found = [(c.levels, c.name, c.source) for c in (
        [evidence.unit_line] if evidence.unit_line else []) + list(evidence.title)]
    assert found == claims


@pytest.mark.parametrize("stem,claim", [
    ("BC quy I-2024 xa Tan Duc", Claim(("commune",), "xa tan duc", "file-name")),
    ("BC ANTQ P Trung Son Q1 2024", Claim(("commune",), "phuong trung son", "file-name")),
    ("thi tran tan minh Q1-2024", Claim(("commune",), "thi tran tan minh", "file-name")),
    ("Xa Tan Ha lan 2", Claim(("commune",), "xa tan ha", "file-name")),
    ("bao cao quy I", None),
])
def test_the_unit_a_file_name_names_after_its_type_word(stem, claim):
    assert name_claims(stem) == ((claim,) if claim else ())


def test_the_folders_between_the_root_and_the_file(tmp_path):
    root = tmp_path / "Tỉnh Bình Thuận"
    path = root / "Huyện Hàm Tân" / "thang 3" / "tan ha.xlsx"
    assert folders_between(path, root) == ("thang 3", "Huyện Hàm Tân", "Tỉnh Bình Thuận")
    assert folders_between(path, None) == ()
    assert folders_between(tmp_path / "elsewhere.xlsx", root) == ()
    assert folders_between(Path("tan ha.xlsx"), Path(".")) == (Path.cwd().name,)
    assert folders_between(Path("tan ha.xlsx"), Path.cwd()) == (Path.cwd().name,)


@pytest.mark.parametrize("name,levels", [
    ("Huyện Hàm Tân", ("district",)), ("huyen ham tan", ("district",)),
    ("TP. Huế", ("district", "province")), ("TT Tân Minh", ("commune",)),
    ("Ham Tan", ()), ("601", ()),
])
def test_the_levels_a_type_word_names(name, levels):
    assert type_levels(name) == levels
