"""Files backcoach writes in the user's folder: new exercises and routines, copies for `edit`,
a first config.yaml, the JSON Schema files for editors.

Each write stays inside the folder (BACKCOACH_HOME, else the platform's config folder):

- a symbolic link on the way that leads out of it is never written through, and a dangling
  one is never followed into creating a file somewhere else;
- a new file never replaces anything (O_EXCL; a link in its place is refused, not followed);
- a file backcoach refreshes (the schema files) is replaced atomically, by a rename that
  replaces a link itself rather than what it points at.

Every failure is a HomeError (exit 1) that says which path and what to do, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from backcoach import paths
from backcoach.paths import HomeError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def home(base: Path | None = None) -> Path:
    """The user's folder (or `base`, such as the home folder for a scheduler's files), with
    links followed (so a BACKCOACH_HOME that is a link works)."""
    return Path(os.path.realpath(base if base is not None else paths.config_dir()))


def inside_home(path: Path, base: Path | None = None) -> bool:
    """Whether `path`, links followed, is the user's folder (or `base`) or inside it."""
    real, top = os.path.realpath(path), str(home(base))
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _writable_hint() -> str:
    return "make it writable, or set BACKCOACH_HOME to a folder you can write to"


def ensure_folder(folder: Path, base: Path | None = None) -> Path:
    """Make `folder` (and its missing parents) inside the user's folder (or `base`); HomeError
    when a link on the way leads out of it or dangles, or the folder cannot be made."""
    current = Path(folder)
    # Walk down from the first part that exists, so a dangling link is seen before mkdir.
    for part in [*reversed(current.parents), current]:
        if os.path.islink(part):
            target = os.readlink(part)
            if not os.path.exists(part):
                raise HomeError(f"{part} is a symbolic link to {target}, which does not exist; "
                                "backcoach does not create files through it. Remove the link "
                                "or create what it points to")
            if not inside_home(part, base) and _under_home(part, base):
                where = "your backcoach folder" if base is None else str(base)
                raise HomeError(f"{part} is a symbolic link to {target}, outside "
                                f"{base or paths.config_dir()}; backcoach does not write "
                                f"through it. Remove the link, or move the folder into {where}")
    try:
        os.makedirs(current, exist_ok=True)
    except FileExistsError:
        raise HomeError(f"{current} is a file, not a folder; move it aside") from None
    except OSError as exc:
        raise HomeError(f"cannot create the folder {current}: {exc.strerror}; "
                        f"{_writable_hint()}") from None
    return current


def _under_home(path: Path, base: Path | None = None) -> bool:
    """Whether `path` as written (links not followed) is inside the user's folder (or `base`):
    only links found there must stay there; the way to the folder itself is the person's
    business."""
    top = os.path.abspath(base if base is not None else paths.config_dir())
    here = os.path.abspath(path)
    return here != top and here.startswith(top.rstrip(os.sep) + os.sep)


def check_editable(path: Path) -> Path:
    """`path`, unless it is a symbolic link to nothing: an editor would follow it into
    creating a file somewhere else (HomeError)."""
    if os.path.islink(path) and not os.path.exists(path):
        raise HomeError(f"{path} is a symbolic link to {os.readlink(path)}, which does not "
                        "exist; backcoach does not follow it (an editor would make a file "
                        "there). Remove the link, or create what it points to")
    return path


def create_file(path: Path, text: str) -> None:
    """Write a new file; FileExistsError when a file of that name exists (the caller says
    what to do), HomeError when a link stands there or the folder cannot be written."""
    ensure_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666)
    except FileExistsError:
        if os.path.islink(path):
            raise HomeError(f"{path} is a symbolic link to {os.readlink(path)}; backcoach does "
                            "not write through it. Remove the link and try again") from None
        raise
    except OSError as exc:
        raise HomeError(f"cannot write {path}: {exc.strerror}; {_writable_hint()}") from None
    try:
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()  # no half-written file left to be read as a broken exercise
        raise HomeError(f"cannot write {path}: {exc.strerror}; {_writable_hint()}") from None


def refresh_file(path: Path, text: str, base: Path | None = None) -> None:
    """Make `path` hold `text`, replacing what is there atomically (nothing when it already
    does). A link in its place is replaced by the file, never written through; a link on the
    way that leads out of the user's folder (or `base`) is refused."""
    ensure_folder(path.parent, base)
    if _holds(path, text):
        return
    _replace(path, text, path, lambda: 0o666 & ~_umask(), newline=None)


def rewrite_file(path: Path, text: str) -> None:
    """Replace the text of one of the user's files atomically, keeping its permissions: a
    temporary file beside it is renamed over it, so a crash leaves the old text or the new,
    never half of each. A link is followed only while it stays inside the user's folder (the
    file it leads to is rewritten, the link stays); one that leads out of it is refused."""
    if not inside_home(path):
        raise HomeError(f"{path} leads to {os.path.realpath(path)}, outside "
                        f"{paths.config_dir()}; backcoach does not write through it. Move the "
                        "file into your backcoach folder")
    real = Path(os.path.realpath(path))
    _replace(real, text, path, lambda: stat.S_IMODE(os.stat(real).st_mode), newline="")


def _replace(target: Path, text: str, shown: Path, mode: Callable[[], int],
             newline: str | None) -> None:
    """Write `text` to a temporary file beside `target`, give it `mode()` and rename it over
    `target`; HomeError naming `shown` when any step fails (the temporary file is removed)."""
    import tempfile  # here: it imports random, which every start would pay

    try:
        permissions = mode()
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise HomeError(f"cannot write {shown}: {exc.strerror}; {_writable_hint()}") from None
    try:
        with open(fd, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
        os.chmod(temp, permissions)
        os.replace(temp, target)
    except OSError as exc:
        raise HomeError(f"cannot write {shown}: {exc.strerror}; {_writable_hint()}") from None
    finally:
        Path(temp).unlink(missing_ok=True)


def _holds(path: Path, text: str) -> bool:
    """Whether `path` is a regular file (not a link, a FIFO that would block ...) with `text`."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 4 * len(text) + 1024:
            return False
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        with open(fd, encoding="utf-8") as handle:
            return handle.read() == text
    except (OSError, UnicodeDecodeError):
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
