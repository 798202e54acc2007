"""Stand-ins for systemctl, crontab, launchctl, notify-send and osascript, for tests.

They keep their state in a JSON file in a folder of the test's own and do what the real ones
do to the files a test looks at: `systemctl --user enable` links the timer into
timers.target.wants and `disable` removes the link, `crontab -` keeps a table that `crontab -l`
prints, `launchctl bootstrap` loads an agent. Every call is logged. Used in process (as the
runner of a `System`) and as programs on PATH (`install_on_path`), so the real command can be
driven without ever reaching the real scheduler.

    python tests/fake_programs.py PROGRAM ARGS...   (what the shims on PATH run)
"""

from __future__ import annotations

import json
import os
import plistlib
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROGRAMS = ("systemctl", "crontab", "launchctl", "notify-send", "osascript")
STATE_ENV = "FAKE_PROGRAMS_STATE"


class FakePrograms:
    """The fake programs' shared state: crontab, enabled timers, loaded agents, calls."""

    def __init__(self, folder: Path, config_home: Path, user_instance: bool = True) -> None:
        self.folder = folder
        self.config_home = config_home
        folder.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self.save({"crontab": None, "loaded": [], "calls": [], "notes": [],
                       "user_instance": user_instance})

    @property
    def path(self) -> Path:
        return self.folder / "state.json"

    def load(self) -> dict[str, Any]:
        return dict(json.loads(self.path.read_text(encoding="utf-8")))

    def save(self, state: dict[str, Any]) -> None:
        self.path.write_text(json.dumps(state), encoding="utf-8")

    @property
    def calls(self) -> list[list[str]]:
        """Every call so far, program first."""
        return list(self.load()["calls"])

    @property
    def crontab(self) -> str | None:
        """The crontab as `crontab -l` would print it; None when there is none."""
        return self.load()["crontab"]

    @property
    def notes(self) -> list[str]:
        """The desktop notifications shown."""
        return list(self.load()["notes"])

    def run(self, argv: Sequence[str], stdin: str | None = None) -> tuple[int, str, str]:
        """What the program would do: exit code, stdout, stderr."""
        state = self.load()
        state["calls"].append(list(argv))
        try:
            return getattr(self, "_" + argv[0].replace("-", "_"))(state, list(argv[1:]), stdin)
        finally:
            self.save(state)

    def _wants(self, unit: str) -> Path:
        return self.config_home / "systemd" / "user" / "timers.target.wants" / unit

    def _systemctl(self, state: dict[str, Any], args: list[str], _: str | None
                   ) -> tuple[int, str, str]:
        if args[:1] != ["--user"]:
            return 1, "", "fake systemctl: only --user"
        if not state["user_instance"]:
            return 1, "", "Failed to connect to bus: No medium found"
        verb, rest = args[1], [a for a in args[2:] if not a.startswith("--")]
        if verb in ("show-environment", "daemon-reload"):
            return 0, "", ""
        if verb == "enable":
            unit = rest[0]
            source = self.config_home / "systemd" / "user" / unit
            if not source.exists():
                return 1, "", f"Failed to enable unit: Unit file {unit} does not exist."
            link = self._wants(unit)
            link.parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(link):
                link.symlink_to(source)
            return 0, "", f"Created symlink {link} → {source}."
        if verb == "disable":
            link = self._wants(rest[0])
            if os.path.lexists(link):
                link.unlink()
                return 0, "", f"Removed {link}."
            return 0, "", ""
        if verb == "is-enabled":
            return (0, "enabled\n", "") if os.path.lexists(self._wants(rest[0])) \
                else (1, "disabled\n", "")
        return 1, "", f"fake systemctl: unknown verb {verb}"

    def _crontab(self, state: dict[str, Any], args: list[str], stdin: str | None
                 ) -> tuple[int, str, str]:
        if args == ["-l"]:
            if state["crontab"] is None:
                return 1, "", "no crontab for tester\n"
            return 0, state["crontab"], ""
        if args == ["-"]:
            state["crontab"] = stdin or ""
            return 0, "", ""
        if args == ["-r"]:
            state["crontab"] = None
            return 0, "", ""
        return 1, "", "fake crontab: usage"

    def _launchctl(self, state: dict[str, Any], args: list[str], _: str | None
                   ) -> tuple[int, str, str]:
        if args[0] == "bootstrap":
            agent = plistlib.loads(Path(args[2]).read_bytes())
            state["loaded"].append(agent["Label"])
            return 0, "", ""
        label = args[1].rsplit("/", 1)[-1]
        if args[0] == "bootout":
            if label in state["loaded"]:
                state["loaded"].remove(label)
                return 0, "", ""
            return 3, "", "Boot-out failed: 3: No such process"
        if args[0] == "print":
            return (0, f"{label} = {{}}\n", "") if label in state["loaded"] \
                else (113, "", "Could not find service")
        return 1, "", "fake launchctl: usage"

    def _notify_send(self, state: dict[str, Any], args: list[str], _: str | None
                     ) -> tuple[int, str, str]:
        state["notes"].append(" | ".join(a for a in args if not a.startswith("--")))
        return 0, "", ""

    def _osascript(self, state: dict[str, Any], args: list[str], _: str | None
                   ) -> tuple[int, str, str]:
        state["notes"].append(" | ".join(args[-2:]))
        return 0, "", ""


def install_on_path(bin_dir: Path, state_dir: Path, programs: Sequence[str] = PROGRAMS) -> None:
    """Put shims for the fake programs in `bin_dir` (which the test puts on PATH), sharing
    the state in `state_dir`."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = Path(__file__).resolve()
    for name in programs:
        shim = bin_dir / name
        shim.write_text(f"#!/bin/sh\nFAKE_PROGRAMS_STATE='{state_dir}' exec '{sys.executable}' "
                        f"'{script}' {name} \"$@\"\n")
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR)


def main(argv: list[str]) -> int:
    """Run one fake program as a process: state from $FAKE_PROGRAMS_STATE."""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME")
                       or Path(os.environ["HOME"]) / ".config")
    fake = FakePrograms(Path(os.environ[STATE_ENV]), config_home)
    stdin = None if sys.stdin.isatty() else sys.stdin.read() if argv[:2] == ["crontab", "-"] \
        else None
    code, out, err = fake.run(argv, stdin)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
