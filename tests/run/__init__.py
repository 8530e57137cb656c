"""Tests of run/: submissions, the pool, merge, rollup, compare."""
