"""Statuspage's public API v2 (or documents saved from it) as a draft.

Read: ``components.json`` (or the components of ``summary.json``), ``incidents.json``,
``scheduled-maintenances.json`` and ``summary.json``; at least the components and one
list of incidents must be there. An incident's component changes come from each update's
``affected_components`` (``old_status`` → ``new_status``), its body from the HTML that
Statuspage returns. Field names follow STATUSPAGE-API.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from statusgen.core.errors import one_of
from statusgen.core.model import (
    ComponentStatus,
    Impact,
    IncidentStatus,
    MaintenanceStatus,
    UpdateStatus,
)
from statusgen.core.timestamps import TimestampError, format_timestamp, parse_date, parse_timestamp
from statusgen.core.words import counted
from statusgen.workflow.importers.documents import Documents
from statusgen.workflow.importers.draft import (
    Draft,
    DraftComponent,
    DraftEvent,
    DraftGroup,
    DraftUpdate,
    SourceError,
)
from statusgen.workflow.importers.markdown import to_markdown
from statusgen.workflow.importers.sites import close
from statusgen.workflow.importers.statuspage_csv import read_csv_history

SUMMARY = "summary.json"
COMPONENTS = "components.json"
INCIDENTS = "incidents.json"
MAINTENANCES = "scheduled-maintenances.json"
DOCUMENTS = (SUMMARY, COMPONENTS, INCIDENTS, MAINTENANCES)
#: How many incidents Statuspage's ``incidents.json`` returns at most.
API_INCIDENT_LIMIT = 50

_MAINTENANCE_STATUSES = {s.value for s in MaintenanceStatus}
# 'postmortem' is what an incident becomes when its postmortem is published: no new status.
_INCIDENT_STATUS_ALIASES = {"postmortem": IncidentStatus.UPDATE}
_COMPONENT_STATUSES = [s.value for s in ComponentStatus]
_RESOLVED = (IncidentStatus.RESOLVED.value, "postmortem")

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Document:
    name: str
    where: str
    data: JSON


def read_statuspage(documents: Documents, history: Path | None = None) -> Draft:
    """Read the documents of one Statuspage page into a draft, with the older incidents
    of a CSV export (``history``) when one is given.

    :raises SourceError: when a document is missing, cut off or not Statuspage's.
    """
    found = {name: _load(documents, name) for name in DOCUMENTS}
    loaded = {name: doc for name, doc in found.items() if doc is not None}
    if not loaded:
        raise SourceError(
            f"{documents.describe()}: none of {', '.join(DOCUMENTS)} is there: this is not a "
            "Statuspage API (give the address ending in /api/v2/, or a folder of saved documents)"
        )
    component_doc = loaded.get(COMPONENTS) or loaded.get(SUMMARY)
    if component_doc is None:
        raise SourceError(
            f"{documents.where(COMPONENTS)}: missing, and there is no {SUMMARY} either: the "
            "components cannot be imported without one of them"
        )
    if INCIDENTS not in loaded and SUMMARY not in loaded:
        raise SourceError(
            f"{documents.where(INCIDENTS)}: missing, and there is no {SUMMARY} either: "
            "the incidents cannot be imported without one of them"
        )
    page = component_doc.data.get("page")
    page = page if isinstance(page, dict) else {}
    draft = Draft(
        source=f"Statuspage at {documents.describe()}",
        kind="statuspage",
        name=_text(page.get("name")),
        url=_text(page.get("url")),
    )
    reader = _Reader(draft)
    reader.components(component_doc)
    seen: set[str] = set()
    for name, key in (
        (INCIDENTS, "incidents"),
        (MAINTENANCES, "scheduled_maintenances"),
        (SUMMARY, "incidents"),
        (SUMMARY, "scheduled_maintenances"),
    ):
        if name in loaded:
            for item in _list(loaded[name], key):
                reader.event(loaded[name].where, item, seen)
    draft.events.sort(key=lambda e: (e.updates[0].at, e.key))
    _explain_limits(draft, loaded, documents, history is not None)
    if history is not None:
        before = len(draft.events)
        for item in read_csv_history(history, reader.by_name):
            reader.event(str(history), item, seen)
        draft.events.sort(key=lambda e: (e.updates[0].at, e.key))
        older = counted(len(draft.events) - before, "older incident", "older incidents")
        draft.notes.append(f"{older} from {history}")
    reader.check_statuses(component_doc)
    return draft


def _load(documents: Documents, name: str) -> _Document | None:
    data = documents.get(name)
    if data is None:
        return None
    where = documents.where(name)
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SourceError(f"{where}: not UTF-8 text, so not a Statuspage document") from None
    except json.JSONDecodeError as error:
        looks = " (it looks like an HTML page)" if data.lstrip()[:1] == b"<" else ""
        hint = (
            "the download was cut off: fetch it again"
            if error.pos >= len(data.rstrip()) - 1
            else "is it a Statuspage API document?"
        )
        raise SourceError(
            f"{where}: not valid JSON{looks} at line {error.lineno} column {error.colno} "
            f"({error.msg}): {hint}"
        ) from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("page"), dict):
        raise SourceError(
            f"{where}: not a Statuspage document (it has no 'page' object): give the page's "
            "API address, like https://status.example.com/api/v2/"
        )
    return _Document(name, where, parsed)


def _list(document: _Document, key: str) -> list[JSON]:
    value = document.data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SourceError(f"{document.where}: '{key}' must be a list of objects")
    return value


class _Reader:
    """Fills one draft; remembers the components by code."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.by_code: dict[str, DraftComponent] = {}
        self.unresolved: list[DraftEvent] = []

    @property
    def by_name(self) -> dict[str, str]:
        """Component codes by name (case-insensitive) and by code."""
        return {
            **{c.name.casefold(): code for code, c in self.by_code.items()},
            **{code.casefold(): code for code in self.by_code},
        }

    # Components ------------------------------------------------------------------------

    def components(self, document: _Document) -> None:
        items = _list(document, "components")
        groups = {item.get("id"): item for item in items if item.get("group") is True}
        for item in groups.values():
            where = f"{document.where}: group {_describe(item)}"
            self.draft.groups.append(
                DraftGroup(
                    key=_required_text(item, "id", where),
                    name=_required_text(item, "name", where),
                    description=_text(item.get("description")),
                )
            )
        for item in items:
            if item.get("group") is True:
                continue
            where = f"{document.where}: component {_describe(item)}"
            group = item.get("group_id")
            if group is not None and group not in groups:
                self.draft.notes.append(
                    f"{where}: its group '{group}' is not in the document: imported without one"
                )
                group = None
            self._add_component(item, where, group)

    def _add_component(self, item: JSON, where: str, group: str | None = None) -> DraftComponent:
        code = _required_text(item, "id", where)
        if code in self.by_code:
            return self.by_code[code]
        since = None
        if item.get("start_date"):
            try:
                since = parse_date(str(item["start_date"]))
            except TimestampError as error:
                raise SourceError(f"{where}: 'start_date': {error}") from None
        component = DraftComponent(
            key=code,
            name=_required_text(item, "name", where),
            description=_text(item.get("description")),
            group=group,
            since=since,
        )
        self.by_code[code] = component
        self.draft.components.append(component)
        return component

    def _component_of(self, entry: JSON, event: JSON, where: str) -> str | None:
        """The code of an affected component, adding one the page no longer lists."""
        code = entry.get("code") or entry.get("id")
        if not isinstance(code, str) or not code:
            return None  # old pages: {"name": "No components were affected by this update."}
        if code not in self.by_code:
            listed = next(
                (
                    c
                    for c in event.get("components") or []
                    if isinstance(c, dict) and c.get("id") == code
                ),
                {"id": code, "name": entry.get("name") or code},
            )
            self._add_component(listed, where)
            self.draft.notes.append(
                f"component '{self.by_code[code].name}' is not on the page any more: imported "
                f"from the incidents that name it"
            )
        return code

    def check_statuses(self, document: _Document) -> None:
        """Statuspage lets a component's status be set without an incident; statusgen
        derives every status from incidents, so say which ones the import cannot show."""
        explained = {
            key
            for event in self.unresolved
            for key in [*event.components, *(k for u in event.updates for k in u.changes)]
        }
        for item in _list(document, "components"):
            status = item.get("status")
            code = item.get("id")
            if item.get("group") is True or status in (None, ComponentStatus.OPERATIONAL.value):
                continue
            if code in self.by_code and code not in explained:
                self.draft.notes.append(
                    f"component '{self.by_code[code].name}' is {status} on the page, but no "
                    "open incident says so: statusgen shows it operational (open an incident "
                    "if it still applies)"
                )

    # Incidents and maintenance -----------------------------------------------------------

    def event(self, source: str, item: JSON, seen: set[str]) -> None:
        """Add one incident or maintenance of ``source`` (a document's path or URL),
        unless ``seen`` has its id already."""
        where = f"{source}: incident {_describe(item)}"
        key = _required_text(item, "id", where)
        if key in seen:
            return  # the same incident in incidents.json and in summary.json
        seen.add(key)
        maintenance = _is_maintenance(item)
        updates_data = item.get("incident_updates")
        if not isinstance(updates_data, list) or not updates_data:
            raise SourceError(f"{where}: it has no 'incident_updates'")
        raw = sorted(
            (self._update(entry, where, maintenance) for entry in updates_data),
            key=lambda pair: pair[0].at,
        )
        updates = [update for update, _ in raw]
        impact = Impact.MAINTENANCE if maintenance else _impact(item, where)
        event = DraftEvent(
            key=key,
            title=_required_text(item, "name", where),
            impact=impact,
            components={},
            updates=updates,
            postmortem=to_markdown(item["postmortem_body"])
            if isinstance(item.get("postmortem_body"), str) and item["postmortem_body"].strip()
            else None,
            old_paths=(f"incidents/{key}",),
        )
        if maintenance:
            event.scheduled_start = _time(item, "scheduled_for", where)
            event.scheduled_end = _time(item, "scheduled_until", where)
            if event.scheduled_end <= event.scheduled_start:
                raise SourceError(f"{where}: 'scheduled_until' is not after 'scheduled_for'")
        self._component_changes(event, raw, item, where)
        if not maintenance and item.get("status") in _RESOLVED:
            # Resolved without a resolving update (Statuspage allows it): end it at
            # resolved_at, so that it is not shown open.
            resolved_at = _time(item, "resolved_at", where) if item.get("resolved_at") else None
            close(event.updates, resolved_at, maintenance=False)
        self.draft.events.append(event)
        if item.get("status") not in (*_RESOLVED, MaintenanceStatus.COMPLETED.value):
            self.unresolved.append(event)

    def _update(self, entry: Any, where: str, maintenance: bool) -> tuple[DraftUpdate, list[JSON]]:
        if not isinstance(entry, dict):
            raise SourceError(f"{where}: each of 'incident_updates' must be an object")
        at_key = "display_at" if entry.get("display_at") else "created_at"
        at = _time(entry, at_key, f"{where}, update {_describe(entry)}")
        text = entry.get("status")
        status = _update_status(text, maintenance, f"{where}, update at {format_timestamp(at)}")
        body = entry.get("body")
        affected = entry.get("affected_components")
        return (
            DraftUpdate(
                at=at, status=status, body=to_markdown(body if isinstance(body, str) else "")
            ),
            [a for a in affected if isinstance(a, dict)] if isinstance(affected, list) else [],
        )

    def _component_changes(
        self, event: DraftEvent, raw: list[tuple[DraftUpdate, list[JSON]]], item: JSON, where: str
    ) -> None:
        """Each update's ``affected_components`` as FORMAT.md's component changes: what the
        first update sets goes to the frontmatter, later differences to brackets."""
        current: dict[str, ComponentStatus] = {}
        for index, (update, affected) in enumerate(raw):
            for entry in affected:
                code = self._component_of(entry, item, where)
                if code is None:
                    continue
                status = _component_status(entry.get("new_status"), f"{where}, component {code}")
                if event.is_maintenance:
                    # What the window does to it, under maintenance unless said otherwise:
                    # the update that starts the window carries it (the announcement
                    # changes nothing), and FORMAT.md has no brackets on maintenance.
                    if (
                        status is not ComponentStatus.OPERATIONAL
                        and event.components.get(code) is None
                    ):
                        event.components[code] = status
                    else:
                        event.components.setdefault(code, None)
                elif index == 0:
                    if status is not ComponentStatus.OPERATIONAL:
                        event.components[code] = status
                        current[code] = status
                elif current.get(code, ComponentStatus.OPERATIONAL) is not status and (
                    update.status is not IncidentStatus.RESOLVED
                ):
                    # FORMAT.md: a resolution sets everything back; it carries no bracket.
                    update.changes[code] = status
                    current[code] = status
        # Components the incident lists but no update changed: affected from the start, at
        # the status the page shows now if it is not operational, else as the impact implies.
        named = {*event.components, *(k for u, _ in raw for k in u.changes)}
        for listed in _listed(item):
            if not listed.get("id") or listed["id"] in named:
                continue
            code = self._add_component(listed, f"{where}, component {_describe(listed)}").key
            shown = listed.get("status")
            affected_as: ComponentStatus | None = None
            if not event.is_maintenance and shown in _COMPONENT_STATUSES:
                affected_as = ComponentStatus(shown)
            if affected_as is ComponentStatus.OPERATIONAL:
                affected_as = None
            event.components[code] = affected_as


