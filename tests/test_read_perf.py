"""The fast paths of reading.py give exactly what the slow ways they replace give."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from antq_cli import reading

_PARTS = {
    "xl/worksheets/sheet1.xml": b"<worksheet>" + b"<row><c r=\"A1\"><v>1</v></c></row>" * 300
                                + b"</worksheet>",
    "xl/workbook.xml": b"<workbook><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>",
    "xl/t\u00ean.xml": "ch\u1eef Vi\u1ec7t".encode() * 50,
    "empty.xml": b"",
}


def _zip(stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _PARTS.items():
            archive.writestr(name, content,
                             zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _outcome(read, *args):
    try:
        return read(*args)
    except Exception as error:  # noqa: BLE001 - the outcome compared is the error itself
        return type(error), str(error)


def _same_reads(data: bytes) -> int:
    """Compare _read_part with ZipFile.read on every part; the number of parts compared."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # noqa: BLE001 - a mutation that breaks the directory: nothing to compare
        return 0
    for info in infos:
        fresh = zipfile.ZipFile(io.BytesIO(data))
        assert _outcome(reading._read_part, data, archive, info.filename) == \
            _outcome(fresh.read, info.filename), info.filename
    return len(infos)


@pytest.mark.parametrize("stored", [(), tuple(_PARTS)])
def test_read_part_is_zipfile_read(stored):
    data = _zip(stored)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name, content in _PARTS.items():
        assert reading._read_part(data, archive, name) == content


def test_read_part_fails_as_zipfile_read_on_damaged_zips():
    data = _zip()
    rng = random.Random(20240401)
    compared = 0
    for _ in range(1500):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        compared += _same_reads(bytes(damaged))
    for cut in range(0, len(data), 7):  # a download cut short, or padded
        compared += _same_reads(data[:cut]) + _same_reads(data[:cut] + b"\0" * 40 + data[cut:])
    assert compared > 1000


def _central_entry(data: bytes, name: str) -> int:
    """Where the central directory describes `name`."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(name.encode())] != name.encode():
        at = data.index(b"PK\x01\x02", at + 4)
    return at


def test_read_part_caps_a_part_larger_than_declared():
    data = _zip()
    at = _central_entry(data, "xl/worksheets/sheet1.xml")
    declared = int.from_bytes(data[at + 24:at + 28], "little")
    for size in (0, 1, 100, declared - 1, declared + 1, 10**6):
        damaged = bytearray(data)
        damaged[at + 24:at + 28] = size.to_bytes(4, "little")
        assert _same_reads(bytes(damaged)) == len(_PARTS)


_SHEET_PIECES = [b"<sheetData>", b"</sheetData>", b"<f>", b"<f", b":f", b"f", b"<", b":",
                 b"<c r=\"A1\">", b"<v>1</v>", b"</c>", b"x", b"<x:f>", b"footer"]


def test_may_hold_formulas_misses_no_formula():
    rng = random.Random(11)
    for _ in range(20000):
        xml = b"".join(rng.choice(_SHEET_PIECES) for _ in range(rng.randint(0, 12)))
        if b"<f" in xml or b":f" in xml:
            assert reading._may_hold_formulas(xml), xml
