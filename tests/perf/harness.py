"""How the benchmark measures: whole processes, each alternated with its reference.

Every timing is the median of several runs taken in turn with the reference (ours, ref, ours,
ref ...), so a burst of load on the machine hits both sides and cancels in the ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PYTHON = sys.executable


def backcoach_command() -> list[str]:
    """The installed console script (what a person types), else `python -m backcoach`."""
    script = Path(PYTHON).parent / "backcoach"
    return [str(script)] if script.exists() else [PYTHON, "-m", "backcoach"]


@dataclass
class Row:
    """One line of the table. `ok` is None for a figure shown for information only."""

    figure: str
    ours: float
    unit: str
    reference: float | None = None
    ref_label: str = ""
    budget: str = ""
    ok: bool | None = None
    note: str = ""
    samples: dict[str, Any] = field(default_factory=dict)
    compare: bool = True  # False: the reference is context (another unit), not a ratio's base
    ref_unit: str = ""  # the reference's unit when it differs from ours

    @property
    def ratio(self) -> float | None:
        """Ours over the reference, when both are figures of the same kind."""
        if not self.compare or self.reference is None or not self.reference:
            return None
        return self.ours / self.reference

    def as_json(self) -> dict[str, Any]:
        """The row for the JSON report."""
        return {"figure": self.figure, "ours": round(self.ours, 4), "unit": self.unit,
                "reference": None if self.reference is None else round(self.reference, 4),
                "reference_is": self.ref_label,
                "ratio": None if self.ratio is None else round(self.ratio, 3),
                "budget": self.budget,
                "result": {True: "pass", False: "FAIL", None: "info"}[self.ok],
                "note": self.note,
                "samples": _rounded(self.samples)}


def _rounded(value: Any) -> Any:
    """Floats to 4 decimals, inside lists and dicts too (a readable JSON report)."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def run_process(argv: Sequence[str], env: dict[str, str], *, ok_codes: Sequence[int] = (0,)
                ) -> float:
    """Wall time of one whole process (seconds), output discarded; fails on an unexpected code."""
    start = time.perf_counter()
    done = subprocess.run(list(argv), env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-800:]}")
    return elapsed


def alternate(ours: Callable[[], float], reference: Callable[[], float], repeats: int,
              warmup: int = 1) -> tuple[list[float], list[float]]:
    """Run ours and the reference in turn `repeats` times (after untimed warm-up runs)."""
    for _ in range(warmup):
        ours()
        reference()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        mine.append(ours())
        theirs.append(reference())
    return mine, theirs


def median(values: Sequence[float]) -> float:
    """The median (0 for no values)."""
    return statistics.median(values) if values else 0.0


def time_row(figure: str, mine: list[float], theirs: list[float], ref_label: str,
             max_ratio: float) -> Row:
    """A row comparing two lists of times (seconds) by the ratio of their medians."""
    row = Row(figure, median(mine) * 1000, "ms", median(theirs) * 1000, ref_label,
              f"<= {max_ratio:g}x", samples={"ours_ms": [v * 1000 for v in mine],
                                              "reference_ms": [v * 1000 for v in theirs]})
    row.ok = row.ratio is not None and row.ratio <= max_ratio
    return row


# --- the machine -----------------------------------------------------------------------------

def other_test_runs() -> list[str]:
    """Command lines of other pytest or benchmark processes running now (they skew timings)."""
    found = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in (me, os.getppid()):
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        line = raw.replace(b"\0", b" ").decode(errors="replace").strip()
        if "pytest" in line or "tests.perf" in line:
            found.append(f"{entry.name}: {line[:120]}")
    return found


def machine_state() -> dict[str, Any]:
    """CPU count, load averages and other test runs: what the figures were taken under."""
    import platform

    return {"cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform(),
            "other_test_runs": other_test_runs()}


# --- the table -------------------------------------------------------------------------------

def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 0 if unit in ("ms",) and value >= 100 else 1 if unit in ("ms", "MiB") else 2
    if unit == "ms/file" or unit == "%":
        digits = 3 if abs(value) < 1 else 2
    return f"{value:.{digits}f} {unit}"


def table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table: figure, ours, reference, ratio, budget, result."""
    header = ("figure", "ours", "reference", "ratio", "budget", "result")
    lines = [(row.figure, _number(row.ours, row.unit),
              _number(row.reference, row.ref_unit or row.unit),
              "-" if row.ratio is None else f"{row.ratio:.2f}x", row.budget or "-",
              {True: "pass", False: "FAIL", None: "info"}[row.ok]) for row in rows]
    widths = [max(len(str(cells[i])) for cells in [header, *lines]) for i in range(6)]
    out = []
    for number, cells in enumerate([header, *lines]):
        out.append("  ".join(str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i])
                             for i, cell in enumerate(cells)).rstrip())
        if number == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
