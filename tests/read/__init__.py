"""Tests of read/: bytes to a Workbook (reading.py, guards.py, textfile.py)."""
