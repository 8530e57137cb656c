"""Text files as sheets: decoding a CSV (UTF-8, UTF-16, Windows-1258 and the 8-bit legacy
cases) and splitting it into rows with a sniffed delimiter, within the limits of guards.py.
Used by reading.py for .csv, .tsv and text saved under a spreadsheet's name.
"""

from __future__ import annotations

import csv
import re
from typing import Any

from ..settings import Limits
from . import guards
from .guards import check_sheet_extent, over_limit

_CSV_DELIMITERS = (",", ";", "\t")
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines splits


def parse_csv(text: str, name: str, limits: Limits, strict: bool) -> list[list[Any]] | None:
    """Rows of strings (None for empty), delimiter sniffed; None when `strict` and not a table."""
    # Count before splitting, so a million short lines are refused before a list holds them.
    breaks = sum(map(text.count, _LINE_BREAKS)) - text.count("\r\n")
    check_sheet_extent(name, breaks + (not text.endswith(tuple(_LINE_BREAKS))), 1, limits)
    # keepends: a quoted label may hold a line break ("tự\nphòng"), which csv.reader keeps.
    lines = text.splitlines(keepends=True)
    longest = limits.cell_chars
    if longest >= csv.field_size_limit():  # only when ANTQ_MAX_CELL_CHARS was raised past it
        csv.field_size_limit(longest + 1)
    try:
        return _csv_rows(lines, text, name, limits, strict)
    except csv.Error as error:  # a field over csv's own limit, itself over ours
        if "field limit" not in str(error):
            raise
        raise over_limit(limits, "cell_chars", max(map(len, lines)), "csv_cell_chars",
                         sheet=name) from error


def _csv_rows(lines: list[str], text: str, name: str, limits: Limits,
              strict: bool) -> list[list[Any]] | None:
    delimiter = None
    if lines and re.fullmatch(r"sep=(.)", lines[0].strip()):  # Excel's "sep=;" hint line
        delimiter, lines = lines[0].strip()[4], lines[1:]
    sample = [line for line in lines[:100] if line.strip()]
    if delimiter is None:
        delimiter, columns, agreeing = _sniff_delimiter(sample)
        if strict and (columns < 2 or agreeing < 0.5 * len(sample)):
            return None
    fields = text.count(delimiter) + len(lines)
    if fields > limits.cells:  # rows x columns is at least the number of fields
        raise guards.too_many_cells(name, len(lines), -(-fields // max(len(lines), 1)), limits)
    rows = [[cell if cell != "" else None for cell in row]
            for row in csv.reader(lines, delimiter=delimiter)]
    width = max((len(row) for row in rows), default=0)
    check_sheet_extent(name, len(rows), width, limits)
    for row in rows:
        row.extend([None] * (width - len(row)))
    return rows


def _sniff_delimiter(sample: list[str]) -> tuple[str, int, int]:
    """The delimiter that splits most lines into the same number (> 1) of fields.

    csv.Sniffer is not used: on ";" files with Vietnamese decimals ("1.234,5") it picks "," or
    raises; counting how many lines agree on one field count is predictable.
    """
    best = (",", 1, 0)
    for delimiter in _CSV_DELIMITERS:
        counts: dict[int, int] = {}
        for fields in csv.reader(sample, delimiter=delimiter):
            counts[len(fields)] = counts.get(len(fields), 0) + 1
        wide = {n: k for n, k in counts.items() if n > 1}
        if not wide:
            continue
        columns = max(wide, key=lambda n: (wide[n], n))
        if wide[columns] > best[2] or (wide[columns] == best[2] and columns > best[1]):
            best = (delimiter, columns, wide[columns])
    return best
