"""The authoring commands (init, new, update, resolve, postmortem, templates) and
``--commit``, in real temporary git repositories.

Most commands run in-process through Click's runner (fast); a few end-to-end tests run
``python -m statusgen`` as a real process.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import git
import pytest
import yaml
from click.testing import CliRunner, Result

from statusgen.cli import main
from statusgen.content.loader import load_site
from statusgen.core.model import (
    ComponentStatus,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Site,
)
from statusgen.state.events import event_state
from statusgen.workflow.gitrepo import RevisionSource
from statusgen.workflow.message_templates import DEFAULTS_DIR as DEFAULTS
from tests.conftest import COMPONENTS_YML, RepoWriter, commit_all, init_git, snapshot, statusgen

DEFAULT_NAMES = {
    "alert-changed",
    "identified",
    "investigating",
    "maintenance-completed",
    "maintenance-scheduled",
    "maintenance-started",
    "monitoring",
    "resolved",
    "security-incident",
}

# The repository every test starts from -------------------------------------------------

OPEN_INCIDENT = """\
---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
---

## 2026-11-28 14:30 UTC — identified
A configuration change overloaded the connection pool.

## 2026-11-28 14:02 UTC — investigating
We are investigating elevated error rates on the API.
"""

RESOLVED_WITH_POSTMORTEM = """\
---
title: Slow dashboard
impact: minor
components: [dashboard]
---

## 2026-11-10 10:30 UTC — resolved
Back to normal.

## 2026-11-10 10:00 UTC — investigating
The dashboard is slow.

# Postmortem
It was the cache.
"""

SCHEDULED_MAINTENANCE = """\
---
title: Database upgrade
type: maintenance
scheduled_start: 2026-12-15 02:00 UTC
scheduled_end: 2026-12-15 04:00 UTC
components: [api, webhooks]
---

## 2026-11-27 09:00 UTC — scheduled
We will upgrade the database.
"""

COMPLETED_MAINTENANCE = """\
---
title: Network maintenance
type: maintenance
scheduled_start: 2026-11-01 02:00 UTC
scheduled_end: 2026-11-01 04:00 UTC
components: [website]
---

## 2026-11-01 03:50 UTC — completed
Done.

## 2026-10-25 09:00 UTC — scheduled
We will replace a switch.
"""

OLD_IN_SUBFOLDER = """\
---
title: Webhook delays
impact: minor
components: [webhooks]
---

## 2025-06-01 10:00 UTC — resolved
Delivered.

