"""Shared fixtures: the forms and a registry of the sample province (helpers are in helpers.py)."""

from __future__ import annotations

import pytest

from antq_cli.forms import FormSet, load_forms
from antq_cli.units.registry import Registry, load_registry
from tests.helpers import FOUR_LEVELS, sample_registry, write_units_csv


@pytest.fixture(scope="session")
def forms() -> FormSet:
    """The default forms of schemas/."""
    return load_forms()


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The sample province (4 levels, 10 communes, 60 villages) as a checked registry."""
    return sample_registry()


@pytest.fixture
def four_levels(tmp_path) -> Registry:
    """A registry of four levels read from a CSV: 08 > 070, 071 > three communes > five villages."""
    return load_registry(write_units_csv(tmp_path / "dm.csv", FOUR_LEVELS))
