"""Parsed files kept between runs, so most commands start without reading any YAML.

Each entry is keyed by backcoach's version, where it is installed, the Python version, the
current folder (messages name files relative to it), and the path, size and modification time
of every file it was read from. A file modified in the last two seconds is not cached: an edit
within the file system's time resolution would leave the key as it was. An entry that cannot
be read, or holds anything else, is ignored and rebuilt; one that cannot be written is simply
not kept.

Entries are JSON, never pickle, and live in the user's cache folder, not in BACKCOACH_HOME: a
folder of routines someone shares can hold no code and no stale library.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from backcoach import __version__, paths

if TYPE_CHECKING:
    from backcoach.library.catalog import Catalog
    from backcoach.library.folders import Scan

FRESH_SECONDS = 2.0  # files modified more recently than this are not cached
T = TypeVar("T")


def remember(name: str, sources: Iterable[Path], build: Callable[[], T],
             types: Iterable[type], extra: object = None) -> T:
    """`build()`'s value, from the cache entry `name` when its key still matches, else built
    now and kept for next time. `types` are the classes the value is made of (dataclasses,
    named tuples, enums); `extra` is anything else the value depends on (JSON-able)."""
    files, fresh = _stamps(sources)
    key = {"version": __version__, "python": list(sys.version_info[:3]),
           "install": str(Path(__file__).resolve().parent), "cwd": os.getcwd(),
           "extra": extra, "files": files}
    path = _entry(name)
    known = {cls.__name__: cls for cls in types}
    if path is not None:
        found = _read(path, key, known)
        if found is not None:
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
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
        if not isinstance(document, dict) or document.get("key") != key:
            return None
        return _decode(document["value"], known)
    except Exception:  # missing, damaged or from another version: rebuild it
        return None


def _write(path: Path, key: Mapping[str, Any], value: Any) -> None:
    import tempfile

    with contextlib.suppress(OSError, TypeError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({"key": key, "value": _encode(value)}, ensure_ascii=False)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, path)  # readers see the old entry or the new one, never half
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _encode(value: Any) -> Any:
    """JSON for dataclasses, named tuples, enums, tuples, frozensets, dicts and scalars."""
    if isinstance(value, Enum):
        return {"__": type(value).__name__, "value": value.value}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"__": type(value).__name__,
                **{name: _encode(getattr(value, name)) for name in value._fields}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)
                   if f.init}}
    if isinstance(value, tuple | frozenset):
        return {"__": type(value).__name__, "items": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"__": "dict", "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(data: Any, known: Mapping[str, type]) -> Any:
    if isinstance(data, list):
        return [_decode(item, known) for item in data]
    if not isinstance(data, dict):
        return data
    kind = data["__"]
    if kind == "tuple":
        return tuple(_decode(item, known) for item in data["items"])
    if kind == "frozenset":
        return frozenset(_decode(item, known) for item in data["items"])
    if kind == "dict":
        return {_decode(k, known): _decode(v, known) for k, v in data["items"]}
    cls = known[kind]  # KeyError for a class this backcoach does not know: rebuilt
    if issubclass(cls, Enum):
        return cls(data["value"])
    return cls(**{name: _decode(item, known) for name, item in data.items() if name != "__"})


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

    return remember("catalog", [*builtin.files, *found.files], build, types, extra)
