"""Helpers the test files share: the sample province's senders, villages and rows, and one-file validation."""

from __future__ import annotations

import random
from pathlib import Path

from antq_cli.forms import FormSet
from antq_cli.model import FileResult, Problem
from antq_cli.run.merge import validate_files
from antq_cli.units.registry import Registry, Unit
from tests import make_sample_data as sample
from tests.builders import random_values


def sample_registry() -> Registry:
    """Registry.from_units over make_sample_data.REGISTRY."""
    return Registry.from_units(
        [Unit(u.code, u.name, u.level, u.parent_code or None) for u in sample.REGISTRY],
        source="sample")


def sender(code: str) -> tuple[str, str, str]:
    """(code, name, parent name) of a sample commune, as the builders take it."""
    unit = sample.UNITS[code]
    return unit.code, unit.name, sample.UNITS[unit.parent_code].name


def villages(commune: str, seed: int = 1) -> list[tuple[str, str, dict[str, int]]]:
    """(code, name, values) of every village of a sample commune, values seeded and valid."""
    rng = random.Random(f"{commune}:{seed}")
    return [(v.code, v.name, random_values("bieu-01", rng))
            for v in sample.VILLAGES if v.parent_code == commune]


def commune_row(commune: str, seed: int = 1) -> list[tuple[str, str, dict[str, int]]]:
    """The one (code, name, values) row of a commune's own bieu-02."""
    rng = random.Random(f"{commune}:{seed}:02")
    return [(commune, sample.UNITS[commune].name, random_values("bieu-02", rng))]


def validate_one(path: Path, forms: FormSet, registry: Registry | None, period=None) -> FileResult:
    """validate_files on one path, returning its one result."""
    [result] = validate_files([path], forms, registry, period)
    return result


def codes(result: FileResult) -> list[str]:
    """The problem codes of a file result, in order."""
    return [p.code for p in result.problems]


def only(result: FileResult, code: str) -> Problem:
    """The single problem of `code` in a file result (fails when there is none or several)."""
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {codes(result)}"
    return found[0]
