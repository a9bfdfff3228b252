"""What routed alerts change in the status repository, decided before anything is written.

- Firing alerts that no active incident covers (by the fingerprints in its ``alerts:``)
  open one: status ``investigating``, each component at the worst status of the alerts
  about it, the impact following from the worst.
- Alerts of an active incident change it only when a component's status changes: a
  firing alert sets its components to its status, a resolved one sets components that
  no firing alert of the payload is about to ``operational``. When every component of the
  incident is operational again, the update is ``monitoring``: resolving stays a
  person's decision. A new firing alert that changes nothing is recorded in ``alerts:``.
- Anything else changes nothing, so a payload sent twice changes nothing the second
  time.

An incident is followed with the alerts of one payload: Alertmanager and Grafana send
the whole group (firing and recently resolved alerts) every time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from statusgen.core.model import ComponentStatus, Incident, IncidentStatus, Site
from statusgen.state.events import EventState
from statusgen.state.page import derive
from statusgen.workflow.alerts.alert import AlertStatus
from statusgen.workflow.alerts.routing import RoutedAlert


@dataclass(frozen=True, slots=True)
class Plan:
    """A change to make: a new incident (``incident`` None) or an update of one."""

    incident: Incident | None
    status: IncidentStatus
    """The status of the update to write."""
    components: Mapping[str, ComponentStatus]
    """New incident: every affected component. Update: the components that change."""
    fingerprints: tuple[str, ...]
    """The fingerprints the incident covers after the change."""
    alerts: tuple[RoutedAlert, ...] = field(default=())
    """The routed alerts behind the change (for the title and the report)."""

    @property
    def covers_new_alerts_only(self) -> bool:
        """An update that only records new fingerprints: nothing changes on the page."""
        return self.incident is not None and not self.components


def plan(site: Site, routed: Sequence[RoutedAlert], now: datetime) -> Plan | None:
    """The change the alerts call for at ``now``; None when there is none."""
    relevant = [r for r in routed if r.components]
    firing = [r for r in relevant if r.alert.status is AlertStatus.FIRING]
    incident = _covering(site, relevant, now)
    if incident is None:
        if not firing:
            return None
        return Plan(
            None, IncidentStatus.INVESTIGATING, _worst(firing), _fingerprints(firing), tuple(firing)
        )

    event = incident.event
    assert isinstance(event, Incident)
    current = _statuses(incident)
    wanted = dict.fromkeys(
        (c for r in relevant if r.alert.status is AlertStatus.RESOLVED for c in r.components),
        ComponentStatus.OPERATIONAL,
    )
    wanted.update(_worst(firing))
    changes = {
        cid: status
        for cid, status in wanted.items()
        if current.get(cid, ComponentStatus.OPERATIONAL) is not status
    }
    fingerprints = (*event.alerts, *(f for f in _fingerprints(firing) if f not in event.alerts))
    if not changes and fingerprints == event.alerts:
        return None
    after = current | changes
    if all(s is ComponentStatus.OPERATIONAL for s in after.values()):
        status = IncidentStatus.MONITORING
    elif incident.status is IncidentStatus.MONITORING:
        status = IncidentStatus.INVESTIGATING  # it was recovering, and it is not any more
    else:
        status = IncidentStatus.UPDATE
    return Plan(event, status, changes, fingerprints, tuple(relevant))


def _covering(site: Site, routed: Sequence[RoutedAlert], now: datetime) -> EventState | None:
    """The newest active incident that covers one of the alerts' fingerprints."""
    fingerprints = {r.alert.fingerprint for r in routed}
    candidates = [
        state
        for state in derive(site, now).active_incidents
        if isinstance(state.event, Incident) and fingerprints & set(state.event.alerts)
    ]
    return max(candidates, key=lambda s: s.created_at, default=None)


def _statuses(state: EventState) -> dict[str, ComponentStatus]:
    """Each component of the incident with the status its latest update gives it."""
    return {cid: state.last_status(cid) for cid in state.joined}


def _worst(routed: Sequence[RoutedAlert]) -> dict[str, ComponentStatus]:
    """Each component the alerts are about, at the worst of their statuses."""
    worst: dict[str, ComponentStatus] = {}
    for item in routed:
        for component_id in item.components:
            known = worst.get(component_id)
            if known is None or item.status.severity > known.severity:
                worst[component_id] = item.status
    return worst


def _fingerprints(routed: Sequence[RoutedAlert]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.alert.fingerprint for r in routed))
