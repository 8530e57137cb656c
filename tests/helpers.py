"""Helpers shared by the test files (the fixtures are in conftest.py).

The sample province's senders, villages and rows and one-file validation; a summary workbook
read back; one sheet written by every spreadsheet library; a registry of four levels.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from antq_cli.cli.app import app
from antq_cli.forms import FormSet
from antq_cli.model import FileResult, Problem, ReadError
from antq_cli.outputs.reasons import PHRASES
from antq_cli.outputs.words import fill
from antq_cli.read.reading import read_workbook
from antq_cli.run.merge import validate_files
from antq_cli.settings import Limits
from antq_cli.units.registry import Registry, Unit
from tests import make_sample_data as sample
from tests.builders import indicator_codes, random_values, write_bieu01, write_bieu02

SAMPLE_REGISTRY = str(sample.SAMPLE_DIR / "registry.csv")
ERA_TITLE = {
    "2025": "danh mục chính thức 2025 (QĐ 19/2025/QĐ-TTg)",
    "legacy": "danh mục 63 tỉnh, thành phố trước 1/7/2025",
}
"""How `antq units` names each era of the official list, in Vietnamese."""


def sample_registry() -> Registry:
    """Registry.from_units over make_sample_data.REGISTRY."""
    return Registry.from_units(
        [Unit(u.code, u.name, u.level, u.parent_code or None) for u in sample.REGISTRY],
        source="sample")


def sender(code: str) -> tuple[str, str, str]:
    """(code, name, parent name) of a sample commune, as the builders take it."""
    unit = sample.UNITS[code]
    return unit.code, unit.name, sample.UNITS[unit.parent_code].name


def villages(commune: str, seed: int = 1) -> list[tuple[str, str, dict[str, int]]]:
    """(code, name, values) of every village of a sample commune, values seeded and valid."""
    rng = random.Random(f"{commune}:{seed}")
    return [(v.code, v.name, random_values("bieu-01", rng))
            for v in sample.VILLAGES if v.parent_code == commune]


def commune_row(commune: str, seed: int = 1) -> list[tuple[str, str, dict[str, int]]]:
    """The one (code, name, values) row of a commune's own bieu-02."""
    rng = random.Random(f"{commune}:{seed}:02")
    return [(commune, sample.UNITS[commune].name, random_values("bieu-02", rng))]


def said(text: str) -> str:
    """Console text with its line wrapping undone."""
    return " ".join(text.split())


def validate_one(path: Path, forms: FormSet, registry: Registry | None, period=None) -> FileResult:
    """validate_files on one path, returning its one result."""
    [result] = validate_files([path], forms, registry, period)
    return result


def codes(result: FileResult) -> list[str]:
    """The problem codes of a file result, in order."""
    return [p.code for p in result.problems]


def only(result: FileResult, code: str) -> Problem:
    """The single problem of `code` in a file result (fails when there is none or several)."""
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {codes(result)}"
    return found[0]


# ------------------------------------------------------------------ reading a summary back

FLAG_TEXT = {"Đạt": 1, "Không đạt": 0}


def calamine_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet as python-calamine reads it, lined up with A1 (row 0 is row 1)."""
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names}


def whole_number(value: Any) -> Any:
    """A float that holds a whole number as an int, anything else as it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def table_rows(grid: list[list[Any]]) -> tuple[int, list[list[Any]], list[Any]]:
    """(first data row index, data rows, total row) of a form sheet antq wrote: the rows
    between the column-number row "(1)" and the "Tổng cộng"/"Total" row."""
    numbers = next(i for i, row in enumerate(grid) if row and row[0] == "(1)")
    end = next(i for i in range(numbers + 1, len(grid))
               if grid[i] and grid[i][0] in ("Tổng cộng", "Total"))
    return numbers + 1, grid[numbers + 1:end], grid[end]


def detail_rows(path: Path) -> Counter:
    """(form, unit code, values) of every row of every detail sheet, read with calamine.

    The detail sheets are found by their names ("Chi tiết bieu-01", "Detail bieu-01") and
    read by column position (STT, code, name, then the form's indicators in form order),
    flags written as "Đạt"/"Không đạt" read as 1/0.
    """
    found: Counter = Counter()
    for name, grid in calamine_sheets(path).items():
        match = re.fullmatch(r"(?:Chi tiết|Detail) (bieu-\d+)", name)
        if not match:
            continue
        form = match.group(1)
        codes = indicator_codes(form)
        _, rows, _ = table_rows(grid)
        for row in rows:
            values = tuple((code, FLAG_TEXT.get(row[3 + i], whole_number(row[3 + i])))
                           for i, code in enumerate(codes))
            found[(form, row[1], values)] += 1
    return found


# ------------------------------------------------------------------ one sheet, every library

