"""The official lists of provinces, districts and communes, bundled offline, one era at a time.

Two eras: "2025", the list of QĐ 19/2025/QĐ-TTg in force since 1 July 2025 (34 provinces,
3,321 communes, no districts), and "legacy", the 63-province list before it (63 provinces,
696 districts, 10,035 communes). Codes were reused across the reform (00004 is Phường Trúc
Bạch before it and Phường Ba Đình after), so a registry built here holds exactly one era's
units, knows its era (`Registry.era`), and no code is ever looked up across eras.
The data and its source are in data/ (see data/SOURCES.md).
"""

from __future__ import annotations

import csv
import gzip
import io
from datetime import date
from functools import lru_cache
from importlib import resources

from ..model import AntqError
from ..periods import Period, parse_period_option, window
from ..text import clean
from .registry import Registry, Unit

ERAS = ("2025", "legacy")
# The first day of the 2025 list: a period whose data window ends on or after it uses it.
REFORM = date(2025, 7, 1)
_FILES = {"2025": "units-2025.csv.gz", "legacy": "units-legacy.csv.gz"}


def _era(era: str) -> str:
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; expected one of {', '.join(ERAS)}")
    return era


@lru_cache(maxsize=None)
def _read(era: str) -> tuple[Unit, ...]:
    """One era's units from its bundled file, parents before children, by code."""
    packed = resources.files("antq_cli").joinpath("data", _FILES[era]).read_bytes()
    text = io.StringIO(gzip.decompress(packed).decode("utf-8"), newline="")
    rows = csv.reader(text)
    next(rows)  # the header
    return tuple(Unit(code, name, level, parent or None) for code, name, level, parent in rows)


def official_units(era: str = "2025") -> list[Unit]:
    """Every unit of one era's official list, each province followed by its units, by code."""
    return list(_read(_era(era)))


@lru_cache(maxsize=None)
def _country(era: str) -> Registry:
    return Registry(_read(era), era=era)


def official_registry(era: str = "2025", province: str | None = None) -> Registry:
    """One era's list as a registry: the whole country, or one province (code or name).

    An unknown province raises AntqError("unknown-province") with the closest names.
    """
    country = _country(_era(era))
    if province is None:
        return country
    unit = find_province(province, era)
    if unit is None:
        raise _unknown_province(province, era)
    units = [unit, *country.descendants(unit.code)]
    return Registry(units, era=era)


def find_province(text: object, era: str = "2025") -> Unit | None:
    """The province written as a code ("08", "8") or a name ("Tuyên Quang", "tuyen quang")."""
    country = _country(_era(era))
    written = clean(text)
    if written.isdigit():
        # Province codes have two digits; "00004" is a commune, not province 04.
        unit = country.get(written.zfill(2)) if len(written) <= 2 else None
        return unit if unit is not None and unit.level == "province" else None
    return country.find(written, "province").unit if written else None


def era_for(period: Period | None) -> str:
    """The era of a period: "2025" when its data window ends on or after 1/7/2025 (or no period)."""
    if period is None:
        return "2025"
    return "2025" if window(period)[1] >= REFORM else "legacy"


def pick_era(era: str | None, period: str | None) -> str:
    """The era asked for, else the one of the period given on the command line, else "2025"."""
    if era is not None:
        return _era(era)
    if period is None:
        return "2025"
    try:
        return era_for(parse_period_option(period))
    except ValueError:
        raise AntqError("bad-period", value=period) from None


def unit_counts(registry: Registry, code: str | None = None) -> dict[str, int]:
    """Units per level under `code` ({"district": 9, "commune": 124}), or in the whole registry."""
    if code is None:
        return {level: len(registry.units(level)) for level in registry.levels}
    below = {level: len(registry.descendants(code, level)) for level in registry.levels}
    return {level: count for level, count in below.items() if count}


def _unknown_province(written: str, era: str) -> AntqError:
    """The error for a province not in `era`, with close names and the other era's match:
    `hint` holds the codes of the hints that apply ("close", "other-era")."""
    close = _country(era).find(clean(written), "province").suggestions
    other = next(e for e in ERAS if e != era)
    elsewhere = find_province(written, other)
    hint = []
    if close:
        hint.append("close")
    if elsewhere is not None:
        hint.append("other-era")
    return AntqError("unknown-province", value=clean(written), era=era, hint=tuple(hint),
                     close=", ".join(close), other_era=other,
                     province=elsewhere.name if elsewhere else "",
                     province_code=elsewhere.code if elsewhere else "")
