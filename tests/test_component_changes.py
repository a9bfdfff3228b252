"""Component changes in updates (FORMAT.md v2) through derived state and uptime.

An incident's updates may change its components' statuses with a bracket in the heading.
In the incident, a component has the status of the latest update at or before a moment
that names it, else the frontmatter's; one not named yet is not affected; a resolved
incident affects none; this holds after a reopening too. Every figure below is worked out
by hand from the brackets.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus
from statusgen.render.statuspage import StatuspageDocuments
from statusgen.state.page import Indicator, PageState, derive
from tests.conftest import RepoWriter, statusgen

OPERATIONAL = ComponentStatus.OPERATIONAL
DEGRADED = ComponentStatus.DEGRADED_PERFORMANCE
PARTIAL = ComponentStatus.PARTIAL_OUTAGE
MAJOR_OUTAGE = ComponentStatus.MAJOR_OUTAGE
MINUTE = 60.0
DAY_MINUTES = 24 * 60


def at(hhmm: str, day: int = 28) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# Newest first, as the CLI writes it. The API is down, webhooks join at 14:30, both
# recover at 15:00; resolved at 15:40, reopened at 16:00, webhooks fail again at 16:20.
UNFOLDING = """\
---
title: API errors
impact: major
components:
  api: major_outage
---

## 2026-11-28 16:20 UTC — update [webhooks: major_outage]
Webhooks fail again.

## 2026-11-28 16:00 UTC — investigating
The errors are back.

## 2026-11-28 15:40 UTC — resolved
Resolved.

## 2026-11-28 15:00 UTC — monitoring [api: operational, webhooks: operational]
A fix is out; we are monitoring.

## 2026-11-28 14:30 UTC — identified [api: partial_outage, webhooks: degraded_performance]
Webhooks are slow too.

