"""Property tests: no input, however broken, gets past the parsers as an exception.

Every input goes through the real pipeline of one file (``decode_source``, then
``parse_event`` or ``parse_components``) and must come out as a model with no errors,
or as None with at least one error that names the file and a line inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from statusgen.content.components_file import parse_components
from statusgen.content.event_file import parse_event
from statusgen.content.loader import decode_source
from statusgen.content.stored_events import decode_event, encode_event
from statusgen.core.errors import ErrorLog
from statusgen.core.model import Catalog, Incident, Maintenance
from tests.conftest import COMPONENTS_YML
from tests.test_stored_events import assert_same

EVENT_PATH = "incidents/2026/x.md"
COMPONENTS_PATH = "components.yml"
COMPONENT_IDS = ("api", "webhooks", "dashboard", "website")

# --- valid files to start from -------------------------------------------------------

VALID_EVENTS = [
    """---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
  webhooks: degraded_performance
---

## 2026-11-28 15:40 UTC — resolved
Error rates are back to normal.

## 2026-11-28 14:30 +01:00 – identified
A configuration change overloaded the connection pool.

### What you can do
Retry.

## 2026-11-28T14:02:00Z | investigating
We are investigating elevated error rates on the API.

# Postmortem
Blameless write-up.

## Timeline
- 14:02 alert
""",
    """---
title: Slow dashboard
impact: minor
components: [dashboard, website]
---
## 2026-11-28 14:02:30 -05:30 - Investigating
The log said:

```
## not a heading
---
```

## 2026-11-28 18:00 Z · Resolved
Fixed.
""",
    """---
title: Database upgrade
type: maintenance
components:
  - api
scheduled_start: 2026-12-01 02:00 +01:00
scheduled_end: 2026-12-01T05:00:00Z
---

## 2026-12-01 05:00 UTC — completed
Done.

## 2026-12-01 01:00 UTC — In Progress
Started.

## 2026-11-28 14:02 UTC — scheduled
We will upgrade the database.
""",
]

VALID_COMPONENTS = [
    COMPONENTS_YML,
    """groups:
  - id: platform
    name: Platform
components:
  - id: api
    name: API
    group: platform
    since: 2024-01-01
  - {id: web, name: "Web site", description: The public site}
