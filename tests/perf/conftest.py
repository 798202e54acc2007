"""Keep pytest out of the benchmark: nothing timed runs in the test suite."""

collect_ignore_glob = ["*.py"]
