"""The fast paths of reading.py give exactly what the slow ways they replace give."""

from __future__ import annotations

import os
import random
import threading
import time

from antq_cli.read import guards
from antq_cli.read import reading
from tests.reference import (FAR_REF, FORMULA_CELL, PREFIXED_FORMULA_CELL,
                             reference_holds_formula)

_SHEET_PIECES = [b"<sheetData>", b"</sheetData>", b"<f>", b"<f", b":f", b"f", b"<", b":",
                 b"<c r=\"A1\">", b"<v>1</v>", b"</c>", b"x", b"<x:f>", b"footer"]


def test_may_hold_formulas_misses_no_formula():
    rng = random.Random(11)
    for _ in range(20000):
        xml = b"".join(rng.choice(_SHEET_PIECES) for _ in range(rng.randint(0, 12)))
        if reference_holds_formula(xml):
            assert reading._may_hold_formulas(xml), xml


def test_far_ref_is_the_plain_pattern():
    rng = random.Random(12)
    for _ in range(50000):
        xml = bytes(rng.choice(b'r="ACDZ09" ') for _ in range(rng.randint(0, 16)))
        assert bool(guards._FAR_REF.search(xml)) == bool(FAR_REF.search(xml)), xml


_CELL_PIECES = [b"<c ", b"<x:c ", b'r="B2"', b" ", b"\n", b">", b"/>", b"<f>", b"<x:f ", b"</f>",
                b"<v>", b"<v/>", b"</v>", b"</c>", b"</x:c>", b"<", b"1", b"t=\"s\""]


def test_formula_cell_patterns_are_the_plain_ones():
    plain = [FORMULA_CELL, PREFIXED_FORMULA_CELL]
    rng = random.Random(13)
    for _ in range(20000):
        xml = b"".join(rng.choice(_CELL_PIECES) for _ in range(rng.randint(0, 14)))
        for fast, slow in zip((reading._FORMULA_CELL, reading._PREFIXED_FORMULA_CELL), plain):
            assert [m.span(1) + m.span(2) for m in fast.finditer(xml)] == \
                [m.span(1) + m.span(2) for m in slow.finditer(xml)], xml


def test_read_up_to_reads_on_after_a_short_read():
    read_end, write_end = os.pipe()
    os.write(write_end, b"abc")  # a pipe gives what it holds: a short read, as some file systems

    def rest() -> None:
        time.sleep(0.05)
        os.write(write_end, b"def")
        os.close(write_end)

    writer = threading.Thread(target=rest)
    writer.start()
    try:
        assert reading._read_up_to(read_end, 10, 6) == b"abcdef"
        assert reading._read_up_to(read_end, 10, 10) == b""  # the end
    finally:
        writer.join()
        os.close(read_end)


def _workbook(path, sheets, level=6):
    """An xlsx with these sheet names, its parts deflated at `level`."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    for sheet in book.worksheets:
        sheet["A1"] = sheet.title
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED, level)
    return path


def _with_crc(path, part, crc, target):
    """A copy of the zip at `path` whose directory and local header give `part` this CRC."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 14, crc)  # local header
    name = part.encode()  # and its entry in the central directory
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 16, crc)
        at = data.find(b"PK\x01\x02", at + 4)
    target.write_bytes(bytes(data))
    return target


def test_the_sheet_map_remembered_by_stored_bytes_is_each_files_own(tmp_path):
    """Files whose workbook part is stored alike share its map; any other file, the same
    text stored otherwise or one whose checksum is wrong, is read as it is."""
    reading._SHEET_MAPS.clear()
    first = _workbook(tmp_path / "a.xlsx", ["Biểu 01", "Biểu 02"])
    same = _workbook(tmp_path / "b.xlsx", ["Biểu 01", "Biểu 02"])
    other = _workbook(tmp_path / "c.xlsx", ["Biểu 02", "Ghi chú", "Biểu 01"])
    packed = _workbook(tmp_path / "d.xlsx", ["Biểu 01", "Biểu 02"], level=1)
    names = [[grid.sheet for grid in reading.read_workbook(path).sheets]
             for path in (first, same, other, packed)]
    assert names == [["Biểu 01", "Biểu 02"], ["Biểu 01", "Biểu 02"],
                     ["Biểu 02", "Ghi chú", "Biểu 01"], ["Biểu 01", "Biểu 02"]]
    assert len(reading._SHEET_MAPS) == 3  # a and b stored their workbook part alike
    broken = _with_crc(first, "xl/workbook.xml", 12345, tmp_path / "e.xlsx")
    try:
        reading.read_workbook(broken)
    except reading.ReadError as error:
        assert error.code == "unreadable-file"
    else:
        raise AssertionError("a workbook part whose checksum is wrong was read")
