"""Parsing of one incident or maintenance file (``incidents/<id>.md``).

The file is YAML frontmatter followed by updates, each a level-2 heading
``## <timestamp> — <status>`` and its Markdown, and optionally ``# Postmortem``.
The body is scanned line by line (it is never rendered here): headings inside fenced
code are text, and anything that Markdown would turn into a level-1 or level-2
heading must be an update heading or the postmortem heading, so that a typo is
reported instead of published.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import itertools
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

import yaml
from frontmatter.default_handlers import YAMLHandler

from statusgen.content.audiences import read_audiences_key, undeclared_audience
from statusgen.content.yamlnodes import (
    BOOL_TAG,
    DuplicateKey,
    Entry,
    YamlSyntaxError,
    compose,
    entries,
    is_null,
    kind,
    line_of,
    read_mapping,
    scalar_text,
)
from statusgen.core.errors import ErrorLog, choose, did_you_mean, normalize_choice, one_of
from statusgen.core.model import (
    EVERYONE,
    INCIDENT_IMPACTS,
    Audiences,
    ComponentStatus,
    EventType,
    HiddenComment,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Section,
    SourceLocation,
    Update,
    UpdateStatus,
)
from statusgen.core.timestamps import EXAMPLE, TimestampError, parse_timestamp

FRONTMATTER_KEYS = (
    "title",
    "type",
    "impact",
    "components",
    "scheduled_start",
    "scheduled_end",
    "drill",
    "alerts",
    "audiences",
)
AFFECTED_STATUSES = tuple(s for s in ComponentStatus if s is not ComponentStatus.OPERATIONAL)
#: What an update's component change may set: a component may also recover in the incident.
CHANGE_STATUSES = tuple(ComponentStatus)
CHANGES_EXAMPLE = "[api: degraded_performance, webhooks: operational]"
UPDATE_STATUSES: dict[EventType, tuple[UpdateStatus, ...]] = {
    EventType.INCIDENT: tuple(IncidentStatus),
    EventType.MAINTENANCE: tuple(MaintenanceStatus),
}
POSTMORTEM_HEADING = "postmortem"
HEADING_EXAMPLE = f"## {EXAMPLE} — investigating"

_Choice = TypeVar("_Choice", bound=StrEnum)
_FRONTMATTER = YAMLHandler()
_ATX_HEADING = re.compile(r" {0,3}(#{1,6})(.*)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SETEXT_UNDERLINE = re.compile(r"(=+|-+) *")
_UPDATE_HEADING = re.compile(r"(?P<timestamp>.+?)\s+[—–|·-]\s+(?P<status>.+)")
# The status, then optionally the bracket of component changes ending the heading.
_STATUS_AND_CHANGES = re.compile(r"(?P<status>[^\[\]]*?)\s*(?:\[(?P<changes>[^\[\]]*)\])?")
_STARTS_WITH_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COMMENT_START, _COMMENT_END = "<!--", "-->"
_BRACKETED = re.compile(r"\[(?P<names>[^\[\]]*)\]")
# Text in brackets that is not a link ("[text](url)", "[text][ref]", "[ref]: url").
_STARTS_BRACKETED = re.compile(r"\[[^\[\]]*\](?![(\[:])")
# "###[internal]" and "    ### [internal]": what a restricted heading looks like as text.
_SPACED_HEADING = re.compile(r" {0,3}#{1,6}[ \t]")
_HASHES_AND_BRACKETS = re.compile(r"(?P<marks>#{1,6}) *\[(?P<names>[^\[\]]*)\] *#*")

# A line can only be a heading, fence, comment or underline if it starts with one of these.
_SPECIAL_FIRST_CHARACTERS = frozenset("#`~=-< \t")


def parse_event(
    text: str,
    event_id: str,
    log: ErrorLog,
    component_ids: Collection[str] | None,
    audiences: Collection[str] | None = (),
) -> Incident | Maintenance | None:
    """Parse the text of an incident or maintenance file.

    ``component_ids`` are the declared components, or None when components.yml could
    not be read (references are then not checked); ``audiences`` likewise are the names
    mkdocs.yml declares. Returns None when the file has errors; every error is added to
    ``log``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        log.add(
            None,
            "the file is empty: write frontmatter between two '---' lines (title, impact, "
            f"components), then at least one update like '{HEADING_EXAMPLE}'",
        )
        return None
    start = _FRONTMATTER.FM_BOUNDARY.match(text) if _FRONTMATTER.FM_BOUNDARY else None
    if start is None:
        log.add(1, "missing frontmatter: the file must start with a line '---'")
        return None
    try:
        fm_text, body = _FRONTMATTER.split(text)
    except ValueError:
        log.add(1, "the frontmatter is not closed: add a line '---' after its last key")
        return None
    fm_first_line = text.count("\n", 0, start.end()) + 1
    body_first_line = text.count("\n", 0, len(text) - len(body)) + 1

    header = _read_frontmatter("\n" * (fm_first_line - 1) + fm_text, log, component_ids, audiences)
    body_parts = _split_body(body, body_first_line, log)
    event_type = header.type or EventType.INCIDENT
    known = header.type is not None
    starts: list[tuple[int, Audiences]] = []
    updates = _read_updates(
        body_parts.headings, event_type, log, known, component_ids, audiences, starts
    )
    postmortem = _postmortem_sections(body_parts, log, audiences, starts)
    comments = _comments(body_parts.comments.found, log, audiences, starts)

    if not body_parts.headings and not log:
        # On the first line of the body, or on the frontmatter's closing line if it has none.
        log.add(
            body_first_line if body.strip() else text.rstrip().count("\n") + 1,
            f"no update: add at least one, like '{HEADING_EXAMPLE}' followed by its text",
        )
    if log or header.title is None or header.components is None or header.audiences is None:
        return None
    common = {
        "id": event_id,
        "title": header.title,
        "components": header.components,
        "updates": updates,
        "postmortem_sections": postmortem,
        "comments": comments,
        "drill_line": header.drill_line,
        "source": SourceLocation(log.path),
        "audiences": header.audiences,
    }
    if header.type is EventType.MAINTENANCE:
        assert header.scheduled_start is not None
        assert header.scheduled_end is not None
        return Maintenance(
            **common,  # type: ignore[arg-type]
            scheduled_start=header.scheduled_start,
            scheduled_end=header.scheduled_end,
        )
    assert header.impact is not None
    return Incident(
        **common,  # type: ignore[arg-type]
        impact=header.impact,
        alerts=header.alerts,
    )


