"""What calamine does not tell of an .xls: its error cells (#REF!, #DIV/0!), which it gives as
blanks, read from the BIFF records of the "Workbook" stream.

An error is a BOOLERR record whose flag says error, or a FORMULA record whose saved result is
one. The file's bytes are searched for either first (one regular expression over a few dozen
kilobytes): the usual file holds none and is not parsed further.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# BIFF error codes and the text Excel shows for each.
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
          0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_CODES = b"[" + b"".join(re.escape(bytes([code])) for code in ERRORS) + b"]"
# BOOLERR (0x0205, 8 bytes: row, col, xf, value, 1 = error), or FORMULA (0x0006) whose result
# is an error (its 8 result bytes: 2, _, code, _, _, _, 0xFF, 0xFF). A record split across
# the file's sectors is missed here only if they are not in order, which writers never do.
_MAYBE_ERROR = re.compile(rb"\x05\x02\x08\x00.{6}" + _CODES + rb"\x01|\x06\x00.{8}\x02."
                          + _CODES + rb".{3}\xff\xff", re.S)
_BOF, _EOF, _BOUNDSHEET, _BOOLERR, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0205, 0x0006


def xls_error_cells(data: bytes, stream: Callable[[tuple[str, ...]], bytes | None]
                    ) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, col): the error it shows} for every error cell of an .xls whose
    streams `stream` reads (guards.check_cfb); {} when it holds none."""
    if _MAYBE_ERROR.search(data) is None:
        return {}
    book = stream(("Workbook", "Book"))
    if not book:
        return {}
    found = {}
    for name, start in _sheets(book):
        cells = _errors_from(book, start)
        if cells:
            found[name] = cells
    return found


def _records(book: bytes, at: int):
    """(kind, body) of each record from `at` on."""
    while at + 4 <= len(book):
        kind = int.from_bytes(book[at:at + 2], "little")
        size = int.from_bytes(book[at + 2:at + 4], "little")
        yield kind, book[at + 4:at + 4 + size]
        at += 4 + size


def _sheets(book: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of each sheet, from the workbook globals' BOUNDSHEET records."""
    sheets = []
    for kind, body in _records(book, 0):
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and len(body) >= 8:
            length, wide = body[6], body[7] & 1
            raw = body[8:8 + length * (2 if wide else 1)]
            sheets.append((raw.decode("utf-16-le" if wide else "latin-1", "replace"),
                           int.from_bytes(body[0:4], "little")))
    return sheets


def _errors_from(book: bytes, start: int) -> dict[tuple[int, int], str]:
    """The error cells of the sheet whose records begin at `start` (charts it embeds, each
    between its own BOF and EOF, left out)."""
    cells: dict[tuple[int, int], str] = {}
    depth = 0
    for kind, body in _records(book, start):
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
            cells[_address(body)] = ERRORS.get(body[6], "#N/A")
        elif depth == 1 and kind == _FORMULA and len(body) >= 14 and body[6] == 2 \
                and body[12:14] == b"\xff\xff":
            cells[_address(body)] = ERRORS.get(body[8], "#N/A")
    return cells


def _address(body: bytes) -> tuple[int, int]:
    return int.from_bytes(body[0:2], "little"), int.from_bytes(body[2:4], "little")
