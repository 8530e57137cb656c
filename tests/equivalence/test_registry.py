"""Registry.lookup is `find` without its Match: the same unit when found by the folded name or
without the type word, else None (and `find` then says why)."""

from __future__ import annotations

import pytest

from antq_cli.units.registry import Registry, Unit, load_registry
from antq_cli.text import fold_ascii
from tests.helpers import sample_registry
from tests.reference import reference_lookup

UNITS = [
    Unit("08", "Tỉnh Tuyên Quang", "province"),
    Unit("070", "Thành phố Tuyên Quang", "district", "08"),
    Unit("02215", "Xã Tân Đức", "commune", "070"),
    Unit("02230", "Xã Lăng Can", "commune", "070"),
    Unit("T1", "Thôn Tân Hòa", "village", "02215"),
    Unit("T2", "Thôn 1", "village", "02215"),
    Unit("T3", "Thôn 1", "village", "02230"),
    Unit("T6", "Tổ 1", "village", "02230"),
    Unit("T4", "Tân Hòa", "village", "02230"),
    Unit("T5", "  Bản  Khuôn Hà ", "village", "02230"),  # trusted as given, not cleaned
]


def _names(registry: Registry) -> list[object]:
    names: list[object] = ["", " ", None, 12, 12.0, "Không có", "Thon 1", "1", "Tân Hoà",
                           "Tân Hỏa", "thôn\u202e 1", "Ban Khuon Ha", "Xa Tan Duc"]
    for unit in registry:
        name = unit.name
        names += [name, name.upper(), f"  {name}\n", name.split(" ", 1)[-1], fold_ascii(name),
                  "Thôn " + name.split(" ", 1)[-1], "Tổ dân phố " + name.split(" ", 1)[-1]]
    return names


@pytest.mark.parametrize("registry", [Registry(UNITS), sample_registry()],
                         ids=["trusted", "sample"])
def test_lookup_is_find_unless_find_needs_more(registry):
    scopes = [None] + [unit.code for unit in registry if unit.level != "village"]
    for level in ("province", "district", "commune", "village", "Xã", "thôn"):
        for within in scopes:
            for name in _names(registry):
                expected = reference_lookup(registry, name, level, within)
                assert registry.lookup(name, level, within) == expected, (name, level, within)


def test_lookup_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        Registry(UNITS).lookup("Thôn 1", "hamlet")


def test_lookup_on_the_sample(tmp_path):
    registry = load_registry("sample_data/registry.csv")
    unit = next(u for u in registry if u.level == "village")
    assert registry.lookup(unit.name, "village", unit.parent) == unit
