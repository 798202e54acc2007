"""Generate a large history (ten years of daily sessions by default) and time the commands.

    python tests/perf/gen_history.py --home /tmp/bc-perf            # generate, then time
    python tests/perf/gen_history.py --home /tmp/bc-perf --no-time  # generate only

Writes BACKCOACH_HOME/history.sqlite3 (replacing an existing one there) with executemany in one
transaction, then runs `backcoach history` and `backcoach progress` as whole processes, 5 times
each, and prints the median wall time and the file size.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backcoach.history.store import HistoryStore, utc_text

# (exercise id, name, sides)
DAILY = [("knee-to-chest", "Knee-to-chest stretch", ("left", "right")),
         ("piriformis-figure-four", "Piriformis stretch (figure four)", ("left", "right")),
         ("kneeling-hip-flexor", "Kneeling hip-flexor stretch", ("left", "right")),
         ("neck-side-bend", "Neck side bend", ("left", "right"))]


def generate(path: Path, days: int = 3650, end: datetime | None = None, seed: int = 5) -> int:
    """Write one daily-routine session a day for `days` days up to `end`; return the count."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    HistoryStore.open(path).close()  # creates the schema
    sessions = []
    exercises = []
    pain = 6.0
    for number in range(days):
        session_id = number + 1
        start = (end - timedelta(days=days - number)).replace(
            hour=7, minute=rng.randrange(60), second=0, microsecond=0)
        pain = min(10.0, max(0.0, pain + rng.uniform(-0.6, 0.5)))
        before = round(pain)
        after = max(0, before - rng.choice((0, 1, 1, 2)))
        status = rng.choices(("done", "partial", "stopped"), weights=(90, 8, 2))[0]
        elapsed = 620 + rng.uniform(-30, 60) if status == "done" else rng.uniform(60, 400)
        sessions.append((session_id, "daily", "Daily lower-back routine", utc_text(start),
                         utc_text(start + timedelta(seconds=elapsed)), status,
                         "finished" if status == "done" else "quit", 620.0, round(elapsed, 3),
                         1.0, before, after, "clear"))
        for position, (ex_id, name, sides) in enumerate(DAILY, start=1):
            ex_status = "done" if status == "done" else rng.choice(("done", "skipped", "stopped"))
            reason = "hurts" if ex_status == "stopped" else None
            for side in sides:
                reps = 2 if ex_status == "done" else 0
                exercises.append((session_id, position, ex_id, name, side, 2, 30, reps,
                                  30.0 * reps, ex_status, reason, None))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    # `active` is left to the file's triggers, as the exercise rows go in.
    conn.executemany("INSERT INTO sessions (id, routine_id, routine_name, started_at, ended_at, "
                     "status, end_reason, planned_seconds, elapsed_seconds, speed, pain_before, "
                     "pain_after, screen_tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     sessions)
    conn.executemany("INSERT INTO exercise_results (session_id, position, exercise_id, name, "
                     "side, planned_reps, planned_hold, reps_done, seconds_held, status, "
                     "stop_reason, pain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", exercises)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return len(sessions)


def time_command(args: list[str], env: dict[str, str], runs: int = 5) -> float:
    """Median wall time of a whole `backcoach` process, in seconds."""
    command = [sys.executable, "-m", "backcoach", *args]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Generate, then time history and progress."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="BACKCOACH_HOME to fill")
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--no-time", action="store_true")
    options = parser.parse_args()
    options.home.mkdir(parents=True, exist_ok=True)
    path = options.home / "history.sqlite3"
    start = time.perf_counter()
    count = generate(path, options.days)
    print(f"generated {count} sessions in {time.perf_counter() - start:.2f} s; "
          f"{path} is {path.stat().st_size / 1e6:.2f} MB")
    if options.no_time:
        return
    env = dict(os.environ, BACKCOACH_HOME=str(options.home), NO_COLOR="1", COLUMNS="80")
    baseline = time_command(["--version"], env)
    print(f"backcoach --version  median of 5: {baseline * 1000:.0f} ms (process start)")
    for args in (["history"], ["progress"], ["history", "--limit", "0"],
                 ["export", "--format", "csv"]):
        print(f"backcoach {' '.join(args):<22} median of 5: "
              f"{time_command(args, env) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
