"""Counts for the robustness summary printed at the end of a test run (see conftest.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

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


def print_summary(terminalreporter: Any) -> None:
    """Print the counts, ready to paste into the issue note, when robustness tests ran."""
    reports = [report for outcome in terminalreporter.stats.values() for report in outcome
               if hasattr(report, "nodeid")]
    if not any(report.nodeid.startswith("tests/robustness/") for report in reports):
        return

    def elsewhere(key: str) -> str:
        return f"of which {ELSEWHERE[key]} in other test folders"

    rows = [
        ("bad inputs tried", "bad_inputs", elsewhere("bad_inputs")),
        ("fuzzed loader inputs (hypothesis)", "fuzz_examples", ""),
        ("hostile strings rendered", "hostile_strings", "live, plain, jsonl, speech"),
        ("session faults injected", "session_faults", elsewhere("session_faults")),
        ("storage faults injected", "storage_faults", elsewhere("storage_faults")),
        ("clock and calendar cases", "clock_checks", ""),
        ("files named on the command line", "named_files", "export -o, run --events"),
        ("hostile homes x commands", "hostile_homes", "the fresh-home sweep"),
        ("foreign history rows read", "foreign_rows", "written by hand or another tool"),
        ("user folders and files tried", "user_folders", "links, limits, broken files"),
        ("sessions written under load", "load_sessions", "two processes at once"),
        ("rows written under load", "load_rows", "session and exercise rows, checked"),
        ("rows lost", "rows_lost", "must be 0"),
    ]
    terminalreporter.section("robustness summary")
    for label, key, note in rows:
        suffix = f"   ({note})" if note else ""
        terminalreporter.write_line(f"{label:<36}{COUNTS[key]:>7}{suffix}")
