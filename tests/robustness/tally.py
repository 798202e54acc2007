"""Counts for the robustness summary printed at the end of a test run (see conftest.py)."""

from __future__ import annotations

from collections import Counter

# Keys: bad_inputs, fuzz_examples, hostile_strings, session_faults, storage_faults,
# load_sessions, load_rows, rows_lost, clock_checks, named_files, hostile_homes, foreign_rows,
# user_folders.
COUNTS: Counter[str] = Counter()
# Of those, the ones counted from passing tests in other folders that carry
# `@pytest.mark.counts(key)`: each feeds one bad input or injects one fault.
ELSEWHERE: Counter[str] = Counter()


def add(key: str, amount: int = 1) -> None:
    """Add to one count."""
    COUNTS[key] += amount


def add_elsewhere(key: str) -> None:
    """Count one passing test outside tests/robustness marked `counts(key)`."""
    COUNTS[key] += 1
    ELSEWHERE[key] += 1
