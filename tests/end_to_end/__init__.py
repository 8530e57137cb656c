"""Tests whose subject is the whole pipeline: sample data, real layouts, hostile files, docs."""
