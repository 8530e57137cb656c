"""The headline paragraph of a merge, from the sentence templates in the form files.

"Toàn tỉnh có 45/60 thôn, tổ dân phố (75,0%) đạt tiêu chuẩn ..." — figures are written the
Vietnamese way; which sentences exist and how they read is data (schemas/*.toml), not code.
A sentence marked `compare` is said under --compare: "{meetings.change}" is "tăng 12 buổi
(8,5%)". An English sentence makes its words agree with a figure: "{wanted_arrested:person
was|persons were}".
"""

from __future__ import annotations

from dataclasses import dataclass

from ..forms import FormSet
from ..model import ACCEPTED
from ..run.merge import MergeResult
from ..run.rollup import RateValue
from .report import comparison_gaps, format_rate, relation_text, units_of
from .words import area, format_number, format_percent, ui


class Figure:
    """A figure for a sentence: "{code}" writes it the language's way, "{code:one|many}"
    writes the word that agrees with it, "{code.change}" how it moved since the earlier
    period ("tăng 12 buổi (8,5%)", "không thay đổi")."""

    __slots__ = ("change", "text", "value")

    def __init__(self, value: float, lang: str, change: str = "") -> None:
        self.value, self.text, self.change = value, format_number(value, lang), change

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if self.value == 1 else many
        return format(self.text, spec)


@dataclass(frozen=True, slots=True)
class RateText:
    """A rate for a sentence: "45/60 (75,0%)" as a whole, or its parts num, den and pct."""

    num: Figure
    den: Figure
    pct: str
    text: str

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


def _rate_text(rate: RateValue, lang: str) -> RateText:
    pct = "—" if rate.ratio is None else format_percent(rate.ratio * 100, lang) + "%"
    return RateText(Figure(rate.numerator, lang), Figure(rate.denominator, lang), pct,
                    format_rate(rate, lang))


def change_phrase(change, unit: str, lang: str = "vi") -> str:
    """How a figure moved: "tăng 12 buổi (8,5%)", "giảm 3 tin (15,0%)", "không thay đổi";
    "up 12 meetings (+8.5%)" in English."""
    if change is None:
        return ""
    if change.change == 0:
        return "unchanged" if lang == "en" else "không thay đổi"
    amount = abs(change.change)
    if lang == "en":
        word = ("up " if change.change > 0 else "down ") + format_number(amount, lang)
        unit = _singular(unit) if amount == 1 else unit
    else:
        word = ("tăng " if change.change > 0 else "giảm ") + format_number(amount, lang)
    text = f"{word} {unit}".rstrip()
    if change.percent is not None:
        shown = change.percent if lang == "en" else abs(change.percent)
        text += f" ({format_percent(shown, lang, signed=lang == 'en')}%)"
    return text


def _singular(word: str) -> str:
    """"meetings" → "meeting", "agencies" → "agency" (the units of the form files)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def paragraph(result: MergeResult, forms: FormSet, lang: str = "vi",
              comparison=None) -> list[str]:
    """The sentences of the forms in play, in form order, filled with the scope's figures
    (with `comparison`, how they moved, and whether either side lacks units); last, the units
    that are not in them."""
    roll = result.rollup
    totals = roll.totals()
    rates = roll.scope_rates()
    scope = roll.scope
    where = area(scope.name if scope else None, lang, scope.level if scope else None)
    units = {ind.code: ind.unit_en if lang == "en" else ind.unit
             for form in forms.forms.values() for ind in form.indicators}
    changes = comparison.totals if comparison is not None else {}
    names: dict[str, object] = {
        code: Figure(value, lang, change_phrase(changes.get(code), units.get(code, ""), lang))
        for code, value in totals.items()}
    names |= {code: _rate_text(value, lang) for code, value in rates.items()}
    names |= {"area": where, "Area": where[:1].upper() + where[1:],
              "scope": scope.name if scope else "",
              "period": result.period.label(lang) if result.period else "",
              "relation": relation_text(comparison, lang) if comparison is not None else ""}
    played = {r.form for f in result.files if f.status == ACCEPTED for r in f.records}
    sentences = []
    for form in forms.forms.values():
        if form.id not in played:
            continue
        for sentence in form.paragraph:
            if sentence.when and not totals.get(sentence.when, 0):
                continue
            if sentence.compare and comparison is None:
                continue
            template = sentence.text_en if lang == "en" else sentence.text
            sentences.append(template.format_map(names))
    if comparison is not None:
        gaps = comparison_gaps(comparison, forms, lang)
        sentences += [gaps + "."] if gaps else []
    missing = missing_sentence(result, forms, lang)
    return sentences + ([missing] if missing else [])


def missing_sentence(result: MergeResult, forms: FormSet, lang: str = "vi") -> str:
    """Who is not in the figures: "Chưa có báo cáo (không có trong số liệu trên): Xã Đông
    Thạnh; Phường Trung Sơn (Biểu 01, tệp bị trả lại)." ("" when nobody is missing)."""
    if not result.missing:
        return ""
    senders = {form.sender_level for form in forms.forms.values()}
    named, counted = [], {}
    forms_of = result.missing_forms()
    for unit, reason in result.missing:
        if unit.level not in senders:
            counted[unit.level] = counted.get(unit.level, 0) + 1
            continue
        lacking = [forms.forms[form_id] for form_id in dict.fromkeys(forms_of.get(unit.code, ()))]
        notes = [] if len(lacking) == len(result.missing_by_form) else [
            form.name if lang == "vi" else form.name_en for form in lacking]
        if reason == "rejected":
            notes.append(ui("reason_rejected", lang))
        named.append(unit.name + (f" ({', '.join(notes)})" if notes else ""))
    named += [units_of(count, level, lang) for level, count in counted.items()]
    return ui("missing_sentence", lang, units="; ".join(named))
