"""Longer periods from quarters, and the year to date.

A half-year, nine months or a year is often sent as quarters only: each unit's figures for the
period are made from its quarters by how each indicator goes over time (forms.Indicator
.over_time): a flow ("sum": meetings held) adds them up, a stock or status ("last":
households, "đạt tiêu chuẩn") takes the latest quarter's, and what quarters cannot make
("none": distinct households attending) is left out, and said to be. A unit that sent a file
for the whole period is taken from it, its flows checked against its quarters. A unit missing
a quarter is incomplete. The same rules add the earlier quarters of the year to a quarter's
figures for "Lũy kế từ đầu năm".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..forms import FormSet
from ..model import ACCEPTED, WARNING, FileResult, Problem, Record
from ..periods import Period
from .submission import Submission

_QUARTERS = {"Q": None, "H": ((1, 2), (3, 4)), "9M": ((1, 2, 3),), "Y": ((1, 2, 3, 4),)}


def quarters_of(period: Period) -> tuple[Period, ...]:
    """The quarters a half-year, nine months or year is made of (none for a quarter or a
    month: they are not made of quarters)."""
    if period.kind == "H":
        numbers = _QUARTERS["H"][period.number - 1]
    elif period.kind in ("9M", "Y"):
        numbers = _QUARTERS[period.kind][0]
    else:
        return ()
    return tuple(Period(period.year, "Q", n) for n in numbers)


def role(found: Period | None, run: Period | None) -> str:
    """What a file of period `found` is to a run of period `run`: "current" (the run's own,
    or a file without a period), "part" (a quarter of a longer run), "earlier" (an earlier
    quarter of a quarterly run's year, for the year to date) or "other" (wrong period)."""
    if found is None or run is None or found == run:
        return "current"
    if found in quarters_of(run):
        return "part"
    if found in earlier_quarters(run):
        return "earlier"
    return "other"


def earlier_quarters(period: Period) -> tuple[Period, ...]:
    """The quarters of the year before a quarter, for the year to date (Q3 → Q1, Q2)."""
    if period.kind != "Q":
        return ()
    return tuple(Period(period.year, "Q", n) for n in range(1, period.number))


@dataclass(slots=True)
class Composed:
    """What the quarters made: a record per unit and form that sent no file for the whole
    period (without the figures quarters cannot make), and the units that lack a quarter
    (form -> unit -> the quarters missing)."""

    records: list[Record] = field(default_factory=list)
    incomplete: dict[str, dict[str, list[Period]]] = field(default_factory=dict)


def compose(whole: Iterable[Submission], parts: Iterable[Submission], period: Period,
            forms: FormSet, needed: tuple[Period, ...] | None = None) -> Composed:
    """Each unit's figures for `period` from the accepted `parts` (quarter files), for the
    units and forms no accepted `whole` file (a file for the whole period) gives; the whole
    files' flows are checked against their quarters (`period-mismatch` warnings).

    `needed`: the quarters a unit must have sent (default: all quarters of `period`)."""
    needed = quarters_of(period) if needed is None else needed
    by_unit: dict[tuple[str, str], dict[Period, Record]] = {}
    for sub in parts:
        if sub.result.status != ACCEPTED or sub.period is None:
            continue
        for record in sub.result.records:
            if record.unit:
                by_unit.setdefault((record.form, record.unit), {})[sub.period] = record
    given: dict[tuple[str, str], tuple[FileResult, Record]] = {
        (r.form, r.unit): (sub.result, r) for sub in whole if sub.result.status == ACCEPTED
        for r in sub.result.records if r.unit}
    composed = Composed()
    for (form_id, unit), quarters in by_unit.items():
        form = forms.forms[form_id]
        if (form_id, unit) in given:
            result, record = given[form_id, unit]
            _check_against_quarters(result, record, quarters, needed, form)
            continue
        lacking = [q for q in needed if q not in quarters]
        if lacking:
            composed.incomplete.setdefault(form_id, {})[unit] = lacking
            continue
        ordered = [quarters[q] for q in needed]
        values: dict[str, int | float] = {}
        for indicator in form.indicators:
            figures = [r.values[indicator.code] for r in ordered if indicator.code in r.values]
            if indicator.over_time == "none" or not figures:
                continue  # left out: the record has no figure for it (merge.left_out)
            if indicator.over_time == "last":
                values[indicator.code] = figures[-1]
            else:
                values[indicator.code] = sum(figures)
        last = ordered[-1]
        composed.records.append(Record(form_id, last.sheet, last.row, last.label, last.code,
                                       values, dict(last.cells), unit, last.label_cell))
    return composed


def _check_against_quarters(result: FileResult, record: Record, quarters: dict[Period, Record],
                            needed: tuple[Period, ...], form) -> None:
    """A file for the whole period whose flows differ from the sum of the same unit's quarters:
    a warning naming the figures (the whole file is used)."""
    if any(q not in quarters for q in needed):
        return
    differ = []
    for indicator in form.indicators:
        if indicator.over_time != "sum" or indicator.code not in record.values:
            continue
        added = sum(quarters[q].values.get(indicator.code, 0) for q in needed)
        if added != record.values[indicator.code]:
            differ.append((indicator.code, record.values[indicator.code], added))
    if differ:
        code, written, added = differ[0]
        result.problems.append(Problem(
            WARNING, "period-mismatch", file=result.path, sheet=record.sheet,
            cell=record.cells.get(code, ""), indicator=code, unit=record.label or record.unit,
            params={"label": form.indicator(code).label, "written": written, "added": added,
                    "count": len(differ), "quarters": len(needed)}))
