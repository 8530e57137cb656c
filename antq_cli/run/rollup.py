"""Records → totals per unit up the registry hierarchy, rates, and who reported.

Rates use registry denominators: "villages in scope" are the villages the registry lists
under the scope, whether they reported or not; each rate and each unit's figures say how many
units of the form's row level under it have data (`coverage`), so that a figure built on
missing units is never shown as if complete. Without a registry, the units are those the files
name, and completeness cannot be known.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

from ..forms import FormSet, Rate
from ..model import LEVELS, Record
from ..units.registry import Registry, Unit


@dataclass(frozen=True, slots=True)
class RateValue:
    """A rate's two sides; `ratio` is None when the denominator is 0. `reported` of `expected`
    units of the rate's base level (the row level of its form: villages, communes) have data."""

    numerator: int | float
    denominator: int | float
    reported: int | None = None
    expected: int | None = None
    known: bool = True  # False: a part of it cannot be made from quarters ("none" over time)

    @property
    def unreported(self) -> int:
        """Units of the base level that the rate counts but that sent no figures."""
        return 0 if self.expected is None or self.reported is None \
            else self.expected - self.reported

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


class UnitRates(Mapping[str, dict[str, RateValue]]):
    """Each unit's rates (code → {rate code → RateValue}), made when first asked for.

    The roll-up keeps both sides of every rate a column per level; a unit's RateValues are
    made from them on demand: the JSON of a merge only shows the scope's, where making every
    unit's took 40% of a country's roll-up.
    """

    def __init__(self) -> None:
        # unit code -> (rate codes, their (numerator, denominator) columns, unit's position)
        self._where: dict[str, tuple[list[str], list[tuple[list, list]], int]] = {}
        self._made: dict[str, dict[str, RateValue]] = {}
        # rate code -> {unit code -> (reported, expected)} of its form's row level
        self.coverage: dict[str, dict[str, tuple[int, int]]] = {}
        # rate code -> the units where a part of it is not known (made from quarters)
        self.unknown: dict[str, set[str]] = {}

    def add(self, codes: list[str], rate_codes: list[str],
            sides: list[tuple[list[int | float], list[int | float]]]) -> None:
        """The rates of `codes` (a run of units), their sides given a column per rate."""
        self._where.update(zip(codes, [(rate_codes, sides, position)
                                       for position in range(len(codes))]))

    def __getitem__(self, code: str) -> dict[str, RateValue]:
        made = self._made.get(code)
        if made is None:
            rate_codes, sides, position = self._where[code]
            made = self._made[code] = {
                rate: RateValue(numerators[position], denominators[position],
                                *self.coverage.get(rate, {}).get(code, (None, None)),
                                known=code not in self.unknown.get(rate, ()))
                for rate, (numerators, denominators) in zip(rate_codes, sides)}
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@dataclass(slots=True)
class Rollup:
    """Aggregated figures of every unit in scope, and the rates of each."""

    scope: Unit | None
    units: list[Unit]
    values: dict[str, dict[str, int | float]] = field(default_factory=dict)
    rates: UnitRates = field(default_factory=UnitRates)
    indicators: list[str] = field(default_factory=list)
    rate_codes: list[str] = field(default_factory=list)
    # form id -> {unit code -> (units of the form's row level under it with data, all of them)}
    coverage: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    # indicator code -> the form it belongs to
    form_of: dict[str, str] = field(default_factory=dict)
    # indicator code -> the units without a figure for it (quarters cannot make it)
    unknown: dict[str, set[str]] = field(default_factory=dict)

    def roots(self) -> list[Unit]:
        """The units at the top of what was rolled up: the scope's, or every root's when
        there is no single scope."""
        return [u for u in self.units if u.parent is None or u.parent not in self.values]

    def covered(self, code: str | None, form: str) -> tuple[int, int]:
        """(reported, expected) units of `form`'s row level under the unit `code` (under the
        scope, or all roots, when None)."""
        cover = self.coverage.get(form, {})
        if code is not None:
            return cover.get(code, (0, 0))
        if self.scope is not None:
            return cover.get(self.scope.code, (0, 0))
        roots = [cover.get(u.code, (0, 0)) for u in self.roots()]
        return sum(r for r, _ in roots), sum(e for _, e in roots)

    def figures(self, code: str | None) -> dict[str, int | float | None]:
        """A unit's figures (the scope's when None), None for the indicators of a form of
        which no unit under it sent anything: "chưa báo cáo", never 0."""
        values = self.totals() if code is None else self.values[code]
        silent = {form for form in self.coverage if self.covered(code, form)[0] == 0}
        unknown = {indicator for indicator, codes in self.unknown.items()
                   if (code in codes if code is not None else codes)}
        if not silent and not unknown:
            return dict(values)
        return {indicator: None if self.form_of.get(indicator) in silent or indicator in unknown
                else value for indicator, value in values.items()}

    def totals(self) -> dict[str, int | float]:
        """The scope's figures (all roots added when there is no single scope)."""
        if self.scope is not None:
            return self.values[self.scope.code]
        roots = (self.values[u.code] for u in self.roots())
        return {code: 0 for code in self.indicators} | _add_all(roots)

    def scope_rates(self) -> dict[str, RateValue]:
        """The scope's rates (all roots added when there is no single scope)."""
        if self.scope is not None:
            return self.rates[self.scope.code]
        roots = [u.code for u in self.roots()]
        sums: dict[str, list[int | float]] = {code: [0, 0, 0, 0] for code in self.rate_codes}
        for code in roots:
            for rate, value in self.rates[code].items():
                total = sums.setdefault(rate, [0, 0, 0, 0])
                total[0] += value.numerator
                total[1] += value.denominator
                total[2] += value.reported or 0
                total[3] += value.expected or 0
        return {rate: RateValue(*sides, known=not self.rates.unknown.get(rate))
                for rate, sides in sums.items()}


