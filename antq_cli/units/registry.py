"""The unit registry: provinces, districts, communes and villages, and matching names to them.

The units are read and checked by registry_file.py. Names are matched on folded keys from
text.py, always within the smallest known scope (the sending commune), because many communes
have a "Thôn 1".
"""

from __future__ import annotations

import difflib
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from ..model import LEVEL_RANK, LEVELS
from ..text import clean, fold_ascii, name_keys, strip_unit_prefix, value_text
from .registry_file import (
    FIELDS,
    Row,
    Unit,
    check_rows,
    parse_level,
    read_units,
)


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



def load_registry(path: str | Path) -> Registry:
    """Read and check a registry file (CSV, XLSX, XLS, ODS); RegistryError names what to fix."""
    return Registry(read_units(path), source=str(path))


# ---------------------------------------------------------------- the registry


class Registry:
    """Units and their hierarchy, with fast subtree queries and name matching.

    Build one with `load_registry` or `Registry.from_units`; the constructor trusts its input.
    """

    def __init__(self, units: Iterable[Unit], source: str | None = "",
                 era: str | None = None) -> None:
        # The file read; "" for an official list (see era), None for units the files name.
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
    def from_units(cls, units: Iterable[Unit], source: str | None = "",
                   era: str | None = None) -> Registry:
        """A checked registry from units built in code; errors name the unit's 1-based position."""
        rows = [Row(number, unit.code, unit.name, unit.level, unit.parent or "")
                for number, unit in enumerate(units, start=1)]
        columns = {field: (0, field) for field in FIELDS}
        return cls(check_rows(rows, source, columns), source=source, era=era)

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
        by_code = self._by_code
        unit = by_code[code]
        while unit.level != level:
            if unit.parent is None:
                return None
            unit = by_code[unit.parent]
        return unit

    def owners(self, codes: Iterable[str], level: str) -> set[str]:
        """The units of `level` that hold these unit codes (themselves when of that level);
        codes not in the registry are passed over. Each parent is looked up once: a commune's
        20 villages lead to it once, not 20 times."""
        level = _as_level(level)
        found: set[str] = set()
        above: set[str] = set()
        for code in codes:
            unit = self._by_code.get(code) if code else None
            if unit is None:
                continue
            if unit.level == level:
                found.add(code)
            elif unit.parent is not None:
                above.add(unit.parent)
        found.update(owner.code for owner in map(self.ancestor_at, above, repeat(level))
                     if owner is not None)
        return found

    def common_ancestor(self, codes: Iterable[str]) -> Unit | None:
        """The smallest unit containing all `codes` (one of them if it holds the rest), or None."""
        # A unit holds the run order[start:end] of the tree order: the one sought is the
        # nearest unit, up from the first code in that order, whose run reaches the last.
        starts = list(map(self._start.__getitem__, codes))
        if not starts:
            return None
        first, last = min(starts), max(starts)
        unit: Unit | None = self._order[first]
        while unit is not None and self._end[unit.code] <= last:
            unit = self._by_code[unit.parent] if unit.parent is not None else None
        return unit

    def contains(self, code: str, other: str) -> bool:
        """True when `other` is `code` itself or lies under it."""
        return self._start[code] <= self._start[other] < self._end[code]

    # ------------------------------------------------------------ matching

    def find(self, name: object, level: str | None, within: str | None = None,
             suggest: bool = True) -> Match:
        """Match a written name to a unit of `level` under `within` (itself included), or all.

        Tries the folded name, then without the type word ("Thôn"), then without diacritics
        where that key is unique in the search set and the written marks do not contradict it.
        `suggest`: look for the closest names when none matches (for a name that should be
        there; not for evidence that may name nothing, such as a folder's name).
        """
        index = self._index(within, None if level is None else _as_level(level))
        query = clean(name)
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
        return Match(query, suggestions=_suggest(index, loose_short) if suggest else ())

    def named(self, name: object, levels: Iterable[str], within: str | None = None) -> list[Unit]:
        """Every unit of the first of `levels` that has one by this name (`find`'s keys),
        under `within`: several when the name is shared ("Xã Tân Hà"), none when no unit has
        it. Levels the registry does not hold are passed over."""
        for level in levels:
            if not self._level_units[_as_level(level)]:
                continue
            match = self.find(name, level, within, suggest=False)
            if match.unit is not None:
                return [match.unit]
            if match.candidates:
                return list(match.candidates)
        return []

    def lookup(self, name: object, level: str, within: str | None = None) -> Unit | None:
        """The unit `find` matches when exactly one has the folded name, with or without the
        type word; None otherwise (several, diacritic-free only, none: `find` says which)."""
        # `find` without its Match, for the names nearly every row has: the registry's own.
        index = self._index(within, level if level in LEVEL_RANK else _as_level(level))
        # A registry name has its keys already; clean() changes nothing twice, so the keys of
        # an unclean registry name are those of its cleaned text too.
        found = self._keys.get(name) if type(name) is str else None
        if found is None:
            query = clean(name)
            found = self._keys.get(query) or name_keys(query)
        key, short = found
        if not key:
            return None
        hits = index.exact.get(key) or index.stripped.get(short)
        return hits[0] if hits and len(hits) == 1 else None

    def find_code(self, code: Any) -> Unit | None:
        """The unit with this code, forgiving leading zeros a workbook dropped ("4" -> "00004")."""
        text = value_text(code)
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
    if level in LEVEL_RANK:
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
