"""The command line: parse arguments, call the core, turn errors into messages and exit codes.

Only this package imports typer. A command's module is imported, and its typer command built,
only when that command runs (`--version` builds none; `--help` reads their docstrings), and
command modules import the core inside each command, so no command pays for another.
"""

from __future__ import annotations

import codecs
import errno
import importlib
import io
import os
import sys
from collections.abc import Callable
from typing import Any, ClassVar, NamedTuple

import typer
import typer.main
from typer.core import TyperGroup

from backcoach import __version__
from backcoach.errors import BackcoachError, ExitCode, InvalidFiles


class Entry(NamedTuple):
    """Where a command lives (the module in backcoach.cli that defines it on its own `app`,
    and the function) and its one line in `backcoach --help`."""

    module: str
    function: str
    summary: str


# Every command, in the order help lists them: the order people need them.
COMMANDS: dict[str, Entry] = {
    "run": Entry("run", "run_command", "Start a guided session (default: the daily routine)"),
    "screen": Entry("safety", "screen_command", "Answer the red-flag safety questions"),
    "history": Entry("history", "history_command", "Your recent sessions"),
    "progress": Entry("history", "progress_command",
                      "Streak, this week, pain, goals, advice, steps up or down"),
    "learn": Entry("coaching", "learn_command", "Short lessons about living with back pain"),
    "goals": Entry("coaching", "goals_command", "Everyday activities to get back to, rated"),
    "list": Entry("library", "list_command", "Every exercise and routine, with dose and time"),
    "show": Entry("library", "show_command", "One exercise or routine: steps, dose, cautions"),
    "new": Entry("custom", "new_command", "Start an exercise or routine file of your own"),
    "edit": Entry("custom", "edit_command", "Change an exercise or routine in your editor"),
    "validate": Entry("library", "validate_command",
                      "Check exercise, routine and settings files"),
    "schema": Entry("library", "schema_command", "JSON Schema for editors that check YAML"),
    "config": Entry("custom", "config_command", "Your settings and where each comes from"),
    "export": Entry("history", "export_command", "Every session as CSV, JSON or FHIR"),
    "handout": Entry("documents", "handout_command",
                     "A printable handout of a routine, with pictures"),
    "report": Entry("documents", "report_command",
                    "A one-page summary to take to an appointment"),
    "remind": Entry("habit", "remind_command",
                    "Reminders on your routine's days, or a calendar file"),
    "due": Entry("habit", "due_command", "One line: is your routine due today? (exit 0 if so)"),
    "breaks": Entry("habit", "breaks_command",
                    "Desk micro-breaks in a spare terminal tab"),
}


def _module(name: str) -> Any:
    return importlib.import_module(f"backcoach.cli.{COMMANDS[name].module}")


class _Commands(TyperGroup):
    """The command group, loading each command when it is needed (click's lazy subcommands).

    Errors are reported here, not only in main(), so that the app behaves the same when driven
    by typer's CliRunner or embedded elsewhere.
    """

    _built: ClassVar[dict[str, Any]] = {}  # each command module's typer group, once built

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        module = COMMANDS[cmd_name].module
        if module not in self._built:
            self._built[module] = typer.main.get_group(_module(cmd_name).app)
        return self._built[module].get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The list in --help needs one line a command: the registry has it, so no command
        # module is imported and no command built to print it.
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry.summary) for name, entry in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:  # a context of typer's private, vendored click
        try:
            return super().invoke(ctx)
        except BackcoachError as exc:
            raise typer.Exit(report(exc)) from None
        except OutputClosed:
            raise typer.Exit(_output_closed()) from None


app = typer.Typer(
    cls=_Commands,
    name="backcoach",
    help="A guided home-exercise coach for lower back and neck pain.\n\n"
    "backcoach gives general information, not diagnosis or treatment.",
    add_completion=True,  # --install-completion / --show-completion: bash, zsh, fish
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backcoach {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """A guided home-exercise coach for lower back and neck pain.

    Without a command: today's routine, whether it is done, the streak, and how to start.
    """
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        from backcoach.cli.status import print_status

        print_status()


def _output_closed() -> int:
    print("Error: standard output is closed, so there is nowhere to print; give the command a "
          "terminal, a file or a pipe to write to", file=sys.stderr)
    return int(ExitCode.FAILURE)


def report(exc: BackcoachError) -> int:
    """Print a user-caused error as plain lines on stderr; return its exit code."""
    if isinstance(exc, InvalidFiles):
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        files = len({p.path for p in exc.problems})
        print(f"Error: {exc}{f' in {files} files' if files > 1 else ''}; fix the lines above "
              "and try again.", file=sys.stderr)
    elif exc.exit_code == ExitCode.OK:  # the person's choice (Declined), not an error
        text = str(exc)
        print(text[:1].upper() + text[1:], file=sys.stderr)
    else:
        print(f"Error: {exc}", file=sys.stderr)
    return int(exc.exit_code)


def confirm_at_terminal() -> Callable[[str], bool] | None:
    """A yes/no question on the terminal (stderr), or None when no one is there to answer."""
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    from backcoach.safety.flow import ConsolePrompter

    return ConsolePrompter(sys.stderr).ask_yes_no


class OutputClosed(OSError):
    """Standard output was closed when backcoach started (`backcoach export >&-`)."""


class _ClosedOutput(io.TextIOBase):
    """sys.stdout when file descriptor 1 was closed: every write fails with OutputClosed, so a
    command that prints says it could not, instead of printing nothing and exiting 0."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OutputClosed(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False


def _reopen_closed_standard_streams() -> None:
    """Give closed descriptors 0, 1 and 2 to /dev/null, so that no file backcoach opens (the
    history, an editor's or a speech program's output) becomes standard output by accident;
    a closed stdout then fails every write (`_ClosedOutput`)."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    if 0 in closed:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115  (for the whole run)
    if 1 in closed:
        sys.stdout = _ClosedOutput()
    if 2 in closed:  # messages for the person have nowhere to go; the exit code still says
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def main() -> None:
    """Console entry point."""
    _reopen_closed_standard_streams()
    for stream in (sys.stdout, sys.stderr):
        # An ASCII or Latin-1 terminal shows '?' for a character it lacks (·, →, █) instead
        # of ending the program with UnicodeEncodeError.
        if isinstance(stream, io.TextIOWrapper) and \
                codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(errors="replace")
    try:
        # Named as installed, also under `python -m backcoach`: completion scripts and their
        # _BACKCOACH_COMPLETE variable are for the `backcoach` command.
        app(prog_name="backcoach")
    except BackcoachError as exc:
        sys.exit(report(exc))
    except OutputClosed:  # --version and --help print before any command runs
        sys.exit(_output_closed())
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as exc:  # a bug: one line here, the details in a log file
        from backcoach.crashlog import internal_error

        print(internal_error(exc, sys.argv), file=sys.stderr)
        sys.exit(ExitCode.FAILURE)


__all__ = ["COMMANDS", "Entry", "app", "main", "report"]
