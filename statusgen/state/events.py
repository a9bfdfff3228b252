"""The state of one incident or maintenance at a given moment.

A pure function of the event and ``now``: which updates are published, the status they
give, when the event was active, and the status it gives each component through time
(:meth:`EventState.component_status`, the one place that rule lives).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from statusgen.core.model import (
    ComponentStatus,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Update,
    UpdateStatus,
)

_NOT_AFFECTED = ComponentStatus.OPERATIONAL
# The frontmatter's statuses hold from the event's beginning: a maintenance may be in
# progress (from its window's start) before its first update.
_BEGINNING = datetime.min.replace(tzinfo=UTC)
FOREVER = datetime.max.replace(tzinfo=UTC)
"""After every moment: when an event's state never changes again (:func:`next_change`)."""


@dataclass(frozen=True, slots=True)
class Transition:
    """What one update did to one component of its event: its status in the event just
    before the update and from it on (``operational`` where the event does not affect it)."""

    component_id: str
    old: ComponentStatus
    new: ComponentStatus


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
    joined: Mapping[str, datetime]
    """The components it affects by ``now``, in the order they joined, and when each
    joined: the frontmatter's at the first update, the others at the first published
    update that names them."""
    steps: Mapping[str, tuple[tuple[datetime, ComponentStatus], ...]]
    """Each joined component's statuses in the event, as (from, status), oldest first:
    the frontmatter's from the beginning, then each published update that names it."""
    listed_at: datetime
    """The moment a list shows for the event, and so sorts and groups it by: a
    maintenance's window start, an incident's first update (a field, not a property:
    lists of every event sort by it)."""

    def component_status(self, component_id: str, at: datetime) -> ComponentStatus | None:
        """The status the event gives a component at ``at``, or None when it does not
        affect it then (FORMAT.md v2): the latest published update at or before ``at``
        that names it, else the frontmatter's; None before it joins, and whenever the
        event is not active (a resolved incident affects no component)."""
        if not self.is_active_at(at):
            return None
        steps = self.steps.get(component_id, ())
        index = bisect.bisect_right(steps, at, key=lambda step: step[0])
        return steps[index - 1][1] if index else None

    def component_statuses(self, at: datetime) -> dict[str, ComponentStatus]:
        """Every component the event affects at ``at``, with its status there."""
        found = {cid: self.component_status(cid, at) for cid in self.joined}
        return {cid: status for cid, status in found.items() if status is not None}

    def is_active_at(self, at: datetime) -> bool:
        """Whether ``at`` falls in an active period (from its start, until its end)."""
        return any(start <= at and (end is None or at < end) for start, end in self.active_periods)

    def component_periods(
        self, component_id: str, until: datetime
    ) -> tuple[tuple[datetime, datetime, ComponentStatus], ...]:
        """The stretches of time before ``until`` in which the event affects a component,
        as (from, to, status), oldest first: one per status it had in each active period."""
        changes = [at for at, _ in self.steps.get(component_id, ())]
        periods = []
        for start, period_end in self.active_periods:
            end = until if period_end is None else min(period_end, until)
            if end <= start:
                continue
            cuts = sorted({start, end, *(at for at in changes if start < at < end)})
            for left, right in itertools.pairwise(cuts):
                if (status := self.component_status(component_id, left)) is not None:
                    periods.append((left, right, status))
        return tuple(periods)

    def transitions(self, index: int) -> tuple[Transition, ...]:
        """At the published update ``updates[index]``: every component that has joined
        the event by then, in the order they joined, with its status before and after."""
        return self._transitions(index, self.joined)

    def _transitions(self, index: int, component_ids: Iterable[str]) -> tuple[Transition, ...]:
        """:meth:`transitions`, of ``component_ids`` only (in their order)."""
        update = self.updates[index]
        # A maintenance's window may start or end between two updates: "before" is the
        # latest of the previous update and such a start or end (for an incident both
        # are updates, so it is the previous update).
        moments = [self.updates[index - 1].at] if index else []
        moments += [t for period in self.active_periods for t in period if t and t < update.at]
        before = max(moments, default=None)
        return tuple(
            Transition(
                component_id,
                (before and self.component_status(component_id, before)) or _NOT_AFFECTED,
                self.component_status(component_id, update.at) or _NOT_AFFECTED,
            )
            for component_id in component_ids
            if self.joined[component_id] <= update.at
        )

    def changes(self, index: int) -> tuple[Transition, ...]:
        """The transitions of the components that ``updates[index]``'s bracket names: what
        pages, feeds and notifications say the update changed."""
        named = self.updates[index].changes
        # Only those: most updates name none, and each transition costs two look-ups.
        return self._transitions(index, [c for c in self.joined if c in named])

    def last_status(self, component_id: str) -> ComponentStatus:
        """The status the latest published update (or the frontmatter) gives a joined
        component, whether or not the event is still active: what the incident's own page
        shows next to the component."""
        return self.steps[component_id][-1][1]

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
    def is_over(self) -> bool:
        """A resolved incident, or a completed (or cancelled) maintenance."""
        return self.ended_at is not None


