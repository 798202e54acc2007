"""A moving exercise (a tempo, no hold) in each view: the live frame, the plain lines, the
spoken cues (issue 17, item 4)."""

from __future__ import annotations

import io

from backcoach.render.plain import PlainRenderer
from backcoach.session.cues import CuePlayer
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Session, catalog, exercise
from tests.render.test_views import frames_of

BUG = exercise("dead-bug", tempo=4, reps=2, rest=0, switch=0, setup=5)


def test_the_live_view_says_slow_rep_where_a_hold_says_hold() -> None:
    frames = frames_of([BUG, exercise("stretch", reps=1, setup=0)], [])
    moving = [text for ident, kind, text in frames if ident == "dead-bug" and kind == "hold"]
    held = [text for ident, kind, text in frames if ident == "stretch" and kind == "hold"]
    assert moving and held
    assert all("· slow rep" in text and "slow rep 4 s" in text for text in moving)
    assert not any("hold" in text for text in moving)
    assert "LEFT SIDE · rep 1/2" in moving[0]
    assert all("· hold" in text for text in held)


def test_plain_lines_and_voice_count_the_reps() -> None:
    out = io.StringIO()
    cues = CuePlayer(None, ("true",))
    cat = catalog(BUG)
    clock = FakeClock()
    Session(compile_plan(cat.routine("r"), cat), clock, ScriptedKeys(clock, []),
            [PlainRenderer(out), cues]).run()
    cues.close()
    lines = out.getvalue().splitlines()
    assert "[00:00] Dead Bug: 2 slow reps of 4 s each side. Get into position (5 seconds)." \
        in lines
    assert "[00:05] Left side, rep 1 of 2: slowly, 4 seconds." in lines
    assert "[00:09] Right side, rep 1 of 2: slowly, 4 seconds." in lines
    assert "[00:21] Done. 1 of 1 exercises done in full." in lines
    # The exercise and its first step, then only each rep's side and number: no "3, 2, 1"
    # inside a 4-second rep, which would be heard as rep numbers.
    assert cues.spoken[:5] == ["Dead Bug. Do it.", "Left, 1", "Right, 1", "Left, 2",
                               "Right, 2"]
    assert not {"3", "2", "1"} & set(cues.spoken)
