"""What antq refuses to read, checked before a reader allocates anything: its limits, zip bombs,
shared strings copied into every cell, XML with a DOCTYPE.

The limits in force come with each call (settings.Limits: the defaults, or what the run's
ANTQ_MAX_* variables set). A refusal is a ReadError whose message names the limit and the
variable that changes it. Its params are codes and values (outputs/reasons.py words them):
`reason` says why a file is unreadable or suspicious, `what` what is over which limit.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from typing import IO, Any

from ..model import ReadError
from ..settings import LIMIT_VARIABLES, MB, Limits
from ..text import a1, column_index

RATIO_CHECK_MIN_BYTES = 10 * MB   # parts this small legitimately compress 50-100x: no ratio check

_DEFLATE_MAX_RATIO = 1032         # deflate cannot expand its input by more than this
_DOCTYPE = b"<!DOCTYPE"


def over_limit(limits: Limits, name: str, found: int, what: str = "", **where: Any) -> ReadError:
    """The refusal of a file over the limit `name` (a field of Limits), naming the limit and
    the variable that changes it. `what` is over it: the limit itself, or a finer case
    ("csv_cell_chars"); `where` names the sheet, cell or part."""
    env, scale = LIMIT_VARIABLES[name]
    return ReadError("over-limit", what=what or name, found=max(found // scale, 1),
                     limit=getattr(limits, name) // scale, unit=name, env=env, **where)


def unreadable(reason: str, **params: Any) -> ReadError:
    """A file that cannot be read as a spreadsheet (damaged, empty, not one), saying why."""
    return ReadError("unreadable-file", reason=reason, **params)


def long_cell(sheet: str, row: int, col: int, chars: int, limits: Limits) -> ReadError:
    """The refusal of a cell longer than the limit, naming it."""
    return over_limit(limits, "cell_chars", chars, sheet=sheet, cell=a1(row, col))


def suspicious(reason: str, **params: Any) -> ReadError:
    """A file built to harm a reader (zip bomb, XML entities): refused, never opened."""
    return ReadError("suspicious-file", reason=reason, **params)


def encrypted() -> ReadError:
    """A password-protected workbook: only its owner can open it."""
    return ReadError("encrypted-file")


# -- zip ----------------------------------------------------------------------------------------

def check_zip(data: bytes, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip that is encrypted or would unpack to too much, before anything inflates it."""
    if len(members) > limits.zip_parts:
        raise over_limit(limits, "zip_parts", len(members))
    ratio, largest = limits.zip_ratio, limits.part_bytes
    for member in members:
        if member.flag_bits & 0x1:
            raise encrypted()
        if member.file_size > RATIO_CHECK_MIN_BYTES and \
                member.file_size > ratio * max(member.compress_size, 1):
            raise _bomb(member.file_size, member.compress_size, limits)
        if member.file_size > largest:
            raise over_limit(limits, "part_bytes", member.file_size, part=member.filename[:60])
    unpacked, most = sum(member.file_size for member in members), limits.unpacked_bytes
    if unpacked > most:
        raise over_limit(limits, "unpacked_bytes", unpacked)
    # The declared sizes can lie; only a large archive can unpack to a harmful amount, so only
    # then inflate each member (bounded) to check its real size.
    if sum(m.compress_size for m in members) * _DEFLATE_MAX_RATIO > most:
        for member in members:
            if _inflates_beyond(data, member):
                raise suspicious("inflates", part=member.filename[:60])


def _bomb(size: int, packed: int, limits: Limits) -> ReadError:
    return suspicious("zip-bomb", size_mb=size // MB, packed_kb=max(packed // 1024, 1),
                      ratio=size // max(packed, 1), max_ratio=limits.zip_ratio)


def packed_bytes(data: bytes, member: zipfile.ZipInfo) -> memoryview | None:
    """A member's bytes as stored in the zip (compressed), located by its local header; None
    when no local header is where the directory says."""
    offset = member.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04":
        return None
    start = offset + 30 + int.from_bytes(data[offset + 26:offset + 28], "little") \
        + int.from_bytes(data[offset + 28:offset + 30], "little")
    return memoryview(data)[start:start + member.compress_size]


def _inflates_beyond(data: bytes, member: zipfile.ZipInfo) -> bool:
    """True when a deflated member inflates to more than its declared size."""
    if member.compress_type != zipfile.ZIP_DEFLATED:
        return member.compress_type != zipfile.ZIP_STORED
    raw = packed_bytes(data, member)
    if raw is None:
        return True
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


# -- xlsx sheets --------------------------------------------------------------------------------

# A reference far enough out (column DA+, or row 100,000+) to need the exact width check:
# r=" then three letters, D-Z and a letter, or one or two letters and six digits. Written as
# one path per first letter (A-C or D-Z) so the common "A1" or "AB12" fails in a few steps
# instead of trying three alternatives (the 600 references of a sheet cost half as much).
_FAR_REF = re.compile(rb'r="(?:[A-C](?:[A-Z](?:[A-Z]|\d{6})|\d{6})|[D-Z](?:[A-Z]|\d{6}))')
_WIDE_CELL = {letters: re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{%d})\d+"[^>/]*>' % letters)
              for letters in (3, 2)}
