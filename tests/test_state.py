"""Derived state (statusgen.state) at fixed moments, from real repositories.

FORMAT.md, "Derived facts": an incident starts at its earliest update and is resolved at
its latest ``resolved`` update unless a later update reopened it; a maintenance is
upcoming before its window until an update says otherwise, in progress from
``in_progress`` or from the window's start, over at ``completed`` or at the window's end;
a component's status is the worst among active incidents and in-progress maintenances;
the page indicator follows Statuspage. Updates dated after ``now`` are not published.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone

import pytest

from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus, IncidentStatus, MaintenanceStatus
from statusgen.state.events import EventState, KeptStates
from statusgen.state.page import Indicator, PageState, derive
from tests.conftest import RepoWriter

OPERATIONAL = ComponentStatus.OPERATIONAL
UNDER_MAINTENANCE = ComponentStatus.UNDER_MAINTENANCE
DEGRADED = ComponentStatus.DEGRADED_PERFORMANCE
PARTIAL = ComponentStatus.PARTIAL_OUTAGE
MAJOR_OUTAGE = ComponentStatus.MAJOR_OUTAGE

Components = Mapping[str, str] | Sequence[str]


def at(hhmm: str, day: int = 28) -> datetime:
    """A moment of November 2026 in UTC: ``at("14:30")`` is 2026-11-28 14:30 UTC."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _frontmatter_components(components: Components) -> str:
    if isinstance(components, Mapping):
        if not components:
            return "components: {}\n"
        return "components:\n" + "".join(
            f"  {cid}: {status}\n" for cid, status in components.items()
        )
    return f"components: [{', '.join(components)}]\n"


def _updates(updates: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f"## {timestamp} UTC — {status}\nThe {status} update.\n\n" for timestamp, status in updates
    )


def incident(
    *updates: tuple[str, str],
    impact: str = "major",
    components: Components = ("api",),
    title: str = "Elevated error rates",
) -> str:
    """An incident file; updates are ``("2026-11-28 14:02", "investigating")`` pairs."""
    return (
        f"---\ntitle: {title}\nimpact: {impact}\n{_frontmatter_components(components)}---\n\n"
        + _updates(updates)
    )


def maintenance(
    *updates: tuple[str, str],
    start: str,
    end: str,
    components: Components = ("api",),
    title: str = "Database upgrade",
) -> str:
    """A maintenance file with the window ``start``..``end`` (UTC timestamps)."""
    return (
        f"---\ntitle: {title}\ntype: maintenance\n"
        f"scheduled_start: {start} UTC\nscheduled_end: {end} UTC\n"
        f"{_frontmatter_components(components)}---\n\n" + _updates(updates)
    )


def page_at(make_repo: RepoWriter, files: dict[str, str | bytes], now: datetime) -> PageState:
    return derive(load_site(make_repo(files)), now)


def only_event(state: PageState) -> EventState:
    assert len(state.events) == 1, [e.id for e in state.events]
    return state.events[0]


# Incidents ---------------------------------------------------------------------------------

# Written newest first, as the CLI writes them; the loader sorts them by time.
API_INCIDENT = incident(
    ("2026-11-28 15:40", "resolved"),
    ("2026-11-28 14:30", "identified"),
    ("2026-11-28 14:02", "investigating"),
    components={"api": "partial_outage"},
)


def test_incident_is_not_published_before_its_first_update(make_repo: RepoWriter) -> None:
    state = page_at(make_repo, {"2026-11-28-api.md": API_INCIDENT}, at("14:01"))

    assert state.events == ()
    assert state.incidents == ()
    assert state.active_incidents == ()
    assert state.component_statuses["api"] is OPERATIONAL
    assert state.indicator is Indicator.NONE


