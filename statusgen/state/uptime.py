"""Daily uptime of each component over a window of UTC days.

Uptime is the share of the counted time without downtime:

* counted time is the part of the day that is inside the window, at or after the
  component's ``since`` day and before ``now``, minus the time of maintenance in
  progress on that component (planned work is announced, not an outage);
* downtime is weighted by the worst status an active incident gives the component at
  each moment (the status it actually had then, as the incident's updates changed it):
  ``major_outage`` 1, ``partial_outage`` 0.3, ``degraded_performance`` 0.

The weights are Atlassian Statuspage's, so that the figures read the same as on the
status pages customers already know: a partial outage leaves most users working, and
a slow service is degraded, not down (the day still shows its incidents).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from statusgen.core.model import Catalog, ComponentStatus
from statusgen.state.events import EventState

DOWNTIME_WEIGHT = {
    ComponentStatus.OPERATIONAL: 0.0,
    ComponentStatus.UNDER_MAINTENANCE: 0.0,
    ComponentStatus.DEGRADED_PERFORMANCE: 0.0,
    ComponentStatus.PARTIAL_OUTAGE: 0.3,
    ComponentStatus.MAJOR_OUTAGE: 1.0,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DayUptime:
    """One UTC day of one component."""

    day: date
    uptime: float | None
    """Share of the counted time without downtime; None when no time was counted."""
    counted_seconds: float
    downtime_seconds: float
    """Weighted downtime, in seconds."""
    worst_status: ComponentStatus
    """The worst status an incident gave the component that day (maintenance aside)."""
    incident_ids: tuple[str, ...]
    """Incidents that affected the component that day, in start order."""
    maintenance_ids: tuple[str, ...] = ()
    """Maintenance in progress on the component that day, in start order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentUptime:
    """A component's uptime over the window: one entry per day, oldest first."""

    days: tuple[DayUptime, ...]

    @property
    def ratio(self) -> float | None:
        """Uptime over the whole window (counted time weighted); None if nothing counted."""
        return self.ratio_of_last(len(self.days))

    def ratio_of_last(self, days: int) -> float | None:
        """Uptime over the last ``days`` days of the window; None if nothing counted."""
        shown = self.days[-days:]
        counted = sum(d.counted_seconds for d in shown)
        if counted <= 0:
            return None
        return 1.0 - sum(d.downtime_seconds for d in shown) / counted


def shown_ratio(ratio: float) -> float:
    """The uptime every output shows: floored to a hundredth of a percent, as Statuspage
    does, so that 99.999% never reads 100% and the CLI and the site agree.

    The tiny margin absorbs binary rounding (0.9997 is stored as 0.99969999…), which
    would otherwise floor one hundredth too low.
    """
    return math.floor(ratio * 10000 + 1e-9) / 10000


@dataclass(frozen=True, slots=True)
class _Interval:
    start: datetime
    end: datetime
    status: ComponentStatus
    event_id: str
    is_maintenance: bool


def window_days(now: datetime, days: int) -> list[date]:
    """The UTC days of the window ending with the day of ``now``, oldest first."""
    today = now.astimezone(UTC).date()
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def compute_uptime(
    catalog: Catalog, events: Iterable[EventState], now: datetime, days: int
) -> dict[str, ComponentUptime]:
    """The daily uptime of every component over the ``days`` days ending today."""
    window = window_days(now, days)
    window_start = _midnight(window[0])
    intervals: dict[str, list[_Interval]] = {c.id: [] for c in catalog.components}
    for state in events:
        if all(end is not None and end <= window_start for _, end in state.active_periods):
            continue
        for component_id in state.joined:
            intervals[component_id] += (
                _Interval(start, end, status, state.id, state.is_maintenance)
                for start, end, status in state.component_periods(component_id, now)
                if end > window_start
            )
    return {
        c.id: ComponentUptime(days=_days(window, intervals[c.id], now, c.since))
        for c in catalog.components
    }


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _days(
    window: list[date], intervals: Sequence[_Interval], now: datetime, since: date | None
) -> tuple[DayUptime, ...]:
    result = []
    # Intervals are few per component and window; each day looks only at those
    # overlapping it, so the cost is linear in days plus intervals.
    ordered = sorted(intervals, key=lambda i: i.start)
    for day in window:
        day_start, day_end = _midnight(day), _midnight(day + timedelta(days=1))
        counted_start = day_start
        if since is not None:
            counted_start = max(counted_start, _midnight(since))
        counted_end = min(day_end, now)
        overlapping = [i for i in ordered if i.start < day_end and i.end > day_start]
        result.append(_day(day, counted_start, counted_end, overlapping))
    return tuple(result)


def _day(day: date, start: datetime, end: datetime, intervals: list[_Interval]) -> DayUptime:
    if not intervals and end > start:
        # Most days: no event, all the counted time is up (what the general case below
        # gives for a single cut, without its sets and sorts).
        return DayUptime(
            day=day,
            uptime=1.0,
            counted_seconds=(end - start).total_seconds(),
            downtime_seconds=0.0,
            worst_status=ComponentStatus.OPERATIONAL,
            incident_ids=(),
        )
    incidents = [i for i in intervals if not i.is_maintenance]
    worst = max(
        (i.status for i in incidents), key=lambda s: s.severity, default=ComponentStatus.OPERATIONAL
    )
    incident_ids = tuple(dict.fromkeys(i.event_id for i in incidents))
    maintenance_ids = tuple(dict.fromkeys(i.event_id for i in intervals if i.is_maintenance))
    if end <= start:
        return DayUptime(
            day=day,
            uptime=None,
            counted_seconds=0.0,
            downtime_seconds=0.0,
            worst_status=worst,
            incident_ids=incident_ids,
            maintenance_ids=maintenance_ids,
        )
    cuts = sorted(
        {start, end} | {t for i in intervals for t in (i.start, i.end) if start < t < end}
    )
    counted = downtime = 0.0
    for left, right in itertools.pairwise(cuts):
        covering = [i for i in intervals if i.start <= left and i.end >= right]
        if any(i.is_maintenance for i in covering):
            continue
        seconds = (right - left).total_seconds()
        counted += seconds
        downtime += seconds * max((DOWNTIME_WEIGHT[i.status] for i in covering), default=0.0)
    return DayUptime(
        day=day,
        uptime=(1.0 - downtime / counted) if counted > 0 else None,
        counted_seconds=counted,
        downtime_seconds=downtime,
        worst_status=worst,
        incident_ids=incident_ids,
        maintenance_ids=maintenance_ids,
    )
