"""Header cells, fast: a FormSet's label matching memoised by text, and the header search area
of a sheet with merged cells filled, each computed once.

Locating a sheet asks about the same cells many times (each candidate header row and depth),
and every file of a run repeats the same labels; folding a text (NFD, tone placement,
diacritics) costs far more than a lookup. Used by layout.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import compress
from operator import not_
from typing import Any

from ..forms import FormSet
from ..memo import Memo
from ..model import Grid
from ..text import clean, fold_ascii, plain_ascii

_ASCII_LETTER = re.compile("[A-Za-z]")
_UNKNOWN = object()


class Matcher:
    """A FormSet's header matching, memoised by text: the same labels recur in every file.

    Folding a text (NFD, tone placement, diacritics) costs far more than the lookup, and
    locating one sheet asks about the same cells many times (each candidate header depth).
    """

    def __init__(self, forms: FormSet) -> None:
        self.forms = forms
        texts, headers = 100_000, 4096
        self.labels = Memo(texts)       # text -> (form, indicator) pairs it names
        self.roles = Memo(texts)        # text -> (form, role) pairs: STT, code, name columns
        self.paths = Memo(texts)        # (group, leaf) -> (form, indicator) pairs
        self.columns = Memo(texts)      # a column's header path -> what it names
        self.headers = Memo(texts)      # text -> whether it reads like a header label
        self.raw_headers = Memo(texts)  # a cell's value as read -> the same
        self.raw_labels: set[str] = set()  # the raw_headers that are True
        self.windows = Memo(headers)    # a header window's cells -> its scored candidates
        self.layouts = Memo(headers)    # a header's column paths -> its columns and roles
        # A text names a label only if its diacritic-free key is some label's: checking that
        # first spares the full lookups (several foldings each) for the title lines, names and
        # dates that are new in every file.
        self.ascii_keys = set(forms.header_words)
        for form in forms.forms.values():
            for ind in form.indicators:
                self.ascii_keys.update(fold_ascii(label) for label in (ind.label, *ind.variants))
            for labels in form.columns.values():
                self.ascii_keys.update(fold_ascii(label) for label in labels)
        # The first parts of the (group, leaf) paths, folded and ascii-folded: a group whose
        # ascii key is none of them names no path (fold_ascii is plain_ascii of fold), so the
        # two full foldings of a title line above the header are spared.
        heads = {key[0] for key in forms.paths if key}
        self.path_heads = heads | {plain_ascii(head) for head in heads}
        # Folding leaves a text without letters (a code, a figure, "(1)") without letters.
        self.letterless_keys = any(not any(ch.isalpha() for ch in key) for key in self.ascii_keys)

    def label(self, text: str) -> set[tuple[str, str]]:
        """`FormSet.match_label`, memoised."""
        found = self.labels.known.get(text)
        return found if found is not None else self.labels.remember(
            text, self.forms.match_label(text) if self._may_name(text) else set())

    def role(self, text: str) -> set[tuple[str, str]]:
        """`FormSet.match_role`, memoised."""
        found = self.roles.known.get(text)
        return found if found is not None else self.roles.remember(
            text, self.forms.match_role(text) if self._may_name(text) else set())

    def _may_name(self, text: str) -> bool:
        """False when `text` can name no label or column: its folded key is nobody's."""
        if not self.letterless_keys and not (
                _ASCII_LETTER.search(text) if text.isascii() else any(map(str.isalpha, text))):
            return False
        return fold_ascii(text) in self.ascii_keys

    def path(self, path: tuple[str, ...]) -> set[tuple[str, str]]:
        """`FormSet.match_path`, memoised."""
        found = self.paths.known.get(path)
        return found if found is not None else self.paths.remember(
            path, self.forms.match_path(path))

    def column(self, path: tuple[str, ...]) -> set[tuple[str, str]]:
        """What a column's header path names: (group, leaf), "group leaf", then the leaf alone."""
        found = self.columns.known.get(path)
        if found is None:
            found = self.columns.remember(path, self._column(path))
        return found

    def _column(self, path: tuple[str, ...]) -> set[tuple[str, str]]:
        if len(path) >= 2:
            found = self.path(path[-2:]) if fold_ascii(path[-2]) in self.path_heads else None
            found = found or self.label(f"{path[-2]} {path[-1]}")
            if found:
                return found
        return self.label(path[-1])

    def header_like(self, text: str) -> bool:
        """Whether a cell's text names an indicator, an id column or a group header."""
        found = self.headers.known.get(text)
        if found is None:
            found = self.headers.remember(text, self._header_like(text))
        return found

    def raw_header_like(self, value: str) -> bool:
        """`header_like` of a cell's value as read, memoised by that value (no cleaning)."""
        flag = self.raw_headers.known.get(value)
        if flag is None:
            if len(self.raw_headers) >= self.raw_headers.size:
                self.raw_labels.clear()  # the memo empties itself as this is stored
            if value.isascii() and not self.letterless_keys and not _ASCII_LETTER.search(value):
                flag = False  # a code or a figure: cleaning adds no letter, so _may_name says no
            else:
                text = clean(value)
                flag = bool(text) and self.header_like(text)
            self.raw_headers.remember(value, flag)
            if flag:
                self.raw_labels.add(value)
        return flag

    @staticmethod
    def count(memo: dict[str, bool], judge: Callable[[str], bool], texts: Iterable[str]) -> int:
        """How many of `texts` `judge` says yes to, given `memo`, the judgements it remembers."""
        texts = list(texts)
        try:
            return sum(map(memo.__getitem__, texts))  # every text judged before: all in C
        except KeyError:
            return sum(map(judge, texts))

    def labels_among(self, values: set[str]) -> set[str]:
        """The values (as read) that read like header labels."""
        clears = self.raw_headers.clears
        for value in values.difference(self.raw_headers.known):  # only the new ones: C looks the rest up
            self.raw_header_like(value)
        if clears == self.raw_headers.clears:  # all of them are in the memo
            return values & self.raw_labels
        return {value for value in values if self.raw_header_like(value)}

    def _header_like(self, text: str) -> bool:
        if not self._may_name(text):
            return False
        return bool(self.label(text) or self.role(text) or fold_ascii(text) in self.forms.header_words)