## 2025-06-01 09:00 UTC — investigating
Webhooks are late.
"""

OPEN = "2026-11-28-api-errors"
RESOLVED = "2026-11-10-slow-dashboard"
SCHEDULED = "2026-12-15-database-upgrade"
COMPLETED = "2026-11-01-network"
OLD = "2025-06-01-webhook-delays"


@pytest.fixture
def root(make_repo: RepoWriter) -> Path:
    """A valid status repository, committed on ``main`` of its own git repository."""
    path = make_repo(
        {
            f"{OPEN}.md": OPEN_INCIDENT,
            f"{RESOLVED}.md": RESOLVED_WITH_POSTMORTEM,
            f"{SCHEDULED}.md": SCHEDULED_MAINTENANCE,
            f"{COMPLETED}.md": COMPLETED_MAINTENANCE,
            f"2025/{OLD}.md": OLD_IN_SUBFOLDER,
        }
    )
    commit_all(init_git(path), "Status repository")
    return path


# Helpers --------------------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    """``statusgen ARGS`` in-process; fails the test on a traceback."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"statusgen {args} raised: {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    return result


def written_path(result: Result) -> Path:
    """The file a writing command reports on stdout."""
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    return Path(lines[0]).resolve()


def assert_valid(root: Path) -> Site:
    result = run("validate", "--root", root)
    assert result.exit_code == 0, result.output
    return load_site(root)


def event(site: Site, event_id: str) -> Incident | Maintenance:
    (found,) = [e for e in site.events if e.id == event_id]
    return found


def frontmatter_of(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def headings(path: Path) -> list[str]:
    """The update headings of a file, in file order (not the postmortem's)."""
    text = path.read_text(encoding="utf-8").split("\n# Postmortem")[0]
    return re.findall(r"^## (.*)$", text, flags=re.MULTILINE)


def default_text(name: str, language: str = "en", **values: str) -> str:
    text = (DEFAULTS / language / f"{name}.md").read_text(encoding="utf-8").strip()
    return text.format(**values)


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


# new ------------------------------------------------------------------------------------


def test_new_incident_reads_back_to_the_intended_model(root: Path) -> None:
    result = run(
        "new",
        "Elevated   error rates on Webhooks",
        "--component",
        "webhooks=major_outage",
        "-c",
        "dashboard",
        "--at",
        "2026-11-29 16:02 +02:00",
        "--root",
        root,
    )
    path = written_path(result)
    assert path == (root / "incidents" / "2026-11-29-elevated-error-rates-on-webhooks.md")
    text = path.read_text(encoding="utf-8")
    # Times are written in explicit UTC, newest first, with the conventional separator.
    assert "\n## 2026-11-29 14:02 UTC — investigating\n" in text
    assert "+02:00" not in text

    incident = event(assert_valid(root), "2026-11-29-elevated-error-rates-on-webhooks")
    assert isinstance(incident, Incident)
    assert incident.title == "Elevated error rates on Webhooks"  # whitespace normalised
    assert incident.impact is Impact.CRITICAL  # from the worst status given
    assert dict(incident.components) == {
        "webhooks": ComponentStatus.MAJOR_OUTAGE,
        "dashboard": ComponentStatus.MAJOR_OUTAGE,  # implied by the impact
    }
    (first,) = incident.updates
    assert first.status is IncidentStatus.INVESTIGATING
    assert first.at == datetime(2026, 11, 29, 14, 2, tzinfo=UTC)
    # update_every is 30 minutes by default: the promise is 30 minutes after the update.
    assert first.body == default_text(
        "investigating", components="Webhooks and Dashboard", next_update="Nov 29, 2026, 14:32 UTC"
    )
    assert incident.postmortem is None


@pytest.mark.parametrize(
    ("components", "impact", "expected_impact", "expected_components", "list_form"),
    [
        (["api"], None, "minor", {"api": "degraded_performance"}, True),
        (
            ["api", "webhooks"],
            "critical",
            "critical",
            {"api": "major_outage", "webhooks": "major_outage"},
            True,
        ),
        (["api"], "none", "none", {"api": "degraded_performance"}, True),
        (["api"], "Major", "major", {"api": "partial_outage"}, True),
        (["api=degraded_performance"], None, "minor", {"api": "degraded_performance"}, False),
        (["api=partial_outage"], None, "major", {"api": "partial_outage"}, False),
        (["api=Major Outage"], None, "critical", {"api": "major_outage"}, False),
        (["api=under_maintenance"], None, "minor", {"api": "under_maintenance"}, False),
        (
            ["api=degraded_performance", "webhooks=partial_outage", "dashboard"],
            None,
            "major",
            {
                "api": "degraded_performance",
                "webhooks": "partial_outage",
                "dashboard": "partial_outage",
            },
            False,
        ),
        (
            ["api=major_outage", "webhooks"],
            "minor",
            "minor",
            {"api": "major_outage", "webhooks": "degraded_performance"},
            False,
        ),
    ],
)
def test_new_impact_and_components(
    root: Path,
    components: list[str],
    impact: str | None,
    expected_impact: str,
    expected_components: dict[str, str],
    list_form: bool,
) -> None:
    args = ["new", "Something is wrong", "--at", "2026-11-29 10:00 UTC", "--root", str(root)]
    for component in components:
        args += ["--component", component]
    if impact is not None:
        args += ["--impact", impact]
    path = written_path(run(*args))

    written = frontmatter_of(path)
    assert written["impact"] == expected_impact
    if list_form:
        assert written["components"] == list(expected_components)
    else:
        assert written["components"] == expected_components
    incident = event(assert_valid(root), "2026-11-29-something-is-wrong")
    assert isinstance(incident, Incident)
    assert incident.impact.value == expected_impact
    assert {k: v.value for k, v in incident.components.items()} == expected_components


def test_new_with_status_message_and_id(root: Path) -> None:
    message = "A configuration change overloaded the pool.\n\n- rollback started"
    path = written_path(
        run(
            "new",
            "Sign-in failures",
            "-c",
            "dashboard=major_outage",
            "--status",
            "Identified",
            "--message",
            f"  {message}\n",
            "--at",
            "2026-11-29T08:15:30Z",
            "--id",
            "sign-in",
            "--root",
            root,
        )
    )
    assert path == root / "incidents" / "sign-in.md"
    assert headings(path) == ["2026-11-29 08:15:30 UTC — identified"]
    incident = event(assert_valid(root), "sign-in")
    (first,) = incident.updates
    assert first.status is IncidentStatus.IDENTIFIED
    assert first.at == datetime(2026, 11, 29, 8, 15, 30, tzinfo=UTC)
    assert first.body == message


def test_at_defaults_to_now_in_utc(root: Path) -> None:
    before = datetime.now(UTC)
    path = written_path(run("new", "Right now", "-c", "api", "--root", root))
    after = datetime.now(UTC)
    assert path.name == f"{before:%Y-%m-%d}-right-now.md" or path.name == (
        f"{after:%Y-%m-%d}-right-now.md"
    )
    (heading,) = headings(path)
    assert heading.endswith(" UTC — investigating")
    (first,) = event(assert_valid(root), path.stem).updates
    assert before - timedelta(seconds=1) <= first.at <= after + timedelta(seconds=1)
    assert after - first.at < timedelta(minutes=1)


def test_new_maintenance(root: Path) -> None:
    path = written_path(
        run(
            "new",
            "Search reindex",
            "--maintenance",
            "-c",
            "api",
            "-c",
            "website",
            "--start",
            "2026-12-20 04:00 +02:00",
            "--end",
            "2026-12-20 05:30 UTC",
            "--at",
            "2026-11-29 09:00 UTC",
            "--root",
            root,
        )
    )
    # The id takes the day of the window, not of the announcement.
    assert path == root / "incidents" / "2026-12-20-search-reindex.md"
    written = frontmatter_of(path)
    assert "impact" not in written
    assert written["type"] == "maintenance"
    assert written["scheduled_start"] == "2026-12-20 02:00 UTC"
    assert written["scheduled_end"] == "2026-12-20 05:30 UTC"
    assert written["components"] == ["api", "website"]

    maintenance = event(assert_valid(root), "2026-12-20-search-reindex")
    assert isinstance(maintenance, Maintenance)
    assert maintenance.scheduled_start == datetime(2026, 12, 20, 2, 0, tzinfo=UTC)
    assert maintenance.scheduled_end == datetime(2026, 12, 20, 5, 30, tzinfo=UTC)
    assert dict(maintenance.components) == {
        "api": ComponentStatus.UNDER_MAINTENANCE,
        "website": ComponentStatus.UNDER_MAINTENANCE,
    }
    (first,) = maintenance.updates
    assert first.status is MaintenanceStatus.SCHEDULED
    assert first.at == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    assert first.body == default_text(
        "maintenance-scheduled",
        components="API and Website",
        start="Dec 20, 2026, 02:00 UTC",
        end="Dec 20, 2026, 05:30 UTC",
    )
    # Components as a sentence, times as the pages write them.
    assert "on API and Website from Dec 20, 2026, 02:00 UTC to Dec 20, 2026, 05:30 UTC" in (
        first.body
    )


def test_new_maintenance_in_progress_uses_the_started_template(root: Path) -> None:
    path = written_path(
        run(
            "new",
            "Emergency patch",
            "--maintenance",
            "-c",
            "api=degraded_performance",
            "--status",
            "in progress",
            "--start",
            "2026-11-29 10:00 UTC",
            "--end",
            "2026-11-29 11:00 UTC",
            "--at",
            "2026-11-29 10:00 UTC",
            "--root",
            root,
        )
    )
    maintenance = event(assert_valid(root), path.stem)
    assert isinstance(maintenance, Maintenance)
    assert dict(maintenance.components) == {"api": ComponentStatus.DEGRADED_PERFORMANCE}
    (first,) = maintenance.updates
    assert first.status is MaintenanceStatus.IN_PROGRESS
    assert first.body == default_text(
        "maintenance-started", components="API", end="Nov 29, 2026, 11:00 UTC"
    )


# update, resolve, postmortem ------------------------------------------------------------


def test_incident_lifecycle_newest_first(root: Path) -> None:
    path = root / "incidents" / f"{OPEN}.md"
    assert (
        written_path(
            run(
                "update",
                OPEN,
                "--status",
                "monitoring",
                "--at",
                "2026-11-28 17:10 +02:00",
                "--root",
                root,
            )
        )
        == path
    )
    assert (
        written_path(
            run(
                "update",
                OPEN,
                "-s",
                "update",
                "-m",
                "Error rates are falling.\n\n### Details\nThe pool is resized.",
                "--at",
                "2026-11-28 15:20 UTC",
                "--root",
                root,
            )
        )
        == path
    )
    assert (
        written_path(run("resolve", OPEN, "--at", "2026-11-28 15:40 UTC", "--root", root)) == path
    )

    assert headings(path) == [
        "2026-11-28 15:40 UTC — resolved",
        "2026-11-28 15:20 UTC — update",
        "2026-11-28 15:10 UTC — monitoring",
        "2026-11-28 14:30 UTC — identified",
        "2026-11-28 14:02 UTC — investigating",
    ]
    incident = event(assert_valid(root), OPEN)
    assert [(u.at, u.status) for u in incident.updates] == [
        (utc("2026-11-28 14:02"), IncidentStatus.INVESTIGATING),
        (utc("2026-11-28 14:30"), IncidentStatus.IDENTIFIED),
        (utc("2026-11-28 15:10"), IncidentStatus.MONITORING),
        (utc("2026-11-28 15:20"), IncidentStatus.UPDATE),
        (utc("2026-11-28 15:40"), IncidentStatus.RESOLVED),
    ]
    bodies = [u.body for u in incident.updates]
    assert bodies[0] == "We are investigating elevated error rates on the API."  # untouched
    assert bodies[2] == default_text("monitoring", components="API")
    assert bodies[3] == "Error rates are falling.\n\n### Details\nThe pool is resized."
    assert bodies[4] == default_text("resolved", components="API")
    state = event_state(incident, utc("2026-11-29 00:00"))
    assert state is not None
    assert state.status is IncidentStatus.RESOLVED
    # The frontmatter is kept as it was written.
    assert path.read_text(encoding="utf-8").startswith(OPEN_INCIDENT.split("\n## ")[0])


def test_resolve_with_a_message(root: Path) -> None:
    run("resolve", OPEN, "-m", "All good now.", "--at", "2026-11-28 15:00 UTC", "--root", root)
    incident = event(assert_valid(root), OPEN)
    assert incident.last_update.status is IncidentStatus.RESOLVED
    assert incident.last_update.body == "All good now."


def test_maintenance_lifecycle(root: Path) -> None:
    run(
        "update",
        SCHEDULED,
        "--status",
        "in_progress",
        "--at",
        "2026-12-15 02:01 UTC",
        "--root",
        root,
    )
    run(
        "update",
        SCHEDULED,
        "--status",
        "verifying",
        "-m",
        "Checking.",
        "--at",
        "2026-12-15 03:00 UTC",
        "--root",
        root,
    )
    path = written_path(run("resolve", SCHEDULED, "--at", "2026-12-15 03:30 UTC", "--root", root))
    assert headings(path) == [
        "2026-12-15 03:30 UTC — completed",
        "2026-12-15 03:00 UTC — verifying",
        "2026-12-15 02:01 UTC — in_progress",
        "2026-11-27 09:00 UTC — scheduled",
    ]
    maintenance = event(assert_valid(root), SCHEDULED)
    assert isinstance(maintenance, Maintenance)
    assert [u.status for u in maintenance.updates] == [
        MaintenanceStatus.SCHEDULED,
        MaintenanceStatus.IN_PROGRESS,
        MaintenanceStatus.VERIFYING,
        MaintenanceStatus.COMPLETED,
    ]
    assert maintenance.updates[1].body == default_text(
        "maintenance-started", components="API and Webhooks", end="Dec 15, 2026, 04:00 UTC"
    )
    assert maintenance.last_update.body == default_text(
        "maintenance-completed", components="API and Webhooks"
    )


def test_update_in_a_subfolder_and_with_windows_newlines(root: Path) -> None:
    path = root / "incidents" / "2025" / f"{OLD}.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert (
        written_path(
            run(
                "update",
                OLD,
                "-s",
                "update",
                "-m",
                "Postmortem coming.",
                "--at",
                "2025-06-02 09:00 UTC",
                "--root",
                root,
            )
        )
        == path
    )
    data = path.read_bytes()
    assert b"\r\n## 2025-06-02 09:00 UTC \xe2\x80\x94 update\r\nPostmortem coming.\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    incident = event(assert_valid(root), OLD)
    assert incident.last_update.body == "Postmortem coming."


def test_postmortem_draft_with_the_timeline(root: Path) -> None:
    run("resolve", OPEN, "--at", "2026-11-28 15:40 UTC", "--root", root)
    before = event(load_site(root), OPEN)
    path = written_path(run("postmortem", OPEN, "--root", root))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        (root / "incidents" / f"{OPEN}.md").read_text(encoding="utf-8").split("# Postmortem")[0]
    )
    incident = event(assert_valid(root), OPEN)
    assert incident.updates == before.updates  # the draft's ## sections are not updates
    postmortem = incident.postmortem
    assert postmortem is not None
    sections = re.findall(r"^## (.*)$", postmortem, flags=re.MULTILINE)
    assert sections == [
        "Summary",
        "Impact",
        "Timeline",
        "Root cause",
        "Contributing factors",
        "What went well",
        "What we change",
    ]
    rows = [line for line in postmortem.splitlines() if line.startswith("| 2026-")]
    assert rows == [
        "| 2026-11-28 14:02 UTC | investigating | "
        "We are investigating elevated error rates on the API. |",
        "| 2026-11-28 14:30 UTC | identified | "
        "A configuration change overloaded the connection pool. |",
        f"| 2026-11-28 15:40 UTC | resolved | {default_text('resolved', components='API')} |",
    ]
    assert "blameless" in text.lower(), "the guidance, in a comment of the file"
    assert "blameless" not in postmortem.lower(), "a comment is never published"
    assert "TODO" in postmortem


