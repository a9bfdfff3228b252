"""The content model: what a status repository says, validated and immutable.

These classes hold exactly what the files declare, nothing derived from the clock
(current statuses, uptime) and nothing about presentation. Instances are built by
:mod:`statusgen.content.loader` and read by everything else.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import ClassVar


class ComponentStatus(enum.StrEnum):
    """A component's status, in Statuspage's vocabulary, ordered from best to worst.

    ``under_maintenance`` ranks below the outages: when a component under maintenance
    also has an incident, the incident is what the reader needs to see.
    """

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def severity(self) -> int:
        """Rank for comparisons: 0 for operational, higher is worse."""
        return _COMPONENT_SEVERITY[self]


_COMPONENT_SEVERITY = {status: rank for rank, status in enumerate(ComponentStatus)}


class Impact(enum.StrEnum):
    """An incident's impact on Statuspage's scale, plus ``maintenance``."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"
    MAINTENANCE = "maintenance"

    @property
    def implied_component_status(self) -> ComponentStatus:
        """The status of components listed without one (FORMAT.md: list form)."""
        return _IMPLIED_STATUS[self]


_IMPLIED_STATUS = {
    Impact.NONE: ComponentStatus.DEGRADED_PERFORMANCE,
    Impact.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentStatus.MAJOR_OUTAGE,
    Impact.MAINTENANCE: ComponentStatus.UNDER_MAINTENANCE,
}

#: Impacts an incident file may declare (``maintenance`` is implied by the type).
INCIDENT_IMPACTS = (Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)


class IncidentStatus(enum.StrEnum):
    """The status an incident update announces."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    UPDATE = "update"
    RESOLVED = "resolved"


class MaintenanceStatus(enum.StrEnum):
    """The status a maintenance update announces."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"


UpdateStatus = IncidentStatus | MaintenanceStatus


class EventType(enum.StrEnum):
    """The ``type`` frontmatter key: what kind of event a file describes."""

    INCIDENT = "incident"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """The file something was declared in, for error messages."""

    path: str

    def __str__(self) -> str:
        return self.path


#: Who may see something: the audience names of an ``audiences`` key; empty for everyone.
Audiences = frozenset[str]
EVERYONE: Audiences = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """A display group of components (``groups:`` in components.yml)."""

    id: str
    name: str
    description: str | None = None
    position: int = 0
    audiences: Audiences = EVERYONE


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A part of the service whose status is reported (``components:``)."""

    id: str
    name: str
    description: str | None = None
    group: str | None = None
    since: date | None = None
    position: int = 0
    alerts: tuple[Mapping[str, str], ...] = ()
    """Monitoring alerts about this component: an alert whose labels include all the
    labels of one item is routed here (``statusgen alert``)."""
    audiences: Audiences = EVERYONE
    """Its own ``audiences`` key; its group's restriction applies as well (see the view)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """Everything components.yml declares, in display order."""

    groups: tuple[Group, ...] = ()
    components: tuple[Component, ...] = ()
    _components_by_id: Mapping[str, Component] = field(init=False, repr=False, compare=False)
    _groups_by_id: Mapping[str, Group] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_components_by_id", {c.id: c for c in self.components})
        object.__setattr__(self, "_groups_by_id", {g.id: g for g in self.groups})

    def component(self, component_id: str) -> Component:
        """Return the component with this id; :class:`KeyError` if there is none."""
        return self._components_by_id[component_id]

    def group(self, group_id: str) -> Group:
        """Return the group with this id; :class:`KeyError` if there is none."""
        return self._groups_by_id[group_id]

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def members(self, group_id: str) -> tuple[Component, ...]:
        """The components of a group, in display order."""
        return tuple(c for c in self.components if c.group == group_id)


_NOTHING: Mapping[str, ComponentStatus] = MappingProxyType({})


def _read_only(mapping: Mapping[str, ComponentStatus]) -> Mapping[str, ComponentStatus]:
    """A read-only copy of ``mapping``; the empty ones are one shared object (most
    updates change no component: 90,000 empty copies took 9 MB)."""
    return MappingProxyType(dict(mapping)) if mapping else _NOTHING


@dataclass(frozen=True, slots=True)
class Section:
    """A run of an update's or a postmortem's Markdown, for everyone or restricted."""

    text: str
    """The Markdown, stripped; a restricted section starts with its ``### [names]`` heading."""
    audiences: Audiences = EVERYONE