_SHARED_REF = re.compile(rb'\bt="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<')
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _long_row_number(digits: int) -> re.Pattern[bytes]:
    """A cell or row address with at least `digits` digits: cheap (a literal start), no group."""
    return re.compile(rb'r="[A-Z]{0,3}\d{%d}' % digits)


def _cell_beyond_row(row: int) -> re.Pattern[bytes]:
    """A non-empty cell whose address is on a row after `row`, matched without a Python loop."""
    digits = str(row)
    greater = [rf"[1-9]\d{{{len(digits)},}}"]
    for i, digit in enumerate(digits):
        if digit != "9":
            greater.append(rf"{digits[:i]}[{int(digit) + 1}-9]\d{{{len(digits) - i - 1}}}")
    number = "|".join(greater)
    return re.compile(rf'<(?:\w+:)?c\s[^>]*?\br="[A-Z]{{1,3}}0*({number})"[^>/]*>'.encode())


def check_sheet_xml(sheet: str, xml: bytes, limits: Limits) -> None:
    """Refuse a sheet whose cells reach beyond the row or cell limit, before calamine allocates.

    Calamine allocates the sheet's whole rectangle from A1 to its farthest cell: a stray cell at
    XFD1048576 aborts the process, and a million rows take gigabytes. Empty styled cells
    (self-closing) do not count, as calamine leaves them out too.
    """
    rows = limits.rows
    far = _FAR_REF.search(xml)
    if not far and rows >= 100_000:
        return  # at most 99,999 rows x 104 columns: the calamine check after reading suffices
    beyond = _long_row_number(len(str(rows))).search(xml) and _cell_beyond_row(rows).search(xml)
    if beyond:
        raise _too_many_rows(sheet, int(beyond.group(1)), limits)
    if not far:
        return
    width = 0
    for letters in (3, 2):
        found = _WIDE_CELL[letters].findall(xml)
        if found:
            width = column_index(max(found).decode("ascii")) + 1
            break
    cells = limits.cells
    if width and width * rows > cells:
        beyond = _cell_beyond_row(cells // width).search(xml)
        if beyond:
            raise too_many_cells(sheet, int(beyond.group(1)), width, limits)


def _too_many_rows(sheet: str, rows: int, limits: Limits) -> ReadError:
    return over_limit(limits, "rows", rows, sheet=sheet)


def too_many_cells(sheet: str, rows: int, columns: int, limits: Limits) -> ReadError:
    """The refusal of a sheet over the row limit, or over the cell limit counted from A1."""
    if rows > limits.rows:
        return _too_many_rows(sheet, rows, limits)
    return over_limit(limits, "cells", rows * columns, sheet=sheet, rows=rows, columns=columns)


def check_sheet_extent(sheet: str, rows: int, columns: int, limits: Limits) -> None:
    """Refuse a sheet of `rows` x `columns` over the row or the cell limit."""
    if rows * columns > limits.cells or rows > limits.rows:
        raise too_many_cells(sheet, rows, columns, limits)


def check_shared_strings(archive: zipfile.ZipFile, sheet_xml: dict[str, bytes],
                         limits: Limits) -> None:
    """Refuse shared strings that would fill memory once copied into every cell that uses them.

    An xlsx stores each text once and lets cells point at it; readers copy it into each cell, so
    one 1 MB text used by 2,000 cells of a 10 KB file becomes 2 GB.
    """
    budget = limits.unpacked_bytes
    members = archive.infolist()
    # A cell takes 20 bytes of XML at least; the table is smaller than the whole archive.
    cells = sum(map(len, sheet_xml.values())) // 20
    if cells * sum(m.file_size for m in members) <= budget:
        return  # even if every cell used the whole table, it would fit
    part = next((m for m in members if m.filename.endswith("sharedStrings.xml")), None)
    references = sum(xml.count(b't="s"') for xml in sheet_xml.values())
    if part is None or references * part.file_size <= budget:
        return
    table = archive.read(part)
    starts = [match.start() for match in _SHARED_ITEM.finditer(table)] + [len(table)]
    sizes = [end - start for start, end in zip(starts, starts[1:])]
    longest = max(sizes, default=0)
    if longest > 4 * limits.cell_chars + 64:  # UTF-8: at most 4 bytes a character
        raise over_limit(limits, "cell_chars", longest // 4, "shared_string_cell_chars")
    used = Counter(index for xml in sheet_xml.values() for index in _SHARED_REF.findall(xml))
    copied = sum(sizes[int(index)] * count for index, count in used.items()
                 if int(index) < len(sizes))
    if copied > budget:
        raise over_limit(limits, "unpacked_bytes", copied, "shared_text_unpacked_bytes")


# -- XML ----------------------------------------------------------------------------------------

def has_doctype(archive: zipfile.ZipFile) -> bool:
    """True when an XML part declares a DOCTYPE: the way to entity bombs and external entities."""
    for member in archive.infolist():
        if member.filename.endswith((".xml", ".rels")) and member.file_size <= 64 * MB:
            with archive.open(member) as part:
                if _DOCTYPE in part.read():
                    return True
    return False


def entity_refusal() -> ReadError:
    """The refusal of XML that declares a DOCTYPE (entity expansion, external entities)."""
    return suspicious("doctype")


class NoDoctype:
    """A binary stream that raises the entity refusal when its XML declares a DOCTYPE."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        """The next bytes, checked across chunk boundaries."""
        chunk = self._stream.read(size)
        if _DOCTYPE in self._tail + chunk[:len(_DOCTYPE)] or _DOCTYPE in chunk:
            raise entity_refusal()
        self._tail = chunk[-len(_DOCTYPE):]
        return chunk


# -- OLE2 (.xls) --------------------------------------------------------------------------------

_END_OF_CHAIN, _FREE = 0xFFFFFFFE, 0xFFFFFFFF


def check_cfb(data: bytes) -> None:
    """Refuse an OLE2 file (.xls) whose sector chains loop or whose sizes exceed the file.

    calamine follows each chain until its end and reserves each declared size up front: a
    10 KB damaged .xls with a chain that loops, or a stream declared at 4 GB, takes all memory.
    """
    damaged = unreadable("xls-damaged")
    if len(data) < 512:
        raise damaged
    shift = int.from_bytes(data[30:32], "little")
    if shift not in (9, 12):
        raise damaged
    size = 1 << shift
    count = (len(data) - size) // size  # sectors after the header (which fills sector -1)

    def number(at: int) -> int:
        return int.from_bytes(data[at:at + 4], "little")

    def sector(sector_id: int) -> bytes:
        if sector_id >= count:
            raise damaged
        return data[size + sector_id * size:2 * size + sector_id * size]

    def chain(start: int, table: list[int], limit_ids: int) -> list[int]:
        ids: list[int] = []
        seen: set[int] = set()
        while start not in (_END_OF_CHAIN, _FREE):
            if start in seen or start >= limit_ids or start >= len(table):
                raise damaged
            seen.add(start)
            ids.append(start)
            start = table[start]
        return ids

    def table_of(sector_ids: list[int]) -> list[int]:
        raw = b"".join(sector(i) for i in sector_ids)
        return [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw), 4)]

    fat_ids = [number(76 + 4 * i) for i in range(109)]
    difat, seen = number(68), set()
    while difat not in (_END_OF_CHAIN, _FREE):
        if difat in seen or difat >= count:
            raise damaged
        seen.add(difat)
        entries = table_of([difat])
        fat_ids += entries[:-1]
        difat = entries[-1]
    fat = table_of([i for i in fat_ids if i != _FREE])
    if any(int.from_bytes(data[at:at + 4], "little") * size > len(data) for at in (40, 64)):
        raise damaged  # directory and mini FAT lengths, in sectors
    raw_dir = b"".join(sector(i) for i in chain(number(48), fat, count))
    mini_fat = table_of(chain(number(60), fat, count))
    mini_count = 0
    for at in range(0, len(raw_dir) - 127, 128):
        kind = raw_dir[at + 66]
        start = int.from_bytes(raw_dir[at + 116:at + 120], "little")
        length = int.from_bytes(raw_dir[at + 120:at + (124 if size == 512 else 128)], "little")
        if kind not in (2, 5):
            continue
        if length > len(data):
            raise damaged
        if kind == 5 or length >= 4096:
            sectors = len(chain(start, fat, count))
            mini_count = sectors * size // 64 if kind == 5 else mini_count
        else:
            chain(start, mini_fat, mini_count)
