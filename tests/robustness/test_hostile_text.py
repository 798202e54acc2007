"""Hostile text: markup, escape sequences, bidi controls and very long lines in names, steps and
cues are shown literally or stripped by every view, never obeyed by the terminal.

The validator refuses control characters in YAML text (tested first, through `validate`), so
the views are tested with exercises built in memory, as a bug elsewhere or a future source of
text could hand them over.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.library.catalog import Catalog
from backcoach.library.model import Routine, RoutineItem
from backcoach.render.jsonl import JsonlSink
from backcoach.render.live import LiveView
from backcoach.render.plain import PlainRenderer
from backcoach.safetext import json_line, stripped, visible
from backcoach.session import cues
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Session, exercise
from tests.robustness.tally import add

# name -> text. Each escape would do something if a terminal obeyed it.
HOSTILE = {
    "markup": "[bold red]RED[/] [link=https://evil.example]click[/link]",
    "csi-clear": "Clear\x1b[2J\x1b[3J\x1b[H all",
    "csi-report": "Ask\x1b[6n\x1b[21t for a reply typed into the terminal",
    "csi-mouse": "Mouse\x1b[?1000h on",
    "sgr": "\x1b[31;1;5mBlink red\x1b[0m",
    "osc-title": "Title\x1b]0;pwned\x07 set",
    "osc-link": "\x1b]8;;https://evil.example\x1b\\Click\x1b]8;;\x1b\\",
    "osc-clipboard": "Copy\x1b]52;c;ZWNobyBwd25lZA==\x07 this",
    "dcs": "Dcs\x1bP+q544e\x1b\\ query",
    "c1-csi": "C1\x9b2J clear",
    "c1-osc": "C1\x9d0;pwned\x9c title",
    "bidi": "Safe \u202eexe.txt\u202c and \u2066isolate\u2069",
    "controls": "Bell\x07 back\x08 cr\r nul\x00 del\x7f vt\x0b ff\x0c",
    "separators": "Line\u2028para\u2029graph",
    "surrogate": "Half \ud83d pair",
    "long-line": "Stretch " + "very " * 4000 + "slowly.",
    "long-word": "x" * 20_000,
    "emoji": "Smile 👩‍👩‍👧 and café",  # must survive intact: nothing here is unsafe
}
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069"
                    "\ud800-\udfff]")
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|.)", re.DOTALL)


def hostile_catalog(text: str) -> Catalog:
    """One exercise and its routine with `text` in every field a view shows."""
    base = exercise("hostile", reps=1, hold=10, easier="hostile")
    ex = base._replace(name=f"N {text}", steps=(f"Step {text}", "Two"), cues=(f"Cue {text}",),
                 cautions=(f"Caution {text}",), stop_if=(f"stop {text}",),
                 equipment=(f"mat {text}",), summary=f"S {text}")
    routine = Routine(id="r", name=f"Routine {text}", items=(RoutineItem(ex.id),))
    return Catalog(exercises={ex.id: ex}, routines={"r": routine})


# help, pause, a longer hold, skip, swap to the easier version: every kind of frame and line
KEYS = [(5, "?"), (6, "?"), (12, " "), (13, " "), (15, "+"), (22, "n"), (30, "e")]


def run_view(text: str, make_sink: Any) -> None:
    cat = hostile_catalog(text)
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    sink = make_sink()
    try:
        Session(plan, clock, ScriptedKeys(clock, KEYS), [sink], easier=cat.exercises.get).run()
    finally:
        sink.close()


def live_output(text: str, width: int = 80, height: int = 24) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, height=height, force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    run_view(text, lambda: LiveView(console))
    return out.getvalue()


@pytest.fixture(scope="module")
def benign_escapes() -> set[str]:
    """Every escape sequence the live view writes for ordinary text: rich's own."""
    return {m.group() for m in ESCAPES.finditer(live_output("Plain words"))}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_live_view_writes_only_its_own_escape_sequences(name: str,
                                                        benign_escapes: set[str]) -> None:
    add("hostile_strings")
    output = live_output(HOSTILE[name])
    found = {m.group() for m in ESCAPES.finditer(output)}
    assert found <= benign_escapes, found - benign_escapes
    assert not UNSAFE.search(ESCAPES.sub("", output).replace("\r", "").replace("\n", ""))
    if name == "markup":
        assert "[bold red]RED[/]" in ESCAPES.sub("", output)  # shown, not styled
    if name == "emoji":
        assert "👩‍👩‍👧" in output and "café" in output


@pytest.mark.parametrize("name", list(HOSTILE))
def test_plain_view_shows_escapes_as_text(name: str) -> None:
    add("hostile_strings")
    out = io.StringIO()
    run_view(HOSTILE[name], lambda: PlainRenderer(out))
    text = out.getvalue()
    assert not UNSAFE.search(text.replace("\n", ""))
    lines = text.splitlines()
    assert all(re.match(r"(\[\d\d:\d\d\] |        )", line) for line in lines), lines[:5]
    assert f"Cue {visible(HOSTILE[name])}" in text  # every character is still there, visible
    if name == "markup":
        assert "N [bold red]RED[/]" in text


@pytest.mark.parametrize("name", list(HOSTILE))
def test_jsonl_keeps_the_text_exactly_but_escaped(name: str) -> None:
    add("hostile_strings")
    out = io.StringIO()
    run_view(HOSTILE[name], lambda: JsonlSink(out))
    text = out.getvalue()
    assert not UNSAFE.search(text.replace("\n", ""))
    events = [json.loads(line) for line in text.splitlines()]  # every line is one object
    assert events[0]["name"] == f"Routine {HOSTILE[name]}"  # nothing lost or changed