## 2026-11-28 14:00 UTC — investigating
The API is down.
"""


def page_at(make_repo: RepoWriter, files: dict[str, str], now: datetime) -> PageState:
    return derive(load_site(make_repo(files)), now, uptime_days=3)


@pytest.mark.parametrize(
    ("now", "api", "webhooks", "indicator"),
    [
        # Before the first update: not published.
        (at("13:59"), OPERATIONAL, OPERATIONAL, Indicator.NONE),
        # The frontmatter's status until an update names the component.
        (at("14:00"), MAJOR_OUTAGE, OPERATIONAL, Indicator.CRITICAL),
        (at("14:29"), MAJOR_OUTAGE, OPERATIONAL, Indicator.CRITICAL),
        # The change holds from its update on; webhooks join.
        (at("14:30"), PARTIAL, DEGRADED, Indicator.MAJOR),
        (at("14:59"), PARTIAL, DEGRADED, Indicator.MAJOR),
        # Recovered while the incident is still open: its impact still sets the indicator.
        (at("15:00"), OPERATIONAL, OPERATIONAL, Indicator.MAJOR),
        # Resolved: no component affected.
        (at("15:40"), OPERATIONAL, OPERATIONAL, Indicator.NONE),
        # Reopened: the statuses the latest changes gave, then a new change.
        (at("16:00"), OPERATIONAL, OPERATIONAL, Indicator.MAJOR),
        (at("16:20"), OPERATIONAL, MAJOR_OUTAGE, Indicator.CRITICAL),
        (at("23:00"), OPERATIONAL, MAJOR_OUTAGE, Indicator.CRITICAL),
    ],
)
def test_current_statuses_follow_the_changes(
    make_repo: RepoWriter,
    now: datetime,
    api: ComponentStatus,
    webhooks: ComponentStatus,
    indicator: Indicator,
) -> None:
    state = page_at(make_repo, {"api.md": UNFOLDING}, now)
    assert state.component_statuses["api"] is api
    assert state.component_statuses["webhooks"] is webhooks
    assert state.indicator is indicator


def test_a_component_joins_at_the_update_that_first_names_it(make_repo: RepoWriter) -> None:
    before = page_at(make_repo, {"api.md": UNFOLDING}, at("14:10"))
    (event,) = before.events
    assert dict(event.joined) == {"api": at("14:00")}
    assert before.events_by_component["webhooks"] == ()

    after = page_at(make_repo, {"api.md": UNFOLDING}, at("14:30"))
    (event,) = after.events
    assert dict(event.joined) == {"api": at("14:00"), "webhooks": at("14:30")}
    assert after.events_by_component["webhooks"] == (event,)


def test_status_in_the_event_at_any_past_moment(make_repo: RepoWriter) -> None:
    (event,) = page_at(make_repo, {"api.md": UNFOLDING}, at("23:00")).events
    expected = {
        "13:00": (None, None),
        "14:15": (MAJOR_OUTAGE, None),
        "14:45": (PARTIAL, DEGRADED),
        "15:20": (OPERATIONAL, OPERATIONAL),
        "15:50": (None, None),
        "16:10": (OPERATIONAL, OPERATIONAL),
        "16:30": (OPERATIONAL, MAJOR_OUTAGE),
    }
    for hhmm, (api, webhooks) in expected.items():
        moment = at(hhmm)
        assert event.component_status("api", moment) is api, hhmm
        assert event.component_status("webhooks", moment) is webhooks, hhmm
    assert event.last_status("webhooks") is MAJOR_OUTAGE
    assert event.component_periods("webhooks", at("17:00")) == (
        (at("14:30"), at("15:00"), DEGRADED),
        (at("15:00"), at("15:40"), OPERATIONAL),
        (at("16:00"), at("16:20"), OPERATIONAL),
        (at("16:20"), at("17:00"), MAJOR_OUTAGE),
    )


def test_an_incident_may_start_with_no_component(make_repo: RepoWriter) -> None:
    text = """\
        ---
        title: Slow dashboard
        impact: minor
        components: []
        ---
        ## 2026-11-28 14:20 UTC — identified [dashboard: degraded_performance]
        It is the dashboard.

        ## 2026-11-28 14:00 UTC — investigating
        Something is slow.
        """
    early = page_at(make_repo, {"slow.md": text}, at("14:10"))
    assert early.component_statuses["dashboard"] is OPERATIONAL
    assert early.indicator is Indicator.MINOR  # the incident's impact
    late = page_at(make_repo, {"slow.md": text}, at("14:20"))
    assert late.component_statuses["dashboard"] is DEGRADED


def test_the_worst_of_two_incidents_at_each_moment(make_repo: RepoWriter) -> None:
    other = """\
        ---
        title: Webhook backlog
        impact: minor
        components:
          webhooks: degraded_performance
        ---
        ## 2026-11-28 14:10 UTC — investigating
        A backlog.
        """
    files = {"api.md": UNFOLDING, "backlog.md": other}
    # At 14:10 only the backlog affects webhooks; at 14:30 both degrade them; at 15:00 the
    # first incident says operational, but the backlog still degrades them.
    assert page_at(make_repo, files, at("14:10")).component_statuses["webhooks"] is DEGRADED
    assert page_at(make_repo, files, at("15:00")).component_statuses["webhooks"] is DEGRADED
    assert page_at(make_repo, files, at("16:20")).component_statuses["webhooks"] is MAJOR_OUTAGE


# Uptime: a day with two changes ----------------------------------------------------------

# On 27 November: the API is down from 10:00; at 10:30 it is partially down and webhooks
# join, partially down; at 11:30 the API is degraded and webhooks operational; resolved at
# 12:30. A second incident takes webhooks fully down from 11:00 to 11:15.
TWO_CHANGES = """\
---
title: API errors
impact: critical
components:
  api: major_outage
---
## 2026-11-27 12:30 UTC — resolved
Resolved.

## 2026-11-27 11:30 UTC — monitoring [api: degraded_performance, webhooks: operational]
Recovering.

## 2026-11-27 10:30 UTC — identified [api: partial_outage, webhooks: partial_outage]
Mitigated; webhooks are affected too.

## 2026-11-27 10:00 UTC — investigating
The API is down.
"""
WEBHOOKS_DOWN = """\
---
title: Webhooks down
impact: critical
components:
  webhooks: major_outage
---
## 2026-11-27 11:15 UTC — resolved
Resolved.

