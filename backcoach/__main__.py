"""The `backcoach` program: `python -m backcoach`, and the console script.

`backcoach due` (what shell prompts and tmux status bars run) is answered here from its state
file when that is up to date, without loading the command line's framework; everything else,
and `due` whenever the state file is missing or old, goes to the full command line.
"""

import sys


def main() -> None:
    """Console entry point."""
    if sys.argv[1:2] == ["due"]:
        from backcoach.reminders.due import fast_due

        code = fast_due(sys.argv[1:])
        if code is not None:
            sys.exit(code)
    from backcoach.cli import main as full

    full()


if __name__ == "__main__":
    main()
