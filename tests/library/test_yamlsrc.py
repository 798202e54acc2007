"""Reading files and YAML text: every failure is one Problem with a line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.errors import Problem
from backcoach.library import yamlsrc
from backcoach.library.yamlsrc import MAX_FILE_BYTES, YamlFailure, compose, position, read_text


def failure(text: str) -> Problem:
    with pytest.raises(YamlFailure) as caught:
        compose(text, "f.yaml")
    return caught.value.problem


def test_read_text_utf8_and_bom(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("name: Café\n", encoding="utf-8")
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfname: x\n")
    assert read_text(plain, "plain.yaml") == "name: Café\n"
    assert read_text(bom, "bom.yaml") == "name: x\n"


def test_read_text_reads_a_large_file_whole_and_as_written(tmp_path: Path) -> None:
    # Larger than one read, up to the limit: every byte, line ends as written (no \r\n
    # turned into \n, on Windows either).
    text = "id: x\r\n" + "# é, a comment that pads the file\n" * 20_000 + "name: end\n"
    path = tmp_path / "large.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert 64 * 1024 < path.stat().st_size < MAX_FILE_BYTES
    assert read_text(path, "large.yaml") == text
    path.write_bytes(b"#" * MAX_FILE_BYTES)  # exactly the limit is allowed
    assert read_text(path, "large.yaml") == "#" * MAX_FILE_BYTES


@pytest.mark.counts("bad_inputs")
def test_read_text_points_at_the_first_non_utf8_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\nname: café\n".encode("latin-1"))
    with pytest.raises(YamlFailure) as caught:
        read_text(path, "latin1.yaml")
    assert str(caught.value.problem) == (
        "latin1.yaml:2:10: byte 0xe9 is not UTF-8; save the file as UTF-8 "
        "(in most editors: File > Save with encoding > UTF-8)")


@pytest.mark.counts("bad_inputs")
def test_read_text_refuses_huge_files(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(YamlFailure) as caught:
        read_text(path, "huge.yaml")
    assert str(caught.value.problem) == (
        "huge.yaml:1:1: file is 1024 KiB; exercise and routine files must be under 1024 KiB")


@pytest.mark.counts("bad_inputs")
def test_read_text_missing_file(tmp_path: Path) -> None:
    with pytest.raises(YamlFailure) as caught:
        read_text(tmp_path / "gone.yaml", "gone.yaml")
    assert str(caught.value.problem) == "gone.yaml:1:1: cannot read file: No such file or directory"


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n"])
def test_empty_documents_compose_to_none(text: str) -> None:
    assert compose(text, "f.yaml") is None


def test_compose_keeps_positions() -> None:
    node = compose("id: x\nsteps:\n  - one\n  - two\n", "f.yaml")
    assert isinstance(node, yaml.MappingNode)
    steps = node.value[1][1]
    assert isinstance(steps, yaml.SequenceNode)
    assert [position(item) for item in steps.value] == [(3, 5), (4, 5)]
    assert position(node.value[0][0]) == (1, 1)


def test_compose_does_not_construct_tags() -> None:
    # Only nodes are built, so an unsafe tag is inert text; the schema sees a plain value.
    node = compose("a: !!python/object/apply:os.system [echo hi]\n", "f.yaml")
    assert isinstance(node, yaml.MappingNode)


@pytest.mark.parametrize(("text", "expected"), [
    ("id: x\nname\nposition: lying\n",
     "f.yaml:2:1: YAML syntax error: a line is missing the ':' after its key"),
    ("id: x\nname: a: b\n",
     "f.yaml:2:8: YAML syntax error: a ':' where YAML does not expect one; quote text that "
     "contains ': '"),
    ("id: x\nname: *other\n",
     "f.yaml:2:7: YAML syntax error: an alias (*name) with no matching anchor (&name)"),
    ("id: x\n---\nid: y\n",
     "f.yaml:2:1: YAML syntax error: more than one YAML document ('---'); put one exercise or "
     "routine in each file"),
    ("steps:\n\t- one\n",
     "f.yaml:2:1: YAML syntax error: a tab character; YAML indents with spaces only, so "
     "replace the tab with spaces"),
    ("id: x\nsteps: [one, two\n",
     "f.yaml:2:8: YAML syntax error: a list in '[' is not closed with ']'"),
    ("id: x\nname: {first: a\n",
     "f.yaml:2:7: YAML syntax error: a mapping in '{' is not closed with '}'"),
    ("id: x\nname: 'Knee\nsteps: [a]\n",
     "f.yaml:2:7: YAML syntax error: a quote is never closed"),
    ("name: \"\\q\"\n",
     "f.yaml:1:8: YAML syntax error: while parsing a quoted scalar found unknown escape "
     "character"),
    ("id: x\nsteps:\n  - Now \x1b[2J clear\n",
     "f.yaml:3:9: the control character U+001B is not allowed in YAML; remove it"),
    ("id: x\nname: Café \x07\n",
     "f.yaml:2:12: the control character U+0007 is not allowed in YAML; remove it"),
])
@pytest.mark.counts("bad_inputs")
def test_syntax_errors_are_one_line_at_their_position(text: str, expected: str) -> None:
    problem = failure(text)
    assert str(problem) == expected
    assert "\n" not in problem.message


@pytest.mark.counts("bad_inputs")
def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    problem = failure("a: " + "[" * 5000)
    assert (problem.path, problem.line) == ("f.yaml", 1)
    assert problem.message.startswith("YAML syntax error: ")


# ---------------------------------------------------------------- remembered tags (issue 15)

def _tree(node: yaml.Node | None) -> object:
    """A node tree as plain values: kind, tag, value, where it starts and ends."""
    if node is None:
        return None
    where = (node.start_mark.line, node.start_mark.column, node.end_mark.line,
             node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, where)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, [_tree(item) for item in node.value], where)
    assert isinstance(node, yaml.MappingNode)
    return ("mapping", node.tag, [(_tree(k), _tree(v)) for k, v in node.value], where)


def _plain_compose(text: str) -> yaml.Node | None:
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def test_remembered_tags_compose_every_shipped_file_as_the_plain_loader_does() -> None:
    """Every built-in exercise, routine and lesson, twice over (the second time every tag is
    remembered): the same nodes, tags and places as PyYAML's own safe loader gives."""
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "exercises").rglob("*.yaml"))
    assert len(files) > 30
    for _ in range(2):
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert _tree(yamlsrc.compose(text, path.name)) == _tree(_plain_compose(text)), path


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(["30", "30s", "yes", "no", "on", "~", "null", "", "1e3", "0x1F", "0o17",
                     "-.inf", ".NaN", "2024-06-03", "12:30", "1_000", "+5", "true", "False"]),
    st.text(alphabet="0123456789.-+:_eExXoObB ~TtrueFalsnNyYi", max_size=8)),
    min_size=1, max_size=20), st.sampled_from(["plain", "single", "double"]))
def test_a_remembered_tag_is_the_one_the_resolver_gives(values: list[str], style: str) -> None:
    """Whatever text a scalar holds, and however it is quoted, the tag composed with
    remembered tags is the one a fresh resolver gives."""
    quote = {"plain": "{}", "single": "'{}'", "double": '"{}"'}[style]
    lines = [f"k{index}: " + (quote.format(value.replace("'", "''").replace('"', '\\"'))
                              if style != "plain" else value)
             for index, value in enumerate(values)]
    text = "\n".join(lines) + "\n"
    try:
        expected = _tree(_plain_compose(text))
    except yaml.YAMLError:
        return  # not YAML at all: nothing composed either way
    assert _tree(yamlsrc.compose(text, "t.yaml")) == expected
