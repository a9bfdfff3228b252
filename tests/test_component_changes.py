"""Component changes in updates (FORMAT.md v2) through derived state and uptime.

An incident's updates may change its components' statuses with a bracket in the heading.
In the incident, a component has the status of the latest update at or before a moment
that names it, else the frontmatter's; one not named yet is not affected; a resolved
incident affects none; this holds after a reopening too. Every figure below is worked out
by hand from the brackets.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus
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
