"""What subscribers are told: the notices between two revisions and two moments.

A notice is one thing that happened on the public page: an incident opened, an update
posted, an incident resolved, a postmortem published, a maintenance scheduled, started
or completed. Each has a stable key, so that the delivery ledger can tell it was sent
already: running the same range twice, or a range that overlaps the last one, sends
nothing twice.

Candidates come from two places: updates that the change adds (``since`` → ``until``),
and what became due since the last run (updates dated in the future when they were
merged, maintenance windows starting or ending). Only what is published at ``now``
is a notice.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from statusgen.core.model import (
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Site,
    Update,
)
from statusgen.core.timestamps import compact_timestamp
from statusgen.state.events import EventState, event_state


class NoticeKind(enum.StrEnum):
    INCIDENT_OPENED = "incident_opened"
    UPDATE_POSTED = "update_posted"
    INCIDENT_RESOLVED = "incident_resolved"
    POSTMORTEM_PUBLISHED = "postmortem_published"
    MAINTENANCE_SCHEDULED = "maintenance_scheduled"
    MAINTENANCE_STARTED = "maintenance_started"
    MAINTENANCE_COMPLETED = "maintenance_completed"
    UPDATE_OVERDUE = "update_overdue"
    """For the team, never subscribers: an active incident has gone quiet (``remind``)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell subscribers about one incident or maintenance."""

    key: str
    """Stable across runs: ``<event id>/<what>`` (an update's time for an update)."""
    kind: NoticeKind
    state: EventState
    """The incident or maintenance as it is at ``now``."""
    update: Update | None
    """The update it announces; None for a postmortem or a window starting or ending."""
    at: datetime

    @property
    def component_ids(self) -> tuple[str, ...]:
        """The components it is about: those the event affects by the update it announces
        (so that a component's subscribers hear of an incident from the update where the
        component joins it), or by now for a postmortem or a maintenance window."""
        joined = self.state.joined.items()
        if self.update is None:
            return tuple(cid for cid, _ in joined)
        return tuple(cid for cid, at in joined if at <= self.update.at)


def find_notices(
    base: Site | None,
    head: Site,
    now: datetime,
    last_run: datetime | None,
    pending: Collection[str] = (),
) -> list[Notice]:
    """The notices of the change from ``base`` to ``head``, of the time between
    ``last_run`` and ``now``, and those still ``pending`` from a failed run; oldest
    first."""
    old_events = {e.id: e for e in base.events} if base else {}
    found: dict[str, Notice] = {}
    for event in head.events:
        state = event_state(event, now)
        if state is None:
            continue
        old = old_events.get(event.id)
        old_updates = {u.at for u in old.updates} if old else set()
        for update in state.updates:
            is_new = update.at not in old_updates
            became_due = last_run is not None and last_run < update.at
            notice = _update_notice(state, update)
            if is_new or became_due or notice.key in pending:
                found.setdefault(notice.key, notice)
        key = f"{event.id}/postmortem"
        if event.postmortem and (not (old and old.postmortem) or key in pending):
            found.setdefault(
                key, Notice(key, NoticeKind.POSTMORTEM_PUBLISHED, state, None, state.updated_at)
            )
        if isinstance(event, Maintenance):
            for notice in _window_notices(event, state, now, last_run, pending):
                found.setdefault(notice.key, notice)
    # At the same moment, a postmortem comes after the resolution it follows.
    return sorted(
        found.values(),
        key=lambda n: (n.at, n.kind is NoticeKind.POSTMORTEM_PUBLISHED, n.key),
    )


def overdue_notice(state: EventState, due: datetime) -> Notice:
    """The team's reminder that ``state``'s next update was due at ``due``. Its key names
    the latest update, so that the team is told once per quiet period."""
    key = f"{state.id}/overdue/{compact_timestamp(state.updated_at)}"
    return Notice(key, NoticeKind.UPDATE_OVERDUE, state, state.last_update, due)


def _update_notice(state: EventState, update: Update) -> Notice:
    event = state.event
    kind = NoticeKind.UPDATE_POSTED
    key = f"{event.id}/update/{compact_timestamp(update.at)}"
    if update is state.updates[0]:
        kind = (
            NoticeKind.MAINTENANCE_SCHEDULED
            if isinstance(event, Maintenance)
            else NoticeKind.INCIDENT_OPENED
        )
    elif update.status is IncidentStatus.RESOLVED and isinstance(event, Incident):
        kind = NoticeKind.INCIDENT_RESOLVED
    elif update.status is MaintenanceStatus.IN_PROGRESS:
        kind, key = NoticeKind.MAINTENANCE_STARTED, f"{event.id}/started"
    elif update.status is MaintenanceStatus.COMPLETED:
        kind, key = NoticeKind.MAINTENANCE_COMPLETED, f"{event.id}/completed"
    return Notice(key, kind, state, update, update.at)


def _window_notices(
    maintenance: Maintenance,
    state: EventState,
    now: datetime,
    last_run: datetime | None,
    pending: Collection[str],
) -> list[Notice]:
    """A window that started or ended between the last run and now: the scheduled run
    that crosses it tells subscribers, even if nobody posted an update."""
    notices = []
    for kind, moment, what in (
        (NoticeKind.MAINTENANCE_STARTED, state.started_at, "started"),
        (NoticeKind.MAINTENANCE_COMPLETED, state.ended_at, "completed"),
    ):
        key = f"{maintenance.id}/{what}"
        if moment is None or moment > now or state.is_cancelled:
            continue
        if (last_run is not None and last_run < moment) or key in pending:
            notices.append(Notice(key, kind, state, None, moment))
    return notices