def _add_all(items) -> dict[str, int | float]:
    total: dict[str, int | float] = {}
    for values in items:
        for code, value in values.items():
            total[code] = total.get(code, 0) + value
    return total


def applicable(forms: FormSet, level: str) -> list[str]:
    """The indicator codes that a unit of `level` carries: forms whose rows are at or below it."""
    depth = LEVELS.index(level) if level in LEVELS else 0
    return [ind.code for form in forms.forms.values()
            if LEVELS.index(form.row_level) >= depth for ind in form.indicators]


def _own_side(spec: dict[str, str], level: str) -> int | str:
    """A unit's own contribution to a counted side of a rate, for every unit of `level`
    (children are added afterwards): 0 or 1, or the indicator that must be above 0 for 1."""
    if level != spec["count"]:
        return 0
    where = spec.get("where")
    return 1 if where is None else where


def _all_rates(forms: FormSet) -> list[Rate]:
    return [rate for form in forms.forms.values() for rate in form.rates]


@dataclass(slots=True)
class _RatePlan:
    """Where each rate's two sides come from, as positions in a unit's list of sides: the
    counted sides first (`counted`, their specs), then the summed ones (`summed`, indicators).

    Rates sharing a code are one rate, as in a dict: a side is summed when any of them sums
    it (the last such indicator), else counted by the last of them.
    """

    positions: list[tuple[str, int, int]]
    counted: list[dict[str, str]]
    summed: list[str]


def _plan(rates: list[Rate]) -> _RatePlan:
    chosen: dict[str, dict[str, dict[str, str]]] = {}
    for rate in rates:
        sides = chosen.setdefault(rate.code, {})
        for attr, spec in (("numerator", rate.numerator), ("denominator", rate.denominator)):
            if "sum" in spec or "sum" not in sides.get(attr, {}):
                sides[attr] = spec
    counted: list[dict[str, str]] = []
    summed: list[str] = []
    places: list[tuple[str, tuple[bool, int], tuple[bool, int]]] = []
    for code, sides in chosen.items():
        place = []
        for spec in (sides["numerator"], sides["denominator"]):
            if "sum" in spec:
                place.append((True, len(summed)))
                summed.append(spec["sum"])
            else:
                place.append((False, len(counted)))
                counted.append(spec)
        places.append((code, place[0], place[1]))

    def position(place: tuple[bool, int]) -> int:
        is_sum, index = place
        return len(counted) + index if is_sum else index

    return _RatePlan([(code, position(num), position(den)) for code, num, den in places],
                     counted, summed)


