"""Read a submission (.xlsx, .xlsm, .xls, .ods, .csv) from disk once into grids addressed from A1.

The kind of a file is read from its bytes, not its name: a CSV saved as "bao cao.xlsx" is read
as CSV. python-calamine reads the cells; what it does not expose (formulas saved without a
value, merged cells in .ods) is read from the zip directly. Every failure becomes a ReadError
with a short Vietnamese `detail` and an English `detail_en`; nothing else escapes.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from html import unescape
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from .model import Grid, ReadError, Workbook

MB = 1024 * 1024
MAX_FILE_BYTES = 100 * MB          # size of the file on disk
MAX_UNPACKED_BYTES = 200 * MB      # sum of the declared uncompressed sizes in a zip
MAX_MEMBER_BYTES = 100 * MB        # one member of a zip (a sheet's XML), declared size
MAX_COMPRESSION_RATIO = 200        # declared ratio refused on a member larger than...
RATIO_CHECK_MIN_BYTES = 10 * MB    # ...this (small XML parts legitimately compress 50-100x)
MAX_ZIP_MEMBERS = 10_000
MAX_SHEETS = 250
MAX_ROWS = 200_000                 # per sheet, counted from row 1
MAX_CELLS = 5_000_000              # rows x columns of one sheet, counted from A1

SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xlt", ".ods", ".ots", ".csv", ".tsv"}
)
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ""})
_DEFLATE_MAX_RATIO = 1032          # deflate cannot expand input by more than this
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_MAGIC = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"{\\rtf", b"7z\xbc\xaf", b"Rar!",
                b"\x1f\x8b")
_CSV_DELIMITERS = (",", ";", "\t")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")

_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"[^>]*?(/?)>')
# A reference far enough out (column DA+, or row 100,000+) to need the exact extent check.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[D-Z][A-Z]|[A-Z]{1,2}\d{6})')
_FORMULA_CELL = re.compile(rb"<c ([^>]*)>\s*<f[\s>/](.*?)</c>", re.S)
_PREFIXED_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f[\s>/](.*?)</(?:\w+:)?c>", re.S
)
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>/]*)?(/?)>(.*?)(?:</(?:\w+:)?v>|$)", re.S)
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def _unreadable(detail: str, detail_en: str) -> ReadError:
    return ReadError("unreadable-file", detail=detail, detail_en=detail_en)


def read_workbook(path: str | os.PathLike[str]) -> Workbook:
    """Read a spreadsheet file once into a Workbook of A1-addressed grids, or raise ReadError."""
    path = os.fspath(path)
    name = os.path.basename(path)
    stem, suffix = os.path.splitext(name)
    suffix = suffix.lower()
    if name.startswith("~$"):  # Excel's lock file beside an open workbook
        raise ReadError("not-a-spreadsheet")
    data = _read_bytes(path)
    try:
        kind, sheets = _read_content(data, suffix, stem)
    except ReadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - calamine's Rust panics are BaseExceptions
        raise _unreadable(
            "nội dung tệp bị hỏng", f"damaged content ({type(error).__name__}: {str(error)[:80]})"
        ) from error
    return Workbook(path=path, kind=kind, sheets=sheets)


def _read_bytes(path: str) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise _unreadable(
                f"tệp quá lớn: {size // MB} MB, tối đa {MAX_FILE_BYTES // MB} MB",
                f"the file is too large: {size // MB} MB, at most {MAX_FILE_BYTES // MB} MB",
            )
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _unreadable("không mở được tệp", f"cannot open the file: {error.strerror}") from error


def _read_content(data: bytes, suffix: str, stem: str) -> tuple[str, list[Grid]]:
    """Dispatch on the bytes: zip (xlsx, ods), OLE2 (xls), text (csv); refuse the rest."""
    meant_as_spreadsheet = suffix in SPREADSHEET_SUFFIXES
    if not data or (len(data) < 4096 and not data.strip()):
        if meant_as_spreadsheet:
            raise _unreadable("tệp rỗng", "the file is empty")
        raise ReadError("not-a-spreadsheet")
    if data.startswith(_ZIP_MAGIC):
        return _read_zip(data, meant_as_spreadsheet)
    if data.startswith(_OLE_MAGIC):
        return "xls", _read_ole(data)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        if not meant_as_spreadsheet:
            raise ReadError("not-a-spreadsheet")
        raise _unreadable("tệp là trang web (HTML) mang đuôi bảng tính",
                          "an HTML page saved under a spreadsheet name")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise _unreadable("định dạng XML Spreadsheet 2003 cũ", "old XML Spreadsheet 2003 format")
    if not data.startswith(_OTHER_MAGIC) and (meant_as_spreadsheet or suffix in _TEXT_SUFFIXES):
        text = _decode_text(data)
        if text is not None:
            rows = _parse_csv(text, stem, strict=suffix not in (".csv", ".tsv"))
            if rows is not None:
                return "csv", [Grid(sheet=stem, rows=rows)]
    if meant_as_spreadsheet:
        raise _unreadable("nội dung không phải bảng tính", "the content is not a spreadsheet")
    raise ReadError("not-a-spreadsheet")


# -- zip: xlsx, xlsm, ods ---------------------------------------------------------------------

def _read_zip(data: bytes, meant_as_spreadsheet: bool) -> tuple[str, list[Grid]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable("tệp bị hỏng hoặc chưa tải về hết",
                          "the file is damaged or incomplete") from error
    _check_zip_sizes(data, members)
    names = {member.filename for member in members}
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return "ods", _read_ods(data, archive)
    elif "xl/workbook.bin" in names:
        return "xlsb", _read_with_calamine(data, {}, {})
    elif any(name.startswith("xl/") for name in names):
        return "xlsx", _read_xlsx(data, archive)
    if meant_as_spreadsheet and not any(n.startswith(("word/", "ppt/")) for n in names):
        raise _unreadable("tệp nén không chứa bảng tính", "a zip archive with no sheet inside")
    raise ReadError("not-a-spreadsheet")


def _check_zip_sizes(data: bytes, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip that would unpack to too much, before anything inflates it."""
    bomb = _unreadable(
        f"tệp nén bung ra quá lớn (trên {MAX_UNPACKED_BYTES // MB} MB, nghi tệp độc hại)",
        f"the file would unpack to more than {MAX_UNPACKED_BYTES // MB} MB (a zip bomb?)",
    )
    if len(members) > MAX_ZIP_MEMBERS:
        raise bomb
    for member in members:
        if member.flag_bits & 0x1:
            raise _unreadable("tệp có mật khẩu", "password-protected")
        if member.file_size > MAX_MEMBER_BYTES or (
            member.file_size > RATIO_CHECK_MIN_BYTES
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise bomb
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise bomb
    # The declared sizes can lie; only a large archive can unpack to a harmful amount, so only
    # then inflate each member (bounded) to check its real size.
    if sum(m.compress_size for m in members) * _DEFLATE_MAX_RATIO > MAX_UNPACKED_BYTES:
        for member in members:
            if _inflates_beyond(data, member):
                raise bomb


def _inflates_beyond(data: bytes, member: zipfile.ZipInfo) -> bool:
    """True when a deflated member inflates to more than its declared size."""
    if member.compress_type != zipfile.ZIP_DEFLATED:
        return member.compress_type != zipfile.ZIP_STORED
    offset = member.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04":
        return True
    start = offset + 30 + int.from_bytes(data[offset + 26:offset + 28], "little") \
        + int.from_bytes(data[offset + 28:offset + 30], "little")
    raw = memoryview(data)[start:start + member.compress_size]
    inflater = zlib.decompressobj(-15)
    produced, chunk = 0, 1 << 16
    for position in range(0, len(raw), chunk):
        pending = raw[position:position + chunk].tobytes()
        while pending:
            produced += len(inflater.decompress(pending, chunk))
            if produced > member.file_size:
                return True
            pending = inflater.unconsumed_tail
    return False


def _read_xlsx(data: bytes, archive: zipfile.ZipFile) -> list[Grid]:
    sheet_xml = {name: archive.read(part) for name, part in _xlsx_sheet_parts(archive).items()}
    extents = {name: _xlsx_extent(xml) for name, xml in sheet_xml.items()}
    uncomputed = {name: _uncomputed_cells(xml) for name, xml in sheet_xml.items()}
    return _read_with_calamine(data, extents, uncomputed)


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the zip, from the workbook and its relationships."""
    workbook_part = "xl/workbook.xml"
    names = set(archive.namelist())
    if workbook_part not in names and "_rels/.rels" in names:
        for rel in _tags(_REL_TAG, archive.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook_part = rel.get("Target", workbook_part).lstrip("/")
    folder, _, leaf = workbook_part.rpartition("/")
    rels_part = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
    if workbook_part not in names or rels_part not in names:
        return {}
    targets = {}
    for rel in _tags(_REL_TAG, archive.read(rels_part)):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
        targets[rel.get("Id", "")] = os.path.normpath(target).replace(os.sep, "/")
    parts = {}
    for sheet in _tags(_SHEET_TAG, archive.read(workbook_part)):
        rel_id = next((v for k, v in sheet.items() if k.endswith(":id")), "")
        part = targets.get(rel_id)
        if part in names:
            parts[sheet.get("name", "")] = part
    return parts


def _tags(pattern: re.Pattern[bytes], xml: bytes) -> list[dict[str, str]]:
    """The attributes of each tag matched by `pattern`, unescaped."""
    return [
        {key.decode(): unescape(value.decode("utf-8", "replace"))
         for key, value in _ATTR.findall(tag)}
        for tag in pattern.findall(xml)
    ]


def _xlsx_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest non-empty cell, before calamine allocates them.

    Calamine allocates the sheet's whole rectangle: two cells at A1 and XFD1048576 abort the
    process. Without a far reference the sheet is at most 99,999 rows x 104 columns.
    """
    if not _FAR_REF.search(xml):
        return 0, 0
    last_row = last_col = -1
    widest = b""
    for letters, digits, self_closing in _CELL_REF.findall(xml):
        if self_closing:
            continue
        if len(letters) > len(widest) or (len(letters) == len(widest) and letters > widest):
            widest = letters
        last_row = max(last_row, int(digits) - 1)
    if widest:
        last_col = _column_index(widest)
    return last_row + 1, last_col + 1


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _uncomputed_cells(xml: bytes) -> set[tuple[int, int]]:
    """(row, col) of formula cells saved with no value: no <v>, or a self-closing <v/>.

    openpyxl writes `<v />`, others leave <v> out; `<v></v>` is a computed empty text (Excel
    adds t="str", xlsxwriter does not).
    """
    found: set[tuple[int, int]] = set()
    if b"<f" not in xml and b":f" not in xml:
        return found
    pattern = _FORMULA_CELL if b"<c " in xml else _PREFIXED_FORMULA_CELL  # "<x:c" writers
    if pattern is _FORMULA_CELL and b"<v/>" not in xml and b"<v />" not in xml:
        # Fast path for files saved by Excel: every formula is followed by its value.
        formulas = xml.count(b"<f>") + xml.count(b"<f ")
        if formulas == xml.count(b"</f><v>") + xml.count(b"/><v>"):
            return found
    for match in pattern.finditer(xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        ref = re.fullmatch(rb"([A-Z]{1,3})(\d{1,7})", attrs.get(b"r", b""))
        if ref is None:  # a cell without its address: rare writers; left unmarked
            continue
        value = _VALUE.search(match.group(2))
        if value is None or value.group(1):
            found.add((int(ref.group(2)) - 1, _column_index(ref.group(1))))
    return found


# -- ods ----------------------------------------------------------------------------------------

def _read_ods(data: bytes, archive: zipfile.ZipFile) -> list[Grid]:
    extents: dict[str, tuple[int, int]] = {}
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    table = ""
    row = col = rows_repeated = 0
    last_row = last_col = -1
    with archive.open("content.xml") as content:
        for event, element in ET.iterparse(content, events=("start", "end")):
            tag = element.tag
            if not tag.startswith(_ODS_TABLE):
                continue
            tag = tag[len(_ODS_TABLE):]
            if event == "start":
                if tag == "table":
                    table, row, last_row, last_col = element.get(_ODS_TABLE + "name", ""), 0, -1, -1
                    merged[table] = []
                elif tag == "table-row":
                    col = 0
                    rows_repeated = int(element.get(_ODS_TABLE + "number-rows-repeated", "1"))
            elif tag in ("table-cell", "covered-table-cell"):
                repeated = int(element.get(_ODS_TABLE + "number-columns-repeated", "1"))
                spans = (int(element.get(_ODS_TABLE + "number-rows-spanned", "1")),
                         int(element.get(_ODS_TABLE + "number-columns-spanned", "1")))
                if spans != (1, 1):
                    merged[table].append((row, col, row + spans[0] - 1, col + spans[1] - 1))
                if element.get(_ODS_VALUE_TYPE) or len(element):
                    last_row = max(last_row, row + rows_repeated - 1)
                    last_col = max(last_col, col + repeated - 1)
                col += repeated
                element.clear()
            elif tag == "table-row":
                row += rows_repeated
                element.clear()
            elif tag == "table":
                extents[table] = (last_row + 1, last_col + 1)
    return _read_with_calamine(data, extents, {}, merged)


# -- calamine -----------------------------------------------------------------------------------

def _read_with_calamine(
    data: bytes,
    extents: dict[str, tuple[int, int]],
    uncomputed: dict[str, set[tuple[int, int]]],
    merged: dict[str, list[tuple[int, int, int, int]]] | None = None,
) -> list[Grid]:
    """Every worksheet, in order, as a grid from A1; chart sheets are left out."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    metadata = book.sheets_metadata
    if len(metadata) > MAX_SHEETS:
        raise _unreadable(f"quá nhiều trang tính: {len(metadata)}, tối đa {MAX_SHEETS}",
                          f"too many sheets: {len(metadata)}, at most {MAX_SHEETS}")
    grids = []
    for index, meta in enumerate(metadata):
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        if meta.name in extents:
            _check_extent(meta.name, *extents[meta.name])
        sheet = book.get_sheet_by_index(index)
        if sheet.end is not None:
            _check_extent(meta.name, sheet.end[0] + 1, sheet.end[1] + 1)
        rows = [[None if value == "" else value for value in row]
                for row in sheet.to_python(skip_empty_area=False)]
        if merged is not None:
            ranges = merged.get(meta.name, [])
        else:
            ranges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()]
        cells = uncomputed.get(meta.name, set())
        if cells:
            _extend(rows, cells)
        grids.append(Grid(sheet=meta.name, rows=rows, merged=ranges, uncomputed=set(cells)))
    return grids


def _check_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise _unreadable(
            f"trang tính \"{sheet}\" quá lớn: {rows} dòng x {columns} cột "
            f"(tối đa {MAX_ROWS} dòng, {MAX_CELLS} ô); xóa các ô thừa ở xa bảng",
            f"sheet \"{sheet}\" is too large: {rows} rows x {columns} columns "
            f"(at most {MAX_ROWS} rows, {MAX_CELLS} cells); delete stray cells far from the table",
        )


def _extend(rows: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """Grow the grid with empty cells so every uncomputed formula cell has an address."""
    width = max([len(rows[0]) if rows else 0] + [col + 1 for _, col in cells])
    height = max([len(rows)] + [row + 1 for row, _ in cells])
    for row in rows:
        row.extend([None] * (width - len(row)))
    rows.extend([None] * width for _ in range(height - len(rows)))


def _read_ole(data: bytes) -> list[Grid]:
    """An .xls, or an encrypted .xlsx (also OLE2), or a Word/PowerPoint file."""
    try:
        return _read_with_calamine(data, {}, {})
    except PasswordError as error:
        raise _unreadable("tệp có mật khẩu", "password-protected") from error
    except Exception as error:
        if any(name.encode("utf-16-le") in data for name in ("EncryptedPackage", "EncryptionInfo")):
            raise _unreadable("tệp có mật khẩu", "password-protected") from error
        if any(name.encode("utf-16-le") in data for name in ("WordDocument", "PowerPoint")):
            raise ReadError("not-a-spreadsheet") from error
        raise


# -- csv ----------------------------------------------------------------------------------------

def _decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (BOM or not), UTF-16 with BOM, Windows-1258 or, last, Windows-1252; NFC."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
        if _looks_like_cp1258(text):
            return unicodedata.normalize("NFC", text)
    except UnicodeDecodeError:
        pass
    # Not Vietnamese Windows text: TCVN3 bytes read as Windows-1252 keep the form that the
    # legacy-font detector downstream expects ("Céng hoµ").
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_like_cp1258(text: str) -> bool:
    """Windows-1258 puts its tone marks after vowels; other 8-bit text read as it does not."""
    marks = after_vowel = 0
    previous = ""
    for char in text:
        if char in _TONE_MARKS:
            marks += 1
            after_vowel += previous in _VOWELS
        previous = char
    return marks > 0 and after_vowel >= 0.9 * marks


def _parse_csv(text: str, name: str, strict: bool) -> list[list[Any]] | None:
    """Rows of strings (None for empty), delimiter sniffed; None when `strict` and not a table."""
    # keepends: a quoted label may hold a line break ("tự\nphòng"), which csv.reader keeps.
    lines = text.splitlines(keepends=True)
    delimiter = None
    if lines and re.fullmatch(r"sep=(.)", lines[0].strip()):  # Excel's "sep=;" hint line
        delimiter, lines = lines[0].strip()[4], lines[1:]
    _check_extent(name, len(lines), 1)
    sample = [line for line in lines[:100] if line.strip()]
    if delimiter is None:
        delimiter, columns, agreeing = _sniff_delimiter(sample)
        if strict and (columns < 2 or agreeing < 0.5 * len(sample)):
            return None
    rows = [[cell if cell != "" else None for cell in row]
            for row in csv.reader(lines, delimiter=delimiter)]
    width = max((len(row) for row in rows), default=0)
    _check_extent(name, len(rows), width)
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