@dataclass
class _Header:
    """The frontmatter, read; a field is None when it is missing or invalid."""

    title: str | None = None
    type: EventType | None = None
    impact: Impact | None = None
    components: dict[str, ComponentStatus] | None = None
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    audiences: Audiences | None = EVERYONE
    drill_line: int | None = None
    alerts: tuple[str, ...] = ()


def _read_frontmatter(
    text: str,
    log: ErrorLog,
    component_ids: Collection[str] | None,
    audiences: Collection[str] | None,
) -> _Header:
    header = _Header()
    try:
        root = compose(text)
    except YamlSyntaxError as error:
        log.add(error.line, f"frontmatter: {error.message}")
        return header
    if root is None or not isinstance(root, yaml.MappingNode):
        line = None if root is None else line_of(root)
        log.add(line, "the frontmatter must be a mapping of keys like 'title:' and 'impact:'")
        return header
    fields = read_mapping(root, log, FRONTMATTER_KEYS, "frontmatter")
    end_line = max((line_of(n) for _, n in root.value), default=1)

    header.title = _read_title(fields, log, end_line)
    header.audiences = read_audiences_key(fields.get("audiences"), log, audiences)
    header.drill_line = _read_drill(fields.get("drill"), log)
    type_entry = fields.get("type")
    header.type = (
        EventType.INCIDENT
        if type_entry is None
        else _read_choice(type_entry, tuple(EventType), log, "type")
    )
    if header.type is None:
        return header  # every later check depends on the type

    impact_entry = fields.get("impact")
    if header.type is EventType.MAINTENANCE:
        if impact_entry is not None:
            log.add(
                impact_entry.line,
                "a maintenance has no 'impact' (its impact is always 'maintenance'): "
                "remove the key",
            )
        header.scheduled_start = _read_time(fields, "scheduled_start", log, end_line)
        header.scheduled_end = _read_time(fields, "scheduled_end", log, end_line)
        start, end = header.scheduled_start, header.scheduled_end
        if start is not None and end is not None and end <= start:
            log.add(
                fields["scheduled_end"].line,
                "'scheduled_end' must be after 'scheduled_start' "
                f"({fields['scheduled_end'].value.value} is not after "
                f"{fields['scheduled_start'].value.value})",
            )
            header.scheduled_end = None
        impact = Impact.MAINTENANCE
        if "alerts" in fields:
            log.add(
                fields["alerts"].line,
                "'alerts' is only for incidents (statusgen alert writes it): remove it",
            )
    else:
        header.alerts = _read_alerts(fields.get("alerts"), log)
        for key in ("scheduled_start", "scheduled_end"):
            if key in fields:
                log.add(
                    fields[key].line,
                    f"'{key}' is only for maintenance: add 'type: maintenance' or remove it",
                )
        if impact_entry is None:
            log.add(
                end_line,
                f"frontmatter: missing required key 'impact' (one of {one_of(INCIDENT_IMPACTS)})",
            )
        else:
            header.impact = _read_choice(impact_entry, INCIDENT_IMPACTS, log, "impact")
        # Without a valid impact the file is rejected anyway; components are still checked.
        impact = header.impact or Impact.NONE
    header.components = _read_components(
        fields.get("components"), impact, log, component_ids, end_line
    )
    return header