def event_state(event: Incident | Maintenance, now: datetime) -> EventState | None:
    """The state of one event at ``now``; None when nothing of it is published yet."""
    updates = event.updates
    if updates[-1].at > now:  # updates are oldest first: most events are all published
        updates = tuple(u for u in updates if u.at <= now)
        if not updates:
            return None
    if isinstance(event, Maintenance):
        return _maintenance_state(event, updates, now)
    status = IncidentStatus(update_statuses(updates, maintenance=False)[-1])
    periods = _incident_periods(updates)
    joined, steps = _component_timeline(event, updates)
    return EventState(
        event=event,
        updates=updates,
        status=status,
        started_at=updates[0].at,
        ended_at=periods[-1][1],
        active_periods=periods,
        joined=joined,
        steps=steps,
        listed_at=updates[0].at,
    )


def next_change(event: Incident | Maintenance, now: datetime) -> datetime:
    """The first moment after ``now`` at which the event's state may differ from its
    state at ``now``: its next update, or a maintenance's window start or end, whichever
    comes first (:data:`FOREVER` when none is left). :func:`event_state` reads ``now``
    only by comparing these moments with it, so the state is the same at every moment
    from ``now`` until then."""
    updates = event.updates
    index = bisect.bisect_right(updates, now, key=lambda update: update.at)
    moments = [updates[index].at] if index < len(updates) else []
    if isinstance(event, Maintenance):
        moments += [t for t in (event.scheduled_start, event.scheduled_end) if t > now]
    return min(moments, default=FOREVER)


class KeptStates:
    """Event states kept from one derivation to the next, for ``statusgen serve``: an
    event that is the same object as last time (its file did not change) keeps its state
    while ``now`` stays between the moment it was derived at and :func:`next_change`.
    Only the events of the latest derivation are kept."""

    def __init__(self) -> None:
        # By id: an entry holds its event, so no other object has that id while it is kept.
        self._kept: dict[
            int, tuple[Incident | Maintenance, EventState | None, datetime, datetime]
        ] = {}

    def states(self, events: Iterable[Incident | Maintenance], now: datetime) -> list[EventState]:
        """The states at ``now`` of those of ``events`` that are published, in order."""
        previous, self._kept = self._kept, {}
        found = []
        for event in events:
            entry = previous.get(id(event))
            if entry is None or not entry[2] <= now < entry[3]:
                entry = event, event_state(event, now), now, next_change(event, now)
            self._kept[id(event)] = entry
            if entry[1] is not None:
                found.append(entry[1])
        return found


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


def _component_timeline(
    event: Incident | Maintenance, updates: tuple[Update, ...]
) -> tuple[Mapping[str, datetime], Mapping[str, tuple[tuple[datetime, ComponentStatus], ...]]]:
    """``joined`` and ``steps`` of an :class:`EventState`, from the published updates."""
    joined = dict.fromkeys(event.components, updates[0].at)
    steps = {cid: [(_BEGINNING, status)] for cid, status in event.components.items()}
    for update in updates:
        for cid, status in update.changes.items():
            joined.setdefault(cid, update.at)
            steps.setdefault(cid, []).append((update.at, status))
    return MappingProxyType(joined), MappingProxyType({c: tuple(s) for c, s in steps.items()})


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
    joined, steps = _component_timeline(maintenance, updates)
    return EventState(
        event=maintenance,
        updates=updates,
        status=status,
        started_at=started_at,
        ended_at=ended_at,
        active_periods=() if started_at is None else ((started_at, ended_at),),
        joined=joined,
        steps=steps,
        listed_at=maintenance.scheduled_start,
    )