# A commune's bieu-02-like sheet: title block, a 2-row merged header with a group over its
# parts, three data rows, a "Tổng cộng" row and the signature line. (row, col) -> value.
CELLS: dict[tuple[int, int], object] = {
    (0, 0): "CÔNG AN XÃ TÂN ĐỨC", (0, 4): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    (2, 0): "BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ QUÝ I/2024",
    (4, 0): "STT", (4, 1): "Thôn", (4, 2): "Số vụ Nhân dân tố giác, tham gia truy bắt",
    (4, 6): "Số buổi họp dân",
    (5, 2): "Tổng số", (5, 3): "Trộm cắp", (5, 4): "Cướp", (5, 5): "Khác",
    (6, 0): 1, (6, 1): "Thôn Tân Hòa", (6, 2): 3, (6, 3): 1, (6, 4): 0, (6, 5): 2, (6, 6): 4,
    (7, 0): 2, (7, 1): "Thôn Đông", (7, 2): 5, (7, 3): 2, (7, 4): 1, (7, 5): 2, (7, 6): 6,
    (8, 0): 3, (8, 1): "Khu phố 3", (8, 2): 0, (8, 3): 0, (8, 4): 0, (8, 5): 0, (8, 6): 3,
    (9, 1): "Tổng cộng", (9, 2): 8, (9, 3): 3, (9, 4): 1, (9, 5): 4, (9, 6): 13,
    (11, 1): "Người lập biểu", (11, 5): "TRƯỞNG CÔNG AN XÃ",
}
MERGED = [(0, 0, 0, 2), (0, 4, 0, 6), (2, 0, 2, 6), (4, 0, 5, 0), (4, 1, 5, 1), (4, 2, 4, 5),
          (4, 6, 5, 6)]


def write_xlsx(path, cells, merged, sheet="Biểu 02"):
    """An .xlsx of one sheet, written by openpyxl, with these cells and merged ranges."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for (r, c), value in cells.items():
        ws.cell(r + 1, c + 1, value)
    for r0, c0, r1, c1 in merged:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)
    return path


def write_xls(path, cells, merged, sheet="Biểu 02"):
    """An .xls of one sheet, written by xlwt, with these cells and merged ranges."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    origins = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merged}
    for (r, c), value in cells.items():
        if (r, c) in origins:
            r1, c1 = origins.pop((r, c))
            ws.write_merge(r, r1, c, c1, value)
        else:
            ws.write(r, c, value)
    for (r0, c0), (r1, c1) in origins.items():
        ws.write_merge(r0, r1, c0, c1, "")
    book.save(str(path))
    return path


def shown(error, key: str, lang: str = "vi") -> str:
    """What the message of `error` (a ReadError or AntqError) says for its param `key`, a code
    that outputs/ words."""
    return fill("{" + key + "}", error.params, lang, PHRASES.get(error.code))


def read_error(path, limits: Limits = Limits()) -> ReadError:
    """The ReadError read_workbook raises on `path` (fails when it reads the file)."""
    with pytest.raises(ReadError) as caught:
        read_workbook(path, limits)
    return caught.value


# ------------------------------------------------------------------ a registry of four levels

_TONES = "\u0300\u0301\u0303\u0309\u0323"

FOUR_LEVELS = [
    ("code", "name", "level", "parent_code"),
    ("08", "Tỉnh Tuyên Quang", "province", ""),
    ("070", "Thành phố Tuyên Quang", "district", "08"),
    ("071", "Huyện Lâm Bình", "district", "08"),
    ("02212", "Phường Tân Quang", "commune", "070"),
    ("02215", "Xã Tân Đức", "commune", "070"),
    ("02230", "Xã Lăng Can", "commune", "071"),
    ("T1", "Thôn Tân Hòa", "village", "02215"),
    ("T2", "Thôn 1", "village", "02215"),
    ("T3", "Thôn 1", "village", "02230"),
    ("T4", "Tổ dân phố 5", "village", "02212"),
    ("T5", "Bản Khuôn Hà", "village", "02230"),
]


def write_units_csv(path, rows, delimiter=",", encoding="utf-8-sig"):
    """Write rows as a CSV file in the given encoding; return the path."""
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    if encoding == "cp1258":
        path.write_bytes(_cp1258(text))
    else:
        path.write_text(text, encoding=encoding, newline="")
    return path