def _read_alerts(entry: Entry | None, log: ErrorLog) -> tuple[str, ...]:
    """``alerts:``: the fingerprints of the monitoring alerts the incident covers."""
    if entry is None or is_null(entry.value):
        return ()
    if not isinstance(entry.value, yaml.SequenceNode):
        log.add(
            entry.line,
            f"'alerts' must be a list of alert fingerprints (text), not {kind(entry.value)}",
        )
        return ()
    fingerprints: list[str] = []
    for item in entry.value.value:
        fingerprint = scalar_text(item)
        if not fingerprint:
            log.add(line_of(item), f"each item of 'alerts' must be a fingerprint, not {kind(item)}")
        elif fingerprint in fingerprints:
            log.add(line_of(item), f"alert '{fingerprint}' is listed twice")
        else:
            fingerprints.append(fingerprint)
    return tuple(fingerprints)


def _read_title(fields: dict[str, Entry], log: ErrorLog, end_line: int) -> str | None:
    entry = fields.get("title")
    if entry is None:
        log.add(end_line, "frontmatter: missing required key 'title'")
        return None
    if not isinstance(entry.value, yaml.ScalarNode):
        log.add(entry.line, f"'title' must be text, not {kind(entry.value)}")
        return None
    title = " ".join((scalar_text(entry.value) or "").split())
    if not title:
        log.add(entry.line, "'title' is empty: write the customer-facing title")
        return None
    return title


def _read_drill(entry: Entry | None, log: ErrorLog) -> int | None:
    """``drill: true``: its line; None for ``false``, no key, or an invalid value."""
    if entry is None:
        return None
    text = scalar_text(entry.value)
    # Only YAML's own booleans: 'yes' or a quoted "true" would mean something else to
    # another YAML reader, and a drill must never be published because of a misreading.
    if entry.value.tag != BOOL_TAG or text is None or text.lower() not in ("true", "false"):
        log.add(
            entry.line,
            f"'drill' must be true or false, not {kind(entry.value)}: 'drill: true' marks a "
            "rehearsal, which is never published",
        )
        return None
    return entry.line if text.lower() == "true" else None


def _read_choice(
    entry: Entry, choices: tuple[_Choice, ...], log: ErrorLog, key: str
) -> _Choice | None:
    text = scalar_text(entry.value)
    if text is None:
        log.add(entry.line, f"'{key}' must be one of {one_of(choices)}, not {kind(entry.value)}")
        return None
    choice, hint = choose(text, choices)
    if choice is None:
        log.add(entry.line, f"unknown {key} '{text}'{hint}; use {one_of(choices)}")
    return choice


def _read_time(fields: dict[str, Entry], key: str, log: ErrorLog, end_line: int) -> datetime | None:
    entry = fields.get(key)
    if entry is None:
        log.add(end_line, f"frontmatter: a maintenance needs '{key}' (like '{EXAMPLE}')")
        return None
    text = scalar_text(entry.value)
    if text is None:
        log.add(
            entry.line, f"'{key}' must be a timestamp like '{EXAMPLE}', not {kind(entry.value)}"
        )
        return None
    try:
        return parse_timestamp(text)
    except TimestampError as error:
        log.add(entry.line, f"'{key}': {error}")
        return None


def _read_components(
    entry: Entry | None,
    impact: Impact,
    log: ErrorLog,
    component_ids: Collection[str] | None,
    end_line: int,
) -> dict[str, ComponentStatus] | None:
    if entry is None:
        log.add(end_line, "frontmatter: missing required key 'components'")
        return None
    node = entry.value
    if is_null(node):
        log.add(
            entry.line,
            "'components' is empty: list the affected component ids "
            "(write 'components: []' for a notice that affects none)",
        )
        return None
    affected: dict[str, ComponentStatus] = {}
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            component_id = scalar_text(item)
            if component_id is None:
                log.add(line_of(item), f"each component must be an id, not {kind(item)}")
            elif _check_component(component_id, line_of(item), affected, log, component_ids):
                affected[component_id] = impact.implied_component_status
        return affected
    if isinstance(node, yaml.MappingNode):
        for component in entries(node):
            if isinstance(component, DuplicateKey):
                log.add(component.line, f"components: {component.message}")
                continue
            if not _check_component(component.key, component.line, affected, log, component_ids):
                continue
            status = _read_choice(component, AFFECTED_STATUSES, log, "component status")
            if status is not None:
                affected[component.key] = status
        return affected
    log.add(
        entry.line,
        f"'components' must be a list of component ids or a mapping 'id: status', not {kind(node)}",
    )
    return None


