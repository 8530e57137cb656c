"""The list-like parts of messages, in Vietnamese and English: the candidate senders of a file,
the villages it leaves out, the header cells no indicator was found in, the figures two
copies differ in, and the note that a problem's cell is hidden.

Lower layers give these as plain values (units as (name, code, superior) triples, cells as
(address, text) pairs); here they become the words a message shows, as extra params that its
template places ("{candidates}", "{unmatched}"...).
"""

from __future__ import annotations

from typing import Any

from .words import format_number

# How many names a message lists before "…" (a commune may leave out dozens of villages).
MOST_NAMES = 12
MOST_CELLS = 6

_OR = (" hoặc ", " or ")
_AND = (", ", ", ")


def describe_units(units: Any, lang: str, joiner: tuple[str, str] = _OR) -> str:
    """(name, code, superior) triples as "Xã Tân Hà (23221, Huyện Đức Linh) hoặc …"."""
    index = 0 if lang == "vi" else 1
    shown = [f"{name} ({code}, {parent})" if parent else f"{name} ({code})"
             for name, code, parent in units]
    return joiner[index].join(shown)


def _names(names: Any, lang: str) -> str:
    names = list(names)
    shown = ", ".join(names[:MOST_NAMES])
    if len(names) > MOST_NAMES:
        rest = format_number(len(names) - MOST_NAMES, lang)
        shown += f" và {rest} thôn khác" if lang == "vi" else f" and {rest} more"
    return shown


def _pretty(name: str) -> str:
    """A name a title wrote in capitals, as a name is written ("XÃ NGỌC ĐƯỜNG" → "Xã Ngọc
    Đường")."""
    return name.title() if name.isupper() else name


def _unknown_sender(params: dict[str, Any], lang: str) -> dict[str, Any]:
    vi = lang == "vi"
    superior = params.get("superior", "")
    shown = {"name": _pretty(params.get("name", "")),
             "superior_part": (f" thuộc {_pretty(superior)}" if vi else f" in {_pretty(superior)}")
             if superior else ""}
    elsewhere = params.get("elsewhere") or ()
    if elsewhere:
        units = describe_units(elsewhere, lang, _AND)
        shown["elsewhere_part"] = (f" (danh mục chỉ có {units})" if vi
                                   else f" (the registry only has {units})")
    else:
        shown["elsewhere_part"] = ""
    suggestions = params.get("suggestions", "")
    shown["suggestions_part"] = ((f" Tên gần đúng: {suggestions}." if vi
                                  else f" Closest names: {suggestions}.") if suggestions else "")
    return shown


def _ambiguous_sender(params: dict[str, Any], lang: str) -> dict[str, Any]:
    candidates = params.get("candidates") or ()
    return {"name": _pretty(params.get("name", "")),
            "candidates": describe_units(candidates, lang),
            "count": len(candidates)}


def _sender_mismatch(params: dict[str, Any], lang: str) -> dict[str, Any]:
    units = params.get("units") or ()
    if len(units) != 2:
        return {}
    named, owner = (describe_units([unit], lang) for unit in units)
    return {"named": named, "owner": owner}


def _villages_missing(params: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"names": _names(params.get("names") or (), lang)}


def _missing_column(params: dict[str, Any], lang: str) -> dict[str, Any]:
    cells = list(params.get("unmatched") or ())
    if not cells:
        return {"unmatched": ""}
    shown = ", ".join(f"{cell} '{text}'" for cell, text in cells[:MOST_CELLS])
    if len(cells) > MOST_CELLS:
        shown += ", …"
    return {"unmatched": (f" Ô tiêu đề chưa nhận ra: {shown}." if lang == "vi"
                          else f" Header cells not recognised: {shown}.")}


def _conflict(params: dict[str, Any], lang: str) -> dict[str, Any]:
    vi = lang == "vi"
    differences = params.get("differences") or ()
    parts = [f"{unit}, {label}: {format_number(mine, lang)} / {format_number(theirs, lang)}"
             for unit, label, mine, theirs in differences]
    shown = {"differences": (" (" + "; ".join(parts) + (" — tệp này / tệp kia)" if vi
                                                        else " — this file / the other)"))
             if parts else ""}
    correction = params.get("correction", "")
    shown["correction_part"] = ((f" Tệp \"{correction}\" được đặt tên là bản sửa, bổ sung: "
                                 "nếu đó là bản đúng, xóa hoặc chuyển tệp kia ra khỏi thư mục."
                                 if vi else
                                 f" \"{correction}\" is named as a correction: if it is the right "
                                 "one, delete the other file or move it out of the folder.")
                                if correction else "")
    return shown


_SHOWN = {
    "unknown-sender": _unknown_sender,
    "ambiguous-sender": _ambiguous_sender,
    "sender-mismatch": _sender_mismatch,
    "villages-missing": _villages_missing,
    "missing-column": _missing_column,
    "conflict": _conflict,
}


def shown_params(code: str, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The problem's params with its list-like ones in words, ready for its template."""
    make = _SHOWN.get(code)
    return params | make(params, lang) if make is not None else params


def hidden_note(params: dict[str, Any], lang: str) -> str:
    """" (dòng 17 đang bị ẩn: …)" when the problem's cell is in a hidden row or column."""
    vi = lang == "vi"
    if "hidden_row" in params:
        row = params["hidden_row"]
        return (f" (dòng {row} đang bị ẩn: bỏ ẩn dòng để xem và sửa)" if vi
                else f" (row {row} is hidden: unhide it to see and correct it)")
    if "hidden_col" in params:
        col = params["hidden_col"]
        return (f" (cột {col} đang bị ẩn: bỏ ẩn cột để xem và sửa)" if vi
                else f" (column {col} is hidden: unhide it to see and correct it)")
    return ""
