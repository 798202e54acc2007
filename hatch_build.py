"""Build step: make the manual page (backcoach.1) from the help text and ship it in the wheel.

The page is made by running `python -m backcoach.cli.manpage` on this source tree, so it says
exactly what this version's `--help` says; the wheel installs it as share/man/man1/backcoach.1
(hatchling's shared data), where `man` finds it on Linux and macOS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MAN_PAGE = "share/man/man1/backcoach.1"


class ManPageHook(BuildHookInterface):  # type: ignore[type-arg]
    """Generates backcoach.1 into a temporary folder and adds it to the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Make the page before the wheel is assembled."""
        if self.target_name != "wheel":
            return
        self._folder = tempfile.mkdtemp(prefix="backcoach-man-")
        page = Path(self._folder) / "backcoach.1"
        # A child process: this source tree's backcoach, never one installed in the build
        # environment, and nothing of it left imported in the build backend.
        paths = [self.root, *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        subprocess.run([sys.executable, "-m", "backcoach.cli.manpage", str(page)],
                       cwd=self.root, env=env, check=True)
        build_data["shared_data"][str(page)] = MAN_PAGE

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folder once the wheel holds the page."""
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
