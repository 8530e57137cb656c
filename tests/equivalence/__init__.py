"""Fast paths checked against their plain references (tests/reference.py); marker equivalence."""