def _cp1258(text):
    """Encode as Windows-1258 does: base letters precomposed (â, ơ, đ), tones as combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(
            unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones
        )
    return "".join(out).encode("cp1258")


# ------------------------------------------------------------------ same-named communes

# Part of Bình Thuận before 2025 (the official codes): Xã Tân Hà in Huyện Đức Linh and in
# Huyện Hàm Tân, whose villages are mostly "Thôn 1", "Thôn 2"...
TAN_HA_DUC_LINH, TAN_HA_HAM_TAN, TAN_XUAN, DONG_HA = "23221", "23257", "23260", "23224"
SAME_NAMES_UNITS = [
    ("60", "Tỉnh Bình Thuận", "province", ""),
    ("600", "Huyện Đức Linh", "district", "60"),
    ("601", "Huyện Hàm Tân", "district", "60"),
    (TAN_HA_DUC_LINH, "Xã Tân Hà", "commune", "600"),
    (DONG_HA, "Xã Đông Hà", "commune", "600"),
    (TAN_HA_HAM_TAN, "Xã Tân Hà", "commune", "601"),
    (TAN_XUAN, "Xã Tân Xuân", "commune", "601"),
    ("23263", "Thị trấn Tân Nghĩa", "commune", "601"),
]
SAME_NAMES_VILLAGES = {
    TAN_HA_DUC_LINH: ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6"],
    DONG_HA: ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn Đông Hòa", "Thôn Bàu Chim"],
    TAN_HA_HAM_TAN: ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn Bình Thắng"],
    TAN_XUAN: ["Thôn 1", "Thôn 2", "Thôn Tân Hưng"],
    "23263": ["Khu phố 1", "Khu phố 2", "Khu phố 3"],
}
SAME_NAMES_UNITS += [(f"{commune}{number:02d}", name, "village", commune)
                     for commune, names in SAME_NAMES_VILLAGES.items()
                     for number, name in enumerate(names, 1)]


def same_names_registry() -> Registry:
    """Two Xã Tân Hà in two districts of one province, with their villages."""
    return Registry.from_units([Unit(code, name, level, parent or None)
                                for code, name, level, parent in SAME_NAMES_UNITS])


def same_names_villages(commune: str, only: tuple[str, ...] | None = None,
                        codes: bool = False, seed: int = 1) -> list[tuple[str | None, str, dict]]:
    """(code or None, name, values) of a commune's villages (or only those named), valid."""
    rng = random.Random(f"same-names:{commune}:{seed}")
    rows = [(f"{commune}{number:02d}", name, random_values("bieu-01", rng))
            for number, name in enumerate(SAME_NAMES_VILLAGES[commune], 1)]
    return [(code if codes else None, name, values) for code, name, values in rows
            if only is None or name in only]


def same_names_row(commune: str, name: str | None = None, seed: int = 1) -> tuple:
    """The (None, name, values) bieu-02 row of a commune (written as `name`)."""
    rng = random.Random(f"same-names:{commune}:{seed}:02")
    unit = next(u for u in SAME_NAMES_UNITS if u[0] == commune)
    return (None, name or unit[1], random_values("bieu-02", rng))


# ------------------------------------------------------------------ a registry taken as given

# Registry(TRUSTED_UNITS) is trusted as written: not checked, names not cleaned.
TRUSTED_UNITS = [
    Unit("08", "Tỉnh Tuyên Quang", "province"),
    Unit("070", "Thành phố Tuyên Quang", "district", "08"),
    Unit("02215", "Xã Tân Đức", "commune", "070"),
    Unit("02230", "Xã Lăng Can", "commune", "070"),
    Unit("T1", "Thôn Tân Hòa", "village", "02215"),
    Unit("T2", "Thôn 1", "village", "02215"),
    Unit("T3", "Thôn 1", "village", "02230"),
    Unit("T6", "Tổ 1", "village", "02230"),
    Unit("T4", "Tân Hòa", "village", "02230"),
    Unit("T5", "  Bản  Khuôn Hà ", "village", "02230"),  # trusted as given, not cleaned
]


# ------------------------------------------------------------------ whole quarters, merged


def write_quarter(folder: Path, period_text: str, seed: str, zero: tuple[str, ...] = ()) -> dict:
    """Both forms for every sample commune; returns the truth: totals and village counts."""
    folder.mkdir(parents=True, exist_ok=True)
    totals: dict[str, int] = {}
    safe = met = 0
    for code in (u.code for u in sample.COMMUNES):
        rng = random.Random(f"{seed}:{code}")
        rows = []
        for village in (v for v in sample.VILLAGES if v.parent_code == code):
            values = random_values("bieu-01", rng) | {k: 0 for k in zero if k in
                                                        random_values("bieu-01", rng)}
            rows.append((village.code, village.name, values))
            safe += values["village_safe"]
            met += values["meetings"] > 0
        own = random_values("bieu-02", rng)
        for key in zero:
            if key in own:
                own[key] = 0
        if "crimes_reported" in zero:
            own.update(crimes_theft=0, crimes_robbery=0, crimes_other=0)
        for values in [r[2] for r in rows] + [own]:
            for key, value in values.items():
                totals[key] = totals.get(key, 0) + value
        write_bieu01(folder / f"bieu01 {code}.xlsx", sender(code), rows, period_text)
        write_bieu02(folder / f"bieu02 {code}.xlsx", sender(code),
                     [(code, sample.UNITS[code].name, own)], period_text)
    return {"totals": totals, "safe": safe, "met": met}


def merge_cli(*args: str) -> tuple[int, str]:
    """`antq merge ARGS --registry sample_data/registry.csv`: its exit code and its output."""
    result = CliRunner().invoke(app, ["merge", *args, "--registry", SAMPLE_REGISTRY])
    return result.exit_code, result.output


# ------------------------------------------------------------------ grid cells, for hypothesis

CELL_TEXTS = ["", " ", "Số hộ", "Tổng số", "STT", "Họp dân", "Số buổi", "x", "(1)", "2", "a"]
GRID_CELLS = st.one_of(st.none(), st.sampled_from(CELL_TEXTS),
                       st.floats(0, 3), st.integers(0, 12), st.booleans())
