"""Bad and hostile files through `backcoach validate`: the exact lines each must give, fast.

The files in tests/data/bad and the odd bytes of tests/cli/test_validate.py and
tests/test_yamlsrc.py are not repeated here (the summary counts them); these are the rest of the
issue's list: line endings, byte-order marks, tabs, sizes, alias bombs, nesting, types, sides,
durations, ids, references, keys, and things that are not files at all.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.library.loading import parse_file
from tests.robustness.tally import add

OK = "1 file checked: all valid."
KNOWN = ("known keys: id, name, summary, family, position, equipment, type, sides, hold, tempo, "
         "reps, rest, setup, switch, steps, key_step, cues, cautions, stop_if, contraindications, "
         "regions, aliases, easier, harder, sources, picture")
ID_RULE = "must use only lowercase letters, digits and single hyphens, such as knee-to-chest"
YES_NO = "(YAML reads that as yes/no; put it in quotes to mean the word)"


def exercise(ident: str, extra: str = "", steps: str = "steps: [Do it.]") -> bytes:
    return f"id: {ident}\nname: Name\nposition: lying\n{extra}{steps}\n".encode()


def hold(ident: str, value: str) -> bytes:
    return exercise(ident, f"hold: {value}\n")


# (file name, content, expected stderr lines before the closing line; [] means valid)
CASES: list[tuple[str, bytes, list[str]]] = [
    # line endings, byte-order marks, tabs
    ("crlf-valid.yaml", exercise("crlf-valid").replace(b"\n", b"\r\n"), []),
    ("crlf-error.yaml", hold("crlf-error", "-5").replace(b"\n", b"\r\n"),
     ["crlf-error.yaml:4:7: hold must be from 1 s to 5 min, got the number -5"]),
    ("cr-only.yaml", hold("cr-only", "-5").replace(b"\n", b"\r"),
     ["cr-only.yaml:4:7: hold must be from 1 s to 5 min, got the number -5"]),
    ("bom-valid.yaml", b"\xef\xbb\xbf" + exercise("bom-valid"), []),
    ("bom-error.yaml", b"\xef\xbb\xbf" + exercise("Bom Error"),
     [f"bom-error.yaml:1:5: id {ID_RULE}, got 'Bom Error'"]),
    ("bom-crlf.yaml", b"\xef\xbb\xbf" + hold("bom-crlf", "0").replace(b"\n", b"\r\n"),
     ["bom-crlf.yaml:4:7: hold must be from 1 s to 5 min, got the number 0"]),
    ("tab-after-colon.yaml", exercise("tab-after-colon").replace(b"name: ", b"name:\t"), []),
    ("tab-in-text.yaml", exercise("tab-in-text", steps='steps: ["Do\\tit."]'), []),
    ("tab-before-key.yaml", exercise("tab-before-key").replace(b"\nname", b"\n\tname"),
     ["tab-before-key.yaml:2:1: YAML syntax error: a tab character; YAML indents with spaces "
      "only, so replace the tab with spaces"]),
    ("utf16.yaml", "id: utf16\n".encode("utf-16"),
     ["utf16.yaml:1:1: byte 0xff is not UTF-8; save the file as UTF-8 (in most editors: File > "
      "Save with encoding > UTF-8)"]),
    ("nul-byte.yaml", exercise("nul-byte").replace(b"Name", b"Na\x00me"),
     ["nul-byte.yaml:2:9: the control character U+0000 is not allowed in YAML; remove it"]),
    # sizes
    ("ten-mb.yaml", b"# padding\n" * (1024 * 1024),
     ["ten-mb.yaml:1:1: file is 10240 KiB; exercise and routine files must be under 1024 KiB"]),
    ("many-steps.yaml", exercise("many-steps", steps="steps:\n" + "  - x\n" * 100_000),
     ["many-steps.yaml:9994:5: more than 10,000 YAML values (keys, list items, texts) from "
      "here on; exercise and routine files have a few hundred. Is this the right file?"]),
    ("long-line.yaml", exercise("long-line", f"summary: {'word ' * 180_000}\n"),
     ["long-line.yaml:4:10: summary is 899999 characters long; keep it under 400"]),
    # nesting
    ("deep-flow.yaml", b"steps: " + b"[" * 500_000,
     ["deep-flow.yaml:1:1007: YAML syntax error: while increasing flow level exceeded maximum "
      "nesting depth"]),
    ("deep-block.yaml", b"steps:\n" + b"- " * 400_000 + b"x\n",
     ["deep-block.yaml:2:1999: YAML syntax error: while increasing block level exceeded "
      "maximum nesting depth"]),
    ("deep-map.yaml", b"steps: " + b"{a: " * 200_000,
     ["deep-map.yaml:1:4004: YAML syntax error: while increasing flow level exceeded maximum "
      "nesting depth"]),
    ("recursive-alias.yaml", exercise("recursive-alias", steps="steps: &a [*a]"),
     ["recursive-alias.yaml:4:8: steps item 1 must be text, got a list"]),
    # duplicate keys at every level, merge keys, keys that are not words
    ("routines/dup-in-entry.yaml",
     b"id: dup-in-entry\nname: N\nexercises:\n  - id: chin-tuck\n    hold: 10\n    hold: 20\n",
     ["routines/dup-in-entry.yaml:6:5: duplicate key 'hold' (first at line 5); keep one"]),
    ("routines/dup-in-schedule.yaml",
     b"id: dup-in-schedule\nname: N\nschedule: {per_day: 1, per_day: 2}\nexercises: [chin-tuck]\n",
     ["routines/dup-in-schedule.yaml:3:24: duplicate key 'per_day' (first at line 3); keep one"]),
    ("dup-quoted.yaml", exercise("dup-quoted", "\"reps\": 2\nreps: 3\n"),
     ["dup-quoted.yaml:5:1: duplicate key 'reps' (first at line 4); keep one"]),
    ("merge-key.yaml", b"<<: {hold: 10}\n" + exercise("merge-key"),
     [f"merge-key.yaml:1:1: unknown key '<<' in exercise; {KNOWN}"]),
    ("key-list.yaml", exercise("key-list", "? [a, b]\n: 1\n"),
     ["key-list.yaml:4:3: keys must be plain words such as id or name, got a list"]),
    ("key-number.yaml", exercise("key-number", "1: 2\n"),
     [f"key-number.yaml:4:1: unknown key '1' in exercise; {KNOWN}"]),
    # numbers where text belongs and the reverse; tags that would run code elsewhere
    ("name-number.yaml", exercise("name-number").replace(b"Name", b"42"), []),
    ("name-list.yaml", exercise("name-list").replace(b"Name", b"[a, b]"),
     ["name-list.yaml:2:7: name must be text, got a list"]),
    ("steps-number.yaml", exercise("steps-number", steps="steps: 5"),
     ["steps-number.yaml:4:8: steps must be a list (lines starting with '- '), got the number "
      "5"]),
    ("position-number.yaml", exercise("position-number").replace(b"lying", b"1"),
     ["position-number.yaml:3:11: position must be one of lying, kneeling, sitting, standing, "
      "got the number 1"]),
    ("reps-float.yaml", exercise("reps-float", "reps: 2.5\n"),
     ["reps-float.yaml:4:7: reps must be a whole number from 1 to 50, got the number 2.5"]),
    ("reps-text-number.yaml", exercise("reps-text-number", "reps: \"3\"\n"),
     ["reps-text-number.yaml:4:7: reps must be a whole number from 1 to 50, got '3'"]),
    ("reps-yes.yaml", exercise("reps-yes", "reps: yes\n"),
     [f"reps-yes.yaml:4:7: reps must be a whole number from 1 to 50, got 'yes' {YES_NO}"]),
    ("python-tag.yaml",
     exercise("python-tag").replace(b"Name", b"!!python/object/apply:os.system [echo hi]"),
     ["python-tag.yaml:2:7: name must be text, got a list"]),
    ("scalar-document.yaml", b"hello\n",
     ["scalar-document.yaml:1:1: an exercise file must be a mapping of 'key: value' lines, "
      "got 'hello'"]),
    # booleans where a side is expected
    ("sides-off.yaml", exercise("sides-off", "sides: off\n"),
     [f"sides-off.yaml:4:8: sides must be [left, right], [left], [right] or none, got 'off' "
      f"{YES_NO}"]),
    ("sides-yes.yaml", exercise("sides-yes", "sides: yes\n"),
     [f"sides-yes.yaml:4:8: sides must be [left, right], [left], [right] or none, got 'yes' "
      f"{YES_NO}"]),
    ("sides-left-no.yaml", exercise("sides-left-no", "sides: [left, no]\n"),
     [f"sides-left-no.yaml:4:15: sides item 2 must be one of left, right, got 'no' {YES_NO}"]),
    ("sides-twice.yaml", exercise("sides-twice", "sides: [left, left]\n"),
     ["sides-twice.yaml:4:15: sides item 2 repeats 'left'; keep one"]),
    # huge, negative and not-a-number durations
    ("hold-nan.yaml", hold("hold-nan", ".nan"),
     ["hold-nan.yaml:4:7: hold must be a duration such as 30s or 1m, got the number .nan"]),
    ("hold-inf.yaml", hold("hold-inf", ".inf"),
     ["hold-inf.yaml:4:7: hold must be a duration such as 30s or 1m, got the number .inf"]),
    ("hold-minus-inf.yaml", hold("hold-minus-inf", "-.inf"),
     ["hold-minus-inf.yaml:4:7: hold must be a duration such as 30s or 1m, got the number "
      "-.inf"]),
    ("hold-nan-word.yaml", hold("hold-nan-word", "NaN"),
     ["hold-nan-word.yaml:4:7: hold must be a duration such as 30s or 1m, got 'NaN'"]),
    ("hold-1e309.yaml", hold("hold-1e309", "1.0e+309"),
     ["hold-1e309.yaml:4:7: hold must be a duration such as 30s or 1m, got the number "
      "1.0e+309"]),
    ("hold-huge.yaml", hold("hold-huge", "99999999999999999999999"),
     ["hold-huge.yaml:4:7: hold must be from 1 s to 5 min, got the number "
      "99999999999999999999999"]),
    ("hold-5000-digits.yaml", hold("hold-5000-digits", "9" * 5000 + "s"),
     ["hold-5000-digits.yaml:4:7: hold must be a duration such as 30s or 1m, got "
      "'9999999999999999999999999999999999999...'"]),
    ("hold-minus-text.yaml", hold("hold-minus-text", "-5s"),
     ["hold-minus-text.yaml:4:7: hold must be a duration such as 30s or 1m, got '-5s'"]),
    ("hold-an-hour.yaml", hold("hold-an-hour", "1:00:00"),
     ["hold-an-hour.yaml:4:7: hold must be from 1 s to 5 min, got the number 1:00:00"]),
    ("rest-minus-zero.yaml", exercise("rest-minus-zero", "rest: -0\n"), []),
    # ids with / or .., and ids that end in a line break
    ("id-dotdot.yaml", exercise("../etc/passwd"),
     [f"id-dotdot.yaml:1:5: id {ID_RULE}, got '../etc/passwd'"]),
    ("id-dots.yaml", exercise(".."), [f"id-dots.yaml:1:5: id {ID_RULE}, got '..'"]),
    ("id-newline.yaml", exercise('"id-newline\\n"'),
     [f"id-newline.yaml:1:5: id {ID_RULE}, got 'id-newline\\u000a'"]),
    ("easier-dotdot.yaml", exercise("easier-dotdot", "easier: ../chin-tuck\n"),
     [f"easier-dotdot.yaml:4:9: easier {ID_RULE}, got '../chin-tuck'"]),
    ("easier-newline.yaml", exercise("easier-newline", "easier: \"chin-tuck\\n\"\n"),
     [f"easier-newline.yaml:4:9: easier {ID_RULE}, got 'chin-tuck\\u000a'"]),
    ("routines/ref-dotdot.yaml", b"id: ref-dotdot\nname: N\nexercises: [../../etc/passwd]\n",
     [f"routines/ref-dotdot.yaml:3:13: exercises item 1 {ID_RULE}, got '../../etc/passwd'"]),
    ("routines/ref-newline.yaml", b"id: ref-newline\nname: N\nexercises: [\"chin-tuck\\n\"]\n",
     [f"routines/ref-newline.yaml:3:13: exercises item 1 {ID_RULE}, got 'chin-tuck\\u000a'"]),
    # a routine naming itself, another routine, or a missing exercise
    ("routines/self.yaml", b"id: self\nname: N\nexercises: [chin-tuck, self]\n",
     ["routines/self.yaml:3:24: 'self' is a routine; a routine can list only exercises"]),
    ("routines/nested.yaml", b"id: nested\nname: N\nexercises: [daily]\n",
     ["routines/nested.yaml:3:13: 'daily' is a routine; a routine can list only exercises"]),
    ("routines/missing.yaml", b"id: missing\nname: N\nexercises: [no-such-thing]\n",
     ["routines/missing.yaml:3:13: unknown exercise 'no-such-thing'; `backcoach list` shows "
      "the ids"]),
    ("easier-self.yaml", exercise("easier-self", "easier: daily\n"),
     ["easier-self.yaml:4:9: easier: 'daily' is a routine; a routine can list only exercises"]),
]


def validate(*targets: str) -> Result:
    return CliRunner().invoke(app, ["validate", *targets])


def closing(count: int) -> str:
    return f"Error: {count} problem{'s' if count != 1 else ''} found; fix the lines above and " \
           "try again."


@pytest.mark.parametrize(("name", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file(name: str, data: bytes, expected: list[str], tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    add("bad_inputs")
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    result = validate(name)
    assert time.perf_counter() - started < 3, "every bad file is refused in well under a second"
    if not expected:
        assert (result.exit_code, result.stdout.strip()) == (0, OK), result.output
        return
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*expected, closing(len(expected))]


# ---------------------------------------------------------------- alias bombs

def laughs(levels: int = 10, width: int = 10) -> str:
    """The billion laughs: each level lists the previous one `width` times (10^10 strings)."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


