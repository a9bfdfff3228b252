"""The command line, run as a real process on real repositories."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import frontmatter
import jsonschema
import pytest
import yaml

from tests.conftest import RepoWriter, statusgen

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE_NOW = "2026-11-30 12:00 UTC"

VALID_INCIDENT = """\
---
title: Elevated error rates
impact: major
components:
  api: partial_outage
---

## 2026-11-28 14:30 UTC — identified
A configuration change overloaded the pool.

## 2026-11-28 14:02 UTC — investigating
We are investigating.
"""


def test_example_site_validates() -> None:
    result = statusgen("validate", "--root", str(PROJECT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        "incidents/drills/2026-11-30-drill-search-outage.md:6: warning: this incident is a "
        "drill (drill: true): it is never published nor sent to subscribers; do not merge a "
        "drill branch (statusgen drill end says how to remove it)\n"
    )
    assert "OK: 7 components, 9 incidents and maintenances (1 drill)" in result.stderr


def test_root_defaults_to_the_current_directory() -> None:
    assert statusgen("validate", cwd=PROJECT).returncode == 0


def test_example_site_status_is_what_a_person_computes() -> None:
    result = statusgen("status", "--root", str(PROJECT), "--now", EXAMPLE_NOW, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    statuses = {c["id"]: c["status"] for c in summary["components"]}
    assert statuses == {
        "platform": "major_outage",
        "api": "operational",  # the API incident was resolved on 2026-11-28
        "webhooks": "degraded_performance",  # reopened, monitoring
        "auth": "major_outage",  # critical impact, listed without status
        "applications": "under_maintenance",
        "dashboard": "operational",
        "search": "under_maintenance",  # inside its window
        "website": "operational",
    }
    assert summary["status"] == {"indicator": "critical", "description": "Major Service Outage"}
    assert [i["id"] for i in summary["incidents"]] == [
        "2026-11-30-sign-in-failures",
        "2026-11-29-webhook-delays",
    ]
    assert [(m["id"], m["status"]) for m in summary["scheduled_maintenances"]] == [
        ("2026-11-30-search-reindex", "in_progress"),
        ("2026-12-12-network-upgrade", "scheduled"),
    ]
    assert summary["page"]["url"] == "https://status.example.com/"


def test_status_table_names_every_component_and_event() -> None:
    result = statusgen("status", "--root", str(PROJECT), "--now", EXAMPLE_NOW)
    assert result.returncode == 0, result.stderr
    assert "Major Service Outage" in result.stdout
    for text in (
        "Sign-in and SSO",
        "major outage",
        "under maintenance",
        "Some customers cannot sign in with SSO [critical]: identified",
        "Search index rebuild: in progress",
        "Network equipment upgrade",
    ):
        assert text in result.stdout


def test_status_after_everything_is_over_is_operational() -> None:
    result = statusgen("status", "--root", str(PROJECT), "--now", "2027-01-01 00:00Z", "--json")
    summary = json.loads(result.stdout)
    # The two incidents are still open: nobody resolved them.
    assert summary["status"]["indicator"] == "critical"
    assert summary["scheduled_maintenances"] == []


# Two dozen kinds of broken input: (files, expected "path:line", offending value in message).
BROKEN = {
    "unknown component": (
        {"a.md": VALID_INCIDENT.replace("api: partial", "apii: partial")},
        "incidents/a.md:5",
        "'apii' (did you mean 'api'?)",
    ),
    "naive timestamp": (
        {"a.md": VALID_INCIDENT.replace("14:02 UTC", "14:02")},
        "incidents/a.md:11",
        "'2026-11-28 14:02' has no time zone",
    ),
    "named zone": (
        {"a.md": VALID_INCIDENT.replace("14:02 UTC", "14:02 CET")},
        "incidents/a.md:11",
        "'CET'",
    ),
    "unknown status": (
        {"a.md": VALID_INCIDENT.replace("— identified", "— identifed")},
        "incidents/a.md:8",
        "'identifed' (did you mean 'identified'?)",
    ),
    "maintenance status on an incident": (
        {"a.md": VALID_INCIDENT.replace("— identified", "— completed")},
        "incidents/a.md:8",
        "'completed' is for a maintenance",
    ),
    "unknown impact": (
        {"a.md": VALID_INCIDENT.replace("impact: major", "impact: huge")},
        "incidents/a.md:3",
        "unknown impact 'huge'",
    ),
    "typo'd key": (
        {"a.md": VALID_INCIDENT.replace("title:", "titel:")},
        "incidents/a.md:2",
        "'titel' (did you mean 'title'?)",
    ),
    "invalid YAML": (
        {"a.md": VALID_INCIDENT.replace("impact: major", "impact: [major")},
        "incidents/a.md:",
        "invalid YAML",
    ),
    "empty file": ({"a.md": ""}, "incidents/a.md", "empty"),
    "binary garbage": ({"a.md": bytes(range(256))}, "incidents/a.md", "UTF-8"),
    "wrong encoding": (
        {
            "a.md": VALID_INCIDENT.replace("—", "-")
            .replace("We are", "Nous étions")
            .encode("latin-1")
        },
        "incidents/a.md:12",
        "byte 0xe9",
    ),
    "UTF-16": ({"a.md": VALID_INCIDENT.encode("utf-16")}, "incidents/a.md", "UTF-16"),
    "control character": (
        {"a.md": VALID_INCIDENT.replace("We are", "We\x00are")},
        "incidents/a.md:12",
        "U+0000",
    ),
    "bad maintenance window": (
        {
            "m.md": """\
            ---
            title: Upgrade
            type: maintenance
            scheduled_start: 2026-12-01 04:00 UTC
            scheduled_end: 2026-12-01 02:00 UTC
            components: [api]
            ---
            ## 2026-11-20 10:00 UTC — scheduled
            Planned.
            """
        },
        "incidents/m.md:5",
        "'scheduled_end' must be after 'scheduled_start'",
    ),
    "impact on a maintenance": (
        {
            "m.md": """\
            ---
            title: Upgrade
            type: maintenance
            impact: major
            scheduled_start: 2026-12-01 02:00 UTC
            scheduled_end: 2026-12-01 04:00 UTC
            components: [api]
            ---
            ## 2026-11-20 10:00 UTC — scheduled
            Planned.
            """
        },
        "incidents/m.md:4",
        "'impact'",
    ),
    "duplicate timestamps": (
        {"a.md": VALID_INCIDENT.replace("14:30 UTC", "16:02 +02:00")},
        "incidents/a.md:11",
        "same time",
    ),
    "malformed update heading": (
        {"a.md": VALID_INCIDENT.replace("14:30 UTC — identified", "14:30 UTC identified")},
        "incidents/a.md:8",
        "'## 2026-11-28 14:30 UTC identified' has no status",
    ),
    "heading that is not an update": (
        {"a.md": VALID_INCIDENT.replace("A configuration", "## Details\nA configuration")},
        "incidents/a.md:9",
        "'## Details' is not an update",
    ),
    "text before the first update": (
        {
            "a.md": VALID_INCIDENT.replace(
                "---\n\n## 2026-11-28 14:30", "---\nHello\n## 2026-11-28 14:30"
            )
        },
        "incidents/a.md:7",
        "text before the first update",
    ),
    "no update": ({"a.md": VALID_INCIDENT.split("\n## ")[0]}, "incidents/a.md:6", "no update"),
    "missing frontmatter": (
        {"a.md": "## 2026-11-28 14:02 UTC — investigating\n"},
        "incidents/a.md:1",
        "frontmatter",
    ),
    "invalid id": ({"Bad_Name.md": VALID_INCIDENT}, "incidents/Bad_Name.md", "'Bad_Name'"),
    "duplicate id in subfolders": (
        {"a.md": VALID_INCIDENT, "2026/a.md": VALID_INCIDENT},
        "incidents/2026/a.md",
        "id 'a' is already used by incidents/a.md",
    ),
    "unclosed frontmatter": (
        {"a.md": "---\ntitle: x\nimpact: none\n"},
        "incidents/a.md:1",
        "not closed",
    ),
    "unknown group in components.yml": (
        {},
        "components.yml:5",
        "unknown group 'platfrom' (did you mean 'platform'?)",
    ),
}
BROKEN_COMPONENTS = {
    "unknown group in components.yml": (
        "groups:\n  - {id: platform, name: P}\ncomponents:\n  - {id: api, name: A,\n"
        "     group: platfrom}\n"
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input_gets_a_clear_error_and_exit_1(make_repo: RepoWriter, case: str) -> None:
    files, location, value = BROKEN[case]
    if case in BROKEN_COMPONENTS:
        root = make_repo(files, components=BROKEN_COMPONENTS[case])
    else:
        root = make_repo(files)
    result = statusgen("validate", "--root", str(root))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    matching = [line for line in result.stdout.splitlines() if line.startswith(location)]
    assert matching, f"no error at {location}:\n{output}"
    assert any(value in line for line in matching), output


def test_validate_reports_every_error_of_every_file(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "a.md": VALID_INCIDENT.replace("impact: major", "impact: huge"),
            "b.md": VALID_INCIDENT.replace("14:02 UTC", "14:02"),
            "c.md": VALID_INCIDENT.replace("api:", "apii:").replace("title:", "titel:"),
        }
    )
    result = statusgen("validate", "--root", str(root))
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "incidents/a.md",
        "incidents/b.md",
        "incidents/c.md",
        "incidents/c.md",
        "incidents/c.md",  # the missing title, reported too
    ]
    assert "5 errors in 3 files" in result.stderr


def test_validate_github_annotations(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": VALID_INCIDENT.replace("impact: major", "impact: huge")})
    result = statusgen("validate", "--format", "github", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=incidents/a.md,line=3,title=statusgen::unknown impact 'huge'; "
        "use 'none', 'minor', 'major' or 'critical'"
    ]


def test_validate_json(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": VALID_INCIDENT.replace("impact: major", "impact: huge")})
    result = statusgen("validate", "--format", "json", "--root", str(root))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    assert document["errors"][0]["file"] == "incidents/a.md"
    assert document["errors"][0]["line"] == 3
    ok = statusgen(
        "validate", "--format", "json", "--root", str(make_repo({"a.md": VALID_INCIDENT}))
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout) == {"valid": True, "errors": [], "warnings": []}


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--format", "xml"),
        ("validate", "--no-such-option"),
        ("status", "--now", "2026-11-28 14:00"),
        ("status", "--now", "yesterday"),
        ("schema", "everything"),
        ("no-such-command",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = statusgen(*args, cwd=PROJECT)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_status_on_a_broken_repository_exits_1(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": VALID_INCIDENT.replace("api:", "apii:")})
    result = statusgen("status", "--root", str(root))
    assert result.returncode == 1
    assert "incidents/a.md:5: unknown component 'apii'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_components_file(tmp_path: Path) -> None:
    result = statusgen("validate", "--root", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.startswith("components.yml: not found in")


# Schemas ----------------------------------------------------------------------------


def _schema(kind: str) -> dict[str, Any]:
    result = statusgen("schema", kind)
    assert result.returncode == 0
    schema: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def test_schema_files_in_the_repository_are_up_to_date() -> None:
    for kind in ("components", "incident"):
        stored = json.loads((PROJECT / "schemas" / f"{kind}.schema.json").read_text())
        assert stored == _schema(kind), f"run: statusgen schema {kind} > schemas/{kind}.schema.json"


def test_schema_without_kind_prints_both() -> None:
    document = json.loads(statusgen("schema").stdout)
    assert sorted(document) == ["components", "incident"]


def test_schemas_accept_the_example_site_and_reject_typos() -> None:
    components = jsonschema.Draft7Validator(_schema("components"))
    data = yaml.safe_load((PROJECT / "components.yml").read_text())
    data["components"] = [
        {**c, "since": str(c["since"])} if "since" in c else c for c in data["components"]
    ]
    assert list(components.iter_errors(data)) == []
    data["components"][0]["nmae"] = "typo"
    assert list(components.iter_errors(data))

    incident = jsonschema.Draft7Validator(_schema("incident"))
    for path in sorted((PROJECT / "incidents").rglob("*.md")):
        metadata = frontmatter.loads(path.read_text(encoding="utf-8")).metadata
        metadata = {k: str(v) if k.startswith("scheduled") else v for k, v in metadata.items()}
        assert list(incident.iter_errors(metadata)) == [], path
    assert (
        list(incident.iter_errors({"title": "x", "impact": "major", "components": ["api"]})) == []
    )
    assert list(incident.iter_errors({"title": "x", "components": ["api"]}))  # no impact
    assert list(
        incident.iter_errors(
            {"title": "x", "type": "maintenance", "impact": "major", "components": []}
        )
    )


def test_errors_with_and_without_a_line_in_one_file(make_repo: RepoWriter) -> None:
    """A bad file name has no line; the file's other errors do: both are reported."""
    root = make_repo({"Bad_Name.md": VALID_INCIDENT.replace("impact: major", "impact: severe")})
    for output_format in ("text", "github", "json"):
        result = statusgen("validate", "--format", output_format, "--root", str(root))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "'Bad_Name'" in result.stdout
        assert "severe" in result.stdout


