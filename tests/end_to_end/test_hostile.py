"""Hostile files among good ones: each is refused with its code, the run goes on, nothing leaks.

Every hostile file is generated here (nothing large is committed) and put in a folder beside
two good commune submissions. `antq merge` then runs twice: in a subprocess with a time limit and
a memory cap, so a regression that hangs or balloons fails the test instead of the machine, and
through CliRunner (in Vietnamese and English). The hostile file must be listed with its problem
code, the exit code is 1, and the totals are those of the two good files alone.

The corpus holds figures no reader may take (Excel errors, counts past any form's, "12,000"),
what a scan cannot or must not enter (a path past PATH_MAX, a link out of the folder), a file
wrong in every row and a registry with a 1 MB cell. What the machine does to a run is tested
where it happens: a signal or SIGKILL while reading or writing (tests/cli/test_runtime.py), a
pipe swapped in for a file (tests/read/test_reading.py), outputs and a stdout that cannot be
written (tests/cli/test_app.py), memory over forty heavy files (test_memory.py).
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.outputs.messages import PROBLEMS
from tests.builders import Formula, Layout, write_bieu01
from tests.helpers import sender, villages

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"99103": "BC quy I-2024 xa Tan Duc.xlsx", "99105": "xa_son_my_bieu01.xlsx"}
TIME_LIMIT = 60             # seconds for one merge of three files, refusals included
MEMORY_CAP = 1536 * 1024**2  # address space of the merge process (RLIMIT_AS)
SECRET = "BI-MAT-KHONG-DUOC-LO-7f3a9c"
MEASURED: dict[str, tuple[float, int]] = {}  # case -> (seconds, peak RSS in KiB)

# -- minimal files, written byte by byte ---------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx_bytes(sheets: list[tuple[str, object]], shared: str | None = None) -> bytes:
    """A workbook with these sheets (name, sheet XML as bytes or an iterable of byte chunks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        entries = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                          for n, (name, _) in enumerate(sheets, 1))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{entries}'
            "</sheets></workbook>"))
        rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                       f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
        if shared is not None:
            rels += f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/_rels/workbook.xml.rels",
                         f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">{rels}</Relationships>')
        for n, (_, xml) in enumerate(sheets, 1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                for chunk in ([xml] if isinstance(xml, bytes | str) else xml):
                    part.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return out.getvalue()


def sheet_xml(cells: str, doctype: str = "") -> str:
    return (f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{_MAIN}"><sheetData>{cells}'
            "</sheetData></worksheet>")


def ods_bytes(content: str) -> bytes:
    """An .ods whose content.xml is `content` (the table elements)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"))
        archive.writestr("content.xml", content)
    return out.getvalue()


ODS_HEAD = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            '<office:spreadsheet><table:table table:name="Biểu 01">')
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def cfb_encrypted() -> bytes:
    """An OLE2 compound file as Excel saves a password-protected .xlsx: two streams,
    "EncryptionInfo" (agile, version 4.4) and "EncryptedPackage" (ciphertext)."""
    sector = 512
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    info = (b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
            b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
            b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/>'
            b"</encryption>").ljust(4096, b"\0")
    package = (12_000).to_bytes(8, "little") + random.Random(5).randbytes(8192 - 8)
    streams = [("EncryptionInfo", info, 2), ("EncryptedPackage", package, 2 + len(info) // sector)]
    fat = [fat_sector, end]
    for _, data, first in streams:
        count = len(data) // sector
        fat += [first + i + 1 for i in range(count - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))
    header = (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + (0x3E).to_bytes(2, "little")
              + (3).to_bytes(2, "little") + b"\xfe\xff" + (9).to_bytes(2, "little")
              + (6).to_bytes(2, "little") + bytes(6) + (0).to_bytes(4, "little")
              + (1).to_bytes(4, "little") + (1).to_bytes(4, "little") + bytes(4)
              + (4096).to_bytes(4, "little") + end.to_bytes(4, "little") + bytes(4)
              + end.to_bytes(4, "little") + bytes(4)
              + (0).to_bytes(4, "little") + free.to_bytes(4, "little") * 108)

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little")
                + bytes([kind, 1]) + free.to_bytes(4, "little") + right.to_bytes(4, "little")
                + child.to_bytes(4, "little") + bytes(16 + 4 + 16) + start.to_bytes(4, "little")
                + size.to_bytes(8, "little"))

    directory = (entry("Root Entry", 5, 1, free, end, 0)
                 + entry("EncryptionInfo", 2, free, 2, streams[0][2], len(info))
                 + entry("EncryptedPackage", 2, free, free, streams[1][2], len(package))
                 + entry("", 0, free, free, 0, 0))
    body = b"".join(v.to_bytes(4, "little") for v in fat) + directory + info + package
    return header + body


def bomb_bytes(gigabytes: int = 3) -> bytes:
    """A real zip bomb: a sheet of `gigabytes` GiB of zeros, honestly declared, ~3 MB on disk.

    Deflate blocks ended by a full flush start from an empty history, so one compressed MiB
    of zeros can be repeated; the CRC is computed once and cached.
    """
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    mib = bytes(1 << 20)
    block = squeeze.compress(mib) + squeeze.flush(zlib.Z_FULL_FLUSH)
    assert block == squeeze.compress(mib) + squeeze.flush(zlib.Z_FULL_FLUSH)
    count = gigabytes * 1024
    stream = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    size = count << 20
    crc = _zeros_crc(count)
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([("Biểu 01", sheet_xml(""))])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            archive.writestr(info, good.read(info))
    data = bytearray(out.getvalue())
    directory = data.find(b"PK\x01\x02")
    name = b"xl/worksheets/sheet2.xml"
    local = (b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little")
             + bytes(4) + crc.to_bytes(4, "little") + len(stream).to_bytes(4, "little")
             + size.to_bytes(4, "little") + len(name).to_bytes(2, "little") + bytes(2) + name)
    central = (b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2)
               + (8).to_bytes(2, "little") + bytes(4) + crc.to_bytes(4, "little")
               + len(stream).to_bytes(4, "little") + size.to_bytes(4, "little")
               + len(name).to_bytes(2, "little") + bytes(8) + bytes(4)
               + directory.to_bytes(4, "little") + name)
    records = data[directory:data.find(b"PK\x05\x06")]
    entries = len(good.infolist()) + 1
    tail = bytes(records) + central
    end = (b"PK\x05\x06" + bytes(4) + entries.to_bytes(2, "little") * 2
           + len(tail).to_bytes(4, "little")
           + (directory + len(local) + len(stream)).to_bytes(4, "little") + bytes(2))
    return bytes(data[:directory]) + local + stream + tail + end


_CRC_CACHE: dict[int, int] = {}


def _zeros_crc(mebibytes: int) -> int:
    if mebibytes not in _CRC_CACHE:
        crc, mib = 0, bytes(1 << 20)
        for _ in range(mebibytes):
            crc = zlib.crc32(mib, crc)
        _CRC_CACHE[mebibytes] = crc
    return _CRC_CACHE[mebibytes]


# -- the hostile corpus --------------------------------------------------------------------------

LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
       + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
                 for n in range(1, 10)) + "]>")


def _xxe(path: Path) -> bytes:
    secret = path.parent.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    shared = (f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'
              f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>')
    return xlsx_bytes([("Biểu 01", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
                      shared)


def _million_rows(path: Path) -> bytes:
    def chunks():
        yield f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>'
        for start in range(1, 1_000_001, 10_000):
            yield "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>1</v></c></row>'
                          for n in range(start, start + 10_000))
        yield "</sheetData></worksheet>"
    return xlsx_bytes([("Biểu 01", chunks())])


def _many_sheets(path: Path) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    for n in range(500):
        book.add_worksheet(f"Trang {n + 1}").write(0, 0, n)
    book.close()
    return out.getvalue()


def _long_cell(path: Path) -> bytes:
    text = "Ghi chú " + "x" * (1 << 20)
    cells = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    return xlsx_bytes([("Biểu 01", sheet_xml(cells))])


def _shared_amplified(length: int, cells: int) -> bytes:
    shared = f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>{"x" * length}</t></si></sst>'
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(1, cells + 1))
    return xlsx_bytes([("Biểu 01", sheet_xml(rows))], shared)


def _ods_repeated_text(path: Path) -> bytes:
    cell = (f'<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
            f'<text:p>{"x" * 30_000}</text:p></table:table-cell>')
    row = f'<table:table-row table:number-rows-repeated="10">{cell}</table:table-row>'
    return ods_bytes(ODS_HEAD + row + ODS_TAIL)


def _ods_million_rows(path: Path) -> bytes:
    row = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
           'office:value-type="float" office:value="1"/></table:table-row>')
    return ods_bytes(ODS_HEAD + row + ODS_TAIL)


def _csv_named_xlsx(path: Path) -> bytes:
    return "Kính gửi,Công an tỉnh\nNội dung,Báo cáo tình hình\n".encode("utf-8-sig")


def _xlsx_named_csv(path: Path) -> bytes:
    return xlsx_bytes([("Ghi chú", sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Kính gửi Công an tỉnh</t></is></c></row>'))])


def _truncated(path: Path) -> bytes:
    return (path.parent / GOOD["99103"]).read_bytes()[:3000]


def _xls(path: Path) -> bytearray:
    """A real .xls (xlwt) of a few cells, to damage."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Biểu 01")
    for row in range(40):
        sheet.write(row, 0, f"Thôn {row}")
        sheet.write(row, 1, row)
    out = io.BytesIO()
    book.save(out)
    return bytearray(out.getvalue())


