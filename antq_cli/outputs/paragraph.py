"""The headline paragraph of a merge, from the sentence templates in the form files.

"Toàn tỉnh có 45/60 thôn, tổ dân phố (75,0%) đạt tiêu chuẩn ..." — figures are written the
Vietnamese way; which sentences exist and how they read is data (schemas/*.toml), not code.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..forms import FormSet
from ..model import ACCEPTED
from ..run.merge import MergeResult
from ..run.rollup import RateValue
from .report import format_rate, units_of
from .words import area, format_number, format_percent, ui


@dataclass(frozen=True, slots=True)
class RateText:
    """A rate for a sentence: "45/60 (75,0%)" as a whole, or its parts num, den and pct."""

    num: str
    den: str
    pct: str
    text: str

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


def _rate_text(rate: RateValue, lang: str) -> RateText:
    pct = "—" if rate.ratio is None else format_percent(rate.ratio * 100, lang) + "%"
    return RateText(format_number(rate.numerator, lang), format_number(rate.denominator, lang),
                    pct, format_rate(rate, lang))


def paragraph(result: MergeResult, forms: FormSet, lang: str = "vi") -> list[str]:
    """The sentences of the forms in play, in form order, filled with the scope's figures;
    last, the units that are not in them."""
    roll = result.rollup
    totals = roll.totals()
    rates = roll.scope_rates()
    scope = roll.scope
    where = area(scope.name if scope else None, lang)
    names: dict[str, object] = {code: format_number(value, lang) for code, value in totals.items()}
    names |= {code: _rate_text(value, lang) for code, value in rates.items()}
    names |= {"area": where, "Area": where[:1].upper() + where[1:],
              "scope": scope.name if scope else "",
              "period": result.period.label(lang) if result.period else ""}
    played = {r.form for f in result.files if f.status == ACCEPTED for r in f.records}
    sentences = []
    for form in forms.forms.values():
        if form.id not in played:
            continue
        for sentence in form.paragraph:
            if sentence.when and not totals.get(sentence.when, 0):
                continue
            template = sentence.text_en if lang == "en" else sentence.text
            sentences.append(template.format_map(names))
    missing = missing_sentence(result, forms, lang)
    return sentences + ([missing] if missing else [])


def missing_sentence(result: MergeResult, forms: FormSet, lang: str = "vi") -> str:
    """Who is not in the figures: "Chưa có báo cáo (không có trong số liệu trên): Xã Đông
    Thạnh; Phường Trung Sơn (Biểu 01, tệp bị trả lại)." ("" when nobody is missing)."""
    if not result.missing:
        return ""
    senders = {form.sender_level for form in forms.forms.values()}
    named, counted = [], {}
    for unit, reason in result.missing:
        if unit.level not in senders:
            counted[unit.level] = counted.get(unit.level, 0) + 1
            continue
        lacking = [form for form_id, items in result.missing_by_form.items()
                   if any(u.code == unit.code for u, _ in items)
                   for form in [forms.forms[form_id]]]
        notes = [] if len(lacking) == len(result.missing_by_form) else [
            form.name if lang == "vi" else form.name_en for form in lacking]
        if reason == "rejected":
            notes.append(ui("reason_rejected", lang))
        named.append(unit.name + (f" ({', '.join(notes)})" if notes else ""))
    named += [units_of(count, level, lang) for level, count in counted.items()]
    return ui("missing_sentence", lang, units="; ".join(named))
