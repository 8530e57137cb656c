"""textfile.py: CSV files in every encoding and delimiter read as one sheet."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest

from antq_cli.read.reading import read_workbook

CSV_ROWS = [["STT", "Tên thôn", "Số buổi họp dân", "Ghi chú"],
            ["1", "Thôn Tân Hòa", "1.234", ""],
            ["2", "Thôn Thuỷ Tú", "12,5", "Đạt"],
            ["", "Tổng cộng", "1.246,5", ""]]
CSV_GRID = [[cell or None for cell in row] for row in CSV_ROWS]


def to_cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: base letter, then a combining tone mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ","), ("utf-8", ";"), ("utf-8", "\t"), ("cp1258", ";"), ("utf-16", "\t"),
])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(CSV_ROWS)
    text = buffer.getvalue()
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path = tmp_path / "BC quy I-2024.csv"
    path.write_bytes(data)
    book = read_workbook(path)
    assert book.kind == "csv"
    [grid] = book.sheets
    assert grid.sheet == "BC quy I-2024"
    assert grid.rows == CSV_GRID
    assert all(unicodedata.is_normalized("NFC", c) for row in grid.rows for c in row if c)


def test_cp1258_bytes_really_hold_combining_marks():
    assert to_cp1258("Hòa").decode("cp1258") != "Hòa"
    decoded = to_cp1258("Hòa Thuỷ Đạt").decode("cp1258")
    assert unicodedata.normalize("NFC", decoded) == "Hòa Thuỷ Đạt"


def test_csv_excel_sep_hint_and_ragged_rows(tmp_path):
    path = tmp_path / "hint.csv"
    path.write_text("sep=;\na;b;c\nd;e\n", encoding="utf-8")
    assert read_workbook(path).sheets[0].rows == [["a", "b", "c"], ["d", "e", None]]
