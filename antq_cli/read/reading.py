"""Read a submission (.xlsx, .xlsm, .xls, .ods, .csv) from disk once into grids addressed from A1.

The kind of a file is read from its bytes, not its name: a CSV saved as "bao cao.xlsx" is read
as CSV. python-calamine reads the cells; what it does not expose (formulas saved without a
value, error values such as #REF!, merged cells in .ods) is read from the file directly
(xlsx.py, ods.py, xls.py). What could harm the reader (too large, zip bombs, XML entities,
passwords) is refused first, by guards.py. Every failure becomes a ReadError
("unreadable-file" with the `reason` as a code, "encrypted-file", "over-limit",
"suspicious-file" or "not-a-spreadsheet"); nothing else escapes. Invisible characters (bidi
overrides, zero-width, controls) are dropped from the text of every cell, with a
"hidden-characters" warning for bidi overrides. Text files are decoded and split into rows by
textfile.py.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import zipfile
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from ..encodings import decode_text
from ..model import WARNING, CellError, Grid, Problem, ReadError, Workbook
from ..settings import Limits
from ..text import BIDI_CONTROLS, a1, strip_hidden
from . import guards
from .guards import check_sheet_extent, encrypted, over_limit
from .ods import scan_ods
from .textfile import parse_csv
from .xls import sheet_marks
from .xlsx import error_cells, hidden_lines, sheet_parts, uncomputed_cells

# Sheet name → its hidden (rows, columns), 0-based, where the format says.
Hidden = dict[str, tuple[set[int], set[int]]]

SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xlt", ".ods", ".ots", ".csv", ".tsv"}
)
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ""})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_MAGIC = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"{\\rtf", b"7z\xbc\xaf", b"Rar!",
                b"\x1f\x8b")

_BIDI = re.compile(f"[{BIDI_CONTROLS}]")

_Errors = dict[tuple[int, int], str]  # (row, col) -> the error value a cell shows


def read_workbook(path: str | os.PathLike[str], limits: Limits = Limits()) -> Workbook:
    """Read a spreadsheet file once into a Workbook of A1-addressed grids, or raise ReadError."""
    path = os.fspath(path)
    name = os.path.basename(path)
    stem, suffix = os.path.splitext(name)
    suffix = suffix.lower()
    if name.startswith("~$"):  # Excel's lock file beside an open workbook
        raise ReadError("not-a-spreadsheet")
    data = _read_bytes(path, limits)
    try:
        kind, sheets = _read_content(data, suffix, strip_hidden(stem), limits)
        warnings = _check_text(sheets, limits)
    except ReadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - calamine's Rust panics are BaseExceptions
        raise guards.unreadable(
            "damaged", error=f"{type(error).__name__}: {str(error)[:80]}") from error
    return Workbook(path=path, kind=kind, sheets=sheets, warnings=warnings)


# Opened without waiting (a FIFO put in a file's place would block the open until a writer
# came) and without making a terminal ours; the open file is checked, not the name, so nothing
# swapped in between the two is read.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0))


def _read_bytes(path: str, limits: Limits) -> bytes:
    largest = limits.file_bytes
    try:
        # os.open, not open(): no FileIO and BufferedReader to build, and no second read to
        # learn of the end, for a file that fstat has measured.
        descriptor = os.open(path, _OPEN_FLAGS)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):  # a FIFO would block, /dev/zero never end
                raise guards.unreadable("not-a-file")
            # read(largest + 1) would allocate the whole limit (100 MB) at each call: read what
            # fstat announced, and on up to the limit only if the file grew since.
            data = _read_up_to(descriptor, status.st_size + 1, status.st_size) \
                if status.st_size <= largest else b""
            if len(data) > status.st_size:
                data += _read_up_to(descriptor, largest + 1 - len(data), largest + 1 - len(data))
        finally:
            os.close(descriptor)
    except OSError as error:
        if error.errno == errno.EISDIR:  # Windows refuses to open a folder at all
            raise guards.unreadable("not-a-file") from error
        raise guards.unreadable("cannot-open", error=error.strerror) from error
    if status.st_size > largest or len(data) > largest:  # or it grew since fstat
        raise over_limit(limits, "file_bytes", max(status.st_size, len(data)))
    return data


def _read_up_to(descriptor: int, most: int, expected: int) -> bytes:
    """Up to `most` bytes, reading on after a short read until `expected` or the end."""
    data = os.read(descriptor, most)
    while len(data) < expected:
        more = os.read(descriptor, most - len(data))
        if not more:
            break
        data += more
    return data


def _read_content(data: bytes, suffix: str, stem: str,
                  limits: Limits) -> tuple[str, list[Grid]]:
    """Dispatch on the bytes: zip (xlsx, ods), OLE2 (xls), text (csv); refuse the rest."""
    meant_as_spreadsheet = suffix in SPREADSHEET_SUFFIXES
    if not data or (len(data) < 4096 and not data.strip()):
        if meant_as_spreadsheet:
            raise guards.unreadable("empty")
        raise ReadError("not-a-spreadsheet")
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data, meant_as_spreadsheet, limits)
    if data.startswith(_OLE_MAGIC):
        return "xls", _read_ole(data, limits)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        if not meant_as_spreadsheet:
            raise ReadError("not-a-spreadsheet")
        raise guards.unreadable("html")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise guards.unreadable("xml-2003")
    if not data.startswith(_OTHER_MAGIC) and (meant_as_spreadsheet or suffix in _TEXT_SUFFIXES):
        text = decode_text(data)
        if text is not None:
            rows = parse_csv(text, stem, limits, strict=suffix not in (".csv", ".tsv"))
            if rows is not None:
                return "csv", [Grid(sheet=stem, rows=rows)]
    if meant_as_spreadsheet:
        raise guards.unreadable("not-a-table")
    raise ReadError("not-a-spreadsheet")


# -- zip: xlsx, xlsm, ods ---------------------------------------------------------------------

def _read_zip(data: bytes, meant_as_spreadsheet: bool,
              limits: Limits) -> tuple[str, list[Grid]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise guards.unreadable("incomplete") from error
    guards.check_zip(data, members, limits)
    try:
        return _read_zip_kind(data, archive, meant_as_spreadsheet, limits)
    except (ReadError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - calamine refuses a DOCTYPE with an XmlError
        if guards.has_doctype(archive):
            raise guards.entity_refusal() from error
        raise


def _read_zip_kind(data: bytes, archive: zipfile.ZipFile, meant_as_spreadsheet: bool,
                   limits: Limits) -> tuple[str, list[Grid]]:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            hidden: Hidden = {}
            errors: dict[str, _Errors] = {}
            tables, merged = scan_ods(archive, limits, hidden, errors)
            _check_sheet_count(tables, limits)
            return "ods", _read_with_calamine(data, {}, limits, merged, hidden, errors)
    elif "xl/workbook.bin" in names:
        return "xlsb", _read_with_calamine(data, {}, limits)
    elif any(name.startswith("xl/") for name in names):
        return "xlsx", _read_xlsx(data, archive, names, limits)
    if meant_as_spreadsheet and not any(n.startswith(("word/", "ppt/")) for n in names):
        raise guards.unreadable("no-sheet-in-zip")
    raise ReadError("not-a-spreadsheet")


def _read_xlsx(data: bytes, archive: zipfile.ZipFile, names: set[str],
               limits: Limits) -> list[Grid]:
    parts = sheet_parts(data, archive, names)
    _check_sheet_count(len(parts), limits)
    hidden: Hidden = {}
    errors: dict[str, _Errors] = {}
    uncomputed = _check_sheets(archive, parts, limits, hidden, errors)
    return _read_with_calamine(data, uncomputed, limits, hidden=hidden, errors=errors)


def _check_sheets(archive: zipfile.ZipFile, parts: dict[str, str], limits: Limits,
                  hidden: Hidden, errors: dict[str, _Errors]) -> dict[str, set[tuple[int, int]]]:
    """Refuse sheets that would harm calamine; the uncomputed formula cells of each sheet,
    its hidden rows and columns put in `hidden` and its error cells in `errors`.

    The sheets' XML is dropped on return, before calamine inflates them again.
    """
    sheet_xml = {name: archive.read(part) for name, part in parts.items()}
    for name, xml in sheet_xml.items():
        guards.check_sheet_xml(name, xml, limits)
    guards.check_shared_strings(archive, sheet_xml, limits)
    for name, xml in sheet_xml.items():
        rows, cols = hidden_lines(xml)
        if rows or cols:
            hidden[name] = (rows, cols)
        shown = error_cells(xml)
        if shown:
            errors[name] = shown
    return {name: uncomputed_cells(xml) for name, xml in sheet_xml.items()}


def _check_sheet_count(count: int, limits: Limits) -> None:
    if count > limits.sheets:
        raise over_limit(limits, "sheets", count)


# -- calamine -----------------------------------------------------------------------------------

def _read_with_calamine(
    data: bytes,
    uncomputed: dict[str, set[tuple[int, int]]],
    limits: Limits,
    merged: dict[str, list[tuple[int, int, int, int]]] | None = None,
    hidden: Hidden | None = None,
    errors: dict[str, _Errors] | None = None,
) -> list[Grid]:
    """Every worksheet, in order, as a grid from A1; chart sheets are left out. The error
    cells found in the file (`errors`, by sheet) are put back where calamine left blanks."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    metadata = book.sheets_metadata
    _check_sheet_count(len(metadata), limits)
    grids = []
    for index, meta in enumerate(metadata):
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_index(index)
        if sheet.end is not None:
            check_sheet_extent(meta.name, sheet.end[0] + 1, sheet.end[1] + 1, limits)
        rows = sheet.to_python(skip_empty_area=False)
        for number, row in enumerate(rows):
            if "" in row:  # calamine's empty cell; a row without one is kept (tested in C)
                rows[number] = [None if value == "" else value for value in row]
        if merged is not None:
            ranges = merged.get(meta.name, [])
        else:
            ranges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()]
        cells = uncomputed.get(meta.name, set())
        shown = errors.get(meta.name) if errors else None
        if cells or shown:
            _extend(rows, cells | shown.keys() if shown else cells)
        for (row, col), text in (shown or {}).items():
            rows[row][col] = CellError(text)
        grid = Grid(sheet=strip_hidden(meta.name), rows=rows, merged=ranges,
                    uncomputed=set(cells))
        if hidden and meta.name in hidden:
            grid.hidden_rows, grid.hidden_cols = hidden[meta.name]
        grids.append(grid)
    return grids


