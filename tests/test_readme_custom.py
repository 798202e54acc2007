"""README's "Write your own routine" and "Settings" stay true: the transcripts are replayed and
must match the program's output line for line, and the settings table is generated."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.library.config import reference_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def text_blocks(title: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```text\n(.*?)```", section(title), re.S)]


def transcripts() -> dict[str, list[list[str]]]:
    """Output lines of each `$ backcoach ...` block, by command (in order of appearance)."""
    found: dict[str, list[list[str]]] = {}
    for lines in text_blocks("Write your own routine"):
        if lines[0].startswith("$ "):
            found.setdefault(lines[0][2:], []).append(lines[1:])
    return found


def test_settings_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- settings:start -->\n")[1].split("<!-- settings:end -->")[0]
    assert block == reference_markdown(), "paste config.reference_markdown() between the markers"


def test_settings_example_is_valid(backcoach_home: Path) -> None:
    [example] = [b for b in text_blocks("Settings") if b[0] == "# config.yaml"]
    backcoach_home.mkdir(parents=True)
    (backcoach_home / "config.yaml").write_text(
        "\n".join(example).replace("my-morning", "gentle") + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def person(backcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Someone using the platform's folders (no BACKCOACH_HOME), working in their home."""
    monkeypatch.delenv("BACKCOACH_HOME")
    home = backcoach_home.parent
    monkeypatch.chdir(home)
    return home


def run(*args: str, editor: str | None = None) -> Result:
    env = {"VISUAL": "", "EDITOR": editor or "true", "COLUMNS": "300"}
    return CliRunner().invoke(app, list(args), env=env)


def python_editor(tmp_path: Path, name: str, body: str) -> str:
    script = tmp_path / f"{name}.py"
    script.write_text("import sys\nfrom pathlib import Path\npath = Path(sys.argv[-1])\n"
                      "text = path.read_text(encoding='utf-8')\n" + body, encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_the_walkthrough_is_what_the_program_says(person: Path, tmp_path: Path) -> None:
    said = transcripts()
    path = person / ".config" / "backcoach" / "routines" / "my-morning.yaml"

    made = run("new", "routine", "my-morning")
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines() + made.stderr.splitlines() == said[
        "backcoach new routine my-morning"][0]
    assert path.is_file()

    [snippet] = [b for b in text_blocks("Write your own routine") if b[0] == "exercises:"]
    new_exercises = "\n".join(snippet) + "\n"
    slip = python_editor(tmp_path, "slip", "head = text[: text.index('\\nexercises:') + 1]\n"
                         f"path.write_text(head + {new_exercises!r}, encoding='utf-8')\n")
    first, fixed = said["backcoach edit my-morning"]
    edited = run("edit", "my-morning", editor=slip)
    assert edited.exit_code == 2
    # Off a terminal there is no question; in one, the answer line sits between the two.
    assert first[1] == "Edit it again? [y/n] n"
    assert edited.stderr.splitlines() == [first[0], first[2]]

    refused = run("run", "my-morning")
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == said["backcoach run my-morning"][0]

    fix = python_editor(tmp_path, "fix", "path.write_text(text.replace('    rep: ', "
                                         "'    reps: '), encoding='utf-8')\n")
    edited = run("edit", "my-morning", editor=fix)
    assert edited.exit_code == 0, edited.output
    assert edited.stdout.splitlines() == fixed

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - chin-tuck\n", "  - chin-tuck\n  - knee-to-chest\n"),
                    encoding="utf-8")
    checked = run("validate")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.splitlines() + checked.stdout.splitlines() == said[
        "backcoach validate"][0]