def join_sections(sections: tuple[Section, ...]) -> str:
    """The Markdown of these sections, as one text."""
    return "\n\n".join(s.text for s in sections)


@dataclass(frozen=True, slots=True, kw_only=True)
class Update:
    """One timestamped update of an incident or maintenance (a ``##`` section)."""

    at: datetime
    """When it was posted, timezone-aware, in UTC."""
    status: UpdateStatus
    sections: tuple[Section, ...]
    """Its text in file order: sections for everyone and restricted ones (``### [names]``)."""
    line: int
    """The line of its heading, for error messages and links to the source."""
    changes: Mapping[str, ComponentStatus] = field(default_factory=dict)
    """Component changes from the heading's bracket (FORMAT.md v2, incidents only), in
    the order written: from this update on, each named component has this status in
    the incident. Empty when the update changes no component."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _read_only(self.changes))

    @property
    def body(self) -> str:
        """The update's Markdown text, without its heading."""
        return join_sections(self.sections)


@dataclass(frozen=True, slots=True)
class HiddenComment:
    """An HTML comment of an incident file: never published, shown to reviewers."""

    line: int
    text: str
    audiences: Audiences = EVERYONE
    """Those of the restricted section it is in: only their reviewers are shown it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """What incidents and maintenances share: one Markdown file in ``incidents/``."""

    id: str
    title: str
    components: Mapping[str, ComponentStatus]
    """The frontmatter's components: those affected from the first update, with the
    status each one has until an update's changes name it (incidents); a maintenance's
    components are under maintenance while it lasts."""
    updates: tuple[Update, ...]
    """Oldest first; never empty; timestamps are unique."""
    postmortem_sections: tuple[Section, ...] = ()
    """The Markdown after ``# Postmortem``; empty when there is none yet."""
    drill_line: int | None = None
    """The line of ``drill: true`` in the file when the event is a rehearsal, else None.
    The line, not a flag: the warning that a drill reached a pull request points at it."""
    source: SourceLocation = field(default_factory=lambda: SourceLocation(""))
    comments: tuple[HiddenComment, ...] = ()
    """The file's HTML comments, taken out of its text: only ``diff`` shows them."""
    audiences: Audiences = EVERYONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "components", _read_only(self.components))

    @property
    def is_drill(self) -> bool:
        """A rehearsal (``drill: true``): never published, never sent to subscribers."""
        return self.drill_line is not None

    @property
    def component_ids(self) -> tuple[str, ...]:
        """Every component the event ever affects: the frontmatter's, then those that
        join in an update, in the order they join. What is published at a given moment
        is the state's business (:class:`statusgen.state.events.EventState`)."""
        joined = dict.fromkeys(self.components)
        for update in self.updates:
            joined.update(dict.fromkeys(update.changes))
        return tuple(joined)

    @property
    def postmortem(self) -> str | None:
        """The postmortem's Markdown, or None when there is none yet."""
        return join_sections(self.postmortem_sections) or None

    @property
    def first_update(self) -> Update:
        return self.updates[0]

    @property
    def last_update(self) -> Update:
        return self.updates[-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident(Event):
    """Something that went wrong: ``type: incident`` (the default)."""

    type: ClassVar[EventType] = EventType.INCIDENT
    impact: Impact
    alerts: tuple[str, ...] = ()
    """Fingerprints of the monitoring alerts this incident covers (``statusgen alert``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Maintenance(Event):
    """Planned work announced ahead of time: ``type: maintenance``."""

    type: ClassVar[EventType] = EventType.MAINTENANCE
    impact: ClassVar[Impact] = Impact.MAINTENANCE
    scheduled_start: datetime
    scheduled_end: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """A whole status repository: its components and every incident and maintenance."""

    catalog: Catalog
    events: tuple[Incident | Maintenance, ...]
    """Sorted by start (first update), oldest first; ties broken by id."""
    audiences: tuple[str, ...] = ()
    """The audience names mkdocs.yml declares, besides everyone."""
    audience: str | None = None
    """The audience of the view this site is (None: the public view; see
    ``statusgen.view``). What the loader returns holds everything, restricted or not: only
    a view of it may reach derived state, renderers and notifications."""