def _explain_limits(
    draft: Draft, loaded: Mapping[str, _Document], documents: Documents, has_history: bool
) -> None:
    incidents = [e for e in draft.events if not e.is_maintenance]
    listed = len(_list(loaded[INCIDENTS], "incidents")) if INCIDENTS in loaded else 0
    if incidents:
        first = min(e.updates[0].at for e in incidents)
        draft.notes.insert(
            0,
            f"the incidents start on {first:%Y-%m-%d}",
        )
    if listed >= API_INCIDENT_LIMIT and not has_history:
        draft.notes.append(
            f"Statuspage's API returns the latest {API_INCIDENT_LIMIT} incidents: older ones "
            "were left out. Export them from the Statuspage dashboard (Incidents → Export) and "
            "import the CSV file with --csv FILE"
        )
    for name in (INCIDENTS, MAINTENANCES):
        if name in loaded:
            continue
        if SUMMARY in loaded:
            draft.notes.append(
                f"{documents.where(name)} was not there: what it lists was read from {SUMMARY}, "
                "which today's Statuspage limits to open incidents and upcoming or active "
                "maintenance"
            )
        else:
            draft.notes.append(f"{documents.where(name)} was not there: nothing was read from it")


def _listed(item: JSON) -> list[JSON]:
    """The components an incident lists (full objects in the API)."""
    listed = item.get("components")
    return [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []


def _is_maintenance(item: JSON) -> bool:
    statuses = {u.get("status") for u in item.get("incident_updates") or [] if isinstance(u, dict)}
    return (
        item.get("impact") == "maintenance"
        or item.get("scheduled_for") is not None
        or bool(statuses & _MAINTENANCE_STATUSES)
    )


def _impact(item: JSON, where: str) -> Impact:
    value = item.get("impact")
    choices = [i.value for i in Impact if i is not Impact.MAINTENANCE]
    if value not in choices:
        raise SourceError(f"{where}: 'impact' is {value!r}, not one of {one_of(choices)}")
    return Impact(value)


def _update_status(value: Any, maintenance: bool, where: str) -> UpdateStatus:
    kind: Iterable[UpdateStatus] = MaintenanceStatus if maintenance else IncidentStatus
    for status in kind:
        if status.value == value:
            return status
    if not maintenance and value in _INCIDENT_STATUS_ALIASES:
        return _INCIDENT_STATUS_ALIASES[value]
    raise SourceError(f"{where}: status {value!r} is not one of {one_of(s.value for s in kind)}")


def _component_status(value: Any, where: str) -> ComponentStatus:
    if value not in _COMPONENT_STATUSES:
        raise SourceError(f"{where}: status {value!r} is not one of {one_of(_COMPONENT_STATUSES)}")
    return ComponentStatus(value)


def _time(item: JSON, key: str, where: str) -> datetime:
    value = item.get(key)
    if not isinstance(value, str):
        raise SourceError(f"{where}: '{key}' is missing")
    try:
        return parse_timestamp(value)
    except TimestampError as error:
        raise SourceError(f"{where}: '{key}': {error}") from None


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _required_text(item: JSON, key: str, where: str) -> str:
    value = _text(item.get(key))
    if value is None:
        raise SourceError(f"{where}: '{key}' is missing or empty")
    return value


def _describe(item: JSON) -> str:
    """``'abc123' (Elevated errors)``: how a message names an item of a document."""
    code, name = item.get("id"), _text(item.get("name"))
    return (
        " ".join(
            part for part in (repr(code) if code else None, f"({name})" if name else None) if part
        )
        or "without id"
    )
