"""checks.py: check_rules and check_totals give what the plain loops (reference.py) give."""

from __future__ import annotations

import random

import pytest

from antq_cli.forms import load_forms
from antq_cli.model import Record
from antq_cli.table.checks import check_rules, check_totals
from antq_cli.table.parsing import Total
from antq_cli.table.rows import TotalRow
from tests.reference import reference_rules, reference_totals

pytestmark = pytest.mark.equivalence

FORMS = load_forms()
def _figure(rng):
    return rng.choice([0, 1, 2, 5, 9, 10, 0.1, 0.2, 0.7, 1e16, -0.0, 3.5])


@pytest.mark.parametrize("seed", range(200))
def test_checks_as_the_plain_loops(seed):
    rng = random.Random(seed)
    form = FORMS.forms[rng.choice(["bieu-01", "bieu-02"])]
    codes = [ind.code for ind in form.indicators]
    records = []
    for row in range(rng.randint(0, 8)):
        present = [c for c in codes if rng.random() < 0.9]
        values = {c: _figure(rng) for c in present}
        cells = {c: f"C{row + 4}" for c in present}
        records.append(Record(form.id, "S", row + 4, f"Thôn {row}", "", values, cells))
    totals = []
    for _ in range(rng.randint(0, 2)):
        scope = [r for r in range(2, 12) if rng.random() < 0.7]
        present = [c for c in codes if rng.random() < 0.8]
        totals.append(Total(TotalRow(row=1, label="Cộng", scope=scope),
                            {c: _figure(rng) for c in present}, {c: "C2" for c in present}))
    assert check_rules(form, records) == reference_rules(form, records)
    assert check_totals(form, records, totals) == reference_totals(form, records, totals)
    assert repr(check_totals(form, records, totals)) == \
        repr(reference_totals(form, records, totals))
