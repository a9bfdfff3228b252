"""Older Statuspage history from a CSV file, added to what the API returned.

The API lists only the latest incidents; an export of the incident history fills in the
rest. The file has a header row and one row per update; columns are found by name
(case and spaces or underscores do not matter) and the other columns are ignored:

- ``incident_id`` (or ``id``): the incident's id, so that an incident that the API
  returned as well is kept once (the API's, which carries the component changes);
- ``name`` (or ``incident_name``, ``title``): the incident's title;
- ``impact``: ``none``, ``minor``, ``major``, ``critical`` or ``maintenance``;
- ``status``: the update's status (``investigating`` … ``resolved``, or a maintenance's);
- ``display_at`` (or ``created_at``): when the update was posted, with its zone;
- ``body``: the update's text (HTML or plain text);
- optional ``components``: the affected components' names or ids, comma-separated;
- optional ``scheduled_for`` and ``scheduled_until``: a maintenance's window.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from statusgen.core.model import Impact
from statusgen.workflow.importers.draft import SourceError
from statusgen.workflow.importers.sites import read_text

JSON = dict[str, Any]

COLUMNS: dict[str, tuple[str, ...]] = {
    "incident_id": ("incident_id", "id"),
    "name": ("name", "incident_name", "title"),
    "impact": ("impact",),
    "status": ("status", "update_status"),
    "display_at": ("display_at", "created_at", "update_created_at"),
    "body": ("body", "update_body", "message"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "components": ("components", "affected_components"),
    "scheduled_for": ("scheduled_for",),
    "scheduled_until": ("scheduled_until",),
}


def read_csv_history(path: Path, by_name: Mapping[str, str]) -> list[JSON]:
    """The incidents of the CSV file at ``path``, shaped like the API's; components are
    looked up in ``by_name`` (their codes by case-folded name or code).

    :raises SourceError: naming the file, the row and what is wrong.
    """
    rows = list(csv.reader(io.StringIO(read_text(path))))
    if not rows:
        raise SourceError(f"{path}: the file is empty (a header row is expected)")
    header = {_key(name): index for index, name in enumerate(rows[0])}
    where = _columns(header, path)
    incidents: dict[str, JSON] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        value = {name: row[i].strip() if i < len(row) else "" for name, i in where.items()}
        key = value["incident_id"]
        if not key:
            raise SourceError(f"{path}:{number}: the incident id is empty")
        if key not in incidents:
            incidents[key] = _incident(value, by_name, path, number)
        incidents[key]["incident_updates"].append(
            {"status": value["status"], "display_at": value["display_at"], "body": value["body"]}
        )
    return list(incidents.values())


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _columns(header: Mapping[str, int], path: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    missing = []
    for name, aliases in {**COLUMNS, **OPTIONAL}.items():
        index = next((header[a] for a in aliases if a in header), None)
        if index is not None:
            found[name] = index
        elif name in COLUMNS:
            missing.append(" or ".join(aliases))
    if missing:
        raise SourceError(
            f"{path}:1: no column {'; no column '.join(missing)} (the columns found are "
            f"{', '.join(sorted(header)) or 'none'}): see docs/migrating.md for the columns"
        )
    return found


def _incident(
    value: Mapping[str, str], by_name: Mapping[str, str], path: Path, number: int
) -> JSON:
    incident: JSON = {
        "id": value["incident_id"],
        "name": value["name"],
        "impact": value["impact"],
        "incident_updates": [],
        "components": [],
    }
    if value["impact"] == Impact.MAINTENANCE.value or value.get("scheduled_for"):
        incident["scheduled_for"] = value.get("scheduled_for") or None
        incident["scheduled_until"] = value.get("scheduled_until") or None
    for name in (n.strip() for n in value.get("components", "").split(",")):
        if not name:
            continue
        code = by_name.get(name.casefold())
        if code is None:
            raise SourceError(
                f"{path}:{number}: component '{name}' is not one of the page's "
                f"({', '.join(sorted(by_name)) or 'none'})"
            )
        incident["components"].append({"id": code, "name": name})
    return incident
