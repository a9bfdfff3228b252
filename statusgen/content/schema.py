"""JSON Schemas of components.yml and of the incident frontmatter, for editors.

Built from the parser's own constants (keys, statuses, the id pattern) so that the two
cannot drift apart. They are JSON Schema draft-07, the draft every YAML language
server supports. The schemas check shape only; ``statusgen validate`` remains the
authority (it also checks references, the body and the update headings).
"""

from __future__ import annotations

from typing import Any

from statusgen.content.event_file import AFFECTED_STATUSES
from statusgen.core.ids import ID_PATTERN
from statusgen.core.model import INCIDENT_IMPACTS, EventType

DRAFT = "http://json-schema.org/draft-07/schema#"
_ID = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}
_TEXT = {"type": "string", "minLength": 1}
_AUDIENCES = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": _ID,
    "description": "Shown only to these audiences (declared in mkdocs.yml); everyone without.",
}
_TIMESTAMP = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?([Zz]|UTC|[+-]\d{2}:\d{2})$",
    "description": "A time with a zone: '2026-11-28 14:02 UTC', '…Z' or '… +02:00'.",
}


def components_schema() -> dict[str, Any]:
    """The schema of components.yml."""
    group = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name"],
        "properties": {
            "id": {**_ID, "description": "Permanent id of the group."},
            "name": {**_TEXT, "description": "Name shown on the page."},
            "description": {"type": "string"},
            "audiences": _AUDIENCES,
        },
    }
    component = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name"],
        "properties": {
            "id": {**_ID, "description": "Permanent id: the URL /components/<id>/; never reuse."},
            "name": {**_TEXT, "description": "Name shown on the page."},
            "description": {"type": "string"},
            "group": {**_ID, "description": "The id of a group declared under 'groups'."},
            "since": {
                "type": "string",
                "pattern": r"^\d{4}-\d{2}-\d{2}$",
                "description": "First day counted in uptime (YYYY-MM-DD).",
            },
            "alerts": {
                "type": ["array", "null"],
                "description": "Monitoring alerts about this component: each item is labels "
                "that must all be equal; any item matches.",
                "items": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"type": ["string", "number", "boolean"]},
                },
            },
            "audiences": _AUDIENCES,
        },
    }
    return {
        "$schema": DRAFT,
        "title": "statusgen components.yml",
        "type": "object",
        "additionalProperties": False,
        "required": ["components"],
        "properties": {
            "groups": {"type": ["array", "null"], "items": group},
            "components": {"type": "array", "minItems": 1, "items": component},
        },
    }


def incident_schema() -> dict[str, Any]:
    """The schema of the frontmatter of an incident or maintenance file."""
    statuses = [s.value for s in AFFECTED_STATUSES]
    properties: dict[str, Any] = {
        "title": {**_TEXT, "description": "Customer-facing title, plain text."},
        "type": {"enum": [t.value for t in EventType], "default": EventType.INCIDENT.value},
        "impact": {
            "enum": [i.value for i in INCIDENT_IMPACTS],
            "description": "Incidents only: none, minor, major or critical.",
        },
        "components": {
            "description": (
                "Components affected from the first update: ids, or a mapping 'id: status'; "
                "may be empty. An update heading's bracket changes them later: "
                "'## … — monitoring [api: degraded_performance, webhooks: operational]'."
            ),
            "oneOf": [
                {"type": "array", "items": _ID, "uniqueItems": True},
                {
                    "type": "object",
                    "propertyNames": _ID,
                    "additionalProperties": {"enum": statuses},
                },
            ],
        },
        "scheduled_start": {**_TIMESTAMP, "description": "Maintenance only: window start."},
        "scheduled_end": {**_TIMESTAMP, "description": "Maintenance only: window end."},
        "drill": {
            "type": "boolean",
            "description": "true: a rehearsal of the incident process, never published.",
        },
        "alerts": {
            "type": ["array", "null"],
            "items": {"type": ["string", "number"]},
            "uniqueItems": True,
            "description": "Incidents only: fingerprints of the alerts it covers "
            "(written by statusgen alert).",
        },
        "audiences": _AUDIENCES,
    }
    return {
        "$schema": DRAFT,
        "title": "statusgen incident or maintenance frontmatter",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "components"],
        "properties": properties,
        "if": {
            "properties": {"type": {"const": EventType.MAINTENANCE.value}},
            "required": ["type"],
        },
        "then": {
            "required": ["scheduled_start", "scheduled_end"],
            "allOf": [{"not": {"required": ["impact"]}}, {"not": {"required": ["alerts"]}}],
        },
        "else": {
            "required": ["impact"],
            "allOf": [
                {"not": {"required": ["scheduled_start"]}},
                {"not": {"required": ["scheduled_end"]}},
            ],
        },
    }


SCHEMAS = {"components": components_schema, "incident": incident_schema}
