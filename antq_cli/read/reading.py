"""Read a submission (.xlsx, .xlsm, .xls, .ods, .csv) from disk once into grids addressed from A1.

The kind of a file is read from its bytes, not its name: a CSV saved as "bao cao.xlsx" is read
as CSV. python-calamine reads the cells; what it does not expose (formulas saved without a
value, merged cells in .ods) is read from the zip directly. What could harm the reader (too
large, zip bombs, XML entities, passwords) is refused first, by guards.py. Every failure becomes
a ReadError ("unreadable-file" with a Vietnamese `detail` and an English `detail_en`,
"encrypted-file", "over-limit", "suspicious-file" or "not-a-spreadsheet"); nothing else
escapes. Invisible characters (bidi overrides, zero-width, controls) are dropped from the text
of every cell, with a "hidden-characters" warning for bidi overrides. Text files are decoded
and split into rows by textfile.py.
"""

from __future__ import annotations

import io
import os
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from ..encodings import decode_text
from ..model import WARNING, Grid, Problem, ReadError, Workbook
from ..settings import Limits
from ..text import BIDI_CONTROLS, a1, strip_hidden
from . import guards
from .guards import check_sheet_extent, encrypted, over_limit
from .textfile import parse_csv

SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xlt", ".ods", ".ots", ".csv", ".tsv"}
)
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ""})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_MAGIC = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"{\\rtf", b"7z\xbc\xaf", b"Rar!",
                b"\x1f\x8b")

# Possessive *+ (what [^>] or \s stops at can only be ">" or "<"): a cell without a formula
# fails at once instead of giving back its attributes one byte at a time.
_FORMULA_CELL = re.compile(rb"<c ([^>]*+)>\s*+<f[\s>/](.*?)</c>", re.S)
_PREFIXED_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*+)>\s*+<(?:\w+:)?f[\s>/](.*?)</(?:\w+:)?c>", re.S
)
_CELL_REF = re.compile(rb"([A-Z]{1,3})(\d{1,7})")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>/]*)?(/?)>(.*?)(?:</(?:\w+:)?v>|$)", re.S)
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def _unreadable(detail: str, detail_en: str) -> ReadError:
    return ReadError("unreadable-file", detail=detail, detail_en=detail_en)


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
        raise _unreadable(
            "nội dung tệp bị hỏng", f"damaged content ({type(error).__name__}: {str(error)[:80]})"
        ) from error
    return Workbook(path=path, kind=kind, sheets=sheets, warnings=warnings)


def _read_bytes(path: str, limits: Limits) -> bytes:
    largest = limits.file_bytes
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):  # a FIFO would block, /dev/zero never end
            raise _unreadable("không phải tệp thông thường (thư mục, thiết bị hoặc ống dẫn)",
                              "not a regular file (a folder, a device or a pipe)")
        # os.open, not open(): no FileIO and BufferedReader to build, and no second read to
        # learn of the end, for a file that stat has measured.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            # read(largest + 1) would allocate the whole limit (100 MB) at each call: read what
            # stat announced, and on up to the limit only if the file grew since.
            data = _read_up_to(descriptor, status.st_size + 1, status.st_size) \
                if status.st_size <= largest else b""
            if len(data) > status.st_size:
                data += _read_up_to(descriptor, largest + 1 - len(data), largest + 1 - len(data))
        finally:
            os.close(descriptor)
    except OSError as error:
        raise _unreadable("không mở được tệp", f"cannot open the file: {error.strerror}") from error
    if status.st_size > largest or len(data) > largest:  # or it grew since stat
        raise over_limit(limits, "file_bytes", max(status.st_size, len(data)), "kích thước tệp",
                         "file size")
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
            raise _unreadable("tệp rỗng", "the file is empty")
        raise ReadError("not-a-spreadsheet")
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data, meant_as_spreadsheet, limits)
    if data.startswith(_OLE_MAGIC):
        return "xls", _read_ole(data, limits)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        if not meant_as_spreadsheet:
            raise ReadError("not-a-spreadsheet")
        raise _unreadable("tệp là trang web (HTML) mang đuôi bảng tính",
                          "an HTML page saved under a spreadsheet name")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise _unreadable("định dạng XML Spreadsheet 2003 cũ", "old XML Spreadsheet 2003 format")
    if not data.startswith(_OTHER_MAGIC) and (meant_as_spreadsheet or suffix in _TEXT_SUFFIXES):
        text = decode_text(data)
        if text is not None:
            rows = parse_csv(text, stem, limits, strict=suffix not in (".csv", ".tsv"))
            if rows is not None:
                return "csv", [Grid(sheet=stem, rows=rows)]
    if meant_as_spreadsheet:
        raise _unreadable("nội dung không phải bảng tính", "the content is not a spreadsheet")
    raise ReadError("not-a-spreadsheet")


