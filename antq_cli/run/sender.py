"""Who sent a file: the evidence it gives about its sender, weighed strongest first.

A file tells who sent it in several ways (SPEC, "the unit that sent a file"), strongest first:
a unit-code column; an "Đơn vị báo cáo:" line; the title block's unit line ("CÔNG AN XÃ TÂN
HÀ") with its superior line ("CÔNG AN HUYỆN HÀM TÂN", above or below it); the folders between
the merge root and the file, and the root's own name; the file name; --scope; the rows' names.
The strongest evidence that names a unit proposes the candidates: every registry unit of that
name, since two communes may share one. Each weaker piece then narrows them, when it agrees
with at least one (a misplaced file's folder does not overrule its title). A title naming a
unit the registry does not hold is refused, never re-attributed by the rows; candidates left
standing are refused, each named with its code and superior.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..forms import FormSet
from ..model import LEVEL_RANK, LEVELS
from ..text import fold_ascii
from ..units.registry import Registry, Unit
from .submission import Claim, Submission, type_levels

# The levels a sender may be, nearest the rows first; a line without a type word
# ("Đơn vị báo cáo: Tân Hà") is tried at each.
SENDER_LEVELS = ("commune", "district", "province")
REFUSED = ("unknown-sender", "ambiguous-sender", "sender-mismatch")

_WORDS = re.compile(r"[a-z0-9]+")
# Words of a file name that are about the report, not its sender: a span made only of these
# is never taken for a unit's name ("bao cao", "quy", "bieu 01").
_REPORT_WORDS = frozenset(
    "bc bao cao bieu so lieu quy nam thang ky antq ket qua phong trao toan dan bv bao ve an ninh "
    "to quoc tong hop lan bo sung sua dieu chinh ban moi cu final file sao chep copy ve gui "
    "q1 q2 q3 q4 h1 h2 i ii iii iv".split())
_LONGEST_SPAN = 4


@dataclass(slots=True)
class Verdict:
    """The sender the evidence names, or why none: `problem` is "" (found), a code of
    REFUSED (the file is rejected) or "sender-unknown" (no evidence names anyone)."""

    unit: Unit | None
    problem: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # what named the sender: a Claim's source, "code" or "rows"


def describe(units: Iterable[Unit], registry: Registry) -> tuple[tuple[str, str, str], ...]:
    """(name, code, superior's name) of each unit, as a message lists them."""
    return tuple((u.name, u.code, registry[u.parent].name if u.parent else "") for u in units)


def weigh(sub: Submission, forms: FormSet, registry: Registry,
          scope: Unit | None = None) -> Verdict:
    """The file's sender, weighing its evidence strongest first (see the module's docstring)."""
    evidence = sub.evidence
    coded = _coded_units(sub, registry)
    claim, superiors = claim_of(evidence.unit_line, evidence.title)
    if claim is not None and not set(claim.levels or SENDER_LEVELS) & set(registry.levels):
        claim = None  # a level the registry has none of (a district, in a 2025 registry)
    named = claim
    if claim is not None:
        candidates = registry.named(claim.name, claim.levels or SENDER_LEVELS)
        if not candidates:
            return _unknown(claim, registry, superiors[0] if superiors else None)
        candidates, refusal = _under_superiors(claim, candidates, superiors, registry)
        if refusal is not None:
            return refusal
    elif coded:
        owner = _owner(coded, registry, several=True)
        candidates = [owner] if owner is not None else []
    else:
        candidates = _file_name_candidates(evidence.file_name, evidence.stem, registry)
        named = Claim((), candidates[0].name, "file-name") if candidates else None
    if not candidates:
        owner = rows_owner(sub, registry, forms, _context_unit(sub, registry, scope))
        candidates = [owner] if owner is not None else []
    if not candidates:
        return Verdict(None, "sender-unknown")
    for narrow in (_by_codes, _by_folders, _by_file_name, _by_scope, _by_rows):
        if len(candidates) < 2:
            break
        candidates = narrow(candidates, sub, registry, forms, coded, scope) or candidates
    if len(candidates) > 1:
        return Verdict(None, "ambiguous-sender", {
            "name": named.name if named else candidates[0].name,
            "source": named.source if named else "rows",
            "candidates": describe(candidates, registry)})
    source = named.source if named else ("code" if coded else "rows")
    return Verdict(_refined(candidates[0], sub, registry, forms), source=source)


# -------------------------------------------------------------------- the claim and its superiors

def claim_of(unit_line: Claim | None,
             title: tuple[Claim, ...]) -> tuple[Claim | None, list[Claim]]:
    """The unit the file says sent it (the "Đơn vị báo cáo:" line, else the title block's
    lowest unit line) and the title's lines above it (its superiors)."""
    def rank(claim: Claim) -> int:
        return max((LEVEL_RANK[level] for level in claim.levels), default=LEVEL_RANK["commune"])

    claim = unit_line or (max(title, key=rank) if title else None)
    if claim is None:
        return None, []
    superiors = [c for c in title if c.levels and rank(c) < rank(claim)]
    return claim, superiors


def _unknown(claim: Claim, registry: Registry, superior: Claim | None = None,
             elsewhere: list[Unit] | None = None) -> Verdict:
    """A title (or "Đơn vị báo cáo:" line) naming a unit the registry does not hold (under
    the superior it names, when `elsewhere` lists the units of that name it does hold)."""
    suggestions: tuple[str, ...] = ()
    if elsewhere is None:
        for level in claim.levels or SENDER_LEVELS:
            if level in registry.levels:
                suggestions = registry.find(claim.name, level).suggestions
                break
    return Verdict(None, "unknown-sender", {
        "name": claim.name, "source": claim.source,
        "superior": superior.name if superior else "",
        "elsewhere": describe(elsewhere or (), registry),
        "suggestions": ", ".join(suggestions)})


def _under_superiors(claim: Claim, candidates: list[Unit], superiors: list[Claim],
                     registry: Registry) -> tuple[list[Unit], Verdict | None]:
    """The candidates under every superior line the registry knows; a superior that holds
    none of them makes the title name a unit the registry does not hold."""
    for superior in superiors:
        above = registry.named(superior.name, superior.levels)
        if not above:
            continue  # a level the registry lacks (no districts since 2025), or a typo
        under = [c for c in candidates if any(registry.contains(a.code, c.code) for a in above)]
        if not under:
            return candidates, _unknown(claim, registry, superior, candidates)
        candidates = under
    return candidates, None


# -------------------------------------------------------------------- what narrows the candidates

def _inside(candidates: list[Unit], units: Iterable[Unit], registry: Registry) -> list[Unit]:
    units = list(units)
    return [c for c in candidates if any(registry.contains(u.code, c.code) for u in units)]


def _by_codes(candidates, sub, registry, forms, coded, scope) -> list[Unit]:
    """The candidates holding every row found by its code."""
    return [c for c in candidates if all(registry.contains(c.code, u.code) for u in coded)]


def _by_folders(candidates, sub, registry, forms, coded, scope) -> list[Unit]:
    """Narrowed by each folder, nearest first, that names a unit holding some of them."""
    for folder in sub.evidence.folders:
        inside = _inside(candidates, mentioned(folder, registry), registry)
        candidates = inside or candidates
    return candidates


def _by_file_name(candidates, sub, registry, forms, coded, scope) -> list[Unit]:
    """Narrowed by the units the file name mentions ("Tan Ha (Ham Tan) Q1"), other than the
    candidates themselves."""
    mentions = [unit for _, units in _name_spans(sub.evidence.stem, registry) for unit in units
                if unit not in candidates]
    return _inside(candidates, mentions, registry)


def _by_scope(candidates, sub, registry, forms, coded, scope) -> list[Unit]:
    return _inside(candidates, [scope], registry) if scope is not None else []


def _by_rows(candidates, sub, registry, forms, coded, scope) -> list[Unit]:
    """The candidates under which the most rows' names are found (the last tie-breaker)."""
    counts = {c.code: 0 for c in candidates}
    for record in sub.result.records:
        if not record.label or record.code:
            continue
        level = forms.forms[record.form].row_level
        for candidate in candidates:
            if registry.lookup(record.label, level, candidate.code) is not None:
                counts[candidate.code] += 1
    best = max(counts.values(), default=0)
    return [c for c in candidates if counts[c.code] == best] if best else []


def mentioned(name: str, registry: Registry) -> list[Unit]:
    """The units a folder's name names: by code ("601"), or by name at the level its type
    word says ("Huyện Hàm Tân"), else at any level that sends ("Ham Tan")."""
    text = name.strip()
    if text.isdigit():
        unit = registry.get(text)
        return [unit] if unit is not None else []
    levels = type_levels(text) or SENDER_LEVELS
    found: list[Unit] = []
    held = registry.levels
    for level in levels:
        if level in held:
            match = registry.find(text, level, suggest=False)
            found += [match.unit] if match.unit else list(match.candidates)
    return found


# -------------------------------------------------------------------- the file name

def _name_spans(stem: str, registry: Registry) -> list[tuple[int, list[Unit]]]:
    """(words, units) of each run of words of the file name that names units of a sending
    level, longest first from the left ("Binh An (Ham Son) Q1" → Bình An, Hàm Sơn)."""
    words = _WORDS.findall(fold_ascii(stem))
    found = []
    start = 0
    while start < len(words):
        for end in range(min(len(words), start + _LONGEST_SPAN), start, -1):
            span = words[start:end]
            if all(word in _REPORT_WORDS or word.isdigit() for word in span):
                continue
            units = mentioned(" ".join(span), registry)
            if units:
                found.append((len(span), units))
                start = end
                break
        else:
            start += 1
    return found


def _file_name_candidates(claims: tuple[Claim, ...], stem: str,
                          registry: Registry) -> list[Unit]:
    """The units the file name says sent it: after a type word ("xa Tan Duc"), else the
    first name of two words or more it holds, the lowest level first."""
    for claim in claims:
        units = registry.named(claim.name, claim.levels)
        if units:
            return units
    for words, units in _name_spans(stem, registry):
        if words >= 2:
            lowest = max(LEVEL_RANK[u.level] for u in units)
            return [u for u in units if LEVEL_RANK[u.level] == lowest]
    return []


# -------------------------------------------------------------------- the rows

def _coded_units(sub: Submission, registry: Registry) -> list[Unit]:
    """The units of the rows found by their code."""
    units = []
    for record in sub.result.records:
        if record.code:
            unit = registry.find_code(record.code)
            if unit is not None:
                units.append(unit)
    return units


def _owner(units: list[Unit], registry: Registry, several: bool) -> Unit | None:
    """The unit that sends rows of these units: their commune when they share one, else,
    when `several` senders' rows may be one file's (a district's workbook), the smallest
    unit above them all."""
    communes = LEVEL_RANK["commune"]
    senders = {unit.code for unit in units if LEVEL_RANK[unit.level] <= communes}
    senders |= registry.owners([unit.code for unit in units
                                if LEVEL_RANK[unit.level] > communes], "commune")
    if len(senders) == 1:
        return registry[senders.pop()]
    if not senders or not several:
        return None
    return registry.common_ancestor(senders)


def section_unit(label: str, row_level: str, registry: Registry,
                 within: str | None) -> Unit | None:
    """The unit a section row names ("I | Xã Tân Hà"): one of a level above the rows'."""
    above = LEVELS[:LEVEL_RANK[row_level]][::-1]
    units = registry.named(label, above, within) if above else []
    return units[0] if len(units) == 1 else None


def rows_owner(sub: Submission, registry: Registry, forms: FormSet,
                within: Unit | None) -> Unit | None:
    """The sender the rows alone point to: the units found by code or by a name unique
    (under `within`), and the units their section rows name."""
    units = _coded_units(sub, registry)
    within_code = within.code if within else None
    several = False
    for record in sub.result.records:
        if record.label and not record.code:
            unit = registry.lookup(record.label, forms.forms[record.form].row_level, within_code)
            if unit is not None:
                units.append(unit)
    for sheet, sections in sub.sections.items():
        level = next((forms.forms[r.form].row_level for r in sub.result.records
                      if r.sheet == sheet), None)
        for _, label in sections if level else ():
            unit = section_unit(label, level, registry, within_code)
            if unit is not None:
                units.append(unit)
                several = True
    several = several or any(forms.forms[f].row_level == forms.forms[f].sender_level
                             and sum(r.form == f for r in sub.result.records) > 1
                             for f in sub.result.forms)
    return _owner(units, registry, several) if units else None


def _context_unit(sub: Submission, registry: Registry, scope: Unit | None) -> Unit | None:
    """The smallest unit the folders (or else --scope) put the file in, to look its rows'
    names up within."""
    for folder in sub.evidence.folders:
        units = mentioned(folder, registry)
        if len(units) == 1:
            return units[0]
    return scope


def _refined(sender: Unit, sub: Submission, registry: Registry, forms: FormSet) -> Unit:
    """A district (or province) named by the title alone, whose rows are one commune's
    villages (the commune left its own line out): that commune."""
    if LEVEL_RANK[sender.level] >= LEVEL_RANK["commune"] or sub.sections:
        return sender
    if not any(forms.forms[f].row_level == "village" for f in sub.result.forms):
        return sender
    named = _file_name_candidates(sub.evidence.file_name, sub.evidence.stem, registry)
    inside = [u for u in named if u.level == "commune" and registry.contains(sender.code, u.code)]
    if len(inside) == 1:
        return inside[0]
    owner = rows_owner(sub, registry, forms, sender)
    if owner is not None and owner.level == "commune" \
            and registry.contains(sender.code, owner.code):
        return owner
    return sender
