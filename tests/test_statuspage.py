"""Statuspage API v2 documents (statusgen.render.statuspage), checked against STATUSPAGE-API.md.

The schema below is written from STATUSPAGE-API.md, not from the code: ``required``
lists every key the reference names, because strict clients fail on a missing key.
Extra keys are allowed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import jsonschema
import pytest

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.render.context import RenderContext
from statusgen.render.outputs import render_api
from statusgen.render.statuspage import StatuspageDocuments
from statusgen.state.page import derive
from tests.conftest import RepoWriter

JSON = dict[str, Any]

# Schema ------------------------------------------------------------------------------------

COMPONENT_STATUSES = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
]
INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved", "postmortem"]
MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed"]
IMPACTS = ["none", "minor", "major", "critical"]
INDICATORS = ["none", "minor", "major", "critical", "maintenance"]
DESCRIPTIONS = [
    "All Systems Operational",
    "Minor Service Outage",
    "Partial System Outage",
    "Major Service Outage",
    "Service Under Maintenance",
]

TIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}
TIME_OR_NULL = {"anyOf": [TIME, {"type": "null"}]}
STRING = {"type": "string"}
STRING_OR_NULL = {"type": ["string", "null"]}

COMPONENT_KEYS = [
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
]
INCIDENT_KEYS = [
    "id",
    "name",
    "status",
    "impact",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "started_at",
    "shortlink",
    "page_id",
    "incident_updates",
    "components",
    "reminder_intervals",
]
UPDATE_KEYS = [
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
]

_COMPONENT_PROPERTIES = {
    "id": STRING,
    "name": STRING,
    "status": {"enum": COMPONENT_STATUSES},
    "created_at": TIME,
    "updated_at": TIME,
    "position": {"type": "integer"},
    "description": STRING_OR_NULL,
    "showcase": {"type": "boolean"},
    "start_date": {
        "anyOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}"}, {"type": "null"}]
    },
    "group_id": STRING_OR_NULL,
    "page_id": STRING,
    "group": {"type": "boolean"},
    "only_show_if_degraded": {"type": "boolean"},
}


def _update_schema(statuses: list[str]) -> JSON:
    return {
        "type": "object",
        "required": UPDATE_KEYS,
        "properties": {
            "id": STRING,
            "status": {"enum": statuses},
            "body": STRING,
            "incident_id": STRING,
            "created_at": TIME,
            "updated_at": TIME,
            "display_at": TIME,
            "affected_components": {
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "name", "old_status", "new_status"],
                            "properties": {
                                "code": STRING,
                                "name": STRING,
                                "old_status": {"enum": COMPONENT_STATUSES},
                                "new_status": {"enum": COMPONENT_STATUSES},
                            },
                        },
                    },
                ]
            },
            "deliver_notifications": {"type": "boolean"},
            "custom_tweet": STRING_OR_NULL,
            "tweet_id": STRING_OR_NULL,
        },
    }


def _incident_schema(statuses: list[str], impacts: list[str], updates: list[str]) -> JSON:
    return {
        "type": "object",
        "required": INCIDENT_KEYS,
        "properties": {
            "id": STRING,
            "name": STRING,
            "status": {"enum": statuses},
            "impact": {"enum": impacts},
            "created_at": TIME,
            "updated_at": TIME,
            "monitoring_at": TIME_OR_NULL,
            "resolved_at": TIME_OR_NULL,
            "started_at": TIME,
            "shortlink": STRING,
            "page_id": STRING,
            "incident_updates": {"type": "array", "items": _update_schema(updates)},
            "components": {"type": "array", "items": {"$ref": "#/$defs/component"}},
            "reminder_intervals": {"type": "null"},
        },
    }


_MAINTENANCE = _incident_schema(MAINTENANCE_STATUSES, ["maintenance"], MAINTENANCE_STATUSES)
_MAINTENANCE["required"] = [*INCIDENT_KEYS, "scheduled_for", "scheduled_until"]
_MAINTENANCE["properties"] |= {"scheduled_for": TIME, "scheduled_until": TIME}

DEFS: JSON = {
    "page": {
        "type": "object",
        "required": ["id", "name", "url", "time_zone", "updated_at"],
        "properties": {
            "id": STRING,
            "name": STRING,
            "url": STRING,
            "time_zone": STRING,
            "updated_at": TIME,
        },
    },
    "component": {
        "type": "object",
        "required": COMPONENT_KEYS,
        "properties": {**_COMPONENT_PROPERTIES, "group": {"const": False}},
    },
    "group_component": {
        "type": "object",
        "required": [*COMPONENT_KEYS, "components"],
        "properties": {
            **_COMPONENT_PROPERTIES,
            "group": {"const": True},
            "components": {"type": "array", "items": STRING},
        },
    },
    "any_component": {
        "oneOf": [{"$ref": "#/$defs/component"}, {"$ref": "#/$defs/group_component"}]
    },
    "status": {
        "type": "object",
        "required": ["indicator", "description"],
        "properties": {"indicator": {"enum": INDICATORS}, "description": {"enum": DESCRIPTIONS}},
    },
    "incident": _incident_schema(INCIDENT_STATUSES, IMPACTS, INCIDENT_STATUSES),
    "maintenance": _MAINTENANCE,
}


def _document(**members: JSON) -> JSON:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": DEFS,
        "type": "object",
        "required": ["page", *members],
        "properties": {"page": {"$ref": "#/$defs/page"}, **members},
    }


_COMPONENTS = {"type": "array", "items": {"$ref": "#/$defs/any_component"}}
_INCIDENTS = {"type": "array", "items": {"$ref": "#/$defs/incident"}}
_MAINTENANCES = {"type": "array", "items": {"$ref": "#/$defs/maintenance"}}
_STATUS = {"$ref": "#/$defs/status"}

SCHEMAS: dict[str, JSON] = {
    "api/v2/summary.json": _document(
        components=_COMPONENTS,
        incidents=_INCIDENTS,
        scheduled_maintenances=_MAINTENANCES,
        status=_STATUS,
    ),
    "api/v2/status.json": _document(status=_STATUS),
    "api/v2/components.json": _document(components=_COMPONENTS),
    "api/v2/incidents.json": _document(incidents=_INCIDENTS),
    "api/v2/incidents/unresolved.json": _document(incidents=_INCIDENTS),
    "api/v2/scheduled-maintenances.json": _document(scheduled_maintenances=_MAINTENANCES),
    "api/v2/scheduled-maintenances/upcoming.json": _document(scheduled_maintenances=_MAINTENANCES),
    "api/v2/scheduled-maintenances/active.json": _document(scheduled_maintenances=_MAINTENANCES),
}

# A repository with every kind of event ------------------------------------------------------

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SITE_URL = "https://status.example.com/"

FILES: dict[str, str | bytes] = {
    "2026/2026-11-20-db-outage.md": """
        ---
        title: Database outage
        impact: critical
        components: [api, webhooks]
        ---

        ## 2026-11-20 10:00 UTC — resolved
        All good.

        ## 2026-11-20 09:00 UTC — monitoring
        Fix deployed.

        ## 2026-11-20 08:30 UTC — identified
        Disk full.

        ## 2026-11-20 08:00 UTC — investigating
        Looking.

        # Postmortem
        The disk filled up.
        """,
    "2026-11-27-dashboard.md": """
        ---
        title: Slow dashboard
        impact: minor
        components:
          dashboard: degraded_performance
        ---

        ## 2026-11-27 18:00 UTC — update
        A note after the fact.

        ## 2026-11-27 09:00 UTC — resolved
        Fast again.

        ## 2026-11-27 08:00 UTC — investigating
        Slow pages.
        """,
    "2026-11-28-api-errors.md": """
        ---
        title: Elevated API errors
        impact: major
        components:
          api: partial_outage
          webhooks: degraded_performance
        ---

        ## 2026-11-28 15:00 UTC — resolved
        Not published yet at noon.

        ## 2026-11-28 11:30 UTC — monitoring
        Watching.

        ## 2026-11-28 11:00 UTC — update
        Still on it.

        ## 2026-11-28 10:30 UTC — identified
        Found it.

        ## 2026-11-28 10:00 UTC — investigating
        Errors.
        """,
    "2026-11-28-later.md": """
        ---
        title: Not happened yet
        impact: minor
        components: [dashboard]
        ---

        ## 2026-11-28 13:00 UTC — investigating
        In the future of NOW.
        """,
    "2026-11-21-network.md": """
        ---
        title: Network maintenance
        type: maintenance
        scheduled_start: 2026-11-21 02:00 UTC
        scheduled_end: 2026-11-21 04:00 UTC
        components: [api]
        ---

        ## 2026-11-21 03:30 UTC — completed
        Done.

        ## 2026-11-21 02:00 UTC — in_progress
        Started.

        ## 2026-11-18 09:00 UTC — scheduled
        Announced.
        """,
    "2026-11-28-cdn.md": """
        ---
        title: CDN migration
        type: maintenance
        scheduled_start: 2026-11-28 11:00 UTC
        scheduled_end: 2026-11-28 13:00 UTC
        components: [website]
        ---

        ## 2026-11-22 09:00 UTC — scheduled
        Announced.
        """,
    "2026-12-05-db-upgrade.md": """
        ---
        title: Database upgrade
        type: maintenance
        scheduled_start: 2026-12-05 02:00 UTC
        scheduled_end: 2026-12-05 04:00 UTC
        components: [api, webhooks]
        ---

        ## 2026-11-24 09:00 UTC — scheduled
        Announced first, happens last.
        """,
    "2026-11-30-certs.md": """
        ---
        title: Certificate rotation
        type: maintenance
        scheduled_start: 2026-11-30 02:00 UTC
        scheduled_end: 2026-11-30 03:00 UTC
        components: [dashboard]
        ---

        ## 2026-11-26 09:00 UTC — scheduled
        Announced last, happens first.
        """,
}

INCIDENT_IDS_NEWEST_FIRST = [
    "2026-11-28-api-errors",
    "2026-11-27-dashboard",
    "2026-11-20-db-outage",
]
MAINTENANCE_IDS = {
    "2026-11-21-network",
    "2026-11-28-cdn",
    "2026-12-05-db-upgrade",
    "2026-11-30-certs",
}


def build(make_repo: RepoWriter, files: dict[str, str | bytes], now: datetime) -> dict[str, JSON]:
    """Every API document as a build publishes it (``render_api``), read back."""
    root = make_repo(files)
    context = RenderContext(derive(load_site(root), now), read_site_config(root))
    return {path: json.loads(data) for path, data in render_api(context).items()}


@pytest.fixture
def documents(make_repo: RepoWriter) -> dict[str, JSON]:
    return build(make_repo, FILES, NOW)


def by_id(items: list[JSON]) -> dict[str, JSON]:
    result = {item["id"]: item for item in items}
    assert len(result) == len(items), "duplicate ids"
    return result


def all_events(documents: dict[str, JSON]) -> Iterator[JSON]:
    """Every incident and maintenance object of every document."""
    for document in documents.values():
        yield from document.get("incidents", [])
        yield from document.get("scheduled_maintenances", [])


# Shape -------------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", SCHEMAS.values(), ids=list(SCHEMAS))
def test_schema_is_valid(schema: JSON) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_api_path_is_built(documents: dict[str, JSON]) -> None:
    assert set(documents) == set(SCHEMAS)


@pytest.mark.parametrize("path", list(SCHEMAS))
def test_document_matches_the_reference_schema(documents: dict[str, JSON], path: str) -> None:
    jsonschema.Draft202012Validator(SCHEMAS[path]).validate(documents[path])


@pytest.mark.parametrize("path", list(SCHEMAS))
def test_documents_of_an_empty_site_match_the_schema(make_repo: RepoWriter, path: str) -> None:
    documents = build(make_repo, {}, NOW)

    jsonschema.Draft202012Validator(SCHEMAS[path]).validate(documents[path])


def test_schema_rejects_a_missing_key(documents: dict[str, JSON]) -> None:
    """The schema can fail: drop one required key of an incident update."""
    summary = json.loads(json.dumps(documents["api/v2/summary.json"]))
    del summary["incidents"][0]["incident_updates"][0]["tweet_id"]

    with pytest.raises(jsonschema.ValidationError, match="tweet_id"):
        jsonschema.Draft202012Validator(SCHEMAS["api/v2/summary.json"]).validate(summary)


def test_summary_is_the_published_summary(make_repo: RepoWriter) -> None:
    root = make_repo(FILES)
    context = RenderContext(derive(load_site(root), NOW), read_site_config(root))
    summary = StatuspageDocuments(context.state, context.config).summary()  # statusgen status

    assert summary == json.loads(render_api(context)["api/v2/summary.json"])


def test_all_times_are_iso_8601_with_an_offset(documents: dict[str, JSON]) -> None:
    time_keys = {
        "created_at",
        "updated_at",
        "monitoring_at",
        "resolved_at",
        "started_at",
        "display_at",
        "scheduled_for",
        "scheduled_until",
    }
    seen = 0

    def walk(value: object) -> None:
        nonlocal seen
        if isinstance(value, dict):
            for key, item in value.items():
                if key in time_keys and item is not None:
                    moment = datetime.fromisoformat(item)
                    assert moment.utcoffset() is not None, (key, item)
                    seen += 1
                elif key == "start_date" and item is not None:
                    date.fromisoformat(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(documents)
    assert seen > 100


def test_documents_are_deterministic(make_repo: RepoWriter) -> None:
    first = build(make_repo, FILES, NOW)
    second = build(make_repo, FILES, NOW)

    assert json.dumps(first) == json.dumps(second)
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)


# Page and status ---------------------------------------------------------------------------


def test_page(documents: dict[str, JSON]) -> None:
    for document in documents.values():
        page = document["page"]
        assert page["name"] == "Example Status"
        assert page["url"] == SITE_URL
        assert page["updated_at"] == "2026-11-28T11:30:00Z"  # newest published update


def test_status(documents: dict[str, JSON]) -> None:
    # api partial_outage → major; webhooks degraded → minor; website under maintenance.
    expected = {"indicator": "major", "description": "Partial System Outage"}
    assert documents["api/v2/status.json"]["status"] == expected
    assert documents["api/v2/summary.json"]["status"] == expected


@pytest.mark.parametrize(
    ("files", "indicator", "description"),
    [
        pytest.param({}, "none", "All Systems Operational", id="none"),
        pytest.param(
            {"m.md": FILES["2026-11-28-cdn.md"]},
            "maintenance",
            "Service Under Maintenance",
            id="maintenance",
        ),
        pytest.param(
            {"i.md": FILES["2026-11-28-later.md"]}, "none", "All Systems Operational", id="future"
        ),
    ],
)
def test_status_indicators(
    make_repo: RepoWriter, files: dict[str, str | bytes], indicator: str, description: str
) -> None:
    status = build(make_repo, files, NOW)["api/v2/status.json"]["status"]

    assert status == {"indicator": indicator, "description": description}


# Components --------------------------------------------------------------------------------


def test_components_use_our_ids_and_statuses(documents: dict[str, JSON]) -> None:
    components = by_id(documents["api/v2/components.json"]["components"])

    assert set(components) == {"platform", "api", "webhooks", "dashboard", "website"}
    assert {cid: c["status"] for cid, c in components.items() if not c["group"]} == {
        "api": "partial_outage",
        "webhooks": "degraded_performance",
        "dashboard": "operational",
        "website": "under_maintenance",
    }
    assert components["website"]["start_date"] == "2026-11-01"
    assert components["api"]["description"] == "Public REST API"
    assert components["dashboard"]["description"] is None


def test_group_is_a_component_with_member_ids(documents: dict[str, JSON]) -> None:
    components = by_id(documents["api/v2/components.json"]["components"])

    group = components["platform"]
    assert group["group"] is True
    assert group["name"] == "Platform"
    assert group["components"] == ["api", "webhooks"]
    assert group["group_id"] is None
    for member in ("api", "webhooks"):
        assert components[member]["group_id"] == "platform"
        assert components[member]["group"] is False
    for loner in ("dashboard", "website"):
        assert components[loner]["group_id"] is None
        assert components[loner]["group"] is False


def test_component_positions_count_from_1_at_the_top_and_within_each_group(
    documents: dict[str, JSON],
) -> None:
    """As Statuspage (Huobi's recorded summary: its first grouped component is 1)."""
    components = documents["api/v2/components.json"]["components"]
    positions = [(c["group_id"], c["id"], c["position"]) for c in components]

    assert positions == [
        (None, "platform", 1),
        ("platform", "api", 1),
        ("platform", "webhooks", 2),
        (None, "dashboard", 2),
        (None, "website", 3),
    ]


def test_summary_and_components_list_the_same_components(documents: dict[str, JSON]) -> None:
    assert (
        documents["api/v2/summary.json"]["components"]
        == documents["api/v2/components.json"]["components"]
    )


# Incidents ---------------------------------------------------------------------------------


def test_incidents_are_ours_and_newest_first(documents: dict[str, JSON]) -> None:
    incidents = documents["api/v2/incidents.json"]["incidents"]

    assert [i["id"] for i in incidents] == INCIDENT_IDS_NEWEST_FIRST
    created = [datetime.fromisoformat(i["created_at"]) for i in incidents]
    assert created == sorted(created, reverse=True)


def test_incident_fields(documents: dict[str, JSON]) -> None:
    incidents = by_id(documents["api/v2/incidents.json"]["incidents"])

    ongoing = incidents["2026-11-28-api-errors"]
    assert ongoing["name"] == "Elevated API errors"
    assert ongoing["status"] == "monitoring"  # the 15:00 resolution is after now
    assert ongoing["impact"] == "major"
    assert ongoing["created_at"] == "2026-11-28T10:00:00Z"
    assert ongoing["started_at"] == "2026-11-28T10:00:00Z"
    assert ongoing["updated_at"] == "2026-11-28T11:30:00Z"
    assert ongoing["monitoring_at"] == "2026-11-28T11:30:00Z"
    assert ongoing["resolved_at"] is None

    with_postmortem = incidents["2026-11-20-db-outage"]
    assert with_postmortem["status"] == "postmortem"
    assert with_postmortem["impact"] == "critical"
    assert with_postmortem["resolved_at"] == "2026-11-20T10:00:00Z"
    assert with_postmortem["monitoring_at"] == "2026-11-20T09:00:00Z"

    resolved = incidents["2026-11-27-dashboard"]
    assert resolved["status"] == "resolved"
    assert resolved["impact"] == "minor"
    assert resolved["resolved_at"] == "2026-11-27T09:00:00Z"
    assert resolved["updated_at"] == "2026-11-27T18:00:00Z"


def test_incident_components_are_full_component_objects(documents: dict[str, JSON]) -> None:
    components = by_id(documents["api/v2/components.json"]["components"])
    incidents = by_id(documents["api/v2/incidents.json"]["incidents"])

    affected = incidents["2026-11-28-api-errors"]["components"]
    assert affected == [components["api"], components["webhooks"]]
    assert incidents["2026-11-27-dashboard"]["components"] == [components["dashboard"]]


def test_incident_updates_are_newest_first_and_published_only(documents: dict[str, JSON]) -> None:
    incidents = by_id(documents["api/v2/incidents.json"]["incidents"])
    updates = incidents["2026-11-28-api-errors"]["incident_updates"]

    assert [u["created_at"] for u in updates] == [
        "2026-11-28T11:30:00Z",
        "2026-11-28T11:00:00Z",
        "2026-11-28T10:30:00Z",
        "2026-11-28T10:00:00Z",
    ]
    # 'update' is not a Statuspage status: it is published with the status it follows.
    assert [u["status"] for u in updates] == [
        "monitoring",
        "identified",
        "identified",
        "investigating",
    ]
    assert [u["body"] for u in updates] == ["Watching.", "Still on it.", "Found it.", "Errors."]
    assert all(u["incident_id"] == "2026-11-28-api-errors" for u in updates)


def test_update_ids_are_unique(documents: dict[str, JSON]) -> None:
    ids = [u["id"] for event in all_events(documents) for u in event["incident_updates"]]
    unique_updates = {
        (event["id"], u["created_at"])
        for event in all_events(documents)
        for u in event["incident_updates"]
    }
    assert len(set(ids)) == len(unique_updates)


def test_events_after_now_are_not_published(documents: dict[str, JSON]) -> None:
    ids = {event["id"] for event in all_events(documents)}

    assert "2026-11-28-later" not in ids
    assert "Not published yet at noon." not in json.dumps(documents)


def test_shortlink_is_the_incident_page(documents: dict[str, JSON]) -> None:
    events = list(all_events(documents))
    assert events

    for event in events:
        assert event["shortlink"] == f"{SITE_URL}incidents/{event['id']}/"


def test_unresolved_lists_only_active_incidents(documents: dict[str, JSON]) -> None:
    unresolved = documents["api/v2/incidents/unresolved.json"]["incidents"]

    assert [i["id"] for i in unresolved] == ["2026-11-28-api-errors"]


# Maintenance -------------------------------------------------------------------------------


def test_scheduled_maintenances_lists_every_maintenance(documents: dict[str, JSON]) -> None:
    maintenances = by_id(documents["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"])

    assert set(maintenances) == MAINTENANCE_IDS
    assert {mid: m["status"] for mid, m in maintenances.items()} == {
        "2026-11-21-network": "completed",
        "2026-11-28-cdn": "in_progress",
        "2026-12-05-db-upgrade": "scheduled",
        "2026-11-30-certs": "scheduled",
    }
    assert all(m["impact"] == "maintenance" for m in maintenances.values())
    network = maintenances["2026-11-21-network"]
    assert network["scheduled_for"] == "2026-11-21T02:00:00Z"
    assert network["scheduled_until"] == "2026-11-21T04:00:00Z"
    assert network["resolved_at"] == "2026-11-21T03:30:00Z"
    cdn = maintenances["2026-11-28-cdn"]
    # As recorded responses show (Huobi's upcoming maintenance): its creation, not its window.
    assert cdn["started_at"] == "2026-11-22T09:00:00Z"
    assert cdn["resolved_at"] is None


def test_maintenance_lists_do_not_hold_incidents(documents: dict[str, JSON]) -> None:
    for path, document in documents.items():
        for maintenance in document.get("scheduled_maintenances", []):
            assert maintenance["id"] in MAINTENANCE_IDS, path
        for incident in document.get("incidents", []):
            assert incident["id"] not in MAINTENANCE_IDS, path


def test_upcoming_and_active_maintenances(documents: dict[str, JSON]) -> None:
    upcoming = documents["api/v2/scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]
    active = documents["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"]

    assert {m["id"] for m in upcoming} == {"2026-11-30-certs", "2026-12-05-db-upgrade"}
    assert all(m["status"] == "scheduled" for m in upcoming)
    assert [m["id"] for m in active] == ["2026-11-28-cdn"]


def test_summary_holds_only_unresolved_incidents_and_current_maintenances(
    documents: dict[str, JSON],
) -> None:
    summary = documents["api/v2/summary.json"]

    assert [i["id"] for i in summary["incidents"]] == ["2026-11-28-api-errors"]
    assert all(i["status"] not in ("resolved", "postmortem") for i in summary["incidents"])
    maintenances = summary["scheduled_maintenances"]
    assert {m["id"] for m in maintenances} == {
        "2026-11-28-cdn",
        "2026-11-30-certs",
        "2026-12-05-db-upgrade",
    }
    assert all(m["status"] != "completed" for m in maintenances)


def test_summary_of_a_quiet_site(make_repo: RepoWriter) -> None:
    files = {"old.md": FILES["2026-11-27-dashboard.md"], "done.md": FILES["2026-11-21-network.md"]}
    summary = build(make_repo, files, NOW)["api/v2/summary.json"]

    assert summary["incidents"] == []
    assert summary["scheduled_maintenances"] == []
    assert summary["status"] == {"indicator": "none", "description": "All Systems Operational"}


# Component transitions as recorded responses show them ------------------------------------


def transitions(event: JSON) -> list[tuple[str, list[tuple[str, str, str]] | None]]:
    """Each update, oldest first, with its (code, old, new) list."""
    return [
        (
            u["status"],
            None
            if u["affected_components"] is None
            else [(a["code"], a["old_status"], a["new_status"]) for a in u["affected_components"]],
        )
        for u in reversed(event["incident_updates"])
    ]


def one_event(make_repo: RepoWriter, text: str, now: datetime) -> JSON:
    documents = build(make_repo, {"event.md": text}, now)
    incidents: list[JSON] = documents["api/v2/incidents.json"]["incidents"]
    maintenances: list[JSON] = documents["api/v2/scheduled-maintenances.json"][
        "scheduled_maintenances"
    ]
    (event,) = incidents + maintenances
    return event


def test_a_maintenance_changes_components_when_it_starts_not_when_announced(
    make_repo: RepoWriter,
) -> None:
    """Like Huobi's recorded upcoming maintenance: the scheduled update lists its component
    unchanged; the start carries the change, the verification sets monitoring_at, the
    completion the return."""
    text = """
        ---
        title: Network maintenance
        type: maintenance
        scheduled_start: 2026-11-21 02:00 UTC
        scheduled_end: 2026-11-21 04:00 UTC
        components: [api]
        ---

        ## 2026-11-21 03:30 UTC — completed
        Done.

        ## 2026-11-21 03:00 UTC — verifying
        Checking.

        ## 2026-11-21 02:00 UTC — in_progress
        Started.

        ## 2026-11-18 09:00 UTC — scheduled
        Announced.
        """
    event = one_event(make_repo, text, datetime(2026, 11, 22, tzinfo=UTC))
    assert transitions(event) == [
        ("scheduled", [("api", "operational", "operational")]),
        ("in_progress", [("api", "operational", "under_maintenance")]),
        ("verifying", [("api", "under_maintenance", "under_maintenance")]),
        ("completed", [("api", "under_maintenance", "operational")]),
    ]
    assert event["monitoring_at"] == "2026-11-21T03:00:00Z"
    assert event["started_at"] == event["created_at"] == "2026-11-18T09:00:00Z"
    assert event["reminder_intervals"] is None


def test_a_maintenance_started_by_its_window_changes_at_the_next_update(
    make_repo: RepoWriter,
) -> None:
    """No update starts it: the completion is the first to say what the window changed."""
    text = """
        ---
        title: Network maintenance
        type: maintenance
        scheduled_start: 2026-11-21 02:00 UTC
        scheduled_end: 2026-11-21 04:00 UTC
        components: [api]
        ---

        ## 2026-11-21 03:30 UTC — completed
        Done.

        ## 2026-11-18 09:00 UTC — scheduled
        Announced.
        """
    event = one_event(make_repo, text, datetime(2026, 11, 22, tzinfo=UTC))
    assert transitions(event) == [
        ("scheduled", [("api", "operational", "operational")]),
        ("completed", [("api", "under_maintenance", "operational")]),
    ]
    assert event["monitoring_at"] is None


def test_a_reopening_and_its_resolution_carry_their_changes(make_repo: RepoWriter) -> None:
    text = """
        ---
        title: API errors
        impact: major
        components:
          api: partial_outage
        ---

        ## 2026-11-20 12:00 UTC — resolved
        Fixed again.

        ## 2026-11-20 11:00 UTC — investigating [api: major_outage]
        It is back, worse.

        ## 2026-11-20 10:00 UTC — resolved
        Fixed.

        ## 2026-11-20 09:00 UTC — investigating
        Errors.
        """
    event = one_event(make_repo, text, datetime(2026, 11, 21, tzinfo=UTC))
    assert transitions(event) == [
        ("investigating", [("api", "operational", "partial_outage")]),
        ("resolved", [("api", "partial_outage", "operational")]),
        ("investigating", [("api", "operational", "major_outage")]),
        ("resolved", [("api", "major_outage", "operational")]),
    ]


def test_a_notice_announces_what_its_page_shows(make_repo: RepoWriter) -> None:
    """``impact: none`` with listed components: FORMAT.md gives them degraded_performance,
    the page shows it, and the API announces the same, never more (docs/api.md)."""
    text = """
        ---
        title: Changes to the API's rate limits
        impact: none
        components: [api]
        ---

        ## 2026-11-20 12:00 UTC — resolved
        Done.

        ## 2026-11-20 09:00 UTC — investigating
        Rate limits change today.
        """
    during = datetime(2026, 11, 20, 10, tzinfo=UTC)
    event = one_event(make_repo, text, datetime(2026, 11, 21, tzinfo=UTC))
    assert event["impact"] == "none"
    assert transitions(event) == [
        ("investigating", [("api", "operational", "degraded_performance")]),
        ("resolved", [("api", "degraded_performance", "operational")]),
    ]
    summary = build(make_repo, {"event.md": text}, during)["api/v2/summary.json"]
    api = next(c for c in summary["components"] if c["id"] == "api")
    assert api["status"] == "degraded_performance"
