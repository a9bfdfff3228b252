"""YAML read as nodes, so that every value keeps the line it came from.

statusgen reads YAML one level below ``yaml.safe_load``: composing nodes instead of
constructing Python objects keeps each key's line for error messages, lets duplicate
keys be reported instead of silently overwritten, and leaves scalars as the text the
user wrote (``title: 404`` is a title, ``impact: none`` is not null). libyaml's C
parser is used when PyYAML was built with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from statusgen.core.errors import CONTROL_CHARACTER, ErrorLog, did_you_mean, one_of

_Loader: type[yaml.CSafeLoader | yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

NULL_TAG = "tag:yaml.org,2002:null"
_CARRIAGE_RETURN = re.compile("\r")
BOOL_TAG = "tag:yaml.org,2002:bool"


class YamlSyntaxError(ValueError):
    """The text is not YAML; ``line`` is 1-based within the text, when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def compose(text: str) -> yaml.Node | None:
    """Parse one YAML document into its node tree; None for an empty document.

    :raises YamlSyntaxError: when the text is not a single valid YAML document.
    """
    try:
        root = _compose_simple(text) or yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        parts = [p for p in (error.context, error.problem) if p]
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        line = min(mark.line + 1, max(last_line, 1)) if mark is not None else None
        raise YamlSyntaxError("invalid YAML: " + ", ".join(parts), line) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"invalid YAML: {error}", None) from None
    # Without an escape, a value holds only characters of the text itself.
    if "\\" in text or CONTROL_CHARACTER.search(text) or "\r" in text:
        _check_values(root)
    return root


# The common shape of a frontmatter, which _compose_simple composes itself: keys at the
# start of a line, each with a plain one-line value or with a block (indented alike) of
# "- value" items or of "key: value" entries; blank and comment lines. A value is plain
# text that YAML reads as it is: no quote, flow bracket, comment, alias, tag, block
# indicator or ": " in it, nor an indicator first; no character that libyaml rejects or
# counts as a line break (tabs are left to libyaml too). Possessive runs: one regular
# expression a line, without backtracking.
_EXCLUDED = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
_LINE = re.compile(
    r"(?P<indent> *+)(?:(?P<dash>- +)|(?P<key>[A-Za-z0-9_][A-Za-z0-9_-]*+):(?: +|$))"
    rf"(?P<value>[^{_EXCLUDED} \-?:,\[\]{{}}#&*!|>'\"%@`]"
    rf"(?:[^{_EXCLUDED}:\[\]{{}}#]++|:(?=[^ ]))*+)?"
)
_IGNORED_LINE = re.compile(rf" *+(?:#[^{_EXCLUDED}]*+)?")
_MARK_NAME = "<unicode string>"
# libyaml's own marks when it is there (and faster to make than PyYAML's).
_Mark: type[yaml.Mark] = getattr(getattr(yaml, "_yaml", None), "Mark", yaml.Mark)
_RESOLVER = yaml.resolver.Resolver()
_MAPPING_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQUENCE_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


def _compose_simple(text: str) -> yaml.Node | None:
    """The nodes libyaml composes from ``text`` (tags, values, styles, marks), when the
    text has the common shape of a frontmatter (above); None for any other text, which
    libyaml then reads. libyaml's composition cost about 100 µs a frontmatter, a third of
    ``validate``'s time, mostly in making its events and marks: this takes a third of it
    (tests/test_yamlnodes.py compares both on generated texts).
    """
    if not text.endswith("\n"):
        return None  # (where libyaml ends a text without a last line break is its own)
    root: list[tuple[yaml.Node, yaml.Node]] = []
    block: yaml.MappingNode | yaml.SequenceNode | None = None  # the open nested block
    open_key: yaml.ScalarNode | None = None  # a top-level key whose block is to come
    offset = 0
    for number, line in enumerate(text.split("\n")):
        start, offset = offset, offset + len(line) + 1
        found = _LINE.fullmatch(line)
        if found is None:
            if _IGNORED_LINE.fullmatch(line):
                continue
            return None
        column = found.end("indent")
        value = found["value"]
        key = found["key"]
        if not column:  # a top-level key
            if key is None or open_key is not None:
                return None  # an item, or after an empty value (libyaml's marks for it)
            if block is not None:  # ended by this line
                block.end_mark = _mark(start, number, 0)
                block = None
            key_node = _scalar(key, start, number, 0)
            if value is None:
                open_key = key_node
            else:
                at = found.start("value")
                root.append((key_node, _scalar(value.rstrip(" "), start + at, number, at)))
            continue
        if value is None:
            return None  # an empty value in a block
        if open_key is not None:  # the block's first line says its indent and kind
            mark = _mark(start + column, number, column)
            block = (
                yaml.MappingNode(_MAPPING_TAG, [], mark, mark, flow_style=False)
                if key
                else yaml.SequenceNode(_SEQUENCE_TAG, [], mark, mark, flow_style=False)
            )
            root.append((open_key, block))
            open_key = None
        elif block is None or column != block.start_mark.column:
            return None  # a value's second line, or another indent
        at = found.start("value")
        value_node = _scalar(value.rstrip(" "), start + at, number, at)
        if key and isinstance(block, yaml.MappingNode):
            block.value.append((_scalar(key, start + column, number, column), value_node))
        elif not key and isinstance(block, yaml.SequenceNode):
            block.value.append(value_node)
        else:
            return None  # items and entries mixed
    if open_key is not None or not root:
        return None
    end = _mark(len(text), text.count("\n"), 0)  # the open collections end with the text
    if block is not None:
        block.end_mark = end
    return yaml.MappingNode(_MAPPING_TAG, root, root[0][0].start_mark, end, flow_style=False)


