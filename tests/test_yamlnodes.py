"""The frontmatter's common shape is composed without libyaml, to the same nodes.

``yamlnodes._compose_simple`` exists for speed only: whatever text it accepts, the node
tree (kinds, tags, values, styles and marks) must be libyaml's, and any text it is not
sure of goes to libyaml. Hypothesis writes texts near that shape, with the characters
and indents where YAML's rules have exceptions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import write_repository
from statusgen.content.event_file import _FRONTMATTER
from statusgen.content.yamlnodes import _compose_simple, compose

REPOSITORY = Path(__file__).resolve().parent.parent


def tree(node: yaml.Node) -> tuple[Any, ...]:
    """Everything a node holds, its children's included."""
    marks = tuple((m.name, m.index, m.line, m.column) for m in (node.start_mark, node.end_mark))
    own: tuple[Any, ...] = (type(node).__name__, node.tag, getattr(node, "style", None), marks)
    own += (getattr(node, "flow_style", None),)
    if isinstance(node, yaml.ScalarNode):
        return (*own, node.value)
    if isinstance(node, yaml.MappingNode):
        return (*own, tuple((tree(k), tree(v)) for k, v in node.value))
    return (*own, tuple(tree(item) for item in node.value))


def libyaml(text: str) -> yaml.Node:
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert node is not None
    return node


# Characters where plain scalars, keys and lines have exceptions in YAML, among plain ones.
TRICKY = [
    *" :#-?,[]{}&*!|>'\"%@`~\t\\.0129eE+_yYnNoO",
    "é",
    "—",
    "\u00a0",
    "\u2028",
    "\u0085",
    "\ufeff",
    "\U0001f525",
]
plain = st.text(st.sampled_from(list("abcdefghij  ")), max_size=8)
# Plain text with at most one tricky character, where it may change everything.
words = st.builds(lambda *parts: "".join(parts), plain, st.sampled_from(["", "", *TRICKY]), plain)
KEYS = ["title", "impact", "components", "a-b", "_x", "true", "null", "1", "on"]
keys = st.one_of(st.sampled_from(KEYS * 3), words)
indents = st.sampled_from(["", " ", "  ", "    ", "\t"])
spaces = st.sampled_from([" "] * 6 + ["  ", "", "\t"])
ends = st.sampled_from([""] * 8 + [" ", ":", " #", "\t"])


@st.composite
def frontmatter_like(draw: st.DrawFn) -> str:
    """Mostly frontmatter of the common shape, with a few characters, indents and lines
    where YAML has exceptions."""
    lines = ["" for _ in range(draw(st.integers(0, 2)))]
    for _ in range(draw(st.integers(0, 5))):
        shape = draw(st.sampled_from(["entry", "entry", "block", "block", "blank", "comment"]))
        if shape == "entry":
            lines.append(f"{draw(keys)}:{draw(spaces)}{draw(words)}{draw(ends)}")
        elif shape == "block":
            lines.append(f"{draw(keys)}:{draw(st.sampled_from(['', '', ' ']))}")
            indent = draw(st.sampled_from(["  ", "  ", " ", "    ", ""]))
            item = draw(st.booleans())
            for _ in range(draw(st.integers(0, 3))):
                if draw(st.integers(0, 9)) == 0:  # now and then another indent or kind
                    indent, item = draw(indents), draw(st.booleans())
                value = f"{draw(spaces)}{draw(words)}{draw(ends)}"
                lines.append(f"{indent}-{value}" if item else f"{indent}{draw(keys)}:{value}")
        elif shape == "comment":
            lines.append(f"{draw(indents)}#{draw(words)}")
        else:
            lines.append(draw(st.sampled_from(["", " ", "  "])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "\n", "", "\n\n", "\n \n"]))


@settings(max_examples=1500, deadline=None)
@given(frontmatter_like())
def test_accepted_texts_compose_to_libyamls_nodes(text: str) -> None:
    simple = _compose_simple(text)
    if simple is not None:
        assert tree(simple) == tree(libyaml(text))  # libyaml raising fails the test too


FRONTMATTERS = [
    "\ntitle: Elevated error rates on the API (eu:west, 50%)\nimpact: major\n"
    "components:\n  api: partial_outage\n",
    "title: Usage charts show yesterday's data\nimpact: none\ncomponents:\n  - dashboard\n",
    "\ntitle: Upgrade\ntype: maintenance\nscheduled_start: 2026-11-15 02:00 -05:00\n"
    "scheduled_end: 2026-11-15 05:00 UTC\ncomponents:\n    - api\n    - web-hooks\n",
    "title: Sign-in fails — SSO 404\nimpact: critical\ncomponents:\n  - auth\n"
    "# A comment\nalerts:\n  - 3f1c9a7be02d4e65\ndrill: true\n",
    "\n\ntitle: 2026\nimpact: minor\n\ncomponents:\n  a: b\n  # inside\n  c: d\n",
]


@pytest.mark.parametrize("text", FRONTMATTERS)
def test_the_common_shapes_are_composed_without_libyaml(text: str) -> None:
    simple = _compose_simple(text)
    assert simple is not None
    assert tree(simple) == tree(libyaml(text))
    root = compose(text)
    assert root is not None
    assert tree(root) == tree(simple)


@pytest.mark.parametrize(
    "text",
    [
        "title: 'quoted'\n",
        'title: "esc\\u0007"\n',
        "title: a\n  continued\n",
        "components: []\n",
        "components:\n- api\n",
        "components:\n  - api\n  web: x\n",
        "components:\nimpact: none\n",
        "title: a #comment\n",
        "title: &anchor a\n",
        "title:\ta\n",
        "title: no last line break",
        "- a\n",
        "",
    ],
)
def test_other_texts_are_left_to_libyaml(text: str) -> None:
    assert _compose_simple(text) is None


def test_every_frontmatter_of_the_example_and_synthetic_sites_takes_the_short_path(
    tmp_path: Path,
) -> None:
    """The point of the short path: the files people write take it."""
    write_repository(tmp_path / "synthetic", 40)
    files = [*(REPOSITORY / "incidents").rglob("*.md"), *(tmp_path / "synthetic").rglob("*.md")]
    assert len(files) > 40
    for file in files:
        frontmatter, _ = _FRONTMATTER.split(file.read_text(encoding="utf-8"))
        text = "\n" + frontmatter
        simple = _compose_simple(text)
        assert simple is not None, file
        assert tree(simple) == tree(libyaml(text)), file
