"""Each unit against its previous period: the best check there is of a figure typed wrong
(16.504 households typed 165.040). A stock that moves beyond its form's limit, a flag that
flips, villages that appear or vanish: warnings (`unusual-change`), never a stop.

The previous period is the one --compare names, or the quarter before when its files are in
the run (over_time.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..forms import FormSet
from ..model import ACCEPTED, WARNING, FileResult, Problem, Record


def unusual_changes(current: Iterable[FileResult], previous: Iterable[FileResult],
                    forms: FormSet) -> int:
    """Add an `unusual-change` warning to each accepted current file for each of its rows
    that moved too far from the same unit's previous row, and for villages that appeared or
    vanished from its sender's list; returns how many were added."""
    before: dict[tuple[str, str], Record] = {}
    listed_before: dict[tuple[str, str], set[str]] = {}
    for result in previous:
        if result.status != ACCEPTED:
            continue
        for record in result.records:
            if record.unit:
                before[record.form, record.unit] = record
                listed_before.setdefault((record.form, result.unit), set()).add(record.unit)
    added = 0
    for result in current:
        if result.status != ACCEPTED:
            continue
        listed: dict[str, set[str]] = {}
        for record in result.records:
            if not record.unit:
                continue
            listed.setdefault(record.form, set()).add(record.unit)
            earlier = before.get((record.form, record.unit))
            if earlier is not None:
                added += _row_changes(result, record, earlier, forms)
        for form, units in listed.items():
            if forms.forms[form].row_level == forms.forms[form].sender_level:
                continue
            was = listed_before.get((form, result.unit))
            if was is not None and was != units:
                result.problems.append(Problem(
                    WARNING, "unusual-change", file=result.path, unit=result.unit_name,
                    params={"kind": "villages", "unit": result.unit_name or result.unit,
                            "appeared": len(units - was), "vanished": len(was - units)}))
                added += 1
    return added


def _row_changes(result: FileResult, record: Record, earlier: Record, forms: FormSet) -> int:
    """Warnings for one row: stocks beyond their limit, flags that flipped."""
    form = forms.forms[record.form]
    added = 0
    for indicator in form.indicators:
        now, was = record.values.get(indicator.code), earlier.values.get(indicator.code)
        if now is None or was is None:
            continue
        params = {"label": indicator.label, "label_en": indicator.label_en,
                  "unit": record.label or record.unit, "now": now, "before": was}
        if indicator.type == "flag":
            if bool(now) == bool(was):
                continue
            params |= {"kind": "flag", "now_flag": "yes" if now else "no",
                       "before_flag": "yes" if was else "no"}
        elif indicator.change_limit is not None and was > 0:
            change = (now - was) / was
            if abs(change) <= indicator.change_limit:
                continue
            params |= {"kind": "stock", "percent": round(change * 100, 1),
                       "limit": round(indicator.change_limit * 100)}
        else:
            continue
        result.problems.append(Problem(WARNING, "unusual-change", file=result.path,
                                       sheet=record.sheet, cell=record.cells.get(indicator.code, ""),
                                       indicator=indicator.code, unit=record.label or record.unit,
                                       params=params))
        added += 1
    return added
