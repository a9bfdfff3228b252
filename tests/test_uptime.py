"""Daily uptime (statusgen.state.uptime), with figures computed by hand.

The rules (statusgen/uptime.py): per UTC day over a window ending with the day of
``now``, counted time is the part of the day at or after the component's ``since`` and
before ``now``, minus maintenance in progress on that component; downtime weights the
worst status an active incident gives the component: major_outage 1, partial_outage 0.3,
degraded_performance 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from statusgen.content.config import DEFAULT_WINDOW_DAYS
from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus
from statusgen.state.page import PageState, derive
from statusgen.state.uptime import ComponentUptime, DayUptime
from tests.conftest import RepoWriter

DAY = 24 * 3600.0
HOUR = 3600.0

Components = Mapping[str, str] | Sequence[str]


def _frontmatter_components(components: Components) -> str:
    if isinstance(components, Mapping):
        return "components:\n" + "".join(
            f"  {cid}: {status}\n" for cid, status in components.items()
        )
    return f"components: [{', '.join(components)}]\n"


def _updates(updates: Sequence[tuple[str, str]]) -> str:
    return "".join(f"## {timestamp} UTC — {status}\nText.\n\n" for timestamp, status in updates)


def incident(*updates: tuple[str, str], components: Components, impact: str = "major") -> str:
    """An incident file; updates are ``("2026-11-27 10:00", "investigating")`` pairs."""
    return (
        f"---\ntitle: Trouble\nimpact: {impact}\n{_frontmatter_components(components)}---\n\n"
        + _updates(updates)
    )


def outage(start: str, end: str | None, status: str, components: Sequence[str] = ("api",)) -> str:
    """An incident giving ``status`` to ``components`` from ``start`` until ``end``
    (resolved then), or still ongoing when ``end`` is None."""
    updates = [(start, "investigating")] + ([(end, "resolved")] if end else [])
    return incident(*updates, components=dict.fromkeys(components, status))


def maintenance(start: str, end: str, *updates: tuple[str, str], components: Sequence[str]) -> str:
    """A maintenance announced on 2026-11-20 for the window ``start``..``end``."""
    return (
        f"---\ntitle: Upgrade\ntype: maintenance\n"
        f"scheduled_start: {start} UTC\nscheduled_end: {end} UTC\n"
        f"{_frontmatter_components(components)}---\n\n"
        + _updates([("2026-11-20 09:00", "scheduled"), *updates])
    )


def page_at(
    make_repo: RepoWriter, files: dict[str, str | bytes], now: datetime, days: int = 3
) -> PageState:
    return derive(load_site(make_repo(files)), now, uptime_days=days)


def day_of(uptime: ComponentUptime, day: date) -> DayUptime:
    matching = [d for d in uptime.days if d.day == day]
    assert len(matching) == 1, [d.day for d in uptime.days]
    return matching[0]


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
"""Noon on the last day of the window; the window of 3 days is 26, 27, 28 November."""
NOV = {n: date(2026, 11, n) for n in range(1, 31)}


# One incident ------------------------------------------------------------------------------


def test_two_hour_major_outage(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "outage.md": outage("2026-11-27 10:00", "2026-11-27 12:00", "major_outage")
    }
    state = page_at(make_repo, files, NOW)

    api = state.uptime["api"]
    day = day_of(api, NOV[27])
    assert day.uptime == pytest.approx(22 / 24)
    assert day.counted_seconds == pytest.approx(DAY)
    assert day.downtime_seconds == pytest.approx(2 * HOUR)
    assert day.worst_status is ComponentStatus.MAJOR_OUTAGE
    assert day.incident_ids == ("outage",)

    quiet = day_of(api, NOV[26])
    assert quiet.uptime == pytest.approx(1.0)
    assert quiet.incident_ids == ()
    assert quiet.worst_status is ComponentStatus.OPERATIONAL

    # Another component, not affected, is fully up that day.
    webhooks = day_of(state.uptime["webhooks"], NOV[27])
    assert webhooks.uptime == pytest.approx(1.0)
    assert webhooks.incident_ids == ()


@pytest.mark.parametrize(
    ("status", "downtime"),
    [
        pytest.param("major_outage", 2 * HOUR, id="major-weight-1"),
        pytest.param("partial_outage", 0.3 * 2 * HOUR, id="partial-weight-0.3"),
        pytest.param("degraded_performance", 0.0, id="degraded-weight-0"),
    ],
)
def test_downtime_weights(make_repo: RepoWriter, status: str, downtime: float) -> None:
    files: dict[str, str | bytes] = {
        "slow.md": outage("2026-11-27 10:00", "2026-11-27 12:00", status)
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.downtime_seconds == pytest.approx(downtime)
    assert day.uptime == pytest.approx(1 - downtime / DAY)
    # Even at weight 0 the day shows the incident and how bad it was.
    assert day.worst_status is ComponentStatus(status)
    assert day.incident_ids == ("slow",)


def test_partial_outage_figure(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "p.md": outage("2026-11-27 10:00", "2026-11-27 12:00", "partial_outage")
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.uptime == pytest.approx(0.975)  # 1 - 0.3 * 2 / 24


def test_degraded_day_lists_the_incident_but_has_full_uptime(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "slow.md": outage("2026-11-27 10:00", "2026-11-27 18:00", "degraded_performance")
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.uptime == 1.0
    assert day.downtime_seconds == 0.0
    assert day.counted_seconds == pytest.approx(DAY)
    assert day.worst_status is ComponentStatus.DEGRADED_PERFORMANCE
    assert day.incident_ids == ("slow",)


# Several incidents -------------------------------------------------------------------------


def test_overlapping_outages_are_not_counted_twice(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "a.md": outage("2026-11-27 10:00", "2026-11-27 12:00", "major_outage"),
        "b.md": outage("2026-11-27 11:00", "2026-11-27 13:00", "major_outage"),
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.downtime_seconds == pytest.approx(3 * HOUR)  # 10:00-13:00, not 4 hours
    assert day.uptime == pytest.approx(21 / 24)
    assert day.incident_ids == ("a", "b")


def test_overlapping_outages_take_the_worst_weight(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "a-partial.md": outage("2026-11-27 10:00", "2026-11-27 14:00", "partial_outage"),
        "b-major.md": outage("2026-11-27 11:00", "2026-11-27 12:00", "major_outage"),
        "c-degraded.md": outage("2026-11-27 09:00", "2026-11-27 15:00", "degraded_performance"),
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    # 10-11 partial, 11-12 major, 12-14 partial; degraded adds nothing.
    expected = 0.3 * HOUR + 1 * HOUR + 0.3 * 2 * HOUR
    assert day.downtime_seconds == pytest.approx(expected)
    assert day.uptime == pytest.approx(1 - expected / DAY)
    assert day.worst_status is ComponentStatus.MAJOR_OUTAGE
    assert day.incident_ids == ("c-degraded", "a-partial", "b-major")  # start order


def test_incident_spanning_midnight_is_split_across_days(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "night.md": outage("2026-11-26 23:00", "2026-11-27 01:30", "major_outage")
    }
    api = page_at(make_repo, files, NOW).uptime["api"]

    before, after = day_of(api, NOV[26]), day_of(api, NOV[27])
    assert before.downtime_seconds == pytest.approx(1 * HOUR)
    assert before.uptime == pytest.approx(23 / 24)
    assert after.downtime_seconds == pytest.approx(1.5 * HOUR)
    assert after.uptime == pytest.approx(22.5 / 24)
    assert before.incident_ids == after.incident_ids == ("night",)
    assert day_of(api, NOV[28]).incident_ids == ()


def test_incident_started_before_the_window_counts_inside_it(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "long.md": outage("2026-11-20 10:00", "2026-11-26 06:00", "major_outage")
    }
    api = page_at(make_repo, files, NOW).uptime["api"]

    assert [d.day for d in api.days] == [NOV[26], NOV[27], NOV[28]]
    assert day_of(api, NOV[26]).uptime == pytest.approx(18 / 24)
    assert day_of(api, NOV[27]).uptime == pytest.approx(1.0)


def test_update_after_resolution_does_not_extend_the_downtime(make_repo: RepoWriter) -> None:
    text = incident(
        ("2026-11-27 10:00", "investigating"),
        ("2026-11-27 11:00", "resolved"),
        ("2026-11-27 20:00", "update"),
        components={"api": "major_outage"},
    )
    day = day_of(page_at(make_repo, {"i.md": text}, NOW).uptime["api"], NOV[27])

    assert day.downtime_seconds == pytest.approx(1 * HOUR)


def test_reopened_incident_is_not_down_while_it_was_resolved(make_repo: RepoWriter) -> None:
    text = incident(
        ("2026-11-27 10:00", "investigating"),
        ("2026-11-27 11:00", "resolved"),
        ("2026-11-27 13:00", "investigating"),  # reopened
        ("2026-11-27 14:00", "resolved"),
        components={"api": "major_outage"},
    )
    day = day_of(page_at(make_repo, {"i.md": text}, NOW).uptime["api"], NOV[27])

    # Active 10-11 and 13-14: two hours, not the four hours from 10 to 14.
    assert day.downtime_seconds == pytest.approx(2 * HOUR)
    assert day.uptime == pytest.approx(22 / 24)


# Maintenance -------------------------------------------------------------------------------


def test_maintenance_time_is_not_counted(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "m.md": maintenance("2026-11-27 02:00", "2026-11-27 04:00", components=["api"]),
        "i.md": outage("2026-11-27 10:00", "2026-11-27 11:00", "major_outage"),
    }
    state = page_at(make_repo, files, NOW)

    api = day_of(state.uptime["api"], NOV[27])
    assert api.counted_seconds == pytest.approx(22 * HOUR)
    assert api.downtime_seconds == pytest.approx(1 * HOUR)
    assert api.uptime == pytest.approx(1 - 1 / 22)
    assert api.incident_ids == ("i",)  # the maintenance is not an incident

    # A component the maintenance does not touch counts the whole day.
    assert day_of(state.uptime["dashboard"], NOV[27]).counted_seconds == pytest.approx(DAY)


def test_maintenance_alone_leaves_full_uptime(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "m.md": maintenance("2026-11-27 02:00", "2026-11-27 04:00", components=["api"]),
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.uptime == 1.0
    assert day.counted_seconds == pytest.approx(22 * HOUR)
    assert day.worst_status is ComponentStatus.OPERATIONAL
    assert day.incident_ids == ()


def test_outage_during_maintenance_counts_only_outside_it(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "m.md": maintenance("2026-11-27 02:00", "2026-11-27 04:00", components=["api"]),
        "i.md": outage("2026-11-27 03:00", "2026-11-27 05:00", "major_outage"),
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.counted_seconds == pytest.approx(22 * HOUR)
    assert day.downtime_seconds == pytest.approx(1 * HOUR)  # 04:00-05:00
    assert day.worst_status is ComponentStatus.MAJOR_OUTAGE


def test_maintenance_completed_early_excludes_only_its_actual_time(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "m.md": maintenance(
            "2026-11-27 02:00",
            "2026-11-27 06:00",
            ("2026-11-27 01:30", "in_progress"),
            ("2026-11-27 03:00", "completed"),
            components=["api"],
        ),
    }
    day = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[27])

    assert day.counted_seconds == pytest.approx(DAY - 1.5 * HOUR)  # 01:30-03:00


# The counted part of the window ------------------------------------------------------------


def test_today_is_counted_only_up_to_now(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "i.md": outage("2026-11-28 10:00", "2026-11-28 11:00", "major_outage")
    }
    today = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[28])

    assert today.counted_seconds == pytest.approx(12 * HOUR)
    assert today.downtime_seconds == pytest.approx(1 * HOUR)
    assert today.uptime == pytest.approx(11 / 12)


def test_ongoing_incident_is_down_until_now(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        # The resolution is dated after now: not published yet, so the incident is ongoing.
        "i.md": outage("2026-11-28 10:00", "2026-11-28 15:00", "major_outage"),
    }
    today = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[28])

    assert today.counted_seconds == pytest.approx(12 * HOUR)
    assert today.downtime_seconds == pytest.approx(2 * HOUR)
    assert today.uptime == pytest.approx(10 / 12)


def test_incident_published_after_now_is_not_counted(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "i.md": outage("2026-11-28 13:00", "2026-11-28 14:00", "major_outage"),
    }
    today = day_of(page_at(make_repo, files, NOW).uptime["api"], NOV[28])

    assert today.uptime == 1.0
    assert today.incident_ids == ()


def test_days_before_since_are_not_counted(make_repo: RepoWriter) -> None:
    # website is declared with since: 2026-11-01 in the fixture's components.yml.
    files: dict[str, str | bytes] = {
        "i.md": outage("2026-10-31 10:00", "2026-10-31 12:00", "major_outage", ["website", "api"]),
    }
    now = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    state = page_at(make_repo, files, now, days=4)

    website = state.uptime["website"]
    assert [d.day for d in website.days] == [
        date(2026, 10, 30),
        date(2026, 10, 31),
        NOV[1],
        NOV[2],
    ]
    assert [d.uptime for d in website.days] == [None, None, 1.0, 1.0]
    assert [d.counted_seconds for d in website.days] == [0.0, 0.0, DAY, 12 * HOUR]
    assert website.days[1].downtime_seconds == 0.0
    assert website.ratio == 1.0

    # api has no since: the outage of 31 October counts.
    api = state.uptime["api"]
    assert api.days[0].uptime == 1.0
    assert api.days[1].uptime == pytest.approx(22 / 24)


def test_since_after_now_counts_nothing(make_repo: RepoWriter) -> None:
    now = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)  # website starts on 1 November
    website = page_at(make_repo, {}, now).uptime["website"]

    assert all(d.uptime is None for d in website.days)
    assert website.ratio is None


def test_window_length_default(make_repo: RepoWriter) -> None:
    state = derive(load_site(make_repo({})), NOW)

    for component_id in ("api", "webhooks", "dashboard", "website"):
        days = [d.day for d in state.uptime[component_id].days]
        assert len(days) == DEFAULT_WINDOW_DAYS == 90
        assert days[-1] == NOV[28]
        assert days[0] == NOV[28] - timedelta(days=89)
        assert days == [days[0] + timedelta(days=n) for n in range(90)]


@pytest.mark.parametrize("days", [1, 7, 30, 365])
def test_window_length_option(make_repo: RepoWriter, days: int) -> None:
    uptime = page_at(make_repo, {}, NOW, days=days).uptime["api"]

    assert len(uptime.days) == days
    assert uptime.days[-1].day == NOV[28]
    assert uptime.days[0].day == NOV[28] - timedelta(days=days - 1)


def test_window_days_are_utc_days(make_repo: RepoWriter) -> None:
    # 01:00 on 29 November at +02:00 is 23:00 UTC on 28 November.
    now = datetime(2026, 11, 29, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    uptime = page_at(make_repo, {}, now).uptime["api"]

    assert uptime.days[-1].day == NOV[28]
    assert uptime.days[-1].counted_seconds == pytest.approx(23 * HOUR)


# The whole window --------------------------------------------------------------------------


def test_ratio_is_weighted_by_counted_time(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "i.md": outage("2026-11-28 10:00", "2026-11-28 11:00", "major_outage")
    }
    uptime = page_at(make_repo, files, NOW).uptime["api"]

    # 1 hour down in 2.5 counted days; the mean of the daily figures would be 0.9722.
    assert [d.uptime for d in uptime.days] == pytest.approx([1.0, 1.0, 11 / 12])
    assert uptime.ratio == pytest.approx(1 - HOUR / (2.5 * DAY))
    assert uptime.ratio == pytest.approx(59 / 60)


def test_ratio_ignores_days_without_counted_time(make_repo: RepoWriter) -> None:
    files: dict[str, str | bytes] = {
        "i.md": outage("2026-11-01 06:00", "2026-11-01 12:00", "partial_outage", ["website"]),
    }
    now = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    uptime = page_at(make_repo, files, now, days=5).uptime["website"]

    # Counted: 1 November (24 h) and half of 2 November; downtime 0.3 * 6 h.
    assert uptime.ratio == pytest.approx(1 - 0.3 * 6 * HOUR / (36 * HOUR))


def test_ratio_of_a_quiet_window_is_one(make_repo: RepoWriter) -> None:
    assert page_at(make_repo, {}, NOW).uptime["api"].ratio == 1.0