@pytest.mark.parametrize(
    ("now", "status", "published", "component_status"),
    [
        pytest.param(at("14:02"), IncidentStatus.INVESTIGATING, 1, PARTIAL, id="at-first-update"),
        pytest.param(at("14:29"), IncidentStatus.INVESTIGATING, 1, PARTIAL, id="investigating"),
        pytest.param(at("14:30"), IncidentStatus.IDENTIFIED, 2, PARTIAL, id="identified"),
        pytest.param(at("15:39"), IncidentStatus.IDENTIFIED, 2, PARTIAL, id="before-resolution"),
    ],
)
def test_ongoing_incident(
    make_repo: RepoWriter,
    now: datetime,
    status: IncidentStatus,
    published: int,
    component_status: ComponentStatus,
) -> None:
    state = page_at(make_repo, {"2026-11-28-api.md": API_INCIDENT}, now)

    event = only_event(state)
    assert event.id == "2026-11-28-api"
    assert event.status is status
    assert event.started_at == at("14:02")
    assert event.ended_at is None
    assert event.is_active
    assert not event.is_upcoming
    assert len(event.updates) == published
    assert state.active_incidents == (event,)
    assert state.component_statuses["api"] is component_status
    assert state.component_statuses["webhooks"] is OPERATIONAL


@pytest.mark.parametrize("now", [at("15:40"), at("18:00"), at("09:00", day=30)])
def test_resolved_incident(make_repo: RepoWriter, now: datetime) -> None:
    state = page_at(make_repo, {"2026-11-28-api.md": API_INCIDENT}, now)

    event = only_event(state)
    assert event.status is IncidentStatus.RESOLVED
    assert event.started_at == at("14:02")
    assert event.ended_at == at("15:40")
    assert not event.is_active
    assert state.active_incidents == ()
    assert state.incidents == (event,)
    assert state.component_statuses["api"] is OPERATIONAL
    assert state.indicator is Indicator.NONE


REOPENED = incident(
    ("2026-11-28 10:00", "investigating"),
    ("2026-11-28 11:00", "resolved"),
    ("2026-11-28 12:00", "investigating"),
    ("2026-11-28 12:30", "monitoring"),
    ("2026-11-28 13:00", "resolved"),
    impact="critical",
    components={"api": "major_outage"},
)


@pytest.mark.parametrize(
    ("now", "status", "ended_at", "component_status"),
    [
        pytest.param(at("10:30"), IncidentStatus.INVESTIGATING, None, MAJOR_OUTAGE, id="open"),
        pytest.param(at("11:30"), IncidentStatus.RESOLVED, at("11:00"), OPERATIONAL, id="resolved"),
        pytest.param(at("12:00"), IncidentStatus.INVESTIGATING, None, MAJOR_OUTAGE, id="reopened"),
        pytest.param(at("12:45"), IncidentStatus.MONITORING, None, MAJOR_OUTAGE, id="monitoring"),
        pytest.param(
            at("13:30"), IncidentStatus.RESOLVED, at("13:00"), OPERATIONAL, id="resolved-again"
        ),
    ],
)
def test_reopened_incident(
    make_repo: RepoWriter,
    now: datetime,
    status: IncidentStatus,
    ended_at: datetime | None,
    component_status: ComponentStatus,
) -> None:
    state = page_at(make_repo, {"2026-11-28-reopened.md": REOPENED}, now)

    event = only_event(state)
    assert event.status is status
    assert event.started_at == at("10:00")
    assert event.ended_at == ended_at
    assert event.is_active is (ended_at is None)
    assert state.component_statuses["api"] is component_status


def test_update_after_resolved_keeps_the_incident_resolved(make_repo: RepoWriter) -> None:
    text = incident(
        ("2026-11-28 10:00", "investigating"),
        ("2026-11-28 11:00", "resolved"),
        ("2026-11-28 16:00", "update"),  # e.g. "the postmortem is published"
        components={"api": "major_outage"},
    )
    state = page_at(make_repo, {"2026-11-28-api.md": text}, at("17:00"))

    event = only_event(state)
    assert event.status is IncidentStatus.RESOLVED
    assert event.ended_at == at("11:00")
    assert not event.is_active
    assert len(event.updates) == 3
    assert event.last_update.status is IncidentStatus.UPDATE
    assert event.updated_at == at("16:00")
    assert state.component_statuses["api"] is OPERATIONAL
    assert state.indicator is Indicator.NONE


def test_update_keeps_the_status_it_follows(make_repo: RepoWriter) -> None:
    text = incident(
        ("2026-11-28 10:00", "investigating"),
        ("2026-11-28 10:30", "identified"),
        ("2026-11-28 11:00", "update"),
        components={"api": "partial_outage"},
    )
    state = page_at(make_repo, {"2026-11-28-api.md": text}, at("11:30"))

    event = only_event(state)
    assert event.status is IncidentStatus.IDENTIFIED
    assert event.is_active
    assert state.component_statuses["api"] is PARTIAL


