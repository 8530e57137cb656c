"""A blank submission for a unit and period (`antq template`), so units start from the right form.

One sheet per form that applies to the unit, in the usual Vietnamese layout: the police unit
block on the left and the national motto on the right, the form's title, the period and its
data window, the form's header (groups merged over their leaves), a column-number row, one row
per unit of the form's row level from the registry (grouped under their parent when the unit
is two levels up), a "Tổng cộng" row of formulas, and the signature block. Counts accept only
whole numbers ≥ 0 and flags a Đạt / Không đạt dropdown; everything but the data cells is
locked. The body is the official form, so it stays in Vietnamese whatever `lang`: `lang` only
changes the guidance a clerk reads (input messages, error messages, the note).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..forms import Form, FormSet
from ..model import LEVELS, AntqError
from ..periods import DECREE_CLOSING, Closing, Period
from ..text import UNIT_TYPES, fold, roman
from ..units.registry import Registry, Unit
from .safe import write_atomically
from .words import ERA_NAMES, LEVEL_NAMES, LevelName, format_window, ui
from .workbook import sheets as S

# What a clerk picks in a flag column; values.parse_flag reads the first as 1, the second as 0.
FLAG_CHOICES = ("Đạt", "Không đạt")
# Rows left for names when the registry lists no unit of the form's row level under the unit
# (an official list has no villages): the clerk types the names.
BLANK_ROWS = 10
LEAD_COLUMNS = 3  # STT, Mã, name

# The type words that name a police unit's head ("TRƯỞNG CÔNG AN PHƯỜNG").
_HEAD_WORDS = tuple(dict.fromkeys(word for level in ("commune", "district", "province")
                                  for word in UNIT_TYPES[level]))
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
    return [TemplateSheet(form, _rows(found, registry, form))
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
                   closing: Closing = DECREE_CLOSING) -> Path:
    """Write the blank submission of `unit` for `period` (its data window closing on
    `closing`) to `path` atomically; returns the path."""
    import xlsxwriter

    found = find_unit(registry, unit)
    planned = plan_template(found, registry, forms, form_ids)

    def write(temporary: Path) -> None:
        book = xlsxwriter.Workbook(str(temporary), {"strings_to_formulas": False,
                                                    "strings_to_urls": False,
                                                    "strings_to_numbers": False})
        fmt = _Formats(book)
        heading = _heading(found, registry, period, closing)
        for planned_sheet in planned:
            _write_sheet(book, fmt, heading, found, planned_sheet, lang)
        book.close()

    return write_atomically(path, write)


class _Formats(S.Formats):
    """antq's workbook formats, plus the unlocked cells a clerk types into."""

    def __init__(self, book: Any) -> None:
        super().__init__(book)
        cell = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter",
                "border": 1, "locked": False}
        self.input_count = book.add_format(cell | {"num_format": "#,##0"})
        self.input_flag = book.add_format(cell | {"align": "center"})
        self.input_name = book.add_format(cell | {"text_wrap": True})
        self.section = book.add_format({"font_name": "Times New Roman", "font_size": 11,
                                        "valign": "vcenter", "border": 1, "bold": True,
                                        "bg_color": "#F2F2F2"})
        self.note = book.add_format({"font_name": "Times New Roman", "font_size": 10,
                                     "italic": True, "text_wrap": True, "valign": "top"})


def _heading(unit: Unit, registry: Registry, period: Period, closing: Closing) -> S.Heading:
    """The police unit above ("CÔNG AN HUYỆN …", or "BỘ CÔNG AN" over a province) and the unit."""
    parent = registry.get(unit.parent) if unit.parent else None
    agency = f"CÔNG AN {parent.name.upper()}" if parent else "BỘ CÔNG AN"
    return S.Heading(agency, f"CÔNG AN {unit.name.upper()}", "", period.label_vi,
                     format_window(period, "vi", closing), "vi")


def _head_title(unit: Unit) -> str:
    """Who signs for the unit: "TRƯỞNG CÔNG AN XÃ", "… PHƯỜNG", "GIÁM ĐỐC CÔNG AN TỈNH"."""
    key = fold(unit.name)
    word = next((w for w in _HEAD_WORDS if key.startswith(w + " ")),
                UNIT_TYPES.get(unit.level, UNIT_TYPES["commune"])[0])
    if unit.level == "province":
        return f"GIÁM ĐỐC CÔNG AN {word.upper()}"
    return f"TRƯỞNG CÔNG AN {word.upper()}"


def _sheet_name(form: Form) -> str:
    """"bieu-01" → "Biểu 01", as units name their sheets; other ids as they are (31 characters)."""
    match = re.fullmatch(r"bieu-(\d+)", form.id)
    name = f"Biểu {match.group(1)}" if match else form.id
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31]


def _write_sheet(book: Any, fmt: _Formats, heading: S.Heading, unit: Unit,
                 planned: TemplateSheet, lang: str) -> None:
    form = planned.form
    sheet = book.add_worksheet(_sheet_name(form))
    paths = S.indicator_paths(form)
    lead = ["STT", form.columns["code"][0], form.columns["name"][0]]
    width = LEAD_COLUMNS + len(paths)
    title = S.Heading(heading.agency, heading.unit, form.title.upper(), heading.period,
                      heading.window, "vi")
    top = S.title_block(sheet, fmt, title, width)
    first = S.form_header(sheet, fmt, top, lead, paths)
    _header_height(sheet, form, first - 2)
    for offset, row in enumerate(planned.rows):
        _write_row(sheet, fmt, first + offset, form, row)
    last = first + len(planned.rows) - 1
    _total_row(sheet, fmt, form, first, last)
    _validations(sheet, form, first, last, lang)
    _note_and_signatures(sheet, fmt, form, unit, last + 3, width, lang)
    _widths(sheet, planned)
    sheet.freeze_panes(first, LEAD_COLUMNS)
    S.page_setup(sheet, (top, first - 1))
    # Protection without a password: it keeps a clerk from typing over the header, the codes
    # or the totals by accident, not a secret (Review > Unprotect Sheet lifts it).
    sheet.protect("", {"format_columns": True, "format_rows": True})