## 2026-11-27 11:00 UTC — investigating
Down.
"""


def test_uptime_counts_the_status_each_component_had_minute_by_minute(
    make_repo: RepoWriter,
) -> None:
    files = {"api.md": TWO_CHANGES, "webhooks.md": WEBHOOKS_DOWN}
    state = page_at(make_repo, files, datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    api = next(d for d in state.uptime["api"].days if d.day.day == 27)
    webhooks = next(d for d in state.uptime["webhooks"].days if d.day.day == 27)

    # API: 30 min major (x1) + 60 min partial (x0.3) + 60 min degraded (x0) = 48 minutes,
    # where one status for the whole incident would have counted 150 minutes.
    assert api.downtime_seconds == pytest.approx(48 * MINUTE)
    assert api.uptime == pytest.approx(1 - 48 / DAY_MINUTES)  # 96.667 %
    assert api.worst_status is MAJOR_OUTAGE
    assert api.incident_ids == ("api",)

    # Webhooks: 10:30-11:00 partial (9 min), 11:00-11:15 down in the second incident
    # (15 min, the worst status counts once), 11:15-11:30 partial (4.5 min), then
    # operational: 28.5 minutes.
    assert webhooks.downtime_seconds == pytest.approx(28.5 * MINUTE)
    assert webhooks.uptime == pytest.approx(1 - 28.5 / DAY_MINUTES)  # 98.021 %
    assert webhooks.worst_status is MAJOR_OUTAGE
    assert webhooks.incident_ids == ("api", "webhooks")


def test_uptime_of_a_component_that_joins_late_starts_when_it_joins(
    make_repo: RepoWriter,
) -> None:
    # Webhooks are named at 10:30 only: nothing is counted against them before.
    state = page_at(make_repo, {"api.md": TWO_CHANGES}, datetime(2026, 11, 28, 12, tzinfo=UTC))
    webhooks = next(d for d in state.uptime["webhooks"].days if d.day.day == 27)
    assert webhooks.downtime_seconds == pytest.approx(60 * MINUTE * 0.3)
    assert webhooks.worst_status is PARTIAL


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-28 14:15 UTC", {"api": "major_outage", "webhooks": "operational"}),
        ("2026-11-28 14:45 UTC", {"api": "partial_outage", "webhooks": "degraded_performance"}),
        ("2026-11-28 15:10 UTC", {"api": "operational", "webhooks": "operational"}),
        ("2026-11-28 15:50 UTC", {"api": "operational", "webhooks": "operational"}),
        ("2026-11-28 16:30 UTC", {"api": "operational", "webhooks": "major_outage"}),
    ],
)
def test_statusgen_status_json_at_several_moments(
    make_repo: RepoWriter, now: str, expected: dict[str, str]
) -> None:
    root = make_repo({"api.md": UNFOLDING})
    result = statusgen("status", "--root", root, "--now", now, "--json")
    assert result.returncode == 0, result.stderr
    components = {c["id"]: c["status"] for c in json.loads(result.stdout)["components"]}
    assert {cid: components[cid] for cid in expected} == expected


# The API against a recorded Statuspage response -------------------------------------------

# githubstatus.com's incidents.json of 2024-09-17 (source in tests/data/statuspage/README.md):
# its first incident, "Incident with Pages and Actions", has six updates.
RECORDED = Path(__file__).parent / "data" / "statuspage" / "github-2024-09-17" / "incidents.json"

# The recorded GitHub incident written in FORMAT.md v2: Pages and Actions partially down,
# Actions fully down at 21:37, Pages back at 21:52, an update with no change at 21:53,
# Actions partially down at 21:55, resolved at 22:08.
GITHUB_COMPONENTS = """\
components:
  - id: actions
    name: Actions
  - id: pages
    name: Pages
"""
GITHUB_INCIDENT = """\
---
title: Incident with Pages and Actions
impact: major
components:
  pages: partial_outage
  actions: partial_outage
---
## 2024-09-16 22:08:39 UTC — resolved
This incident has been resolved.

## 2024-09-16 21:55:28 UTC — investigating [actions: partial_outage]
Actions is experiencing degraded performance. We are continuing to investigate.

## 2024-09-16 21:53:48 UTC — investigating
A mitigation has been applied and jobs are starting to recover.

## 2024-09-16 21:52:44 UTC — investigating [pages: operational]
Pages is operating normally.

## 2024-09-16 21:37:26 UTC — investigating [actions: major_outage]
Actions is experiencing degraded availability. We are continuing to investigate.

## 2024-09-16 21:31:02 UTC — investigating
We are investigating reports of degraded performance for Actions and Pages
"""


def _transitions(incident: dict[str, Any]) -> list[list[tuple[str, str, str]] | None]:
    """Each update's affected components as (name, old, new), newest update first."""
    return [
        None
        if update["affected_components"] is None
        else [(c["name"], c["old_status"], c["new_status"]) for c in update["affected_components"]]
        for update in incident["incident_updates"]
    ]


def test_affected_components_read_like_a_recorded_statuspage_incident(
    make_repo: RepoWriter,
) -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))["incidents"][0]
    root = make_repo({"github.md": GITHUB_INCIDENT}, components=GITHUB_COMPONENTS)
    state = derive(load_site(root), datetime(2024, 9, 17, 8, tzinfo=UTC))
    ours = StatuspageDocuments(state, read_site_config(root)).document("api/v2/incidents.json")
    (incident,) = ours["incidents"]

    assert _transitions(incident) == _transitions(recorded)
    for update, real in zip(
        incident["incident_updates"], recorded["incident_updates"], strict=True
    ):
        assert [set(c) for c in update["affected_components"]] == [
            set(c) for c in real["affected_components"]
        ]
    assert [c["name"] for c in incident["components"]] == [
        c["name"] for c in recorded["components"]
    ]