def rollup(records: list[Record], registry: Registry, forms: FormSet,
           scope: Unit | None, left_out: dict[str, set[str]] | None = None) -> Rollup:
    """Add the records' figures up the hierarchy under `scope` (every root when None).

    `left_out`: indicator -> the units whose figure for it is not known (a longer period made
    of quarters cannot add up distinct households): every unit above them has no figure for
    that indicator either (None in `figures`), and the rates built on it none."""
    units = ([scope, *registry.descendants(scope.code)] if scope else registry.units())
    units = list({u.code: u for u in units}.values())
    carried = {level: tuple(dict.fromkeys(applicable(forms, level)))
               for level in {u.level for u in units}}
    own = _own_values(records, {u.code: carried[u.level] for u in units})
    rates = _all_rates(forms)
    plan = _plan(rates)
    result = Rollup(scope, units,
                    indicators=[i.code for f in forms.forms.values() for i in f.indicators],
                    rate_codes=[rate.code for rate in rates])
    ordered = sorted(units, key=lambda u: -LEVELS.index(u.level) if u.level in LEVELS else 0)
    pending: dict[str, _Children] = {}
    for level, run in groupby(ordered, key=attrgetter("level")):
        _roll_level(list(run), level, carried[level], own, pending, plan, result)
    result.coverage = _coverage(units, records, forms)
    result.form_of = {ind.code: form.id for form in forms.forms.values() for ind in form.indicators}
    result.rates.coverage = {rate.code: result.coverage[form.id]
                             for form in forms.forms.values() for rate in form.rates}
    result.unknown = {indicator: _below(units, codes)
                      for indicator, codes in (left_out or {}).items() if codes}
    result.rates.unknown = {
        rate.code: set().union(*(result.unknown.get(side.get("sum", side.get("where", "")), set())
                                 for side in (rate.numerator, rate.denominator)))
        for form in forms.forms.values() for rate in form.rates}
    return result


def _below(units: list[Unit], codes: set[str]) -> set[str]:
    """The units that are, or hold, one of `codes` (`units` parents first)."""
    found = set(codes)
    parent_of = {unit.code: unit.parent for unit in units}
    for code in codes:
        parent = parent_of.get(code)
        while parent is not None and parent not in found:
            found.add(parent)
            parent = parent_of.get(parent)
    return found


def _coverage(units: list[Unit], records: list[Record],
              forms: FormSet) -> dict[str, dict[str, tuple[int, int]]]:
    """Per form, per unit: how many units of the form's row level under it (itself included)
    have a record, and how many there are. `units` come parents first (tree order)."""
    present: dict[str, set[str]] = {form: set() for form in forms.forms}
    for record in records:
        present[record.form].add(record.unit)
    coverage: dict[str, dict[str, tuple[int, int]]] = {}
    for form in forms.forms.values():
        level, sent = form.row_level, present[form.id]
        counts: dict[str, list[int]] = {}
        for unit in reversed(units):  # children before their parents
            mine = counts.get(unit.code)
            if unit.level == level:
                mine = counts[unit.code] = [int(unit.code in sent), 1]
            elif mine is None:
                mine = counts[unit.code] = [0, 0]
            if unit.parent is not None:
                above = counts.get(unit.parent)
                if above is None:
                    counts[unit.parent] = list(mine)
                else:
                    above[0] += mine[0]
                    above[1] += mine[1]
        coverage[form.id] = {code: (reported, expected) for code, (reported, expected)
                             in counts.items()}
    return coverage


