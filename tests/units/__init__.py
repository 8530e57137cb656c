"""Tests of units/: the registry, its file, the official lists."""
