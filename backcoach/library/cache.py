"""Parsed files kept between runs, so most commands start without reading any YAML.

Each entry is keyed by backcoach's version, where it is installed, the Python version, the
current folder (messages name files relative to it), and the path, size and modification time
of every file it was read from. A file modified in the last two seconds is not cached: an edit
within the file system's time resolution would leave the key as it was. An entry that cannot
be read, holds anything `_encode` did not write, or a value not of the shape its caller
expects, is ignored and rebuilt; one that cannot be written is simply not kept.

Entries are JSON, never pickle, and live in the user's cache folder, not in BACKCOACH_HOME: a
folder of routines someone shares can hold no code and no stale library. An entry is two lines,
each a JSON text: the key, then the value. The value is read only when the key matches, and
its objects are made as the JSON parser meets them (an object hook), not in a second pass.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from backcoach import __version__, paths
from backcoach.record import Record

if TYPE_CHECKING:
    from backcoach.library.catalog import Catalog
    from backcoach.library.folders import Scan

FRESH_SECONDS = 2.0  # files modified more recently than this are not cached
T = TypeVar("T")


def remember(name: str, sources: Iterable[Path], build: Callable[[], T],
             types: Iterable[type], *, fits: Callable[[Any], bool], extra: object = None) -> T:
    """`build()`'s value, from the cache entry `name` when its key still matches, else built
    now and kept for next time. `types` are the classes the value is made of (records,
    named tuples, enums); `fits` says whether a value read back has the shape
    `build()` gives (an entry that does not is rebuilt); `extra` is anything else the value
    depends on (JSON-able)."""
    files, fresh = _stamps(sources)
    key = {"version": __version__, "python": list(sys.version_info[:3]),
           "install": str(Path(__file__).resolve().parent), "cwd": os.getcwd(),
           "extra": extra, "files": files}
    path = _entry(name)
    known = {cls.__name__: cls for cls in types}
    if path is not None:
        found = _read(path, key, known)
        if found is not None and fits(found):
            return cast(T, found)
    value = build()
    if path is not None and not fresh:
        _write(path, key, value)
        with contextlib.suppress(OSError):
            _prune(path, name)
    return value


def _stamps(sources: Iterable[Path]) -> tuple[list[list[Any]], bool]:
    """Path, size and modification time of each source; whether any changed just now."""
    now = time.time()
    stamps: list[list[Any]] = []
    fresh = False
    for source in sources:
        try:
            info = source.stat()
        except OSError:
            stamps.append([str(source), None, None])
            continue
        stamps.append([str(source), info.st_size, info.st_mtime_ns])
        fresh = fresh or now - info.st_mtime < FRESH_SECONDS
    return stamps, fresh


KEEP_ENTRIES = 8  # of each name: one per home and folder a command was run from, newest


def _entry(name: str) -> Path | None:
    """The file of a cache entry: one per home (BACKCOACH_HOME or the platform's folders) and
    current folder, so commands run from two folders do not keep replacing each other's."""
    try:
        home = str(paths.config_dir())
        where = f"{home}\0{os.getcwd()}"
    except Exception:  # a home that cannot be used: the command says so itself
        return None
    # A checksum names the file: hashlib would cost more to import than the whole look-up.
    digest = f"{zlib.crc32(where.encode('utf-8', 'surrogateescape')):08x}"
    return paths.cache_dir() / f"{name}-{digest}.json"


def _prune(path: Path, name: str) -> None:
    """Keep the KEEP_ENTRIES newest entries of a name; remove the older ones."""
    entries = sorted(path.parent.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime,
                     reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        old.unlink()


def _read(path: Path, key: Mapping[str, Any], known: Mapping[str, type]) -> Any:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO put there would block the reading
            return None
        with path.open(encoding="utf-8") as handle:
            if json.loads(handle.readline()) != key:
                return None
            return json.loads(handle.readline(), object_hook=_Reviver(known))
    except Exception:  # missing, damaged or from another version: rebuild it
        return None


def _write(path: Path, key: Mapping[str, Any], value: Any) -> None:
    import tempfile

    with contextlib.suppress(OSError, TypeError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # JSON text has no raw line break (one in a string is written \n): one line each.
        text = (json.dumps(key, ensure_ascii=False) + "\n"
                + json.dumps(_encode(value), ensure_ascii=False) + "\n")
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, path)  # readers see the old entry or the new one, never half
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _encode(value: Any) -> Any:
    """JSON for records, named tuples, enums, tuples, frozensets, dicts and scalars."""
    if isinstance(value, Enum):
        return {"__": type(value).__name__, "value": value.value}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"__": type(value).__name__,
                **{name: _encode(getattr(value, name)) for name in value._fields}}
    if isinstance(value, Record):
        return {"__": type(value).__name__,
                **{name: _encode(field) for name, field in value.fields().items()}}
    if isinstance(value, tuple | frozenset):
        return {"__": type(value).__name__, "items": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"__": "dict", "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


class _Reviver:
    """The object hook that turns each JSON object of a value back into what `_encode` wrote:
    the JSON parser calls it innermost first, so the fields are made by the time their object
    is. An object without a kind, or of a class not in `known`, raises: the entry is rebuilt."""

    def __init__(self, known: Mapping[str, type]) -> None:
        self.known = known
        self.enums = {name for name, cls in known.items() if issubclass(cls, Enum)}

    def __call__(self, data: dict[str, Any]) -> Any:
        kind = data.pop("__")  # KeyError for an object _encode did not write
        if kind == "tuple":
            return tuple(data["items"])
        if kind == "dict":
            return dict(data["items"])
        if kind == "frozenset":
            return frozenset(data["items"])
        cls = self.known[kind]  # KeyError for a class this backcoach does not know
        return cls(data["value"]) if kind in self.enums else cls(**data)


def cached_catalog(found: Scan) -> Catalog:
    """The catalog of the built-in files and the user's files `found` by the scan
    (`catalog.user_scan`), from the cache when none of them has changed."""
    from backcoach.errors import Problem
    from backcoach.library import catalog, folders, model

    builtin = folders.scan(paths.builtin_dir(), show=catalog.shown_path)
    types = [catalog.Catalog, Problem, *(cls for cls in vars(model).values()
                                         if isinstance(cls, type) and cls.__module__ ==
                                         model.__name__)]
    extra = {"scan": [list(map(str, found.problems)), [list(map(str, s)) for s in
                                                       found.skipped]]}

    def build() -> Catalog:
        from backcoach.library.loading import build_catalog

        return build_catalog(found)

    return remember("catalog", [*builtin.files, *found.files], build, types,
                    fits=lambda value: isinstance(value, catalog.Catalog), extra=extra)
