"""The unit registry as a file: units, their levels, and reading and checking a CSV or workbook.

A registry is read once from a CSV or a workbook (columns code, name, level, parent_code, or
mã, tên, cấp, mã cấp trên) and checked whole: a broken registry stops the run with the row and
column to fix, and a `reason` code that outputs/reasons.py words. registry.py builds the tree
and matches names on the units read here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from ..model import LEVEL_RANK, RegistryError
from ..text import UNIT_TYPES, clean, fold_ascii, value_text

# What a registry's level column may say, on fold_ascii keys: the level itself, its unit type
# words, and the two kinds of "thành phố" spelled out. A bare "thành phố" is left out on purpose:
# it is a province (trực thuộc TW) or a district (thuộc tỉnh), so the user must say which.
_CITY = {
    "province": ("thanh pho truc thuoc tw", "thanh pho truc thuoc trung uong", "tp truc thuoc tw",
                 "tp truc thuoc trung uong", "tp tw"),
    "district": ("thanh pho thuoc tinh", "thanh pho truc thuoc tinh", "tp thuoc tinh",
                 "tp truc thuoc tinh"),
}
_LEVEL_BY_WORD = {
    word: level for level, types in UNIT_TYPES.items()
    for word in (level, *(fold_ascii(t) for t in types if t != "thành phố"), *_CITY.get(level, ()))
}

FIELDS = ("code", "name", "level", "parent_code")
# The longest cell a registry CSV may hold: no code or name comes near it, and a longer one is
# an unclosed quote or another file (csv's own limit would stop the run with its own words).
_LONGEST_FIELD = 10_000
_HEADER_SCAN = 50
_SPREADSHEETS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit: its code, display name, level and its parent's code."""

    code: str
    name: str
    level: str
    parent: str | None = None

@dataclass(slots=True)
class Row:
    """One registry line before checking, with the row number the user sees."""

    number: int
    code: str
    name: str
    level_text: str
    parent: str


def parse_level(text: object) -> str | None:
    """A level ("commune") from an English or Vietnamese word ("Xã", "cấp xã", "Tổ dân phố")."""
    key = fold_ascii(text)
    if key in _LEVEL_BY_WORD:
        return _LEVEL_BY_WORD[key]
    if key.startswith("cap "):
        return _LEVEL_BY_WORD.get(key[4:])
    return None


def _invalid(file: str | None, row: int, column: str | None, reason: str, **params: Any
             ) -> RegistryError:
    """A broken registry at `row`, in the column whose header is `column` (None: the column
    is missing, and `field` says which)."""
    return RegistryError("registry-invalid", file=file, row=row, column=column, reason=reason,
                         **params)


def _unreadable(file: str, reason: str, **params: Any) -> RegistryError:
    return RegistryError("registry-unreadable", file=file, reason=reason, **params)


# ---------------------------------------------------------------- reading the file


def read_units(path: str | Path) -> list[Unit]:
    """The units of a registry file (CSV, XLSX, XLS, ODS), checked; RegistryError names what
    to fix."""
    file = str(path)
    source = Path(path)
    if not source.is_file():
        raise _unreadable(file, "no-such-file")
    if source.suffix.lower() in _SPREADSHEETS:
        rows = _workbook_rows(source, file)
    else:
        rows = _csv_rows(source, file)
    header_at, columns = _header(rows, file)
    data = rows[header_at + 1:]
    units = _quick_units(data, columns)
    if units is None:  # something is wrong: find the first broken row and name it
        units = check_rows(_data_rows(data, columns), file, columns)
    if not units:
        raise _invalid(file, rows[header_at][0] + 1, None, "no-units", field="code")
    return units


def _workbook_rows(source: Path, file: str) -> list[tuple[int, list[Any]]]:
    try:
        sheet = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0)
        # skip_empty_area=False keeps row 1 at index 0, so row numbers match what Excel shows.
        cells = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as error:
        raise _unreadable(file, "damaged", error=str(error)) from error
    return [(number, list(row)) for number, row in enumerate(cells, start=1)]


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1258 writes tones as combining marks: NFC puts them back on their letter.
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as error:
        raise _unreadable(file, "encoding") from error


