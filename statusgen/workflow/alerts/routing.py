"""Alerts routed to components, and their severity turned into a component status.

An alert is about a component when its labels include every label of one of the
component's ``alerts`` matchers (components.yml), with the same values. Its ``severity``
label (case-insensitive) gives the status through ``alert_severities`` (plugin option;
by default ``critical`` → major outage, ``warning`` → degraded performance); an alert
without a severity, or with one that is not mapped, gets the mildest mapped status and
the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from statusgen.core.model import Catalog, ComponentStatus
from statusgen.workflow.alerts.alert import Alert

SEVERITY_LABEL = "severity"


@dataclass(frozen=True, slots=True)
class RoutedAlert:
    alert: Alert
    components: tuple[str, ...]
    """The ids of the components it is about, in display order; empty when none."""
    status: ComponentStatus
    """What it does to those components while it fires."""
    severity_known: bool
    """False when its severity is missing or not mapped (the mildest status is used)."""


def route(
    alerts: Sequence[Alert], catalog: Catalog, severities: Mapping[str, ComponentStatus]
) -> list[RoutedAlert]:
    """Each alert with its components and status, in the payload's order."""
    mildest = min(severities.values(), key=lambda s: s.severity)
    routed = []
    for alert in alerts:
        components = tuple(
            c.id for c in catalog.components if any(_matches(alert, m) for m in c.alerts)
        )
        severity = alert.labels.get(SEVERITY_LABEL, "").strip().lower()
        status = severities.get(severity)
        routed.append(RoutedAlert(alert, components, status or mildest, status is not None))
    return routed


def _matches(alert: Alert, matcher: Mapping[str, str]) -> bool:
    return all(alert.labels.get(label) == value for label, value in matcher.items())
