"""The words of an official page (Nghị định 30/2020/NĐ-CP, Phụ lục I): who issues the report
and who stands above it, its number, the place and date line, and who signs for the unit.

"Huyện Tân Minh" gives the body "CÔNG AN HUYỆN TÂN MINH" under "CÔNG AN TỈNH MẪU SƠN", the
number "Số: …/BC-CAH", the date line "Tân Minh, ngày … tháng … năm …" and the head
"TRƯỞNG CÔNG AN HUYỆN"; in English "Police of Tân Minh district". The words come from the
unit's type word (text.UNIT_TYPES), so a "Thị xã" or a "Đặc khu" needs no code of its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from ..text import UNIT_TYPES

# Each type word in English, by the level it names ("thành phố" is a province or a district).
_ENGLISH = {
    "tỉnh": "province", "huyện": "district", "quận": "urban district", "thị xã": "town",
    "thành phố": "city", "xã": "commune", "phường": "ward", "thị trấn": "township",
    "đặc khu": "special zone", "thôn": "village", "tổ dân phố": "residential group",
    "khu phố": "quarter", "ấp": "hamlet", "bản": "hamlet", "xóm": "hamlet",
}
MINISTRY = ("BỘ CÔNG AN", "Ministry of Public Security")
BLANK = "……………………"


def split_type(name: str, level: str | None = None) -> tuple[str, str]:
    """("huyện", "Tân Minh") for "Huyện Tân Minh"; ("", name) when no type word leads it."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    lowered = text.lower()
    words = UNIT_TYPES.get(level, ()) if level else ()
    words = (*words, *(w for kind in UNIT_TYPES.values() for w in kind))
    for word in sorted(dict.fromkeys(words), key=len, reverse=True):
        if lowered.startswith(word + " ") and len(text) > len(word) + 1:
            return word, text[len(word) + 1:]
    return "", text


def english_name(name: str, level: str | None = None) -> str:
    """"Tỉnh Mẫu Sơn" → "Mẫu Sơn province"; "Quận 1" → "Urban district 1"."""
    word, rest = split_type(name, level)
    english = _ENGLISH.get(word, "")
    if not english:
        return rest
    return f"{english.capitalize()} {rest}" if rest.isdigit() else f"{rest} {english}"


def _type_word(unit: Any) -> str:
    word, _ = split_type(unit.name, unit.level)
    return word or UNIT_TYPES.get(unit.level, ("",))[0]


def abbreviation(unit: Any) -> str:
    """The police body's short form in a document number: "CAT" (tỉnh), "CAH" (huyện),
    "CATX" (thị xã), "CAX" (xã), "CAP" (phường), "CATT" (thị trấn), "CAĐK" (đặc khu)."""
    return "CA" + "".join(part[0] for part in _type_word(unit).upper().split())


def place(unit: Any) -> str:
    """The place of the date line: the unit's name without its type word ("Mẫu Sơn"), kept
    whole when the rest is a number ("Phường 3")."""
    word, rest = split_type(unit.name, unit.level)
    return unit.name if not word or rest.isdigit() else rest


def head_title(unit: Any, lang: str = "vi") -> str:
    """Who signs for the unit: "TRƯỞNG CÔNG AN XÃ", "GIÁM ĐỐC CÔNG AN TỈNH"."""
    if unit is None:
        return "HEAD OF UNIT" if lang == "en" else "THỦ TRƯỞNG ĐƠN VỊ"
    word = _type_word(unit)
    if lang == "en":
        role = "Director" if unit.level == "province" else "Head"
        return f"{role} of the {_ENGLISH.get(word, word)} police".upper()
    role = "GIÁM ĐỐC" if unit.level == "province" else "TRƯỞNG"
    return f"{role} CÔNG AN {word.upper()}"


def police_of(unit: Any, lang: str = "vi") -> str:
    """"CÔNG AN HUYỆN TÂN MINH"; "Police of Tân Minh district" in English."""
    if lang == "en":
        return f"Police of {english_name(unit.name, unit.level)}"
    return f"CÔNG AN {unicodedata.normalize('NFC', unit.name).upper()}"


@dataclass(frozen=True, slots=True)
class Issuer:
    """The top of an official page and its sign-off, in one language."""

    superior: str     # "CÔNG AN TỈNH MẪU SƠN" (or "BỘ CÔNG AN")
    body: str         # "CÔNG AN HUYỆN TÂN MINH"
    number: str       # "Số: …/BC-CAH"
    date_line: str    # "Tân Minh, ngày … tháng … năm …"
    head: str         # "TRƯỞNG CÔNG AN HUYỆN"
    lang: str = "vi"


def issuer(unit: Any, parent: Any, lang: str = "vi") -> Issuer:
    """The issuing body `unit` under `parent` (None: the Ministry above a province, nothing
    known above another unit). With no unit at all (a merge without a registry), dotted
    lines for the clerk to write in."""
    english = lang == "en"
    if unit is None:
        return Issuer("", BLANK, "No.: …/BC-…" if english else "Số: …/BC-…",
                      f"{BLANK}, date: …" if english else f"{BLANK}, ngày … tháng … năm …",
                      head_title(None, lang), lang)
    if parent is not None:
        superior = police_of(parent, lang)
    else:
        superior = MINISTRY[english] if unit.level == "province" else ""
    number = f"{'No.' if english else 'Số'}: …/BC-{abbreviation(unit)}"
    where = place(unit)
    date_line = f"{where}, date: …" if english else f"{where}, ngày … tháng … năm …"
    return Issuer(superior if english else superior.upper(), police_of(unit, lang), number,
                  date_line, head_title(unit, lang), lang)
