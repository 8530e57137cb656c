"""Forms as data: load the TOML files in schemas/, check them, and index their labels.

A broken form file stops the run with a FormError naming the file, the field and, as a code,
the reason (outputs/reasons.py words it), since every later step trusts the form.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .memo import Memo
from .model import LEVELS, FormError
from .text import fold, fold_ascii

TYPES = ("count", "flag")
OVER_TIME = ("sum", "last", "none")
OPERATORS = ("<=", ">=", "=", "<", ">")
# The bundled forms: inside the package once installed (pyproject maps schemas/ there), at the
# top of the source tree when run from a checkout.
_PACKAGE = Path(__file__).resolve().parent
SCHEMAS_DIR = _PACKAGE / "schemas" if (_PACKAGE / "schemas").is_dir() else _PACKAGE.parent / "schemas"
# The largest count a cell of a form may hold unless its file says otherwise (`max_count`):
# no village or commune counts a billion of anything, and a figure past it is a slip of the
# keyboard or a crafted file (a cell of 1e30 would overflow every output). A form may raise it
# up to LARGEST_COUNT_LIMIT, where a float still holds every whole number exactly.
LARGEST_COUNT = 10**9
LARGEST_COUNT_LIMIT = 10**15


@dataclass(frozen=True, slots=True)
class Indicator:
    """One figure of a form: its code, label, the labels it also goes by, and its type."""

    code: str
    label: str
    type: str
    unit: str = ""
    variants: tuple[str, ...] = ()
    label_en: str = ""  # the English label and unit of measure (the Vietnamese when not given)
    unit_en: str = ""
    headers: tuple[tuple[str, ...], ...] = ()
    required: bool = False
    maximum: float | None = None
    # How the figure goes over time (DHIS2's aggregation types): "sum" a flow (meetings held:
    # add the quarters), "last" a stock or status (households, groups, "đạt": the latest
    # quarter's), "none" what shorter periods cannot make (distinct households attending).
    over_time: str = "sum"
    # A stock that moves more than this share from the unit's previous period is worth a look
    # (`unusual-change`); None: no such check.
    change_limit: float | None = None
    ceiling: int = LARGEST_COUNT  # the form's largest count: beyond it a figure is too-large
    # min(maximum, ceiling): a figure up to it needs no bound checked (table/parsing.py).
    bound: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bound = self.ceiling if self.maximum is None else min(self.maximum, self.ceiling)
        object.__setattr__(self, "bound", bound)


@dataclass(frozen=True, slots=True)
class Rule:
    """A cross-indicator check on one row: left <op> sum(right)."""

    left: str
    op: str
    right: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rate:
    """A ratio printed as "685/691 (99,1%)"; each side is a `sum` or a unit `count` spec."""

    code: str
    label: str
    label_en: str
    short: str
    numerator: dict[str, str]
    denominator: dict[str, str]
    short_en: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the headline paragraph: a template over the form's codes, said only
    when the indicator `when` (if given) is above 0, and, with `compare`, only when there is
    an earlier period to compare with (its {code.change} says how a figure moved)."""

    text: str
    text_en: str
    when: str | None = None
    compare: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    """A reporting form: who fills its rows, its indicators, rules and rates."""

    id: str
    title: str
    title_en: str
    row_level: str
    sender_level: str
    indicators: tuple[Indicator, ...]
    rules: tuple[Rule, ...] = ()
    rates: tuple[Rate, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    vertical: dict[str, tuple[str, ...]] = field(default_factory=dict)
    path: str = ""
    paragraph: tuple[Sentence, ...] = ()
    name: str = ""     # "Biểu 01": what people call it (the id when not given)
    name_en: str = ""
    # What the steps that read this form remember about it (table/parsing.py: its plans).
    memo: Memo = field(default_factory=lambda: Memo(256), compare=False, repr=False)

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code."""
        return next(i for i in self.indicators if i.code == code)


class _Checker:
    """Reads fields of one form file, raising FormError with the file and field name."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str, reason: str, **params: Any) -> FormError:
        """The error of `field` ("(file)": the whole file), `reason` a code."""
        return FormError("form-invalid", file=str(self.path), field=field, reason=reason,
                         **params)

    def text(self, table: dict, key: str, where: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "not-text")
        return value

    def texts(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}{key}", "not-texts")
        return tuple(value)

    def choice(self, table: dict, key: str, where: str, allowed: tuple[str, ...]) -> str:
        value = self.text(table, key, where)
        if value not in allowed:
            raise self.fail(f"{where}{key}", "not-allowed", value=value, allowed=", ".join(allowed))
        return value


def _indicator(check: _Checker, raw: Any, n: int, ceiling: int) -> Indicator:
    where = f"indicators[{n}]."
    if not isinstance(raw, dict):
        raise check.fail(f"indicators[{n}]", "not-a-table")
    headers = raw.get("headers", [])
    if not isinstance(headers, list) or not all(
        isinstance(h, list) and 1 <= len(h) <= 3 and all(isinstance(x, str) for x in h)
        for h in headers
    ):
        raise check.fail(f"{where}headers", "not-header-paths")
    maximum = raw.get("max")
    if maximum is not None and not isinstance(maximum, int | float):
        raise check.fail(f"{where}max", "not-a-number")
    change_limit = raw.get("change_limit")
    if change_limit is not None and (not isinstance(change_limit, int | float)
                                     or isinstance(change_limit, bool) or change_limit <= 0):
        raise check.fail(f"{where}change_limit", "not-a-number")
    return Indicator(
        code=check.text(raw, "code", where),
        label=check.text(raw, "label", where),
        type=check.choice(raw, "type", where, TYPES),
        unit=raw.get("unit", ""),
        variants=check.texts(raw, "variants", where),
        headers=tuple(tuple(h) for h in headers),
        required=bool(raw.get("required", False)),
        maximum=maximum,
        label_en=check.text(raw, "label_en", where, raw.get("label", "")),
        unit_en=raw.get("unit_en", raw.get("unit", "")),
        over_time=check.choice(raw, "over_time", where, OVER_TIME) if "over_time" in raw
        else "sum",
        change_limit=change_limit,
        ceiling=ceiling,
    )


def _largest_count(check: _Checker, raw: dict) -> int:
    """The form's `max_count`: a whole number from 1 to LARGEST_COUNT_LIMIT (default
    LARGEST_COUNT)."""
    value = raw.get("max_count", LARGEST_COUNT)
    if isinstance(value, bool) or not isinstance(value, int) or \
            not 1 <= value <= LARGEST_COUNT_LIMIT:
        raise check.fail("max_count", "not-allowed", value=str(value),
                         allowed=f"1 … {LARGEST_COUNT_LIMIT}")
    return value


def _side(check: _Checker, raw: Any, where: str, codes: set[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not (("sum" in raw) ^ ("count" in raw)):
        raise check.fail(where, "sum-or-count")
    if "sum" in raw and raw["sum"] not in codes:
        raise check.fail(f"{where}.sum", "unknown-indicator", indicator=raw["sum"])
    if "count" in raw and raw["count"] not in LEVELS:
        raise check.fail(f"{where}.count", "unknown-level", allowed=", ".join(LEVELS))
    if "where" in raw and raw["where"] not in codes:
        raise check.fail(f"{where}.where", "unknown-indicator", indicator=raw["where"])
    return {str(k): str(v) for k, v in raw.items()}


def load_form(path: Path) -> Form:
    """Read and check one form file; raise FormError naming the file and field if broken."""
    check = _Checker(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise check.fail("(file)", "not-toml", error=str(exc)) from exc
    items = raw.get("indicators")
    if not isinstance(items, list) or not items:
        raise check.fail("indicators", "no-indicators")
    ceiling = _largest_count(check, raw)
    indicators = tuple(_indicator(check, item, n, ceiling) for n, item in enumerate(items))
    codes = [i.code for i in indicators]
    for n, code in enumerate(codes):
        if code in codes[:n]:
            raise check.fail(f"indicators[{n}].code", "code-repeated", indicator=code)
    known = set(codes)
    rules = []
    for n, item in enumerate(raw.get("rules", [])):
        where = f"rules[{n}]."
        right = check.texts(item, "right", where)
        for code in (check.text(item, "left", where), *right):
            if code not in known:
                raise check.fail(f"{where}", "unknown-indicator", indicator=code)
        rules.append(Rule(item["left"], check.choice(item, "op", where, OPERATORS), right))
    rates = []
    for n, item in enumerate(raw.get("rates", [])):
        where = f"rates[{n}]."
        rates.append(Rate(
            code=check.text(item, "code", where),
            label=check.text(item, "label", where),
            label_en=item.get("label_en", item.get("label", "")),
            short=item.get("short", item.get("label", "")),
            short_en=item.get("short_en", item.get("label_en", item.get("short", ""))),
            numerator=_side(check, item.get("numerator"), f"{where}numerator", known),
            denominator=_side(check, item.get("denominator"), f"{where}denominator", known),
        ))
    sentences = _sentences(check, raw.get("paragraph", []), known | {r.code for r in rates})
    columns = raw.get("columns", {})
    vertical = raw.get("vertical", {})
    return Form(
        id=check.text(raw, "id", ""),
        title=check.text(raw, "title", ""),
        title_en=raw.get("title_en", raw.get("title", "")),
        row_level=check.choice(raw, "row_level", "", LEVELS),
        sender_level=check.choice(raw, "sender_level", "", LEVELS),
        indicators=indicators,
        rules=tuple(rules),
        rates=tuple(rates),
        columns={k: check.texts(columns, k, "columns.") for k in ("stt", "code", "name")},
        vertical={k: check.texts(vertical, k, "vertical.")
                  for k in ("content", "value", "unit_of_measure")},
        path=str(path),
        paragraph=sentences,
        name=raw.get("name", raw.get("id", "")),
        name_en=raw.get("name_en", raw.get("name", raw.get("id", ""))),
    )


# Names a paragraph sentence may use besides the form's indicator and rate codes.
PARAGRAPH_NAMES = frozenset({"area", "Area", "scope", "period", "relation"})


def _sentences(check: _Checker, items: Any, codes: set[str]) -> tuple[Sentence, ...]:
    """The headline sentences; every {name} must be a code of the form or a known name."""
    import string

    sentences = []
    for n, item in enumerate(items if isinstance(items, list) else []):
        where = f"paragraph[{n}]."
        text = check.text(item, "text", where)
        text_en = item.get("text_en", text)
        for template in (text, text_en):
            try:
                fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
            except ValueError as exc:
                raise check.fail(f"{where}text", "bad-sentence", error=str(exc)) from exc
            for name in fields:
                root = name.split(".")[0]
                if root not in codes and root not in PARAGRAPH_NAMES:
                    raise check.fail(f"{where}text", "unknown-name", name=name)
        when = item.get("when")
        if when is not None and when not in codes:
            raise check.fail(f"{where}when", "unknown-when", when=when)
        sentences.append(Sentence(text, text_en, when, bool(item.get("compare", False))))
    return tuple(sentences)


@dataclass(slots=True)
class FormSet:
    """All forms, with indexes from folded header text to what a column holds.

    `labels` maps a folded leaf label to {(form_id, indicator_code)}; `paths` maps a
    folded (group, leaf) pair to the same; `roles` maps a folded label to {(form_id, role)}
    for the STT, code and name columns. The `*_ascii` twins hold diacritic-free keys and
    are used only where they point to one target.
    """

    forms: dict[str, Form]
    labels: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    paths: dict[tuple[str, ...], set[tuple[str, str]]] = field(default_factory=dict)
    roles: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    vertical_roles: dict[str, str] = field(default_factory=dict)
    header_words: set[str] = field(default_factory=set)
    # What the steps that read with these forms remember (table/headers.py: its Matcher).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for form in self.forms.values():
            for ind in form.indicators:
                for label in (ind.label, *ind.variants):
                    _add(self.labels, label, (form.id, ind.code))
                for path in ind.headers:
                    for key in ({tuple(fold(p) for p in path)}
                                | {tuple(fold_ascii(p) for p in path)}):
                        self.paths.setdefault(key, set()).add((form.id, ind.code))
                    self.header_words.update(fold_ascii(part) for part in path)
            for role, labels in form.columns.items():
                for label in labels:
                    _add(self.roles, label, (form.id, role))
            for role, labels in form.vertical.items():
                for label in labels:
                    self.vertical_roles[fold(label)] = role
                    self.vertical_roles.setdefault(fold_ascii(label), role)

    def match_label(self, text: str) -> set[tuple[str, str]]:
        """The (form, indicator) pairs a header cell's text names, exact key before ascii key."""
        return _lookup(self.labels, text)

    def match_path(self, path: tuple[str, ...]) -> set[tuple[str, str]]:
        """The (form, indicator) pairs a (group, leaf) header path names."""
        found = self.paths.get(tuple(fold(p) for p in path))
        if found:
            return found
        return self.paths.get(tuple(fold_ascii(p) for p in path), set())

    def match_role(self, text: str) -> set[tuple[str, str]]:
        """The (form, role) pairs for STT, code and name column headers."""
        return _lookup(self.roles, text)


def _add(index: dict[str, set], label: str, target: tuple[str, str]) -> None:
    index.setdefault(fold(label), set()).add(target)
    index.setdefault("~" + fold_ascii(label), set()).add(target)


def _lookup(index: dict[str, set], text: str) -> set[tuple[str, str]]:
    found = index.get(fold(text))
    if found:
        return found
    found = index.get("~" + fold_ascii(text), set())
    # A diacritic-free key counts only when it names one indicator of each form.
    forms = [form for form, _ in found]
    return found if len(forms) == len(set(forms)) else set()


def load_forms(directory: str | os.PathLike | None = None) -> FormSet:
    """Load every form in `directory` (default: the bundled schemas/)."""
    folder = Path(directory or SCHEMAS_DIR)
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise FormError("form-invalid", file=str(folder), field="(folder)", reason="no-forms")
    forms: dict[str, Form] = {}
    for path in paths:
        form = load_form(path)
        if form.id in forms:
            raise FormError("form-invalid", file=str(path), field="id", reason="form-repeated",
                            form=form.id, other=forms[form.id].path)
        forms[form.id] = form
    return FormSet(forms)