def _mark(index: int, line: int, column: int) -> yaml.Mark:
    return _Mark(_MARK_NAME, index, line, column, None, None)  # type: ignore[arg-type]


def _scalar(value: str, index: int, line: int, column: int) -> yaml.ScalarNode:
    """A plain scalar, its tag resolved as libyaml's loader resolves it."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    start, end = _mark(index, line, column), _mark(index + len(value), line, column + len(value))
    return yaml.ScalarNode(tag, value, start, end, style="")


def _check_values(root: yaml.Node | None) -> None:
    """The rule for the text applies to the values too: an escape (``"\\e"``) decodes to
    a control character that the text did not contain. A carriage return is one as well
    in a value (it would break the lines of a table or a terminal).

    :raises YamlSyntaxError: at the line of the first such value.
    """
    pending = [] if root is None else [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            found = CONTROL_CHARACTER.search(node.value) or _CARRIAGE_RETURN.search(node.value)
            if found:
                raise YamlSyntaxError(
                    f"the value holds the control character U+{ord(found.group()):04X} "
                    "(written as an escape): remove it",
                    line_of(node),
                )
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            pending.extend(n for pair in node.value for n in pair)


def line_of(node: yaml.Node) -> int:
    """The 1-based line where a node starts."""
    return int(node.start_mark.line) + 1


def is_null(node: yaml.Node) -> bool:
    """True for ``~``, ``null`` and a missing value (``key:`` with nothing after it)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def scalar_text(node: yaml.Node) -> str | None:
    """The text of a scalar as written, stripped; None for a null or a collection."""
    if not isinstance(node, yaml.ScalarNode) or is_null(node):
        return None
    return str(node.value).strip()


def kind(node: yaml.Node) -> str:
    """What a node is, in words, for messages: 'a list', 'a mapping', 'a value'."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "empty" if is_null(node) else f"'{node.value}'"


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key: value`` of a mapping, with the key's line."""

    key: str
    line: int
    value: yaml.Node


def entries(node: yaml.MappingNode) -> Iterator[Entry | DuplicateKey]:
    """The entries of a mapping in file order; a repeated key yields a DuplicateKey."""
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        line = line_of(key_node)
        if key in seen:
            yield DuplicateKey(key, line, seen[key])
            continue
        seen[key] = line
        yield Entry(key, line, value_node)


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A key that a mapping already had: YAML would silently keep the last one."""

    key: str
    line: int
    first_line: int

    @property
    def message(self) -> str:
        return f"duplicate key '{self.key}' (already set on line {self.first_line})"


def read_mapping(
    node: yaml.MappingNode, log: ErrorLog, allowed: tuple[str, ...], what: str
) -> dict[str, Entry]:
    """The entries of a mapping by key, reporting duplicate and unknown keys.

    ``what`` names the mapping in messages ("frontmatter", "component 'api'").
    """
    found: dict[str, Entry] = {}
    for entry in entries(node):
        if isinstance(entry, DuplicateKey):
            log.add(entry.line, f"{what}: {entry.message}")
        elif entry.key not in allowed:
            log.add(
                entry.line,
                f"{what}: unknown key '{entry.key}'{did_you_mean(entry.key, allowed)}; "
                f"allowed keys are {one_of(allowed)}",
            )
        else:
            found[entry.key] = entry
    return found
