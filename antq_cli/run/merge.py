"""The two jobs: validate files, and merge a folder of submissions into one scope's totals.

Every input file ends as accepted, rejected or skipped, with its reasons; one bad file never
stops the run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..forms import FormSet
from ..model import (
    ACCEPTED,
    ERROR,
    SKIPPED,
    WARNING,
    FileResult,
    Problem,
    Record,
)
from ..periods import Period
from ..settings import RunSettings
from ..text import fold_ascii
from ..units.registry import Registry, Unit
from . import over_time
from .files import Found, LateRegistry, Progress, read_files
from .history import unusual_changes
from .missing import expected_units, find_missing, merge_missing
from .one_file import Source
from .rollup import Rollup, rollup
from .submission import Submission


@dataclass(slots=True)
class MergeResult:
    """Everything a merge found: each file's fate, the period, the roll-up and what is missing."""

    files: list[FileResult]
    period: Period | None = None
    rollup: Rollup | None = None
    registry: Registry | None = None
    has_registry: bool = False
    missing: list[tuple[Unit, str]] = field(default_factory=list)
    missing_by_form: dict[str, list[tuple[Unit, str]]] = field(default_factory=dict)
    scope_given: bool = False  # --scope, rather than the smallest unit holding every sender
    # form -> unit -> the quarters a unit lacks to make a longer period (over_time.py)
    incomplete: dict[str, dict[str, list[Period]]] = field(default_factory=dict)
    # "Lũy kế từ đầu năm": the scope's figures with the earlier quarters of the year, when
    # their files are in the run (None: no such files)
    year_to_date: dict[str, int | float | None] | None = None
    # the rows rolled up: the accepted files' of the run's period, and those made of quarters
    records: list[Record] = field(default_factory=list)

    def missing_forms(self) -> dict[str, list[str]]:
        """Unit code → the forms in play it has no accepted file (or row) for."""
        forms: dict[str, list[str]] = {}
        for form_id, entries in self.missing_by_form.items():
            for unit, _ in entries:
                forms.setdefault(unit.code, []).append(form_id)
        return forms

    def completeness(self, form_id: str, level: str) -> tuple[int, int]:
        """(units of `level` under the scope that sent the form, units expected to)."""
        expected = len(expected_units(self.registry, self.rollup.scope if self.rollup else None,
                                      level))
        missing = sum(unit.level == level for unit, _ in self.missing_by_form.get(form_id, ()))
        return expected - missing, expected

    @property
    def exit_code(self) -> int:
        """0 when every file was accepted and no unit is missing, else 1 (also when nothing
        was accepted at all: an empty folder is no report)."""
        clean = all(f.status == ACCEPTED or _only_skipped_ok(f) for f in self.files)
        accepted = any(f.status == ACCEPTED for f in self.files)
        return 0 if clean and accepted and not self.missing else 1

    def to_frame(self):
        """The merged figures as a tidy pandas DataFrame (run/frame.py): a row per unit of
        every level and indicator, with its ancestors' codes and where each figure came from."""
        from .frame import merge_frame

        return merge_frame(self)


_HARMLESS_SKIPS = ("duplicate-file", "not-a-spreadsheet", "own-summary", "outside-scope",
                   "lock-file")


def _only_skipped_ok(result: FileResult) -> bool:
    """A file set aside for a harmless reason (a copy, a note, our own summary) with no error:
    its warnings (say total-not-computed) do not make the run's exit code 1."""
    return result.status == SKIPPED and result.set_aside in _HARMLESS_SKIPS


def check_periods(subs: list[Submission], wanted: Period | None,
                  strict: bool = False) -> Period | None:
    """Settle the run's period (given, else the most common in the files, the latest among
    equals); reject the files of other periods. The quarters of a longer run, and the earlier
    quarters of a quarterly run's year, are not other periods: they make the longer period and
    the year to date (over_time.py), unless `strict` (validate: a file is for the period
    asked or it is not)."""
    found = Counter(s.period for s in subs if s.period and s.result.forms)
    period = wanted or (max(found, key=lambda p: (found[p], p.year, p.number)) if found else None)
    for sub in subs:
        result = sub.result
        if not result.forms:
            continue
        if sub.period is None and period is not None:
            result.problems.append(Problem(WARNING, "period-not-found", file=result.path,
                                           params={"assumed": period}))
        elif (sub.period != period if strict else over_time.role(sub.period, period) == "other"):
            result.problems.append(Problem(ERROR, "wrong-period", file=result.path,
                                           params={"found": sub.period, "expected": period}))
        result.period = (sub.period or period).code if (sub.period or period) else ""
    return period


