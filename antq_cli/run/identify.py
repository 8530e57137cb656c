"""Who sent a file and which unit each of its rows is, by code or by name in the registry.

Rows are matched within the sending unit (many communes have a "Thôn 1"). Without a
registry, units are named by what the files say and keyed by their folded names.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..forms import Form, FormSet
from ..model import ERROR, WARNING, Problem, Record
from ..text import fold_ascii, strip_unit_prefix
from ..units.registry import Registry, Unit
from .coverage import Sections, check_mismatch, find_unlisted
from .sender import REFUSED, claim_of, weigh
from .submission import Submission, mark_hidden


def slug(name: str) -> str:
    """A stable key for a unit known only by name: "Thôn Tân Hòa" → "tan-hoa"."""
    return re.sub(r"[^a-z0-9]+", "-", strip_unit_prefix(fold_ascii(name))).strip("-")


def _problem(sub: Submission, record: Record | None, code: str, **params) -> Problem:
    problem = Problem(ERROR, code, file=sub.result.path, params=params)
    if record is not None:
        problem.sheet = record.sheet
        problem.cell = record.label_cell or next(iter(record.cells.values()), "")
        problem.unit = record.label or record.code
    return problem


def _resolve_row(sub: Submission, record: Record, sender: Unit | None, within: Unit | None,
                 registry: Registry, forms: FormSet, single: bool) -> Unit | None:
    """The unit of one row: by its code, else by its name under `within` (its section's unit,
    else the sender); None with the problem added."""
    form = forms.forms[record.form]
    if record.code:
        unit = registry.find_code(record.code)
        if unit is None:
            sub.result.problems.append(_problem(sub, record, "unknown-unit", name=record.code,
                                                within="registry-code", suggestions=""))
            return None
    elif not record.label:
        if single and sender is not None and sender.level == form.row_level:
            return sender
        sub.result.problems.append(_problem(sub, record, "unnamed-row"))
        return None
    else:
        where = within.code if within else None
        unit = registry.lookup(record.label, form.row_level, where)
        if unit is None:
            unit = _match_row(sub, record, within, registry, form, where)
        if unit is None:
            return None
    if unit.level != form.row_level:
        sub.result.problems.append(_problem(sub, record, "wrong-level", name=unit.name,
                                            level=unit.level, form=form.id,
                                            expected=form.row_level))
        return None
    if sender is not None and not registry.contains(sender.code, unit.code):
        sub.result.problems.append(_problem(sub, record, "unit-outside-sender", name=unit.name,
                                            sender=sender.name))
        return None
    return unit


def _match_row(sub: Submission, record: Record, sender: Unit | None, registry: Registry,
               form: Form, within: str | None) -> Unit | None:
    """The unit `registry.find` gives a row's name, or None with the problem added."""
    match = registry.find(record.label, form.row_level, within=within)
    if match.status == "ambiguous":
        sub.result.problems.append(_problem(
            sub, record, "ambiguous-unit", name=record.label,
            candidates=", ".join(f"{u.name} ({u.code})" for u in match.candidates)))
        return None
    if match.unit is None:
        suggestions = list(match.suggestions)
        if not suggestions and sender is not None:
            # Nothing close: list what the sender has, so the clerk can pick the right one.
            suggestions = [u.name for u in registry.descendants(sender.code, form.row_level)][:8]
        sub.result.problems.append(_problem(
            sub, record, "unknown-unit", name=record.label,
            within="sender" if sender else "registry", sender=sender.name if sender else "",
            suggestions=", ".join(suggestions)))
        return None
    return match.unit


def _check_duplicates(sub: Submission) -> None:
    seen: dict[tuple[str, str], Record] = {}
    for record in sub.result.records:
        if not record.unit:
            continue
        first = seen.setdefault((record.form, record.unit), record)
        if first is not record:
            problem = _problem(sub, record, "duplicate-unit", name=record.label or record.unit,
                               row=first.row, other_row=record.row)
            sub.result.problems.append(problem)


def identify(sub: Submission, forms: FormSet, registry: Registry | None,
             scope: str | None = None) -> None:
    """Set the file's sending unit and each record's unit; add the problems met doing so.

    `scope`: the --scope unit's code, a piece of evidence about who sent the file.
    """
    result = sub.result
    if registry is None:
        _identify_without_registry(sub, forms)
        mark_hidden(sub)
        return
    verdict = weigh(sub, forms, registry, registry.find_code(scope) if scope else None)
    if verdict.problem in REFUSED:
        result.problems.append(Problem(ERROR, verdict.problem, file=result.path,
                                       params=verdict.params))
        return
    if verdict.problem and result.records:
        result.problems.append(Problem(WARNING, verdict.problem, file=result.path))
    sender = verdict.unit
    if sender is not None:
        result.unit, result.unit_name = sender.code, sender.name
    counts = Counter(record.form for record in result.records)
    sections = Sections(sub, forms, registry, sender)
    for record in result.records:
        within = (sections.unit_of(record) if sub.sections else None) or sender
        unit = _resolve_row(sub, record, sender, within, registry, forms,
                            counts[record.form] == 1)
        record.unit = unit.code if unit else ""
    if sender is None or not check_mismatch(sub, sender, verdict.source, registry, forms):
        _check_duplicates(sub)
        find_unlisted(sub, forms, registry, sender, sections.units())
    mark_hidden(sub)


def _identify_without_registry(sub: Submission, forms: FormSet) -> None:
    result = sub.result
    evidence = sub.evidence
    claim = claim_of(evidence.unit_line, evidence.title)[0] or next(iter(evidence.file_name), None)
    name = claim.name if claim is not None else None
    own = [record for record in result.records if record.label
           and forms.forms[record.form].row_level == forms.forms[record.form].sender_level]
    if name is None and len(own) == 1 == len(result.records):
        name = own[0].label  # a commune's own Biểu 02: its one row names the commune
    if name is None:
        if result.records:
            result.problems.append(Problem(WARNING, "sender-unknown", file=result.path))
        name = Path(result.path).stem
    result.unit, result.unit_name = slug(name), name
    counts = Counter(record.form for record in result.records)
    for record in result.records:
        form = forms.forms[record.form]
        if form.row_level == form.sender_level and (counts[record.form] == 1 or not record.label):
            record.unit = result.unit if not record.label else slug(record.label)
        elif record.code:
            record.unit = record.code
        elif record.label:
            record.unit = f"{result.unit}/{slug(record.label)}"
        else:
            result.problems.append(_problem(sub, record, "unnamed-row"))
    _check_duplicates(sub)
