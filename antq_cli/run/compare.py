"""This period against an earlier one (`--compare PREVIOUS`): "so với cùng kỳ" or
"so với kỳ trước", the change and the percentage change of every total and rate (numbers
only: outputs/report.py words and formats them).

The earlier figures come from merging PREVIOUS (a folder of submissions or an earlier
summary workbook) with the same forms, registry and scope, so both sides count alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..forms import FormSet
from ..model import AntqError
from ..periods import Period
from ..settings import RunSettings
from ..units.registry import Registry
from .files import find_files
from .history import unusual_changes
from .merge import MergeResult, merge_files
from .rollup import RateValue

SAME_PERIOD_LAST_YEAR = "same-period-last-year"
PREVIOUS_PERIOD = "previous-period"
OTHER = "other"


@dataclass(slots=True)
class Change:
    """A figure now and before; `percent` is None when it was 0 before."""

    previous: int | float
    current: int | float

    @property
    def change(self) -> int | float:
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        return self.change / self.previous * 100 if self.previous else None


@dataclass(slots=True)
class RateChange:
    """A rate now and before; the change is in percentage points."""

    previous: RateValue
    current: RateValue

    @property
    def points(self) -> float | None:
        if self.previous.ratio is None or self.current.ratio is None:
            return None
        return (self.current.ratio - self.previous.ratio) * 100


@dataclass(slots=True)
class Comparison:
    """Every total and rate of the scope, and every unit's figures, against PREVIOUS."""

    source: str
    period: Period | None
    relation: str
    accepted: int
    totals: dict[str, Change] = field(default_factory=dict)
    rates: dict[str, RateChange] = field(default_factory=dict)
    units: dict[str, dict[str, Change]] = field(default_factory=dict)
    # form id -> (units of its row level without data now, and before): a change partly made
    # of units missing on one side is said to be so.
    unreported: dict[str, tuple[int, int]] = field(default_factory=dict)


def previous_period(period: Period) -> Period | None:
    """The period just before: Q1 2024 → Q4 2023, H1 → H2 of last year, 2024 → 2023."""
    year, kind, number = period.year, period.kind, period.number
    if kind == "Q":
        return Period(year, "Q", number - 1) if number > 1 else Period(year - 1, "Q", 4)
    if kind == "H":
        return Period(year, "H", 1) if number == 2 else Period(year - 1, "H", 2)
    if kind == "M":
        return Period(year, "M", number - 1) if number > 1 else Period(year - 1, "M", 12)
    if kind == "Y":
        return Period(year - 1, "Y", 0)
    return None


def relation(current: Period | None, earlier: Period | None) -> str:
    """Whether `earlier` is the same period a year before, the period just before, or other."""
    if current is None or earlier is None:
        return OTHER
    if (earlier.kind, earlier.number, earlier.year) == (current.kind, current.number,
                                                        current.year - 1):
        return SAME_PERIOD_LAST_YEAR
    return PREVIOUS_PERIOD if previous_period(current) == earlier else OTHER


def compare(current: MergeResult, earlier: MergeResult, source: str) -> Comparison:
    """The change of every total, rate and unit figure from `earlier` to `current`."""
    now, before = current.rollup, earlier.rollup
    accepted = sum(1 for f in earlier.files if f.status == "accepted")
    result = Comparison(source, earlier.period, relation(current.period, earlier.period),
                        accepted)
    old_totals = before.totals()
    result.totals = {code: Change(old_totals.get(code, 0), value)
                     for code, value in now.totals().items()}
    old_rates = before.scope_rates()
    result.rates = {code: RateChange(old_rates.get(code, RateValue(0, 0)), value)
                    for code, value in now.scope_rates().items()}
    for code, values in now.values.items():
        old = before.values.get(code, {})
        result.units[code] = {k: Change(old.get(k, 0), v) for k, v in values.items()}
    for form in now.coverage:
        (sent_now, all_now), (sent_before, all_before) = (
            now.covered(None, form), before.covered(None, form))
        result.unreported[form] = (all_now - sent_now, all_before - sent_before)
    return result


def compare_with(previous: Path, current: MergeResult, forms: FormSet, registry: Registry | None,
                 prefer: str | None = None, settings: RunSettings = RunSettings()) -> Comparison:
    """`--compare PREVIOUS`: merge the earlier folder or summary with the same forms, registry,
    scope and settings, check each unit against it (history.py), and compare."""
    paths = find_files(previous) if previous.is_dir() else [previous]
    scope = current.rollup.scope.code if current.rollup.scope and registry is not None else None
    earlier = merge_files(paths, forms, registry, None, scope, prefer, settings=settings,
                          root=previous if previous.is_dir() else None)
    if not any(f.status == "accepted" for f in earlier.files):
        raise AntqError("compare-empty", path=str(previous))
    unusual_changes(current.files, earlier.files, forms)
    return compare(current, earlier, str(previous))