def _csv_rows(source: Path, file: str) -> list[tuple[int, list[Any]]]:
    try:
        text = _decode(source.read_bytes(), file)
    except OSError as error:
        raise _unreadable(file, "os-error", error=str(error)) from error
    if not text.strip():
        raise _unreadable(file, "empty")
    lines = text[:1 << 16].splitlines()  # enough for the sample unless its lines are long
    if len(lines) <= _HEADER_SCAN:
        lines = text.splitlines()
    sample = "\n".join(lines[:_HEADER_SCAN])
    delimiters = sorted(",;\t", key=sample.count, reverse=True)
    for delimiter in delimiters:
        rows = _split_csv(text, delimiter, file)
        if _find_header(rows) is not None:
            return rows
    return _split_csv(text, delimiters[0], file)


def _split_csv(text: str, delimiter: str, file: str) -> list[tuple[int, list[Any]]]:
    """The CSV's rows with their line numbers; a cell longer than any code or name (an
    unclosed quote swallows the lines after it) is a RegistryError naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = csv.field_size_limit(_LONGEST_FIELD)  # process-wide: put back below
    quoted = '"' in text
    rows, line = [], 1
    try:
        if not quoted:  # no quoted cell, so none spans lines: row n is on line n
            return list(enumerate(reader, start=1))
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        if "field limit" in str(error):  # the line where the long cell's row starts
            raise _unreadable(file, "long-field", row=line if quoted else reader.line_num,
                              limit=_LONGEST_FIELD) from error
        raise _unreadable(file, "damaged", error=str(error)) from error
    finally:
        csv.field_size_limit(limit)
    return rows


def _header_field(cell: object) -> str | None:
    """Which registry column a header cell names ("Mã cấp trên" -> "parent_code"), if any."""
    words = fold_ascii(cell).replace("_", " ").split()
    if not words:
        return None
    if "parent" in words or "cha" in words or "cap tren" in " ".join(words):
        # "Tên cấp trên" is the parent's name, not its code: not a registry column.
        return None if {"ten", "name"} & set(words) else "parent_code"
    first = words[0]
    if first in ("ma", "code", "id"):
        return "code"
    if first in ("ten", "name"):
        return "name"
    if first in ("cap", "level", "loai", "type"):
        return "level"
    return None


def _find_header(rows: list[tuple[int, list[Any]]]) -> int | None:
    """Index of the first row naming at least two registry columns (title rows come before)."""
    for index, (_, cells) in enumerate(rows[:_HEADER_SCAN]):
        if len({_header_field(cell) for cell in cells} - {None}) >= 2:
            return index
    return None


def _header(rows: list[tuple[int, list[Any]]], file: str) -> tuple[int, dict[str, tuple[int, str]]]:
    """The header row's index and each field's (column index, header as written)."""
    at = _find_header(rows)
    if at is None:
        raise _invalid(file, rows[0][0] if rows else 1, None, "no-header", field="code")
    number, cells = rows[at]
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(cells):
        field = _header_field(cell)
        if field is None:
            continue
        if field in columns:
            raise _invalid(file, number, clean(cell), "two-columns", field=field,
                           first=columns[field][1])
        columns[field] = (index, clean(cell))
    for field in FIELDS:
        if field not in columns:
            raise _invalid(file, number, None, "missing-column", field=field)
    return at, columns


def _data_rows(rows: list[tuple[int, list[Any]]], columns: dict[str, tuple[int, str]]
               ) -> list[Row]:
    """The non-blank rows under the header, their cells picked by column."""
    picked = []
    for number, cells in rows:
        values = {f: cells[i] if i < len(cells) else None for f, (i, _) in columns.items()}
        row = Row(number, value_text(values["code"]), clean(values["name"]),
                   clean(values["level"]), value_text(values["parent_code"]))
        if row.code or row.name or row.level_text or row.parent:
            picked.append(row)
    return picked


def _clean_column(cells: list[Any], convert: Callable[[Any], str] = clean,
                  repeats: bool = False) -> list[str]:
    """`convert` (clean or value_text) of each cell.

    `repeats`: the column holds few texts many times (names, levels, parent codes).
    """
    if repeats and {*map(type, cells)} == {str}:  # (not 1 and True, equal as keys)
        distinct = list(set(cells))
        converted = dict(zip(distinct, _clean_column(distinct, convert)))
        return list(map(converted.__getitem__, cells))
    return list(map(convert, cells))


def _quick_units(rows: list[tuple[int, list[Any]]], columns: dict[str, tuple[int, str]]
                 ) -> list[Unit] | None:
    """The units of a registry with nothing to report, checked a column at a time; None when
    any row is broken (the row-by-row check then says which and how)."""
    width = max(index for index, _ in columns.values()) + 1
    lines = [cells if len(cells) >= width else [*cells, *[None] * (width - len(cells))]
             for _, cells in rows]
    codes, names, level_texts, parents = (
        _clean_column([line[columns[field][0]] for line in lines],
                      value_text if field in ("code", "parent_code") else clean,
                      repeats=field != "code")
        for field in FIELDS)
    if not all(codes):  # blank rows are skipped; a row with anything else needs its code
        kept = [i for i, row in enumerate(zip(codes, names, level_texts, parents)) if any(row)]
        codes, names, level_texts, parents = ([column[i] for i in kept] for column in
                                              (codes, names, level_texts, parents))
    levels = list(map(parse_level, level_texts))
    if not all(codes) or not all(names) or None in levels or len(set(codes)) < len(codes):
        return None
    rank = dict(zip(codes, map(LEVEL_RANK.__getitem__, levels)))
    # A parent must be listed and of a higher level (so never the unit itself).
    if not all(rank.get(parent, 9) < rank[code] for code, parent in zip(codes, parents) if parent):
        return None
    return list(map(Unit, codes, names, levels, [parent or None for parent in parents]))


# ---------------------------------------------------------------- checking


def check_rows(rows: list[Row], file: str | None, columns: dict[str, tuple[int, str]]
               ) -> list[Unit]:
    """Units from checked rows; the first broken row raises RegistryError with its fix.

    `file` names the registry in errors; None: units the files themselves named."""
    header = {field: columns[field][1] for field in columns}
    units: dict[str, Unit] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        units[row.code] = _check_row(row, first_row, file, header)
        first_row[row.code] = row.number
    for row in rows:
        _check_parent(row, units, file, header)
    return list(units.values())


def _check_row(row: Row, first_row: dict[str, int], file: str | None,
               header: dict[str, str]) -> Unit:
    if not row.code:
        raise _invalid(file, row.number, header["code"], "code-empty")
    if row.code in first_row:
        raise _invalid(file, row.number, header["code"], "code-repeated", unit_code=row.code,
                       first_row=first_row[row.code])
    if not row.name:
        raise _invalid(file, row.number, header["name"], "name-empty")
    level = parse_level(row.level_text)
    if level is None:
        raise _invalid(file, row.number, header["level"], "level-unknown", written=row.level_text)
    return Unit(row.code, row.name, level, row.parent or None)


def _check_parent(row: Row, units: dict[str, Unit], file: str | None,
                  header: dict[str, str]) -> None:
    if not row.parent:
        return
    column = header["parent_code"]
    if row.parent == row.code:
        raise _invalid(file, row.number, column, "own-parent")
    parent = units.get(row.parent)
    if parent is None:
        raise _invalid(file, row.number, column, "parent-unknown", parent=row.parent)
    child = units[row.code]
    # Levels strictly decrease along every chain, which also rules out any cycle.
    if LEVEL_RANK[parent.level] >= LEVEL_RANK[child.level]:
        raise _invalid(file, row.number, column, "parent-level", parent=parent.name,
                       parent_level=parent.level, level=child.level)
