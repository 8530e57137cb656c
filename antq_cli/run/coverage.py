"""What a file's rows cover: the unit each section row names, whether the rows belong to the
sender at all, and the villages of the registry they leave out.

A district's workbook lists the villages of each commune under that commune's section row
("I | Xã Tân Hà"), so a "Thôn 1" is looked up within its section's commune. A commune's file
that lists 2 of its 6 villages leaves 4 out: they are named in a warning and kept as data
(`FileResult.unlisted`), so a merge counts them as not sent.
"""

from __future__ import annotations

from bisect import bisect_right

from ..forms import FormSet
from ..model import ERROR, WARNING, Problem, Record
from ..units.registry import Registry, Unit
from .sender import describe, rows_owner, section_unit
from .submission import Submission

# The problems of rows whose unit could not be told: a file whose rows all have one names
# its sender wrongly (sender-mismatch) when they all belong to another unit.
ROW_PROBLEMS = frozenset({"unknown-unit", "ambiguous-unit", "unit-outside-sender",
                          "wrong-level"})


class Sections:
    """The unit each section row of a file names (None for one naming none, "I | Các xã
    vùng cao"), and the section each record lies in."""

    def __init__(self, sub: Submission, forms: FormSet, registry: Registry,
                 sender: Unit | None) -> None:
        self._sheets: dict[str, tuple[list[int], list[Unit | None]]] = {}
        if not sub.sections:
            return
        levels = {r.sheet: forms.forms[r.form].row_level for r in sub.result.records}
        within = sender.code if sender is not None else None
        for sheet, rows in sub.sections.items():
            if sheet in levels:
                units = [section_unit(label, levels[sheet], registry, within) for _, label in rows]
                self._sheets[sheet] = ([row for row, _ in rows], units)

    def unit_of(self, record: Record) -> Unit | None:
        """The unit of the section the record lies in, if its section row names one."""
        found = self._sheets.get(record.sheet)
        if found is None:
            return None
        at = bisect_right(found[0], record.row) - 1
        return found[1][at] if at >= 0 else None

    def units(self) -> list[Unit]:
        """Every unit a section row names."""
        return [u for _, units in self._sheets.values() for u in units if u is not None]


def check_mismatch(sub: Submission, sender: Unit, source: str, registry: Registry,
                   forms: FormSet) -> bool:
    """True (and the file refused, naming both) when none of its rows lies in the sender its
    title names while they all belong to another unit: the title is another unit's, or the
    rows are. Rows never re-attribute a file."""
    result = sub.result
    if not result.records or any(record.unit for record in result.records):
        return False
    owner = rows_owner(sub, registry, forms, None)
    if owner is None or registry.contains(owner.code, sender.code) \
            or registry.contains(sender.code, owner.code):
        return False
    result.problems = [p for p in result.problems if p.code not in ROW_PROBLEMS]
    result.problems.append(Problem(ERROR, "sender-mismatch", file=result.path, params={
        "name": sender.name, "code": sender.code, "source": source,
        "other": owner.name, "other_code": owner.code,
        "units": describe([sender, owner], registry)}))
    return True


def find_unlisted(sub: Submission, forms: FormSet, registry: Registry, sender: Unit | None,
                  sections: list[Unit]) -> None:
    """Warn about the villages of the registry a file's village rows leave out, for each
    commune the file covers (the sender, or the communes of a district's workbook), and keep
    them in `unlisted`. Not said when a row's unit could not be told: that row may be one."""
    result = sub.result
    for form_id in result.forms:
        if forms.forms[form_id].row_level != "village":
            continue
        records = [r for r in result.records if r.form == form_id]
        if any(not r.unit for r in records):
            continue
        covered = {r.unit for r in records}
        communes = {u for u in sections if u.level == "commune"}
        communes |= {registry[code] for code in registry.owners(covered, "commune")}
        if sender is not None and sender.level == "commune":
            communes.add(sender)
        sheet = records[0].sheet if records else ""
        for commune in sorted(communes, key=lambda unit: unit.code):
            villages = registry.descendants(commune.code, "village")
            left = [v for v in villages if v.code not in covered]
            if not left:
                continue
            result.unlisted.setdefault(form_id, []).extend(v.code for v in left)
            result.problems.append(Problem(WARNING, "villages-missing", file=result.path,
                                           sheet=sheet, params={
                                               "commune": commune.name, "count": len(left),
                                               "total": len(villages),
                                               "names": tuple(v.name for v in left)}))