def test_postmortem_then_update_goes_above_the_updates(root: Path) -> None:
    run("postmortem", SCHEDULED, "--root", root)
    run(
        "update",
        SCHEDULED,
        "-s",
        "scheduled",
        "-m",
        "Moved by a day.",
        "--at",
        "2026-11-28 09:00 UTC",
        "--root",
        root,
    )
    maintenance = event(assert_valid(root), SCHEDULED)
    assert maintenance.last_update.body == "Moved by a day."
    assert maintenance.postmortem is not None
    assert "Moved by a day" not in maintenance.postmortem


def test_backfilled_update_keeps_the_file_newest_first(root: Path) -> None:
    path = written_path(
        run(
            "update",
            OPEN,
            "-s",
            "update",
            "-m",
            "Backfilled.",
            "--at",
            "2026-11-28 14:10 UTC",
            "--root",
            root,
        )
    )
    assert headings(path) == [
        "2026-11-28 14:30 UTC — identified",
        "2026-11-28 14:10 UTC — update",
        "2026-11-28 14:02 UTC — investigating",
    ]


def test_resolve_before_the_latest_update_resolves_or_refuses(root: Path) -> None:
    before = snapshot(root)
    result = run("resolve", OPEN, "--at", "2026-11-28 14:10 UTC", "--root", root)
    if result.exit_code != 0:
        assert snapshot(root) == before
        return
    incident = event(load_site(root), OPEN)
    state = event_state(incident, utc("2026-11-29 00:00"))
    assert state is not None
    assert state.status is IncidentStatus.RESOLVED


