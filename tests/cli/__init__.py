"""Tests of cli/: the typer app."""