def _content(result: FileResult) -> frozenset:
    return frozenset((r.form, r.unit, tuple(sorted(r.values.items()))) for r in result.records)


# A file named as a correction of another: "lần 2", "bổ sung", "sửa", "điều chỉnh".
_CORRECTION = re.compile(r"\b(?:lan\s*(?:[2-9]|thu\s*[2-9]|hai|ba)|bo\s*sung|sua(?:\s*doi)?|"
                         r"dieu\s*chinh|thay\s*the|cap\s*nhat)\b")
MOST_DIFFERENCES = 3


def named_as_correction(path: str) -> bool:
    """Whether a file's name says it corrects an earlier one ("BC quy I lan 2.xlsx")."""
    return bool(_CORRECTION.search(fold_ascii(Path(path).stem).replace("_", " ")))


def _differences(one: FileResult, two: FileResult,
                 forms: FormSet | None) -> tuple[tuple[str, str, float, float], ...]:
    """Up to three figures the two files give differently for the same unit: (unit,
    indicator, this file's, the other's)."""
    theirs = {(r.form, r.unit): r for r in two.records if r.unit}
    found = []
    for record in one.records:
        other = theirs.get((record.form, record.unit))
        if other is None:
            continue
        for code, value in record.values.items():
            if other.values.get(code, 0) != value:
                label = forms.forms[record.form].indicator(code).label if forms else code
                found.append((record.label or record.unit, label, value, other.values.get(code, 0)))
                if len(found) == MOST_DIFFERENCES:
                    return tuple(found)
    return tuple(found)


def resolve_duplicates(subs: list[Submission], prefer: str | None,
                       forms: FormSet | None = None) -> None:
    """Identical copies count once; differing copies are a conflict unless --prefer newest
    (by the files' modification times). A conflict names the figures that differ (with
    `forms`, by their labels) and a file named as a correction."""
    owner: dict[tuple[str, str], FileResult] = {}
    for sub in subs:
        result = sub.result
        if result.status != ACCEPTED:
            continue
        keys = {(r.form, r.unit) for r in result.records if r.unit}
        # FileResult is unhashable (a mutable dataclass): distinct owners by identity.
        others = {id(owner[k]): owner[k] for k in sorted(keys & owner.keys())}
        for other in others.values():
            if other.status != ACCEPTED or result.status != ACCEPTED:
                continue
            name = result.unit_name or result.unit
            if _content(other) == _content(result):
                result.set_aside_for("duplicate-file", other=other.path)
            elif prefer == "newest" and other.mtime != result.mtime:
                older, newer = sorted((other, result), key=lambda f: f.mtime)
                older.set_aside_for("superseded", other=newer.path)
            else:  # no choice asked, or none to make: saved at the same time, never guessed
                fix = "same-time" if prefer == "newest" else "keep-one"
                corrections = [f.path for f in (result, other) if named_as_correction(f.path)]
                correction = corrections[0] if len(corrections) == 1 else ""
                for one, two in ((result, other), (other, result)):
                    differences = _differences(one, two, forms)
                    one.problems.append(Problem(ERROR, "conflict", file=one.path, unit=name,
                                                params={"name": name, "other": two.path,
                                                        "differences": differences,
                                                        "correction": correction,
                                                        "fix": fix}))
        if result.status == ACCEPTED:
            owner.update(dict.fromkeys(keys, result))


