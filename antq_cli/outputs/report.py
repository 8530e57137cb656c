"""Results → plain data: the JSON contract of SPEC, and the numbers as people write them."""

from __future__ import annotations

from itertools import chain
from typing import Any

from ..forms import FormSet
from ..model import FileResult, Problem
from ..run.compare import PREVIOUS_PERIOD, SAME_PERIOD_LAST_YEAR, Change, Comparison
from ..run.merge import MergeResult
from ..run.rollup import RateValue
from ..text import readable_path
from .messages import render
from .words import LEVEL_NAMES, area, format_number, format_percent, ui


def scope_text(result: MergeResult, lang: str = "vi") -> str:
    """The scope's name; when it was inferred from the files and is narrower than the
    registry's root, how to widen it: "Huyện Sông Phan (theo các tệp đã gửi; --scope 99 để
    tổng hợp toàn tỉnh)"."""
    scope = result.rollup.scope
    if scope is None:
        return ui("all_senders", lang)
    roots = result.registry.roots() if result.has_registry else []
    if result.scope_given or len(roots) != 1 or roots[0].code == scope.code:
        return scope.name
    root = roots[0]
    return ui("scope_inferred", lang, name=scope.name, code=root.code, root=root.name,
              area=area(root.name, lang))


def units_of(count: int, level: str, lang: str = "vi") -> str:
    """"10 thôn", "10 villages", "1 village": a number of units of a level."""
    name = LEVEL_NAMES[level]
    return f"{format_number(count, lang)} " + (
        name.vi if lang == "vi" else name.en if count == 1 else name.en_plural)


def rate_caveat(rate: RateValue, level: str, lang: str = "vi") -> str:
    """"" or " — 10 thôn chưa báo cáo": the units a rate counts that sent no figures."""
    if not rate.unreported:
        return ""
    return " — " + ui("unreported_units", lang, units=units_of(rate.unreported, level, lang))


def unit_rate_text(rate: RateValue, lang: str = "vi") -> str:
    """A unit's rate in a table with a "Chưa báo cáo" column: the rate, or "chưa báo cáo"."""
    return ui("not_reported", lang) if rate.reported == 0 else format_rate(rate, lang)


def unreported_text(rollup, code: str, forms: FormSet, lang: str = "vi") -> str:
    """The units under `code` that sent nothing, per form's row level: "4 thôn, 1 xã"."""
    parts = []
    for form in forms.forms.values():
        reported, expected = rollup.covered(code, form.id)
        if expected > reported:
            parts.append(units_of(expected - reported, form.row_level, lang))
    return ", ".join(parts)


def rate_text(rate: RateValue, level: str, lang: str = "vi") -> str:
    """A rate with its caveat: "45/60 (75,0%) — 10 thôn chưa báo cáo"; "chưa báo cáo" when
    none of the units it counts reported."""
    if not rate.known:
        return ui("not_from_quarters", lang)
    if rate.reported == 0:
        return ui("not_reported", lang)
    return format_rate(rate, lang) + rate_caveat(rate, level, lang)


def figure_text(rollup, code: str | None, indicator: str, value, lang: str = "vi") -> str:
    """A figure as printed: the number, "chưa báo cáo" when nothing under the unit reported
    it, "không tính được từ các quý" when quarters cannot make it."""
    if value is not None:
        return format_number(value, lang)
    codes = rollup.unknown.get(indicator, ())
    if codes and (code is None or code in codes):
        return ui("not_from_quarters", lang)
    return ui("not_reported", lang)


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
        "path": readable_path(result.path),
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
    """The "units" member: every unit in scope with its figures, null for the indicators of a
    form of which nothing under the unit was reported ("chưa báo cáo", never 0)."""
    units = roll.units
    figures = list(map(roll.values.__getitem__, [u.code for u in units]))
    # A country's 21,000 units are nearly always all whole numbers: checked and copied in C.
    if {*map(type, chain.from_iterable(map(dict.values, figures)))} <= {int}:
        figures = list(map(dict, figures))
    else:
        figures = list(map(_figures, figures))
    for form, cover in roll.coverage.items():
        silent = [i for i, unit in enumerate(units) if cover.get(unit.code, (0, 0))[0] == 0]
        if silent:
            indicators = frozenset(code for code, owner in roll.form_of.items() if owner == form)
            for figure in map(figures.__getitem__, silent):
                figure.update(dict.fromkeys(figure.keys() & indicators, None))
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
        "unreported": {form: {"current": now, "previous": before}
                       for form, (now, before) in comparison.unreported.items()},
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
    lacking = result.missing_forms()
    return {
        "files": [file_dict(f, lang) for f in result.files],
        "period": result.period.code if result.period else None,
        "scope": {"code": scope.code if scope else None,
                  "name": scope.name if scope else None,
                  "level": scope.level if scope else None},
        "totals": {k: None if v is None else _number(v) for k, v in roll.figures(None).items()},
        "rates": {code: _rate(r) for code, r in roll.scope_rates().items()},
        "units": _units(roll),
        "missing": [_missing(result, u, reason, lacking) for u, reason in result.missing],
    } | ({"year_to_date": {k: None if v is None else _number(v)
                           for k, v in result.year_to_date.items()}}
         if result.year_to_date is not None else {})


