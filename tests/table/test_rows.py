"""rows.py: section rows, the label each gives, and the rows that are units after all.

A district's workbook heads the villages of each commune with that commune's row: a Roman
numeral in the STT column, "I. Xã Tân Hà" in the name column, "Xã Tân Hà" with no figures,
or the commune's name alone over numbered rows. A village typed with no figures at all is
still a village.
"""

from __future__ import annotations

from antq_cli.model import Grid
from antq_cli.table.layout import locate
from tests.builders import Layout, Section, table_sheet
from tests.helpers import villages

Q1 = "Quý I/2024"
DISTRICT = ("991", "Huyện Tân Minh", "Tỉnh Mẫu Sơn")


def located(sheet, forms):
    table = locate(Grid(sheet.name, sheet.rows(), list(sheet.merges)), forms)
    assert table is not None
    return table


def labels(table, sheet) -> list[str]:
    return [sheet.rows()[row][table.name_col] for row in table.data_rows]


def two_sections():
    return [Section("Xã Tân Đức"), *villages("99103")[:2], Section("Thị trấn Tân Minh"),
            *villages("99101")[:2]]


def test_roman_numerals_in_the_stt_column(forms):
    sheet = table_sheet("bieu-01", DISTRICT, two_sections(), Q1, Layout(total_row=None))
    table = located(sheet, forms)
    assert [label for _, label in table.sections] == ["Xã Tân Đức", "Thị trấn Tân Minh"]
    assert labels(table, sheet) == ["Thôn 1", "Thôn 2", "Tổ dân phố 1", "Tổ dân phố 2"]


def test_roman_numerals_in_the_name_column(forms):
    sheet = table_sheet("bieu-01", DISTRICT, two_sections(), Q1, Layout(stt=False, total_row=None))
    table = located(sheet, forms)
    assert [label for _, label in table.sections] == ["Xã Tân Đức", "Thị trấn Tân Minh"]
    assert len(table.data_rows) == 4


def test_a_type_word_or_a_name_alone_over_numbered_rows(forms):
    sheet = table_sheet("bieu-01", DISTRICT, two_sections(), Q1, Layout(total_row=None))
    stt, name = sheet.columns["stt"], sheet.columns["name"]
    first, second = (row for (row, col), value in sheet.cells.items()
                     if col == stt and value in ("I", "II"))
    del sheet.cells[(first, stt)], sheet.cells[(second, stt)]
    sheet.cells[(second, name)] = "Tân Minh"  # the name alone, the type word left out
    table = located(sheet, forms)
    assert [(row, label) for row, label in table.sections] == [(first, "Xã Tân Đức"),
                                                               (second, "Tân Minh")]
    assert len(table.data_rows) == 4


def test_a_village_with_no_figures_is_still_a_village(forms):
    rows = villages("99103")
    blank = (rows[1][0], rows[1][1], {})
    sheet = table_sheet("bieu-01", ("99103", "Xã Tân Đức"), [rows[0], blank, *rows[2:]], Q1,
                        Layout(total_row=None))
    table = located(sheet, forms)
    assert table.sections == [] and len(table.data_rows) == len(rows)
    # Its STT number gone too, and no numbered row after it: still a village.
    stt = sheet.columns["stt"]
    last = max(row for (row, col) in sheet.cells if col == stt and row in table.data_rows)
    empty = {(r, c): v for (r, c), v in sheet.cells.items()
             if r != last or c == sheet.columns["name"]}
    sheet.cells = empty
    table = located(sheet, forms)
    assert table.sections == [] and last in table.data_rows
