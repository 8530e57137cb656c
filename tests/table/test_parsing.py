"""parsing.py: extracting the records of a located table."""

from __future__ import annotations

from antq_cli.forms import load_forms
from antq_cli.model import Grid
from antq_cli.table.layout import Table
from antq_cli.table.parsing import extract
from antq_cli.text import column_letter

FORMS = load_forms()


def test_column_letters_beyond_z():
    form = FORMS.forms["bieu-01"]
    columns = {ind.code: 700 + i for i, ind in enumerate(form.indicators)}
    rows = [[None] * 720 for _ in range(3)]
    rows[2][700:711] = [1.0] * 10 + ["Đạt"]
    grid = Grid("S", rows)
    table = Table(form=form, sheet="S", vertical=False, header_top=0, header_bottom=1,
                  columns=columns, name_col=0, data_rows=[2])
    record = extract(grid, table).records[0]
    assert record.cells["meetings"] == column_letter(700) + "3"
    assert record.values["village_safe"] == 1
