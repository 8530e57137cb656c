"""registry.py: lookup and common_ancestor give what their plain versions (reference.py) give.

Registry.lookup is `find` without its Match: the same unit when found by the folded name or
without the type word, else None (and `find` then says why). common_ancestor, read from the
tree order, is the last unit the chains from the root to each code all share.
"""

from __future__ import annotations

import pytest

from antq_cli.text import fold_ascii
from antq_cli.units.registry import Registry
from tests.helpers import TRUSTED_UNITS, sample_registry
from tests.reference import reference_common_ancestor, reference_lookup

pytestmark = pytest.mark.equivalence


def _names(registry: Registry) -> list[object]:
    names: list[object] = ["", " ", None, 12, 12.0, "Không có", "Thon 1", "1", "Tân Hoà",
                           "Tân Hỏa", "thôn\u202e 1", "Ban Khuon Ha", "Xa Tan Duc"]
    for unit in registry:
        name = unit.name
        names += [name, name.upper(), f"  {name}\n", name.split(" ", 1)[-1], fold_ascii(name),
                  "Thôn " + name.split(" ", 1)[-1], "Tổ dân phố " + name.split(" ", 1)[-1]]
    return names


@pytest.mark.parametrize("registry", [Registry(TRUSTED_UNITS), sample_registry()],
                         ids=["trusted", "sample"])
def test_lookup_is_find_unless_find_needs_more(registry):
    scopes = [None] + [unit.code for unit in registry if unit.level != "village"]
    for level in ("province", "district", "commune", "village", "Xã", "thôn"):
        for within in scopes:
            for name in _names(registry):
                expected = reference_lookup(registry, name, level, within)
                assert registry.lookup(name, level, within) == expected, (name, level, within)


def test_common_ancestor_is_the_deepest_unit_on_every_chain(four_levels):
    """Against the definition (reference.py), for every set of up to three units, in any
    order: the last unit that the chains from the root to each code all share."""
    from itertools import combinations, permutations

    codes = [u.code for u in four_levels.units()]
    for size in (1, 2, 3):
        for chosen in combinations(codes, size):
            for order in permutations(chosen):
                found = four_levels.common_ancestor(order)
                assert (found.code if found else None) == \
                    reference_common_ancestor(four_levels, order), order
