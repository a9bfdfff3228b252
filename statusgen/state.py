"""Derived state: what the page says at a given moment, as pure functions of (site, now).

Nothing here reads the clock: ``now`` is always passed in, so that a build with
``--now`` is reproducible and every rule can be tested at fixed moments. An update
dated after ``now`` is not published yet: the page at ``now`` is the page as it was,
or will be, at that moment.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from types import MappingProxyType

from statusgen.model import (
    ComponentStatus,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Site,
    Update,
)
from statusgen.uptime import DEFAULT_WINDOW_DAYS, ComponentUptime, compute_uptime


class Indicator(enum.StrEnum):
    """The page's overall status, as Statuspage's ``status.indicator``."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"
    MAINTENANCE = "maintenance"

    @property
    def description(self) -> str:
        """Statuspage's wording for the indicator (the API publishes it verbatim)."""
        return _DESCRIPTIONS[self]

    @property
    def component_status(self) -> ComponentStatus:
        """The component status it corresponds to: what it looks like (colour, icon)."""
        return _STATUS_OF_INDICATOR[self]


_DESCRIPTIONS = {
    Indicator.NONE: "All Systems Operational",
    Indicator.MINOR: "Minor Service Outage",
    Indicator.MAJOR: "Partial System Outage",
    Indicator.CRITICAL: "Major Service Outage",
    Indicator.MAINTENANCE: "Service Under Maintenance",
}
_STATUS_OF_INDICATOR = {
    Indicator.NONE: ComponentStatus.OPERATIONAL,
    Indicator.MAINTENANCE: ComponentStatus.UNDER_MAINTENANCE,
    Indicator.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
    Indicator.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Indicator.CRITICAL: ComponentStatus.MAJOR_OUTAGE,
}
_SEVERITY = (Indicator.NONE, Indicator.MINOR, Indicator.MAJOR, Indicator.CRITICAL)
_INDICATOR_OF_IMPACT = {
    Impact.NONE: Indicator.NONE,
    Impact.MINOR: Indicator.MINOR,
    Impact.MAJOR: Indicator.MAJOR,
    Impact.CRITICAL: Indicator.CRITICAL,
}
_INDICATOR_OF_STATUS = {
    ComponentStatus.OPERATIONAL: Indicator.NONE,
    ComponentStatus.UNDER_MAINTENANCE: Indicator.NONE,
    ComponentStatus.DEGRADED_PERFORMANCE: Indicator.MINOR,
    ComponentStatus.PARTIAL_OUTAGE: Indicator.MAJOR,
    ComponentStatus.MAJOR_OUTAGE: Indicator.CRITICAL,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class EventState:
    """An incident or maintenance as it stands at ``now``.

    ``updates`` holds only the updates published by then, oldest first (never empty:
    an event whose first update is still in the future is not published at all).
    """

    event: Incident | Maintenance
    updates: tuple[Update, ...]
    status: IncidentStatus | MaintenanceStatus
    """Statuspage's status: for an incident the latest update's, where an ``update``
    keeps the status it follows; for a maintenance, what its updates and window say."""
    started_at: datetime | None
    """Incident: its first update. Maintenance: when it went in progress, or None."""
    ended_at: datetime | None
    """Incident: when resolved, or None. Maintenance: when it was over, or None."""
    active_periods: tuple[tuple[datetime, datetime | None], ...]
    """When it was active, oldest first; None ends the period still running. A reopened
    incident has one period per opening; a maintenance at most one."""

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def is_maintenance(self) -> bool:
        return isinstance(self.event, Maintenance)

    @property
    def is_active(self) -> bool:
        """An unresolved incident, or a maintenance in progress."""
        return self.started_at is not None and self.ended_at is None

    @property
    def is_upcoming(self) -> bool:
        """A maintenance that has neither started nor been completed."""
        return self.started_at is None and self.ended_at is None

    @property
    def is_cancelled(self) -> bool:
        """A maintenance completed before its work began: it never ran."""
        return self.is_maintenance and self.started_at is None and self.ended_at is not None

    @property
    def last_update(self) -> Update:
        return self.updates[-1]

    @property
    def updated_at(self) -> datetime:
        return self.updates[-1].at

    @property
    def created_at(self) -> datetime:
        return self.updates[0].at


@dataclass(frozen=True, kw_only=True)
class PageState:
    """Everything the status page says at ``now``; the input of every renderer."""

    site: Site
    now: datetime
    events: tuple[EventState, ...]
    """Published incidents and maintenances, newest first (by first update)."""
    component_statuses: Mapping[str, ComponentStatus]
    indicator: Indicator
    uptime: Mapping[str, ComponentUptime]
    """Daily uptime of each component over the window, by component id."""

    @property
    def description(self) -> str:
        return self.indicator.description

    # Views of ``events`` are computed once: every renderer reads them.

    @cached_property
    def incidents(self) -> tuple[EventState, ...]:
        return tuple(e for e in self.events if not e.is_maintenance)

    @cached_property
    def maintenances(self) -> tuple[EventState, ...]:
        return tuple(e for e in self.events if e.is_maintenance)

    @cached_property
    def active_incidents(self) -> tuple[EventState, ...]:
        return tuple(e for e in self.incidents if e.is_active)

    @cached_property
    def maintenances_in_progress(self) -> tuple[EventState, ...]:
        return tuple(e for e in self.maintenances if e.is_active)

    @cached_property
    def events_by_component(self) -> Mapping[str, tuple[EventState, ...]]:
        """Each component's events, newest first (every component has an entry)."""
        found: dict[str, list[EventState]] = {c.id: [] for c in self.site.catalog.components}
        for state in self.events:
            for component_id in state.event.components:
                found[component_id].append(state)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    @cached_property
    def upcoming_maintenances(self) -> tuple[EventState, ...]:
        """Upcoming maintenance, soonest first."""
        upcoming = [e for e in self.maintenances if e.is_upcoming]
        return tuple(sorted(upcoming, key=_scheduled_start))

    @cached_property
    def updated_at(self) -> datetime:
        """When the page last changed: the newest published update, else ``now``."""
        return max((e.updated_at for e in self.events), default=self.now)


def _scheduled_start(state: EventState) -> datetime:
    assert isinstance(state.event, Maintenance)
    return state.event.scheduled_start


def derive(site: Site, now: datetime, *, uptime_days: int = DEFAULT_WINDOW_DAYS) -> PageState:
    """Compute what the page says at ``now`` (an aware datetime)."""
    events = [
        state for event in reversed(site.events) if (state := event_state(event, now)) is not None
    ]
    statuses = component_statuses(site, events)
    return PageState(
        site=site,
        now=now,
        events=tuple(events),
        component_statuses=MappingProxyType(statuses),
        indicator=page_indicator(events, statuses),
        uptime=MappingProxyType(compute_uptime(site.catalog, events, now, uptime_days)),
    )


def event_state(event: Incident | Maintenance, now: datetime) -> EventState | None:
    """The state of one event at ``now``; None when nothing of it is published yet."""
    updates = tuple(u for u in event.updates if u.at <= now)
    if not updates:
        return None
    if isinstance(event, Maintenance):
        return _maintenance_state(event, updates, now)
    status = IncidentStatus.INVESTIGATING
    for update in updates:
        if update.status is not IncidentStatus.UPDATE:
            status = IncidentStatus(update.status)
    periods = _incident_periods(updates)
    return EventState(
        event=event,
        updates=updates,
        status=status,
        started_at=updates[0].at,
        ended_at=periods[-1][1],
        active_periods=periods,
    )


def _incident_periods(
    updates: tuple[Update, ...],
) -> tuple[tuple[datetime, datetime | None], ...]:
    """Open at the first update; closed at the latest ``resolved`` of a run of them;
    reopened by a later investigating, identified or monitoring update."""
    periods: list[tuple[datetime, datetime | None]] = []
    start: datetime = updates[0].at
    end: datetime | None = None
    for update in updates:
        if update.status is IncidentStatus.RESOLVED:
            end = update.at
        elif update.status is not IncidentStatus.UPDATE and end is not None:
            periods.append((start, end))
            start, end = update.at, None
    periods.append((start, end))
    return tuple(periods)


def _maintenance_state(
    maintenance: Maintenance, updates: tuple[Update, ...], now: datetime
) -> EventState:
    """FORMAT.md: upcoming before the window until an update says otherwise; in progress
    from ``in_progress`` (or ``verifying``) or from the window's start; over at
    ``completed`` or at the window's end. A ``scheduled`` update (postponed) starts over.
    """
    latest = updates[-1].status
    since_rescheduled = updates
    for index, update in enumerate(updates):
        if update.status is MaintenanceStatus.SCHEDULED:
            since_rescheduled = updates[index + 1 :]
    started_by_update = next(
        (u.at for u in since_rescheduled if u.status is not MaintenanceStatus.COMPLETED), None
    )
    window_started = maintenance.scheduled_start if maintenance.scheduled_start <= now else None
    started_at = min((t for t in (started_by_update, window_started) if t), default=None)

    ended_at = None
    if latest is MaintenanceStatus.COMPLETED:
        ended_at = updates[-1].at
    elif maintenance.scheduled_end <= now:
        ended_at = maintenance.scheduled_end

    if ended_at is not None:
        status = MaintenanceStatus.COMPLETED
        if started_at is not None and started_at >= ended_at:
            started_at = None  # completed before it began: it never ran
    elif latest in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING):
        status = MaintenanceStatus(latest)
    elif started_at is not None:
        status = MaintenanceStatus.IN_PROGRESS
    else:
        status = MaintenanceStatus.SCHEDULED
    return EventState(
        event=maintenance,
        updates=updates,
        status=status,
        started_at=started_at,
        ended_at=ended_at,
        active_periods=() if started_at is None else ((started_at, ended_at),),
    )


def component_statuses(site: Site, events: list[EventState]) -> dict[str, ComponentStatus]:
    """Each component's status: the worst among the active events affecting it."""
    statuses = {c.id: ComponentStatus.OPERATIONAL for c in site.catalog.components}
    for state in events:
        if not state.is_active:
            continue
        for component_id, status in state.event.components.items():
            if status.severity > statuses[component_id].severity:
                statuses[component_id] = status
    return statuses


def page_indicator(events: list[EventState], statuses: Mapping[str, ComponentStatus]) -> Indicator:
    """The overall indicator, as Statuspage computes it.

    The worst of the components' statuses and of the active incidents' impacts; when
    that is ``none`` and a maintenance is in progress, ``maintenance``.
    """
    levels = [_INDICATOR_OF_STATUS[s] for s in statuses.values()]
    levels += [
        _INDICATOR_OF_IMPACT[s.event.impact]
        for s in events
        if s.is_active and isinstance(s.event, Incident)
    ]
    worst = max(levels, key=_SEVERITY.index, default=Indicator.NONE)
    if worst is Indicator.NONE and any(s.is_active and s.is_maintenance for s in events):
        return Indicator.MAINTENANCE
    return worst
