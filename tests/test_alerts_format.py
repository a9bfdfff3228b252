"""FORMAT.md v2's ``alerts``: the matchers of components.yml and the incident frontmatter
key, with every error on its line, and the JSON Schemas that editors read."""

from __future__ import annotations

import textwrap

import jsonschema
import pytest
import yaml

from statusgen.content.components_file import parse_components
from statusgen.content.loader import read_site
from statusgen.content.schema import components_schema, incident_schema
from statusgen.core.errors import ContentError, ErrorLog
from statusgen.core.model import Incident
from tests.conftest import RepoWriter

INCIDENT = """\
---
title: API errors
impact: major
components: [api]
{alerts}
---

## 2026-11-30 10:00 UTC — investigating
We see errors.
"""


def components(text: str) -> tuple[object, list[ContentError]]:
    log = ErrorLog("components.yml")
    catalog = parse_components(textwrap.dedent(text).lstrip("\n"), log)
    return catalog, log.errors


def test_matchers_are_read_in_order_as_text() -> None:
    catalog, errors = components(
        """
        components:
          - id: api
            name: API
            alerts:
              - {service: api}
              - job: api-gateway
                env: production
                port: 8080
          - id: dashboard
            name: Dashboard
        """
    )
    assert errors == []
    api, dashboard = catalog.components  # type: ignore[attr-defined]
    assert [dict(m) for m in api.alerts] == [
        {"service": "api"},
        {"job": "api-gateway", "env": "production", "port": "8080"},
    ]
    assert dashboard.alerts == ()


@pytest.mark.parametrize(
    ("alerts", "line", "fragment"),
    [
        ("alerts: {service: api}", 4, "'alerts' must be a list of label mappings like"),
        ("alerts: [api]", 4, "each item of 'alerts' must be a mapping of labels like"),
        ("alerts: [{}]", 4, "an empty item of 'alerts' would match every alert"),
        (
            "alerts:\n      - {service: [api, web]}",
            5,
            "the label 'service' must be a string, not a list",
        ),
        ("alerts:\n      - {service: {name: api}}", 5, "the label 'service' must be a string"),
        ("alerts:\n      - {service: }", 5, "the label 'service' must be a string, not empty"),
        ("alerts:\n      - {service: api, service: web}", 5, "duplicate key 'service'"),
        ("alert: [{service: api}]", 4, "unknown key 'alert' (did you mean 'alerts'?)"),
    ],
)
def test_a_bad_matcher_is_an_error_on_its_line(alerts: str, line: int, fragment: str) -> None:
    text = f"components:\n  - id: api\n    name: API\n    {alerts}\n"
    log = ErrorLog("components.yml")
    assert parse_components(text, log) is None
    assert any(e.line == line and fragment in e.message for e in log.errors), log.errors


def test_the_frontmatter_lists_the_fingerprints(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": INCIDENT.format(alerts="alerts: [c6eadffa33fcdf37, 1234]")})
    site, errors = read_site(root)
    assert errors == []
    assert site is not None
    (incident,) = site.events
    assert isinstance(incident, Incident)
    assert incident.alerts == ("c6eadffa33fcdf37", "1234")


def test_an_incident_without_alerts_covers_none(make_repo: RepoWriter) -> None:
    site, errors = read_site(make_repo({"a.md": INCIDENT.format(alerts="")}))
    assert errors == []
    assert site is not None
    (incident,) = site.events
    assert isinstance(incident, Incident)
    assert incident.alerts == ()


@pytest.mark.parametrize(
    ("alerts", "line", "fragment"),
    [
        ("alerts: c6eadffa33fcdf37", 5, "'alerts' must be a list of alert fingerprints"),
        ("alerts: [a1, a1]", 5, "alert 'a1' is listed twice"),
        ("alerts:\n- {id: a1}", 6, "each item of 'alerts' must be a fingerprint, not a mapping"),
        ("alerts: [a1, ~]", 5, "each item of 'alerts' must be a fingerprint, not empty"),
    ],
)
def test_a_bad_alerts_key_is_an_error_on_its_line(
    make_repo: RepoWriter, alerts: str, line: int, fragment: str
) -> None:
    site, errors = read_site(make_repo({"a.md": INCIDENT.format(alerts=alerts)}))
    assert site is None
    assert any(e.line == line and fragment in e.message for e in errors), errors


def test_a_maintenance_has_no_alerts(make_repo: RepoWriter) -> None:
    text = (
        "---\ntitle: Upgrade\ntype: maintenance\nscheduled_start: 2026-12-01 02:00 UTC\n"
        "scheduled_end: 2026-12-01 04:00 UTC\ncomponents: [api]\nalerts: [a1]\n---\n\n"
        "## 2026-11-30 10:00 UTC — scheduled\nUpgrade.\n"
    )
    site, errors = read_site(make_repo({"m.md": text}))
    assert site is None
    assert [(e.line, e.message) for e in errors] == [
        (7, "'alerts' is only for incidents (statusgen alert writes it): remove it")
    ]


def test_the_schemas_accept_what_the_parser_accepts_and_reject_the_rest() -> None:
    component = {"id": "api", "name": "API"}
    validator = jsonschema.Draft7Validator(components_schema())
    assert validator.is_valid({"components": [{**component, "alerts": [{"service": "api"}]}]})
    assert not validator.is_valid({"components": [{**component, "alerts": [{}]}]})
    assert not validator.is_valid({"components": [{**component, "alerts": {"service": "api"}}]})
    assert not validator.is_valid({"components": [{**component, "alerts": [{"a": ["b"]}]}]})

    frontmatter = yaml.safe_load(INCIDENT.split("---")[1].format(alerts="alerts: [a1, b2]"))
    incident = jsonschema.Draft7Validator(incident_schema())
    assert incident.is_valid(frontmatter)
    assert not incident.is_valid({**frontmatter, "alerts": ["a1", "a1"]})
    assert not incident.is_valid({**frontmatter, "alerts": "a1"})
    maintenance = {
        "title": "Upgrade",
        "type": "maintenance",
        "scheduled_start": "2026-12-01 02:00 UTC",
        "scheduled_end": "2026-12-01 04:00 UTC",
        "components": ["api"],
    }
    assert incident.is_valid(maintenance)
    assert not incident.is_valid({**maintenance, "alerts": ["a1"]})
