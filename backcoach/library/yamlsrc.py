"""Read YAML text into nodes that keep their line and column; every failure becomes a Problem."""

from __future__ import annotations

import functools
import operator
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from backcoach.errors import Problem

# Exercise and routine files are a few kilobytes; anything this large is not one.
MAX_FILE_BYTES = 1024 * 1024
# Nor is a file of more YAML values (keys, items, texts) than this: the largest routine has a
# few thousand. Counting is only done for a large text, where building the nodes of 100,000
# keys would take seconds.
MAX_EVENTS = 10_000
LARGE_TEXT = 64 * 1024

# libyaml is much faster and keeps marks too; fall back to the pure-Python loader without it.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Distinct (kind, text, style) whose tags are remembered: a file of unique keys stays bounded.
_REMEMBERED_TAGS = 2 ** 16


class _Loader(_SafeLoader):  # type: ignore[misc]
    """The safe loader, with each node's tag remembered.

    Even libyaml's composer calls back into Python to resolve each node's tag (is `30` an int,
    is `yes` a bool?) by regular expressions, and to follow path resolvers: a fifth of the
    time to compose a thousand files whose keys and values repeat. A tag depends only on the
    node's kind, text and style while there are no path resolvers (the safe loader has none,
    and backcoach adds none), so a remembered tag is the one `resolve` would give.
    """

    resolve = staticmethod(functools.lru_cache(maxsize=_REMEMBERED_TAGS)(
        yaml.resolver.Resolver().resolve))

    # No path resolvers: nothing to follow on the way down into a node or back up. The
    # composer still calls both hooks for every node, and a function written in C costs less
    # to call than a Python method: `operator.is_(node, index)` and `tuple()` only return,
    # and composing a thousand files went from 0.227 to 0.188 ms a file.
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)


assert not yaml.resolver.Resolver.yaml_path_resolvers, "remembered tags need no path resolvers"

# Syntax errors worth a plainer explanation than the parser's own words.
_HINTS = (
    ("could not find expected ':'", "a line is missing the ':' after its key"),
    ("mapping values are not allowed", "a ':' where YAML does not expect one; quote "
     "text that contains ': '"),
    ("did not find expected ',' or ']'", "a list in '[' is not closed with ']'"),
    ("did not find expected ',' or '}'", "a mapping in '{' is not closed with '}'"),
    ("quoted scalar found unexpected end of stream", "a quote is never closed"),
    ("found undefined alias", "an alias (*name) with no matching anchor (&name)"),
    ("expected a single document", "more than one YAML document ('---'); put one exercise or "
     "routine in each file"),
)


class YamlFailure(Exception):
    """A file could not be read as YAML; carries the Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, shown_as: str) -> str:
    """Read a file as UTF-8 (a leading byte-order mark is allowed), or raise YamlFailure."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a pipe would block, /dev/zero never ends
            raise YamlFailure(Problem(shown_as, 1, 1, "not a regular file (a device, pipe or "
                                      "socket); give the path of a .yaml file"))
        if info.st_size > MAX_FILE_BYTES:
            raise YamlFailure(Problem(shown_as, 1, 1, f"file is {info.st_size // 1024} KiB; "
                                      "exercise and routine files must be under "
                                      f"{MAX_FILE_BYTES // 1024} KiB"))
        data = _read_bytes(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        if path.is_symlink():
            raise YamlFailure(Problem(shown_as, 1, 1, f"a symbolic link to {os.readlink(path)}, "
                                      "which does not exist; remove the link or create the "
                                      "file")) from None
        raise YamlFailure(Problem(shown_as, 1, 1, "cannot read file: No such file or "
                                  "directory")) from None
    except OSError as exc:
        raise YamlFailure(Problem(shown_as, 1, 1, f"cannot read file: {exc.strerror}")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        message = (f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8 "
                   "(in most editors: File > Save with encoding > UTF-8)")
        raise YamlFailure(Problem(shown_as, line, col, message)) from None


def _read_bytes(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a file, even if it grows meanwhile. Plain os calls: a buffered
    file object for each of a thousand small files cost a quarter of reading them."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # no \r\n on Windows
    try:
        chunks: list[bytes] = []
        size = 0
        while size < limit:
            chunk = os.read(descriptor, min(limit - size, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


_CHUNK = 64 * 1024  # a whole exercise file in one read, without a 1 MiB buffer for each


def _count_values(text: str, shown_as: str) -> None:
    """Raise YamlFailure when the text holds more than MAX_EVENTS YAML values. The parser's
    events are read without building nodes; a syntax error is left for `compose` to explain."""
    loader = _Loader(text)
    try:
        for _ in range(MAX_EVENTS):
            if not loader.check_event():
                return
            loader.get_event()
        more = loader.check_event()
        event = loader.peek_event() if more else None
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()
    if event is not None:
        mark = event.start_mark
        raise YamlFailure(Problem(shown_as, mark.line + 1, mark.column + 1,
                                  f"more than {MAX_EVENTS:,} YAML values (keys, list items, "
                                  "texts) from here on; exercise and routine files have a few "
                                  "hundred. Is this the right file?"))


def compose(text: str, shown_as: str) -> yaml.Node | None:
    """Parse text into a node tree (None for an empty document), or raise YamlFailure."""
    if len(text) > LARGE_TEXT:
        _count_values(text, shown_as)
    loader = _Loader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "could not find expected ':'" in str(exc.problem) and exc.context_mark:
            mark = exc.context_mark  # the key's own line, not the next one where it was noticed
        if exc.context_mark and mark and mark.line >= len(text.rstrip().split("\n")):
            mark = exc.context_mark  # ran off the end: point where the unclosed part begins
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = _explain(exc)
        if _char_at(text, line, col) == "\t":
            message = "YAML syntax error: a tab character; YAML indents with spaces only, " \
                      "so replace the tab with spaces"
        raise YamlFailure(Problem(shown_as, line, col, message)) from None
    except yaml.reader.ReaderError as exc:
        # Its own message spans two lines and counts bytes (libyaml); point at the character.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        index = found.start() if found else 0
        code = ord(found.group()) if found else int(exc.character)
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        raise YamlFailure(Problem(shown_as, line, col, f"the control character U+{code:04X} is "
                                  "not allowed in YAML; remove it")) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise YamlFailure(Problem(shown_as, 1, 1, f"YAML error: {message}")) from None
    except RecursionError:
        raise YamlFailure(Problem(shown_as, 1, 1, "nested too deeply; exercise and routine "
                                  "files need only a few levels")) from None
    finally:
        loader.dispose()


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _explain(exc: yaml.MarkedYAMLError) -> str:
    raw = " ".join(part for part in (exc.context, exc.problem) if part)
    for needle, hint in _HINTS:
        if needle in raw:
            return f"YAML syntax error: {hint}"
    return f"YAML syntax error: {raw}"


def position(node: yaml.Node) -> tuple[int, int]:
    """The 1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1