def set_aside_own_summaries(subs: list[Submission]) -> None:
    """A summary antq wrote is never counted together with files that hold its rows.

    When other files of the run hold every row of it, the summary is the output of an earlier
    run saved beside the communes' files: it is skipped (own-summary). When they hold only
    some of its rows, those files were sent up twice (to the district, which summed them, and
    to this level): each whose rows the summary holds unchanged is skipped as a copy, so the
    summary's other units still count; a file whose figures differ is left to
    resolve_duplicates, which reports the conflict. Summaries of other units (the district
    summaries a province merges) share no rows with anything and are merged as they are.
    """
    if not any(s.result.summary_of and s.result.status == ACCEPTED for s in subs):
        return  # the usual run: no summary among the files, nothing to compare
    plain: dict[tuple[str, str], FileResult] = {
        key: s.result for s in subs if s.result.status == ACCEPTED and not s.result.summary_of
        for key in _rows(s.result)}
    for sub in subs:
        result = sub.result
        if result.status != ACCEPTED or not result.summary_of:
            continue
        rows = _rows(result)
        shared = rows.keys() & plain.keys()
        if shared and shared == rows.keys():
            result.set_aside_for("own-summary", scope=result.summary_of, rows=len(shared),
                                 total=len(result.records))
            continue
        copies = {id(plain[key]): plain[key] for key in sorted(shared)}
        for copy in copies.values():
            if copy.status == ACCEPTED and _rows(copy).items() <= rows.items():
                copy.set_aside_for("duplicate-file", other=result.path)


def _rows(result: FileResult) -> dict[tuple[str, str], tuple]:
    """(form, unit) → the row's figures, for every identified row of a file."""
    return {(r.form, r.unit): tuple(sorted(r.values.items())) for r in result.records if r.unit}


def set_aside_outside(subs: list[Submission], registry: Registry, scope: Unit) -> None:
    """A file whose rows (or, when no row is known, whose sender) all lie outside the scope is
    skipped, saying so: another unit's report, accepted or not, is not this merge's business."""
    for sub in subs:
        result = sub.result
        if result.set_aside:
            continue
        units = [r.unit for r in result.records if r.unit and registry.get(r.unit)]
        if not units and result.unit and registry.get(result.unit):
            units = [result.unit]
        if units and not any(registry.contains(scope.code, unit) for unit in units):
            result.set_aside_for("outside-scope", scope=scope.name)


def validate_files(paths: Iterable[Path | Source | FileResult], forms: FormSet,
                   registry: Registry | None = None, period: Period | None = None,
                   settings: RunSettings = RunSettings(),
                   named: Collection[Path] = ()) -> list[FileResult]:
    """Check files one by one (a period is checked only when given); a Source names the
    folder its file was found under. A file `named` (given by itself, not found in a folder)
    that is not a spreadsheet is an error: the user asked for it to be checked, so it cannot
    just be skipped."""
    subs = read_files(paths, forms, registry, settings)
    if period is not None:
        check_periods(subs, period, strict=True)
    else:
        for sub in subs:
            sub.result.period = sub.period.code if sub.period else ""
    asked = {Path(path) for path in named}
    for sub in subs:
        result = sub.result
        if result.set_aside == "not-a-spreadsheet" and Path(result.path) in asked:
            result.set_aside = ""
            result.problems = [p for p in result.problems if p.code != "not-a-spreadsheet"]
            result.problems.append(Problem(ERROR, "unreadable-file", file=result.path,
                                           params={"reason": "not-a-table"}))
    return [s.result for s in subs]


def synthetic_registry(subs: list[Submission], forms: FormSet) -> Registry:
    """Units as the accepted files name them, when the user gives no registry."""
    units: dict[str, Unit] = {}
    for sub in subs:
        result = sub.result
        if result.status != ACCEPTED or not result.unit:
            continue
        units.setdefault(result.unit, Unit(result.unit, result.unit_name, "commune"))
        for record in result.records:
            form = forms.forms[record.form]
            if record.unit and record.unit not in units:
                parent = result.unit if form.row_level != form.sender_level else None
                units[record.unit] = Unit(record.unit, record.label or record.unit,
                                          form.row_level, parent)
    return Registry.from_units(units.values(), source=None)


