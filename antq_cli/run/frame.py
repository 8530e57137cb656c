"""The merged data for analysts: one tidy pandas DataFrame, a row per unit of every level and
indicator, for pivot tables and one's own scripts (`MergeResult.to_frame()`, `antq merge
--export`). pandas is imported here only, when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..text import readable_path

if TYPE_CHECKING:
    import pandas

COLUMNS = ("period", "unit_code", "unit_name", "level", "parent_code", "province_code",
           "district_code", "commune_code", "form", "indicator", "value", "file", "sheet",
           "cell")


def merge_frame(result: Any) -> pandas.DataFrame:
    """Every unit in the merge's scope, every indicator its level carries: the figure (None
    where nothing under the unit was reported: "chưa báo cáo", never 0), its form, and for a
    unit that sent the row itself, the file, sheet and cell it came from. The ancestors'
    codes let a pivot table group by province, district or commune. `result` is a
    merge.MergeResult (which calls this: no import back)."""
    import pandas

    roll, registry = result.rollup, result.registry
    period = result.period.code if result.period else ""
    sources = _sources(result)
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for unit in roll.units:
        # None where nothing was reported or quarters cannot make the figure, as everywhere
        values = roll.figures(unit.code) if unit.code in roll.values else {}
        above = [registry.ancestor_at(unit.code, level) if unit.code in registry else None
                 for level in ("province", "district", "commune")]
        for indicator, value in values.items():
            form = roll.form_of.get(indicator, "")
            file, sheet, cell = sources.get((unit.code, form, indicator), ("", "", ""))
            row = (period, unit.code, unit.name, unit.level, unit.parent or "",
                   *(a.code if a is not None else "" for a in above), form, indicator,
                   value, file, sheet, cell)
            for name, item in zip(COLUMNS, row):
                columns[name].append(item)
    frame = pandas.DataFrame(columns)
    frame["value"] = frame["value"].astype("Int64")  # whole counts, with <NA> for no report
    return frame


def _sources(result: Any) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """(unit, form, indicator) -> (file, sheet, cell) of every accepted row."""
    found = {}
    for file in result.files:
        if file.status != "accepted":
            continue
        path = readable_path(file.path)
        for record in file.records:
            if record.unit:
                for indicator, cell in record.cells.items():
                    found[record.unit, record.form, indicator] = (path, record.sheet, cell)
    return found
