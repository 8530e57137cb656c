"""rollup.py: the column-at-a-time rollup gives what adding unit by unit (reference.py) gives.

Values, their types and key order, every rate, on random trees, records and forms.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from antq_cli.forms import FormSet, Rate
from antq_cli.model import Record
from antq_cli.run.rollup import rollup
from antq_cli.units.registry import Registry, Unit
from tests.reference import reference_rollup

pytestmark = pytest.mark.equivalence


def _tree(rng: random.Random) -> Registry:
    units = [Unit("P", "Tỉnh P", "province")]
    for d in range(rng.randint(0, 2)):
        units.append(Unit(f"D{d}", f"Huyện {d}", "district", "P"))
    parents = ["P"] + [u.code for u in units if u.level == "district"]
    for c in range(rng.randint(1, 6)):
        units.append(Unit(f"C{c}", f"Xã {c}", "commune", rng.choice(parents)))
        for v in range(rng.randint(0, 5)):
            units.append(Unit(f"C{c}V{v}", f"Thôn {v}", "village", f"C{c}"))
    return Registry.from_units(units)


def _records(rng: random.Random, registry: Registry, forms: FormSet) -> list[Record]:
    records = []
    for unit in registry:
        form = next((f for f in forms.forms.values() if f.row_level == unit.level), None)
        if form is None or rng.random() < 0.2:
            continue
        for _ in range(rng.choice((1, 1, 1, 2))):
            codes = [i.code for i in form.indicators if rng.random() < 0.9]
            if rng.random() < 0.1:
                codes.append(rng.choice([i.code for f in forms.forms.values()
                                         for i in f.indicators]))
            if rng.random() < 0.2:
                rng.shuffle(codes)
            pick = (lambda: rng.randint(0, 3)) if rng.random() < 0.8 else \
                (lambda: rng.choice((0, 1, 2.5, 3.0, 1.0)))
            values = {code: pick() for code in codes}
            records.append(Record(form.id, "s", 1, unit.name, "", values, {}, unit=unit.code))
    return records


def _shared_rate_code(forms: FormSet) -> FormSet:
    """The forms with a second form's first rate renamed to the first form's first rate."""
    first, second = list(forms.forms.values())[:2]
    renamed = dataclasses.replace(second.rates[0], code=first.rates[0].code)
    extra = Rate("extra", "x", "x", "x", {"count": "village", "where": first.indicators[0].code},
                 {"sum": first.indicators[1].code})
    changed = dataclasses.replace(second, rates=(renamed, *second.rates[1:], extra))
    return FormSet({**forms.forms, second.id: changed})


@pytest.mark.parametrize("seed", range(60))
def test_rollup_matches_reference(forms: FormSet, seed: int) -> None:
    rng = random.Random(seed)
    registry = _tree(rng)
    used = _shared_rate_code(forms) if seed % 3 == 0 else forms
    records = _records(rng, registry, used)
    scope = None if seed % 2 else rng.choice(registry.units())
    result = rollup(records, registry, used, scope)
    values, rates = reference_rollup(records, registry, used, scope)
    assert list(result.values) == list(values)
    for code, expected in values.items():
        got = result.values[code]
        assert list(got.items()) == list(expected.items())
        assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]
    assert list(result.rates) == list(rates)
    for code, expected in rates.items():
        got = {rate: [value.numerator, value.denominator]
               for rate, value in result.rates[code].items()}
        assert got == expected
        assert [type(side) for pair in got.values() for side in pair] == \
            [type(side) for pair in expected.values() for side in pair]
