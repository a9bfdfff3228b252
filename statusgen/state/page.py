"""Derived state: what the page says at a given moment, as pure functions of (site, now).

Nothing here reads the clock: ``now`` is always passed in, so that a build with
``--now`` is reproducible and every rule can be tested at fixed moments. An update
dated after ``now`` is not published yet: the page at ``now`` is the page as it was,
or will be, at that moment.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from types import MappingProxyType

from statusgen.content.config import DEFAULT_WINDOW_DAYS
from statusgen.core.model import (
    ComponentStatus,
    Impact,
    Incident,
    Site,
)
from statusgen.core.words import _
from statusgen.state.events import EventState, KeptStates
from statusgen.state.uptime import ComponentUptime, compute_uptime


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


# In English, as the API publishes them; the pages translate them (Language.indicator).
_DESCRIPTIONS = {
    Indicator.NONE: _("All Systems Operational"),
    Indicator.MINOR: _("Minor Service Outage"),
    Indicator.MAJOR: _("Partial System Outage"),
    Indicator.CRITICAL: _("Major Service Outage"),
    Indicator.MAINTENANCE: _("Service Under Maintenance"),
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


@dataclass(frozen=True, kw_only=True)
class PageState:
    """Everything the status page says at ``now``; the input of every renderer."""

    site: Site
    now: datetime
    events: tuple[EventState, ...]
    """Published incidents and maintenances, newest first (by first update)."""
    component_statuses: Mapping[str, ComponentStatus]
    indicator: Indicator
    uptime_days: int = DEFAULT_WINDOW_DAYS
    """How many days the uptime window covers."""

    @property
    def description(self) -> str:
        return self.indicator.description

    @cached_property
    def uptime(self) -> Mapping[str, ComponentUptime]:
        """Daily uptime of each component over the window, by component id; computed
        when first read (notifications and diffs never read it)."""
        uptime = compute_uptime(self.site.catalog, self.events, self.now, self.uptime_days)
        return MappingProxyType(uptime)

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
            for component_id in state.joined:
                found[component_id].append(state)
        return MappingProxyType({k: tuple(v) for k, v in found.items()})

    def worst_status(self, component_ids: Iterable[str]) -> ComponentStatus:
        """The worst status among these components (a group's, a section's); operational
        for none."""
        statuses = [self.component_statuses[c] for c in component_ids]
        return max(statuses, key=lambda s: s.severity, default=ComponentStatus.OPERATIONAL)

    @cached_property
    def upcoming_maintenances(self) -> tuple[EventState, ...]:
        """Upcoming maintenance, soonest first."""
        return upcoming(self.events)

    @cached_property
    def listed_events(self) -> tuple[EventState, ...]:
        """Every event but upcoming maintenance, as history lists them (:func:`listed`)."""
        return listed(self.events)

    @cached_property
    def past_events(self) -> tuple[EventState, ...]:
        """The events that are over, newest first by the moment lists show."""
        return tuple(e for e in self.listed_events if e.is_over)

    @cached_property
    def updated_at(self) -> datetime:
        """When the page last changed: the newest published update, else ``now``."""
        return max((e.updated_at for e in self.events), default=self.now)


_LISTED_AT = operator.attrgetter("listed_at")


def upcoming(events: Iterable[EventState]) -> tuple[EventState, ...]:
    """The upcoming maintenances among ``events``, soonest first."""
    return tuple(sorted((e for e in events if e.is_upcoming), key=_LISTED_AT))


def listed(events: Iterable[EventState]) -> tuple[EventState, ...]:
    """``events`` but upcoming maintenance, newest first by the moment lists show
    (:attr:`EventState.listed_at`), so that a list is sorted by the dates it shows."""
    shown = (e for e in events if not e.is_upcoming)
    return tuple(sorted(shown, key=_LISTED_AT, reverse=True))


def derive(
    site: Site,
    now: datetime,
    *,
    uptime_days: int = DEFAULT_WINDOW_DAYS,
    kept: KeptStates | None = None,
) -> PageState:
    """Compute what the page says at ``now`` (an aware datetime), to the second: the
    clock's microseconds would show in every output that writes ``now`` (and HTML's
    ``<time datetime>`` allows at most three digits of a second). ``kept`` holds the
    event states of the previous derivation, for a preview that derives each version
    of a site in turn: the unchanged events' states are not derived again."""
    now = now.replace(microsecond=0)
    events = (kept if kept is not None else KeptStates()).states(reversed(site.events), now)
    # Only the events active at ``now`` give a status; at its own moment, ``is_active`` is
    # the same as being active at ``now``.
    active = [state for state in events if state.is_active]
    statuses = component_statuses(site, active, now)
    return PageState(
        site=site,
        now=now,
        events=tuple(events),
        component_statuses=MappingProxyType(statuses),
        indicator=page_indicator(active, statuses),
        uptime_days=uptime_days,
    )


def component_statuses(
    site: Site, active: list[EventState], now: datetime
) -> dict[str, ComponentStatus]:
    """Each component's status: the worst that the ``active`` events give it at ``now``."""
    statuses = {c.id: ComponentStatus.OPERATIONAL for c in site.catalog.components}
    for state in active:
        for component_id, status in state.component_statuses(now).items():
            if status.severity > statuses[component_id].severity:
                statuses[component_id] = status
    return statuses


def page_indicator(active: list[EventState], statuses: Mapping[str, ComponentStatus]) -> Indicator:
    """The overall indicator, as Statuspage computes it, from the ``active`` events.

    The worst of the components' statuses and of the active incidents' impacts; when
    that is ``none`` and a maintenance is in progress, ``maintenance``.
    """
    levels = [_INDICATOR_OF_STATUS[s] for s in statuses.values()]
    levels += [
        _INDICATOR_OF_IMPACT[s.event.impact] for s in active if isinstance(s.event, Incident)
    ]
    worst = max(levels, key=_SEVERITY.index, default=Indicator.NONE)
    if worst is Indicator.NONE and any(s.is_maintenance for s in active):
        return Indicator.MAINTENANCE
    return worst
