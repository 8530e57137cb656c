"""Tests of table/: grid to table to records and problems."""
