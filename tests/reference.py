"""Plain reference implementations the fast paths of antq_cli are checked against (tests/equivalence/).

Each function here is the simple, obviously right version of something the package does a
faster way: character by character, row by row, unit by unit, or a plain regular expression.
The tests under tests/equivalence/ (marker `equivalence`) assert that both give exactly the
same answer. Nothing here is a test.
"""

from __future__ import annotations

import operator
import re
import unicodedata

from antq_cli import periods, text
from antq_cli.forms import LARGEST_COUNT_LIMIT, Indicator
from antq_cli.model import ERROR, LEVELS, WARNING, Grid, Problem
from antq_cli.numbers import column_convention, parse_flag
from antq_cli.periods import Period
from antq_cli.run.rollup import _own_side, applicable
from antq_cli.table import rows
from antq_cli.table.headers import Filled
from antq_cli.table.layout import Table
from antq_cli.table.parsing import Total, read_figure
from antq_cli.text import a1, clean

# ------------------------------------------------------------------------ text (text.py)

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_TRAILING_NOTE = re.compile(r"(\s*\([^()]{0,20}\)|\s*[:*.])+$")


def reference_tones(value: str) -> str:
    words = []
    for word in unicodedata.normalize("NFD", value).split(" "):
        tones = "".join(ch for ch in word if ch in _TONE_MARKS)
        base = "".join(ch for ch in word if ch not in _TONE_MARKS)
        words.append(base + tones)
    return unicodedata.normalize("NFC", " ".join(words))