BOMB_TARGETS = {
    "keys": "",  # the bomb as unknown keys only
    "steps": "steps: *l9\ncues: *l9\nequipment: *l9\nname: *l9\nid: *l9\nsides: *l9\n",
    "routine": "id: bomb\nname: *l9\nexercises: *l9\nschedule: *l9\n",
}


@pytest.mark.parametrize("where", list(BOMB_TARGETS))
def test_a_billion_laughs_is_refused_fast_in_bounded_memory(where: str, tmp_path: Path) -> None:
    add("bad_inputs")
    path = tmp_path / "bomb.yaml"
    path.write_text(laughs() + BOMB_TARGETS[where])
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parsed = parse_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 5_000_000, f"peak {peak} bytes: the aliases were expanded"
    assert parsed.definition is None
    problems = parsed.collector.problems
    assert 0 < len(problems) < 100  # one per key or list item, not one per expanded string
    assert all(p.line >= 1 and p.col >= 1 for p in problems)


def test_the_bomb_through_the_real_program_in_limited_memory(tmp_path: Path) -> None:
    """The whole program, with its address space capped: no MemoryError, no traceback."""
    add("bad_inputs")
    path = tmp_path / "bomb.yaml"
    path.write_text(laughs(12) + BOMB_TARGETS["steps"].replace("l9", "l11"))

    def cap() -> None:
        limit = 1 << 30  # 1 GiB of address space: the interpreter needs a fraction of it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "backcoach", "validate", str(path)],
                          capture_output=True, text=True, timeout=30, preexec_fn=cap,
                          env={**os.environ, "NO_COLOR": "1"})
    assert time.monotonic() - started < 10
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("Error: ")