def test_updates_after_now_are_hidden(make_repo: RepoWriter) -> None:
    state = page_at(make_repo, {"2026-11-28-api.md": API_INCIDENT}, at("14:45"))

    event = only_event(state)
    assert [u.at for u in event.updates] == [at("14:02"), at("14:30")]
    assert [u.status for u in event.updates] == [
        IncidentStatus.INVESTIGATING,
        IncidentStatus.IDENTIFIED,
    ]
    assert event.last_update.at == at("14:30")
    assert event.updated_at == at("14:30")
    assert event.created_at == at("14:02")
    assert state.updated_at == at("14:30")
    # The full event still has all three: only the state hides the future one.
    assert len(event.event.updates) == 3


def test_updates_are_published_at_their_instant_whatever_the_zone_of_now(
    make_repo: RepoWriter,
) -> None:
    # 16:30 at +02:00 is 14:30 UTC: the "identified" update is published exactly then.
    now = datetime(2026, 11, 28, 16, 30, tzinfo=timezone(timedelta(hours=2)))
    state = page_at(make_repo, {"2026-11-28-api.md": API_INCIDENT}, now)

    assert only_event(state).status is IncidentStatus.IDENTIFIED


# Maintenance -------------------------------------------------------------------------------

WINDOW = {"start": "2026-11-28 10:00", "end": "2026-11-28 12:00"}
ANNOUNCED = ("2026-11-27 09:00", "scheduled")
PLAIN_MAINTENANCE = maintenance(ANNOUNCED, **WINDOW)


def test_maintenance_is_not_published_before_its_announcement(make_repo: RepoWriter) -> None:
    state = page_at(make_repo, {"2026-11-28-db.md": PLAIN_MAINTENANCE}, at("08:59", day=27))

    assert state.events == ()
    assert state.upcoming_maintenances == ()


@pytest.mark.parametrize(
    ("now", "status", "started_at", "ended_at"),
    [
        pytest.param(at("09:00", day=27), MaintenanceStatus.SCHEDULED, None, None, id="announced"),
        pytest.param(at("09:59"), MaintenanceStatus.SCHEDULED, None, None, id="just-before"),
        pytest.param(at("10:00"), MaintenanceStatus.IN_PROGRESS, at("10:00"), None, id="start"),
        pytest.param(at("11:00"), MaintenanceStatus.IN_PROGRESS, at("10:00"), None, id="inside"),
        pytest.param(
            at("12:00"), MaintenanceStatus.COMPLETED, at("10:00"), at("12:00"), id="window-end"
        ),
        pytest.param(
            at("08:00", day=29), MaintenanceStatus.COMPLETED, at("10:00"), at("12:00"), id="after"
        ),
    ],
)
def test_maintenance_follows_its_window(
    make_repo: RepoWriter,
    now: datetime,
    status: MaintenanceStatus,
    started_at: datetime | None,
    ended_at: datetime | None,
) -> None:
    state = page_at(make_repo, {"2026-11-28-db.md": PLAIN_MAINTENANCE}, now)

    event = only_event(state)
    assert event.is_maintenance
    assert event.status is status
    assert event.started_at == started_at
    assert event.ended_at == ended_at
    upcoming = status is MaintenanceStatus.SCHEDULED
    in_progress = started_at is not None and ended_at is None
    assert event.is_upcoming is upcoming
    assert event.is_active is in_progress
    assert state.upcoming_maintenances == ((event,) if upcoming else ())
    assert state.maintenances_in_progress == ((event,) if in_progress else ())
    assert state.active_incidents == ()
    assert state.component_statuses["api"] is (UNDER_MAINTENANCE if in_progress else OPERATIONAL)
    assert state.indicator is (Indicator.MAINTENANCE if in_progress else Indicator.NONE)


@pytest.mark.parametrize(
    "early_status", [MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING]
)
def test_maintenance_started_early_by_an_update(
    make_repo: RepoWriter, early_status: MaintenanceStatus
) -> None:
    text = maintenance(ANNOUNCED, ("2026-11-28 09:30", early_status.value), **WINDOW)
    state = page_at(make_repo, {"2026-11-28-db.md": text}, at("09:45"))

    event = only_event(state)
    assert event.status is early_status
    assert event.started_at == at("09:30")
    assert event.ended_at is None
    assert event.is_active
    assert not event.is_upcoming
    assert state.upcoming_maintenances == ()
    assert state.maintenances_in_progress == (event,)
    assert state.component_statuses["api"] is UNDER_MAINTENANCE
    assert state.indicator is Indicator.MAINTENANCE


