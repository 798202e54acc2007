"""Files named on the command line for backcoach to write: `export -o`, `run --events`, and
later `handout -o`, `report -o`, `remind --ics`.

The rules (docs: the CLI contract, "Files named on the command line"):

- backcoach's own data is never a target: the history (and SQLite's -wal, -shm and -journal
  files beside it), config.yaml, and anything in the user's exercises/ and routines/ folders.
  Paths are compared after following symbolic links, and files by device and inode, so a link
  or a hard link to the history is refused as the history itself.
- `-` is standard output. FIFOs and character devices (a pipe, /dev/null, a terminal) are
  written into, never replaced; block devices (disks) and sockets are refused.
- A regular file that exists is replaced only with `--force` or a yes at a terminal, and then
  atomically: the new text goes to a temporary file in the same folder, is flushed to disk and
  renamed over the old one, which keeps its permissions (and, for root, its owner). A failure
  half way leaves the old file as it was. A symbolic link to a file stays a link: its target
  is replaced.
- A new file never replaces one that appears meanwhile, and a dangling symbolic link is never
  followed into creating a file somewhere else.

Use: `target = check(name, force=..., confirm=...)` before the work (so a refused name costs
nothing), then `write_text(target, text, stdout)` for a whole document or
`open_stream(target, stdout)` for a file written as it goes (`--events`).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TextIO

from backcoach import paths
from backcoach.errors import BackcoachError, BadInput

# Asks the person a yes/no question at a terminal; None where no one can answer.
Confirm = Callable[[str], bool]

STDOUT, STREAM, NEW, REPLACE = "stdout", "stream", "new", "replace"


class Target(NamedTuple):
    """A checked place to write: standard output, a stream (FIFO or character device) to
    write into, a new regular file, or an existing one to replace (with the person's leave)."""

    name: str  # as the person wrote it, for messages
    kind: str  # STDOUT, STREAM, NEW or REPLACE
    path: Path | None = None  # where the bytes go: a symbolic link's target, not the link

    @property
    def is_file(self) -> bool:
        """A regular file (new or replaced), as opposed to standard output or a stream."""
        return self.kind in (NEW, REPLACE)


def check(name: str, *, force: bool = False, confirm: Confirm | None = None,
          option: str = "--output") -> Target:
    """Where `name` (given to `option`) may be written, or BadInput saying why not.

    An existing regular file needs `force` or a yes from `confirm`.
    """
    if name == "-":
        return Target(name, STDOUT)
    path = Path(name)
    own = own_file(path)
    if own is not None:
        raise BadInput(f"{name} is {own}: backcoach never writes {option} over its own data. "
                       "Name another file")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return _new_file(name, path)
    except OSError as exc:  # a loop of links, a parent that is a file, no permission
        raise BadInput(f"cannot write {name}: {exc.strerror}") from None
    if _same_file(info, _stdout_info()):
        return Target(name, STDOUT)  # /dev/stdout, or the file stdout is redirected to
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise BadInput(f"{name} is a folder; give a file name, such as {Path(name) / 'x'}")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Target(name, STREAM, path)
    if stat.S_ISBLK(mode):
        raise BadInput(f"{name} is a block device (a disk or a partition); backcoach never "
                       "writes to one. Name a file")
    if not stat.S_ISREG(mode):
        raise BadInput(f"{name} is not a file backcoach can write (a socket?); name a file")
    if not force and not (confirm is not None and confirm(f"{name} already exists. Replace "
                                                          "it?")):
        raise BadInput(f"{name} already exists; add --force to replace it, or name another "
                       "file")
    return Target(name, REPLACE, Path(os.path.realpath(path)))


def is_stdout(name: str) -> bool:
    """Whether writing `name` writes standard output (`-`, /dev/stdout, the file stdout is
    redirected to): messages for the person then go to stderr."""
    if name == "-":
        return True
    try:
        return _same_file(os.stat(name), _stdout_info())
    except OSError:
        return False


def _new_file(name: str, path: Path) -> Target:
    if os.path.islink(path):
        raise BadInput(f"{name} is a symbolic link to {os.readlink(path)}, which does not "
                       "exist; backcoach does not follow it. Name the file itself")
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"cannot write {name}: the folder {folder} does not exist")
    return Target(name, NEW, path)


def own_file(path: Path) -> str | None:
    """What of backcoach's own data `path` is (`backcoach's history` ...), or None."""
    real = os.path.realpath(path)
    try:
        info: os.stat_result | None = os.stat(path)
    except OSError:
        info = None
    for own, what in paths.own_files():
        if os.path.realpath(own) == real:
            return f"backcoach's {what}"
        with contextlib.suppress(OSError):
            if info is not None and _same_file(info, os.stat(own)):
                return f"backcoach's {what} (by another name)"
    for folder in paths.own_folders():
        inside = os.path.realpath(folder) + os.sep
        if real.startswith(inside) or real + os.sep == inside:
            return f"in your {folder.name} folder, where backcoach reads your {folder.name}"
        # A hard link elsewhere to one of the user's files is the same file.
        if info is not None and stat.S_ISREG(info.st_mode) and info.st_nlink > 1 \
                and _linked_into(info, folder):
            return f"one of your {folder.name} (a hard link to a file in {folder})"
    return None