def _xls_chain_loop(path: Path) -> bytes:
    """The directory's sector points back at itself in the FAT: a reader that follows the chain
    without counting loops until memory runs out (as calamine did, to 24 GB, in the fuzz run)."""
    data = _xls(path)
    fat = 512 + int.from_bytes(data[76:80], "little") * 512
    directory = int.from_bytes(data[48:52], "little")
    data[fat + 4 * directory:fat + 4 * directory + 4] = directory.to_bytes(4, "little")
    return bytes(data)


def _xls_huge_stream(path: Path) -> bytes:
    """The "Workbook" stream declared 4 GB long in a 10 KB file: invalid, so refused (a reader
    that reserves a declared size up front would abort)."""
    data = _xls(path)
    at = data.find("Workbook".encode("utf-16-le"))
    data[at + 120:at + 124] = (0xFFFFFFF0).to_bytes(4, "little")
    return bytes(data)


def _tan_duc_with(indicator: str, value, fmt: str | None = None):
    """A maker: another copy of Xã Tân Đức's report, one village's figure replaced by `value`
    (figures a reader must never take: an Excel error, a count past any form's, "12,000")."""
    def make(path: Path) -> None:
        rows = villages("99103")
        code, name, values = rows[1]
        rows[1] = (code, name, {**values, indicator: value})
        write_bieu01(path, sender("99103"), rows, "Quý I/2024", Layout(total_row=None), fmt)
    return make