def test_a_late_joining_component_is_listed_from_the_update_that_names_it(
    make_repo: RepoWriter,
) -> None:
    root = make_repo({"api.md": UNFOLDING})
    state = derive(load_site(root), at("23:00"))
    ours = StatuspageDocuments(state, read_site_config(root)).document("api/v2/incidents.json")
    (incident,) = ours["incidents"]
    assert _transitions(incident) == [
        [("API", "operational", "operational"), ("Webhooks", "operational", "major_outage")],
        [("API", "operational", "operational"), ("Webhooks", "operational", "operational")],
        [("API", "operational", "operational"), ("Webhooks", "operational", "operational")],
        [
            ("API", "partial_outage", "operational"),
            ("Webhooks", "degraded_performance", "operational"),
        ],
        [
            ("API", "major_outage", "partial_outage"),
            ("Webhooks", "operational", "degraded_performance"),
        ],
        [("API", "operational", "major_outage")],
    ]
    # Every component the incident ever affected, in display order.
    assert [c["id"] for c in incident["components"]] == ["api", "webhooks"]
    # Before webhooks join, the incident lists only the API.
    early = derive(load_site(root), at("14:10"))
    early_documents = StatuspageDocuments(early, read_site_config(root))
    (incident,) = early_documents.document("api/v2/incidents.json")["incidents"]
    assert [c["id"] for c in incident["components"]] == ["api"]


# Pages and feeds ---------------------------------------------------------------------------


