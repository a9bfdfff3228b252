"""Grafana alerting's webhook payload (the "Webhook" contact point).

Alertmanager's shape (``receiver``, ``status``, ``alerts``, ``groupLabels``,
``commonLabels``, ``externalURL``, ``groupKey``…) with Grafana's own fields: ``orgId``,
``title``, ``state``, ``message``, ``version`` ``"1"``, and per alert ``values``,
``valueString``, ``silenceURL``, ``dashboardURL``, ``panelURL``.
"""

from __future__ import annotations

from typing import Any

from statusgen.workflow.alerts.alert import Alert, alert_list

NAME = "grafana"
TITLE = "a Grafana alerting webhook"


def recognizes(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "orgId" in document
        and isinstance(document.get("alerts"), list)
    )


def parse(document: dict[str, Any]) -> list[Alert]:
    return alert_list(document["alerts"], "alerts")