def test_an_unrelated_broken_file_does_not_block_a_new_incident(root: Path) -> None:
    (root / "incidents" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    written_path(run("new", "Outage", "-c", "api", "--at", "2026-11-29 10:00 UTC", "--root", root))
    result = run("validate", "--root", root)
    assert result.exit_code == 1
    assert "incidents/broken.md" in result.stdout
    assert "2026-11-29-outage" not in result.stdout


# Message templates ----------------------------------------------------------------------


def test_security_incident_template(root: Path) -> None:
    path = written_path(
        run(
            "new",
            "Security issue",
            "-c",
            "api",
            "-c",
            "dashboard",
            "--template",
            "security-incident",
            "--at",
            "2026-11-29 10:00 UTC",
            "--root",
            root,
        )
    )
    (first,) = event(assert_valid(root), path.stem).updates
    assert first.status is IncidentStatus.INVESTIGATING
    assert first.body == default_text("security-incident", components="API and Dashboard")


def test_repository_template_overrides_the_default_and_fills_placeholders(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "investigating.md").write_text(
        "\ufeff{site}: we are looking into “{title}” ({ components }) since {at}. "
        "{{not a placeholder}}\n\nMore soon.\n",
        encoding="utf-8",
    )
    path = written_path(
        run("new", "Slow API", "-c", "api", "--at", "2026-11-29 10:00 UTC", "--root", root)
    )
    (first,) = event(assert_valid(root), path.stem).updates
    assert first.body == (
        "Example Status: we are looking into “Slow API” (API) since Nov 29, 2026, 10:00 UTC. "
        "{not a placeholder}\n\nMore soon."
    )
    # Templates without an override still come from the defaults.
    run("update", path.stem, "-s", "identified", "--at", "2026-11-29 10:20 UTC", "--root", root)
    assert event(load_site(root), path.stem).last_update.body == default_text(
        "identified", components="API", next_update="Nov 29, 2026, 10:50 UTC"
    )


def test_own_template_by_name(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "db-failover.md").write_text(
        "The primary database of {components} failed over; {title} is being handled.",
        encoding="utf-8",
    )
    run(
        "update",
        OPEN,
        "-s",
        "update",
        "-t",
        "db-failover",
        "--at",
        "2026-11-28 15:00 UTC",
        "--root",
        root,
    )
    assert event(assert_valid(root), OPEN).last_update.body == (
        "The primary database of API failed over; Elevated error rates on the API is being handled."
    )


def test_unknown_placeholder_is_an_error_and_writes_nothing(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "identified.md").write_text("We found it in {titel}.", encoding="utf-8")
    before = snapshot(root)
    result = run("update", OPEN, "-s", "identified", "--at", "2026-11-28 15:00 UTC", "--root", root)
    assert result.exit_code == 1
    assert "identified.md: unknown placeholder '{titel}' (did you mean 'title'?)" in result.stderr
    assert "'components'" in result.stderr
    assert result.stdout == ""
    assert snapshot(root) == before


def test_unknown_template_is_an_error(root: Path) -> None:
    before = snapshot(root)
    result = run("new", "X", "-c", "api", "-t", "investigatin", "--root", root)
    assert result.exit_code == 1
    assert "no message template 'investigatin' (did you mean 'investigating'?)" in result.stderr
    assert snapshot(root) == before


def test_french_defaults(make_repo: RepoWriter) -> None:
    root = make_repo(mkdocs="site_name: Statut\ntheme:\n  name: material\n  language: fr\n")
    init_git(root)
    path = written_path(
        run(
            "new",
            "Lenteurs",
            "-c",
            "api",
            "-c",
            "webhooks",
            "--at",
            "2026-11-29 10:00 UTC",
            "--root",
            root,
        )
    )
    run("resolve", path.stem, "--at", "2026-11-29 11:00 UTC", "--root", root)
    incident = event(assert_valid(root), path.stem)
    assert [u.body for u in incident.updates] == [
        default_text(
            "investigating",
            "fr",
            components="API et Webhooks",
            next_update="29 nov. 2026, 10:30 UTC",
        ),
        default_text("resolved", "fr", components="API et Webhooks"),
    ]
    assert incident.updates[0].body.startswith("Nous analysons")

    listing = run("templates", "--root", root)
    assert listing.exit_code == 0
    origins = dict(line.split()[:2] for line in listing.stdout.splitlines())
    assert origins == dict.fromkeys(DEFAULT_NAMES, "default")
    assert listing.stdout.count("default (fr)") == len(DEFAULT_NAMES)


def test_templates_lists_names_with_their_origin(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "investigating.md").write_text("Ours: {components}.\n", encoding="utf-8")
    (root / "templates" / "db-failover.md").write_text(
        "Failover of {components}.\n", encoding="utf-8"
    )
    result = run("templates", "--root", root)
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.stdout.splitlines():
        name, rest = line.split(maxsplit=1)
        rows[name] = rest
    assert set(rows) == DEFAULT_NAMES | {"db-failover"}
    assert rows["investigating"].startswith("templates/")
    assert "Ours: {components}." in rows["investigating"]
    assert rows["db-failover"].startswith("templates/")
    assert rows["resolved"].startswith("default (en)")
    assert "This incident has been resolved" in rows["resolved"]
    # The repository's own come first.
    assert [line.split()[0] for line in result.stdout.splitlines()][:2] == [
        "db-failover",
        "investigating",
    ]


# Invalid requests: non-zero, a clear message, nothing touched ----------------------------

WINDOW = ["--start", "2026-12-20 02:00 UTC", "--end", "2026-12-20 04:00 UTC"]

INVALID_REQUESTS = [
    pytest.param(
        ["new", "X", "-c", "apii"],
        1,
        "unknown component 'apii' (did you mean 'api'?)",
        id="unknown-component",
    ),
    pytest.param(
        ["new", "X", "-c", "api=partial_outge"],
        1,
        "unknown component status 'partial_outge' (did you mean 'partial_outage'?)",
        id="unknown-component-status",
    ),
    pytest.param(
        ["new", "X", "-c", "api=operational"],
        1,
        "unknown component status 'operational'",
        id="operational-is-not-affected",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--status", "completed"],
        1,
        "status 'completed' is not one of an incident's",
        id="maintenance-status-on-incident",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--maintenance", *WINDOW, "--status", "resolved"],
        1,
        "status 'resolved' is not one of a maintenance's",
        id="incident-status-on-maintenance",
    ),
    pytest.param(
        [
            "new",
            "X",
            "-c",
            "api",
            "--maintenance",
            "--start",
            "2026-12-20 04:00 UTC",
            "--end",
            "2026-12-20 02:00 UTC",
        ],
        1,
        "'scheduled_end' must be after 'scheduled_start'",
        id="end-before-start",
    ),
    pytest.param(
        [
            "new",
            "X",
            "-c",
            "api",
            "--maintenance",
            "--start",
            "2026-12-20 04:00 UTC",
            "--end",
            "2026-12-20 06:00 +02:00",
        ],
        1,
        "'scheduled_end' must be after 'scheduled_start'",
        id="end-equals-start",
    ),
    pytest.param(
        ["new", "X", "-c", "api", *WINDOW],
        None,
        "--start and --end are for a maintenance: add --maintenance",
        id="start-without-maintenance",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--maintenance", "--start", "2026-12-20 02:00 UTC"],
        None,
        "a maintenance needs --start and --end",
        id="maintenance-without-end",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--maintenance", *WINDOW, "--impact", "major"],
        None,
        "a maintenance has no --impact",
        id="impact-on-maintenance",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--impact", "huge"],
        2,
        "'huge' is not one of 'none', 'minor', 'major', 'critical'",
        id="unknown-impact",
    ),
    pytest.param(
        ["update", OPEN, "-s", "fixed", "-m", "x"],
        2,
        "'fixed' is not one of 'investigating', 'identified', 'monitoring', 'update'",
        id="unknown-status",
    ),
    pytest.param(["new", "X"], None, "--component ID[=STATUS]", id="no-component"),
    pytest.param(["new", "   ", "-c", "api"], 1, "the title is empty", id="empty-title"),
    pytest.param(
        ["new", "Elevated error rates on the API", "-c", "api", "--id", OPEN],
        1,
        f"incidents/{OPEN}.md already has the id '{OPEN}'",
        id="existing-id",
    ),
    pytest.param(
        [
            "new",
            "Database upgrade",
            "-c",
            "api",
            "--maintenance",
            *WINDOW[:1],
            "2026-12-15 02:00 UTC",
            *WINDOW[2:],
        ],
        1,
        f"already has the id '{SCHEDULED}'",
        id="existing-derived-id",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--id", OLD],
        1,
        f"incidents/2025/{OLD}.md already has the id '{OLD}'",
        id="existing-id-in-subfolder",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--id", "Bad_Id"],
        1,
        "--id 'Bad_Id' is not a valid id",
        id="invalid-id",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "-m", "Text", "-t", "investigating"],
        2,
        "give --message or --template, not both",
        id="message-and-template",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "--at", "2026-11-29 10:00"],
        2,
        "has no time zone",
        id="at-without-zone",
    ),
    pytest.param(
        ["new", "X", "-c", "api", "-m", "We look.\n\n## Details\nMore."],
        1,
        "line 3 of the message is a level-1 or level-2 heading ('## Details')",
        id="message-with-level-2-heading",
    ),
    pytest.param(
        ["update", "2026-11-28-api-erors", "-s", "identified", "-m", "x"],
        1,
        f"no incident or maintenance '2026-11-28-api-erors' in incidents/; did you mean '{OPEN}'?",
        id="update-unknown-id",
    ),
    pytest.param(
        ["update", OPEN, "-s", "completed", "-m", "x"],
        1,
        "status 'completed' is not one of an incident's",
        id="update-maintenance-status-on-incident",
    ),
    pytest.param(
        ["update", SCHEDULED, "-s", "resolved", "-m", "x"],
        1,
        "status 'resolved' is not one of a maintenance's",
        id="update-incident-status-on-maintenance",
    ),
    pytest.param(
        ["update", OPEN, "-s", "update"],
        1,
        "status 'update' has no default message: give --message or --template",
        id="update-without-message",
    ),
    pytest.param(["update", OPEN, "-m", "x"], 2, "--status", id="update-without-status"),
    pytest.param(
        ["update", OPEN, "-s", "monitoring", "-m", "x", "--at", "2026-11-28 16:30 +02:00"],
        1,
        f"{OPEN} has an update at --at 2026-11-28 14:30 UTC already, and two updates cannot "
        "share a time: give another --at; nothing was written",
        id="update-duplicate-time",
    ),
    pytest.param(
        ["update", OPEN, "-s", "identified", "-m", "x", "-t", "identified"],
        2,
        "not both",
        id="update-message-and-template",
    ),
    pytest.param(
        ["resolve", "nope"],
        1,
        "no incident or maintenance 'nope' in incidents/",
        id="resolve-unknown-id",
    ),
    pytest.param(
        ["resolve", RESOLVED],
        1,
        f"{RESOLVED} is already resolved (2026-11-10 10:30 UTC)",
        id="resolve-resolved-incident",
    ),
    pytest.param(
        ["resolve", COMPLETED],
        1,
        f"{COMPLETED} is already completed (2026-11-01 03:50 UTC)",
        id="resolve-completed-maintenance",
    ),
    pytest.param(
        ["postmortem", "nope"], 1, "no incident or maintenance 'nope'", id="postmortem-unknown-id"
    ),
    pytest.param(
        ["postmortem", RESOLVED],
        1,
        f"incidents/{RESOLVED}.md already has a postmortem",
        id="second-postmortem",
    ),
]


