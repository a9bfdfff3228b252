"""One monitoring alert, whatever sent it, and the checks every format shares.

Every format (Alertmanager, Grafana, the generic one) describes an alert with the same
fields: ``status`` (``firing`` or ``resolved``), ``labels``, ``annotations``,
``startsAt``, ``endsAt`` and ``fingerprint``. A payload that breaks them is an error
naming the JSON path of the field (``alerts[1].labels.severity``).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import TimestampError, format_timestamp, parse_timestamp

#: Alertmanager writes this for a time that is not set (a firing alert's end).
_ZERO_YEAR = 1


class AlertStatus(enum.StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert of a payload."""

    fingerprint: str
    """The sender's stable id of the alert (of its labels); computed from the labels
    when the payload has none."""
    status: AlertStatus
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    starts_at: datetime | None

    @property
    def name(self) -> str:
        return self.labels.get("alertname") or self.fingerprint

    def describe(self) -> str:
        """For the command's report: name, fingerprint, and since when it fires."""
        started = self.starts_at.replace(microsecond=0) if self.starts_at else None
        since = f" since {format_timestamp(started)}" if started else ""
        return f"{self.name} ({self.fingerprint}, {self.status.value}{since})"


class PayloadError(StatusgenError):
    """A payload that is not what its format says."""


def read_alert(item: object, where: str) -> Alert:
    """An alert from its JSON object (``where`` is its path in the payload).

    :raises PayloadError: for a missing or wrong field, naming it.
    """
    if not isinstance(item, dict):
        raise PayloadError(f"{where} must be an object, not {_kind(item)}")
    status_text = item.get("status")
    if status_text not in tuple(AlertStatus):
        raise PayloadError(
            f"{where}.status must be 'firing' or 'resolved', not {_shown(status_text)}"
        )
    if "labels" not in item:
        raise PayloadError(f"{where}.labels is missing: an alert is known by its labels")
    labels = strings(item["labels"], f"{where}.labels")
    annotations = strings(item.get("annotations") or {}, f"{where}.annotations")
    fingerprint = item.get("fingerprint")
    if fingerprint is None or fingerprint == "":
        fingerprint = labels_fingerprint(labels)
    elif not isinstance(fingerprint, str):
        raise PayloadError(f"{where}.fingerprint must be text, not {_kind(fingerprint)}")
    starts_at = moment(item.get("startsAt"), f"{where}.startsAt")
    moment(item.get("endsAt"), f"{where}.endsAt")  # checked: a broken payload is refused
    return Alert(
        fingerprint=fingerprint.strip(),
        status=AlertStatus(status_text),
        labels=MappingProxyType(labels),
        annotations=MappingProxyType(annotations),
        starts_at=starts_at,
    )


def strings(value: object, where: str) -> dict[str, str]:
    """A JSON object of strings (labels, annotations).

    :raises PayloadError: naming the first entry that is not text.
    """
    if not isinstance(value, dict):
        raise PayloadError(f"{where} must be an object of texts, not {_kind(value)}")
    for key, text in value.items():
        if not isinstance(text, str):
            raise PayloadError(f"{where}.{key} must be text, not {_kind(text)}")
    return dict(value)


def moment(value: object, where: str) -> datetime | None:
    """An RFC 3339 time, or None when absent or Alertmanager's zero time."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{where} must be an RFC 3339 time, not {_kind(value)}")
    try:
        parsed = parse_timestamp(value)
    except TimestampError as error:
        raise PayloadError(f"{where}: {error}") from None
    return None if parsed.year == _ZERO_YEAR else parsed


def labels_fingerprint(labels: Mapping[str, str]) -> str:
    """A stable id for an alert sent without a fingerprint: a hash of its sorted labels
    (16 hexadecimal digits, as Alertmanager's)."""
    text = "\x00".join(f"{key}\x00{labels[key]}" for key in sorted(labels))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def alert_list(value: object, where: str) -> list[Alert]:
    """The alerts of a payload's ``alerts`` array.

    :raises PayloadError: when it is not a list of alerts.
    """
    if not isinstance(value, list):
        raise PayloadError(f"{where} must be a list of alerts, not {_kind(value)}")
    return [read_alert(item, f"{where}[{index}]") for index, item in enumerate(value)]


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else _shown(value)


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:39] + "…"