def _rate(rate: RateValue) -> dict[str, Any]:
    """A rate in the JSON: null sides when quarters cannot make it."""
    if not rate.known:
        return {"numerator": None, "denominator": None, "ratio": None,
                "reported": rate.reported}
    return {"numerator": _number(rate.numerator), "denominator": _number(rate.denominator),
            "ratio": None if rate.ratio is None else round(rate.ratio, 6),
            "reported": rate.reported}


def _missing(result: MergeResult, unit, reason: str,
             lacking: dict[str, list[str]]) -> dict[str, Any]:
    """A missing unit and the forms it lacks; one whose quarters lack some to make the period
    names them."""
    entry = {"code": unit.code, "name": unit.name, "level": unit.level, "reason": reason,
             "forms": lacking.get(unit.code, [])}
    if reason == "incomplete":
        quarters = {q.code for lacking in result.incomplete.values()
                    for code, periods in lacking.items()
                    if code == unit.code or (result.registry.get(code) is not None and
                                             result.registry.contains(unit.code, code))
                    for q in periods}
        entry["quarters"] = sorted(quarters)
    return entry


# -- --compare -----------------------------------------------------------------------------------

def comparison_label(comparison: Comparison, lang: str = "vi") -> str:
    """The heading of the earlier figures: "Cùng kỳ (Quý I/2023)", "Kỳ trước (...)"."""
    when = comparison.period.label(lang) if comparison.period else comparison.source
    word = {SAME_PERIOD_LAST_YEAR: ("Cùng kỳ", "Same period last year"),
            PREVIOUS_PERIOD: ("Kỳ trước", "Previous period")}.get(comparison.relation)
    return f"{word[lang == 'en']} ({when})" if word else when


def comparison_line(comparison: Comparison, lang: str = "vi",
                    forms: FormSet | None = None) -> str:
    """One line saying what the comparison is against, and when either side lacks units."""
    when = comparison.period.label(lang) if comparison.period else "?"
    if lang == "en":
        how = {SAME_PERIOD_LAST_YEAR: "the same period last year",
               PREVIOUS_PERIOD: "the previous period"}.get(comparison.relation,
                                                           "an earlier period")
        line = (f"Compared with {how}: {when}, {comparison.accepted} accepted file(s) "
                f"in {comparison.source}")
    else:
        how = {SAME_PERIOD_LAST_YEAR: "cùng kỳ", PREVIOUS_PERIOD: "kỳ trước"}.get(
            comparison.relation, "kỳ")
        line = f"So với {how}: {when}, {comparison.accepted} tệp đã nhận trong {comparison.source}"
    gaps = comparison_gaps(comparison, forms, lang) if forms is not None else ""
    return line + (f". {gaps}" if gaps else "")


def relation_text(comparison: Comparison, lang: str = "vi") -> str:
    """"cùng kỳ năm trước (Quý I/2023)", "kỳ trước (Quý IV/2023)"."""
    when = comparison.period.label(lang) if comparison.period else ""
    key = {SAME_PERIOD_LAST_YEAR: "compare_same", PREVIOUS_PERIOD: "compare_previous"}.get(
        comparison.relation, "compare_other")
    return ui(key, lang, period=when)


def comparison_note(comparison: Comparison, lang: str = "vi",
                    forms: FormSet | None = None) -> str:
    """The printed line of what the figures are compared with, without files or folders:
    "Số liệu so sánh: cùng kỳ năm trước (Quý I/2023)." and when either side lacks units."""
    line = ui("compare_note", lang, how=relation_text(comparison, lang))
    gaps = comparison_gaps(comparison, forms, lang) if forms is not None else ""
    return line + (f". {gaps}." if gaps else ".")


def comparison_gaps(comparison: Comparison, forms: FormSet, lang: str) -> str:
    """"Lưu ý: kỳ này 10 thôn, 1 xã chưa báo cáo; …" or "" when both sides are whole."""
    now = [units_of(n, forms.forms[f].row_level, lang)
           for f, (n, _) in comparison.unreported.items() if n and f in forms.forms]
    before = [units_of(n, forms.forms[f].row_level, lang)
              for f, (_, n) in comparison.unreported.items() if n and f in forms.forms]
    if not now and not before:
        return ""
    parts = []
    if now:
        parts.append(ui("gap_now", lang, units=", ".join(now)))
    if before:
        parts.append(ui("gap_before", lang, units=", ".join(before)))
    return ui("gaps", lang, gaps="; ".join(parts))


def format_change(change: Change, lang: str = "vi") -> tuple[str, str]:
    """(change, percent) as printed: ("+12", "+8,5%"), ("-3", "—") when it was 0 before."""
    sign = "+" if change.change > 0 else ""
    percent = change.percent
    shown = "—" if percent is None else format_percent(percent, lang, signed=True) + "%"
    return sign + format_number(change.change, lang), shown


def format_points(points: float, lang: str = "vi") -> str:
    """A change of a rate in percentage points: "+1,2"."""
    return format_percent(points, lang, signed=True)
