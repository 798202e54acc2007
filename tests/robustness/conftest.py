"""The robustness suite's summary: what was tried, printed after a normal `pytest -q` run.

Bad inputs and faults that other test modules already try (tests/cli/test_validate.py,
tests/test_yamlsrc.py, tests/test_storage.py, tests/cli/test_run.py) are not repeated here;
they are counted when they pass in the same run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.robustness.tally import COUNTS

# Passing tests elsewhere that feed one bad input or inject one fault each: nodeid prefixes.
REUSED = {
    "bad_inputs": (
        "tests/cli/test_validate.py::test_bad_file[",
        "tests/cli/test_validate.py::test_non_utf8_file",
        "tests/cli/test_validate.py::test_raw_escape_byte",
        "tests/cli/test_validate.py::test_bidi_override_is_refused",
        "tests/cli/test_validate.py::test_empty_files[",
        "tests/cli/test_validate.py::test_empty_routine_file",
        "tests/cli/test_validate.py::test_yaml_integer_forms_do_not_crash",
        "tests/cli/test_validate.py::test_missing_path",
        "tests/test_yamlsrc.py::test_read_text_points_at_the_first_non_utf8_byte",
        "tests/test_yamlsrc.py::test_read_text_refuses_huge_files",
        "tests/test_yamlsrc.py::test_read_text_missing_file",
        "tests/test_yamlsrc.py::test_syntax_errors_are_one_line_at_their_position[",
        "tests/test_yamlsrc.py::test_deep_nesting_is_a_problem_not_a_crash",
    ),
    "storage_faults": (
        "tests/test_storage.py::test_a_file_that_is_not_ours_is_refused_and_left_untouched[",
        "tests/test_storage.py::test_damage_found_later_is_a_storage_error_too",
        "tests/test_storage.py::test_a_folder_in_place_of_the_file",
        "tests/test_storage.py::test_a_read_only_folder_without_history",
        "tests/test_storage.py::test_a_read_only_folder_with_history",
        "tests/test_storage.py::test_a_folder_that_cannot_be_created",
    ),
    "session_faults": (
        "tests/cli/test_run.py::test_sigkill_mid_session_keeps_the_done_part",
        "tests/cli/test_run.py::test_pty_ctrl_c_saves_and_exits_130",
    ),
}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the counts, ready to paste into the issue note."""
    reports = [report for outcome in terminalreporter.stats.values() for report in outcome
               if isinstance(report, pytest.TestReport)]
    if not any(report.nodeid.startswith("tests/robustness/") for report in reports):
        return
    # Other folders' tests are counted from the run's reports: a conftest here is not told
    # about them as they run.
    passed = [report.nodeid for report in terminalreporter.stats.get("passed", [])
              if report.when == "call"]
    reused = {key: sum(node.startswith(prefixes) for node in passed)
              for key, prefixes in REUSED.items()}
    total = COUNTS + Counter(reused)
    rows = [
        ("bad inputs tried", "bad_inputs",
         f"of which {reused['bad_inputs']} in test_validate and test_yamlsrc"),
        ("fuzzed loader inputs (hypothesis)", "fuzz_examples", ""),
        ("hostile strings rendered", "hostile_strings", "live, plain, jsonl, speech"),
        ("session faults injected", "session_faults",
         f"of which {reused['session_faults']} in test_run"),
        ("storage faults injected", "storage_faults",
         f"of which {reused['storage_faults']} in test_storage"),
        ("clock and calendar cases", "clock_checks", ""),
        ("sessions written under load", "load_sessions", "two processes at once"),
        ("rows written under load", "load_rows", "session and exercise rows, checked"),
        ("rows lost", "rows_lost", "must be 0"),
    ]
    terminalreporter.section("robustness summary")
    for label, key, note in rows:
        suffix = f"   ({note})" if note else ""
        terminalreporter.write_line(f"{label:<36}{total[key]:>7}{suffix}")
