"""The fresh-home sweep: every command, with every kind of hostile BACKCOACH_HOME.

    python -m tests.robustness.sweep            # prints a table: home, command, exit, first line
    python -m tests.robustness.sweep --json     # the same as JSON (the test reads this)

Homes: missing (a fresh start), a file, read-only, unreadable, a loop of symbolic links, a
dangling symbolic link, and a home whose history and config.yaml cannot be read. Each command
runs in process (typer's CliRunner: an exception that escapes is seen as such) with no
terminal, EDITOR=true, in a home made for it; then one real process per home runs `list`
through the console entry point.

Run as root, the sweep re-runs itself without the capabilities that let root ignore file
permissions (setpriv), so "read-only" and "unreadable" mean what they mean for a person.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

OUT_NAME = "out.csv"
RUN = ("run", "gentle", "--pain-before", "1", "--pain-after", "1", "--speed", "1000",
       "--no-sound")
COMMANDS: list[tuple[str, ...]] = [
    ("--version",), ("--help",),
    ("list",), ("list", "--json"), ("show", "daily"), ("show", "knee-to-chest", "--json"),
    RUN, ("screen", "--clear"), ("screen",),
    ("history",), ("history", "--json"), ("progress",),
    ("export",), ("export", "--format", "json"), ("export", "-o", "{out}"),
    ("validate",), ("new", "routine", "sweep-routine"), ("new", "exercise", "sweep-exercise"),
    ("edit", "daily"), ("config",), ("config", "--edit"), ("schema", "routine"),
    ("due",), ("remind", "--status"), ("remind", "--ics", "{out}"),
    ("learn",), ("learn", "pacing"), ("goals", "list"),
]
# Commands that never look at the home.
NO_HOME = {("--version",), ("--help",), ("schema", "routine")}
READING = {("list",), ("list", "--json"), ("show", "daily"), ("show", "knee-to-chest", "--json"),
           ("history",), ("history", "--json"), ("progress",), ("export",),
           ("export", "--format", "json"), ("export", "-o", "{out}"), ("validate",),
           ("config",), ("due",), ("remind", "--status"), ("remind", "--ics", "{out}"),
           ("learn",), ("learn", "pacing"), ("goals", "list")}


def expected(home: str, command: tuple[str, ...]) -> int:
    """The documented exit code: 0 done, 1 an unusable home, 2 bad input (here: the safety
    questions need a terminal)."""
    if command in NO_HOME:
        return 0
    if home in ("file", "unreadable", "symlink-loop", "dangling-symlink"):
        return 1  # the home cannot be used at all: one Error line says why and what to do
    needs_answers = command in (RUN, ("screen",))
    if home == "missing":
        return 2 if needs_answers else 0
    if home == "read-only":
        if command in READING:
            return 0  # nothing to write: reading a read-only home works
        # run: history cannot be written, the session would run unsaved, but the safety
        # questions (none answered yet) need a terminal; screen cannot record its answers
        return 2 if command == RUN else 1
    if home == "unreadable-files":  # the history and config.yaml cannot be read
        if command in {("config",), ("config", "--edit"), ("validate",), ("due",),
                       ("remind", "--ics", "{out}")}:
            return 2  # config.yaml's problem, path:1:1: cannot read file
        if command[0] in ("history", "progress", "export", "screen", "goals"):
            return 1  # the history cannot be read: StorageError
        if command[0] == "run":
            return 2  # a broken config.yaml stops run before anything
        return 0
    raise ValueError(home)


# ---------------------------------------------------------------------- homes

def make_home(kind: str, base: Path) -> Path:
    """A BACKCOACH_HOME of one kind, under `base` (a fresh folder)."""
    home = base / "backcoach"
    if kind == "missing":
        return home
    if kind == "file":
        home.write_text("not a folder\n")
    elif kind == "read-only":
        home.mkdir()
        home.chmod(0o555)
    elif kind == "unreadable":
        home.mkdir()
        home.chmod(0o000)
    elif kind == "symlink-loop":
        (base / "other").symlink_to(home)
        home.symlink_to(base / "other")
    elif kind == "dangling-symlink":
        home.symlink_to(base / "nowhere" / "backcoach")
    elif kind == "unreadable-files":
        home.mkdir()
        for name in ("history.sqlite3", "config.yaml"):
            (home / name).write_text("secret\n")
            (home / name).chmod(0o000)
    else:
        raise ValueError(kind)
    return home


HOMES = ["missing", "file", "read-only", "unreadable", "symlink-loop", "dangling-symlink",
         "unreadable-files"]


def _restore(base: Path) -> None:
    """Give back permissions so the folder can be removed."""
    for root, dirs, files in os.walk(base):
        for name in dirs + files:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(stat.S_IRWXU)


@dataclass
class Outcome:
    """One command in one home."""

    home: str
    command: str
    expected: int
    exit_code: int
    escaped: str  # the exception that left the command, if any
    stdout: str
    stderr: str
    touched: str  # what changed that must not have, if anything

    @property
    def first_line(self) -> str:
        """The first line of stderr, else of stdout."""
        for text in (self.stderr, self.stdout):
            if text.strip():
                return text.strip().splitlines()[0]
        return ""


@contextmanager
def _environment(home: Path, scratch: Path) -> Iterator[dict[str, str]]:
    env = {"BACKCOACH_HOME": str(home), "HOME": str(scratch / "person"),
           "XDG_CONFIG_HOME": str(scratch / "person" / ".config"),
           "XDG_DATA_HOME": str(scratch / "person" / ".local" / "share"),
           "EDITOR": "true", "VISUAL": "", "NO_COLOR": "1", "COLUMNS": "100", "TZ": "UTC"}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield env
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _state(base: Path) -> dict[str, str]:
    """What the hostile part of a home looks like, to see that a command left it alone."""
    found = {}
    for path in sorted(base.rglob("*")):
        try:
            info = path.lstat()
        except OSError:
            continue
        found[str(path.relative_to(base))] = f"{stat.filemode(info.st_mode)} {info.st_size}"
    return found


def run_in_process(kind: str, command: tuple[str, ...]) -> Outcome:
    """One command, in a home of `kind` made for it, through typer's CliRunner."""
    from typer.testing import CliRunner

    from backcoach.cli import app

    with tempfile.TemporaryDirectory(prefix="backcoach-sweep-") as temp:
        scratch = Path(temp)
        base = scratch / "home"
        base.mkdir()
        home = make_home(kind, base)
        args = [arg.replace("{out}", str(scratch / OUT_NAME)) for arg in command]
        before = _state(base)
        try:
            with _environment(home, scratch) as env:
                result = CliRunner().invoke(app, args, env=env)
        finally:
            after = _state(base)
            _restore(scratch)
        escaped = ""
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            escaped = f"{type(result.exception).__name__}: {result.exception}"
        touched = ""
        if kind != "missing":  # what was there stays as it was (new files may come)
            changed = {name: (state, after.get(name)) for name, state in before.items()
                       if after.get(name) != state}
            if changed or (kind != "unreadable-files" and after != before):
                touched = f"{before} -> {after}"
        if kind == "dangling-symlink" and (base / "nowhere").exists():
            touched = "created the dangling link's target"
        return Outcome(kind, " ".join(command), expected(kind, command), result.exit_code,
                       escaped, result.stdout, result.stderr, touched)


