"""Prometheus Alertmanager's webhook payload, version 4.

``{"version": "4", "groupKey": …, "status": …, "receiver": …, "groupLabels": …,
"commonLabels": …, "commonAnnotations": …, "externalURL": …, "alerts": [...]}``: one
notification of a group of alerts, each with ``status``, ``labels``, ``annotations``,
``startsAt``, ``endsAt``, ``generatorURL`` and ``fingerprint``. Alertmanager sends the
whole group each time, the firing alerts and those resolved since.
"""

from __future__ import annotations

from typing import Any

from statusgen.workflow.alerts.alert import Alert, PayloadError, alert_list

NAME = "alertmanager"
TITLE = "an Alertmanager webhook (version 4)"
VERSION = "4"


def recognizes(document: Any) -> bool:
    """Alertmanager's shape: a version and a list of alerts, and none of Grafana's
    fields (Grafana's payload is Alertmanager's with ``orgId``, ``state``, …)."""
    return (
        isinstance(document, dict)
        and "version" in document
        and isinstance(document.get("alerts"), list)
        and "orgId" not in document
    )


def parse(document: dict[str, Any]) -> list[Alert]:
    if document.get("version") != VERSION:
        raise PayloadError(
            f"Alertmanager webhook version {document.get('version')!r} is not supported: "
            f"statusgen reads version {VERSION} (Alertmanager 0.x since 2017)"
        )
    return alert_list(document["alerts"], "alerts")
