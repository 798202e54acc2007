"""backcoach.1, the manual page, made from the same text as `--help`.

The build makes it (hatch_build.py runs `python -m backcoach.cli.manpage FILE`) and the wheel
installs it as share/man/man1/backcoach.1, where `man backcoach` finds it (a venv's, pipx's
~/.local/share/man, /usr/local/share/man). Every command comes from the registry
(backcoach.cli.COMMANDS), and its text, arguments and options from the command itself,
exactly as `backcoach COMMAND --help` prints them; only the sections `--help` has no place
for (exit status, environment, files) are written here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from backcoach import __version__

SECTION = "1"

# What --help has no place for; each line is plain text (escaped when the page is made).
EXIT_STATUS = (
    ("0", "done (or quit)"),
    ("1", "a runtime failure"),
    ("2", "bad input: usage, invalid YAML, an unknown id, answers needed but no terminal"),
    ("3", "stopped for safety (a red flag)"),
    ("129, 130, 143", "ended by a hangup, Ctrl-C or SIGTERM; the partial session is saved "
     "first"),
)
ENVIRONMENT = (
    ("BACKCOACH_HOME", "A folder that holds everything of yours: exercises/, routines/, "
     "config.yaml and history.sqlite3. Unset: the places under FILES."),
    ("BACKCOACH_SPEECH", "The speech program for --voice, with its options (the phrase is "
     "added at the end); default: espeak-ng, espeak, spd-say or say, and the system voice "
     "through PowerShell on Windows."),
    ("VISUAL, EDITOR", "The editor for `backcoach edit` and `backcoach config --edit`."),
    ("NO_COLOR", "Set: pages are printed without colour."),
    ("TZ", "The time zone of dates and days, unless --tz names one."),
)
FILES = (
    ("~/.config/backcoach/", "Your exercises/, routines/ and config.yaml on Linux "
     "($XDG_CONFIG_HOME/backcoach/ when that is set)."),
    ("~/.local/share/backcoach/history.sqlite3", "Your history on Linux "
     "($XDG_DATA_HOME/backcoach/ when that is set)."),
    ("~/Library/Application Support/backcoach/", "Both, on macOS."),
    ("%APPDATA%\\backcoach\\", "Both, on Windows."),
)


def render() -> str:
    """The whole manual page, in roff (man macros)."""
    import typer.main

    from backcoach.cli import COMMANDS, app

    group: Any = typer.main.get_command(app)  # backcoach.cli's group, of typer's click
    root = group.context_class(group, info_name="backcoach", **group.context_settings)
    lines = [f'.TH BACKCOACH {SECTION} "" "backcoach {__version__}" "User Commands"',
             ".nh", ".ad l",  # no hyphens inside names such as config.yaml; ragged right
             ".SH NAME",
             f"backcoach \\- {_text(_first_line(group.help))}",
             ".SH SYNOPSIS",
             ".B backcoach",
             _options_usage(group, root),
             ".br",
             ".B backcoach",
             ".I COMMAND",
             "[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]",
             ".SH DESCRIPTION", *_paragraphs(group.help),
             ".SH OPTIONS", *_parameters(group, root),
             ".SH COMMANDS"]
    for name, entry in COMMANDS.items():
        lines += [".TP", f".B {_text(name)}", _text(entry.summary)]
    for name in COMMANDS:
        command = group.get_command(root, name)
        context = command.context_class(command, info_name=name, parent=root,
                                        **command.context_settings)
        usage = " ".join(["backcoach", name, *command.collect_usage_pieces(context)])
        lines += [f'.SS "{_text(usage)}"', *_paragraphs(command.help or ""),
                  *_parameters(command, context)]
    lines += [".SH \"EXIT STATUS\""]
    lines += [line for code, meaning in EXIT_STATUS
              for line in (".TP", f".B {_text(code)}", _text(meaning))]
    lines += [".SH ENVIRONMENT"]
    lines += [line for name, meaning in ENVIRONMENT
              for line in (".TP", f".B {_text(name)}", _text(meaning))]
    lines += [".SH FILES"]
    lines += [line for path, meaning in FILES
              for line in (".TP", f".I {_text(path)}", _text(meaning))]
    lines += [".SH NOTES",
              "backcoach gives general information, not diagnosis or treatment. The README "
              "of the source says more: how sessions, the safety questions and the pain "
              "advice work, and how to write exercises and routines of your own."]
    return "\n".join(lines) + "\n"


def help_records(command: Any, context: Any) -> list[tuple[str, str]]:
    """(names, help) of each argument and option, as `--help` shows them."""
    records = []
    for parameter in command.get_params(context):
        record = parameter.get_help_record(context)
        if record is not None:
            records.append((record[0], record[1] or ""))
    return records


def _parameters(command: Any, context: Any) -> list[str]:
    lines = []
    for names, text in help_records(command, context):
        lines += [".TP", f"\\fB{_text(names)}\\fR", _text(text)]
    return lines


def _options_usage(command: Any, context: Any) -> str:
    """[--version] [-h|--help]: each option's names, without their values."""
    return " ".join("[" + "|".join(f"\\fB{_text(name.split(' ')[0])}\\fR"
                                   for name in names.split(", ")) + "]"
                    for names, _ in help_records(command, context))


def _first_line(text: str | None) -> str:
    first = (text or "").strip().split("\n")[0].rstrip(".")
    return first[:1].lower() + first[1:]


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs; roff fills the lines of each."""
    lines = []
    for paragraph in text.strip().split("\n\n"):
        words = " ".join(line.strip() for line in paragraph.splitlines())
        if words:
            lines += [".PP", _text(words)]
    return lines


def _text(text: str) -> str:
    """Plain text made safe for roff: backslashes and hyphens escaped (an option's -- stays
    two hyphens when copied), characters beyond ASCII by their code point (→ is \\[u2192],
    which every man reader shows), and no line that starts like a request."""
    escaped = "".join(f"\\[u{ord(char):04X}]" if ord(char) > 127 else char
                      for char in text.replace("\\", "\\e").replace("-", "\\-"))
    return "\n".join(f"\\&{line}" if line.startswith((".", "'")) else line
                     for line in escaped.splitlines())


def main(argv: list[str] | None = None) -> int:
    """Write the page to the file named (made with its folders), or to standard output."""
    args = sys.argv[1:] if argv is None else argv
    page = render()
    if not args or args[0] == "-":
        sys.stdout.write(page)
        return 0
    target = Path(args[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
