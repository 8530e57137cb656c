"""xls.py: the hidden rows and columns of an .xls (BIFF8, written by xlwt), which calamine
does not say; a problem in one says it is hidden."""

from __future__ import annotations

import xlwt

from antq_cli.outputs.messages import render
from antq_cli.read.reading import read_workbook
from antq_cli.read.xls import hidden_lines_xls
from tests.builders import Layout, table_sheet
from tests.helpers import only, sender, validate_one, villages


def _book(rows: int) -> xlwt.Workbook:
    book = xlwt.Workbook(encoding="utf-8")
    first, second = book.add_sheet("Biểu 01"), book.add_sheet("Danh sách")
    for row in range(rows):
        first.write(row, 0, f"Thôn {row}")
        first.write(row, 3, row)
    first.row(2).hidden = True
    first.col(1).hidden = True
    second.write(0, 0, "STT")
    second.row(0).hidden = True
    return book


def test_hidden_lines_of_small_and_large_xls(tmp_path):
    """A small workbook stream lies in the compound file's mini stream, a large one in its
    own sectors: both are followed."""
    for rows in (5, 400):
        path = tmp_path / f"{rows}.xls"
        _book(rows).save(str(path))
        assert hidden_lines_xls(path.read_bytes()) == {"Biểu 01": ({2}, {1}),
                                                      "Danh sách": ({0}, set())}
        grids = {grid.sheet: grid for grid in read_workbook(path).sheets}
        assert (grids["Biểu 01"].hidden_rows, grids["Biểu 01"].hidden_cols) == ({2}, {1})


def test_not_an_xls_gives_nothing():
    assert hidden_lines_xls(b"\xd0\xcf\x11\xe0" + b"\0" * 600) == {}


def test_a_problem_in_a_hidden_row_of_an_xls(tmp_path, forms, registry):
    rows = villages("99103")
    code, name, values = rows[1]
    rows[1] = (code, name, {**values, "households_attending": values["households"] + 5})
    sheet = table_sheet("bieu-01", sender("99103"), rows, "Quý I/2024", Layout(total_row=None))
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet.name)
    for (r, c), value in sheet.cells.items():
        ws.write(r, c, value)
    hidden = sheet.data_rows[code]
    ws.row(hidden).hidden = True
    path = tmp_path / "xa tan duc.xls"
    book.save(str(path))
    problem = only(validate_one(path, forms, registry), "rule-failed")
    assert f"dòng {hidden + 1} đang bị ẩn" in render(problem, "vi")
