"""headers.py and layout.py: two-row headers that are not merged, and the header cells named
when an indicator's column is not found.

A two-row header saved as CSV keeps each group label over the first column of its group only
("Số vụ Nhân dân tố giác, tham gia truy bắt" over "Tổng số", then blanks over "Trộm cắp",
"Cướp", "Khác"); Excel's "Center Across Selection" looks merged and is not. The label goes
on over its parts.
"""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.styles import Alignment

from antq_cli.model import ACCEPTED, Grid
from antq_cli.outputs.messages import render
from antq_cli.table.headers import Filled, carried_groups, column_paths
from tests.builders import (
    Layout,
    a1,
    csv_text,
    encode_cp1258,
    table_sheet,
    write_workbook,
)
from tests.helpers import commune_row, only, sender, validate_one, villages

Q1 = "Quý I/2024"


def _unmerged(form: str, rows, layout: Layout):
    """A form sheet whose group labels are not merged over their parts: the label stays in
    the first part's cell, the others blank."""
    sheet = table_sheet(form, sender("99103"), rows, Q1, layout)
    top = sheet.header_rows[0]
    sheet.merges = [m for m in sheet.merges if not (m[0] == m[2] == top and m[3] > m[1])]
    return sheet


@pytest.mark.parametrize("form,rows", [("bieu-02", commune_row("99103")),
                                       ("bieu-01", villages("99103"))])
def test_a_two_row_header_saved_as_csv(tmp_path, forms, registry, form, rows):
    sheet = _unmerged(form, rows, Layout(header_rows=2, total_row=None))
    path = tmp_path / "xa tan duc.csv"
    path.write_bytes(encode_cp1258(csv_text(sheet, ";")))
    result = validate_one(path, forms, registry)
    assert result.status == ACCEPTED, [(p.code, render(p)) for p in result.problems]
    record = result.records[0]
    code, _, values = rows[0]
    assert record.values == values


def test_center_across_selection(tmp_path, forms, registry):
    sheet = _unmerged("bieu-02", commune_row("99103"), Layout(header_rows=2, total_row=None))
    path = tmp_path / "xa tan duc.xlsx"
    write_workbook(path, [sheet])
    book = openpyxl.load_workbook(path)
    top = sheet.header_rows[0] + 1
    for cell in book.active[top]:
        cell.alignment = Alignment(horizontal="centerContinuous")
    book.save(path)
    result = validate_one(path, forms, registry)
    assert result.status == ACCEPTED, [(p.code, render(p)) for p in result.problems]
    assert result.records[0].values == commune_row("99103")[0][2]


def test_the_label_is_carried_only_over_parts():
    """Over blank cells with a part below, from a label with a part below; never from a
    label alone in its column ("STT"), nor past a cell with nothing below."""
    rows = [["STT", "Tên", "Nhóm", None, None, "Họp", None, "Số hộ"],
            [None, None, "A", "B", "C", None, None, None]]
    filled = Filled(Grid("s", rows), 5)
    assert carried_groups(filled, 0, 1) == {(0, 3): "Nhóm", (0, 4): "Nhóm"}
    assert column_paths(filled, 0, 1, filled.width)[2:5] == [("Nhóm", "A"), ("Nhóm", "B"),
                                                             ("Nhóm", "C")]
    merged = Filled(Grid("s", rows, [(0, 2, 0, 3)]), 5)  # a merged label: its range only
    assert carried_groups(merged, 0, 1) == {}


def test_missing_column_names_the_header_cells_not_recognised(tmp_path, forms, registry):
    sheet = table_sheet("bieu-01", sender("99103"), villages("99103"), Q1,
                        Layout(header_rows=1, total_row=None))
    col, row = sheet.columns["tips_received"], sheet.header_rows[0]
    sheet.cells[(row, col)] = "Số tin báo, tố giác về ANTT"
    write_workbook(tmp_path / "xa tan duc.xlsx", [sheet])
    problem = only(validate_one(tmp_path / "xa tan duc.xlsx", forms, registry), "missing-column")
    cell = a1(row, col)
    assert problem.indicator == "tips_received" and problem.cell == cell
    assert f"{cell} 'Số tin báo, tố giác về ANTT'" in render(problem, "vi")
    assert "chưa nhận ra" in render(problem, "vi")
    assert f"{cell} 'Số tin báo, tố giác về ANTT'" in render(problem, "en")


def test_missing_column_without_a_stray_heading_says_only_what_is_missing(tmp_path, forms,
                                                                          registry):
    sheet = table_sheet("bieu-01", sender("99103"), villages("99103"), Q1,
                        Layout(header_rows=1, total_row=None))
    col = sheet.columns["tips_received"]
    sheet.cells = {(r, c): v for (r, c), v in sheet.cells.items() if c != col}
    write_workbook(tmp_path / "xa tan duc.xlsx", [sheet])
    problem = only(validate_one(tmp_path / "xa tan duc.xlsx", forms, registry), "missing-column")
    assert problem.cell == "" and "chưa nhận ra" not in render(problem, "vi")