@lru_cache(maxsize=65536)
def _cell_text(value: Any) -> str:
    """`clean_text` of a text cell, "" for any other (cached: a header's cells recur)."""
    return clean(value) if isinstance(value, str) else ""


def matcher(forms: FormSet) -> Matcher:
    """The Matcher of these forms, made once and kept on them (a run reads every file with
    one FormSet)."""
    found = forms.memo.get("matcher")
    if found is None:
        found = forms.memo["matcher"] = Matcher(forms)
    return found


class Filled:
    """Cell text of the header search area, merged ranges filled from their top-left cell."""

    def __init__(self, grid: Grid, last_row: int) -> None:
        """`last_row`: the last row a header may reach (merged ranges below it are ignored)."""
        self.grid = grid
        self.last_row = last_row
        self.width = width = max(map(len, grid.rows[:last_row]), default=0)
        self.merged = [m for m in grid.merged if m[0] <= last_row and m[1] < width]
        self.rows: dict[int, list[str]] = {}
        self._spans: dict[int, list[tuple[int, int, int]]] = {}
        self._origins: dict[int, list[tuple[int, int] | None] | None] = {}
        self._continued: dict[int, list[str]] = {}
        self._overlapping: set[int] = set()  # rows where merged ranges overlap
        self._valued: list[tuple[tuple[int, int, int, int], Any]] | None = None

    def spans(self, row: int) -> list[tuple[int, int, int]]:
        """(first row, first col, last col within `width`) of each merged range the row lies
        in, in order; none past `last_row`. Notes the row if two of them overlap."""
        found = self._spans.get(row)
        if found is None:
            last = self.width - 1
            found = self._spans[row] = [] if row > self.last_row else [
                (r0, c0, min(c1, last)) for r0, c0, r1, c1 in self.merged if r0 <= row <= r1]
            if len(found) > 1:
                covered, cells = bytearray(self.width), 0
                for _, c0, right in found:
                    if right >= c0:
                        covered[c0:right + 1] = b"\1" * (right - c0 + 1)
                        cells += right - c0 + 1
                if covered.count(1) < cells:  # a cell covered twice
                    self._overlapping.add(row)
        return found

    def origins(self, row: int) -> list[tuple[int, int] | None] | None:
        """The top-left cell (r0, c0) of the merged range each cell of the row lies in, None
        for a cell merged with nothing (a later range wins where ranges overlap); None for a
        row without merged cells. Worked out per row asked for, not for the whole area."""
        found = self._origins.get(row, _UNKNOWN)
        if found is _UNKNOWN:
            found = None
            for r0, c0, right in self.spans(row):
                if found is None:
                    found = [None] * self.width
                found[c0:right + 1] = [(r0, c0)] * (right - c0 + 1)
            self._origins[row] = found
        return found

    def row(self, row: int) -> list[str]:
        """The texts of a row's first `width` cells (computed once per row)."""
        found = self.rows.get(row)
        if found is None:
            cells = self.grid.rows[row] if 0 <= row < len(self.grid.rows) else []
            found = list(map(_cell_text, cells[: self.width]))
            found.extend([""] * (self.width - len(found)))
            # Each range filled by one slice, in order: a later range wins, as in `origins`.
            for r0, c0, right in self.spans(row):
                found[c0:right + 1] = [_cell_text(self.grid.value(r0, c0))] * (right - c0 + 1)
            self.rows[row] = found
        return found

    def continued(self, row: int) -> list[str]:
        """`row`'s texts with "" where a cell lies in the same merged range as the cell above
        (that text is already in the column's path), when no merged ranges overlap in the
        row or the row above (column_paths asks for no other)."""
        found = self._continued.get(row)
        if found is None:
            found = self.row(row)
            for r0, c0, right in self.spans(row):
                if r0 < row:  # the range goes on from the row above
                    if found is self.rows[row]:
                        found = list(found)
                    found[c0:right + 1] = [""] * (right - c0 + 1)
            self._continued[row] = found
        return found

    def overlapping(self, top: int, bottom: int) -> bool:
        """Whether merged ranges overlap in any of rows top..bottom."""
        for row in range(top, bottom + 1):
            self.spans(row)
        return not self._overlapping.isdisjoint(range(top, bottom + 1))

    def cell_keys(self, row: int) -> list[tuple[int, int]]:
        """Per cell of the row, the top-left cell of its merged range, or the cell itself."""
        origins = self.origins(row)
        if origins is None:
            return [(row, col) for col in range(self.width)]
        return [origin or (row, col) for col, origin in enumerate(origins)]

    def hits(self, row: int, matcher: Matcher) -> int:
        """How many of the row's cells (merged ones filled) read like header labels."""
        if self.spans(row) or row in self.rows:
            return matcher.count(matcher.headers.known, matcher.header_like, filter(None, self.row(row)))
        cells = self.grid.rows[row] if 0 <= row < len(self.grid.rows) else []
        return matcher.count(matcher.raw_headers.known, matcher.raw_header_like,
                             filter(str.__instancecheck__, cells[: self.width]))

    def labelled_rows(self, matcher: Matcher, count: int) -> list[int]:
        """The rows among the first `count` with a cell (merged ones filled) whose text reads
        like a header label: no other row has any hits."""
        rows = self.grid.rows[:count]
        # The area's distinct values, gathered and filtered in C (str.__instancecheck__ is
        # isinstance(value, str)): title lines, names and figures cost no Python call per cell.
        labels = matcher.labels_among(set(filter(str.__instancecheck__, set().union(*rows))))
        if not labels:
            return []
        # The rows holding a label, picked in C.
        found = set(compress(range(len(rows)), map(not_, map(labels.isdisjoint, rows))))
        for r0, c0, r1, _ in self.merged:
            # A range of one row holds its text in that row: found above.
            if r0 < r1 and r0 < count and c0 < len(rows[r0]) and rows[r0][c0] in labels:
                found.update(range(r0, min(r1, count - 1) + 1))
        return sorted(found)

    def window_key(self, top: int, bottom: int) -> tuple:
        """Everything the filled texts of rows top..bottom depend on: the width, the rows' raw
        values and the merged ranges touching them with their top-left values, in order."""
        if self._valued is None:  # the top-left values, fetched once for every window
            self._valued = [(m, self.grid.value(m[0], m[1])) for m in self.merged]
        touching = tuple(item for item in self._valued
                         if item[0][0] <= bottom and item[0][2] >= top)
        return (self.width, top, bottom, touching, *map(tuple, self.grid.rows[top:bottom + 1]))