""",
]

# Lines that steer random files towards the parsers' interesting paths.
INTERESTING_LINES = [
    "---",
    "",
    "title: T",
    "impact: major",
    "impact: none",
    "type: maintenance",
    "type: incident",
    "components: [api]",
    "components:",
    "  api: major_outage",
    "  - webhooks",
    "scheduled_start: 2026-12-01 02:00 UTC",
    "scheduled_end: 2026-12-01 01:00 UTC",
    "## 2026-11-28 14:02 UTC — investigating",
    "## 2026-11-28 14:02 — resolved",
    "## 2026-11-28 16:02 +02:00 - in progress",
    "## 2026-11-28 14:02 UTC",
    "## Timeline",
    "# Postmortem",
    "# Other",
    "### Details",
    "```",
    "~~~",
    "===",
    "Some text",
    "    ## indented",
    "groups:",
    "  - id: platform",
    "    name: Platform",
    "  - id: api",
    "    name: API",
    "    group: platform",
    "    since: 2024-02-30",
    "- [",
    "key: {a: [b, c]}",
    "&a x: *a",
    "? complex",
    "title: !!binary aGVsbG8=",
    "<!-- a comment -->",
    "<!--",
    "-->",
    "<!-- ## 2026-11-28 14:02 UTC — resolved -->",
]

SEPARATORS = ["—", "–", "-", "|", "·", "", "--", ":", "/", "—", "  —  ", "\t"]

# Any character UTF-8 can encode (so no lone surrogates).
characters = st.characters(codec="utf-8")
small_text = st.text(characters, min_size=1, max_size=8)
timestamps = st.builds(
    "{}-{:02d}-{:02d} {:02d}:{:02d}{}".format,
    st.integers(1, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["", " UTC", "Z", " +02:00", "-05:30", " +0200", " CET", " +24:00"]),
)
statuses = st.sampled_from(
    ["investigating", "Resolved", "update", "In Progress", "completed", "scheduled", "nope", ""]
)
heading_lines = st.builds("## {} {} {}".format, timestamps, st.sampled_from(SEPARATORS), statuses)
random_lines = st.one_of(st.sampled_from(INTERESTING_LINES), heading_lines, st.text(characters))


# --- mutations of valid files --------------------------------------------------------

Lines = list[str]
Mutation = Callable[[st.DrawFn, Lines], Lines]


def _position(draw: st.DrawFn, items: Collection[object], *, end: bool = False) -> int:
    return draw(st.integers(0, max(len(items) - (0 if end else 1), 0)))


def delete_line(draw: st.DrawFn, lines: Lines) -> Lines:
    index = _position(draw, lines)
    return lines[:index] + lines[index + 1 :]


def duplicate_line(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return lines
    index = _position(draw, lines)
    return lines[: index + 1] + lines[index:]


def swap_lines(draw: st.DrawFn, lines: Lines) -> Lines:
    if len(lines) < 2:
        return lines
    a, b = _position(draw, lines), _position(draw, lines)
    lines = list(lines)
    lines[a], lines[b] = lines[b], lines[a]
    return lines


def insert_characters(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return [draw(small_text)]
    index = _position(draw, lines)
    line = lines[index]
    at = _position(draw, line, end=True)
    return [*lines[:index], line[:at] + draw(small_text) + line[at:], *lines[index + 1 :]]


def insert_line(draw: st.DrawFn, lines: Lines) -> Lines:
    index = _position(draw, lines, end=True)
    return [*lines[:index], draw(random_lines), *lines[index:]]


def truncate(draw: st.DrawFn, lines: Lines) -> Lines:
    text = "\n".join(lines)
    return text[: _position(draw, text, end=True)].split("\n")


def replace_separator(draw: st.DrawFn, lines: Lines) -> Lines:
    new = draw(st.sampled_from(SEPARATORS))
    pattern = re.compile(r" [—–|·-] ")
    return [pattern.sub(f" {new} ", line, count=1) for line in lines]


def change_case(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return lines
    index = _position(draw, lines)
    change = draw(st.sampled_from([str.upper, str.lower, str.swapcase, str.title]))
    return [*lines[:index], change(lines[index]), *lines[index + 1 :]]


def reindent(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return lines
    index = _position(draw, lines)
    indent = draw(st.sampled_from(["", " ", "  ", "    ", "\t"]))
    return [*lines[:index], indent + lines[index].lstrip(), *lines[index + 1 :]]


MUTATIONS: list[Mutation] = [
    delete_line,
    duplicate_line,
    swap_lines,
    insert_characters,
    insert_line,
    truncate,
    replace_separator,
    change_case,
    reindent,
]


@st.composite
def mutated_files(draw: st.DrawFn, originals: list[str]) -> bytes:
    """A valid file after a few random mutations, as bytes (maybe with flipped bytes)."""
    lines = draw(st.sampled_from(originals)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        lines = draw(st.sampled_from(MUTATIONS))(draw, lines)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    data = bytearray(newline.join(lines).encode())
    for _ in range(draw(st.integers(0, 3))):
        if data:
            index = _position(draw, data)
            data[index] ^= draw(st.integers(1, 255))
    if draw(st.booleans()) and draw(st.booleans()):
        data[0:0] = b"\xef\xbb\xbf"
    return bytes(data)


structured_files = st.lists(random_lines, max_size=25).map(lambda ls: "\n".join(ls).encode())
random_texts = st.text(characters).map(str.encode)


# --- the properties ------------------------------------------------------------------


def line_count(data: bytes) -> int:
    """Lines of a file as the parsers number them: \\n, \\r\\n and \\r end a line."""
    return len(re.split(rb"\r\n|\r|\n", data))


def decode(data: bytes, log: ErrorLog) -> str | None:
    text = decode_source(data, log)
    assert (text is None) == bool(log.errors), "decode_source: None if and only if an error"
    return text


def check_errors(log: ErrorLog, result: object, data: bytes) -> None:
    assert (result is None) == bool(log.errors), "None if and only if there are errors"
    for error in log.errors:
        assert error.path == log.path
        assert error.line is None or 1 <= error.line <= line_count(data), error
        assert error.message.strip()
        assert str(error).startswith(log.path)


def check_event_file(data: bytes, component_ids: Collection[str] | None) -> None:
    log = ErrorLog(EVENT_PATH)
    text = decode(data, log)
    event = None if text is None else parse_event(text, "x", log, component_ids)
    assert event is None or isinstance(event, Incident | Maintenance)
    check_errors(log, event, data)
    if event is not None:
        assert_same(decode_event(encode_event(event)), event)  # the parse cache's form
        assert event.id == "x"
        assert event.source.path == EVENT_PATH
        assert event.title.strip()
        assert event.updates
        times = [u.at for u in event.updates]
        assert times == sorted(times)
        assert len(set(times)) == len(times)
        assert all(t.utcoffset() == timedelta(0) for t in times)
        if component_ids is not None:
            assert set(event.components) <= set(component_ids)
        if isinstance(event, Maintenance):
            assert event.scheduled_start < event.scheduled_end


def check_components_file(data: bytes) -> None:
    log = ErrorLog(COMPONENTS_PATH)
    text = decode(data, log)
    catalog = None if text is None else parse_components(text, log)
    assert catalog is None or isinstance(catalog, Catalog)
    check_errors(log, catalog, data)
    if catalog is not None:
        ids = [c.id for c in catalog.components] + [g.id for g in catalog.groups]
        assert catalog.components
        assert len(set(ids)) == len(ids)
        group_ids = {g.id for g in catalog.groups}
        assert all(c.group is None or c.group in group_ids for c in catalog.components)


component_id_sets = st.sampled_from([COMPONENT_IDS, None])


def test_the_valid_files_are_valid() -> None:
    for text in VALID_EVENTS:
        log = ErrorLog(EVENT_PATH)
        assert parse_event(text, "x", log, COMPONENT_IDS) is not None, log.errors
    for text in VALID_COMPONENTS:
        log = ErrorLog(COMPONENTS_PATH)
        assert parse_components(text, log) is not None, log.errors


@settings(max_examples=200, deadline=None)
@given(mutated_files(VALID_EVENTS), component_id_sets)
def test_mutated_event_files(data: bytes, component_ids: Collection[str] | None) -> None:
    check_event_file(data, component_ids)


@settings(max_examples=150, deadline=None)
@given(structured_files, component_id_sets)
def test_event_files_of_random_lines(data: bytes, component_ids: Collection[str] | None) -> None:
    check_event_file(data, component_ids)


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        lambda body: b"---\ntitle: T\nimpact: major\ncomponents: [api]\n---\n" + body,
        structured_files,
    )
)
def test_event_bodies_of_random_lines(data: bytes) -> None:
    check_event_file(data, COMPONENT_IDS)


@settings(max_examples=150, deadline=None)
@given(random_texts, component_id_sets)
def test_random_text_as_event_file(data: bytes, component_ids: Collection[str] | None) -> None:
    check_event_file(data, component_ids)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_as_event_file(data: bytes) -> None:
    check_event_file(data, COMPONENT_IDS)


@settings(max_examples=200, deadline=None)
@given(mutated_files(VALID_COMPONENTS))
def test_mutated_components_files(data: bytes) -> None:
    check_components_file(data)


@settings(max_examples=150, deadline=None)
@given(structured_files)
def test_components_files_of_random_lines(data: bytes) -> None:
    check_components_file(data)


@settings(max_examples=150, deadline=None)
@given(st.one_of(random_texts, st.binary(max_size=300)))
def test_random_input_as_components_file(data: bytes) -> None:
    check_components_file(data)
