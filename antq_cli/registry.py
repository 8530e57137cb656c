"""The unit registry: provinces, districts, communes and villages, and matching names to them.

A registry is read once from a CSV or a workbook (columns code, name, level, parent_code, or
mã, tên, cấp, mã cấp trên) and checked whole: a broken registry stops the run with the row and
column to fix. Names are matched on folded keys from text.py, always within the smallest known
scope (the sending commune), because many communes have a "Thôn 1".
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from .model import RegistryError
from .text import clean, fold_ascii, name_keys, strip_unit_prefix

LEVELS = ("province", "district", "commune", "village")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# (Vietnamese, English) words for each level, for messages.
LEVEL_NAMES = {
    "province": ("tỉnh", "province"),
    "district": ("huyện", "district"),
    "commune": ("xã", "commune"),
    "village": ("thôn", "village"),
}

# Level words as written in registries, on fold_ascii keys. A bare "thành phố" is left out on
# purpose: it is a province (trực thuộc TW) or a district (thuộc tỉnh), so the user must say.
_LEVEL_WORDS = {
    "province": ("province", "tinh", "thanh pho truc thuoc tw", "thanh pho truc thuoc trung uong",
                 "tp truc thuoc tw", "tp truc thuoc trung uong", "tp tw"),
    "district": ("district", "huyen", "quan", "thi xa", "thanh pho thuoc tinh",
                 "thanh pho truc thuoc tinh", "tp thuoc tinh", "tp truc thuoc tinh"),
    "commune": ("commune", "xa", "phuong", "thi tran", "dac khu"),
    "village": ("village", "thon", "to dan pho", "khu pho", "ap", "ban", "xom", "khu dan cu",
                "buon", "plei", "soc", "khom", "khoi", "lang", "to", "khu"),
}
_LEVEL_BY_WORD = {word: level for level, words in _LEVEL_WORDS.items() for word in words}

FIELDS = ("code", "name", "level", "parent_code")
# How a missing column is named to the user.
_FIELD_NAMES = {"code": "mã", "name": "tên", "level": "cấp", "parent_code": "mã cấp trên"}
_HEADER_SCAN = 50
_SPREADSHEETS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit: its code, display name, level and its parent's code."""

    code: str
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of matching a name: one unit, several candidates, or suggestions.

    `how` says which key matched: "exact", "prefix" (type word dropped) or "ascii".
    """

    query: str
    unit: Unit | None = None
    candidates: tuple[Unit, ...] = ()
    suggestions: tuple[str, ...] = ()
    how: str = ""

    @property
    def status(self) -> str:
        """One of "found", "ambiguous" or "unknown"."""
        if self.unit is not None:
            return "found"
        return "ambiguous" if self.candidates else "unknown"


@dataclass(slots=True)
class _Row:
    """One registry line before checking, with the row number the user sees."""

    number: int
    code: str
    name: str
    level_text: str
    parent: str


@dataclass(slots=True)
class _NameIndex:
    """The units of one search set keyed by folded name, with and without the type word, for
    `Registry.find`; the diacritic-free twins only once a name is not found that way."""

    units: list[Unit]
    exact: dict[str, list[Unit]]
    stripped: dict[str, list[Unit]]
    loose: tuple[dict[str, list[Unit]], dict[str, list[Unit]]] | None = None

    def ascii_tables(self) -> tuple[dict[str, list[Unit]], dict[str, list[Unit]]]:
        """The units keyed without diacritics, with and without the type word."""
        if self.loose is None:
            ascii: dict[str, list[Unit]] = {}
            ascii_stripped: dict[str, list[Unit]] = {}
            for unit in self.units:
                loose = fold_ascii(unit.name)
                ascii.setdefault(loose, []).append(unit)
                ascii_stripped.setdefault(strip_unit_prefix(loose), []).append(unit)
            self.loose = (ascii, ascii_stripped)
        return self.loose


@lru_cache(maxsize=1024)
def parse_level(text: object) -> str | None:
    """A level ("commune") from an English or Vietnamese word ("Xã", "cấp xã", "Tổ dân phố")."""
    key = fold_ascii(text)
    if key in _LEVEL_BY_WORD:
        return _LEVEL_BY_WORD[key]
    if key.startswith("cap "):
        return _LEVEL_BY_WORD.get(key[4:])
    return None


def code_text(value: Any) -> str:
    """A unit code as text: 4.0 from a workbook becomes "4"; "00004" stays as written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(value)


