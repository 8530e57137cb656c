"""A blank submission for a unit and period (`antq template`), so units start from the right form.

One sheet per form that applies to the unit, as an official page (workbook/page.py): the
police unit under its superior and the national motto, "Số: …/BC-…" and the date line, the
form's name and title, the period and its data window; then the form to fill in
(workbook/blank.py): a row per unit of the form's row level from the registry (grouped under
their parent when the unit is two levels up) with a "Tổng cộng" row of formulas, or, for a
form of the unit's own single row (a commune's Biểu 02), the form turned round (STT | Nội
dung | ĐVT | Số liệu); then the note and the sign-off. The body is the official form, so it
stays in Vietnamese whatever `lang`: `lang` only changes the guidance a clerk reads (input
messages, error messages, the note).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..forms import Form, FormSet
from ..model import LEVELS, AntqError
from ..periods import DECREE_CLOSING, Closing, Period
from ..text import roman
from ..units.registry import Registry, Unit
from .official import issuer
from .safe import write_atomically
from .words import ERA_NAMES, LEVEL_NAMES, LevelName, format_window, ui
from .workbook import page as P
from .workbook.blank import FLAG_CHOICES, BlankFormats, write_blank
from .workbook.sheets import TEXT_STAYS_TEXT

# Rows left for names when the registry lists no unit of the form's row level under the unit
# (an official list has no villages): the clerk types the names.
BLANK_ROWS = 10
__all__ = ["FLAG_CHOICES", "BLANK_ROWS", "plan_template", "write_template"]


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """One row under the header: a unit to fill, a group heading, or a blank row for a name."""

    unit: Unit | None
    number: str
    section: bool = False


@dataclass(frozen=True, slots=True)
class TemplateSheet:
    """A form of the template and the rows it offers."""

    form: Form
    rows: tuple[TemplateRow, ...]
    own: bool = False   # the one row is the unit's own (a commune's Biểu 02)

    @property
    def turned(self) -> bool:
        """True when the one row is the unit's own and the form says how to lay it out
        turned round (its `vertical` labels): a commune's own Biểu 02 is STT | Nội dung |
        ĐVT | Số liệu, which antq reads back as the sender's figures."""
        return self.own and all(self.form.vertical.get(role)
                                for role in ("content", "unit_of_measure", "value"))

    @property
    def units(self) -> int:
        """How many rows name a unit of the registry (0: the rows are blank for names)."""
        return sum(1 for row in self.rows if row.unit is not None and not row.section)


def find_unit(registry: Registry, code: str | Unit) -> Unit:
    """The registry's unit for `code`, or AntqError template-unknown-unit."""
    if isinstance(code, Unit):
        return code
    unit = registry.find_code(code.strip())
    if unit is None:
        # An official list is named by its era, in Vietnamese in both languages (as before).
        name = registry.source or (ERA_NAMES[registry.era][0] if registry.era else "—")
        raise AntqError("template-unknown-unit", value=code, registry=name)
    return unit


def _depth(level: str) -> int:
    return LEVELS.index(level)


def _chosen_forms(unit: Unit, forms: FormSet, form_ids: list[str] | None) -> list[Form]:
    """The forms asked for, else those the unit fills itself, else one row per sender below it.

    A commune fills both default forms; a district or province fills the forms whose rows are
    its senders (bieu-02, a row per commune). A district's bieu-01 (villages grouped by
    commune) is made by its communes, so it is written only when asked for with --form.
    """
    if form_ids:
        unknown = [f for f in form_ids if f not in forms.forms]
        if unknown:
            raise AntqError("template-unknown-form", value=", ".join(unknown),
                            forms=", ".join(forms.forms))
        chosen = [forms.forms[f] for f in dict.fromkeys(form_ids)]
    else:
        chosen = [f for f in forms.forms.values() if f.sender_level == unit.level]
        if not chosen and unit.level in LEVELS:
            chosen = [f for f in forms.forms.values() if f.row_level == f.sender_level
                      and _depth(f.row_level) > _depth(unit.level)]
    names = LEVEL_NAMES.get(unit.level, LevelName(unit.level, unit.level, unit.level))
    if not chosen:
        raise AntqError("template-no-form", unit=unit.name, unit_code=unit.code, level=names.vi,
                        level_en=names.en_plural)
    for form in chosen:
        if _depth(form.row_level) < _depth(unit.level):
            rows = LEVEL_NAMES[form.row_level]
            raise AntqError("template-form-level", form=form.id, unit=unit.name,
                            level=rows.vi, level_en=rows.en_plural)
    return chosen