def _check_component(
    component_id: str,
    line: int,
    affected: Collection[str],
    log: ErrorLog,
    component_ids: Collection[str] | None,
    twice: str = "is listed twice",
) -> bool:
    if component_id in affected:
        log.add(line, f"component '{component_id}' {twice}")
        return False
    if component_ids is not None and component_id not in component_ids:
        log.add(
            line,
            f"unknown component '{component_id}'{did_you_mean(component_id, component_ids)}; "
            "components are declared in components.yml",
        )
        return False
    return True


class _Kind(enum.Enum):
    """What a line of the body is, as Markdown will see it."""

    TEXT = enum.auto()
    CODE = enum.auto()
    """In (or opening, or closing) fenced code: published verbatim."""
    HEADING = enum.auto()


# Not frozen, though never changed: a frozen dataclass sets each field through
# object.__setattr__, which made these tens of thousands of lines cost 4 times more.
@dataclass(slots=True)
class _Line:
    """A line of an update or postmortem, with what the scanner found it to be."""

    number: int
    text: str
    kind: _Kind = _Kind.TEXT
    visible: bool = True
    """Shows text to a reader (false for closing fences)."""
    level: int = 0
    """A heading's level."""
    title: str = ""
    """A heading's text, without its marks."""


@dataclass(slots=True)
class _Heading:
    """A level-2 heading in the body and the lines under it."""

    text: str
    line: int
    body: list[_Line] = field(default_factory=list)


@dataclass
class _Body:
    headings: list[_Heading] = field(default_factory=list)
    postmortem: list[_Line] | None = None
    """The lines after ``# Postmortem``; None when there is no such heading."""
    postmortem_line: int = 0
    stray_text_reported: bool = False
    comments: _Comments = field(default_factory=lambda: _Comments())


class _Comments:
    """Takes HTML comments out of the body's lines, keeping each for reviewers.

    A comment is never published: it is removed here, so that no renderer, feed, API
    document or notification ever sees it (Markdown would pass it through to the HTML).
    ``statusgen diff`` shows the kept ones to reviewers, who must see what is hidden.
    """

    def __init__(self) -> None:
        self.found: list[HiddenComment] = []
        self.is_open = False
        self._parts: list[str] = []
        self.open_line = 0
        """The line where the comment still open began."""

    def visible(self, line: str, number: int) -> str | None:
        """``line`` without its comments; None when nothing but comments was on it."""
        if not self.is_open and _COMMENT_START not in line:
            return line
        shown: list[str] = []
        rest = line
        while rest:
            if self.is_open:
                hidden, closes, rest = rest.partition(_COMMENT_END)
                self._parts.append(hidden)
                if not closes:
                    break
                self.is_open = False
                text = "\n".join(self._parts).strip()
                self.found.append(HiddenComment(self.open_line, text))
            else:
                before, opens, rest = rest.partition(_COMMENT_START)
                shown.append(before)
                if opens:
                    self.is_open, self._parts, self.open_line = True, [], number
        text = "".join(shown)
        return text if text.strip() else None


class _Scanner:
    """Reads lines as Markdown does: fenced code, HTML comments and ATX headings.

    One scanner for the parser and for whoever writes a body (``statusgen new``,
    ``update``), so that both agree on what starts a section.
    """

    def __init__(self, comments: _Comments) -> None:
        self.comments = comments
        self.fence: str | None = None
        """The fence of the code block we are in."""
        self.fence_line = 0

    def lines(self, lines: Iterable[str], first_line: int) -> Iterator[_Line]:
        comments = self.comments
        for number, line in enumerate(lines, start=first_line):
            if self.fence is None and (comments.is_open or _COMMENT_START in line):
                # An HTML comment is allowed anywhere; what is left is read like any line.
                visible = comments.visible(line, number)
                if visible is None:
                    continue
                line = visible
            if line[:1] not in _SPECIAL_FIRST_CHARACTERS and self.fence is None:
                yield _Line(number, line)  # plain text, the common case
            elif self.fence is not None:
                stripped = line.strip()
                if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
                    self.fence = None
                yield _Line(number, line, _Kind.CODE, visible=False)
            elif opening := _FENCE.match(line):
                self.fence, self.fence_line = opening.group(1), number
                yield _Line(number, line, _Kind.CODE)
            elif heading := _ATX_HEADING.fullmatch(line):
                title = heading.group(2).strip().rstrip("#").strip()
                yield _Line(number, line, _Kind.HEADING, True, len(heading.group(1)), title)
            else:
                yield _Line(number, line)


