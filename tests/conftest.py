"""Shared fixtures: the forms, two registries (sample province, four levels), three quarters."""

from __future__ import annotations

import pytest

from antq_cli.forms import FormSet, load_forms
from antq_cli.units.registry import Registry, load_registry
from tests.helpers import (
    FOUR_LEVELS,
    same_names_registry,
    sample_registry,
    write_quarter,
    write_units_csv,
)


@pytest.fixture(scope="session")
def forms() -> FormSet:
    """The default forms of schemas/."""
    return load_forms()


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The sample province (4 levels, 10 communes, 60 villages) as a checked registry."""
    return sample_registry()


@pytest.fixture(scope="session")
def same_names() -> Registry:
    """Part of Bình Thuận: two Xã Tân Hà (23221 in Huyện Đức Linh, 23257 in Huyện Hàm Tân)."""
    return same_names_registry()


@pytest.fixture
def four_levels(tmp_path) -> Registry:
    """A registry of four levels read from a CSV: 08 > 070, 071 > three communes > five villages."""
    return load_registry(write_units_csv(tmp_path / "dm.csv", FOUR_LEVELS))


@pytest.fixture(scope="session")
def quarters(tmp_path_factory):
    """Three quarters of both forms from every sample commune: (their folder, their truth)."""
    base = tmp_path_factory.mktemp("quarters")
    truth = {
        "2024-Q1": write_quarter(base / "2024-Q1", "Quý I/2024", "now"),
        "2023-Q1": write_quarter(base / "2023-Q1", "Quý I/2023", "last year"),
        "2023-Q4": write_quarter(base / "2023-Q4", "Quý IV/2023", "last quarter"),
    }
    return base, truth
