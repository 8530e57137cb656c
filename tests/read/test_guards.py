"""guards.py: what antq refuses before it reads: encrypted files, zip bombs, far cells, limits."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
import xlsxwriter

from antq_cli.read.reading import read_workbook
from antq_cli.settings import Limits, RunSettings
from tests.helpers import CELLS, MERGED, read_error, shown, write_xls, write_xlsx


def test_password_protected_xlsx_is_named_as_such(tmp_path):
    # An encrypted .xlsx is an OLE2 file holding "EncryptionInfo" and "EncryptedPackage"
    # streams; rename the stream of an .xls to build one without an encryption library.
    data = bytearray(write_xls(tmp_path / "plain.xls", CELLS, MERGED).read_bytes())
    at = data.find("Workbook".encode("utf-16-le"))
    name = "EncryptedPackage\0".encode("utf-16-le")
    data[at:at + len(name)] = name
    data[at + 64:at + 66] = len(name).to_bytes(2, "little")
    path = tmp_path / "mat khau.xlsx"
    path.write_bytes(bytes(data))
    assert read_error(path).code == "encrypted-file"


def test_zip_bomb_is_refused_without_inflating(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", CELLS, MERGED)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet2.xml", "w") as member:
            zeros = bytes(1 << 20)
            for _ in range(300):
                member.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    start = time.perf_counter()
    error = read_error(path)
    assert time.perf_counter() - start < 0.5
    assert error.code == "suspicious-file" and "zip bomb" in shown(error, "reason", "en")


def test_zip_that_lies_about_its_sizes_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/media/image1.png", os.urandom(300_000), zipfile.ZIP_STORED)
        archive.writestr("xl/worksheets/sheet1.xml", bytes(20 << 20))
    data = bytearray(out.getvalue())
    # Declare the 20 MB sheet as 1,000 bytes, in its local header and in the directory.
    local = data.find(b"PK\x03\x04", data.find(b"xl/worksheets/sheet1.xml") - 30)
    data[local + 22:local + 26] = (1000).to_bytes(4, "little")
    central = data.rfind(b"xl/worksheets/sheet1.xml") - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    data[central + 24:central + 28] = (1000).to_bytes(4, "little")
    path = tmp_path / "lie.xlsx"
    path.write_bytes(bytes(data))
    error = read_error(path)
    assert error.code == "suspicious-file"
    assert "inflates beyond its declared size" in shown(error, "reason", "en")


def test_stray_cell_far_away_is_refused_before_calamine_allocates_it(tmp_path):
    # calamine would allocate 1,048,576 x 16,384 cells and abort the whole process.
    path = tmp_path / "stray.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Biểu 01")
    sheet.write(0, 0, "CÔNG AN XÃ TÂN ĐỨC")
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    error = read_error(path)
    assert error.code == "over-limit" and "Biểu 01" in shown(error, "what")
    assert error.params["env"] == "ANTQ_MAX_ROWS"


def test_limits_come_with_each_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("".join(f"Thôn {n},{n}\n" for n in range(10)), encoding="utf-8")
    error = read_error(path, Limits(rows=5))
    assert (error.code, error.params["limit"], error.params["env"]) == ("over-limit", 5,
                                                                       "ANTQ_MAX_ROWS")
    assert len(read_workbook(path).sheets[0].rows) == 10
    assert shown(read_error(path, Limits(file_bytes=50)), "what") == "kích thước tệp"


@pytest.mark.parametrize(("variable", "value", "csv_rows", "code"), [
    ("ANTQ_MAX_ROWS", "5", 10, "over-limit"),
    ("ANTQ_MAX_ROWS", "10", 10, None),
    ("ANTQ_MAX_ROWS", "khong", 10, None),  # not a positive whole number: the default holds
    ("ANTQ_MAX_ROWS", "0", 10, None),
    ("ANTQ_MAX_CELLS", "15", 10, "over-limit"),
    ("ANTQ_MAX_FILE_MB", "1", 100_000, "over-limit"),
    ("ANTQ_MAX_CELL_CHARS", "5", 10, "over-limit"),
])
def test_limits_change_with_their_environment_variable(tmp_path, variable, value, csv_rows,
                                                       code):
    path = tmp_path / "long.csv"
    path.write_text("".join(f"Thôn {n},{n}\n" for n in range(csv_rows)), encoding="utf-8")
    limits = RunSettings.from_environment({variable: value}).limits
    if code is None:
        assert len(read_workbook(path, limits).sheets[0].rows) == csv_rows
    else:
        error = read_error(path, limits)
        assert (error.code, error.params["env"]) == (code, variable)
