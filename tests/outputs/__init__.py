"""Tests of outputs/: messages, reports, the paragraph, annotated copies, templates, workbooks."""