def _deep_folder(path: Path) -> None:
    """Folders nested past the longest path the system takes (PATH_MAX), all named as `path`,
    a report in the deepest: the scan cannot enter the last ones, and says so."""
    descriptor = os.open(path.parent, os.O_RDONLY)
    try:
        for _ in range(4200 // (len(path.name) + 1) + 2):
            os.mkdir(path.name, dir_fd=descriptor)
            inner = os.open(path.name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        os.close(os.open(GOOD["99105"], os.O_WRONLY | os.O_CREAT, dir_fd=descriptor))
    finally:
        os.close(descriptor)


def _link_outside(path: Path) -> None:
    """A link to a file of the computer outside the folder (here, one holding the secret)."""
    secret = path.parent.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    path.symlink_to(secret)


def _special(kind: str):
    """A maker that makes the path itself (a link, a pipe) and returns no bytes."""
    def make(path: Path) -> None:
        if kind == "dev-zero":
            path.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "self-loop":
            path.symlink_to(path.name)
        elif kind == "dangling":
            path.symlink_to(path.parent / "khong ton tai.xlsx")
    return make


# case -> (file name, maker(path) -> the file's bytes, or None when it made the path, code)
CASES = {
    "truncated-zip": ("hong.xlsx", _truncated, "unreadable-file"),
    "empty-file": ("rong.xlsx", lambda f: b"", "unreadable-file"),
    "random-bytes": ("ngau nhien.xlsx", lambda f: random.Random(3).randbytes(65_536),
                     "unreadable-file"),
    "csv-named-xlsx": ("csv that.xlsx", _csv_named_xlsx, "no-form-found"),
    "xlsx-named-csv": ("xlsx that.csv", _xlsx_named_csv, "no-form-found"),
    "encrypted": ("mat khau.xlsx", lambda f: cfb_encrypted(), "encrypted-file"),
    "zip-bomb-declared": ("bom khai bao.xlsx", None, "suspicious-file"),
    "zip-bomb-real": ("bom that.xlsx", lambda f: bomb_bytes(3), "suspicious-file"),
    "billion-laughs": ("cuoi.xlsx", lambda f: xlsx_bytes([("Biểu 01", sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', LOL))]),
        "suspicious-file"),
    "external-entity": ("xxe.xlsx", _xxe, "suspicious-file"),
    "ods-entities": ("cuoi.ods", lambda f: ods_bytes(
        '<?xml version="1.0"?>' + LOL.replace("lolz", "office:document-content") + ODS_HEAD
        + '<table:table-row><table:table-cell office:value-type="string"><text:p>&lol9;'
          "</text:p></table:table-cell></table:table-row>" + ODS_TAIL), "suspicious-file"),
    "million-rows": ("trieu dong.xlsx", _million_rows, "over-limit"),
    "ods-million-rows": ("trieu dong.ods", _ods_million_rows, "over-limit"),
    "500-sheets": ("500 trang.xlsx", _many_sheets, "over-limit"),
    "1mb-cell": ("o dai.xlsx", _long_cell, "over-limit"),
    "1mb-cell-csv": ("o dai.csv", lambda f: ("Thôn," + "x" * (1 << 20) + "\n").encode(),
                     "over-limit"),
    "1mb-shared-text-x2000": ("chuoi chung.xlsx", lambda f: _shared_amplified(1 << 20, 2000),
                              "over-limit"),
    "30k-shared-text-x10000": ("chuoi chung 30k.xlsx",
                               lambda f: _shared_amplified(30_000, 10_000), "over-limit"),
    "ods-repeated-text": ("lap lai.ods", _ods_repeated_text, "over-limit"),
    "xls-chain-loop": ("vong lap.xls", _xls_chain_loop, "unreadable-file"),
    "xls-huge-stream": ("4gb.xls", _xls_huge_stream, "unreadable-file"),
    # A link out of the folder is never followed (its target is not the commune's file).
    "symlink-dev-zero": ("zero.xlsx", _special("dev-zero"), "link-outside"),
    "fifo": ("ong dan.xlsx", _special("fifo"), "unreadable-file"),
    "symlink-self-loop": ("vong.xlsx", _special("self-loop"), "unreadable-file"),
    "symlink-dangling": ("treo.xlsx", _special("dangling"), "unreadable-file"),
    # Figures never to be taken: read as a blank, 12, or an overflow before.
    "excel-error-value": ("loi REF.xlsx", _tan_duc_with("households", "#REF!"), "excel-error"),
    "formula-error-value": ("loi DIV0.xlsx", _tan_duc_with(
        "meetings", Formula("1/0", "#DIV/0!"), "xlsx-xlsxwriter"), "excel-error"),
    "count-1e30": ("1e30.xlsx", _tan_duc_with("households", 1e30), "too-large"),
    "count-1e30-as-text": ("3 ty ty.xlsx", _tan_duc_with(
        "households", "3.000.000.000.000.000.000.000"), "too-large"),
    "count-32767-digits": ("32767 chu so.xlsx", _tan_duc_with("households", "9" * 32_767),
                           "too-large"),
    "twelve-thousand-with-a-comma": ("12,000.xlsx", _tan_duc_with("households", "12,000"),
                                     "ambiguous-number"),
    # What the scan cannot or will not enter: said, never silently dropped.
    "path-past-path-max": ("thu muc " + "s" * 180, _deep_folder, "unreadable-folder"),
    "symlink-outside": ("lien ket ra ngoai.xlsx", _link_outside, "link-outside"),
}


def _declared_bomb(path: Path) -> bytes:
    """A sheet that declares 3 GiB in the zip directory (its data is small)."""
    data = bytearray(xlsx_bytes([("Biểu 01", sheet_xml(""))]))
    name = b"xl/worksheets/sheet1.xml"
    for at in (data.find(name) - 30, data.rfind(name) - 46):
        field = at + (22 if data[at:at + 4] == b"PK\x03\x04" else 24)
        data[field:field + 4] = (3 << 30).to_bytes(4, "little")
    return bytes(data)


CASES["zip-bomb-declared"] = ("bom khai bao.xlsx", _declared_bomb, "suspicious-file")


# -- the folder and the runs --------------------------------------------------------------------

@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """The two good submissions and a registry of just their district, merged alone."""
    folder = tmp_path_factory.mktemp("good")
    for code, name in GOOD.items():
        write_bieu01(folder / name, sender(code), villages(code), "Quý I/2024",
                     Layout(total_row=None))
    wanted = {"99", "991", *GOOD}
    lines = (ROOT / "sample_data" / "registry.csv").read_text(encoding="utf-8").splitlines()
    registry = folder.parent / "registry.csv"
    registry.write_text("\n".join([lines[0]] + [line for line in lines[1:] if line.split(",")[0]
                                                in wanted or line.split(",")[3] in GOOD]) + "\n",
                        encoding="utf-8")
    result = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(registry),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    baseline = json.loads(result.stdout)
    assert {f["status"] for f in baseline["files"]} == {"accepted"}
    assert baseline["totals"] and not baseline["missing"]
    yield folder, registry, baseline
    if os.environ.get("ANTQ_HOSTILE_REPORT"):
        Path(os.environ["ANTQ_HOSTILE_REPORT"]).write_text(json.dumps(MEASURED, indent=1))


def folder_with(good_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "bao cao"
    folder.mkdir()
    for name in GOOD.values():
        shutil.copy(good_folder / name, folder / name)
    return folder


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


# The peak RSS of the process itself (VmHWM: ru_maxrss would count the forked pytest too).
_LAUNCH = ("import atexit, os, re, sys\n"
           "atexit.register(lambda: open(os.environ['ANTQ_RSS_OUT'], 'w').write(re.search("
           "r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)))\n"
           "from antq_cli.cli.app import app\n"
           "sys.argv[0] = 'antq'\n"
           "app()\n")


def run_bounded(args: list[str], tmp_path: Path) -> tuple[subprocess.CompletedProcess, float, int]:
    """`antq ARGS` in a subprocess under the time limit and the memory cap: (done, s, KiB)."""
    rss = tmp_path / "rss.txt"
    env = dict(os.environ, ANTQ_RSS_OUT=str(rss), COLUMNS="120")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=TIME_LIMIT, env=env,
                          preexec_fn=_cap_memory, cwd=tmp_path)
    seconds = time.perf_counter() - start
    return done, seconds, int(rss.read_text()) if rss.exists() else -1


def merge_json(folder: Path, registry: Path, lang: str = "vi") -> tuple[int, dict, str]:
    result = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(registry),
                                      "--format", "json", "--lang", lang])
    return result.exit_code, json.loads(result.stdout), result.output


def assert_good_unchanged(found: dict, baseline: dict, folder: Path) -> None:
    """The good files are accepted and every figure is as when they were merged alone."""
    status = {Path(f["path"]).name: f["status"] for f in found["files"]}
    assert [status[name] for name in GOOD.values()] == ["accepted", "accepted"]
    assert found["totals"] == baseline["totals"]
    assert found["rates"] == baseline["rates"]
    assert [(u["code"], u["values"]) for u in found["units"]] == \
        [(u["code"], u["values"]) for u in baseline["units"]]


def _problem(found: dict, name: str) -> dict:
    [entry] = [f for f in found["files"] if Path(f["path"]).name == name]
    assert entry["status"] in ("rejected", "skipped")
    return entry


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_and_the_run_goes_on(good, tmp_path, case):
    good_folder, registry, baseline = good
    name, make, code = CASES[case]
    folder = folder_with(good_folder, tmp_path)
    path = folder / name
    data = make(path)
    if data is not None:
        path.write_bytes(data)

    done, seconds, rss = run_bounded(["merge", str(folder), "--registry", str(registry),
                                      "--format", "json"], tmp_path)
    MEASURED[case] = (round(seconds, 2), rss)
    assert done.returncode == 1, done.stderr[-2000:]
    bounded = json.loads(done.stdout)
    assert_good_unchanged(bounded, baseline, folder)

    exit_code, found, output = merge_json(folder, registry)
    assert exit_code == 1
    assert found == bounded
    entry = _problem(found, name)
    [problem] = [p for p in entry["problems"] if p["severity"] == "error"] or entry["problems"]
    assert problem["code"] == code
    vi, en = PROBLEMS[code]
    assert problem["message"].startswith(vi.split("{")[0])
    _, found_en, output_en = merge_json(folder, registry, "en")
    [problem_en] = [p for p in _problem(found_en, name)["problems"] if p["code"] == code]
    assert problem_en["message"].startswith(en.split("{")[0])
    for text in (output, output_en, done.stdout, done.stderr):
        assert SECRET not in text and "lollol" not in text


def test_limit_messages_name_the_limit_and_its_variable(good, tmp_path):
    good_folder, registry, _ = good
    folder = folder_with(good_folder, tmp_path)
    (folder / "500 trang.xlsx").write_bytes(_many_sheets(folder / "500 trang.xlsx"))
    _, found, _ = merge_json(folder, registry)
    [problem] = _problem(found, "500 trang.xlsx")["problems"]
    assert "500 trang tính, tối đa 250 trang tính" in problem["message"]
    assert "ANTQ_MAX_SHEETS" in problem["message"]
    _, found, _ = merge_json(folder, registry, "en")
    assert "500 sheets, at most 250 sheets" in _problem(found, "500 trang.xlsx")["problems"][0][
        "message"]


def test_a_raised_limit_lets_the_file_through(good, tmp_path, monkeypatch):
    good_folder, registry, _ = good
    folder = folder_with(good_folder, tmp_path)
    (folder / "500 trang.xlsx").write_bytes(_many_sheets(folder / "500 trang.xlsx"))
    monkeypatch.setenv("ANTQ_MAX_SHEETS", "600")
    _, found, _ = merge_json(folder, registry)
    assert [p["code"] for p in _problem(found, "500 trang.xlsx")["problems"]] == ["no-form-found"]


ODD_NAMES = {
    "99103": [" BC  quy I-2024 xa Tan Duc .xlsx", "-BC quy I-2024 xa Tan Duc.xlsx",
              "BC quy I\n2024 xa Tan Duc.xlsx", "Báo cáo quý I xã Tân Đức.xlsx",
              ("B" * 200) + " xa Tan Duc.xlsx"],
    "99105": [unicodedata.normalize("NFD", "Báo cáo xã Sơn Mỹ quý I.xlsx"), "x.xlsx.xlsx",
              "-- xa Son My.xlsx", "$(rm -rf ~) xa Son My.xlsx", "' OR 1=1; xa Son My.xlsx"],
}


@pytest.mark.parametrize("which", range(5))
def test_odd_file_names_are_read_like_any_other(good, tmp_path, which):
    good_folder, registry, baseline = good
    folder = tmp_path / "bao cao"
    folder.mkdir()
    names = []
    for code, name in GOOD.items():
        odd = ODD_NAMES[code][which]
        shutil.copy(good_folder / name, folder / odd)
        names.append(odd)
    exit_code, found, output = merge_json(folder, registry)
    assert exit_code == 0, output
    assert sorted(Path(f["path"]).name for f in found["files"]) == sorted(names)
    assert found["totals"] == baseline["totals"]
    assert not found["missing"]


def test_a_file_named_only_xlsx_is_hidden_and_left_out(good, tmp_path):
    good_folder, registry, baseline = good
    folder = folder_with(good_folder, tmp_path)
    (folder / ".xlsx").write_bytes(_truncated(folder / ".xlsx"))
    exit_code, found, _ = merge_json(folder, registry)
    assert exit_code == 0
    assert ".xlsx" not in {Path(f["path"]).name for f in found["files"]}
    assert found["totals"] == baseline["totals"]


def test_symlink_loop_in_the_folder_is_not_followed(good, tmp_path):
    good_folder, registry, baseline = good
    folder = folder_with(good_folder, tmp_path)
    (folder / "vong lap").symlink_to(folder, target_is_directory=True)
    (folder / "con").mkdir()
    (folder / "con" / "len tren").symlink_to("..", target_is_directory=True)
    done, seconds, _ = run_bounded(["merge", str(folder), "--registry", str(registry),
                                    "--format", "json"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert sorted(Path(f["path"]).name for f in found["files"]) == sorted(GOOD.values())
    assert found["totals"] == baseline["totals"]


BIDI = "\u202e"


def test_bidi_overrides_and_controls_are_dropped_and_named(good, tmp_path):
    good_folder, registry, baseline = good
    folder = folder_with(good_folder, tmp_path)
    hidden = [(code, name.replace(" ", f"{BIDI} \u200b", 1) + "\x07\u2066", values)
              for code, name, values in villages("99103")]
    # openpyxl refuses control characters; xlsxwriter writes them as Excel does (_x0007_).
    write_bieu01(folder / GOOD["99103"], sender("99103"), hidden, "Quý I/2024",
                 Layout(total_row=None), "xlsx-xlsxwriter")
    exit_code, found, output = merge_json(folder, registry)
    assert exit_code == 0, output
    assert found["totals"] == baseline["totals"]
    [entry] = [f for f in found["files"] if Path(f["path"]).name == GOOD["99103"]]
    assert entry["status"] == "accepted"
    [warning] = [p for p in entry["problems"] if p["code"] == "hidden-characters"]
    assert warning["cell"] and warning["message"].startswith(f"{len(hidden)} ô")
    terminal = CliRunner().invoke(app, ["merge", str(folder), "--registry", str(registry)])
    for text in (output, terminal.output, json.dumps(found, ensure_ascii=False)):
        assert not any(ch in text for ch in (BIDI, "\u2066", "\u200b", "\x07"))


def test_a_file_wrong_in_every_row_is_listed_within_bounds(good, tmp_path):
    """3,000 rows, each with a figure that is not a number and a village that does not exist:
    the first 50 problems of each kind, then their count, in every output."""
    good_folder, registry, baseline = good
    folder = folder_with(good_folder, tmp_path)
    rows = [(None, f"Thôn Không Có {n}", {"households": "nhiều"}) for n in range(3000)]
    write_bieu01(folder / "sai moi dong.xlsx", sender("99103"), rows, "Quý I/2024",
                 Layout(total_row=None), "xlsx-xlsxwriter")
    done, _, _ = run_bounded(["merge", str(folder), "--registry", str(registry), "--format",
                              "json", "-o", str(tmp_path / "tong hop.xlsx")], tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert_good_unchanged(found, baseline, folder)
    entry = _problem(found, "sai moi dong.xlsx")
    assert entry["rows"] == 3000
    codes = [p["code"] for p in entry["problems"]]
    assert codes.count("not-a-number") == codes.count("unknown-unit") == 50
    counted = {p["message"].split()[4]: p["message"].split()[1] for p in entry["problems"]
               if p["code"] == "more-problems"}
    assert counted == {"not-a-number": "2.950", "unknown-unit": "2.950"}
    assert len(done.stdout) < 200_000


def test_a_registry_with_a_huge_field_stops_with_its_line(good, tmp_path):
    good_folder, _, _ = good
    folder = folder_with(good_folder, tmp_path)
    registry = tmp_path / "danh muc.csv"
    registry.write_text("code,name,level,parent_code\n99,Tỉnh Mẫu Sơn,province,\n991,"
                        + "x" * (1 << 20) + ",district,99\n", encoding="utf-8")
    done, _, _ = run_bounded(["merge", str(folder), "--registry", str(registry)], tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "dòng 3 có một ô dài hơn 10.000 ký tự" in done.stderr