@pytest.mark.parametrize(("args", "exit_code", "message"), INVALID_REQUESTS)
def test_invalid_request_touches_nothing(
    root: Path, args: list[str], exit_code: int | None, message: str
) -> None:
    before = snapshot(root)
    result = run(*args, "--root", root)
    if exit_code is None:
        assert result.exit_code in (1, 2), result.output
    else:
        assert result.exit_code == exit_code, result.output
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "args",
    [
        ["new", "X", "-c", "api", *WINDOW],
        ["new", "X", "-c", "api", "--maintenance", "--start", "2026-12-20 02:00 UTC"],
        ["new", "X", "-c", "api", "--maintenance", *WINDOW, "--impact", "major"],
        ["new", "X"],
    ],
    ids=[
        "start-without-maintenance",
        "maintenance-without-end",
        "impact-on-maintenance",
        "no-component",
    ],
)
def test_option_combination_errors_are_usage_errors(root: Path, args: list[str]) -> None:
    assert run(*args, "--root", root).exit_code == 2


def test_update_of_an_invalid_file_names_its_errors(root: Path) -> None:
    path = root / "incidents" / f"{OPEN}.md"
    path.write_text(OPEN_INCIDENT.replace("14:30 UTC", "14:30"), encoding="utf-8")
    before = snapshot(root)
    result = run("update", OPEN, "-s", "monitoring", "--root", root)
    assert result.exit_code == 1
    assert f"incidents/{OPEN}.md has errors; fix them first" in result.stderr
    assert f"incidents/{OPEN}.md:8: " in result.stderr
    assert snapshot(root) == before


