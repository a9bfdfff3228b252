"""Documents shaped like Atlassian Statuspage's public API v2, from the derived state.

Field names and vocabularies follow ``STATUSPAGE-API.md``; every key is present, with
null, false or an empty list where it has no meaning for statusgen, because strict
clients fail on a missing key. Ids are statusgen's own component and incident ids.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time
from functools import cached_property
from typing import Any

from statusgen.content.config import SiteConfig
from statusgen.core.model import (
    Component,
    Group,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Update,
)
from statusgen.core.timestamps import compact_timestamp, isoformat
from statusgen.render.markup import plain_text
from statusgen.render.urls import incident_path
from statusgen.state.events import EventState
from statusgen.state.page import PageState

JSON = dict[str, Any]

#: The update statuses that set ``monitoring_at``: an incident's and a maintenance's.
_MONITORING = (IncidentStatus.MONITORING, MaintenanceStatus.VERIFYING)

#: How many incidents ``incidents.json`` lists besides the unresolved ones, as Statuspage.
RECENT_LIMIT = 50

API_PATHS = (
    "api/v2/summary.json",
    "api/v2/status.json",
    "api/v2/components.json",
    "api/v2/incidents.json",
    "api/v2/incidents/unresolved.json",
    "api/v2/scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json",
    "api/v2/scheduled-maintenances/active.json",
)


class StatuspageDocuments:
    """Builds every API document of one page state; components are built once and shared."""

    def __init__(self, state: PageState, config: SiteConfig) -> None:
        self.state = state
        self.config = config
        self._components = self._build_components()

    def document(self, path: str) -> JSON:
        """The document at ``path``, one of :data:`API_PATHS`, made alone."""
        state = self.state
        listed = self._events_document
        makers: tuple[Callable[[], JSON], ...] = (
            self.summary,
            lambda: self._page_document(status=self._status()),
            lambda: self._page_document(components=self._components),
            lambda: self._page_document(incidents=self._recent()),
            lambda: listed("incidents", state.active_incidents),
            lambda: listed("scheduled_maintenances", state.maintenances),
            lambda: listed("scheduled_maintenances", state.upcoming_maintenances),
            lambda: listed("scheduled_maintenances", state.maintenances_in_progress),
        )
        return dict(zip(API_PATHS, makers, strict=True))[path]()

    def _recent(self) -> list[JSON]:
        return [
            self.incident(e)
            for index, e in enumerate(self.state.incidents)
            if index < RECENT_LIMIT or e.is_active
        ]

    def _events_document(self, key: str, events: Iterable[EventState]) -> JSON:
        return self._page_document(**{key: [self.incident(e) for e in events]})

    def summary(self) -> JSON:
        """``summary.json``: components, unresolved incidents, upcoming and active maintenance."""
        maintenances = self.state.maintenances_in_progress + self.state.upcoming_maintenances
        return self._page_document(
            components=self._components,
            incidents=[self.incident(e) for e in self.state.active_incidents],
            scheduled_maintenances=[self.incident(e) for e in maintenances],
            status=self._status(),
        )

    def _page_document(self, **content: Any) -> JSON:
        return {"page": self.page(), **content}

    def page(self) -> JSON:
        """The ``page`` object every document starts with."""
        return {
            "id": self.config.page_id,
            "name": self.config.name,
            "url": self.config.url or "",
            "time_zone": "Etc/UTC",
            "updated_at": isoformat(self.state.updated_at),
        }

    def _status(self) -> JSON:
        return {
            "indicator": self.state.indicator.value,
            "description": self.state.description,
        }

    # Components --------------------------------------------------------------------

    def _build_components(self) -> list[JSON]:
        catalog = self.state.site.catalog
        ordered: list[Component | Group] = []
        for component in catalog.components:
            if component.group is not None:
                group = catalog.group(component.group)
                if group not in ordered:
                    ordered.append(group)
            ordered.append(component)
        ordered += [g for g in catalog.groups if g not in ordered]
        # Statuspage counts positions from 1 at the top level and again within each group.
        counters: dict[str | None, itertools.count[int]] = {}
        documents = []
        for item in ordered:
            parent = item.group if isinstance(item, Component) else None
            position = next(counters.setdefault(parent, itertools.count(1)))
            documents.append(
                self._group(item, position)
                if isinstance(item, Group)
                else self._component(item, position)
            )
        return documents

    def _component(self, component: Component, position: int) -> JSON:
        created = self._component_created_at(component)
        changes = [e.updated_at for e in self.state.events_by_component[component.id]]
        return {
            "id": component.id,
            "name": component.name,
            "status": self.state.component_statuses[component.id].value,
            "created_at": isoformat(created),
            "updated_at": isoformat(max(changes, default=created)),
            "position": position,
            "description": component.description,
            "showcase": True,
            "start_date": component.since.isoformat() if component.since else None,
            "group_id": component.group,
            "page_id": self.config.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def _group(self, group: Group, position: int) -> JSON:
        members = self.state.site.catalog.members(group.id)
        worst = self.state.worst_status(c.id for c in members)
        created = min((self._component_created_at(c) for c in members), default=self._first_time)
        changes = [e.updated_at for c in members for e in self.state.events_by_component[c.id]]
        return {
            "id": group.id,
            "name": group.name,
            "status": worst.value,
            "created_at": isoformat(created),
            "updated_at": isoformat(max(changes, default=created)),
            "position": position,
            "description": group.description,
            "showcase": False,
            "start_date": None,
            "group_id": None,
            "page_id": self.config.page_id,
            "group": True,
            "only_show_if_degraded": False,
            "components": [c.id for c in members],
        }

    def _component_created_at(self, component: Component) -> datetime:
        if component.since is not None:
            return datetime.combine(component.since, time(), tzinfo=UTC)
        return self._first_time

    @cached_property
    def _first_time(self) -> datetime:
        """The oldest time the page knows: its first published update, else ``now``.

        Kept: every component without a ``since`` reads it, and it scans every event."""
        return min((e.created_at for e in self.state.events), default=self.state.now)

    # Incidents and maintenance ---------------------------------------------------------

    def incident(self, state: EventState, *, postmortem_published: bool = True) -> JSON:
        """One incident or maintenance, as the API and subscriber webhooks publish it.

        A resolved incident with a postmortem has the status ``postmortem``, unless
        ``postmortem_published`` is false (a webhook announcing the resolution itself).
        """
        event = state.event
        status = state.status.value
        if status == IncidentStatus.RESOLVED and event.postmortem and postmortem_published:
            status = "postmortem"
        monitoring = [u.at for u in state.updates if u.status in _MONITORING]
        document: JSON = {
            "id": event.id,
            "name": event.title,
            "status": status,
            "impact": event.impact.value,
            "created_at": isoformat(state.created_at),
            "updated_at": isoformat(state.updated_at),
            "monitoring_at": isoformat(max(monitoring)) if monitoring else None,
            "resolved_at": isoformat(state.ended_at) if state.ended_at else None,
            # A maintenance's is its creation, as recorded responses show, not its window.
            "started_at": isoformat(
                state.created_at if state.is_maintenance else state.started_at or state.created_at
            ),
            "shortlink": self.config.absolute_url(incident_path(event.id)),
            "page_id": self.config.page_id,
            "incident_updates": self._updates(state),
            "components": [
                c for c in self._components if not c["group"] and c["id"] in state.joined
            ],
            "reminder_intervals": None,
        }
        if isinstance(event, Maintenance):
            document["scheduled_for"] = isoformat(event.scheduled_start)
            document["scheduled_until"] = isoformat(event.scheduled_end)
        return document

    def _updates(self, state: EventState) -> list[JSON]:
        event = state.event
        documents = []
        statuses = state.update_statuses
        for index, (update, given) in enumerate(zip(state.updates, statuses, strict=True)):
            status = given.value
            documents.append(
                {
                    "id": update_id(event.id, update),
                    "status": status,
                    "body": plain_text(update.body),
                    "incident_id": event.id,
                    "created_at": isoformat(update.at),
                    "updated_at": isoformat(update.at),
                    "display_at": isoformat(update.at),
                    "affected_components": self._affected(state, index),
                    "deliver_notifications": True,
                    "custom_tweet": None,
                    "tweet_id": None,
                }
            )
        documents.reverse()
        return documents

    def _affected(self, state: EventState, index: int) -> list[JSON] | None:
        """The component transitions an update announces, as Statuspage lists them: every
        component of the event by then, unchanged ones with equal old and new status. A
        maintenance's ``scheduled`` update changes nothing; the update that starts it, or
        the first one after its window started, carries the change, and its completion
        the return to operational."""
        names = {c.id: c.name for c in self.state.site.catalog.components}
        return [
            {
                "code": t.component_id,
                "name": names[t.component_id],
                "old_status": t.old.value,
                "new_status": t.new.value,
            }
            for t in state.transitions(index)
        ] or None


def update_id(event_id: str, update: Update) -> str:
    """A stable id for an update: its event's id and its time (unique within an event)."""
    return f"{event_id}-{compact_timestamp(update.at)}"