def _is_clean(text: str) -> bool:
    """True when clean(text) is text itself: printable NFC text without stray spaces."""
    return (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
            and (text.isascii() or unicodedata.is_normalized("NFC", text)))


def _clean(value: object) -> str:
    """clean(value), sooner for the text nearly every name and code is: clean already."""
    return value if type(value) is str and _is_clean(value) else clean(value)


def _invalid(file: str, row: int, column: str, vi: str, en: str) -> RegistryError:
    return RegistryError("registry-invalid", file=file, row=row, column=column, detail=vi,
                         detail_en=en)


def _unreadable(file: str, vi: str, en: str) -> RegistryError:
    return RegistryError("registry-unreadable", file=file, detail=vi, detail_en=en)


# ---------------------------------------------------------------- reading the file


def load_registry(path: str | Path) -> Registry:
    """Read and check a registry file (CSV, XLSX, XLS, ODS); RegistryError names what to fix."""
    file = str(path)
    source = Path(path)
    if not source.is_file():
        raise _unreadable(file, "không có tệp này", "no such file")
    if source.suffix.lower() in _SPREADSHEETS:
        rows = _workbook_rows(source, file)
    else:
        rows = _csv_rows(source, file)
    header_at, columns = _header(rows, file)
    data = rows[header_at + 1:]
    units = _quick_units(data, columns)
    if units is None:  # something is wrong: find the first broken row and name it
        units = _check_rows(_data_rows(data, columns), file, columns)
    if not units:
        raise _invalid(file, rows[header_at][0] + 1, _FIELD_NAMES["code"],
                       "danh mục không có đơn vị nào; ghi mỗi đơn vị một dòng dưới dòng tiêu đề",
                       "the registry lists no unit; write one unit per row below the header")
    return Registry(units, source=file)


def _workbook_rows(source: Path, file: str) -> list[tuple[int, list[Any]]]:
    try:
        sheet = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0)
        # skip_empty_area=False keeps row 1 at index 0, so row numbers match what Excel shows.
        cells = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as error:
        raise _unreadable(file, f"tệp hỏng hoặc không phải bảng tính ({error})",
                          f"the file is damaged or not a spreadsheet ({error})") from error
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
        raise _unreadable(file, "không giải mã được văn bản (không phải UTF-8 hay Windows-1258); "
                                "lưu lại tệp dạng CSV UTF-8",
                          "the text is neither UTF-8 nor Windows-1258; save it as CSV UTF-8"
                          ) from error


def _csv_rows(source: Path, file: str) -> list[tuple[int, list[Any]]]:
    try:
        text = _decode(source.read_bytes(), file)
    except OSError as error:
        raise _unreadable(file, str(error), str(error)) from error
    if not text.strip():
        raise _unreadable(file, "tệp trống", "the file is empty")
    lines = text[:1 << 16].splitlines()  # enough for the sample unless its lines are long
    if len(lines) <= _HEADER_SCAN:
        lines = text.splitlines()
    sample = "\n".join(lines[:_HEADER_SCAN])
    delimiters = sorted(",;\t", key=sample.count, reverse=True)
    for delimiter in delimiters:
        rows = _split_csv(text, delimiter)
        if _find_header(rows) is not None:
            return rows
    return _split_csv(text, delimiters[0])


