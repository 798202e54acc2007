"""The manual page says what `--help` says: every command, its text, every argument and
option with its help; and man can read it without a warning."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import typer.main
from typer.testing import CliRunner

from backcoach.cli import COMMANDS, app, manpage

BOX = re.compile(r"[│╭╮╰╯─]")
FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def plain_words(text: str) -> str:
    """Text with rich's boxes gone and every run of white space one space."""
    return " ".join(BOX.sub(" ", text).split())


def page_words(roff: str) -> str:
    """The manual page as words: requests dropped (their arguments kept), escapes undone."""
    lines = []
    for line in roff.splitlines():
        if line.startswith("."):
            request, _, rest = line.partition(" ")
            if request in (".TH", ".nh", ".ad", ".PP", ".TP", ".br"):
                continue
            line = rest.strip('"')
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"\\\[u([0-9A-F]{4})\]", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\&", "").replace("\\-", "-").replace("\\e", "\\")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page() -> str:
    return manpage.render()


def help_of(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return plain_words(result.output)


def records(name: str) -> list[tuple[str, str]]:
    group = typer.main.get_command(app)
    root = group.context_class(group, info_name="backcoach", **group.context_settings)
    command = group.get_command(root, name)  # type: ignore[attr-defined]
    context = command.context_class(command, info_name=name, parent=root,
                                    **command.context_settings)
    return manpage.help_records(command, context)


def section(page: str, name: str) -> str:
    """The words of one command's part of the page."""
    words = page_words(page)
    start = words.index(f"backcoach {name} [OPTIONS]")
    later = [words.index(f"backcoach {other} [OPTIONS]") for other in COMMANDS
             if words.index(f"backcoach {other} [OPTIONS]") > start]
    return words[start:min(later, default=words.index("EXIT STATUS"))]


def test_the_command_list_is_the_one_help_prints(page: str) -> None:
    listed = help_of()
    words = page_words(page)
    for name, entry in COMMANDS.items():
        assert f"{name} {entry.summary}" in listed
        assert f"{name} {entry.summary}" in words, name
    assert "--version Print the version and exit." in listed
    assert "--version Print the version and exit." in words


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_reads_the_same_in_help_and_in_the_page(page: str, name: str) -> None:
    shown = help_of(name)
    mine = section(page, name)
    command_help = typer.main.get_command(app).get_command(  # type: ignore[attr-defined]
        None, name).help
    for paragraph in command_help.strip().split("\n\n"):
        text = " ".join(paragraph.split())
        assert text in shown, (name, text)
        assert text in mine, (name, text)
    for names, text in records(name):
        # What --help shows beside an option ([default: ...], [0<=x<=10]) may sit in another
        # column of the box; the sentence itself reads the same in both.
        sentence = " ".join(text.split("  [")[0].split())
        assert sentence in shown, (name, names)
        assert f"{' '.join(names.split())} {' '.join(text.split())}" in mine, (name, names)
    flags_in_help = set(FLAG.findall(" ".join(n for n, _ in records(name))))
    assert flags_in_help <= set(FLAG.findall(shown)), name
    assert flags_in_help <= set(FLAG.findall(mine)), name


def test_nothing_in_the_page_is_missing_from_help(page: str) -> None:
    """Every option the page names for a command, that command's --help names too."""
    for name in COMMANDS:
        described = {n for names, _ in records(name) for n in FLAG.findall(names)}
        shown = set(FLAG.findall(help_of(name)))
        assert described <= shown, name


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_man_reads_the_page_without_a_warning(page: str) -> None:
    done = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=page,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    shown = subprocess.run(["groff", "-man", "-Tutf8"], input=page, capture_output=True,
                           text=True, timeout=60,
                           env={**os.environ, "GROFF_NO_SGR": "1"}).stdout
    plain = " ".join(re.sub(r".\x08", "", shown).split())  # overstrike bold and underline
    assert "backcoach - a guided home-exercise coach for lower back and neck pain" in plain
    assert "--pain-before" in plain and "pain before → after" in plain


def test_roff_escaping() -> None:
    assert manpage._text("--only -") == "\\-\\-only \\-"
    assert manpage._text(".hidden\n'quote") == "\\&.hidden\n\\&'quote"
    assert manpage._text("a\\b →") == "a\\eb \\[u2192]"
