"""Find the YAML files in a folder, within bounds: the user's folders are read on every command,
so a link to `/` or a folder of a million files must cost milliseconds and say why.

- Links to folders are followed only while they stay inside the folder being read (the user's
  backcoach folder, or the folder named to `validate`), and each folder is read once, so a
  loop of links ends.
- At most MAX_DEPTH folders deep and MAX_ENTRIES entries in all; past that, reading stops with
  a problem that says so.
- Hidden entries (a name starting with '.': editor lock files, .git) are passed over; other
  files that are not .yaml or .yml (in any case) are noted as skipped, for `validate` to list.

Files with a YAML name are returned whatever they are (a FIFO, a dangling link, unreadable):
reading them reports the problem, so none is left out in silence.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from backcoach.errors import Problem
from backcoach.safetext import visible

YAML_SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 8
MAX_ENTRIES = 10_000


class Scan:
    """What reading some folders found: YAML files, problems with the folders themselves, and
    the other files passed over (path, why).

    Filled in as the folders are read; a plain class, not a dataclass, as every command that
    reads the library makes one (a dataclass compiles its methods as its module loads)."""

    __slots__ = ("files", "problems", "skipped")

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.problems: list[Problem] = []
        self.skipped: list[tuple[Path, str]] = []


def is_yaml_name(path: Path) -> bool:
    """Whether the name ends in .yaml or .yml, in any case (UP.YAML is read, and told to be
    named after its id)."""
    return path.suffix.lower() in YAML_SUFFIXES and not path.name.startswith(".")


def scan(root: Path, boundary: Path | None = None, found: Scan | None = None,
         show: Callable[[Path], str] = lambda path: visible(str(path))) -> Scan:
    """The YAML files under `root` (sorted), or `root` itself when it is not a folder.

    Links to folders are followed only to places inside `boundary` (default: `root`). `show`
    names a path in problems (relative to the current folder, in the catalog's messages).
    """
    found = found if found is not None else Scan()
    if not os.path.isdir(root):
        found.files.append(root)
        return found
    limit = os.path.realpath(boundary if boundary is not None else root)
    walker = _Walker(found, limit, Path(root), show)
    if os.path.islink(root) and not walker.inside(root):
        walker.outside(root)  # the exercises folder itself linked to /, say
        return found
    walker.walk(Path(root), 0)
    found.files.sort()
    return found


class _Walker:
    def __init__(self, found: Scan, boundary: str, root: Path,
                 show: Callable[[Path], str]) -> None:
        self.found = found
        self.boundary = boundary
        self.root = root
        self.show = show
        self.entries = 0
        self.visited: set[tuple[int, int]] = set()
        self.stopped = False

    def inside(self, path: Path) -> bool:
        """Whether `path`, links followed, is inside the folder being read."""
        real = os.path.realpath(path)
        return real == self.boundary or real.startswith(self.boundary.rstrip(os.sep) + os.sep)

    def outside(self, path: Path) -> None:
        """A problem for a link to a folder outside the one being read."""
        self._problem(path, f"a link to the folder {visible(os.path.realpath(path))}, outside "
                      f"{visible(self.boundary)}; backcoach does not follow it. Move the files "
                      "into the folder, or link the files one by one")

    def _problem(self, path: Path, message: str) -> None:
        self.found.problems.append(Problem(self.show(path), 1, 1, message))

    def walk(self, folder: Path, depth: int) -> None:
        if self.stopped:
            return
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in self.visited:
                return  # a link back to a folder already read
            self.visited.add(key)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            self._problem(folder, f"cannot read this folder: {exc.strerror}")
            return
        for entry in entries:
            self.entries += 1
            if self.entries > MAX_ENTRIES:
                self.stopped = True
                self._problem(self.root, f"more than {MAX_ENTRIES:,} files and "
                              "folders here; backcoach stopped reading after that many. Keep "
                              "only your exercise and routine files in this folder")
                return
            if entry.name.startswith("."):
                continue  # hidden: editor lock files, .git, backups
            path = Path(entry.path)
            if self._is_folder(entry):
                self._enter(path, entry, depth)
            elif is_yaml_name(path):
                self.found.files.append(path)
            else:
                self.found.skipped.append((path, "not a .yaml or .yml file"))

    @staticmethod
    def _is_folder(entry: os.DirEntry[str]) -> bool:
        try:
            return entry.is_dir()  # follows a link; a dangling one is not a folder
        except OSError:
            return False

    def _enter(self, path: Path, entry: os.DirEntry[str], depth: int) -> None:
        if entry.is_symlink() and not self.inside(path):
            self.outside(path)
            return
        if depth + 1 > MAX_DEPTH:
            self._problem(path, f"more than {MAX_DEPTH} folders deep; backcoach does not read "
                          "this far down. Keep your files in fewer levels of folders")
            return
        self.walk(path, depth + 1)