def test_no_break_spaces_in_an_update_heading_are_spaces(make_repo: RepoWriter) -> None:
    heading = "## 2026-11-28 14:02\u00a0UTC\u00a0—\u00a0investigating"
    root = make_repo(
        {"a.md": VALID_INCIDENT.replace("## 2026-11-28 14:02 UTC — investigating", heading)}
    )
    result = statusgen("validate", "--root", str(root))
    assert result.returncode == 0, result.stdout


def test_status_table_keeps_its_columns_with_short_names(make_repo: RepoWriter) -> None:
    root = make_repo(components="components:\n  - id: a\n    name: A\n  - id: b\n    name: B\n")
    result = statusgen("status", "--root", root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("Component"))
    assert header.startswith("Component  Status ")
    row = next(line for line in lines if line.startswith("A "))
    assert row.index("operational") == header.index("Status")
    # The clock's time, to the minute or second: never microseconds.
    first = lines[0]
    assert re.search(r" at \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$", first), first


def test_help_shows_whole_sentences_and_choices() -> None:
    for group in ([], ["drill"], ["import"]):
        overview = statusgen(*group, "--help").stdout
        commands = overview[overview.index("Commands:") :].splitlines()[1:]
        assert commands
        for line in commands:
            assert line.rstrip().endswith("."), line
            assert "..." not in line, line
    new = statusgen("new", "--help").stdout
    assert "[none|minor|major|critical]" in new
    assert "investigating|identified|monitoring|update|resolved|scheduled|in_progress" in new
