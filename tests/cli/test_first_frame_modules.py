"""What a session has loaded by the time the live view draws its first frame (issue 15): the
modules only other commands or other kinds of run need stay unloaded, so a new top-level
import cannot quietly undo the start-up work. Through the real command in a pseudo-terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

# Written to `path` at the first refresh of the live view: every module loaded by then.
PROBE = """
import json, sys
import rich.live
path = sys.argv.pop(1)
first = rich.live.Live.refresh
def refresh(self):
    first(self)
    if rich.live.Live.refresh is refresh:
        rich.live.Live.refresh = first
        with open(path, "w") as out:
            json.dump(sorted(sys.modules), out)
rich.live.Live.refresh = refresh
sys.argv[0] = "backcoach"
from backcoach.__main__ import main
main()
"""

# Loaded only by the commands or runs that use them.
DEFERRED = [
    "yaml",  # the library, settings and red flags come from the cache once it is warm
    "backcoach.library.scaffold", "backcoach.library.schema",  # new and edit; parsing
    "backcoach.library.ordering",  # the order advice of show and validate
    "backcoach.outfiles",  # --events and export -o
    "backcoach.render.plain", "backcoach.render.jsonl",  # the other session views
    "backcoach.history.goals",  # goals and progress, the summary after the session
    "backcoach.render.summary",  # after the session
]


def test_the_first_frame_loads_only_what_a_live_session_needs(backcoach_home: Path,
                                                             tmp_path: Path) -> None:
    env = {**os.environ, "BACKCOACH_HOME": str(backcoach_home), "TERM": "xterm",
           "NO_COLOR": "1"}
    session = ["run", "--pain-before", "1", "--pain-after", "1", "--no-sound"]
    # A screened home whose caches an earlier session filled (the library, settings, red flags).
    for warm in (["screen", "--clear"], [*session, "--speed", "1000", "--output", "jsonl"]):
        done = subprocess.run([sys.executable, "-m", "backcoach", *warm], env=env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
    loaded = tmp_path / "loaded.json"
    child = pexpect.spawn(sys.executable, ["-c", PROBE, str(loaded), *session], env=env,
                          timeout=30, encoding="utf-8", dimensions=(30, 100))
    while child.expect([r"\[y/n\]", r"space (?:pause|wait)"]) == 0:
        child.sendline("n")  # no new symptoms
    child.send("q")
    child.send("q")
    child.expect(pexpect.EOF)
    modules = set(json.loads(loaded.read_text(encoding="utf-8")))
    assert "backcoach.render.live" in modules and "sqlite3" in modules  # the probe works
    assert [name for name in DEFERRED if name in modules] == []
