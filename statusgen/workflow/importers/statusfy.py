"""Statusfy as a draft: its config, ``locales/<language>.json`` and its content folder.

Systems are the ids of ``content.systems`` in ``config.yml`` (or ``config.toml``), named
in the language's locale file (``systems.items.<id>.title``); a ``config.js`` cannot be
read without running it, so the systems are then those the incidents name. The default
language's incidents are in ``content/``, another language's in ``content/<code>/``.
Each incident has ``title``, ``date``, ``severity`` (``major-outage``,
``partial-outage``, ``degraded-performance`` or ``under-maintenance``),
``affectedsystems``, ``resolved`` and, for a maintenance, ``scheduled`` and ``duration``
(minutes); its body is a general text and ``::: update <Title> | <time>`` containers.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from statusgen.core.model import ComponentStatus, Impact, IncidentStatus, MaintenanceStatus
from statusgen.core.words import counted
from statusgen.workflow.importers.draft import (
    Draft,
    DraftComponent,
    DraftEvent,
    DraftUpdate,
    SourceError,
)
from statusgen.workflow.importers.markdown import to_markdown
from statusgen.workflow.importers.sites import (
    close,
    markdown_files,
    moment,
    read_config,
    read_text,
    split_front_matter,
    status_of,
)

CONFIG_FILES = ("config.yml", "config.yaml", "config.toml")
CONTENT_DIR = "content"
SEVERITIES: dict[str, tuple[Impact, ComponentStatus]] = {
    "major-outage": (Impact.CRITICAL, ComponentStatus.MAJOR_OUTAGE),
    "partial-outage": (Impact.MAJOR, ComponentStatus.PARTIAL_OUTAGE),
    "degraded-performance": (Impact.MINOR, ComponentStatus.DEGRADED_PERFORMANCE),
    "under-maintenance": (Impact.MAINTENANCE, ComponentStatus.UNDER_MAINTENANCE),
}
_CONTAINER = re.compile(
    r"^:::[ \t]*update[ \t]+(?P<title>[^|\n]*?)[ \t]*\|[ \t]*(?P<at>[^\n]+?)[ \t]*\n"
    r"(?P<text>.*?)^:::[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def read_statusfy(root: Path, language: str | None = None) -> Draft:
    """Read the Statusfy site at ``root``, in ``language`` (default: its default locale).

    :raises SourceError: when it is not one, or a file cannot be read.
    """
    config_path, config = read_config(root, CONFIG_FILES)
    if config_path is None and not (root / "config.js").is_file():
        raise SourceError(
            f"{root}: no config.yml, config.toml or config.js: give the folder of the Statusfy site"
        )
    content = config.get("content") if isinstance(config.get("content"), dict) else {}
    assert isinstance(content, dict)
    default = str(config.get("defaultLocale") or "en")
    language = language or default
    folder = root / str(content.get("dir") or CONTENT_DIR)
    if language != default:
        folder = folder / language
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder: the incidents in '{language}' are there")
    locale = _locale(root / "locales" / f"{language}.json")
    draft = Draft(
        source=f"Statusfy site {root} ({language})",
        kind="statusfy",
        name=_text(locale.get("title") or config.get("title")),
        url=_text(config.get("baseUrl")),
    )
    items = (
        locale.get("systems", {}).get("items", {})
        if isinstance(locale.get("systems"), dict)
        else {}
    )
    systems = content.get("systems")
    if config_path is None:
        draft.notes.append(
            "config.js is not read (it is a program): systems come from the incidents"
        )
        systems = []
    elif not isinstance(systems, list):
        systems = ["api", "cdn", "dns", "site-delivery"]  # Statusfy's default
    for system in systems:
        _component(draft, str(system), items)
    prefix = "" if language == default else f"{language}/"
    for path in markdown_files(folder):
        draft.events.append(_incident(path, draft, items, prefix))
    draft.events.sort(key=lambda e: (e.updates[0].at, e.key))
    events = counted(len(draft.events), "incident or maintenance", "incidents and maintenances")
    draft.notes.insert(0, f"{events} in '{language}'")
    return draft


def _locale(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise SourceError(f"{path}: not valid JSON ({error})") from None
    return data if isinstance(data, dict) else {}


def _component(draft: Draft, key: str, items: dict[str, Any]) -> None:
    if key in draft.component_keys():
        return
    item = items.get(key) if isinstance(items.get(key), dict) else {}
    assert isinstance(item, dict)
    draft.components.append(
        DraftComponent(
            key=key,
            name=_text(item.get("title")) or key,
            description=_text(item.get("description")),
            id_from=key,  # Statusfy's system ids are readable and the same in every language
        )
    )


def _incident(path: Path, draft: Draft, items: dict[str, Any], prefix: str) -> DraftEvent:
    meta, body = split_front_matter(read_text(path), path)
    title = _text(meta.get("title"))
    if title is None:
        raise SourceError(f"{path}: 'title' is missing")
    severity = str(meta.get("severity") or "").strip().lower()
    if severity not in SEVERITIES:
        raise SourceError(
            f"{path}: severity '{meta.get('severity')}' is not one of {', '.join(SEVERITIES)}"
        )
    impact, status = SEVERITIES[severity]
    maintenance = impact is Impact.MAINTENANCE
    start = moment(meta.get("date"), f"{path}: 'date'", None)
    event = DraftEvent(
        key=str(meta.get("id") or path.stem),
        title=title,
        impact=impact,
        components={},
        updates=[],
        old_paths=(f"{prefix}incidents/{meta['id']}",) if meta.get("id") else (),
    )
    if maintenance:
        scheduled = meta.get("scheduled")
        if scheduled is None or meta.get("duration") is None:
            raise SourceError(f"{path}: a maintenance needs 'scheduled' and 'duration' (minutes)")
        event.scheduled_start = moment(scheduled, f"{path}: 'scheduled'", None)
        try:
            minutes = float(meta["duration"])
        except (TypeError, ValueError):
            raise SourceError(f"{path}: 'duration' must be a number of minutes") from None
        if minutes <= 0:
            raise SourceError(f"{path}: 'duration' must be more than 0 minutes")
        event.scheduled_end = event.scheduled_start + timedelta(minutes=minutes)
    affected = meta.get("affectedsystems") or []
    for system in affected if isinstance(affected, list) else [affected]:
        _component(draft, str(system), items)
        event.components[str(system)] = None if maintenance else status
    event.updates = _updates(body, start, maintenance, path)
    if meta.get("resolved") is True:
        modified = meta.get("modified")
        when = moment(modified, f"{path}: 'modified'", None) if modified else None
        close(event.updates, when, maintenance)
    return event


def _updates(body: str, start: datetime, maintenance: bool, path: Path) -> list[DraftUpdate]:
    first = MaintenanceStatus.SCHEDULED if maintenance else IncidentStatus.INVESTIGATING
    general = _CONTAINER.sub("", body)
    updates = [DraftUpdate(at=start, status=first, body=to_markdown(general))]
    for match in _CONTAINER.finditer(body):
        at = moment(match["at"], f"{path}: update '{match['title']}'", None)
        status = status_of(match["title"], maintenance) or (
            MaintenanceStatus.IN_PROGRESS if maintenance else IncidentStatus.UPDATE
        )
        updates.append(DraftUpdate(at=at, status=status, body=to_markdown(match["text"])))
    if not general.strip() and len(updates) > 1:
        updates.pop(0)  # only containers: the first of them opens the incident
    updates.sort(key=lambda u: u.at)
    return updates


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) if value is not None and str(value).strip() else None