@dataclass(slots=True)
class _Children:
    """What a unit's children handed up: their figures (grouped by their indicators, in
    order) and the sums of their counted rate sides."""

    counts: list[int]
    figures: dict[tuple[str, ...], list[dict[str, int | float]]] = field(default_factory=dict)


def _roll_level(run: list[Unit], level: str, carried: tuple[str, ...],
                own: dict[str, dict[str, int | float]], pending: dict[str, _Children],
                plan: _RatePlan, result: Rollup) -> None:
    """Figures and rates of a run of units of one level, whose children have all been done.

    Rates are worked out a column (one side of one rate, for every unit of the run) at a
    time; the children of a unit handed it their figures and counts in `pending`.
    """
    codes = [unit.code for unit in run]
    figures = [values if values is not None else dict.fromkeys(carried, 0)
               for values in map(own.get, codes)]
    counts = [[side] * len(run) if type(side) is int
              else [int(values.get(side, 0) > 0) for values in figures]
              for side in (_own_side(spec, level) for spec in plan.counted)]
    for position, code in enumerate(codes if pending else ()):
        children = pending.pop(code, None)
        if children is not None:
            _add_children(figures[position], children.figures)
            for column, total in zip(counts, children.counts):
                column[position] += total
    columns = counts + [[values.get(indicator, 0) for values in figures]
                        for indicator in plan.summed]
    result.values.update(zip(codes, figures))
    result.rates.add(codes, [code for code, _, _ in plan.positions],
                     [(columns[numerator], columns[denominator])
                      for _, numerator, denominator in plan.positions])
    _hand_up(run, figures, counts, carried, pending)


def _hand_up(run: list[Unit], figures: list[dict[str, int | float]], counts: list[list[int]],
             carried: tuple[str, ...], pending: dict[str, _Children]) -> None:
    """Give each unit's parent its figures, and add its counts to the parent's."""
    parents = [unit.parent for unit in run]
    # Units come in tree order, so siblings follow one another: hand them up a stretch at a time.
    bounds = [0, *(i for i in range(1, len(run)) if parents[i] != parents[i - 1]), len(run)]
    plain = {*map(len, figures)} <= {len(carried)}  # no unit has figures it does not carry
    for start, end in zip(bounds, bounds[1:]):
        parent = parents[start]
        if parent is None:
            continue
        children = pending.get(parent)
        if children is None:
            children = pending[parent] = _Children([0] * len(counts))
        for index, column in enumerate(counts):
            children.counts[index] += sum(column[start:end])
        for values in [] if plain else figures[start:end]:
            keys = carried if len(values) == len(carried) else tuple(values)
            children.figures.setdefault(keys, []).append(values)
        if plain:
            children.figures.setdefault(carried, []).extend(figures[start:end])


def _own_values(records: list[Record], carried: dict[str, tuple[str, ...]]
                ) -> dict[str, dict[str, int | float]]:
    """Each in-scope unit's figures from its own records: every indicator its level carries
    (0 when no record has it), in order, then any other its records have."""
    own: dict[str, dict[str, int | float]] = {}
    for record in records:
        keys = carried.get(record.unit)
        if keys is None:
            continue
        target = own.get(record.unit)
        if target is None:
            values = record.values
            # Most units have one record holding exactly what they carry: a plain copy.
            own[record.unit] = dict(values) if tuple(values) == keys else _fill(values, keys)
            continue
        for code, value in record.values.items():
            target[code] = target.get(code, 0) + value
    return own


def _fill(values: dict[str, int | float], carried: tuple[str, ...]) -> dict[str, int | float]:
    filled = dict.fromkeys(carried, 0)
    filled.update(values)
    return filled


def _add_children(values: dict[str, int | float],
                  children: dict[tuple[str, ...], list[dict[str, int | float]]]) -> None:
    """Add the children's figures to `values`, for the indicators it carries."""
    # Children with the same indicators in the same order are added a column at a time.
    for indicators, group in children.items():
        for code, column in zip(indicators, zip(*map(dict.values, group))):
            if code in values:
                values[code] += sum(column)