def test_pages_and_feeds_say_what_each_update_changed(make_repo: RepoWriter) -> None:
    root = make_repo(
        {"2026-11-28-api.md": UNFOLDING},
        mkdocs="site_name: Example Status\nsite_url: https://status.example.com/\n"
        "theme: {name: material}\nplugins: [statusgen]\n",
    )
    (root / "docs").mkdir()
    result = statusgen("build", "--root", root, "--now", "2026-11-28 16:40 UTC")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    page = (site / "incidents" / "2026-11-28-api" / "index.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    # Each update lists the changes its bracket made, with the status before.
    assert "API: Major outage → Partial outage Webhooks: Operational → Degraded performance" in text
    assert "API: Partial outage → Operational Webhooks: Degraded performance → Operational" in text
    assert "Webhooks: Operational → Major outage" in text
    # The affected components: their status in the incident now, and when a late one joined.
    assert "API Operational Webhooks Major outage since Nov 28, 2026, 14:30 UTC" in text
    assert text.count(" → ") == 5  # no change shown on updates without a bracket

    # The overview shows the current statuses, not the worst the incident ever had.
    overview = " ".join(re.sub(r"<[^>]+>", " ", (site / "index.html").read_text()).split())
    assert re.search(r"API [^A-Z]*Operational", overview)

    atom = feedparser.parse((site / "feed.atom").read_bytes())
    entries = {e.title: e for e in atom.entries}
    identified = entries["Identified: API errors"]
    assert "<li>API: Major outage → Partial outage</li>" in identified.content[0].value
    assert "<li>Webhooks: Operational → Degraded performance</li>" in identified.content[0].value
    assert "→" not in entries["Investigating: API errors"].content[0].value
    # Webhooks' own feed lists the incident they joined.
    webhooks = feedparser.parse((site / "components" / "webhooks" / "feed.atom").read_bytes())
    assert {e.title for e in webhooks.entries} >= {"Identified: API errors"}
    assert [t.term for t in identified.tags] == ["API", "Webhooks"]


# Authoring -------------------------------------------------------------------------------


def test_updates_posted_with_the_cli_write_brackets_that_the_api_publishes(
    make_repo: RepoWriter,
) -> None:
    root = make_repo({})
    (root / "templates").mkdir()
    (root / "templates" / "recovering.md").write_text(
        "{title}: what changed: {changes}. Affected: {components}.\n", encoding="utf-8"
    )

    def cli(*args: str) -> None:
        result = statusgen(*args, "--root", root)
        assert result.returncode == 0, result.stderr

    cli(
        "new",
        "API errors",
        "--id",
        "api",
        "-c",
        "api=major_outage",
        "--at",
        "2026-11-28 14:00Z",
        "--message",
        "The API is down.",
    )
    cli(
        "update",
        "api",
        "--status",
        "identified",
        "-c",
        "api=partial_outage",
        "--component",
        "webhooks=Degraded performance",
        "--at",
        "2026-11-28 14:30Z",
        "--message",
        "Mitigated; webhooks are slow.",
    )
    cli(
        "update",
        "api",
        "-s",
        "monitoring",
        "-c",
        "api=operational",
        "-c",
        "webhooks=operational",
        "--at",
        "2026-11-28 15:00Z",
        "--template",
        "recovering",
    )
    cli("resolve", "api", "--at", "2026-11-28 15:40Z", "--message", "Resolved.")

    text = (root / "incidents" / "api.md").read_text(encoding="utf-8")
    assert (
        "## 2026-11-28 14:30 UTC — identified "
        "[api: partial_outage, webhooks: degraded_performance]\n" in text
    )
    assert (
        "## 2026-11-28 15:00 UTC — monitoring [api: operational, webhooks: operational]\n"
        "API errors: what changed: API: Partial outage → Operational; "
        "Webhooks: Degraded performance → Operational. Affected: API and Webhooks.\n"
    ) in text

    for now, expected in (
        ("2026-11-28 14:45 UTC", {"api": "partial_outage", "webhooks": "degraded_performance"}),
        ("2026-11-28 15:10 UTC", {"api": "operational", "webhooks": "operational"}),
    ):
        result = statusgen("status", "--root", root, "--now", now, "--json")
        summary = json.loads(result.stdout)
        assert {
            c["id"]: c["status"] for c in summary["components"] if c["id"] in expected
        } == expected
    result = statusgen("status", "--root", root, "--now", "2026-11-28 15:10 UTC", "--json")
    (incident,) = json.loads(result.stdout)["incidents"]
    assert _transitions(incident) == [
        [
            ("API", "partial_outage", "operational"),
            ("Webhooks", "degraded_performance", "operational"),
        ],
        [
            ("API", "major_outage", "partial_outage"),
            ("Webhooks", "operational", "degraded_performance"),
        ],
        [("API", "operational", "major_outage")],
    ]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("-s", "update", "-c", "apii=operational"),
            ("unknown component 'apii'", "did you mean 'api'"),
        ),
        (("-s", "update", "-c", "api=fine"), ("unknown component status 'fine'",)),
        (("-s", "update", "-c", "api"), ("--component api: give the status",)),
        (("-s", "update", "-c", "api=operational", "-c", "api=major_outage"), ("given twice",)),
        (
            ("-s", "update", "-c", "api=operational, webhooks: major_outage"),
            ("unknown component status",),
        ),
        (
            ("-s", "resolved", "-c", "api=operational"),
            ("a 'resolved' update cannot change components",),
        ),
    ],
)
def test_a_wrong_component_change_is_refused_and_nothing_is_written(
    make_repo: RepoWriter, args: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    root = make_repo({"api.md": UNFOLDING})
    before = (root / "incidents" / "api.md").read_bytes()
    result = statusgen(
        "update", "api", *args, "--message", "Text.", "--at", "2026-11-28 23:00Z", "--root", root
    )
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert (root / "incidents" / "api.md").read_bytes() == before


def test_a_maintenance_update_takes_no_component_change(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "upgrade.md": """\
            ---
            title: Upgrade
            type: maintenance
            scheduled_start: 2026-12-01 02:00 UTC
            scheduled_end: 2026-12-01 04:00 UTC
            components: [api]
            ---
            ## 2026-11-20 09:00 UTC — scheduled
            Announced.
            """
        }
    )
    result = statusgen(
        "update",
        "upgrade",
        "-s",
        "in_progress",
        "-c",
        "api=operational",
        "--message",
        "Started.",
        "--root",
        root,
    )
    assert result.returncode == 1
    assert "a maintenance update cannot change components" in result.stderr


@pytest.mark.parametrize(
    ("now", "api", "webhooks"),
    [
        ("2026-11-28 14:10 UTC", "partial_outage", "operational"),
        ("2026-11-28 14:40 UTC", "partial_outage", "degraded_performance"),
        ("2026-11-28 15:10 UTC", "operational", "degraded_performance"),
        ("2026-11-28 15:50 UTC", "operational", "operational"),
    ],
)
def test_the_example_site_shows_a_recovery_and_a_late_joining_component(
    now: str, api: str, webhooks: str
) -> None:
    project = Path(__file__).parent.parent
    result = statusgen("status", "--root", project, "--now", now, "--json")
    assert result.returncode == 0, result.stderr
    statuses = {c["id"]: c["status"] for c in json.loads(result.stdout)["components"]}
    assert (statuses["api"], statuses["webhooks"]) == (api, webhooks)
