"""Results → plain data: the JSON contract of SPEC, and the numbers as people write them."""

from __future__ import annotations

from itertools import chain
from typing import Any

from ..model import FileResult, Problem
from ..run.compare import PREVIOUS_PERIOD, SAME_PERIOD_LAST_YEAR, Change, Comparison
from ..run.merge import MergeResult
from ..run.rollup import RateValue
from .messages import render
from .words import format_number, format_percent


def format_rate(rate: RateValue, lang: str = "vi") -> str:
    """685 of 691 → "685/691 (99,1%)"; "0/0 (—)" when there is nothing to count."""
    head = f"{format_number(rate.numerator, lang)}/{format_number(rate.denominator, lang)}"
    if rate.ratio is None:
        return f"{head} (—)"
    return f"{head} ({format_percent(rate.ratio * 100, lang)}%)"


def problem_dict(problem: Problem, lang: str) -> dict[str, Any]:
    """One problem as in the JSON contract."""
    return {
        "severity": problem.severity, "code": problem.code, "message": render(problem, lang),
        "sheet": problem.sheet, "cell": problem.cell, "indicator": problem.indicator,
        "unit": problem.unit,
    }


def file_dict(result: FileResult, lang: str) -> dict[str, Any]:
    """One file as in the JSON contract; several forms in one workbook are joined by ", "."""
    return {
        "path": result.path,
        "status": result.status,
        "form": ", ".join(result.forms) or None,
        "unit": result.unit or None,
        "period": result.period or None,
        "rows": result.rows,
        "problems": [problem_dict(p, lang) for p in result.problems],
    }


def validate_dict(files: list[FileResult], lang: str) -> dict[str, Any]:
    """`antq validate --format json`."""
    return {"files": [file_dict(f, lang) for f in files]}


def _number(value: int | float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _figures(values: dict[str, int | float]) -> dict[str, int | float]:
    """A unit's figures with whole floats as ints; nearly always all ints already: a copy."""
    if {*map(type, values.values())} <= {int}:  # bool is not int here: True becomes 1 below
        return dict(values)
    return {code: _number(value) for code, value in values.items()}


def _units(roll: Any) -> list[dict[str, Any]]:
    """The "units" member: every unit in scope with its figures."""
    units = roll.units
    figures = list(map(roll.values.__getitem__, [u.code for u in units]))
    # A country's 21,000 units are nearly always all whole numbers: checked and copied in C.
    if {*map(type, chain.from_iterable(map(dict.values, figures)))} <= {int}:
        figures = list(map(dict, figures))
    else:
        figures = list(map(_figures, figures))
    return [{"code": u.code, "name": u.name, "level": u.level, "parent": u.parent,
             "values": values} for u, values in zip(units, figures)]


def compare_dict(comparison: Any) -> dict[str, Any]:
    """The "compare" member: the earlier period, how it relates, and every change."""
    def change(item: Any) -> dict[str, Any]:
        return {"previous": _number(item.previous), "change": _number(item.change),
                "percent": None if item.percent is None else round(item.percent, 6)}

    return {
        "source": comparison.source,
        "period": comparison.period.code if comparison.period else None,
        "relation": comparison.relation,
        "totals": {code: change(item) for code, item in comparison.totals.items()},
        "rates": {code: {"previous": {"numerator": _number(item.previous.numerator),
                                      "denominator": _number(item.previous.denominator),
                                      "ratio": None if item.previous.ratio is None
                                      else round(item.previous.ratio, 6)},
                         "points": None if item.points is None else round(item.points, 6)}
                  for code, item in comparison.rates.items()},
    }


def merge_dict(result: MergeResult, lang: str, comparison: Any = None,
               paragraph: list[str] | None = None) -> dict[str, Any]:
    """`antq merge --format json`: files, period, scope, totals, rates, units, missing;
    "compare" with --compare and "paragraph" with --paragraph."""
    extra: dict[str, Any] = {}
    if comparison is not None:
        extra["compare"] = compare_dict(comparison)
    if paragraph is not None:
        extra["paragraph"] = " ".join(paragraph)
    return _merge_dict(result, lang) | extra


def _merge_dict(result: MergeResult, lang: str) -> dict[str, Any]:
    roll = result.rollup
    scope = roll.scope
    return {
        "files": [file_dict(f, lang) for f in result.files],
        "period": result.period.code if result.period else None,
        "scope": {"code": scope.code if scope else None,
                  "name": scope.name if scope else None,
                  "level": scope.level if scope else None},
        "totals": {k: _number(v) for k, v in roll.totals().items()},
        "rates": {code: {"numerator": _number(r.numerator), "denominator": _number(r.denominator),
                         "ratio": None if r.ratio is None else round(r.ratio, 6)}
                  for code, r in roll.scope_rates().items()},
        "units": _units(roll),
        "missing": [{"code": u.code, "name": u.name, "level": u.level, "reason": reason}
                    for u, reason in result.missing],
    }


# -- --compare -----------------------------------------------------------------------------------

def comparison_label(comparison: Comparison, lang: str = "vi") -> str:
    """The heading of the earlier figures: "Cùng kỳ (Quý I/2023)", "Kỳ trước (...)"."""
    when = comparison.period.label(lang) if comparison.period else comparison.source
    word = {SAME_PERIOD_LAST_YEAR: ("Cùng kỳ", "Same period last year"),
            PREVIOUS_PERIOD: ("Kỳ trước", "Previous period")}.get(comparison.relation)
    return f"{word[lang == 'en']} ({when})" if word else when


def comparison_line(comparison: Comparison, lang: str = "vi") -> str:
    """One line saying what the comparison is against."""
    when = comparison.period.label(lang) if comparison.period else "?"
    if lang == "en":
        how = {SAME_PERIOD_LAST_YEAR: "the same period last year",
               PREVIOUS_PERIOD: "the previous period"}.get(comparison.relation,
                                                           "an earlier period")
        return (f"Compared with {how}: {when}, {comparison.accepted} accepted file(s) "
                f"in {comparison.source}")
    how = {SAME_PERIOD_LAST_YEAR: "cùng kỳ", PREVIOUS_PERIOD: "kỳ trước"}.get(
        comparison.relation, "kỳ")
    return f"So với {how}: {when}, {comparison.accepted} tệp đã nhận trong {comparison.source}"


def format_change(change: Change, lang: str = "vi") -> tuple[str, str]:
    """(change, percent) as printed: ("+12", "+8,5%"), ("-3", "—") when it was 0 before."""
    sign = "+" if change.change > 0 else ""
    percent = change.percent
    shown = "—" if percent is None else format_percent(percent, lang, signed=True) + "%"
    return sign + format_number(change.change, lang), shown


def format_points(points: float, lang: str = "vi") -> str:
    """A change of a rate in percentage points: "+1,2"."""
    return format_percent(points, lang, signed=True)