def test_maintenance_completed_early(make_repo: RepoWriter) -> None:
    text = maintenance(
        ANNOUNCED,
        ("2026-11-28 10:00", "in_progress"),
        ("2026-11-28 10:40", "verifying"),
        ("2026-11-28 11:00", "completed"),
        **WINDOW,
    )
    files: dict[str, str | bytes] = {"2026-11-28-db.md": text}

    verifying = only_event(page_at(make_repo, files, at("10:50")))
    assert verifying.status is MaintenanceStatus.VERIFYING
    assert verifying.is_active

    state = page_at(make_repo, files, at("11:30"))  # still inside the announced window
    event = only_event(state)
    assert event.status is MaintenanceStatus.COMPLETED
    assert event.started_at == at("10:00")
    assert event.ended_at == at("11:00")
    assert not event.is_active
    assert not event.is_upcoming
    assert state.maintenances_in_progress == ()
    assert state.upcoming_maintenances == ()
    assert state.component_statuses["api"] is OPERATIONAL
    assert state.indicator is Indicator.NONE


def test_maintenance_is_over_at_window_end_without_a_completed_update(
    make_repo: RepoWriter,
) -> None:
    text = maintenance(ANNOUNCED, ("2026-11-28 10:00", "in_progress"), **WINDOW)
    state = page_at(make_repo, {"2026-11-28-db.md": text}, at("12:30"))

    event = only_event(state)
    assert event.status is MaintenanceStatus.COMPLETED
    assert event.started_at == at("10:00")
    assert event.ended_at == at("12:00")
    assert not event.is_active
    assert state.component_statuses["api"] is OPERATIONAL
    assert state.indicator is Indicator.NONE


def test_maintenance_cancelled_before_its_window_never_runs(make_repo: RepoWriter) -> None:
    text = maintenance(ANNOUNCED, ("2026-11-28 08:00", "completed"), **WINDOW)
    files: dict[str, str | bytes] = {"2026-11-28-db.md": text}

    for now in (at("09:00"), at("11:00"), at("13:00")):
        state = page_at(make_repo, files, now)
        event = only_event(state)
        assert event.status is MaintenanceStatus.COMPLETED, now
        assert not event.is_upcoming, now
        assert not event.is_active, now
        assert state.component_statuses["api"] is OPERATIONAL, now
        assert state.indicator is Indicator.NONE, now


# Announced for 10:00, started, then postponed to the window now in the frontmatter.
POSTPONED = maintenance(
    ANNOUNCED,
    ("2026-11-28 10:00", "in_progress"),
    ("2026-11-28 10:20", "scheduled"),
    start="2026-11-28 14:00",
    end="2026-11-28 16:00",
)


@pytest.mark.parametrize(
    ("now", "status", "started_at", "ended_at"),
    [
        pytest.param(at("10:10"), MaintenanceStatus.IN_PROGRESS, at("10:00"), None, id="started"),
        pytest.param(at("11:00"), MaintenanceStatus.SCHEDULED, None, None, id="postponed"),
        pytest.param(at("13:59"), MaintenanceStatus.SCHEDULED, None, None, id="before-new-window"),
        pytest.param(
            at("15:00"), MaintenanceStatus.IN_PROGRESS, at("14:00"), None, id="new-window"
        ),
        pytest.param(at("16:30"), MaintenanceStatus.COMPLETED, at("14:00"), at("16:00"), id="over"),
    ],
)
def test_postponed_maintenance(
    make_repo: RepoWriter,
    now: datetime,
    status: MaintenanceStatus,
    started_at: datetime | None,
    ended_at: datetime | None,
) -> None:
    state = page_at(make_repo, {"2026-11-28-db.md": POSTPONED}, now)

    event = only_event(state)
    assert event.status is status
    assert event.started_at == started_at
    assert event.ended_at == ended_at
    assert event.is_upcoming is (status is MaintenanceStatus.SCHEDULED)
    in_progress = status is MaintenanceStatus.IN_PROGRESS
    assert state.component_statuses["api"] is (UNDER_MAINTENANCE if in_progress else OPERATIONAL)


