"""Who is missing: the units of the sending level under the scope with no accepted file for a
form in play, why (not sent, rejected, a quarter short of the run's longer period), and the
villages the accepted files leave out of the communes they cover.
"""

from __future__ import annotations

from ..forms import FormSet
from ..model import ACCEPTED, REJECTED
from ..units.registry import Registry, Unit
from . import over_time
from .submission import Submission


def _coverage(subs: list[Submission], registry: Registry, form: str, level: str,
              status: str) -> set[str]:
    """Units of `level` that files of this status cover for `form` (as sender or by rows)."""
    codes: set[str] = set()
    for sub in subs:
        result = sub.result
        if result.status == status and form in result.forms:
            codes.add(result.unit)
            codes.update(r.unit for r in result.records if r.form == form)
    return registry.owners(codes, level)


def expected_units(registry: Registry, scope: Unit | None, level: str) -> list[Unit]:
    """The units of `level` that the scope holds (the scope itself when it is of that level)."""
    if scope is None:
        return registry.units(level)
    if scope.level == level:
        return [scope]
    return registry.descendants(scope.code, level)


def find_missing(subs: list[Submission], registry: Registry, forms: FormSet,
                 scope: Unit | None, composed: over_time.Composed | None = None,
                 current: list[Submission] | None = None) -> dict[str, list[tuple[Unit, str]]]:
    """Per form in play: units of its sending level under the scope with no accepted file,
    then the villages the accepted files of the run's period leave out (not sent).

    A form is in play when any file of the run holds it; the reason is `rejected` when a
    file of that unit for that form was rejected, `incomplete` when its quarters lack one to
    make the run's longer period, else `not-sent`. Units whose quarters made the period count
    as sent; `current`: the files of the run's own period (default: all of `subs`).
    """
    # The forms some file holds; when none does (nothing readable was sent), all of them.
    in_play = [f for f in forms.forms.values() if any(f.id in s.result.forms for s in subs)] \
        or list(forms.forms.values())
    composed = composed or over_time.Composed()
    missing: dict[str, list[tuple[Unit, str]]] = {}
    for form in in_play:
        sent = _coverage(subs if current is None else current, registry, form.id,
                         form.sender_level, ACCEPTED)
        sent |= registry.owners([r.unit for r in composed.records if r.form == form.id],
                                form.sender_level)
        short = registry.owners(composed.incomplete.get(form.id, {}), form.sender_level)
        rejected = _coverage(subs, registry, form.id, form.sender_level, REJECTED)
        missing[form.id] = [
            (unit, "rejected" if unit.code in rejected else
             "incomplete" if unit.code in short else "not-sent")
            for unit in expected_units(registry, scope, form.sender_level)
            if unit.code not in sent
        ] + [(unit, "not-sent") for unit in _unlisted(subs if current is None else current,
                                                       registry, form.id, scope)]
    return missing


def _unlisted(subs: list[Submission], registry: Registry, form: str,
              scope: Unit | None) -> list[Unit]:
    """The units (villages) the accepted files of a form leave out of the communes they
    cover, under the scope, that no other accepted file has a row for."""
    accepted = [s.result for s in subs if s.result.status == ACCEPTED]
    left = {code for result in accepted for code in result.unlisted.get(form, ())}
    if not left:
        return []
    left -= {r.unit for result in accepted for r in result.records if r.form == form}
    units = [registry[code] for code in sorted(left) if code in registry]
    return [u for u in units if scope is None or registry.contains(scope.code, u.code)]


def merge_missing(by_form: dict[str, list[tuple[Unit, str]]]) -> list[tuple[Unit, str]]:
    """One entry per unit missing any form in play; `rejected` wins over `not-sent`."""
    merged: dict[str, tuple[Unit, str]] = {}
    for entries in by_form.values():
        for unit, reason in entries:
            if unit.code not in merged or reason == "rejected":
                merged[unit.code] = (unit, reason)
    return sorted(merged.values(), key=lambda item: item[0].code)
