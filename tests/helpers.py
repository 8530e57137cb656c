"""Helpers shared by the test files: sample units and rows, one-file validation, summaries read back."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from antq_cli.forms import FormSet
from antq_cli.model import FileResult, Problem
from antq_cli.run.merge import validate_files
from antq_cli.units.registry import Registry, Unit
from tests import make_sample_data as sample
from tests.builders import indicator_codes, random_values


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