def section_starts(lines: Iterable[str], first_line: int = 1) -> Iterator[tuple[int, str]]:
    """The lines (number, text) of ``lines`` that start a section of an event file: the
    level-1 and level-2 headings, outside fenced code and HTML comments."""
    for line in _Scanner(_Comments()).lines(lines, first_line):
        if line.kind is _Kind.HEADING and line.level <= 2:
            yield line.number, line.text


def _split_body(body: str, first_line: int, log: ErrorLog) -> _Body:
    result = _Body()
    comments = result.comments
    scanner = _Scanner(comments)
    previous = ""
    lines = body.split("\n")
    for line in scanner.lines(lines, first_line):
        number, text = line.number, line.text
        if line.kind is _Kind.HEADING and line.level == 1:
            if normalize_choice(line.title) == POSTMORTEM_HEADING:
                result.postmortem_line = number
                rest = lines[number - first_line + 1 :]
                result.postmortem = _read_postmortem(rest, number, log, comments)
                return result
            _report_level_one_heading(line.title, number, log)
        elif line.kind is _Kind.HEADING and line.level == 2:
            result.headings.append(_Heading(line.title, number))
        elif (
            line.kind is _Kind.TEXT
            and _SETEXT_UNDERLINE.fullmatch(text)
            and previous.strip()
            and not _ATX_HEADING.fullmatch(previous)
            and not previous.startswith(("    ", "\t"))
        ):
            underline = text.strip()[0]
            level_name = "level-1" if underline == "=" else "level-2"
            log.add(
                number,
                f"this line of '{underline}' turns the line above into a {level_name} heading: "
                "put a blank line before it (for a horizontal rule) or use '###'",
            )
        else:
            _append(result, line, log)
        previous = text
    # Markdown does not treat an unclosed fence or comment as one: what follows would be
    # published as text and headings, while here it would have hidden later updates.
    if scanner.fence is not None:
        log.add(
            scanner.fence_line,
            f"this code block is never closed: add a line '{scanner.fence}' where it ends",
        )
    _check_closed(comments, log)
    return result


def _check_closed(comments: _Comments, log: ErrorLog) -> None:
    if comments.is_open:
        log.add(
            comments.open_line,
            f"this HTML comment is never closed: add a line '{_COMMENT_END}' where it ends",
        )


def _read_postmortem(
    lines: list[str], heading_line: int, log: ErrorLog, comments: _Comments
) -> list[_Line]:
    """The postmortem's lines, without comments; its headings (any level) kept as such."""
    kept: list[_Line] = []
    fence: str | None = None
    for number, line in enumerate(lines, start=heading_line + 1):
        opening = _FENCE.match(line)
        kind = _Kind.CODE
        if fence is None and not comments.is_open and opening:
            fence = opening.group(1)
        elif (
            fence is not None
            and line.strip().startswith(fence)
            and not line.strip().strip(fence[0])
        ):
            fence = None
        elif fence is None:
            visible = comments.visible(line, number)
            if visible is None:
                continue
            line, kind = visible, _Kind.TEXT
            if heading := _ATX_HEADING.fullmatch(line):
                title = heading.group(2).strip().rstrip("#").strip()
                kept.append(_Line(number, line, _Kind.HEADING, True, len(heading.group(1)), title))
                continue
        kept.append(_Line(number, line, kind))
    _check_closed(comments, log)
    return kept


def _report_level_one_heading(title: str, line: int, log: ErrorLog) -> None:
    close = did_you_mean(normalize_choice(title), [POSTMORTEM_HEADING])
    hint = " (did you mean '# Postmortem'?)" if close else ""
    log.add(
        line,
        f"unexpected level-1 heading '# {title}'{hint}: the only one allowed is "
        "'# Postmortem'; use '###' for a heading inside an update",
    )


def _append(result: _Body, line: _Line, log: ErrorLog) -> None:
    if result.headings:
        result.headings[-1].body.append(line)
    elif line.visible and line.text.strip() and not result.stray_text_reported:
        # Reported once: the first stray line is enough to find the problem.
        result.stray_text_reported = True
        log.add(
            line.number,
            f"text before the first update: every update starts with a heading like "
            f"'{HEADING_EXAMPLE}'",
        )