def _extend(rows: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """Grow the grid with empty cells so every uncomputed formula cell (or error cell) has an
    address."""
    width = max([len(rows[0]) if rows else 0] + [col + 1 for _, col in cells])
    height = max([len(rows)] + [row + 1 for row, _ in cells])
    for row in rows:
        row.extend([None] * (width - len(row)))
    rows.extend([None] * width for _ in range(height - len(rows)))


def _read_ole(data: bytes, limits: Limits) -> list[Grid]:
    """An .xls, or an encrypted .xlsx (also OLE2), or a Word/PowerPoint file."""
    guards.check_cfb(data)
    try:
        hidden, errors = sheet_marks(data)
        return _read_with_calamine(data, {}, limits, hidden=hidden, errors=errors)
    except PasswordError as error:
        raise encrypted() from error
    except ReadError:
        raise
    except Exception as error:
        if any(name.encode("utf-16-le") in data for name in ("EncryptedPackage", "EncryptionInfo")):
            raise encrypted() from error
        if any(name.encode("utf-16-le") in data for name in ("WordDocument", "PowerPoint")):
            raise ReadError("not-a-spreadsheet") from error
        raise


# -- text of the cells --------------------------------------------------------------------------

def _check_text(grids: list[Grid], limits: Limits) -> list[Problem]:
    """Refuse a cell longer than the limit; drop invisible characters from every text cell.

    A bidi override (U+202E...) makes a cell display other than it reads: "Thôn\u202e 1" is
    matched as "Thôn 1", and the first such cell of a sheet is named in a warning.
    """
    longest = limits.cell_chars
    warnings = []
    for grid in grids:
        texts = [value for row in grid.rows for value in row if type(value) is str]
        joined = " ".join(texts)
        if (len(joined) <= longest or max(map(len, texts)) <= longest) and \
                strip_hidden(joined) == joined:
            continue  # the common case, decided in C: nothing long, nothing hidden
        first, count = "", 0
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value.__class__ is not str:
                    continue
                if len(value) > longest:
                    raise guards.long_cell(grid.sheet, r, c, len(value), limits)
                if _BIDI.search(value):
                    first, count = first or a1(r, c), count + 1
                row[c] = strip_hidden(value) or None
        if count:
            warnings.append(Problem(WARNING, "hidden-characters", sheet=grid.sheet, cell=first,
                                    params={"count": count}))
    return warnings
