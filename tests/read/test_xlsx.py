"""xlsx.py and ods.py: the hidden rows and columns of a sheet, which calamine does not say.

Hidden cells are read like any other (Excel's SUM counts them); a problem in one says it is
hidden, so the clerk unhides it to see what antq means.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl

from antq_cli.outputs.messages import render
from antq_cli.read.reading import read_workbook
from antq_cli.read.xlsx import hidden_lines
from tests.builders import Layout, a1, write_bieu01
from tests.helpers import only, sender, validate_one, villages

TAN_DUC = "99103"


def test_hidden_lines_of_a_sheet_s_xml():
    xml = (b'<worksheet><cols><col min="2" max="3" hidden="1" width="0"/><col min="5" max="5"/>'
           b'<col min="20" max="16384" hidden="true"/></cols><sheetData>'
           b'<row r="4" hidden="1"><c r="A4"/></row><row r="5" spans="1:3"/>'
           b'<row r="17" customHeight="1" ht="0" hidden="1"/></sheetData></worksheet>')
    rows, cols = hidden_lines(xml)
    assert rows == {3, 16}
    assert {1, 2, 19} <= cols and 4 not in cols and max(cols) == 1023  # up to a limit
    assert hidden_lines(b"<worksheet><sheetData><row r='1'/></sheetData></worksheet>") == (
        set(), set())


def _with_errors(tmp_path, fmt="xlsx"):
    """Tân Đức's bieu-01 with a broken rule on Thôn 2's row (households_attending over
    households); returns its path, its sheet and that row (0-based)."""
    rows = villages(TAN_DUC)
    code, name, values = rows[1]
    rows[1] = (code, name, {**values, "households_attending": values["households"] + 5})
    path = tmp_path / f"xa tan duc.{fmt}"
    sheet = write_bieu01(path, sender(TAN_DUC), rows, "Quý I/2024", Layout(total_row=None), fmt)
    return path, sheet, sheet.data_rows[code]


def test_a_problem_in_a_hidden_row_says_so(tmp_path, forms, registry):
    path, sheet, row = _with_errors(tmp_path)
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[row + 1].hidden = True
    book.save(path)
    grid = next(g for g in read_workbook(path).sheets if g.sheet == sheet.name)
    assert grid.hidden_rows == {row}
    problem = only(validate_one(path, forms, registry), "rule-failed")
    assert problem.params["hidden_row"] == row + 1
    assert f"dòng {row + 1} đang bị ẩn" in render(problem, "vi")
    assert f"row {row + 1} is hidden" in render(problem, "en")


def test_a_problem_in_a_hidden_column_says_so(tmp_path, forms, registry):
    path, sheet, row = _with_errors(tmp_path)
    col = sheet.columns["households_attending"]
    letter = a1(0, col)[:-1]
    book = openpyxl.load_workbook(path)
    book.active.column_dimensions[letter].hidden = True
    book.save(path)
    problem = only(validate_one(path, forms, registry), "rule-failed")
    assert problem.cell == a1(row, col)
    assert f"cột {letter} đang bị ẩn" in render(problem, "vi")


def test_hidden_rows_and_columns_of_an_ods(tmp_path, forms, registry):
    path, sheet, row = _with_errors(tmp_path, "ods")
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    content = parts["content.xml"].decode()
    rows = [m.start() for m in re.finditer("<table:table-row>", content)]
    at = rows[row]
    content = content[:at] + '<table:table-row table:visibility="collapse">' + \
        content[at + len("<table:table-row>"):]
    content = content.replace('<table:table-column ', '<table:table-column '
                              'table:visibility="collapse" ', 1)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, content.encode() if name == "content.xml" else data)
    grid = next(g for g in read_workbook(path).sheets if g.sheet == sheet.name)
    assert grid.hidden_rows == {row} and grid.hidden_cols == {0}
    problem = only(validate_one(path, forms, registry), "rule-failed")
    assert f"dòng {row + 1} đang bị ẩn" in render(problem, "vi")