def _sections(
    lines: list[_Line],
    min_level: int,
    log: ErrorLog,
    audiences: Collection[str] | None,
    starts: list[tuple[int, Audiences]],
) -> tuple[Section, ...]:
    """Split the lines of an update (restricted headings from level 3) or a postmortem
    (from level 2) into sections for everyone and restricted ones, in order.

    A restricted section runs until the next heading of its level or a higher one; one
    inside another is for the audiences both allow. The first line of each run and who
    sees it are added to ``starts``, so that the comments taken out of a run can be
    given the same audiences.
    """
    runs: list[tuple[Audiences, list[_Line]]] = []
    open_sections: list[tuple[int, Audiences]] = []  # (heading level, who sees it)
    for line in lines:
        if line.kind is _Kind.HEADING:
            while open_sections and open_sections[-1][0] >= line.level:
                open_sections.pop()
            names = _restricted_names(line, min_level, log, audiences)
            if names is not None and open_sections:
                outer = open_sections[-1][1]
                if not names & outer:
                    log.add(
                        line.number,
                        f"'{line.text.strip()}' is inside a section for {', '.join(sorted(outer))}"
                        ": no audience could see it; end the outer section first (a heading of "
                        "its level) or list an audience it has",
                    )
                names &= outer
            if names is not None:
                open_sections.append((line.level, names))
        elif line.text[:1] in _SPECIAL_FIRST_CHARACTERS:
            _check_not_a_restricted_heading(line, log, audiences)
        current = open_sections[-1][1] if open_sections else EVERYONE
        if not runs or runs[-1][0] != current:
            runs.append((current, []))
            starts.append((line.number, current))
        runs[-1][1].append(line)
    sections = (Section("\n".join(line.text for line in run).strip(), who) for who, run in runs)
    return tuple(section for section in sections if section.text)


def _restricted_names(
    line: _Line, min_level: int, log: ErrorLog, audiences: Collection[str] | None
) -> Audiences | None:
    """The audiences of a restricted heading (``### [internal, partners]``); None for any
    other heading. A heading that looks like a restricted one but is not exactly one is an
    error: published as it is, it would show everyone what its author meant for a few."""
    heading = line.text.strip()
    marks = "#" * max(line.level, min_level)
    bracketed = _BRACKETED.fullmatch(line.title)
    if bracketed is None:
        if _STARTS_BRACKETED.match(line.title):
            log.add(
                line.number,
                f"heading '{heading}' looks like a restricted one but has text after the "
                f"brackets: a restricted heading is only audience names in brackets, like "
                f"'{marks} [internal]'; put the rest on the next line",
            )
        elif (names := _audience_words(line.title, audiences)) is not None:
            log.add(
                line.number,
                f"heading '{heading}' looks like a restricted one: to show the text under it "
                f"only to {', '.join(names)}, write '{marks} [{', '.join(names)}]'; "
                "otherwise reword the heading",
            )
        return None
    names_text = bracketed["names"]
    if not _SPACED_HEADING.match(line.text):
        # Python-Markdown reads it as a heading, CommonMark (and previews) as text.
        log.add(
            line.number,
            f"'{heading}': put a space after the '#' marks of a restricted heading: write "
            f"'{marks} [{names_text.strip()}]'",
        )
        return None
    if line.level < min_level:
        log.add(
            line.number,
            f"'{heading}': a restricted section in a postmortem starts with a heading of level "
            f"2 or deeper, like '{marks} [{names_text.strip()}]'",
        )
        return None
    if names_text != names_text.strip():
        log.add(
            line.number,
            f"'{heading}': no spaces inside the brackets of a restricted heading: write "
            f"'{marks} [{names_text.strip()}]'",
        )
        return None
    names = [name.strip() for name in names_text.split(",")]
    valid = True
    for index, name in enumerate(names):
        if not name:
            log.add(
                line.number,
                f"'{heading}': an empty audience name in the brackets: list names like "
                f"'{marks} [internal, partners]'",
            )
            return None
        if name in names[:index]:
            log.add(line.number, f"'{heading}': audience '{name}' is listed twice")
            valid = False
        elif audiences is not None and name not in audiences:
            log.add(line.number, f"'{heading}': {undeclared_audience(name, audiences)}")
            valid = False
    return frozenset(names) if valid else None


def _audience_words(text: str, audiences: Collection[str] | None) -> list[str] | None:
    """The declared audience names that ``text`` consists of (``Internal``, ``(internal):``),
    or None when it has other words."""
    words = [word for word in re.split(r"[^a-z0-9-]+", text.lower()) if word]
    if words and audiences and all(word in audiences for word in words):
        return words
    return None


