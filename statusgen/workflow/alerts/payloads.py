"""A payload read: JSON, then its format recognised or checked against ``--source``."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from statusgen.workflow.alerts import alertmanager, generic, grafana
from statusgen.workflow.alerts.alert import Alert, PayloadError

#: Every format, by its ``--source`` name, in the order they are tried.
FORMATS: dict[str, ModuleType] = {f.NAME: f for f in (grafana, alertmanager, generic)}


def read_payload(data: bytes, where: str, source: str | None) -> tuple[str, list[Alert]]:
    """The format and the alerts of a payload; ``source`` is the format it must be, or
    None to recognise it.

    :raises PayloadError: for text that is not JSON, a payload of another format than
        ``source``, or one that no format describes; naming ``where`` (the file).
    """
    try:
        document: Any = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PayloadError(
            f"{where}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except json.JSONDecodeError as error:
        raise PayloadError(
            f"{where}: not JSON: line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    found = [name for name, module in FORMATS.items() if module.recognizes(document)]
    if source is not None:
        if source not in found:
            looks = (
                f": it looks like {FORMATS[found[0]].TITLE} (--source {found[0]})" if found else ""
            )
            raise PayloadError(f"{where} is not {FORMATS[source].TITLE}{looks}")
        name = source
    elif found:
        name = found[0]
    else:
        raise PayloadError(
            f"{where} is not an alert payload statusgen knows: "
            + ", ".join(f"{m.TITLE} (--source {n})" for n, m in FORMATS.items())
            + "; docs/monitoring.md describes them"
        )
    try:
        alerts: list[Alert] = FORMATS[name].parse(document)
    except PayloadError as error:
        raise PayloadError(f"{where}: {error}") from None
    return name, alerts
