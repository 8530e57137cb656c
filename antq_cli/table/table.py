"""A located form: where its header, columns, data rows and total rows are in a sheet.

Made by layout.py (header and columns) and rows.py (which rows are data and totals); read by
parsing.py and checks.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..forms import Form


@dataclass(slots=True)
class TotalRow:
    """A "Tổng cộng"/"Cộng" row: checked against the sum of `scope` rows, never added."""

    row: int
    label: str
    scope: list[int]


@dataclass(slots=True)
class Table:
    """Where a form sits in a sheet and what each of its rows and columns is."""

    form: Form
    sheet: str
    vertical: bool
    header_top: int
    header_bottom: int
    columns: dict[str, int] = field(default_factory=dict)
    header_cells: dict[str, str] = field(default_factory=dict)
    name_col: int | None = None
    code_col: int | None = None
    stt_col: int | None = None
    data_rows: list[int] = field(default_factory=list)
    total_rows: list[TotalRow] = field(default_factory=list)
    # (row, label) of each section row ("I | Xã Tân Hà"), in order: a district's workbook
    # lists the villages of each commune under that commune's row.
    sections: list[tuple[int, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    value_col: int | None = None
    indicator_rows: dict[str, int] = field(default_factory=dict)
    # (cell, text) of the header cells no indicator or id column was matched to, when an
    # indicator is missing: what the clerk may have meant.
    unmatched: list[tuple[str, str]] = field(default_factory=list)