def _rows(unit: Unit, registry: Registry, form: Form) -> tuple[TemplateRow, ...]:
    """The unit's units of the form's row level, in registry order, under their parents when
    the unit is two or more levels above them; blank rows when the registry has none."""
    if unit.level == form.row_level:
        return (TemplateRow(unit, "1"),)
    units = registry.descendants(unit.code, form.row_level)
    if not units:
        return tuple(TemplateRow(None, str(n)) for n in range(1, BLANK_ROWS + 1))
    parents = list(dict.fromkeys(u.parent for u in units))
    if parents == [unit.code]:
        return tuple(TemplateRow(u, str(n)) for n, u in enumerate(units, start=1))
    rows: list[TemplateRow] = []
    number = 0
    for index, parent in enumerate(parents):
        rows.append(TemplateRow(registry.get(parent) if parent else None, roman(index + 1),
                                section=True))
        for child in (u for u in units if u.parent == parent):
            number += 1
            rows.append(TemplateRow(child, str(number)))
    return tuple(rows)


def plan_template(unit: str | Unit, registry: Registry, forms: FormSet,
                  form_ids: list[str] | None = None) -> list[TemplateSheet]:
    """The sheets a template for `unit` holds and their rows; AntqError for a bad unit or form."""
    found = find_unit(registry, unit)
    return [TemplateSheet(form, _rows(found, registry, form), found.level == form.row_level)
            for form in _chosen_forms(found, forms, form_ids)]


def check_output(path: str | os.PathLike, force: bool = False) -> None:
    """The template is an .xlsx, and an existing file (perhaps already filled in) is kept
    unless `force`."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise AntqError("template-not-xlsx", path=str(path))
    if path.exists() and not force:
        raise AntqError("template-exists", path=str(path))


def default_registry(period: Period) -> Registry:
    """The official list of the period's era, when antq ships one (antq_cli/official.py)."""
    try:
        from ..units.official import era_for, official_registry
    except ImportError:
        raise AntqError("template-needs-registry") from None
    return official_registry(era_for(period))


def write_template(path: str | os.PathLike, unit: str | Unit, registry: Registry,
                   forms: FormSet, period: Period, lang: str = "vi",
                   form_ids: list[str] | None = None,
                   closing: Closing = DECREE_CLOSING,
                   planned: list[TemplateSheet] | None = None) -> Path:
    """Write the blank submission of `unit` for `period` (its data window closing on
    `closing`) to `path` atomically; returns the path. `planned`: its sheets as
    `plan_template` made them, when the caller has them already."""
    import xlsxwriter

    found = find_unit(registry, unit)
    if planned is None:
        planned = plan_template(found, registry, forms, form_ids)

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(str(temporary), TEXT_STAYS_TEXT)
        fmt = BlankFormats(book)
        heading = _heading(found, registry, period, closing)
        for planned_sheet in planned:
            write_blank(book, fmt, heading, planned_sheet, _sheet_name(planned_sheet.form),
                        lang)
        book.close()

    return write_atomically(path, write)


def _heading(unit: Unit, registry: Registry, period: Period, closing: Closing) -> P.Heading:
    """The unit under its superior ("CÔNG AN HUYỆN …", or "BỘ CÔNG AN" over a province)."""
    parent = registry.get(unit.parent) if unit.parent else None
    return P.Heading(issuer(unit, parent, "vi"), "", period.label_vi,
                     format_window(period, "vi", closing))


def _sheet_name(form: Form) -> str:
    """The form's name ("Biểu 01"), as units name their sheets (31 characters, no []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", "-", form.name or form.id)[:31]


def describe(path: str | os.PathLike, unit: Unit, planned: list[TemplateSheet], period: Period,
             lang: str = "vi") -> str:
    """The line `antq template` prints: what was written, for whom, and each form's rows."""
    sheets = []
    for sheet in planned:
        names = LEVEL_NAMES[sheet.form.row_level]
        key = "template_sheet" if sheet.units else "template_blank_sheet"
        sheets.append(ui(key, lang, form=sheet.form.id, rows=sheet.units or len(sheet.rows),
                         level=names.vi, level_en=names.en_plural))
    return ui("template_written", lang, path=str(path), unit=unit.name, code=unit.code,
              period=period.label(lang), sheets="; ".join(sheets))