def _check_not_a_restricted_heading(
    line: _Line, log: ErrorLog, audiences: Collection[str] | None
) -> None:
    """A restricted heading that Markdown does not see as a heading restricts nothing."""
    match = _HASHES_AND_BRACKETS.fullmatch(line.text.strip())
    if match is None:
        return
    written = line.text.strip()
    if line.kind is _Kind.TEXT:
        log.add(
            line.number,
            f"'{written}' is not a heading (Markdown needs a space after the '#' marks and at "
            f"most 3 spaces before them), so the text under it would be shown to everyone: "
            f"write '{match['marks']} [{match['names'].strip()}]' at the start of the line",
        )
    elif _audience_words(match["names"], audiences) is not None:
        log.add(
            line.number,
            f"'{written}' is inside a code block: it is not a heading there and restricts "
            "nothing; close the code block before it",
        )


def _comments(
    comments: list[HiddenComment],
    log: ErrorLog,
    audiences: Collection[str] | None,
    starts: list[tuple[int, Audiences]],
) -> tuple[HiddenComment, ...]:
    """The file's comments, each with the audiences of the section it was taken out of
    (``statusgen diff`` shows comments to the reviewers of views that may see them).

    A restricted heading in a comment restricts nothing: an error, so that its author
    does not believe the text after it is restricted.
    """
    starts.sort(key=lambda start: start[0])
    lines = [line for line, _ in starts]
    found = []
    for comment in comments:
        index = bisect.bisect_right(lines, comment.line) - 1
        who = starts[index][1] if index >= 0 else EVERYONE
        found.append(dataclasses.replace(comment, audiences=who))
        for text in comment.text.splitlines():
            match = _HASHES_AND_BRACKETS.fullmatch(text.strip())
            if match is not None and _audience_words(match["names"], audiences) is not None:
                log.add(
                    comment.line,
                    f"'{text.strip()}' is inside an HTML comment: it is not a heading there "
                    "and restricts nothing; take it out of the comment",
                )
    return tuple(found)


def _postmortem_sections(
    body: _Body,
    log: ErrorLog,
    audiences: Collection[str] | None,
    starts: list[tuple[int, Audiences]],
) -> tuple[Section, ...]:
    if body.postmortem is None:
        return ()
    starts.append((body.postmortem_line, EVERYONE))
    sections = _sections(body.postmortem, 2, log, audiences, starts)
    if not sections:
        log.add(body.postmortem_line, "'# Postmortem' has no text: write it, or remove the heading")
    return sections


def _read_updates(
    headings: list[_Heading],
    event_type: EventType,
    log: ErrorLog,
    type_known: bool,
    component_ids: Collection[str] | None,
    audiences: Collection[str] | None,
    starts: list[tuple[int, Audiences]],
) -> tuple[Update, ...]:
    updates: list[Update] = []
    for heading in headings:
        starts.append((heading.line, EVERYONE))
        update = _read_update(
            heading, event_type, log, type_known, component_ids, audiences, starts
        )
        if update is not None:
            updates.append(update)
    updates.sort(key=lambda u: u.at)
    for earlier, later in itertools.pairwise(updates):
        if earlier.at == later.at:
            first, second = sorted((earlier.line, later.line))
            log.add(
                second,
                f"two updates at the same time ({later.at:%Y-%m-%d %H:%M:%S} UTC, lines {first} "
                f"and {second}): give each update its own time",
            )
    return tuple(updates)


def _read_update(
    heading: _Heading,
    event_type: EventType,
    log: ErrorLog,
    type_known: bool,
    component_ids: Collection[str] | None,
    audiences: Collection[str] | None,
    starts: list[tuple[int, Audiences]],
) -> Update | None:
    # No-break spaces come with headings pasted from chat and documents: spaces all the same.
    text = heading.text.replace("\u00a0", " ").replace("\u202f", " ")
    match = _UPDATE_HEADING.fullmatch(text)
    if match is None:
        if _BRACKETED.fullmatch(text):
            message = (
                f"'## {text}' is not an update: a restricted section inside an update starts "
                f"with a heading of level 3 or deeper, like '### {text}'"
            )
        elif _STARTS_WITH_DATE.match(text):
            message = (
                f"update heading '## {text}' has no status: write it like "
                f"'{HEADING_EXAMPLE}', with spaces around the separator (—, –, -, | or ·)"
            )
        else:
            message = (
                f"level-2 heading '## {text}' is not an update: updates start with "
                f"'{HEADING_EXAMPLE}'; use '###' for a heading inside an update"
            )
        log.add(heading.line, message)
        return None
    try:
        at = parse_timestamp(match["timestamp"])
    except TimestampError as error:
        log.add(heading.line, f"update heading: {error}")
        at = None
    split = _STATUS_AND_CHANGES.fullmatch(match["status"])
    if split is None:
        log.add(
            heading.line,
            "update heading: the component changes must be one bracket at the end, like "
            f"'## {EXAMPLE} — monitoring {CHANGES_EXAMPLE}'",
        )
        return None
    status_text, changes_text = split["status"], split["changes"]
    status = _read_update_status(status_text, event_type, heading.line, log, type_known)
    changes = (
        {}
        if changes_text is None
        else _read_changes(changes_text, status, event_type, heading.line, log, component_ids)
    )
    sections = _sections(heading.body, 3, log, audiences, starts)
    if any(section.audiences for section in sections):
        _check_text_for_everyone(heading.body, log)
    if at is None or status is None or changes is None:
        return None
    return Update(at=at, status=status, sections=sections, line=heading.line, changes=changes)