# ---------------------------------------------------------------- slow on purpose

@pytest.mark.parametrize(("name", "value", "expected"), [
    # YAML 1.1 reads 1:59:59:... as a base-60 number; 300 000 parts took 20 s to compute.
    ("sexagesimal.yaml", "1" + ":59" * 300_000,
     "sexagesimal.yaml:4:7: hold must be a duration such as 30s or 1m, got the number "
     "1:59:59:59:59:59:59:59:59:59:59:59:59..."),
    # Spaces between the parts made the duration pattern backtrack for minutes.
    ("backtracking.yaml", "1h" + " " * 50_000 + "1m" + " " * 50_000 + "x",
     "backtracking.yaml:4:7: hold must be a duration such as 30s or 1m, got '1h                "
     "                   ...'"),
])
def test_values_built_to_be_slow_are_refused_fast(name: str, value: str, expected: str,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    add("bad_inputs")
    (tmp_path / name).write_bytes(hold(name.removesuffix(".yaml"), value))
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    result = validate(name)
    assert time.perf_counter() - started < 2
    assert result.stderr.splitlines() == [expected, closing(1)]


# ---------------------------------------------------------------- not files at all

def run_validate(target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """In a process of its own, with a timeout: a hang must fail the test, not stall it."""
    return subprocess.run([sys.executable, "-m", "backcoach", "validate", target], cwd=cwd,
                          capture_output=True, text=True, timeout=20,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_a_device_is_refused_not_read_forever(kind: str, tmp_path: Path) -> None:
    add("bad_inputs")
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.yaml")  # nothing ever writes: reading it would block
        target = "pipe.yaml"
    else:
        target = "/dev/zero"  # endless zero bytes: reading it all would eat all memory
    done = run_validate(target, tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"{target}:1:1: not a regular file (a device, pipe or socket); give the path of a "
        ".yaml file", closing(1)]


def test_a_symlink_loop_in_the_user_folder_is_not_followed_forever(
        backcoach_home: Path) -> None:
    add("bad_inputs")
    folder = backcoach_home / "exercises"
    folder.mkdir(parents=True)
    (folder / "loop").symlink_to(folder)
    (folder / "mine.yaml").write_bytes(exercise("mine"))
    result = validate()
    assert (result.exit_code, result.stdout.strip()) == (0, OK), result.output


@pytest.mark.parametrize("name", ["\x1b[2J\x1b]0;owned\x07red.yaml", "two\nlines.yaml",
                                  "\u202eevil.yaml"])
def test_a_file_name_cannot_control_the_terminal(name: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared folder can hold any file name; messages show it, never obey it."""
    add("bad_inputs")
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / name).write_bytes(b"id: x\n")
    monkeypatch.chdir(tmp_path)
    result = validate("shared")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 4  # three missing keys and the closing line: no extra line breaks
    for line in lines:
        assert line.isprintable(), repr(line)
    shown = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in name)
    assert lines[0].startswith(f"shared/{shown}:1:1: "), lines[0]
