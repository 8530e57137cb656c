"""What calamine does not tell of an .xls: its hidden rows and columns, read from the BIFF8
records of the workbook stream (ROW's "zero height" flag, COLINFO's "hidden" flag).

The file's compound-document structure was checked by guards.check_cfb before this reads
it; anything unexpected here gives no hidden lines rather than an error.
"""

from __future__ import annotations

import struct

from .xlsx import LAST_HIDDEN_COLUMN

_END_OF_CHAIN = 0xFFFFFFFE
_BOF, _BOUNDSHEET, _ROW, _COLINFO = 0x0809, 0x0085, 0x0208, 0x007D
_ROW_HIDDEN, _COL_HIDDEN = 0x20, 0x01


def hidden_lines_xls(data: bytes) -> dict[str, tuple[set[int], set[int]]]:
    """Sheet name → its hidden (rows, columns), 0-based; empty when none, or when the
    stream cannot be followed."""
    try:
        stream = _workbook_stream(data)
        return _hidden_in_biff(stream) if stream else {}
    except (IndexError, ValueError, struct.error, KeyError):
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
