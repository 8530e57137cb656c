"""`antq merge --export FILE`: the merged data as a long table (one row per unit and
indicator, run/frame.py) in CSV for any tool, XLSX for a pivot table, or Parquet for analysts
(with the optional `antq[parquet]` extra)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..model import AntqError
from .safe import write_atomically
from .workbook.sheets import TEXT_STAYS_TEXT

SUFFIXES = (".csv", ".xlsx", ".parquet")


def check_export(path: str | os.PathLike) -> None:
    """The export's suffix is one antq writes, and Parquet's library is there (said before any
    file is read)."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise AntqError("export-suffix", path=str(path), suffixes=", ".join(SUFFIXES))
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401 - pandas writes Parquet through it
        except ImportError:
            raise AntqError("export-needs-parquet", path=str(path)) from None


def write_export(path: str | os.PathLike, frame: Any) -> Path:
    """Write the DataFrame to `path` atomically in the format its suffix names."""
    suffix = Path(path).suffix.lower()
    check_export(path)

    def write(temporary: Path) -> None:
        if suffix == ".csv":  # with a BOM, so Excel opens the Vietnamese right
            frame.to_csv(temporary, index=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":  # text stays text: a unit named "=..." is no formula
            frame.to_excel(temporary, index=False, sheet_name="antq", engine="xlsxwriter",
                           engine_kwargs={"options": TEXT_STAYS_TEXT})
        else:
            frame.to_parquet(temporary, index=False)

    return write_atomically(path, write)
