"""A routine of your own from start to finish with the real program: new, edit, run, history;
and the "edit it again?" question in a pseudo-terminal."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backcoach.history.store import HistoryStore
from tests.cli.test_run import backcoach, env_for

pexpect = pytest.importorskip("pexpect")

# The "person" editing: keeps the template's comments, changes the name and the exercises
# (one of them twice, one side only), the way someone would in a text editor.
EDIT_SCRIPT = """\
import sys
from pathlib import Path
path = Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
text = text.replace("name: My lunch break", "name: Lunch-break stretch")
head = text[: text.index("exercises:")]
path.write_text(head + '''exercises:
  - id: knee-to-chest
    reps: 1
  - id: piriformis-figure-four
    hold: 20s
    reps: 1
    sides: [left]
  - id: knee-to-chest
    reps: 1
  - id: chin-tuck
    reps: 3
''', encoding="utf-8")
"""


def test_new_edit_run_and_find_it_in_history(backcoach_home: Path, tmp_path: Path) -> None:
    made = backcoach(backcoach_home, "new", "routine", "my-lunch-break")
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path == backcoach_home / "routines" / "my-lunch-break.yaml"

    script = tmp_path / "edit.py"
    script.write_text(EDIT_SCRIPT, encoding="utf-8")
    env = {**env_for(backcoach_home), "VISUAL": "",
           "EDITOR": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"}
    edited = subprocess.run([sys.executable, "-m", "backcoach", "edit", "my-lunch-break"],
                            env=env, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert edited.returncode == 0, edited.stderr
    assert "is valid and in force. Try it: `backcoach run my-lunch-break`." in edited.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/routine.schema.json\n")
    assert "name: Lunch-break stretch" in text

    assert backcoach(backcoach_home, "screen", "--clear").returncode == 0
    done = backcoach(backcoach_home, "run", "my-lunch-break", "--speed", "200", "--output",
                     "plain", "--pain-before", "1", "--pain-after", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[00:00] Lunch-break stretch: 4 exercises")
    assert "Done. 4 of 4 exercises done in full." in done.stdout

    with HistoryStore.open() as store:
        [stored] = store.sessions()
    assert (stored.routine_id, stored.routine_name, stored.status) == (
        "my-lunch-break", "Lunch-break stretch", "done")
    # One row per place in the routine and side: the repeat has its own place.
    assert [(e.position, e.exercise_id, e.side, e.status, e.reps_done)
            for e in stored.exercises] == [
        (1, "knee-to-chest", "left", "done", 1), (1, "knee-to-chest", "right", "done", 1),
        (2, "piriformis-figure-four", "left", "done", 1),
        (3, "knee-to-chest", "left", "done", 1), (3, "knee-to-chest", "right", "done", 1),
        (4, "chin-tuck", "none", "done", 3)]


# First call: the person makes a mistake; second call: they fix it.
TWO_TRIES = """\
import sys
from pathlib import Path
path = Path(sys.argv[-1])
tries = Path(sys.argv[-2])
count = int(tries.read_text()) if tries.exists() else 0
tries.write_text(str(count + 1))
reps = "rep" if count == 0 else "reps"
path.write_text(f"id: mine\\nname: Mine\\nexercises:\\n  - id: chin-tuck\\n    {reps}: 4\\n")
"""


def edit_with_two_tries(home: Path, tmp_path: Path) -> Any:
    """`backcoach edit mine` in a pty, with an editor that makes a mistake on its first try
    and fixes it on the second; it counts its tries in tmp_path/tries."""
    assert backcoach(home, "new", "routine", "mine").returncode == 0
    script = tmp_path / "two_tries.py"
    script.write_text(TWO_TRIES, encoding="utf-8")
    env = {**env_for(home), "VISUAL": "",
           "EDITOR": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} "
                     f"{shlex.quote(str(tmp_path / 'tries'))}"}
    return pexpect.spawn(sys.executable, ["-m", "backcoach", "edit", "mine"], env=env,
                         encoding="utf-8", codec_errors="replace", timeout=30,
                         dimensions=(30, 200))


@pytest.mark.e2e
def test_a_mistake_in_a_terminal_offers_another_edit(backcoach_home: Path,
                                                    tmp_path: Path) -> None:
    child = edit_with_two_tries(backcoach_home, tmp_path)
    tries = tmp_path / "tries"
    child.expect(r"mine\.yaml:5:5: unknown key 'rep' in exercise entry \(did you mean "
                 r"'reps'\?\)")
    child.expect_exact("Edit it again? [y/n] ")
    child.sendline("y")
    child.expect_exact("mine.yaml is valid and in force. Try it: `backcoach run mine`.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert tries.read_text() == "2"


@pytest.mark.e2e
def test_saying_no_leaves_the_file_reported_not_used(backcoach_home: Path,
                                                    tmp_path: Path) -> None:
    child = edit_with_two_tries(backcoach_home, tmp_path)
    child.expect_exact("Edit it again? [y/n] ")
    child.sendline("n")
    child.expect_exact("still has 1 problem (above), so it is not used, and `backcoach run` "
                       "will not start until it is fixed. `backcoach edit mine` opens it again.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    refused = backcoach(backcoach_home, "run", "mine", "--speed", "100")
    assert refused.returncode == 2 and "To fix it: `backcoach edit mine`." in refused.stderr