def test_the_helpers_directly() -> None:
    assert visible("a\x1b[2Jb\u202ec") == "a\\u001b[2Jb\\u202ec"
    assert visible("café 👩‍👩‍👧") == "café 👩‍👩‍👧"
    assert stripped("a\x1b[2Jb\ud800") == "a[2Jb\ufffd"
    assert json.loads(json_line({"x": "\x9b\u2028\ud800"})) == {"x": "\x9b\u2028\ud800"}
    assert json_line({"x": "é\x9b"}) == '{"x": "é\\u009b"}'


@pytest.mark.parametrize("size", [(20, 10), (10, 5), (1, 1)])
def test_live_frames_fit_a_tiny_terminal(size: tuple[int, int]) -> None:
    """Resized to 20x10 (or less) mid-hold: every frame drawn stays inside the width."""
    add("hostile_strings")
    width, height = size
    output = live_output("Stretch very slowly", width, height)
    frames = [ESCAPES.sub("", frame) for frame in output.split("\x1b[H")]  # redrawn from home
    lines = [line for frame in frames for line in frame.split("\n")]
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert all(frame.count("\n") < height for frame in frames)
    if width >= 20:  # the name stays on screen above the count (it had no room at all)
        assert any(line.strip() == "N Stretch very" for line in lines)  # folded at 20
        assert any("seconds · hold" in frame or "second · hold" in frame for frame in frames)


# ---------------------------------------------------------------- spoken cues

def test_speech_gets_words_never_options_or_controls(monkeypatch: pytest.MonkeyPatch) -> None:
    """espeak-ng reads `-w FILE` as "write a sound file there": a name must not start a
    phrase with '-', and a NUL (which cannot be an argument at all) must not stop the session."""
    calls: list[list[str]] = []

    class FakePopen:
        def __init__(self, argv: list[str], **_: Any) -> None:
            calls.append(argv)
            self.pid = 1 << 30

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(cues.subprocess, "Popen", FakePopen)
    for text in ["-w/home/me/.bashrc", "--help", " -x", "\x00-w/tmp/x", *HOSTILE.values()]:
        add("hostile_strings")
        cat = hostile_catalog(text)
        ex = cat.exercises["hostile"]._replace(name=text)
        cat = Catalog(exercises={ex.id: ex}, routines=cat.routines)
        player = cues.CuePlayer(None, ("speak",))
        clock = FakeClock()
        Session(compile_plan(cat.routine("r"), cat), clock, ScriptedKeys(clock, []),
                [player]).run()
        player.close()
    phrases = [argv[-1] for argv in calls]
    assert phrases and all(argv[0] == "speak" and len(argv) == 2 for argv in calls)
    for phrase in phrases:
        assert not phrase.startswith("-") and "\x00" not in phrase
        assert not UNSAFE.search(phrase), repr(phrase)


def test_a_real_speech_program_with_a_hostile_name(tmp_path: Path) -> None:
    """Through a real process: the phrase arrives as one argument, never as an option."""
    add("hostile_strings")
    log = tmp_path / "said.txt"
    script = tmp_path / "speak"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" >> {log}\n")
    script.chmod(0o755)
    player = cues.CuePlayer(None, (str(script),))
    for phrase in ["-w/tmp/owned.wav. Get into position", "Rest"]:
        player.say(phrase)
        player.close()  # waits for the phrase
    assert log.read_text().splitlines() == ["w/tmp/owned.wav. Get into position", "Rest"]


# ---------------------------------------------------------------- files never get this far

@pytest.mark.parametrize("name", [n for n in HOSTILE if n not in
                                  ("markup", "emoji", "long-line", "long-word", "surrogate")])
@pytest.mark.parametrize("field", ["name", "steps", "cues", "cautions", "stop_if"])
def test_the_validator_refuses_control_characters(name: str, field: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    add("hostile_strings")
    text = HOSTILE[name]
    quoted = json.dumps(text)  # a JSON string is a YAML double-quoted scalar
    values = {"name": "Name", "steps": "[Do it.]"}
    values[field] = quoted if field == "name" else f"[{quoted}]"
    lines = ["id: bad", f"name: {values['name']}", "position: lying",
             f"steps: {values['steps']}"]
    if field not in ("name", "steps"):
        lines.append(f"{field}: [{quoted}]")
    (tmp_path / "bad.yaml").write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "bad.yaml"])
    assert result.exit_code == 2
    first = next(ch for ch in text if UNSAFE.match(ch))
    item = "" if field == "name" else " item 1"
    message = f"{field}{item} contains the control character U+{ord(first):04X}; remove it"
    assert message in result.stderr, result.stderr
    assert not UNSAFE.search(result.stderr.replace("\n", ""))


def test_markup_in_a_file_is_shown_literally_by_show(tmp_path: Path,
                                                     backcoach_home: Path) -> None:
    add("hostile_strings")
    folder = backcoach_home / "exercises"
    folder.mkdir(parents=True)
    (folder / "marked.yaml").write_text(
        'id: marked\nname: "[bold red]Marked[/]"\nposition: lying\n'
        'steps: ["[link=https://evil.example]click[/link]"]\n')
    result = CliRunner().invoke(app, ["show", "marked"])
    assert result.exit_code == 0, result.output
    assert "[bold red]Marked[/]" in result.stdout
    assert "[link=https://evil.example]click[/link]" in result.stdout
    assert "\x1b" not in result.stdout
