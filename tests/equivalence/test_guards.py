"""guards.py: its far-reference pattern matches where the plain one (reference.py) matches."""

from __future__ import annotations

import random

import pytest

from antq_cli.read import guards
from tests.reference import FAR_REF

pytestmark = pytest.mark.equivalence


def test_far_ref_is_the_plain_pattern():
    rng = random.Random(12)
    for _ in range(50000):
        xml = bytes(rng.choice(b'r="ACDZ09" ') for _ in range(rng.randint(0, 16)))
        assert bool(guards._FAR_REF.search(xml)) == bool(FAR_REF.search(xml)), xml