def test_writing_commands_outside_a_status_repository(tmp_path: Path) -> None:
    result = run("new", "X", "-c", "api", "--root", tmp_path)
    assert result.exit_code == 1
    assert "components.yml: not found in" in result.stderr
    assert list(tmp_path.iterdir()) == []


# init -----------------------------------------------------------------------------------


def test_init_writes_a_repository_that_validates_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "status"
    result = statusgen("init", target)
    assert result.returncode == 0, result.stderr
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    listed = {Path(line).resolve() for line in result.stdout.splitlines()}
    assert listed == {target / f for f in files}
    (example,) = [f for f in files if f.startswith("incidents/")]
    assert re.fullmatch(r"incidents/\d{4}-\d{2}-\d{2}-welcome\.md", example)
    assert {"components.yml", "mkdocs.yml", "README.md", ".gitignore"} <= files
    assert {f"templates/{name}.md" for name in DEFAULT_NAMES} <= files
    for name in DEFAULT_NAMES:
        assert (target / "templates" / f"{name}.md").read_bytes() == (
            DEFAULTS / "en" / f"{name}.md"
        ).read_bytes()
    assert any(f.startswith("theme/") for f in files), files
    assert any(re.fullmatch(r"\.github/workflows/[^/]+\.ya?ml", f) for f in files), files
    head = (target / "theme" / "statusgen" / "partials" / "head.html").read_text(encoding="utf-8")
    assert head.lstrip().startswith("{#")  # all of it is a comment
    assert head.rstrip().endswith("#}")
    assert "--sg-brand" in head
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/site/" in ignored  # the built site
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert "statusgen new" in readme
    assert "statusgen resolve" in readme
    assert "statusgen postmortem" in readme

    validated = statusgen("validate", "--root", target)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "OK: 2 components, 1 incident or maintenance" in validated.stderr
    built = statusgen("build", "--root", target, "--now", "2030-01-01 00:00 UTC")
    assert built.returncode == 0, built.stderr
    assert (target / "site" / "index.html").is_file()
    assert (target / "site" / "api" / "v2" / "summary.json").is_file()

    # The README's first command works in the new repository.
    new = statusgen(
        "new", "Elevated error rates on the API", "--component", "api=partial_outage", cwd=target
    )
    assert new.returncode == 0, new.stderr
    assert statusgen("validate", cwd=target).returncode == 0


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("Our own README\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("notes\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert "exist already; nothing was written" in result.stderr
    assert "--force" in result.stderr
    assert "README.md" in result.stderr
    assert "components.yml" not in result.stderr
    assert snapshot(tmp_path) == before

    forced = run("init", tmp_path, "--force")
    assert forced.exit_code == 0, forced.output
    assert "Our own README" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "notes\n"
    assert (tmp_path / "components.yml").is_file()
    assert_valid(tmp_path)


def test_init_into_a_status_repository_refuses(root: Path) -> None:
    before = snapshot(root)
    result = run("init", root)
    assert result.exit_code == 1
    assert "components.yml" in result.stderr
    assert snapshot(root) == before


# --commit -------------------------------------------------------------------------------


def branch_names(repo: git.Repo) -> set[str]:
    return {head.name for head in repo.heads}


def changed_files(commit: git.Commit) -> set[str]:
    return {str(path) for path in commit.stats.files}


@pytest.mark.parametrize("default", ["main", "master", "trunk"])
def test_commit_on_the_default_branch_makes_a_status_branch(tmp_path: Path, default: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "components.yml").write_text(COMPONENTS_YML, encoding="utf-8")
    repo = init_git(root, branch=default)
    if default == "trunk":
        with repo.config_writer() as config:
            config.set_value("init", "defaultBranch", "trunk")
    base = commit_all(repo, "Components")

    result = run(
        "new", "API down", "-c", "api", "--at", "2026-11-29 10:00 UTC", "--commit", "--root", root
    )
    path = written_path(result)
    event_id = "2026-11-29-api-down"
    assert f"Committed on branch status/{event_id}" in result.stderr
    assert f"git push -u origin status/{event_id}" in result.stderr
    assert repo.active_branch.name == f"status/{event_id}"
    assert branch_names(repo) == {default, f"status/{event_id}"}
    assert repo.heads[default].commit == base  # the default branch is untouched
    head = repo.head.commit
    assert head.parents == (base,)
    assert event_id in str(head.message)
    assert head.summary == f"Open incident {event_id}: API down"
    assert changed_files(head) == {f"incidents/{event_id}.md"}
    assert (head.tree / f"incidents/{event_id}.md").data_stream.read() == path.read_bytes()
    assert not repo.is_dirty(untracked_files=True)
    event(load_site(RevisionSource(repo, "HEAD", root)), event_id)


def test_later_commits_go_on_the_status_branch(root: Path) -> None:
    repo = git.Repo(root)
    base = repo.head.commit
    run(
        "update",
        OPEN,
        "-s",
        "monitoring",
        "--at",
        "2026-11-28 15:00 UTC",
        "--commit",
        "--root",
        root,
    )
    branch = f"status/{OPEN}"
    assert repo.active_branch.name == branch
    first = repo.head.commit
    assert first.summary == f"Update {OPEN}: monitoring"

    result = run("resolve", OPEN, "--at", "2026-11-28 15:30 UTC", "--commit", "--root", root)
    assert f"Committed on branch {branch}" in result.stderr
    second = repo.head.commit
    assert second.parents == (first,)
    assert second.summary == f"Resolve {OPEN}"

    run("postmortem", OPEN, "--commit", "--root", root)
    third = repo.head.commit
    assert third.parents == (second,)
    assert third.summary == f"Add a postmortem draft for {OPEN}"
    assert changed_files(third) == {f"incidents/{OPEN}.md"}

    run("resolve", SCHEDULED, "--at", "2026-12-15 04:00 UTC", "--commit", "--root", root)
    assert repo.head.commit.summary == f"Complete maintenance {SCHEDULED}"
    assert repo.active_branch.name == branch  # not a branch per event once off main
    assert branch_names(repo) == {"main", branch}
    assert repo.heads.main.commit == base
    assert not repo.is_dirty(untracked_files=True)
    for commit in (first, second, third, repo.head.commit):
        load_site(RevisionSource(repo, commit.hexsha, root))  # every commit is valid


def test_commit_on_a_feature_branch_stays_there(root: Path) -> None:
    repo = git.Repo(root)
    repo.git.switch("-c", "incident-work")
    run(
        "update",
        OPEN,
        "-s",
        "monitoring",
        "--at",
        "2026-11-28 15:00 UTC",
        "--commit",
        "--root",
        root,
    )
    assert repo.active_branch.name == "incident-work"
    assert branch_names(repo) == {"main", "incident-work"}
    assert repo.head.commit.parents == (repo.heads.main.commit,)


def test_taken_status_branch_gets_a_number(root: Path) -> None:
    repo = git.Repo(root)
    repo.create_head(f"status/{OPEN}")
    repo.create_head(f"status/{OPEN}-2")
    base = repo.head.commit
    result = run(
        "update",
        OPEN,
        "-s",
        "monitoring",
        "--at",
        "2026-11-28 15:00 UTC",
        "--commit",
        "--root",
        root,
    )
    assert f"Committed on branch status/{OPEN}-3" in result.stderr
    assert repo.active_branch.name == f"status/{OPEN}-3"
    assert repo.heads[f"status/{OPEN}"].commit == base
    assert repo.head.commit.parents == (base,)


def test_commit_when_the_status_repository_is_a_subfolder(tmp_path: Path) -> None:
    repo = init_git(tmp_path)
    (tmp_path / "code.py").write_text("print()\n", encoding="utf-8")
    root = tmp_path / "status"
    assert run("init", root).exit_code == 0
    base = commit_all(repo, "Code and status page")
    path = written_path(
        run(
            "new",
            "API down",
            "-c",
            "api",
            "--at",
            "2026-11-29 10:00 UTC",
            "--commit",
            "--root",
            root,
        )
    )
    assert repo.active_branch.name == "status/2026-11-29-api-down"
    assert changed_files(repo.head.commit) == {"status/incidents/2026-11-29-api-down.md"}
    assert repo.head.commit.parents == (base,)
    assert (
        path.read_bytes()
        == (repo.head.commit.tree / "status/incidents/2026-11-29-api-down.md").data_stream.read()
    )


def test_commit_outside_a_git_repository_fails_clearly(tmp_path: Path) -> None:
    root = tmp_path / "status"
    assert run("init", root).exit_code == 0
    result = run("new", "API down", "-c", "api", "--commit", "--root", root)
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr
    assert "git init" in result.stderr


def test_commit_outside_a_git_repository_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "status"
    assert run("init", root).exit_code == 0
    before = snapshot(root)
    result = run("new", "API down", "-c", "api", "--commit", "--root", root)
    assert result.exit_code == 1
    assert snapshot(root) == before


def test_commit_on_a_detached_head_fails_clearly(root: Path) -> None:
    repo = git.Repo(root)
    repo.git.switch("--detach")
    result = run(
        "update",
        OPEN,
        "-s",
        "monitoring",
        "--at",
        "2026-11-28 15:00 UTC",
        "--commit",
        "--root",
        root,
    )
    assert result.exit_code == 1
    assert "HEAD is detached" in result.stderr
    assert repo.head.is_detached


def test_commit_contains_only_the_status_file(root: Path) -> None:
    repo = git.Repo(root)
    (root / "unrelated.txt").write_text("work in progress\n", encoding="utf-8")
    repo.index.add(["unrelated.txt"])
    run(
        "update",
        OPEN,
        "-s",
        "monitoring",
        "--at",
        "2026-11-28 15:00 UTC",
        "--commit",
        "--root",
        root,
    )
    assert changed_files(repo.head.commit) == {f"incidents/{OPEN}.md"}


def test_full_story_as_real_processes(tmp_path: Path) -> None:
    """The 'done when' path: init, then new, update, resolve, postmortem with --commit."""
    root = tmp_path / "status"
    repo = init_git(root)
    assert statusgen("init", cwd=root).returncode == 0
    base = commit_all(repo, "statusgen init")
    steps: list[list[str]] = [
        [
            "new",
            "Elevated error rates on the API",
            "-c",
            "api=partial_outage",
            "--at",
            "2026-11-29 14:02 UTC",
        ],
        [
            "update",
            "2026-11-29-elevated-error-rates-on-the-api",
            "-s",
            "identified",
            "-m",
            "A bad deploy.",
            "--at",
            "2026-11-29 14:30 UTC",
        ],
        ["resolve", "2026-11-29-elevated-error-rates-on-the-api", "--at", "2026-11-29 15:40 UTC"],
        ["postmortem", "2026-11-29-elevated-error-rates-on-the-api"],
    ]
    for step in steps:
        result = statusgen(*step, "--commit", cwd=root)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "incidents/2026-11-29-elevated-error-rates-on-the-api.md"
    commits = list(repo.iter_commits(f"{base.hexsha}..HEAD", reverse=True))
    assert [str(c.message).split(" ")[0] for c in commits] == ["Open", "Update", "Resolve", "Add"]
    assert all("2026-11-29-elevated-error-rates-on-the-api" in str(c.message) for c in commits)
    assert repo.active_branch.name == "status/2026-11-29-elevated-error-rates-on-the-api"
    assert not repo.is_dirty(untracked_files=True)
    for commit in commits:
        load_site(RevisionSource(repo, commit.hexsha, root))
    final = event(
        load_site(RevisionSource(repo, "HEAD", root)), "2026-11-29-elevated-error-rates-on-the-api"
    )
    assert [u.status.value for u in final.updates] == ["investigating", "identified", "resolved"]
    assert final.postmortem is not None


@pytest.mark.parametrize(
    "message",
    [
        "Root cause found.\n## 2026-11-28 12:00 UTC — resolved\nAll good.",
        "Root cause found.\n# Postmortem\nDone.",
    ],
)
def test_a_message_cannot_smuggle_in_another_update_or_a_postmortem(
    root: Path, message: str
) -> None:
    path = written_path(
        run("new", "Cut", "-c", "api", "--at", "2026-11-28 10:00 UTC", "--root", root)
    )
    before = path.read_bytes()
    result = run("update", path.stem, "-s", "identified", "-m", message, "--root", root)
    assert result.exit_code == 1
    assert "line 2 of the message is a level-1 or level-2 heading" in result.stderr
    assert path.read_bytes() == before


def test_a_heading_inside_a_code_block_of_a_message_is_text(root: Path) -> None:
    message = "Logs:\n```\n## not a heading\n```"
    path = written_path(run("new", "Cut", "-c", "api", "-m", message, "--root", root))
    assert "## not a heading" in path.read_text()


def test_an_id_typed_without_its_date_suggests_the_nearest_ids(root: Path) -> None:
    result = run("update", "api-errors", "-s", "identified", "-m", "x", "--root", root)
    assert result.exit_code == 1
    assert f"no incident or maintenance 'api-errors' in incidents/; did you mean '{OPEN}'?" in (
        result.stderr
    )
    nothing_alike = run("resolve", "zzzz", "--root", root)
    assert "; the latest are '" in nothing_alike.stderr


def test_posting_twice_in_the_same_second_says_what_happened(root: Path) -> None:
    first = run("update", OPEN, "-s", "identified", "-m", "Found it.", "--root", root)
    assert first.exit_code == 0, first.output
    before = snapshot(root)
    again = run("update", OPEN, "-s", "monitoring", "-m", "Watching.", "--root", root)
    resolved = run("resolve", OPEN, "--root", root)
    for result in (again, resolved):
        if result.exit_code == 0:  # the clock moved on to the next second: no clash
            continue
        assert result.exit_code == 1
        assert f"{OPEN} has an update at now (" in result.stderr
        assert "two updates cannot share a time: wait a second, or give --at" in result.stderr
        assert "--at 20" not in result.stderr  # no --at was given: none is blamed
        assert ".md:" not in result.stderr  # nor lines of a file that was never written
    if again.exit_code == 1 and resolved.exit_code == 1:
        assert snapshot(root) == before


def test_statuses_are_spelt_as_in_files(root: Path) -> None:
    result = run("update", SCHEDULED, "-s", "In Progress", "-m", "Started.", "--root", root)
    assert result.exit_code == 0, result.output
    assert "— in_progress" in (root / "incidents" / f"{SCHEDULED}.md").read_text()


# Files as an editor leaves them ---------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_get_the_permissions_of_the_umask(root: Path, umask: int) -> None:
    args = ["new", "Queue delays", "-c", "api", "--impact", "minor", "-m", "Looking."]
    args += ["--at", "2026-11-29 10:00 UTC", "--root", str(root)]
    result = subprocess.run(
        [sys.executable, "-m", "statusgen", *args],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(umask),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip())  # relative to the working directory
    assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask


def test_an_update_keeps_the_permissions_the_file_had(root: Path) -> None:
    path = root / "incidents" / f"{OPEN}.md"
    path.chmod(0o640)
    run("update", OPEN, "--status", "monitoring", "-m", "Better.", "--root", root)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_linked_incident_is_refused_not_replaced(root: Path) -> None:
    path = root / "incidents" / f"{OPEN}.md"
    real = root / "incidents" / "real" / "api.txt"
    real.parent.mkdir()
    path.rename(real)
    path.symlink_to(real)
    before = real.read_bytes()
    result = statusgen("update", OPEN, "--status", "monitoring", "-m", "Better.", "--root", root)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"incidents/{OPEN}.md is a symbolic link: statusgen does not write through links"
    )
    assert path.is_symlink()
    assert real.read_bytes() == before