def _linked_into(info: os.stat_result, folder: Path, limit: int = 10_000) -> bool:
    """Whether a file with `info`'s device and inode is in `folder` (looked at up to `limit`
    entries: the user's folders hold a few dozen files)."""
    seen = 0
    for root, _, files in os.walk(folder):
        for file in files:
            seen += 1
            if seen > limit:
                return False
            with contextlib.suppress(OSError):
                if _same_file(info, os.stat(os.path.join(root, file))):
                    return True
    return False


def _same_file(a: os.stat_result | None, b: os.stat_result | None) -> bool:
    return a is not None and b is not None and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stdout_info() -> os.stat_result | None:
    try:
        return os.fstat(1)
    except OSError:
        return None


# ---------------------------------------------------------------------- writing

def write_text(target: Target, text: str, stdout: TextIO) -> None:
    """Write a whole document to the target; BackcoachError (exit 1) when writing fails."""
    if target.kind == STDOUT:
        stdout.write(text)
        stdout.flush()
        return
    assert target.path is not None
    try:
        if target.kind == STREAM:
            with _open_stream_file(target.path) as handle:
                handle.write(text)
            return
        fd, temp = _temporary(target.path)
        try:
            with open(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            _publish(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    except OSError as exc:
        raise _write_error(target, exc) from None


def open_stream(target: Target, stdout: TextIO) -> tuple[TextIO, bool]:
    """A text stream to write the target as it goes, and whether the caller owns (closes) it.

    A new regular file is made at once and written as it goes (`tail -f` sees it grow); an
    existing one is replaced when the stream is closed, so it stays whole until then.
    """
    if target.kind == STDOUT:
        return stdout, False
    assert target.path is not None
    try:
        if target.kind == STREAM:
            return _open_stream_file(target.path), True
        if target.kind == NEW:
            fd = os.open(target.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o666)
            return open(fd, "w", encoding="utf-8", newline=""), True
        return _Replacing(target), True
    except FileExistsError:
        raise BadInput(f"{target.name} appeared while backcoach was starting; add --force to "
                       "replace it") from None
    except OSError as exc:
        raise _write_error(target, exc) from None


def _open_stream_file(path: Path) -> TextIO:
    """Open a FIFO or character device for writing, without creating or truncating it."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    return open(fd, "w", encoding="utf-8", newline="")


def _temporary(path: Path) -> tuple[int, Path]:
    """A private (0600) temporary file beside `path`, open for writing: the rename that
    publishes it must not cross file systems."""
    import tempfile  # here: it imports random, which every start would pay

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    return fd, Path(name)


def _publish(temp: Path, target: Target) -> None:
    """Give the finished temporary file its final mode and name, atomically."""
    assert target.path is not None
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    old = _stat_or_none(target.path)
    os.chmod(temp, (old.st_mode & 0o7777) if old is not None else _new_file_mode())
    if old is not None and hasattr(os, "geteuid") and os.geteuid() == 0:
        with contextlib.suppress(OSError):  # root replacing a person's file keeps it theirs
            os.chown(temp, old.st_uid, old.st_gid)
    if target.kind == REPLACE:
        os.replace(temp, target.path)
        return
    try:  # a link fails if a file of that name appeared meanwhile; a rename would replace it
        os.link(temp, target.path)
    except FileExistsError:
        raise BadInput(f"{target.name} appeared while backcoach was writing; nothing was "
                       "replaced. Add --force to replace it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV,
                             errno.EMLINK):
            raise
        if os.path.lexists(target.path):  # a file system without hard links (FAT, some FUSE)
            raise BadInput(f"{target.name} appeared while backcoach was writing; nothing was "
                           "replaced. Add --force to replace it") from None
        os.replace(temp, target.path)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _new_file_mode() -> int:
    """What a new file gets under the umask (the temporary file is private, 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_error(target: Target, exc: OSError) -> BackcoachError:
    return BackcoachError(f"cannot write {target.name}: {exc.strerror or exc}")


class _Replacing(io.TextIOWrapper):
    """A stream to a temporary file that takes the target's place when closed."""

    def __init__(self, target: Target) -> None:
        assert target.path is not None
        self._target = target
        fd, self._temp = _temporary(target.path)
        super().__init__(io.BufferedWriter(io.FileIO(fd, "w")), encoding="utf-8", newline="")

    def close(self) -> None:
        """Flush, then put the file in place of the target; the old one stays whole on error."""
        if self.closed:
            return
        try:  # an OSError reaches the caller, which says the file could not be written
            super().close()
            _publish(self._temp, self._target)
        finally:
            self._temp.unlink(missing_ok=True)
