"""statusgen's generic alert JSON, for monitoring that can send a templated webhook
(Datadog, Uptime Kuma, UptimeRobot, a script).

One alert, or a list of them::

    {"status": "firing", "labels": {"alertname": "ApiDown", "service": "api",
     "severity": "critical"}, "annotations": {"summary": "The API is down"},
     "startsAt": "2026-11-28T14:02:00Z", "endsAt": null, "fingerprint": "api-down"}

``status`` and ``labels`` are required; ``fingerprint`` should be stable for one alert
(without it, a hash of the labels is used).
"""

from __future__ import annotations

from typing import Any

from statusgen.workflow.alerts.alert import Alert, read_alert

NAME = "generic"
TITLE = "statusgen's generic alert JSON"


def recognizes(document: Any) -> bool:
    items = document if isinstance(document, list) else [document]
    return bool(items) and all(
        isinstance(item, dict) and "status" in item and "labels" in item and "alerts" not in item
        for item in items
    )


def parse(document: Any) -> list[Alert]:
    if isinstance(document, list):
        return [read_alert(item, f"[{index}]") for index, item in enumerate(document)]
    return [read_alert(document, "the alert")]