def _split_csv(text: str, delimiter: str) -> list[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    if '"' not in text:  # no quoted cell, so none spans lines: row n is on line n
        return list(enumerate(reader, start=1))
    rows, line = [], 1
    for cells in reader:
        rows.append((line, cells))
        line = reader.line_num + 1
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
        raise _invalid(file, rows[0][0] if rows else 1, _FIELD_NAMES["code"],
                       "không tìm thấy dòng tiêu đề có các cột mã, tên, cấp, mã cấp trên; thêm "
                       "dòng tiêu đề này phía trên danh sách đơn vị",
                       "no header row with the columns code, name, level, parent_code; add "
                       "one above the list of units")
    number, cells = rows[at]
    columns: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(cells):
        field = _header_field(cell)
        if field is None:
            continue
        if field in columns:
            first = columns[field][1]
            raise _invalid(file, number, clean(cell),
                           f"hai cột cùng là \"{_FIELD_NAMES[field]}\" (\"{first}\" và "
                           f"\"{clean(cell)}\"); xóa hoặc đổi tên một cột",
                           f"two columns are both \"{field}\" (\"{first}\" and \"{clean(cell)}\");"
                           " delete or rename one")
        columns[field] = (index, clean(cell))
    for field in FIELDS:
        if field not in columns:
            raise _invalid(file, number, _FIELD_NAMES[field],
                           f"thiếu cột \"{_FIELD_NAMES[field]}\" trong dòng tiêu đề; thêm cột này",
                           f"the header has no \"{field}\" column; add it")
    return at, columns


def _data_rows(rows: list[tuple[int, list[Any]]], columns: dict[str, tuple[int, str]]
               ) -> list[_Row]:
    """The non-blank rows under the header, their cells picked by column."""
    picked = []
    for number, cells in rows:
        values = {f: cells[i] if i < len(cells) else None for f, (i, _) in columns.items()}
        row = _Row(number, code_text(values["code"]), clean(values["name"]),
                   clean(values["level"]), code_text(values["parent_code"]))
        if row.code or row.name or row.level_text or row.parent:
            picked.append(row)
    return picked


def _clean_column(cells: list[Any], convert: Callable[[Any], str] = clean,
                  repeats: bool = False) -> list[str]:
    """`convert` (clean or code_text) of each cell, keeping the cells that are clean already.

    `repeats`: the column holds few texts many times (names, levels, parent codes).
    """
    if repeats and {*map(type, cells)} == {str}:  # (not 1 and True, equal as keys)
        distinct = list(set(cells))
        converted = dict(zip(distinct, _clean_column(distinct, convert)))
        return list(map(converted.__getitem__, cells))
    # Nearly every cell is clean already, which costs a fifth of cleaning it to find out.
    return [cell if type(cell) is str and _is_clean(cell) else convert(cell) for cell in cells]


def _quick_units(rows: list[tuple[int, list[Any]]], columns: dict[str, tuple[int, str]]
                 ) -> list[Unit] | None:
    """The units of a registry with nothing to report, checked a column at a time; None when
    any row is broken (the row-by-row check then says which and how)."""
    width = max(index for index, _ in columns.values()) + 1
    lines = [cells if len(cells) >= width else [*cells, *[None] * (width - len(cells))]
             for _, cells in rows]
    codes, names, level_texts, parents = (
        _clean_column([line[columns[field][0]] for line in lines],
                      code_text if field in ("code", "parent_code") else clean,
                      repeats=field != "code")
        for field in FIELDS)
    if not all(codes):  # blank rows are skipped; a row with anything else needs its code
        kept = [i for i, row in enumerate(zip(codes, names, level_texts, parents)) if any(row)]
        codes, names, level_texts, parents = ([column[i] for i in kept] for column in
                                              (codes, names, level_texts, parents))
    levels = list(map(parse_level, level_texts))
    if not all(codes) or not all(names) or None in levels or len(set(codes)) < len(codes):
        return None
    rank = dict(zip(codes, map(_RANK.__getitem__, levels)))
    # A parent must be listed and of a higher level (so never the unit itself).
    if not all(rank.get(parent, 9) < rank[code] for code, parent in zip(codes, parents) if parent):
        return None
    return list(map(Unit, codes, names, levels, [parent or None for parent in parents]))


# ---------------------------------------------------------------- checking


def _check_rows(rows: list[_Row], file: str, columns: dict[str, tuple[int, str]]) -> list[Unit]:
    """Units from checked rows; the first broken row raises RegistryError with its fix."""
    header = {field: columns[field][1] for field in columns}
    units: dict[str, Unit] = {}
    first_row: dict[str, int] = {}
    for row in rows:
        units[row.code] = _check_row(row, first_row, file, header)
        first_row[row.code] = row.number
    for row in rows:
        _check_parent(row, units, file, header)
    return list(units.values())


def _check_row(row: _Row, first_row: dict[str, int], file: str, header: dict[str, str]) -> Unit:
    if not row.code:
        raise _invalid(file, row.number, header["code"],
                       "mã đơn vị để trống; ghi mã cho đơn vị này hoặc xóa dòng",
                       "the unit code is empty; write the unit's code or delete the row")
    if row.code in first_row:
        raise _invalid(file, row.number, header["code"],
                       f"mã \"{row.code}\" trùng với dòng {first_row[row.code]}; mỗi đơn vị "
                       "phải có mã riêng",
                       f"code \"{row.code}\" is already used on row {first_row[row.code]}; each "
                       "unit needs its own code")
    if not row.name:
        raise _invalid(file, row.number, header["name"], "tên đơn vị để trống; ghi tên đơn vị",
                       "the unit name is empty; write the unit's name")
    level = parse_level(row.level_text)
    if level is None:
        raise _invalid(file, row.number, header["level"],
                       f"cấp \"{row.level_text}\" không hợp lệ; ghi một trong: tỉnh, huyện, xã, "
                       "thôn (hoặc province, district, commune, village)",
                       f"level \"{row.level_text}\" is not known; write one of province, "
                       "district, commune, village (or tỉnh, huyện, xã, thôn)")
    return Unit(row.code, row.name, level, row.parent or None)


def _check_parent(row: _Row, units: dict[str, Unit], file: str, header: dict[str, str]) -> None:
    if not row.parent:
        return
    column = header["parent_code"]
    if row.parent == row.code:
        raise _invalid(file, row.number, column,
                       "đơn vị không thể là cấp trên của chính nó; sửa mã cấp trên",
                       "a unit cannot be its own parent; correct the parent code")
    parent = units.get(row.parent)
    if parent is None:
        raise _invalid(file, row.number, column,
                       f"mã cấp trên \"{row.parent}\" không có trong danh mục; sửa mã hoặc thêm "
                       "đơn vị cấp trên vào danh mục",
                       f"parent code \"{row.parent}\" is not in the registry; correct it or add "
                       "the parent unit")
    child = units[row.code]
    # Levels strictly decrease along every chain, which also rules out any cycle.
    if _RANK[parent.level] >= _RANK[child.level]:
        raise _invalid(file, row.number, column,
                       f"đơn vị cấp trên \"{parent.name}\" là cấp {LEVEL_NAMES[parent.level][0]}, "
                       f"không cao hơn cấp {LEVEL_NAMES[child.level][0]} của dòng này; sửa mã "
                       "cấp trên hoặc cấp",
                       f"parent \"{parent.name}\" is a {parent.level}, not above this row's "
                       f"{child.level}; correct the parent code or the level")


# ---------------------------------------------------------------- the registry


class Registry:
    """Units and their hierarchy, with fast subtree queries and name matching.

    Build one with `load_registry` or `Registry.from_units`; the constructor trusts its input.
    """

    def __init__(self, units: Iterable[Unit], source: str = "", era: str | None = None) -> None:
        self.source = source
        self.era = era  # "2025" or "legacy" for an official list; None for a user's registry
        self._by_code = {unit.code: unit for unit in units}
        self._children: dict[str, list[Unit]] = {code: [] for code in self._by_code}
        self._roots: list[Unit] = []
        for unit in self._by_code.values():
            siblings = self._children[unit.parent] if unit.parent else self._roots
            siblings.append(unit)
        self._order, self._start, self._end = self._preorder()
        self._level_units: dict[str, list[Unit]] = {level: [] for level in LEVELS}
        self._level_positions: dict[str, list[int]] = {level: [] for level in LEVELS}
        level_units, level_positions = self._level_units, self._level_positions
        for position, unit in enumerate(self._order):
            level_units[unit.level].append(unit)
            level_positions[unit.level].append(position)
        self._indexes: dict[tuple[str | None, str | None], _NameIndex] = {}
        self._zeroless: dict[str, list[Unit]] | None = None
        self._keys: dict[str, tuple[str, str]] = {}  # name -> its name_keys, on demand

    @classmethod
    def from_units(cls, units: Iterable[Unit], source: str = "",
                   era: str | None = None) -> Registry:
        """A checked registry from units built in code; errors name the unit's 1-based position."""
        rows = [_Row(number, unit.code, unit.name, unit.level, unit.parent or "")
                for number, unit in enumerate(units, start=1)]
        columns = {field: (0, field) for field in FIELDS}
        return cls(_check_rows(rows, source, columns), source=source, era=era)

    def _preorder(self) -> tuple[list[Unit], dict[str, int], dict[str, int]]:
        """Units parent-first; a unit's subtree is order[start[code]:end[code]]."""
        order: list[Unit] = []
        start: dict[str, int] = {}
        end: dict[str, int] = {}
        children = self._children
        # A stack of sibling iterators, and the unit whose children each one walks.
        walking: list[Iterator[Unit]] = [iter(self._roots)]
        opened: list[str] = []
        while walking:
            for unit in walking[-1]:
                start[unit.code] = len(order)
                order.append(unit)
                if children[unit.code]:
                    opened.append(unit.code)
                    walking.append(iter(children[unit.code]))
                    break
                end[unit.code] = len(order)
            else:
                walking.pop()
                if opened:
                    end[opened.pop()] = len(order)
        return order, start, end

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._order)

    def __getitem__(self, code: str) -> Unit:
        return self._by_code[code]

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels present, highest first: ("province", "commune", "village") since 2025."""
        return tuple(level for level in LEVELS if self._level_units[level])

    def get(self, code: str) -> Unit | None:
        """The unit with exactly this code, or None."""
        return self._by_code.get(code)

    def roots(self) -> list[Unit]:
        """The units without a parent, in file order."""
        return list(self._roots)

    def units(self, level: str | None = None) -> list[Unit]:
        """Every unit (or those of one level), parent before children, siblings in file order."""
        return list(self._order if level is None else self._level_units[_as_level(level)])

    def children(self, code: str) -> list[Unit]:
        """The units directly under `code`, in file order (KeyError for an unknown code)."""
        return list(self._children[code])

    def descendants(self, code: str, level: str | None = None) -> list[Unit]:
        """Every unit under `code` (not itself), or those of one level, in tree order."""
        return self._subtree(code, level, inclusive=False)

    def _subtree(self, code: str | None, level: str | None, inclusive: bool) -> list[Unit]:
        if code is None:
            return self.units(level)
        first = self._start[code] + (0 if inclusive else 1)
        last = self._end[code]
        if level is None:
            return self._order[first:last]
        level = _as_level(level)
        positions = self._level_positions[level]
        return self._level_units[level][bisect_left(positions, first):bisect_left(positions, last)]

    def ancestors(self, code: str) -> list[Unit]:
        """The units above `code`, nearest first (its commune, district, province)."""
        chain = []
        parent = self._by_code[code].parent
        while parent is not None:
            unit = self._by_code[parent]
            chain.append(unit)
            parent = unit.parent
        return chain

    def ancestor_at(self, code: str, level: str) -> Unit | None:
        """The unit itself or its ancestor at `level` (a village's commune), or None."""
        level = _as_level(level)
        for unit in [self._by_code[code], *self.ancestors(code)]:
            if unit.level == level:
                return unit
        return None

    def common_ancestor(self, codes: Iterable[str]) -> Unit | None:
        """The smallest unit containing all `codes` (one of them if it holds the rest), or None."""
        common: list[Unit] | None = None
        for code in codes:
            path = [self._by_code[code], *self.ancestors(code)][::-1]
            if common is None:
                common = path
                continue
            shared = 0
            while shared < min(len(common), len(path)) and common[shared] is path[shared]:
                shared += 1
            common = common[:shared]
        return common[-1] if common else None

    def contains(self, code: str, other: str) -> bool:
        """True when `other` is `code` itself or lies under it."""
        return self._start[code] <= self._start[other] < self._end[code]

    # ------------------------------------------------------------ matching

    def find(self, name: object, level: str | None, within: str | None = None) -> Match:
        """Match a written name to a unit of `level` under `within` (itself included), or all.

        Tries the folded name, then without the type word ("Thôn"), then without diacritics
        where that key is unique in the search set and the written marks do not contradict it.
        """
        index = self._index(within, None if level is None else _as_level(level))
        query = _clean(name)
        key, short = name_keys(query)
        if not key:
            return Match(query)
        for table, wanted, how in ((index.exact, key, "exact"), (index.stripped, short, "prefix")):
            hits = table.get(wanted)
            if hits:
                return _found(query, hits, how)
        loose, loose_short = fold_ascii(query), strip_unit_prefix(fold_ascii(query))
        for table, wanted in zip(index.ascii_tables(), (loose, loose_short)):
            hits = table.get(wanted, []) if wanted else []
            fitting = [u for u in hits if _marks_fit(key, self._keys[u.name][0], len(wanted))]
            if len(hits) == 1 and fitting:
                return Match(query, unit=hits[0], how="ascii")
            if len(fitting) > 1:
                return Match(query, candidates=tuple(fitting), how="ascii")
        return Match(query, suggestions=_suggest(index, loose_short))

    def lookup(self, name: object, level: str, within: str | None = None) -> Unit | None:
        """The unit `find` matches when exactly one has the folded name, with or without the
        type word; None otherwise (several, diacritic-free only, none: `find` says which)."""
        # `find` without its Match, for the names nearly every row has: the registry's own.
        index = self._index(within, level if level in _RANK else _as_level(level))
        # A registry name has its keys already; clean() changes nothing twice, so the keys of
        # an unclean registry name are those of its cleaned text too.
        found = self._keys.get(name) if type(name) is str else None
        if found is None:
            query = _clean(name)
            found = self._keys.get(query) or name_keys(query)
        key, short = found
        if not key:
            return None
        hits = index.exact.get(key) or index.stripped.get(short)
        return hits[0] if hits and len(hits) == 1 else None

    def find_code(self, code: Any) -> Unit | None:
        """The unit with this code, forgiving leading zeros a workbook dropped ("4" -> "00004")."""
        text = code_text(code)
        if text in self._by_code:
            return self._by_code[text]
        if self._zeroless is None:
            self._zeroless = {}
            for unit in self._order:
                self._zeroless.setdefault(unit.code.lstrip("0"), []).append(unit)
        hits = self._zeroless.get(text.lstrip("0"), [])
        return hits[0] if len(hits) == 1 else None

    def _index(self, within: str | None, level: str | None) -> _NameIndex:
        """The name index of one search set, built on first use and kept."""
        index = self._indexes.get((within, level))
        if index is None:
            units = self._subtree(within, level, inclusive=True)
            index = self._indexes[within, level] = _build_index(units, self._keys)
        return index


def _as_level(level: str) -> str:
    if level in _RANK:
        return level
    parsed = parse_level(level)
    if parsed is None:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return parsed


def _found(query: str, hits: list[Unit], how: str) -> Match:
    if len(hits) == 1:
        return Match(query, unit=hits[0], how=how)
    return Match(query, candidates=tuple(hits), how=how)


def _build_index(units: list[Unit], keys: dict[str, tuple[str, str]]) -> _NameIndex:
    """The index of `units`; `keys` remembers each name's keys (names repeat: "Thôn 1")."""
    exact: dict[str, list[Unit]] = {}
    stripped: dict[str, list[Unit]] = {}
    for unit in units:
        found = keys.get(unit.name)
        if found is None:
            found = keys[unit.name] = name_keys(unit.name)
        exact.setdefault(found[0], []).append(unit)
        stripped.setdefault(found[1], []).append(unit)
    return _NameIndex(units, exact, stripped)


def _marks(key: str) -> list[set[str]]:
    """The diacritics on each letter of a folded key (đ counts as d with a mark)."""
    letters: list[set[str]] = []
    for char in unicodedata.normalize("NFD", key):
        if unicodedata.combining(char) and letters:
            letters[-1].add(char)
        else:
            letters.append({"đ"} if char == "đ" else set())
    return letters


def _marks_fit(written: str, registered: str, tail: int) -> bool:
    """True when the last `tail` letters of `written` only lack marks, never contradict them.

    "tan hoa" and "Tân Hoa" fit "Tân Hòa"; "Tân Hỏa" does not (a different tone is a
    different name, or a typo the user should see).
    """
    mine, theirs = _marks(written)[-tail:], _marks(registered)[-tail:]
    return len(mine) == len(theirs) and all(a <= b for a, b in zip(mine, theirs, strict=True))


def _suggest(index: _NameIndex, loose_short: str) -> tuple[str, ...]:
    """Up to three display names closest to the written one, on diacritic-free keys."""
    names: list[str] = []
    ascii_stripped = index.ascii_tables()[1]
    for key in difflib.get_close_matches(loose_short, list(ascii_stripped), n=3, cutoff=0.6):
        for unit in ascii_stripped[key]:
            if unit.name not in names:
                names.append(unit.name)
    return tuple(names[:3])
