"""Allow `python -m backcoach`."""

from backcoach.cli import main

main()