def reference_clean(value: object) -> str:
    """text.clean without its shortcut."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    if not value.isprintable() and text._HIDDEN.search(value):
        value = text._CONTROLS.sub(" ", text._INVISIBLE.sub("", value))
    return text._SPACES.sub(" ", value.replace("\xa0", " ")).strip()


def reference_fold(value: object) -> str:
    key = reference_clean(value).lower()
    key = _TRAILING_NOTE.sub("", key).strip()
    return reference_tones(key)


def reference_plain_ascii(value: object) -> str:
    decomposed = unicodedata.normalize("NFD", reference_clean(value).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# -------------------------------------------------------------- headers (table/headers.py)


def reference_carried(filled: Filled, top: int, bottom: int) -> dict:
    """The blank cells a group label typed over its first part only is carried into."""
    carried = {}
    for row in range(top, bottom):
        carry = ""
        for col in range(filled.width):
            text, below = filled.row(row)[col], filled.row(row + 1)[col]
            origin = (filled.origins(row) or [None] * filled.width)[col]
            below_origin = (filled.origins(row + 1) or [None] * filled.width)[col]
            leaf = below != "" and (below_origin is None or below_origin[0] == row + 1)
            if text != "":
                carry = text if leaf and origin is None else ""
            elif carry != "" and leaf and origin is None:
                carried[(row, col)] = carry
            else:
                carry = ""
    return carried


def reference_column_paths(filled: Filled, top: int, bottom: int, width: int) -> list:
    texts = [list(filled.row(row)) for row in range(top, bottom + 1)]
    for (row, col), label in reference_carried(filled, top, bottom).items():
        texts[row - top][col] = label
    unmerged = [None] * width
    origins = [filled.origins(row) or unmerged for row in range(top, bottom + 1)]
    paths = []
    for column, column_origins in zip(zip(*texts), zip(*origins)):
        path: list[str] = []
        seen: set = set()
        for cell, origin in zip(column, column_origins):
            if origin is None:
                if cell:
                    path.append(cell)
            else:
                if cell and origin not in seen:
                    path.append(cell)
                seen.add(origin)
        paths.append(tuple(path))
    return paths


def reference_row(filled: Filled, row: int) -> list[str]:
    cells = filled.grid.rows[row] if 0 <= row < len(filled.grid.rows) else []
    texts = [clean(v) if isinstance(v, str) else "" for v in cells[: filled.width]]
    texts += [""] * (filled.width - len(texts))
    for col, origin in enumerate(filled.origins(row) or ()):
        if origin is not None:
            value = filled.grid.value(*origin)
            texts[col] = clean(value) if isinstance(value, str) else ""
    return texts


# -------------------------------------------------- rows and layout (table/rows.py, layout.py)

_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,3}|[a-z])\s*\)?$")


def reference_is_column_numbers(figures: list, name: object) -> bool:
    numbers = []
    for value in figures:
        match = _COLUMN_NUMBER.match(text.value_text(value).lower())
        if not match:
            return False
        numbers.append(match.group(1))
    name_text = text.value_text(name).lower()
    if name_text and not _COLUMN_NUMBER.match(name_text):
        return False
    digits = [int(n) for n in numbers if n.isdigit()]
    return len(digits) < 2 or all(b > a for a, b in zip(digits, digits[1:]))


def reference_has_number(figures: list) -> bool:
    return any(map(rows.looks_numeric, figures))


def reference_title_lines(grid_rows: list, last_row: int) -> list[str]:
    return [clean(v) for row in grid_rows[:max(last_row, 0)] for v in row
            if isinstance(v, str) and v.strip()]


# --------------------------------------------------------------- parsing (table/parsing.py)


def reference_extract(grid: Grid, table: Table) -> tuple[list, list, list]:
    """(values and cells per data row, totals, problems) read cell by cell with read_figure."""
    lines = [grid.rows[r] for r in table.data_rows if 0 <= r < len(grid.rows)]
    conventions = {}
    for code, col in table.columns.items():
        texts = [v for line in lines if col < len(line) and isinstance(v := line[col], str)]
        conventions[code] = column_convention(texts) if texts else "vi"
    columns = [(ind, table.columns[ind.code]) for ind in table.form.indicators
               if ind.code in table.columns]
    problems: list[Problem] = []
    found = []
    for row in table.data_rows:
        values, cells = {}, {}
        for ind, col in columns:
            cells[ind.code] = cell = a1(row, col)
            if (row, col) in grid.uncomputed:
                problems.append(Problem("error", "formula-not-computed", sheet=table.sheet,
                                        cell=cell, indicator=ind.code,
                                        params={"label": ind.label}))
                values[ind.code] = 0
                continue
            values[ind.code], problem = read_figure(grid.value(row, col), ind,
                                                    conventions[ind.code], table, cell)
            if problem:
                problems.append(problem)
        found.append((values, cells))
    totals = [reference_total(grid, table, total, conventions, columns, problems)
              for total in table.total_rows]
    return found, totals, problems


def reference_total(grid, table, total, conventions, columns, problems) -> Total:
    values, cells, uncomputed = {}, {}, False
    for ind, col in columns:
        if (total.row, col) in grid.uncomputed:
            uncomputed = True
            continue
        value = grid.value(total.row, col)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        cell = a1(total.row, col)
        if ind.type == "flag" and parse_flag(value) is not None \
                and not isinstance(value, int | float):
            continue
        number, problem = read_figure(
            value, Indicator(ind.code, ind.label, "count", ceiling=LARGEST_COUNT_LIMIT),
            conventions[ind.code], table, cell)
        if problem:
            problems.append(problem)
            continue
        values[ind.code], cells[ind.code] = number, cell
    if uncomputed:
        problems.append(Problem(WARNING, "total-not-computed", sheet=table.sheet,
                                cell=a1(total.row, min(table.columns.values())),
                                params={"label": total.label}))
    return Total(total, values, cells)


# ------------------------------------------------------------------ checks (table/checks.py)

OPS = {"<=": operator.le, ">=": operator.ge, "=": operator.eq, "<": operator.lt, ">": operator.gt}


def reference_rules(form, records):
    """check_rules as a plain loop over records and rules."""
    problems = []
    for record in records:
        for rule in form.rules:
            if not all(code in record.values for code in (rule.left, *rule.right)):
                continue
            left = record.values[rule.left]
            right = sum(record.values[code] for code in rule.right)
            if not OPS[rule.op](left, right):
                problems.append(Problem(
                    ERROR, "rule-failed", sheet=record.sheet, cell=record.cells[rule.left],
                    indicator=rule.left, unit=record.label,
                    params={"left_label": form.indicator(rule.left).label, "left": left,
                            "op": rule.op, "right_label": " + ".join(
                                form.indicator(c).label for c in rule.right),
                            "right": right}))
    return problems


def reference_totals(form, records, totals):
    """check_totals as a plain loop over total rows and their indicators."""
    by_row = {record.row - 1: record for record in records}
    problems = []
    for total in totals:
        covered = [by_row[r] for r in total.row.scope if r in by_row]
        for code, written in total.values.items():
            computed = sum(record.values.get(code, 0) for record in covered)
            if written != computed:
                problems.append(Problem(
                    ERROR, "total-mismatch", sheet=covered[0].sheet if covered else "",
                    cell=total.cells[code], indicator=code,
                    params={"label": total.row.label, "written": written, "computed": computed,
                            "rows": len(covered),
                            "indicator_label": form.indicator(code).label}))
    return problems


# ------------------------------------------------------------- registry (units/registry.py)


def reference_lookup(registry, name, level, within):
    """Registry.lookup as `find` without its Match: the unit when found exactly or by prefix."""
    match = registry.find(name, level, within)
    return match.unit if match.how in ("exact", "prefix") else None


def reference_common_ancestor(registry, codes):
    """The definition: the last unit that the chains from the root to each code all share."""
    chains = [[u.code for u in reversed([registry[c], *registry.ancestors(c)])]
              for c in codes]
    shared = [a for a, *rest in zip(*chains) if all(a == b for b in rest)]
    return shared[-1] if shared and all(c[:len(shared)] == shared for c in chains) else None


# ------------------------------------------------------------------------ periods (periods.py)


def reference_period_key(value: str) -> str:
    """_period_key as first written: a test per character."""
    decomposed = unicodedata.normalize("NFD", clean(value).lower().replace("đ", "d"))
    key = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("_", " ")
    return periods._WORDED_DATE.sub(periods._worded_date, key)


def reference_find_period(texts, year_end_month):
    """find_period without its shortcuts: every text keyed before any is looked at."""
    keys = [periods._period_key(t) for t in texts if isinstance(t, str) and t.strip()]
    for key in keys:
        found = periods._specific_period(key) or periods._window_period(key, year_end_month)
        if found:
            return found
    years = [int(m[1]) for key in keys if (m := periods._YEAR_PHRASE.search(key))]
    if not years:
        return None
    for key in keys:
        for pattern, kind in periods._YEARLESS:
            if match := pattern.search(key):
                if kind == "Q":
                    return Period(years[0], "Q", periods._quarter_number(match[1]))
                if kind == "H":
                    return Period(years[0], "H", 2 if match[1] == "cuoi" else 1)
                return Period(years[0], kind)
    return Period(years[0], "Y")


# -------------------------------------------------- reading (read/reading.py, read/guards.py)

FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[D-Z][A-Z]|[A-Z]{1,2}\d{6})')
"""guards._FAR_REF as three plain alternatives: a reference at column DA+ or row 100,000+."""

FORMULA_CELL = re.compile(rb"<c ([^>]*)>\s*<f[\s>/](.*?)</c>", re.S)
PREFIXED_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f[\s>/](.*?)</(?:\w+:)?c>", re.S)
"""reading._FORMULA_CELL and _PREFIXED_FORMULA_CELL without their possessive quantifiers."""


def reference_holds_formula(xml: bytes) -> bool:
    """Whether sheet XML may hold a formula element, prefixed or not."""
    return b"<f" in xml or b":f" in xml


# ------------------------------------------------------------------------ rollup (run/rollup.py)


def reference_rollup(records, registry, forms, scope):
    """The plain algorithm: each unit's own figures, then its children's, one by one."""
    units = [scope, *registry.descendants(scope.code)] if scope else registry.units()
    units = list({u.code: u for u in units}.values())
    own = {u.code: {} for u in units}
    for record in records:
        if record.unit in own:
            for code, value in record.values.items():
                own[record.unit][code] = own[record.unit].get(code, 0) + value
    rates = [rate for form in forms.forms.values() for rate in form.rates]
    values_of, rates_of = {}, {}
    for unit in sorted(units, key=lambda u: -LEVELS.index(u.level)):
        values = dict.fromkeys(applicable(forms, unit.level), 0)
        values.update(own[unit.code])
        sides = {}
        for rate in rates:
            pair = [_own_side(spec, unit.level) if "count" in spec else 0
                    for spec in (rate.numerator, rate.denominator)]
            sides[rate.code] = [side if type(side) is int else int(values.get(side, 0) > 0)
                                for side in pair]
        for child in registry.children(unit.code):
            if child.code not in values_of:
                continue
            for code, value in values_of[child.code].items():
                if code in values:
                    values[code] += value
            for code, (numerator, denominator) in rates_of[child.code].items():
                sides[code][0] += numerator
                sides[code][1] += denominator
        for rate in rates:
            for index, spec in enumerate((rate.numerator, rate.denominator)):
                if "sum" in spec:
                    sides[rate.code][index] = values.get(spec["sum"], 0)
        values_of[unit.code], rates_of[unit.code] = values, sides
    return values_of, rates_of