def _write_row(sheet: Any, fmt: _Formats, row: int, form: Form, planned: TemplateRow) -> None:
    unit = planned.unit
    if planned.section:
        S.write_text(sheet, row, 0, planned.number, fmt.section)
        S.write_text(sheet, row, 1, unit.code if unit else "", fmt.section)
        S.write_text(sheet, row, 2, unit.name if unit else "", fmt.section)
        for col in range(LEAD_COLUMNS, LEAD_COLUMNS + len(form.indicators)):
            sheet.write_blank(row, col, None, fmt.section)
        return
    sheet.write_number(row, 0, int(planned.number), fmt.code)
    if unit is None:
        sheet.write_blank(row, 1, None, fmt.code)
        sheet.write_blank(row, 2, None, fmt.input_name)
    else:
        S.write_text(sheet, row, 1, unit.code, fmt.code)
        S.write_text(sheet, row, 2, unit.name, fmt.cell)
    for col, ind in enumerate(form.indicators, start=LEAD_COLUMNS):
        sheet.write_blank(row, col, None, fmt.input_flag if ind.type == "flag" else fmt.input_count)


def _total_row(sheet: Any, fmt: _Formats, form: Form, first: int, last: int) -> None:
    """"Tổng cộng": SUM of each count, COUNTIF "Đạt" of each flag, stored as 0."""
    row = last + 1
    sheet.merge_range(row, 0, row, LEAD_COLUMNS - 1, "", fmt.total_label)
    S.write_text(sheet, row, 0, ui("total_row", "vi"), fmt.total_label)
    for col, ind in enumerate(form.indicators, start=LEAD_COLUMNS):
        S.total_formula(sheet, fmt.total, row, col, first, last, 0, flag=ind.type == "flag")


def _validations(sheet: Any, form: Form, first: int, last: int, lang: str) -> None:
    """Whole numbers ≥ 0 in count columns, the Đạt / Không đạt list in flag columns."""
    for col, ind in enumerate(form.indicators, start=LEAD_COLUMNS):
        unit = f" ({ind.unit})" if ind.unit else ""
        if ind.type == "flag":
            rule = {"validate": "list", "source": list(FLAG_CHOICES),
                    "input_title": ui("template_flag_title", lang)[:32],
                    "input_message": ui("template_flag_input", lang, label=ind.label)[:255],
                    "error_title": ui("template_flag_error_title", lang)[:32],
                    "error_message": ui("template_flag_error", lang)[:255]}
        else:
            rule = {"validate": "integer", "criteria": ">=", "value": 0,
                    "input_title": ui("template_count_title", lang)[:32],
                    "input_message": ui("template_count_input", lang, label=ind.label,
                                        unit=unit)[:255],
                    "error_title": ui("template_count_error_title", lang)[:32],
                    "error_message": ui("template_count_error", lang)[:255]}
        sheet.data_validation(first, col, last, col, rule)


def _note_and_signatures(sheet: Any, fmt: _Formats, form: Form, unit: Unit, row: int,
                         width: int, lang: str) -> None:
    """A note on filling in, the date line, and who signs: the clerk and the head of police."""
    flags = [ind.label for ind in form.indicators if ind.type == "flag"]
    note = ui("template_note", lang, flags="; ".join(flags) or "—",
              choices=" / ".join(FLAG_CHOICES))
    sheet.merge_range(row, 0, row, width - 1, "", fmt.note)
    S.write_text(sheet, row, 0, note, fmt.note)
    sheet.set_row(row, 30)
    half = max(LEAD_COLUMNS, width // 2)
    lines = (("", "......, ngày ... tháng ... năm ......", fmt.italic),
             ("NGƯỜI LẬP BIỂU", _head_title(unit), fmt.center_bold),
             ("(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", fmt.italic))
    for offset, (left, right, style) in enumerate(lines, start=2):
        for first, last, text in ((0, half - 1, left), (half, width - 1, right)):
            if text:
                if last > first:
                    sheet.merge_range(row + offset, first, row + offset, last, "", style)
                S.write_text(sheet, row + offset, first, text, style)


def _header_height(sheet: Any, form: Form, leaf_row: int) -> None:
    """Tall enough for the longest wrapped leaf label at the indicator column width."""
    paths = S.indicator_paths(form)
    width = _indicator_width(form)
    lines = max(math.ceil(len(path[-1]) * 1.15 / (width - 1)) for path in paths)
    sheet.set_row(leaf_row, max(48, 15 * lines + 6))
    if any(len(path) > 1 for path in paths):
        sheet.set_row(leaf_row - 1, 33)  # group labels over two or more columns: two lines


def _indicator_width(form: Form) -> int:
    """13 characters, 11 for a wide form (bieu-02's 26 columns) so the print stays legible."""
    return 13 if len(form.indicators) <= 15 else 11


def _widths(sheet: Any, planned: TemplateSheet) -> None:
    """STT narrow, codes as long as a commune or village code, names as long as the longest."""
    names = [len(row.unit.name) for row in planned.rows if row.unit is not None]
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, min(40, max(24, *names) + 2) if names else 28)
    sheet.set_column(LEAD_COLUMNS, LEAD_COLUMNS + len(planned.form.indicators) - 1,
                     _indicator_width(planned.form))


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
