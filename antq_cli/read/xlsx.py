"""What calamine does not tell of an .xlsx, read from its parts directly: which XML part holds
each sheet (so the guards can check it before calamine inflates it), the formula cells
saved without a value (files written by tools without a calculation engine), the error cells
(#REF!, #DIV/0!: calamine gives them as blanks), and the hidden rows and columns.
"""

from __future__ import annotations

import os
import re
import zipfile
from html import unescape

from ..memo import Memo
from ..text import column_index
from . import guards

# Possessive *+ (what [^>] or \s stops at can only be ">" or "<"): a cell without a formula
# fails at once instead of giving back its attributes one byte at a time.
_FORMULA_CELL = re.compile(rb"<c ([^>]*+)>\s*+<f[\s>/](.*?)</c>", re.S)
_PREFIXED_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*+)>\s*+<(?:\w+:)?f[\s>/](.*?)</(?:\w+:)?c>", re.S
)
_CELL_REF = re.compile(rb"([A-Z]{1,3})(\d{1,7})")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>/]*)?(/?)>(.*?)(?:</(?:\w+:)?v>|$)", re.S)
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
# A cell typed as an error (t="e"), plain or the saved result of a formula; its attributes hold
# no "/" (r, s, t, cm, vm), so a self-closing cell cannot run on into the next one.
_ERROR_CELL = re.compile(
    rb"""<(?:\w+:)?c\s([^>/]*?\bt\s*=\s*["']e["'][^>/]*)>(.*?)</(?:\w+:)?c>""", re.S)
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")


def sheet_parts(data: bytes, archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
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


# Sheet maps by how their parts are stored (3% of a merge's instructions saved: templates).
_SHEET_MAPS = Memo(32)


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
    def unpack() -> tuple[tuple[str, str | None], ...]:
        return _sheet_targets(folder, archive.read(workbook_part), archive.read(rels_part))

    return unpack() if key is None else _SHEET_MAPS.get_or(key, unpack)


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


def uncomputed_cells(xml: bytes) -> set[tuple[int, int]]:
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
            found.add((int(ref.group(2)) - 1, column_index(ref.group(1).decode("ascii"))))
    return found


def error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> the error a cell shows ("#REF!") for every cell typed as an error
    (t="e"): a plain error value, or a formula whose saved result is one. Decided by one
    search in the usual sheet, which holds none."""
    found: dict[tuple[int, int], str] = {}
    if b't="e"' not in xml and b"t='e'" not in xml:
        return found
    for match in _ERROR_CELL.finditer(xml):
        attrs = dict(_ATTR.findall(match.group(1)))
        ref = _CELL_REF.fullmatch(attrs.get(b"r", b""))
        if ref is None:
            continue
        value = _VALUE.search(match.group(2))
        shown = _text(value.group(2)).strip() if value is not None and not value.group(1) else ""
        found[(int(ref.group(2)) - 1, column_index(ref.group(1).decode("ascii")))] = shown or "#N/A"
    return found


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\s[^>]*+>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\s[^>]*+>")
_HIDDEN_ATTR = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d{1,7})["']""")
_SPAN = re.compile(rb"""\s(min|max)\s*=\s*["'](\d{1,5})["']""")
# Hidden columns past this one are left out: a sheet often hides every unused column to the
# last (XFD), and no form reaches it.
LAST_HIDDEN_COLUMN = 1024


def hidden_lines(xml: bytes) -> tuple[set[int], set[int]]:
    """The 0-based rows and columns a sheet's XML hides (`<row hidden="1">`, `<col
    hidden="1">`); looked for only when the XML says `hidden` at all."""
    rows: set[int] = set()
    cols: set[int] = set()
    if b"hidden" not in xml:  # one scan of the XML, at C speed
        return rows, cols
    for tag in _ROW_TAG.findall(xml):
        if _HIDDEN_ATTR.search(tag) and (number := _ROW_NUMBER.search(tag)):
            rows.add(int(number.group(1)) - 1)
    for tag in _COL_TAG.findall(xml):
        if _HIDDEN_ATTR.search(tag):
            span = dict(_SPAN.findall(tag))
            first = int(span.get(b"min", b"0") or 0)
            last = min(int(span.get(b"max", first) or first), LAST_HIDDEN_COLUMN)
            cols.update(range(max(first, 1) - 1, last))
    return rows, cols
