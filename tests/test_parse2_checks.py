"""check_rules and check_totals give what the plain per-row loops give, on random records."""

from __future__ import annotations

import operator
import random

import pytest

from antq_cli.table.checks import check_rules, check_totals
from antq_cli.forms import load_forms
from antq_cli.table.rows import TotalRow
from antq_cli.model import ERROR, Problem, Record
from antq_cli.table.parsing import Total

FORMS = load_forms()
OPS = {"<=": operator.le, ">=": operator.ge, "=": operator.eq, "<": operator.lt, ">": operator.gt}


def _rules(form, records):
    problems = []
    for record in records:
        for rule in form.rules:
            if not all(code in record.values for code in (rule.left, *rule.right)):
                continue
            left = record.values[rule.left]
            right = sum(record.values[code] for code in rule.right)
            if not OPS[rule.op](left, right):
                problems.append(Problem(
                    ERROR, "rule-failed", sheet=record.sheet, cell=record.cells[rule.left],
                    indicator=rule.left, unit=record.label,
                    params={"left_label": form.indicator(rule.left).label, "left": left,
                            "op": rule.op, "right_label": " + ".join(
                                form.indicator(c).label for c in rule.right),
                            "right": right}))
    return problems


def _totals(form, records, totals):
    by_row = {record.row - 1: record for record in records}
    problems = []
    for total in totals:
        covered = [by_row[r] for r in total.row.scope if r in by_row]
        for code, written in total.values.items():
            computed = sum(record.values.get(code, 0) for record in covered)
            if written != computed:
                problems.append(Problem(
                    ERROR, "total-mismatch", sheet=covered[0].sheet if covered else "",
                    cell=total.cells[code], indicator=code,
                    params={"label": total.row.label, "written": written, "computed": computed,
                            "rows": len(covered),
                            "indicator_label": form.indicator(code).label}))
    return problems


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
    assert check_rules(form, records) == _rules(form, records)
    assert check_totals(form, records, totals) == _totals(form, records, totals)
    assert repr(check_totals(form, records, totals)) == repr(_totals(form, records, totals))