# Component statuses ------------------------------------------------------------------------

OVERLAPPING = {
    "a-degraded.md": incident(
        ("2026-11-28 10:00", "investigating"),
        ("2026-11-28 16:00", "resolved"),
        impact="minor",
        components={"api": "degraded_performance"},
    ),
    "b-major.md": incident(
        ("2026-11-28 11:00", "investigating"),
        ("2026-11-28 12:00", "resolved"),
        impact="critical",
        components={"api": "major_outage", "webhooks": "degraded_performance"},
    ),
    "c-partial.md": incident(
        ("2026-11-28 11:30", "investigating"),
        ("2026-11-28 13:00", "resolved"),
        impact="major",
        components={"api": "partial_outage", "webhooks": "partial_outage"},
    ),
}


@pytest.mark.parametrize(
    ("now", "api", "webhooks"),
    [
        pytest.param(at("09:00"), OPERATIONAL, OPERATIONAL, id="none-yet"),
        pytest.param(at("10:30"), DEGRADED, OPERATIONAL, id="degraded"),
        pytest.param(at("11:15"), MAJOR_OUTAGE, DEGRADED, id="degraded+major"),
        pytest.param(at("11:45"), MAJOR_OUTAGE, PARTIAL, id="all-three"),
        pytest.param(at("12:30"), PARTIAL, PARTIAL, id="major-resolved"),
        pytest.param(at("14:00"), DEGRADED, OPERATIONAL, id="partial-resolved"),
        pytest.param(at("16:00"), OPERATIONAL, OPERATIONAL, id="all-resolved"),
    ],
)
def test_overlapping_incidents_give_the_worst_status(
    make_repo: RepoWriter, now: datetime, api: ComponentStatus, webhooks: ComponentStatus
) -> None:
    state = page_at(make_repo, dict(OVERLAPPING), now)

    assert state.component_statuses["api"] is api
    assert state.component_statuses["webhooks"] is webhooks
    assert state.component_statuses["dashboard"] is OPERATIONAL
    assert state.component_statuses["website"] is OPERATIONAL


def test_every_component_has_a_status(make_repo: RepoWriter) -> None:
    state = page_at(make_repo, dict(OVERLAPPING), at("11:45"))

    assert list(state.component_statuses) == ["api", "webhooks", "dashboard", "website"]


MAINTENANCE_ON_API = maintenance(ANNOUNCED, **WINDOW, components=["api", "webhooks"])


@pytest.mark.parametrize(
    ("incident_components", "api", "webhooks", "dashboard", "indicator"),
    [
        pytest.param(
            {"api": "degraded_performance"},
            DEGRADED,
            UNDER_MAINTENANCE,
            OPERATIONAL,
            Indicator.MINOR,
            id="incident-on-same-component",
        ),
        pytest.param(
            {"api": "major_outage"},
            MAJOR_OUTAGE,
            UNDER_MAINTENANCE,
            OPERATIONAL,
            Indicator.CRITICAL,
            id="outage-during-maintenance",
        ),
        pytest.param(
            {"dashboard": "degraded_performance"},
            UNDER_MAINTENANCE,
            UNDER_MAINTENANCE,
            DEGRADED,
            Indicator.MINOR,
            id="incident-elsewhere",
        ),
    ],
)
def test_maintenance_and_incident(
    make_repo: RepoWriter,
    incident_components: dict[str, str],
    api: ComponentStatus,
    webhooks: ComponentStatus,
    dashboard: ComponentStatus,
    indicator: Indicator,
) -> None:
    files: dict[str, str | bytes] = {
        "db.md": MAINTENANCE_ON_API,
        "errors.md": incident(
            ("2026-11-28 10:30", "investigating"), impact="minor", components=incident_components
        ),
    }
    state = page_at(make_repo, files, at("11:00"))

    assert state.component_statuses["api"] is api
    assert state.component_statuses["webhooks"] is webhooks
    assert state.component_statuses["dashboard"] is dashboard
    assert state.indicator is indicator


def test_list_form_components_take_the_status_implied_by_impact(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        f"{impact}.md": incident(
            ("2026-11-28 10:00", "investigating"), impact=impact, components=[component]
        )
        for impact, component in [
            ("none", "api"),
            ("minor", "webhooks"),
            ("major", "dashboard"),
            ("critical", "website"),
        ]
    }
    state = page_at(make_repo, files, at("11:00"))

    assert dict(state.component_statuses) == {
        "api": DEGRADED,
        "webhooks": DEGRADED,
        "dashboard": PARTIAL,
        "website": MAJOR_OUTAGE,
    }


