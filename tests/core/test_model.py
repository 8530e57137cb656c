"""model.py: the values that flow, and what keeps a run's memory to what it needs."""

from __future__ import annotations

import pickle

from antq_cli.model import (
    ERROR,
    WARNING,
    FileResult,
    Problem,
    Record,
    RowCells,
    cap_problems,
    problem_counts,
)


def test_the_first_problems_of_each_code_are_kept_then_counted():
    problems = ([Problem(ERROR, "not-a-number", cell=f"C{n}") for n in range(120)]
                + [Problem(WARNING, "hidden-characters")] * 3
                + [Problem(ERROR, "negative", cell=f"D{n}") for n in range(51)])
    kept = cap_problems(problems)
    assert [p.cell for p in kept if p.code == "not-a-number"] == [f"C{n}" for n in range(50)]
    assert [p.code for p in kept].count("hidden-characters") == 3
    more = [(p.severity, p.params) for p in kept if p.code == "more-problems"]
    assert more == [(ERROR, {"code": "not-a-number", "count": 70, "shown": 50}),
                    (ERROR, {"code": "negative", "count": 1, "shown": 50})]
    assert problem_counts(kept) == problem_counts(problems) == (171, 3)


def test_capping_again_adds_to_the_count():
    kept = cap_problems([Problem(WARNING, "x")] * 60)
    again = cap_problems(kept + [Problem(WARNING, "x")] * 5 + [Problem(ERROR, "x")])
    [more] = [p for p in again if p.code == "more-problems"]
    assert (more.severity, more.params["count"]) == (ERROR, 16)
    assert cap_problems(again) == again


def test_a_rejected_file_keeps_one_row_per_unit_and_counts_them_all():
    result = FileResult("a.xlsx", records=[
        Record("bieu-01", "S", n, f"Thôn {n}", "", {"meetings": n}, {}, unit=unit)
        for n, unit in enumerate(["991031", "991032", "991031", "", "991033"])])
    result.drop_rows(lambda record: "99103" if record.unit != "991033" else "99104")
    assert [(r.form, r.unit, r.values) for r in result.records] == [
        ("bieu-01", "99103", {}), ("bieu-01", "99104", {})]
    assert result.rows == 5
    result.drop_rows(lambda record: "")
    assert (result.records, result.rows) == ([], 5)


def test_row_cells_read_as_the_dict_they_stand_for():
    cells = RowCells({"meetings": "C", "households": "E"}, 12)
    assert cells == {"meetings": "C12", "households": "E12"}
    assert cells["households"] == "E12" and list(cells.values()) == ["C12", "E12"]
    assert pickle.loads(pickle.dumps(cells)) == cells