def _scope(subs: list[Submission], registry: Registry, scope_code: str | None) -> Unit | None:
    if scope_code:
        return registry.find_code(scope_code)
    codes = {s.result.unit for s in subs if s.result.unit and registry.get(s.result.unit)}
    codes |= {r.unit for s in subs for r in s.result.records if r.unit and registry.get(r.unit)}
    if codes:
        return registry.common_ancestor(codes)
    roots = registry.roots()  # nothing identified: the registry's whole tree is expected
    return roots[0] if len(roots) == 1 else None


def merge_files(paths: list[Found], forms: FormSet,
                registry: Registry | LateRegistry | None = None,
                period: Period | None = None, scope: str | None = None,
                prefer: str | None = None, progress: Progress | None = None,
                settings: RunSettings = RunSettings(), root: Path | None = None) -> MergeResult:
    """Validate every file, merge the accepted ones, roll them up and find who is missing.

    A LateRegistry is loaded once the files are being read, while they are read. `root`: the
    folder the files were found under (its folders tell who sent each file).
    """
    subs = read_files(paths, forms, registry, settings, progress, root, scope)
    if isinstance(registry, LateRegistry):  # loaded while the files were read
        registry = registry.get()
    run_period = check_periods(subs, period)
    roles = {id(s): over_time.role(s.period, run_period) for s in subs}
    current = [s for s in subs if roles[id(s)] == "current"]
    set_aside_own_summaries(current)
    resolve_duplicates(current, prefer, forms)
    for quarter in {s.period for s in subs if roles[id(s)] in ("part", "earlier")}:
        resolve_duplicates([s for s in subs if s.period == quarter], prefer, forms)
    units = registry if registry is not None else synthetic_registry(subs, forms)
    scope_unit = _scope(subs, units, scope)
    if scope_unit is not None:
        set_aside_outside(subs, units, scope_unit)
    records: list[Record] = [r for s in current if s.result.status == ACCEPTED
                             for r in s.result.records]
    parts = [s for s in subs if roles[id(s)] == "part"]
    composed = over_time.compose(current, parts, run_period, forms) \
        if run_period is not None and parts else over_time.Composed()
    records += composed.records
    result = MergeResult([s.result for s in subs], run_period, registry=units,
                         has_registry=registry is not None, scope_given=bool(scope))
    result.rollup = rollup(records, units, forms, scope_unit, left_out(records, forms))
    result.records = [r for r in records if r.unit in result.rollup.values]
    result.incomplete = composed.incomplete
    earlier = [s for s in subs if roles[id(s)] == "earlier"]
    if earlier:
        result.year_to_date = _year_to_date(current, earlier, run_period, forms, units,
                                            scope_unit)
        before = max((s.period for s in earlier), key=lambda p: p.number)  # the one just before
        unusual_changes([s.result for s in current],
                        [s.result for s in earlier if s.period == before], forms)
    if registry is not None:
        result.missing_by_form = find_missing(subs, registry, forms, scope_unit, composed,
                                              current)
        result.missing = merge_missing(result.missing_by_form)
    return result


def _year_to_date(current: list[Submission], earlier: list[Submission], period: Period,
                  forms: FormSet, units: Registry, scope: Unit | None
                  ) -> dict[str, int | float | None]:
    """The scope's figures from the start of the year: the earlier quarters and this one,
    made as a longer period is (flows added, stocks the latest, "none" left out)."""
    needed = (*over_time.earlier_quarters(period), period)
    made = over_time.compose([], [*earlier, *current], period, forms, needed)
    return rollup(made.records, units, forms, scope, left_out(made.records, forms)).figures(None)


def left_out(records: list[Record], forms: FormSet) -> dict[str, set[str]]:
    """indicator -> the units whose row has no figure for it: made of quarters that cannot
    make it, or read from a summary that said so (never a blank read as 0)."""
    found: dict[str, set[str]] = {}
    for record in records:
        form = forms.forms[record.form]
        if len(record.values) < len(form.indicators) and record.unit:
            for indicator in form.indicators:
                if indicator.code not in record.values:
                    found.setdefault(indicator.code, set()).add(record.unit)
    return found
