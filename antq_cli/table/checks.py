"""Records → problems: the form's rules on every row, and total rows against their rows.

Pure functions: no I/O, no printing. Every failure names both numbers and the cell.
"""

from __future__ import annotations

import operator
from itertools import repeat

from ..forms import Form
from ..model import ERROR, Problem, Record
from .parsing import Total
from .table import Table

_OPS = {"<=": operator.le, ">=": operator.ge, "=": operator.eq, "<": operator.lt, ">": operator.gt}


def check_rules(form: Form, records: list[Record]) -> list[Problem]:
    """Every cross-indicator rule of the form, on every record that has all its figures."""
    problems = []
    # Each rule's codes and comparison looked up once per table, not once per row.
    rules = [(rule, rule.left, rule.right, _OPS[rule.op]) for rule in form.rules]
    for record in records:
        values = record.values
        for rule, left_code, right_codes, holds in rules:
            if left_code not in values or not all(map(values.__contains__, right_codes)):
                continue
            left = values[left_code]
            right = sum(map(values.__getitem__, right_codes))
            if holds(left, right):
                continue
            problems.append(Problem(
                ERROR, "rule-failed", sheet=record.sheet, cell=record.cells[rule.left],
                indicator=rule.left, unit=record.label,
                params={
                    "left_label": form.indicator(rule.left).label, "left": left, "op": rule.op,
                    "right_label": " + ".join(form.indicator(c).label for c in rule.right),
                    "right": right,
                },
            ))
    return problems


def check_totals(form: Form, records: list[Record], totals: list[Total]) -> list[Problem]:
    """Each total row against the sum of the rows it covers; never added in."""
    if not totals:
        return []
    by_row = {record.row - 1: record for record in records}
    problems = []
    for total in totals:
        covered = [by_row[r] for r in total.row.scope if r in by_row]
        figures = [record.values for record in covered]
        for code, written in total.values.items():
            computed = sum(map(dict.get, figures, repeat(code), repeat(0)))
            if written != computed:
                problems.append(Problem(
                    ERROR, "total-mismatch", sheet=covered[0].sheet if covered else "",
                    cell=total.cells[code], indicator=code,
                    params={"label": total.row.label, "written": written,
                            "computed": computed, "rows": len(covered),
                            "indicator_label": form.indicator(code).label},
                ))
    return problems


def check_table(table: Table) -> list[Problem]:
    """What is wrong with the table's shape: missing or repeated indicator columns, no data."""
    form = table.form
    problems = []
    for code in table.missing:
        ind = form.indicator(code)
        # The one header cell no indicator was found in is likely the missing one's.
        cell = table.unmatched[0][0] if len(table.unmatched) == 1 else ""
        problems.append(Problem(ERROR, "missing-column", sheet=table.sheet, cell=cell,
                                indicator=code,
                                params={"label": ind.label, "form": form.id,
                                        "unmatched": tuple(table.unmatched)}))
    for code, first, other in table.duplicates:
        problems.append(Problem(ERROR, "duplicate-column", sheet=table.sheet, cell=other,
                                indicator=code,
                                params={"label": form.indicator(code).label, "cell": first,
                                        "other": other}))
    if not table.vertical and not table.data_rows:
        problems.append(Problem("warning", "empty-form", sheet=table.sheet,
                                params={"form": form.id}))
    return problems