def column_paths(filled: Filled, top: int, bottom: int, width: int) -> list[tuple[str, ...]]:
    """Each column's header texts from top to bottom, merged repeats collapsed, a group label
    typed over its first part only carried over the parts beside it (`carried_groups`)."""
    if not filled.overlapping(top, bottom):
        # A merged range covers consecutive rows of a column, and without overlapping ranges no
        # other range comes between: its text counts once if blanked where it continues from the
        # row above. Then each column keeps its non-empty texts (filter(None, ...) runs in C).
        texts = [filled.row(top), *map(filled.continued, range(top + 1, bottom + 1))]
        _carry(texts, filled, top, bottom)
        return [tuple(filter(None, column)) for column in zip(*texts)]
    rows = range(top, bottom + 1)
    texts = [filled.row(row) for row in rows]
    _carry(texts, filled, top, bottom)
    # A cell's text counts once per merged range: keyed by the range's top-left cell (by the
    # cell itself when unmerged), a dict keeps the first of each in order, all in C.
    keys = [filled.cell_keys(row) for row in rows]
    return [tuple(filter(None, dict(zip(column_keys, column)).values()))
            for column, column_keys in zip(zip(*texts), zip(*keys))]


def carried_groups(filled: Filled, top: int, bottom: int) -> dict[tuple[int, int], str]:
    """(row, col) → text of each blank cell a group label is carried into.

    A two-row header saved as CSV, or typed with "Center Across Selection", has its group
    label ("Số vụ Nhân dân tố giác…") over the first of its parts only and the cells beside it
    blank, its parts ("Trộm cắp", "Cướp"...) in the row below. The label goes on over each
    blank, unmerged cell whose cell below starts a part, until a cell that is not one; it is
    carried only from an unmerged cell that has a part below it.
    """
    carried: dict[tuple[int, int], str] = {}
    for row in range(top, bottom):
        texts, below = filled.row(row), filled.row(row + 1)
        if "" not in texts:
            continue
        origins, below_origins = filled.origins(row), filled.origins(row + 1)
        carry = ""
        for col, text in enumerate(texts):
            leaf = bool(below[col]) and (below_origins is None or below_origins[col] is None
                                         or below_origins[col][0] == row + 1)
            merged = origins is not None and origins[col] is not None
            if text:
                carry = text if leaf and not merged else ""
            elif carry and leaf and not merged:
                carried[row, col] = carry
            else:
                carry = ""
    return carried


def _carry(texts: list[list[str]], filled: Filled, top: int, bottom: int) -> None:
    """Put the carried group labels into `texts` (rows top..bottom), copying a row changed."""
    copied: set[int] = set()  # the rows are Filled's own lists: changed in copies
    for (row, col), text in carried_groups(filled, top, bottom).items():
        if row not in copied:
            texts[row - top] = list(texts[row - top])
            copied.add(row)
        texts[row - top][col] = text
