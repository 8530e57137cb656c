"""The two jobs: validate files, and merge a folder of submissions into one scope's totals.

Every input file ends as accepted, rejected or skipped, with its reasons; one bad file never
stops the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..forms import FormSet
from ..model import (
    ACCEPTED,
    ERROR,
    REJECTED,
    SKIPPED,
    WARNING,
    FileResult,
    Problem,
    Record,
)
from ..periods import Period
from ..settings import RunSettings
from ..units.registry import Registry, Unit
from .files import LateRegistry, Progress, read_files
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

    @property
    def exit_code(self) -> int:
        """0 when every file was accepted and no unit is missing, else 1."""
        clean = all(f.status == ACCEPTED or _only_skipped_ok(f) for f in self.files)
        return 0 if clean and not self.missing else 1


_HARMLESS_SKIPS = ("duplicate-file", "not-a-spreadsheet", "own-summary", "outside-scope",
                   "lock-file")


def _only_skipped_ok(result: FileResult) -> bool:
    """A file set aside for a harmless reason (a copy, a note, our own summary) with no error:
    its warnings (say total-not-computed) do not make the run's exit code 1."""
    return result.status == SKIPPED and result.set_aside in _HARMLESS_SKIPS


def check_periods(subs: list[Submission], wanted: Period | None) -> Period | None:
    """Settle the run's period (given, else the most common in the files); reject the others."""
    found = Counter(s.period for s in subs if s.period and s.result.forms)
    period = wanted or (found.most_common(1)[0][0] if found else None)
    for sub in subs:
        result = sub.result
        if not result.forms:
            continue
        if sub.period is None and period is not None:
            result.problems.append(Problem(WARNING, "period-not-found", file=result.path,
                                           params={"assumed": period}))
        elif period is not None and sub.period != period:
            result.problems.append(Problem(ERROR, "wrong-period", file=result.path,
                                           params={"found": sub.period, "expected": period}))
        result.period = (sub.period or period).code if (sub.period or period) else ""
    return period


def _content(result: FileResult) -> frozenset:
    return frozenset((r.form, r.unit, tuple(sorted(r.values.items()))) for r in result.records)


def resolve_duplicates(subs: list[Submission], prefer: str | None) -> None:
    """Identical copies count once; differing copies are a conflict unless --prefer newest."""
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
                for one, two in ((result, other), (other, result)):
                    one.problems.append(Problem(ERROR, "conflict", file=one.path, unit=name,
                                                params={"name": name, "other": two.path,
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
    """A file none of whose rows lies in the --scope unit is skipped, saying so."""
    for sub in subs:
        result = sub.result
        if result.status != ACCEPTED or not result.records:
            continue
        if not any(r.unit and registry.contains(scope.code, r.unit) for r in result.records):
            result.set_aside_for("outside-scope", scope=scope.name)


def validate_files(paths: Iterable[Path], forms: FormSet, registry: Registry | None = None,
                   period: Period | None = None,
                   settings: RunSettings = RunSettings()) -> list[FileResult]:
    """Check files one by one (a period is checked only when given)."""
    subs = read_files(paths, forms, registry, settings)
    if period is not None:
        check_periods(subs, period)
    else:
        for sub in subs:
            sub.result.period = sub.period.code if sub.period else ""
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
    return registry.common_ancestor(codes) if codes else None


def _coverage(subs: list[Submission], registry: Registry, form: str, level: str,
              status: str) -> set[str]:
    """Units of `level` that files of this status cover for `form` (as sender or by rows)."""
    covered = set()
    for sub in subs:
        result = sub.result
        if result.status != status or form not in result.forms:
            continue
        codes = [result.unit, *(r.unit for r in result.records if r.form == form)]
        for code in codes:
            unit = registry.get(code) if code else None
            owner = None if unit is None else (
                unit if unit.level == level else registry.ancestor_at(code, level))
            if owner is not None:
                covered.add(owner.code)
    return covered


def expected_units(registry: Registry, scope: Unit | None, level: str) -> list[Unit]:
    """The units of `level` that the scope holds (the scope itself when it is of that level)."""
    if scope is None:
        return registry.units(level)
    if scope.level == level:
        return [scope]
    return registry.descendants(scope.code, level)


def find_missing(subs: list[Submission], registry: Registry, forms: FormSet,
                 scope: Unit | None) -> dict[str, list[tuple[Unit, str]]]:
    """Per form in play: units of its sending level under the scope with no accepted file.

    A form is in play when any file of the run holds it; the reason is `rejected` when a
    file of that unit for that form was rejected, else `not-sent`.
    """
    in_play = [f for f in forms.forms.values() if any(f.id in s.result.forms for s in subs)]
    missing: dict[str, list[tuple[Unit, str]]] = {}
    for form in in_play:
        sent = _coverage(subs, registry, form.id, form.sender_level, ACCEPTED)
        rejected = _coverage(subs, registry, form.id, form.sender_level, REJECTED)
        missing[form.id] = [
            (unit, "rejected" if unit.code in rejected else "not-sent")
            for unit in expected_units(registry, scope, form.sender_level)
            if unit.code not in sent
        ]
    return missing


def merge_missing(by_form: dict[str, list[tuple[Unit, str]]]) -> list[tuple[Unit, str]]:
    """One entry per unit missing any form in play; `rejected` wins over `not-sent`."""
    merged: dict[str, tuple[Unit, str]] = {}
    for entries in by_form.values():
        for unit, reason in entries:
            if unit.code not in merged or reason == "rejected":
                merged[unit.code] = (unit, reason)
    return sorted(merged.values(), key=lambda item: item[0].code)


def merge_files(paths: list[Path], forms: FormSet,
                registry: Registry | LateRegistry | None = None,
                period: Period | None = None, scope: str | None = None,
                prefer: str | None = None, progress: Progress | None = None,
                settings: RunSettings = RunSettings()) -> MergeResult:
    """Validate every file, merge the accepted ones, roll them up and find who is missing.

    A LateRegistry is loaded once the files are being read, while they are read.
    """
    subs = read_files(paths, forms, registry, settings, progress)
    if isinstance(registry, LateRegistry):  # loaded while the files were read
        registry = registry.get()
    run_period = check_periods(subs, period)
    set_aside_own_summaries(subs)
    resolve_duplicates(subs, prefer)
    units = registry if registry is not None else synthetic_registry(subs, forms)
    scope_unit = _scope(subs, units, scope)
    if scope_unit is not None:
        set_aside_outside(subs, units, scope_unit)
    records: list[Record] = [r for s in subs if s.result.status == ACCEPTED
                             for r in s.result.records]
    result = MergeResult([s.result for s in subs], run_period, registry=units,
                         has_registry=registry is not None)
    result.rollup = rollup(records, units, forms, scope_unit)
    if registry is not None:
        result.missing_by_form = find_missing(subs, registry, forms, scope_unit)
        result.missing = merge_missing(result.missing_by_form)
    return result

