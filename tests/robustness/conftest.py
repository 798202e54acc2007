"""The robustness suite's summary (what was tried, printed after a `pytest -q` run) is printed
by the hook in tests/conftest.py, with `tally.print_summary`: that conftest is the one pytest
loads in every process, pytest-xdist's controller included, which never imports the test
folders' own conftest files.
"""
