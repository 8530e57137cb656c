"""An .ods checked before calamine reads it: what each table would allocate (a few bytes can
repeat a row a million times, or one long text into a million cells), its merged cells, which
calamine does not give for .ods, and its error cells, which calamine gives as blanks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

from ..settings import Limits
from . import guards
from .guards import check_sheet_extent, over_limit

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_VISIBILITY = _TABLE + "visibility"
# Hidden rows or columns noted per repeated run at most: a sheet may hide a million empty rows.
_MOST_HIDDEN = 1024
# LibreOffice marks a formula whose result is an error (#DIV/0!, Err:502) with this attribute,
# beside an empty string value; the error's text is the cell's paragraph.
_CALC_VALUE_TYPE = ("{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
                    "value-type")
# Error cells kept per table: a repeated error cell is one mistake copied, and its first cells
# are enough to name it (a crafted file may repeat one over millions of cells).
_MOST_ERRORS = 10_000


class _OdsScan:
    """What calamine would allocate for each table of content.xml, refused beyond the limits.

    An .ods repeats a cell or a row by a count ("number-columns-repeated"): a few bytes can ask
    for a million rows, or for one long text copied into a million cells.
    """

    def __init__(self, merged: dict[str, list[tuple[int, int, int, int]]], limits: Limits,
                 hidden: dict[str, tuple[set[int], set[int]]] | None = None,
                 errors: dict[str, dict[tuple[int, int], str]] | None = None) -> None:
        self.merged = merged
        self.hidden = hidden if hidden is not None else {}
        self.errors = errors if errors is not None else {}
        self.column = 0
        self.limits = limits
        self.tables = 0
        self.table = ""
        self.row = self.col = self.rows_repeated = 0
        self.last_row = self.last_col = -1
        self.text = 0
        self.max_rows, self.max_cells = limits.rows, limits.cells
        self.max_chars, self.max_text = limits.cell_chars, limits.unpacked_bytes

    def step(self, event: str, tag: str, element: ET.Element) -> None:
        """Follow one start or end event of a table element."""
        if event == "start":
            if tag == "table":
                self.tables += 1
                self.table, self.row, self.last_row, self.last_col = \
                    element.get(_TABLE + "name", ""), 0, -1, -1
                self.merged[self.table] = []
                self.errors[self.table] = {}
                self.column = 0
            elif tag == "table-row":
                self.col = 0
                self.rows_repeated = int(element.get(_TABLE + "number-rows-repeated", "1"))
                if element.get(_VISIBILITY, "visible") != "visible":
                    self._hide(0, range(self.row, self.row + min(self.rows_repeated, _MOST_HIDDEN)))
            elif tag == "table-column":
                repeated = int(element.get(_TABLE + "number-columns-repeated", "1"))
                if element.get(_VISIBILITY, "visible") != "visible":
                    self._hide(1, range(self.column, self.column + min(repeated, _MOST_HIDDEN)))
                self.column += repeated
        elif tag in ("table-cell", "covered-table-cell"):
            self._cell(element)
            element.clear()
        elif tag == "table-row":
            self.row += self.rows_repeated
            element.clear()
        elif tag == "table":
            check_sheet_extent(self.table, self.last_row + 1, self.last_col + 1, self.limits)

    def _hide(self, which: int, lines: range) -> None:
        """Note rows (which 0) or columns (1) of the current table as hidden ("collapse", or
        "filter": hidden by a filter)."""
        self.hidden.setdefault(self.table, (set(), set()))[which].update(lines)

    def _cell(self, element: ET.Element) -> None:
        repeated = int(element.get(_TABLE + "number-columns-repeated", "1"))
        spans = (int(element.get(_TABLE + "number-rows-spanned", "1")),
                 int(element.get(_TABLE + "number-columns-spanned", "1")))
        if spans != (1, 1):
            self.merged[self.table].append(
                (self.row, self.col, self.row + spans[0] - 1, self.col + spans[1] - 1))
        if element.get(_CALC_VALUE_TYPE) == "error":
            self._error(element, repeated)
        if element.get(_VALUE_TYPE) or len(element):
            self.last_row = max(self.last_row, self.row + self.rows_repeated - 1)
            self.last_col = max(self.last_col, self.col + repeated - 1)
            if self.last_row >= self.max_rows or \
                    (self.last_row + 1) * (self.last_col + 1) > self.max_cells:
                check_sheet_extent(self.table, self.last_row + 1, self.last_col + 1,
                                   self.limits)
            if len(element):
                chars = sum(len(text) for text in element.itertext())
                if chars > self.max_chars:
                    raise guards.long_cell(self.table, self.row, self.col, chars, self.limits)
                self.text += chars * repeated * self.rows_repeated
                if self.text > self.max_text:
                    raise over_limit(self.limits, "unpacked_bytes", self.text,
                                     "ods_text_unpacked_bytes")
        self.col += repeated

    def _error(self, element: ET.Element, repeated: int) -> None:
        """Note an error cell (and its repeats) with the text it shows."""
        found = self.errors[self.table]
        shown = "".join(element.itertext()).strip() or "#N/A"
        for row in range(self.row, self.row + self.rows_repeated):
            for col in range(self.col, self.col + repeated):
                if len(found) >= _MOST_ERRORS:
                    return
                found[(row, col)] = shown


def scan_ods(archive: zipfile.ZipFile, limits: Limits,
             hidden: dict[str, tuple[set[int], set[int]]] | None = None,
             errors: dict[str, dict[tuple[int, int], str]] | None = None,
             ) -> tuple[int, dict[str, list[tuple[int, int, int, int]]]]:
    """(number of tables, merged ranges of each table) of an .ods whose tables are within the
    limits, its hidden rows and columns put in `hidden` and its error cells (by table, then
    (row, col) -> the error shown) in `errors`; refuses an encrypted or damaged one."""
    names = set(archive.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
            "META-INF/manifest.xml"):
        raise guards.encrypted()
    if "content.xml" not in names:
        raise guards.unreadable("incomplete")
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    with archive.open("content.xml") as content:
        scan = _OdsScan(merged, limits, hidden, errors)
        for event, element in ET.iterparse(guards.NoDoctype(content), events=("start", "end")):
            if element.tag.startswith(_TABLE):
                scan.step(event, element.tag[len(_TABLE):], element)
    return scan.tables, merged
