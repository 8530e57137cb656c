"""A registry written as a CSV (`antq units -o`): one province of the official list, to which
the user adds the villages."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from ..model import AntqError
from ..units.registry import FIELDS, Registry
from .safe import cell_text, write_atomically


def write_registry_csv(registry: Registry, path: str | os.PathLike) -> Path:
    """Write `registry` as a registry CSV (UTF-8 with BOM for Excel), parents first.

    Never over an existing file: it may hold the villages the user added to an earlier copy.
    """
    target = Path(path)
    if target.suffix.lower() != ".csv":
        raise AntqError("units-output-not-csv", path=str(path))
    if target.exists():
        raise AntqError("units-output-exists", path=str(path))

    def write(temporary: Path) -> None:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(FIELDS)
            for unit in registry:
                writer.writerow((unit.code, cell_text(unit.name), unit.level, unit.parent or ""))

    return write_atomically(target, write)
