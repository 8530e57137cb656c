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
from .report import format_rate
from .words import area, format_number, format_percent


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
    """The sentences of the forms in play, in form order, filled with the scope's figures."""
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
    return sentences
