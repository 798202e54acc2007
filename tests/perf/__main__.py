"""Run every measurement of issue 7, print the table and write it as JSON.

    python -m tests.perf                  # the full run (several minutes, one 60 s real-time hold)
    python -m tests.perf --quick          # fewer repeats, no 60 s hold: for development
    python -m tests.perf --only startup,history --json /tmp/perf.json
    python -m tests.perf --typer-latest   # also the start-up rows under the newest typer

Timings are medians of whole-process runs, each taken in turn with its reference in the same
run. Take figures on a quiet machine: the report records the load and other test runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.perf.harness import Row, backcoach_command, machine_state, table
from tests.perf.scenarios import SCENARIOS, Setup


def latest_typer_setup(root: Path, repeats: int, quick: bool) -> Setup:
    """A throwaway venv with the newest typer (and rich, pyyaml) and this checkout of
    backcoach installed without its dependency pins; a Setup that runs in it."""
    venv = root / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "--upgrade", "typer", "rich", "pyyaml", "pexpect"], check=True)
        subprocess.run([*pip, "--no-deps", str(Path(__file__).resolve().parents[2])],
                       check=True)
    version = subprocess.run([str(python), "-c", "import typer; print(typer.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    return Setup(root, [str(venv / "bin" / "backcoach")], repeats, quick, python=str(python),
                 label=f" (typer {version})")


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the scenarios, report; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(prog="python -m tests.perf",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and no 60 s real-time hold (for development)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="runs per figure for the startup timings (default 15, quick 5)")
    parser.add_argument("--only", default="",
                        help=f"comma-separated scenarios: {', '.join(SCENARIOS)}")
    parser.add_argument("--json", type=Path, default=Path("perf-results.json"),
                        help="where to write the JSON report (default: ./perf-results.json)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--typer-latest", action="store_true",
                        help="also measure the start-up rows with the newest typer on PyPI, "
                        "in a throwaway venv (the project caps typer below 0.29; this shows "
                        "whether the cap still pays)")
    options = parser.parse_args(argv)

    wanted = [name.strip() for name in options.only.split(",") if name.strip()] or list(SCENARIOS)
    unknown = [name for name in wanted if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    if options.quick and "minute" in wanted and not options.only:
        wanted.remove("minute")
    repeats = options.repeats or (5 if options.quick else 15)

    before = machine_state()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="backcoach-perf-") as temp:
        root = options.keep or Path(temp)
        root.mkdir(parents=True, exist_ok=True)
        setup = Setup(root, backcoach_command(), repeats, options.quick)
        setup.prepare()
        for name in wanted:
            print(f"... {name}", file=sys.stderr, flush=True)
            rows += SCENARIOS[name](setup)
        if options.typer_latest:
            print("... the same start-up rows under the newest typer", file=sys.stderr,
                  flush=True)
            latest = latest_typer_setup(root / "typer-latest", repeats, options.quick)
            latest.prepare()
            for name in ("startup", "first", "history"):
                rows += SCENARIOS[name](latest)
    after = machine_state()

    print(table(rows))
    print(f"\n{len(rows)} figures in {time.perf_counter() - clock:.0f} s; "
          f"{'quick' if options.quick else 'full'} run, {repeats} repeats; "
          f"{before['cpus']} CPUs; load {before['loadavg']} before, {after['loadavg']} after; "
          f"other test runs: {len(before['other_test_runs'])} before, "
          f"{len(after['other_test_runs'])} after")
    for row in rows:
        if row.note:
            print(f"  {row.figure}: {row.note}")
    report = {"command": ["python", "-m", "tests.perf", *(argv or sys.argv[1:])],
              "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "mode": "quick" if options.quick else "full", "repeats": repeats,
              "machine_before": before, "machine_after": after,
              "rows": [row.as_json() for row in rows]}
    options.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"JSON report: {options.json}")
    return 0 if all(row.ok is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
