"""The state of one incident or maintenance at a given moment.

A pure function of the event and ``now``: which updates are published, the status they
give, and when the event was active.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from statusgen.core.model import (
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Update,
    UpdateStatus,
)


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
    def update_statuses(self) -> tuple[UpdateStatus, ...]:
        """The status each update gives, in order: see :func:`update_statuses`."""
        return update_statuses(self.updates, maintenance=self.is_maintenance)

    @property
    def last_update(self) -> Update:
        return self.updates[-1]

    @property
    def updated_at(self) -> datetime:
        return self.updates[-1].at

    @property
    def created_at(self) -> datetime:
        return self.updates[0].at

    @property
    def listed_at(self) -> datetime:
        """The moment a list shows for the event, and so sorts and groups it by: a
        maintenance's window start, an incident's first update."""
        if isinstance(self.event, Maintenance):
            return self.event.scheduled_start
        return self.created_at

    @property
    def is_over(self) -> bool:
        """A resolved incident, or a completed (or cancelled) maintenance."""
        return self.ended_at is not None


def event_state(event: Incident | Maintenance, now: datetime) -> EventState | None:
    """The state of one event at ``now``; None when nothing of it is published yet."""
    updates = tuple(u for u in event.updates if u.at <= now)
    if not updates:
        return None
    if isinstance(event, Maintenance):
        return _maintenance_state(event, updates, now)
    status = IncidentStatus(update_statuses(updates, maintenance=False)[-1])
    periods = _incident_periods(updates)
    return EventState(
        event=event,
        updates=updates,
        status=status,
        started_at=updates[0].at,
        ended_at=periods[-1][1],
        active_periods=periods,
    )


def update_statuses(updates: Sequence[Update], *, maintenance: bool) -> tuple[UpdateStatus, ...]:
    """The status each update gives its event: its own, except that an ``update`` (not a
    Statuspage status) keeps the status it follows; before any, investigating (an
    incident) or scheduled (a maintenance)."""
    status: UpdateStatus = (
        MaintenanceStatus.SCHEDULED if maintenance else IncidentStatus.INVESTIGATING
    )
    found = []
    for update in updates:
        if update.status is not IncidentStatus.UPDATE:
            status = update.status
        found.append(status)
    return tuple(found)


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
