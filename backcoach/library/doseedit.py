"""Change one exercise entry of a routine file in place: its id and its hold, tempo or reps,
with a dated comment above it. Pure text in, text out.

Only what must change is touched: a value is replaced where it is written, a key that must
appear is added on a line of its own under the entry (a bare `- id` entry becomes `- id: ...`
with the new key below), a key that must go is taken out with its line. Everything else (other
entries, comments, blank lines, quoting, the line endings of the file, a byte-order mark) stays
as it was, so the file's text before the change can be given back byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from backcoach.errors import BackcoachError
from backcoach.library.yamlsrc import YamlFailure, compose

BOM = "\ufeff"
DOSE_KEYS = ("hold", "tempo", "reps")


class EditFailed(BackcoachError):
    """The routine file is not laid out in a way the change can be written into."""


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def change_entry(text: str, position: int, values: Mapping[str, str | None],
                 comment: str, new_id: str | None = None) -> str:
    """The routine text with the exercise entry at `position` (0-based) changed: `values`
    maps hold, tempo or reps to the text to write (None: the key must not be there), `new_id`
    replaces the exercise id, and `comment` goes on a line of its own above the entry."""
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    newline = "\r\n" if "\r\n" in body else "\n"
    entry = _entry(body, position)
    edits: list[_Edit] = []
    if isinstance(entry, yaml.ScalarNode):
        edits += _scalar_entry(body, entry, values, new_id, newline)
    elif isinstance(entry, yaml.MappingNode):
        edits += _mapping_entry(body, entry, values, new_id, newline)
    else:
        raise EditFailed("the entry is neither an id nor a mapping of id and dose")
    edits.append(_comment(body, entry, comment, newline))
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        body = body[:edit.start] + edit.text + body[edit.end:]
    return bom + body


def _entry(text: str, position: int) -> yaml.Node:
    try:
        root = compose(text, "routine")
    except YamlFailure as failure:
        raise EditFailed(f"the routine file cannot be read: {failure.problem.message}") from None
    if not isinstance(root, yaml.MappingNode):
        raise EditFailed("the routine file is not a mapping")
    items = next((value for key, value in root.value
                  if isinstance(key, yaml.ScalarNode) and key.value == "exercises"), None)
    if not isinstance(items, yaml.SequenceNode) or not 0 <= position < len(items.value):
        raise EditFailed(f"the routine file has no exercise number {position + 1}")
    node: yaml.Node = items.value[position]
    return node


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Where the line holding `index` ends (before its line break, and a comment on it)."""
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _indent_of_line(text: str, index: int) -> str:
    start = _line_start(text, index)
    line = text[start:index]
    return line[:len(line) - len(line.lstrip(" "))]


def _comment(text: str, entry: yaml.Node, comment: str, newline: str) -> _Edit:
    """A comment line above the line where the entry begins, indented like that line."""
    start = _line_start(text, entry.start_mark.index)
    indent = _indent_of_line(text, entry.start_mark.index)
    return _Edit(start, start, f"{indent}# {comment}{newline}")


def _scalar_entry(text: str, entry: yaml.ScalarNode, values: Mapping[str, str | None],
                  new_id: str | None, newline: str) -> list[_Edit]:
    ident = new_id or str(entry.value)
    added = [(key, value) for key, value in values.items() if value is not None]
    if not added:
        return [_Edit(entry.start_mark.index, entry.end_mark.index, ident)]
    if entry.style or "\n" in text[entry.start_mark.index:entry.end_mark.index]:
        raise EditFailed("the entry's id is quoted or spread over lines")
    column = entry.start_mark.column
    if _in_flow(text, entry):
        pairs = ", ".join(f"{key}: {value}" for key, value in added)
        return [_Edit(entry.start_mark.index, entry.end_mark.index,
                      f"{{id: {ident}, {pairs}}}")]
    # `- knee-to-chest` becomes `- id: knee-to-chest` with the new keys below, lined up
    # with `id`; a comment after the id stays where it was.
    end = _line_end(text, entry.end_mark.index)
    lines = "".join(f"{newline}{' ' * column}{key}: {value}" for key, value in added)
    return [_Edit(entry.start_mark.index, entry.end_mark.index, f"id: {ident}"),
            _Edit(end, end, lines)]


def _content_end(text: str, node: yaml.Node) -> int:
    """Where the node's own text ends: a block collection's end mark lies at the next token,
    past the line breaks and spaces after it."""
    index = node.end_mark.index
    while index > node.start_mark.index + 1 and text[index - 1] in " \t\r\n":
        index -= 1
    return index


def _in_flow(text: str, node: yaml.Node) -> bool:
    """Whether the node sits inside a flow collection (`[a, b]`): its line does not start
    with `- ` right before it."""
    before = text[_line_start(text, node.start_mark.index):node.start_mark.index]
    return not before.strip(" ").endswith("-") or "[" in before


def _mapping_entry(text: str, entry: yaml.MappingNode, values: Mapping[str, str | None],
                   new_id: str | None, newline: str) -> list[_Edit]:
    pairs = {str(key.value): (key, value) for key, value in entry.value
             if isinstance(key, yaml.ScalarNode)}
    flow = entry.flow_style
    edits: list[_Edit] = []
    if new_id is not None:
        id_node = pairs["id"][1]
        edits.append(_Edit(id_node.start_mark.index, id_node.end_mark.index, new_id))
    added = [(key, value) for key, value in values.items()
             if value is not None and key not in pairs]
    removed = [key for key, value in values.items() if value is None and key in pairs]
    for key, value in values.items():
        if value is not None and key in pairs:
            edits.append(_replace(pairs[key][1], value))
    # A key that goes and one that comes (hold to tempo) trade places: the new pair is written
    # where the old one was, so nothing moves.
    while added and removed:
        (key, value), old = added.pop(0), removed.pop(0)
        old_key, old_value = pairs[old]
        edits += [_Edit(old_key.start_mark.index, old_key.end_mark.index, key),
                  _replace(old_value, value)]
    for key in removed:
        edits.append(_remove_pair(text, entry, *pairs[key], flow))
    if added:
        if flow:
            closing = entry.end_mark.index - 1  # the `}`
            edits.append(_Edit(closing, closing,
                               "".join(f", {key}: {value}" for key, value in added)))
        else:
            column = entry.value[0][0].start_mark.column
            end = _line_end(text, _content_end(text, entry.value[-1][1]) - 1)
            edits.append(_Edit(end, end, "".join(f"{newline}{' ' * column}{key}: {value}"
                                                 for key, value in added)))
    return edits


def _replace(node: yaml.Node, text: str) -> _Edit:
    return _Edit(node.start_mark.index, node.end_mark.index, text)


def _remove_pair(text: str, entry: yaml.MappingNode, key: yaml.Node, value: yaml.Node,
                 flow: bool) -> _Edit:
    """Take a `key: value` pair out: in a flow mapping with the comma before it, in a block
    mapping with its whole line (never the line that opens the entry)."""
    if flow:
        before = text.rfind(",", entry.start_mark.index, key.start_mark.index)
        if before < 0:  # the first pair: take the comma after it instead
            after = text.find(",", value.end_mark.index)
            return _Edit(key.start_mark.index, after + 1 if after >= 0 else value.end_mark.index,
                         "")
        return _Edit(before, value.end_mark.index, "")
    start = _line_start(text, key.start_mark.index)
    if text[start:key.start_mark.index].strip(" "):
        raise EditFailed(f"'{key.value}' shares its line with the start of the entry")
    end = text.find("\n", _content_end(text, value) - 1)
    return _Edit(start, len(text) if end < 0 else end + 1, "")