# Page indicator ----------------------------------------------------------------------------


def _ongoing(impact: str, components: Components) -> str:
    return incident(("2026-11-28 10:00", "investigating"), impact=impact, components=components)


def _resolved(impact: str, components: Components) -> str:
    return incident(
        ("2026-11-28 09:00", "investigating"),
        ("2026-11-28 09:30", "resolved"),
        impact=impact,
        components=components,
    )


IN_PROGRESS_MAINTENANCE = maintenance(ANNOUNCED, **WINDOW, components=["dashboard"])
UPCOMING_MAINTENANCE = maintenance(
    ANNOUNCED, start="2026-11-29 10:00", end="2026-11-29 12:00", components=["dashboard"]
)

INDICATOR_CASES = [
    pytest.param({}, Indicator.NONE, id="nothing"),
    pytest.param({"r.md": _resolved("critical", ["api"])}, Indicator.NONE, id="resolved-only"),
    pytest.param({"m.md": UPCOMING_MAINTENANCE}, Indicator.NONE, id="upcoming-maintenance"),
    pytest.param(
        {"i.md": _ongoing("minor", {"api": "degraded_performance"})},
        Indicator.MINOR,
        id="degraded",
    ),
    pytest.param(
        {"i.md": _ongoing("none", {"api": "degraded_performance"})},
        Indicator.MINOR,
        id="impact-none-but-degraded",
    ),
    pytest.param(
        {"i.md": _ongoing("minor", {"api": "partial_outage"})},
        Indicator.MAJOR,
        id="partial-outage",
    ),
    pytest.param(
        {"i.md": _ongoing("minor", {"api": "major_outage"})},
        Indicator.CRITICAL,
        id="major-outage",
    ),
    pytest.param(
        {"i.md": _ongoing("critical", {"api": "degraded_performance"})},
        Indicator.CRITICAL,
        id="critical-impact-degraded-components",
    ),
    pytest.param(
        {"i.md": _ongoing("major", {})},
        Indicator.MAJOR,
        id="major-impact-no-components",
    ),
    pytest.param(
        {"i.md": _ongoing("none", {})},
        Indicator.NONE,
        id="impact-none-no-components",
    ),
    pytest.param({"m.md": IN_PROGRESS_MAINTENANCE}, Indicator.MAINTENANCE, id="maintenance"),
    pytest.param(
        {"m.md": IN_PROGRESS_MAINTENANCE, "r.md": _resolved("critical", ["api"])},
        Indicator.MAINTENANCE,
        id="maintenance-and-resolved-incident",
    ),
    pytest.param(
        {"m.md": IN_PROGRESS_MAINTENANCE, "i.md": _ongoing("none", {})},
        Indicator.MAINTENANCE,
        id="maintenance-and-impact-none-incident",
    ),
    pytest.param(
        {
            "m.md": IN_PROGRESS_MAINTENANCE,
            "i.md": _ongoing("minor", {"api": "degraded_performance"}),
        },
        Indicator.MINOR,
        id="incident-outranks-maintenance",
    ),
    pytest.param(
        {
            "a.md": _ongoing("minor", {"api": "degraded_performance"}),
            "b.md": _ongoing("major", {"webhooks": "partial_outage"}),
            "c.md": _resolved("critical", {"dashboard": "major_outage"}),
        },
        Indicator.MAJOR,
        id="worst-of-active-only",
    ),
]

DESCRIPTIONS = {
    Indicator.NONE: "All Systems Operational",
    Indicator.MINOR: "Minor Service Outage",
    Indicator.MAJOR: "Partial System Outage",
    Indicator.CRITICAL: "Major Service Outage",
    Indicator.MAINTENANCE: "Service Under Maintenance",
}


@pytest.mark.parametrize(("files", "expected"), INDICATOR_CASES)
def test_indicator(
    make_repo: RepoWriter, files: dict[str, str | bytes], expected: Indicator
) -> None:
    state = page_at(make_repo, files, at("11:00"))

    assert state.indicator is expected
    assert state.description == DESCRIPTIONS[expected]


