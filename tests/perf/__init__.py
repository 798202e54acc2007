"""The benchmark suite of issue 7: `python -m tests.perf` (see __main__.py).

Nothing here is collected by pytest (tests/perf/conftest.py ignores the folder): timings belong
in this report, never in assertions of the test suite.
"""