def _check_text_for_everyone(lines: list[_Line], log: ErrorLog) -> None:
    """An update must say something to everyone before its first restricted section."""
    for line in lines:
        if line.kind is _Kind.HEADING and _BRACKETED.fullmatch(line.title):
            log.add(
                line.number,
                f"the update has no text for everyone before '{line.text.strip()}': the "
                "public would see it empty; write what everyone may read first",
            )
            return
        if line.visible and line.text.strip():
            return


def _read_changes(
    text: str,
    status: UpdateStatus | None,
    event_type: EventType,
    line: int,
    log: ErrorLog,
    component_ids: Collection[str] | None,
) -> dict[str, ComponentStatus] | None:
    """The bracket ``[api: degraded_performance, webhooks: operational]`` of an update
    heading (FORMAT.md v2, "Component changes in an update"); None when it is wrong."""
    if event_type is EventType.MAINTENANCE:
        log.add(
            line,
            "a maintenance update cannot change components (its components are under "
            "maintenance while it is in progress): remove the bracket",
        )
        return None
    if status is IncidentStatus.RESOLVED:
        log.add(
            line,
            "a 'resolved' update cannot change components (a resolved incident affects "
            "none): remove the bracket, or post the change in an earlier update",
        )
        return None
    if not text.strip():
        log.add(
            line,
            f"empty bracket: name the changed components like '{CHANGES_EXAMPLE}', "
            "or remove the brackets",
        )
        return None
    changes: dict[str, ComponentStatus] = {}
    named: list[str] = []
    valid = True
    for entry in text.split(","):
        component_id, colon, status_text = (part.strip() for part in entry.partition(":"))
        if not entry.strip():
            log.add(line, "the bracket has an empty entry: remove the extra comma")
            valid = False
            continue
        if not colon or not component_id or not status_text:
            log.add(
                line,
                f"component change '{entry.strip()}' must be 'component-id: status', "
                f"like '{CHANGES_EXAMPLE}'",
            )
            valid = False
            continue
        known = _check_component(
            component_id, line, named, log, component_ids, "is named twice in the bracket"
        )
        named.append(component_id)
        new = _read_change_status(status_text, line, log)
        if known and new is not None:
            changes[component_id] = new
        else:
            valid = False
    return changes if valid else None


def _read_change_status(text: str, line: int, log: ErrorLog) -> ComponentStatus | None:
    value = normalize_choice(text)
    for status in CHANGE_STATUSES:
        if status.value == value:
            return status
    log.add(
        line,
        f"unknown component status '{text}'{did_you_mean(value, CHANGE_STATUSES)}; "
        f"use {one_of(CHANGE_STATUSES)}",
    )
    return None


def _read_update_status(
    text: str, event_type: EventType, line: int, log: ErrorLog, type_known: bool
) -> UpdateStatus | None:
    allowed = UPDATE_STATUSES[event_type]
    status, near_miss = choose(text, allowed)
    if status is not None or not type_known:
        return status
    other = next(t for t in EventType if t is not event_type)
    if choose(text, UPDATE_STATUSES[other])[0] is not None:
        hint = (
            "add 'type: maintenance' to the frontmatter, or use "
            if other is EventType.MAINTENANCE
            else "a maintenance uses "
        )
        log.add(
            line,
            f"status '{text.strip()}' is for {_a(other)}, not {_a(event_type)}: "
            f"{hint}{one_of(allowed)}",
        )
        return None
    log.add(
        line,
        f"unknown {event_type.value} status '{text.strip()}'{near_miss}; use {one_of(allowed)}",
    )
    return None


def _a(event_type: EventType) -> str:
    return f"an {event_type.value}" if event_type is EventType.INCIDENT else "a maintenance"
