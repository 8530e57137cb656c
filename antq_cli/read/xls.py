"""What calamine does not tell of an .xls, read from the BIFF8 records of the workbook stream:
its hidden rows and columns (ROW's "zero height" flag, COLINFO's "hidden" flag), and its error
cells (#REF!, #DIV/0!), which calamine gives as blanks: a BOOLERR record flagged as an error,
or a FORMULA whose saved result is one.

The file's compound-document structure was checked by guards.check_cfb before this reads
it; anything unexpected here gives no hidden lines or errors rather than an error.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable

from .xlsx import LAST_HIDDEN_COLUMN

_END_OF_CHAIN = 0xFFFFFFFE
_BOF, _BOUNDSHEET, _ROW, _COLINFO = 0x0809, 0x0085, 0x0208, 0x007D
_EOF, _BOOLERR, _FORMULA = 0x000A, 0x0205, 0x0006
_ROW_HIDDEN, _COL_HIDDEN = 0x20, 0x01

# BIFF error codes and the text Excel shows for each.
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
          0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_CODES = b"[" + b"".join(re.escape(bytes([code])) for code in ERRORS) + b"]"
# BOOLERR (8 bytes: row, col, xf, value, 1 = error), or FORMULA whose 8 result bytes say error
# (2, _, code, _, _, _, 0xFF, 0xFF), searched in the file's bytes before any stream is read:
# the usual file holds none. A record split across sectors is missed only if they are out of
# order, which writers never do.
_MAYBE_ERROR = re.compile(rb"\x05\x02\x08\x00.{6}" + _CODES + rb"\x01|\x06\x00.{8}\x02."
                          + _CODES + rb".{3}\xff\xff", re.S)


def hidden_lines_xls(data: bytes) -> dict[str, tuple[set[int], set[int]]]:
    """Sheet name → its hidden (rows, columns), 0-based; empty when none, or when the
    stream cannot be followed."""
    return sheet_marks(data)[0]


def sheet_marks(data: bytes) -> tuple[dict[str, tuple[set[int], set[int]]],
                                      dict[str, dict[tuple[int, int], str]]]:
    """An .xls's hidden lines (`hidden_lines_xls`) and error cells (sheet name → {(row, col):
    the error it shows}, looked for only when a quick search of the bytes says there may be
    one), its workbook stream taken out of the compound file once for both; empty when none,
    or when the stream cannot be followed."""
    try:
        stream = _workbook_stream(data)
    except _UNFOLLOWABLE:
        return {}, {}
    if not stream:
        return {}, {}
    return _walk(_hidden_in_biff, stream), (
        _walk(_errors_in_biff, stream) if _MAYBE_ERROR.search(data) else {})


_UNFOLLOWABLE = (IndexError, ValueError, struct.error, KeyError)


def _walk(walker: Callable[[bytes], dict], stream: bytes) -> dict:
    """`walker(stream)`, or nothing when the records cannot be followed."""
    try:
        return walker(stream)
    except _UNFOLLOWABLE:
        return {}


def _workbook_stream(data: bytes) -> bytes:
    """The "Workbook" (or "Book") stream of an OLE2 compound file."""
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
    cutoff = struct.unpack_from("<I", data, 56)[0]
    sectors = (len(data) - size) // size

    def sector(number: int) -> bytes:
        if number >= sectors:
            raise ValueError("sector outside the file")
        return data[size + number * size: 2 * size + number * size]

    difat = list(struct.unpack_from("<109I", data, 76))
    link, seen = struct.unpack_from("<I", data, 68)[0], set()
    while link < sectors and link not in seen:
        seen.add(link)
        entries = struct.unpack(f"<{size // 4}I", sector(link))
        difat += entries[:-1]
        link = entries[-1]
    fat = [n for s in difat if s < sectors for n in struct.unpack(f"<{size // 4}I", sector(s))]

    def chain(start: int, table: list[int], read) -> bytes:
        parts, seen = [], set()
        while start != _END_OF_CHAIN and start < len(table) and start not in seen:
            seen.add(start)
            parts.append(read(start))
            start = table[start]
        return b"".join(parts)

    directory = chain(struct.unpack_from("<I", data, 48)[0], fat, sector)
    entries = [directory[at:at + 128] for at in range(0, len(directory) - 127, 128)]
    root_start, root_length = struct.unpack_from("<II", entries[0], 116)
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in ("Workbook", "Book"):
            continue
        start, stream_length = struct.unpack_from("<II", entry, 116)
        if stream_length >= cutoff:
            return chain(start, fat, sector)[:stream_length]
        mini_fat_raw = chain(struct.unpack_from("<I", data, 60)[0], fat, sector)
        mini_fat = list(struct.unpack(f"<{len(mini_fat_raw) // 4}I", mini_fat_raw))
        mini_stream = chain(root_start, fat, sector)[:root_length]
        return chain(start, mini_fat,
                     lambda n: mini_stream[n * mini_size:(n + 1) * mini_size])[:stream_length]
    return b""


def _hidden_in_biff(stream: bytes) -> dict[str, tuple[set[int], set[int]]]:
    """The hidden rows and columns of each worksheet of a BIFF8 workbook stream."""
    sheets: dict[int, str] = {}  # where a sheet's BOF starts → its name
    hidden: dict[str, tuple[set[int], set[int]]] = {}
    current = None
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        if kind == _BOF:
            current = sheets.get(at)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            position, chars, wide = struct.unpack_from("<I", body, 0)[0], body[6], body[7] & 1
            raw = body[8:8 + chars * (2 if wide else 1)]
            sheets[position] = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        elif current is not None and kind == _ROW and len(body) >= 14:
            if struct.unpack_from("<H", body, 12)[0] & _ROW_HIDDEN:
                hidden.setdefault(current, (set(), set()))[0].add(
                    struct.unpack_from("<H", body, 0)[0])
        elif current is not None and kind == _COLINFO and len(body) >= 10:
            first, last, _, _, flags = struct.unpack_from("<HHHHH", body, 0)
            if flags & _COL_HIDDEN:
                hidden.setdefault(current, (set(), set()))[1].update(
                    range(first, min(last, LAST_HIDDEN_COLUMN - 1) + 1))
        at += 4 + length
    return hidden


def _errors_in_biff(stream: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """The error cells of each worksheet of a BIFF8 workbook stream (a chart a sheet embeds,
    between its own BOF and EOF, left out)."""
    sheets: dict[int, str] = {}  # where a sheet's BOF starts → its name
    errors: dict[str, dict[tuple[int, int], str]] = {}
    current, depth, at = None, 0, 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        if kind == _BOF:
            depth += 1
            current = sheets.get(at) if depth == 1 else current
        elif kind == _EOF:
            depth -= 1
            current = None if depth <= 0 else current
            depth = max(depth, 0)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            position, chars, wide = struct.unpack_from("<I", body, 0)[0], body[6], body[7] & 1
            raw = body[8:8 + chars * (2 if wide else 1)]
            sheets[position] = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        elif current is not None and depth == 1:
            code = None
            if kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
                code = body[6]
            elif kind == _FORMULA and len(body) >= 14 and body[6] == 2 \
                    and body[12:14] == b"\xff\xff":
                code = body[8]
            if code is not None:
                row, col = struct.unpack_from("<HH", body, 0)
                errors.setdefault(current, {})[(row, col)] = ERRORS.get(code, "#N/A")
        at += 4 + length
    return errors