def run_entry_point(kind: str) -> Outcome:
    """`backcoach list` as a real process (the console entry point, its last-line handler)."""
    with tempfile.TemporaryDirectory(prefix="backcoach-sweep-") as temp:
        scratch = Path(temp)
        base = scratch / "home"
        base.mkdir()
        home = make_home(kind, base)
        with _environment(home, scratch) as env:
            done = subprocess.run([sys.executable, "-m", "backcoach", "list"],
                                  env={**os.environ, **env}, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=60, check=False)
        _restore(scratch)
        return Outcome(kind, "list (process)", expected(kind, ("list",)), done.returncode, "",
                       done.stdout, done.stderr, "")


def sweep(homes: list[str] | None = None,
          progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Every command in every home, then `list` as a process in each home."""
    outcomes = []
    for kind in homes or HOMES:
        for command in COMMANDS:
            outcomes.append(run_in_process(kind, command))
            if progress:
                progress(outcomes[-1])
        outcomes.append(run_entry_point(kind))
        if progress:
            progress(outcomes[-1])
    return outcomes


def problems(outcome: Outcome) -> list[str]:
    """What is wrong with an outcome: empty when the command behaved as documented."""
    found = []
    text = outcome.stdout + outcome.stderr
    if outcome.exit_code != outcome.expected:
        found.append(f"exit {outcome.exit_code}, documented {outcome.expected}")
    if outcome.escaped:
        found.append(f"an exception escaped: {outcome.escaped}")
    if "Traceback" in text or "internal error" in text:
        found.append("a traceback or an internal error")
    if outcome.exit_code in (1, 2) and not any(
            line.startswith("Error: ") for line in outcome.stderr.splitlines()):
        found.append("no `Error: ...` line on stderr")
    if outcome.touched:
        found.append(f"changed what it must not: {outcome.touched}")
    return found


# ---------------------------------------------------------------------- as root

def without_root_powers() -> list[str] | None:
    """A command prefix that drops root's power to ignore file permissions, or None when not
    root (nothing to drop) or setpriv is missing."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def main(argv: list[str] | None = None) -> int:
    """Run the sweep and print it; exit 1 when any command misbehaved."""
    parser = argparse.ArgumentParser(prog="python -m tests.robustness.sweep",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON, one object a line")
    parser.add_argument("--home", action="append", choices=HOMES, help="only these homes")
    parser.add_argument("--as-is", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    prefix = None if options.as_is else without_root_powers()
    if prefix is not None:  # run again, as root without the power to ignore permissions
        again = [*prefix, sys.executable, "-m", "tests.robustness.sweep", "--as-is",
                 *(["--json"] if options.json else []),
                 *(arg for kind in options.home or [] for arg in ("--home", kind))]
        return subprocess.run(again, check=False).returncode
    bad = 0

    def show(outcome: Outcome) -> None:
        nonlocal bad
        wrong = problems(outcome)
        bad += bool(wrong)
        if options.json:
            print(json.dumps({**asdict(outcome), "problems": wrong}), flush=True)
        else:
            mark = "ok " if not wrong else "BAD"
            print(f"{mark} {outcome.home:<17} {outcome.command:<40} {outcome.exit_code:>3}  "
                  f"{outcome.first_line[:110]}{'  <- ' + '; '.join(wrong) if wrong else ''}",
                  flush=True)

    sweep(options.home, show)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
