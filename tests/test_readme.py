"""The README stays true: its field reference is generated, its YAML examples validate."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.library.schema import reference_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_field_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- reference:start -->\n")[1].split("<!-- reference:end -->")[0]
    assert block == reference_markdown(), "run `backcoach schema reference` and paste it"


def test_yaml_examples_validate(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    paths = []
    for block in blocks:
        ident = re.search(r"^id: (\S+)", block, re.M)
        assert ident is not None
        path = tmp_path / f"{ident.group(1)}.yaml"
        path.write_text(block, encoding="utf-8")
        paths.append(str(path))
    result = CliRunner().invoke(app, ["validate", *paths])
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} files checked: all valid." in result.output


def test_the_two_commands_are_there() -> None:
    """One line installs and runs the daily routine, one runs the tests; .ci/run runs the
    README's test line as written (tests/test_install.py runs the install lines)."""
    text = README.read_text(encoding="utf-8")
    install = text.split("## Install and start\n")[1].split("\n## ")[0]
    assert install.index("```sh\npipx install . && backcoach run\n```") < install.index(
        "```sh\npython3 -m venv .venv && . .venv/bin/activate && pip install . && "
        "backcoach run\n```")
    test_line = ('python3 -m venv .venv && . .venv/bin/activate && pip install ".[test]" && '
                 "python -m pytest -q -n 2")
    assert f"## Run the tests\n\n```sh\n{test_line}\n```" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert f"\n{test_line}\n" in ci


def test_the_status_example_is_what_backcoach_prints() -> None:
    """Issue 14, item 15: the bare `backcoach` lines shown in the README."""
    from backcoach.history.today import Streak, Today
    from backcoach.render.history_pages import status_page

    text = README.read_text(encoding="utf-8")
    shown = text.split("$ backcoach\n")[1].split("```")[0]
    today = Today("daily", "Daily lower-back routine", None, None, Streak(4, False), 30)
    assert status_page(today, 200, None, "backcoach run").text(color=False) == shown
