"""The robustness suite's summary: what was tried, printed after a normal `pytest -q` run.

Bad inputs and faults that tests in other folders already try are not repeated here; those tests
carry `@pytest.mark.counts(key)` and are counted when they pass in the same run (the hook is in
tests/conftest.py, which sees every test).
"""

from __future__ import annotations

from typing import Any

from tests.robustness.tally import COUNTS, ELSEWHERE


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the counts, ready to paste into the issue note."""
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