# Ordering ----------------------------------------------------------------------------------


def test_upcoming_maintenances_are_sorted_soonest_first(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        # Announced first, happens last.
        "a-late.md": maintenance(
            ("2026-11-20 09:00", "scheduled"), start="2026-12-05 10:00", end="2026-12-05 11:00"
        ),
        "b-soon.md": maintenance(
            ("2026-11-21 09:00", "scheduled"), start="2026-12-01 10:00", end="2026-12-01 11:00"
        ),
        "c-middle.md": maintenance(
            ("2026-11-22 09:00", "scheduled"), start="2026-12-03 10:00", end="2026-12-03 11:00"
        ),
        "d-running.md": maintenance(
            ("2026-11-19 09:00", "scheduled"), start="2026-11-28 10:00", end="2026-11-28 12:00"
        ),
        "e-done.md": maintenance(
            ("2026-11-18 09:00", "scheduled"), start="2026-11-25 10:00", end="2026-11-25 12:00"
        ),
    }
    state = page_at(make_repo, files, at("11:00"))

    assert [e.id for e in state.upcoming_maintenances] == ["b-soon", "c-middle", "a-late"]
    assert [e.id for e in state.maintenances_in_progress] == ["d-running"]
    # events and maintenances are newest first by announcement (first update)
    assert [e.id for e in state.maintenances] == [
        "c-middle",
        "b-soon",
        "a-late",
        "d-running",
        "e-done",
    ]


def test_events_are_newest_first(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "a.md": incident(("2026-11-27 12:00", "investigating"), ("2026-11-28 12:00", "resolved")),
        "b.md": incident(("2026-11-28 09:00", "investigating")),
        "nested/c.md": incident(("2026-11-26 08:00", "investigating")),
        "d.md": maintenance(("2026-11-27 18:00", "scheduled"), **WINDOW),
        # Not published yet at now: absent.
        "e.md": incident(("2026-11-28 20:00", "investigating")),
    }
    state = page_at(make_repo, files, at("11:00"))

    assert [e.id for e in state.events] == ["b", "d", "a", "c"]
    assert [e.id for e in state.incidents] == ["b", "a", "c"]
    assert [e.id for e in state.maintenances] == ["d"]
    starts = [e.created_at for e in state.events]
    assert starts == sorted(starts, reverse=True)


def test_page_updated_at_is_the_newest_published_update(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "a.md": incident(("2026-11-27 12:00", "investigating"), ("2026-11-28 10:30", "resolved")),
        "b.md": incident(("2026-11-28 09:00", "investigating"), ("2026-11-28 10:00", "update")),
        "c.md": incident(("2026-11-28 20:00", "investigating")),
    }
    assert page_at(make_repo, files, at("11:00")).updated_at == at("10:30")


def test_page_updated_at_without_events_is_now(make_repo: RepoWriter) -> None:
    assert page_at(make_repo, {}, at("11:00")).updated_at == at("11:00")


# States kept from one derivation to the next (statusgen serve) -----------------------------


def test_kept_states_are_the_states_derived_afresh_at_every_moment(make_repo: RepoWriter) -> None:
    """A preview derives each version at the clock's moment, keeping the events' states:
    at every moment (those of the updates and windows included, and back in time), the
    page is the one derived from scratch, and a state is kept only while it holds."""
    site = load_site(
        make_repo(
            {
                **OVERLAPPING,
                "2026-11-28-db.md": POSTPONED,
                "2026-11-28-next.md": maintenance(
                    ("2026-11-28 09:00", "scheduled"),
                    start="2026-11-28 15:05",
                    end="2026-11-28 15:50",
                ),
            }
        )
    )
    kept = KeptStates()
    moments = [at("08:00") + timedelta(minutes=5 * n) for n in range(110)] + [at("09:00")]
    previous: PageState | None = None
    for now in moments:
        state = derive(site, now, kept=kept)
        fresh = derive(site, now)
        assert state.events == fresh.events, now
        assert state.component_statuses == fresh.component_statuses, now
        assert state.indicator is fresh.indicator, now
        assert state.uptime == fresh.uptime, now
        if now == at("16:30"):  # nothing happens after 16:25: every state is kept as it was
            assert previous is not None
            assert all(map(operator.is_, state.events, previous.events))
        previous = state
    assert sum(e.is_maintenance for e in state.events) == 2  # both published by 09:00