# -- zip: xlsx, xlsm, ods ---------------------------------------------------------------------

def _read_zip(data: bytes, meant_as_spreadsheet: bool,
              limits: Limits) -> tuple[str, list[Grid]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable("tệp bị hỏng hoặc chưa tải về hết",
                          "the file is damaged or incomplete") from error
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
            return "ods", _read_ods(data, archive, limits)
    elif "xl/workbook.bin" in names:
        return "xlsb", _read_with_calamine(data, {}, limits)
    elif any(name.startswith("xl/") for name in names):
        return "xlsx", _read_xlsx(data, archive, names, limits)
    if meant_as_spreadsheet and not any(n.startswith(("word/", "ppt/")) for n in names):
        raise _unreadable("tệp nén không chứa bảng tính", "a zip archive with no sheet inside")
    raise ReadError("not-a-spreadsheet")


def _read_xlsx(data: bytes, archive: zipfile.ZipFile, names: set[str],
               limits: Limits) -> list[Grid]:
    parts = _xlsx_sheet_parts(data, archive, names)
    _check_sheet_count(len(parts), limits)
    return _read_with_calamine(data, _check_sheets(archive, parts, limits), limits)


def _check_sheets(archive: zipfile.ZipFile, parts: dict[str, str],
                  limits: Limits) -> dict[str, set[tuple[int, int]]]:
    """Refuse sheets that would harm calamine; the uncomputed formula cells of each sheet.

    The sheets' XML is dropped on return, before calamine inflates them again.
    """
    sheet_xml = {name: archive.read(part) for name, part in parts.items()}
    for name, xml in sheet_xml.items():
        guards.check_sheet_xml(name, xml, limits)
    guards.check_shared_strings(archive, sheet_xml, limits)
    return {name: _uncomputed_cells(xml) for name, xml in sheet_xml.items()}


def _check_sheet_count(count: int, limits: Limits) -> None:
    if count > limits.sheets:
        raise over_limit(limits, "sheets", count, "số trang tính", "sheets")


def _xlsx_sheet_parts(data: bytes, archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name -> its XML part in the zip (`names`), from the workbook and its relationships."""
    workbook_part = "xl/workbook.xml"
    if workbook_part not in names and "_rels/.rels" in names:
        for rel in _tags(_REL_TAG, archive.read("_rels/.rels")):
            if _attr(rel, b"Type").endswith("/officeDocument"):
                workbook_part = (_attr(rel, b"Target") if b"Target" in rel
                                 else workbook_part).lstrip("/")
    folder, _, leaf = workbook_part.rpartition("/")
    rels_part = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
    if workbook_part not in names or rels_part not in names:
        return {}
    sheets = _sheet_map(data, archive, folder, workbook_part, rels_part)
    return {name: part for name, part in sheets if part in names}


_SHEET_MAPS: dict[tuple, tuple[tuple[str, str | None], ...]] = {}


def _sheet_map(data: bytes, archive: zipfile.ZipFile, folder: str, workbook_part: str,
               rels_part: str) -> tuple[tuple[str, str | None], ...]:
    """`_sheet_targets` of the two parts, remembered by how they are stored.

    The files of a run mostly share a template. Two parts stored alike (the same bytes, the
    same method, size and checksum) unpack to the same text, so a file whose workbook part
    and its relationships are stored as in an earlier file has that file's map without
    unpacking them again.
    """
    stored = [archive.getinfo(workbook_part), archive.getinfo(rels_part)]
    packed = [guards.packed_bytes(data, info) for info in stored]
    key = None if None in packed else (folder, *(
        (info.compress_type, info.flag_bits, info.file_size, info.CRC, bytes(raw))
        for info, raw in zip(stored, packed)))
    found = _SHEET_MAPS.get(key) if key is not None else None
    if found is None:
        found = _sheet_targets(folder, archive.read(workbook_part), archive.read(rels_part))
        if key is not None:
            if len(_SHEET_MAPS) >= 32:
                _SHEET_MAPS.clear()
            _SHEET_MAPS[key] = found
    return found


def _sheet_targets(folder: str, workbook: bytes,
                   rels: bytes) -> tuple[tuple[str, str | None], ...]:
    """(sheet name, its part) of each sheet of a workbook; the part is None when no
    relationship names it (remembered by _sheet_map)."""
    targets = {}
    for rel in _tags(_REL_TAG, rels):
        target = _attr(rel, b"Target")
        target = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
        targets[_attr(rel, b"Id")] = os.path.normpath(target).replace(os.sep, "/")
    return tuple(
        (_attr(sheet, b"name"),
         targets.get(next((_text(v) for k, v in sheet.items() if k.endswith(b":id")), "")))
        for sheet in _tags(_SHEET_TAG, workbook)
    )


def _tags(pattern: re.Pattern[bytes], xml: bytes) -> list[dict[bytes, bytes]]:
    """The attributes of each tag matched by `pattern`, raw (see _attr)."""
    return [dict(_ATTR.findall(tag)) for tag in pattern.findall(xml)]


def _attr(tag: dict[bytes, bytes], key: bytes) -> str:
    """One attribute of a tag from _tags, as text, unescaped; "" when absent."""
    return _text(tag.get(key, b""))


def _text(value: bytes) -> str:
    return unescape(value.decode("utf-8", "replace"))


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _may_hold_formulas(xml: bytes) -> bool:
    """False only when `xml` holds neither "<f" nor ":f", decided mostly by one memchr.

    Between <sheetData> and </sheetData> an "f" only comes with a formula or a text, so one
    search for that byte clears the cells; the short parts around them ("defaultRowHeight",
    "footer") are searched for "<f" and ":f". No pair straddles a bound: both start with "<".
    """
    start = xml.find(b"<sheetData")
    end = xml.rfind(b"</sheetData>", start)  # any bound will do; rfind meets it at once
    if start < 0 or end < 0:
        return True
    return (xml.find(b"f", start, end) >= 0 or xml.find(b"<f", 0, start) >= 0
            or xml.find(b":f", 0, start) >= 0 or xml.find(b"<f", end) >= 0
            or xml.find(b":f", end) >= 0)


def _uncomputed_cells(xml: bytes) -> set[tuple[int, int]]:
    """(row, col) of formula cells saved with no value: no <v>, or a self-closing <v/>.

    openpyxl writes `<v />`, others leave <v> out; `<v></v>` is a computed empty text (Excel
    adds t="str", xlsxwriter does not).
    """
    found: set[tuple[int, int]] = set()
    if not _may_hold_formulas(xml) or (b"<f" not in xml and b":f" not in xml):
        return found
    pattern = _FORMULA_CELL if b"<c " in xml else _PREFIXED_FORMULA_CELL  # "<x:c" writers
    if pattern is _FORMULA_CELL and b"<v/>" not in xml and b"<v />" not in xml:
        # Fast path for files saved by Excel: every formula is followed by its value.
        formulas = xml.count(b"<f>") + xml.count(b"<f ")
        if formulas == xml.count(b"</f><v>") + xml.count(b"/><v>"):
            return found
    for match in pattern.finditer(xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        ref = _CELL_REF.fullmatch(attrs.get(b"r", b""))
        if ref is None:  # a cell without its address: rare writers; left unmarked
            continue
        value = _VALUE.search(match.group(2))
        if value is None or value.group(1):
            found.add((int(ref.group(2)) - 1, _column_index(ref.group(1))))
    return found


# -- ods ----------------------------------------------------------------------------------------

def _read_ods(data: bytes, archive: zipfile.ZipFile, limits: Limits) -> list[Grid]:
    names = set(archive.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
            "META-INF/manifest.xml"):
        raise encrypted()
    if "content.xml" not in names:
        raise _unreadable("tệp bị hỏng hoặc chưa tải về hết", "the file is damaged or incomplete")
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    with archive.open("content.xml") as content:
        scan = _OdsScan(merged, limits)
        for event, element in ET.iterparse(guards.NoDoctype(content), events=("start", "end")):
            if element.tag.startswith(_ODS_TABLE):
                scan.step(event, element.tag[len(_ODS_TABLE):], element)
    _check_sheet_count(scan.tables, limits)
    return _read_with_calamine(data, {}, limits, merged)


class _OdsScan:
    """What calamine would allocate for each table of content.xml, refused beyond the limits.

    An .ods repeats a cell or a row by a count ("number-columns-repeated"): a few bytes can ask
    for a million rows, or for one long text copied into a million cells.
    """

    def __init__(self, merged: dict[str, list[tuple[int, int, int, int]]], limits: Limits) -> None:
        self.merged = merged
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
                    element.get(_ODS_TABLE + "name", ""), 0, -1, -1
                self.merged[self.table] = []
            elif tag == "table-row":
                self.col = 0
                self.rows_repeated = int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
        elif tag in ("table-cell", "covered-table-cell"):
            self._cell(element)
            element.clear()
        elif tag == "table-row":
            self.row += self.rows_repeated
            element.clear()
        elif tag == "table":
            check_sheet_extent(self.table, self.last_row + 1, self.last_col + 1, self.limits)

    def _cell(self, element: ET.Element) -> None:
        repeated = int(element.get(_ODS_TABLE + "number-columns-repeated", "1"))
        spans = (int(element.get(_ODS_TABLE + "number-rows-spanned", "1")),
                 int(element.get(_ODS_TABLE + "number-columns-spanned", "1")))
        if spans != (1, 1):
            self.merged[self.table].append(
                (self.row, self.col, self.row + spans[0] - 1, self.col + spans[1] - 1))
        if element.get(_ODS_VALUE_TYPE) or len(element):
            self.last_row = max(self.last_row, self.row + self.rows_repeated - 1)
            self.last_col = max(self.last_col, self.col + repeated - 1)
            if self.last_row >= self.max_rows or \
                    (self.last_row + 1) * (self.last_col + 1) > self.max_cells:
                check_sheet_extent(self.table, self.last_row + 1, self.last_col + 1,
                                   self.limits)
            if len(element):
                chars = sum(len(text) for text in element.itertext())
                if chars > self.max_chars:
                    raise _long_cell(self.table, self.row, self.col, chars, self.limits)
                self.text += chars * repeated * self.rows_repeated
                if self.text > self.max_text:
                    raise over_limit(self.limits, "unpacked_bytes", self.text,
                                     "chữ trong các ô khi bung ra", "text in the cells unpacked")
        self.col += repeated


def _long_cell(sheet: str, row: int, col: int, chars: int, limits: Limits) -> ReadError:
    return over_limit(limits, "cell_chars", chars, f"độ dài ô {a1(row, col)} của trang tính \"{sheet}\"",
                      f"length of cell {a1(row, col)} of sheet \"{sheet}\"")


# -- calamine -----------------------------------------------------------------------------------

def _read_with_calamine(
    data: bytes,
    uncomputed: dict[str, set[tuple[int, int]]],
    limits: Limits,
    merged: dict[str, list[tuple[int, int, int, int]]] | None = None,
) -> list[Grid]:
    """Every worksheet, in order, as a grid from A1; chart sheets are left out."""
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
        if cells:
            _extend(rows, cells)
        grids.append(Grid(sheet=strip_hidden(meta.name), rows=rows, merged=ranges,
                          uncomputed=set(cells)))
    return grids


def _extend(rows: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """Grow the grid with empty cells so every uncomputed formula cell has an address."""
    width = max([len(rows[0]) if rows else 0] + [col + 1 for _, col in cells])
    height = max([len(rows)] + [row + 1 for row, _ in cells])
    for row in rows:
        row.extend([None] * (width - len(row)))
    rows.extend([None] * width for _ in range(height - len(rows)))


def _read_ole(data: bytes, limits: Limits) -> list[Grid]:
    """An .xls, or an encrypted .xlsx (also OLE2), or a Word/PowerPoint file."""
    guards.check_cfb(data)
    try:
        return _read_with_calamine(data, {}, limits)
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
                    raise _long_cell(grid.sheet, r, c, len(value), limits)
                if _BIDI.search(value):
                    first, count = first or a1(r, c), count + 1
                row[c] = strip_hidden(value) or None
        if count:
            warnings.append(Problem(WARNING, "hidden-characters", sheet=grid.sheet, cell=first,
                                    params={"count": count}))
    return warnings
