"""Records → totals per unit up the registry hierarchy, rates, and completeness.

Rates use registry denominators: "villages in scope" are the villages the registry lists
under the scope, whether they reported or not. Without a registry, the units are those the
files name, and completeness cannot be known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .forms import LEVELS, FormSet, Rate
from .model import Record
from .registry import Registry, Unit


@dataclass(slots=True)
class RateValue:
    """A rate's two sides; `ratio` is None when the denominator is 0."""

    numerator: int | float
    denominator: int | float

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(slots=True)
class Rollup:
    """Aggregated figures of every unit in scope, and the rates of each."""

    scope: Unit | None
    units: list[Unit]
    values: dict[str, dict[str, int | float]] = field(default_factory=dict)
    rates: dict[str, dict[str, RateValue]] = field(default_factory=dict)
    indicators: list[str] = field(default_factory=list)
    rate_codes: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, int | float]:
        """The scope's figures (all roots added when there is no single scope)."""
        if self.scope is not None:
            return self.values[self.scope.code]
        roots = (self.values[u.code] for u in self.units
                 if u.parent is None or u.parent not in self.values)
        return {code: 0 for code in self.indicators} | _add_all(roots)

    def scope_rates(self) -> dict[str, RateValue]:
        """The scope's rates (all roots added when there is no single scope)."""
        if self.scope is not None:
            return self.rates[self.scope.code]
        roots = [u.code for u in self.units if u.parent is None or u.parent not in self.values]
        result: dict[str, RateValue] = {code: RateValue(0, 0) for code in self.rate_codes}
        for code in roots:
            for rate, value in self.rates[code].items():
                total = result.setdefault(rate, RateValue(0, 0))
                total.numerator += value.numerator
                total.denominator += value.denominator
        return result


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
    """A unit's own contribution to one side of a rate, for every unit of `level` (children
    are added afterwards): 0 or 1, or the indicator that must be above 0 for it to be 1."""
    if "sum" in spec or level != spec["count"]:
        return 0
    where = spec.get("where")
    return 1 if where is None else where


def _all_rates(forms: FormSet) -> list[Rate]:
    return [rate for form in forms.forms.values() for rate in form.rates]


def rollup(records: list[Record], registry: Registry, forms: FormSet,
           scope: Unit | None) -> Rollup:
    """Add the records' figures up the hierarchy under `scope` (every root when None)."""
    units = ([scope, *registry.descendants(scope.code)] if scope else registry.units())
    units = list({u.code: u for u in units}.values())
    own: dict[str, dict[str, int | float]] = {u.code: {} for u in units}
    for record in records:
        if record.unit in own:
            target = own[record.unit]
            for code, value in record.values.items():
                target[code] = target.get(code, 0) + value
    rates = _all_rates(forms)
    result = Rollup(scope, units,
                    indicators=[i.code for f in forms.forms.values() for i in f.indicators],
                    rate_codes=[rate.code for rate in rates])
    ordered = sorted(units, key=lambda u: -LEVELS.index(u.level) if u.level in LEVELS else 0)
    levels = {u.level for u in units}
    carried = {level: applicable(forms, level) for level in levels}
    own_sides = {level: [(rate.code, _own_side(rate.numerator, level),
                          _own_side(rate.denominator, level)) for rate in rates]
                 for level in levels}
    summed = [(rate.code, attr, side["sum"]) for rate in rates
              for side, attr in ((rate.numerator, "numerator"), (rate.denominator, "denominator"))
              if "sum" in side]
    for unit in ordered:
        values = dict.fromkeys(carried[unit.level], 0)
        values.update(own[unit.code])
        rate_values = {
            code: RateValue(
                numerator if type(numerator) is int else int(values.get(numerator, 0) > 0),
                denominator if type(denominator) is int else int(values.get(denominator, 0) > 0))
            for code, numerator, denominator in own_sides[unit.level]}
        for child in registry.children(unit.code):
            child_values = result.values.get(child.code)
            if child_values is None:
                continue
            for code, value in child_values.items():
                if code in values:
                    values[code] += value
            for code, value in result.rates[child.code].items():
                total = rate_values[code]
                total.numerator += value.numerator
                total.denominator += value.denominator
        for code, attr, indicator in summed:
            setattr(rate_values[code], attr, values.get(indicator, 0))
        result.values[unit.code] = values
        result.rates[unit.code] = rate_values
    return result
