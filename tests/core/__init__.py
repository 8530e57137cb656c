"""Tests of the ground floor: model, text, numbers, encodings, periods, forms."""
