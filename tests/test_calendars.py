"""Maintenance calendars (statusgen.render.calendars), read back by icalendar and vobject and
checked line by line against RFC 5545 (CRLF, folding at 75 octets, UTC times)."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.render.calendars import render_calendars
from statusgen.render.context import RenderContext
from statusgen.render.i18n import Language
from statusgen.state.page import derive
from tests.conftest import RepoWriter
from tests.test_statuspage import FILES, MAINTENANCE_IDS, NOW, SITE_URL

UTC_TIME = re.compile(rb"^\d{8}T\d{6}Z$")


def context_of(root: Path, now: datetime = NOW) -> RenderContext:
    config = read_site_config(root)
    return RenderContext(
        state=derive(load_site(root), now), config=config, language=Language(config.language)
    )


@pytest.fixture
def calendars(make_repo: RepoWriter) -> dict[str, bytes]:
    return render_calendars(context_of(make_repo(FILES)))


def events_of(data: bytes) -> dict[str, icalendar.Event]:
    """The VEVENTs of a calendar by UID, read by icalendar."""
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.events}
    assert len(events) == len(calendar.events), "duplicate UIDs"
    return events


def uid(event_id: str) -> str:
    return f"{event_id}@status.example.com"


def maintenance(updates: str, *, start: str = "2026-12-05 02:00 UTC") -> str:
    """A maintenance file (flush left, so that make_repo's dedent leaves it alone)."""
    header = (
        "---\ntitle: Database upgrade\ntype: maintenance\n"
        f"scheduled_start: {start}\nscheduled_end: 2026-12-05 04:00 UTC\n"
        "components: [api]\n---\n\n"
    )
    return header + updates


# Files and parsers ---------------------------------------------------------------------------


def test_every_calendar_is_written(calendars: dict[str, bytes]) -> None:
    components = ["api", "webhooks", "dashboard", "website"]
    assert set(calendars) == {"maintenance.ics"} | {
        f"components/{c}/maintenance.ics" for c in components
    }


def test_icalendar_and_vobject_read_every_calendar(calendars: dict[str, bytes]) -> None:
    for path, data in calendars.items():
        by_icalendar = icalendar.Calendar.from_ical(data)
        by_vobject = vobject.readOne(data.decode())
        uids = sorted(str(e["UID"]) for e in by_icalendar.walk("VEVENT"))
        vobject_events = getattr(by_vobject, "vevent_list", [])
        assert sorted(e.uid.value for e in vobject_events) == uids, path


def test_site_calendar_holds_every_maintenance_and_no_incident(
    calendars: dict[str, bytes],
) -> None:
    assert set(events_of(calendars["maintenance.ics"])) == {uid(m) for m in MAINTENANCE_IDS}


@pytest.mark.parametrize(
    ("component", "maintenances"),
    [
        ("api", {"2026-11-21-network", "2026-12-05-db-upgrade"}),
        ("webhooks", {"2026-12-05-db-upgrade"}),
        ("dashboard", {"2026-11-30-certs"}),
        ("website", {"2026-11-28-cdn"}),
    ],
)
def test_component_calendar_holds_only_its_maintenance(
    calendars: dict[str, bytes], component: str, maintenances: set[str]
) -> None:
    events = events_of(calendars[f"components/{component}/maintenance.ics"])

    assert set(events) == {uid(m) for m in maintenances}


def test_a_component_without_maintenance_has_an_empty_calendar(make_repo: RepoWriter) -> None:
    """A subscription made before the first maintenance keeps working."""
    files = {"incident.md": FILES["2026-11-27-dashboard.md"]}
    calendars = render_calendars(context_of(make_repo(files)))

    empty = calendars["components/webhooks/maintenance.ics"]
    assert icalendar.Calendar.from_ical(empty).walk("VEVENT") == []
    assert vobject.readOne(empty.decode()).name == "VCALENDAR"
    assert icalendar.Calendar.from_ical(calendars["maintenance.ics"]).walk("VEVENT") == []


# RFC 5545 on the bytes ----------------------------------------------------------------------


def test_lines_end_with_crlf_and_are_folded(make_repo: RepoWriter) -> None:
    long_text = "Wartungsarbeiten am Datenbankcluster — Überprüfung; Ausfälle möglich, " * 6
    files = dict(FILES)
    files["2026-12-05-db-upgrade.md"] = maintenance(
        f"## 2026-11-24 09:00 UTC — scheduled\n{long_text}\n"
    )
    calendars = render_calendars(context_of(make_repo(files)))

    for path, data in calendars.items():
        assert data.endswith(b"\r\n"), path
        assert data.count(b"\n") == data.count(b"\r\n"), f"{path}: a bare LF"
        assert b"\r" not in data.replace(b"\r\n", b""), f"{path}: a bare CR"
        lines = data.split(b"\r\n")[:-1]
        assert max(len(line) for line in lines) <= 75, path
        for line in lines:
            line.decode()  # folding never splits a multi-octet character
    folded = calendars["maintenance.ics"]
    assert b"\r\n " in folded  # the long description was folded
    event = events_of(folded)[uid("2026-12-05-db-upgrade")]
    assert str(event["DESCRIPTION"]).startswith(long_text.strip())
    by_vobject = vobject.readOne(folded.decode())
    descriptions = [e.description.value for e in by_vobject.vevent_list]
    assert any(d.startswith(long_text.strip()) for d in descriptions)


def test_times_are_utc(make_repo: RepoWriter) -> None:
    files = {
        "m.md": maintenance(
            "## 2026-11-24 09:00 +01:00 — scheduled\nAnnounced.\n", start="2026-12-05 03:00 +01:00"
        )
    }
    data = render_calendars(context_of(make_repo(files)))["maintenance.ics"]

    raw = {
        line.split(b":")[0]: line.split(b":", 1)[1]
        for line in data.split(b"\r\n")
        if line.startswith((b"DTSTART", b"DTEND", b"DTSTAMP", b"CREATED", b"LAST-MODIFIED"))
    }
    assert raw == {
        b"DTSTART": b"20261205T020000Z",
        b"DTEND": b"20261205T040000Z",
        b"DTSTAMP": b"20261124T080000Z",
        b"CREATED": b"20261124T080000Z",
        b"LAST-MODIFIED": b"20261124T080000Z",
    }
    assert all(UTC_TIME.match(value) for value in raw.values())
    event = events_of(data)[uid("m")]
    assert event.decoded("DTSTART") == datetime(2026, 12, 5, 2, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)


# Properties -------------------------------------------------------------------------------


def test_calendar_properties(calendars: dict[str, bytes]) -> None:
    calendar = icalendar.Calendar.from_ical(calendars["maintenance.ics"])

    assert str(calendar["VERSION"]) == "2.0"
    assert "statusgen" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Example Status: maintenance"
    component = icalendar.Calendar.from_ical(calendars["components/api/maintenance.ics"])
    assert str(component["X-WR-CALNAME"]) == "Example Status: API maintenance"


def test_event_properties(calendars: dict[str, bytes]) -> None:
    network = events_of(calendars["maintenance.ics"])[uid("2026-11-21-network")]

    assert str(network["SUMMARY"]) == "Network maintenance"
    assert network.decoded("DTSTART") == datetime(2026, 11, 21, 2, tzinfo=UTC)
    assert network.decoded("DTEND") == datetime(2026, 11, 21, 4, tzinfo=UTC)
    # DTSTAMP is the latest published update, not the clock.
    assert network.decoded("DTSTAMP") == datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
    assert network.decoded("CREATED") == datetime(2026, 11, 18, 9, tzinfo=UTC)
    assert str(network["URL"]) == f"{SITE_URL}incidents/2026-11-21-network/"
    assert str(network["DESCRIPTION"]) == f"Done.\n\n{SITE_URL}incidents/2026-11-21-network/"
    assert network["SEQUENCE"] == 2  # three published updates
    assert str(network["STATUS"]) == "CONFIRMED"
    assert str(network["TRANSP"]) == "TRANSPARENT"

    certs = events_of(calendars["maintenance.ics"])[uid("2026-11-30-certs")]
    assert certs["SEQUENCE"] == 0
    assert certs.decoded("DTSTAMP") == datetime(2026, 11, 26, 9, tzinfo=UTC)


def test_special_characters_survive_both_parsers(make_repo: RepoWriter) -> None:
    text = "Backslash \\ comma, semicolon; and “quotes”."
    files = {"m.md": maintenance(f"## 2026-11-24 09:00 UTC — scheduled\n{text}\n")}
    files["m.md"] = files["m.md"].replace("title: Database upgrade", "title: DB, cache; and more")
    data = render_calendars(context_of(make_repo(files)))["maintenance.ics"]

    event = events_of(data)[uid("m")]
    assert str(event["SUMMARY"]) == "DB, cache; and more"
    assert str(event["DESCRIPTION"]).startswith(text)
    parsed: Any = vobject.readOne(data.decode()).vevent
    assert parsed.summary.value == "DB, cache; and more"
    assert parsed.description.value.startswith(text)


# Stability and updates ---------------------------------------------------------------------


def test_a_rebuild_gives_identical_bytes(make_repo: RepoWriter) -> None:
    root = make_repo(FILES)

    assert render_calendars(context_of(root)) == render_calendars(context_of(root))


def test_time_passing_without_a_new_update_changes_nothing(make_repo: RepoWriter) -> None:
    """From noon to 12:45 the CDN maintenance stays in progress and nothing is posted."""
    root = make_repo(FILES)

    later = render_calendars(context_of(root, NOW + timedelta(minutes=45)))

    assert render_calendars(context_of(root)) == later


def test_uid_is_stable_and_sequence_grows_with_updates(make_repo: RepoWriter) -> None:
    announced = "## 2026-11-24 09:00 UTC — scheduled\nAnnounced.\n"
    root = make_repo({"db.md": maintenance(announced)})
    before = events_of(render_calendars(context_of(root))["maintenance.ics"])

    moved = "## 2026-11-26 10:00 UTC — scheduled\nMoved one hour later.\n\n" + announced
    root = make_repo({"db.md": maintenance(moved, start="2026-12-05 03:00 UTC")})
    after = events_of(render_calendars(context_of(root))["maintenance.ics"])

    assert set(before) == set(after) == {uid("db")}
    old, new = before[uid("db")], after[uid("db")]
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 1)
    assert new.decoded("DTSTAMP") > old.decoded("DTSTAMP")
    assert new.decoded("DTSTART") == datetime(2026, 12, 5, 3, tzinfo=UTC)
    assert str(new["DESCRIPTION"]).startswith("Moved one hour later.")


def test_sequence_counts_only_published_updates(make_repo: RepoWriter) -> None:
    files = {
        "db.md": maintenance(
            "## 2026-12-05 02:00 UTC — in_progress\nStarted.\n\n"
            "## 2026-11-24 09:00 UTC — scheduled\nAnnounced.\n"
        )
    }
    root = make_repo(files)

    early = events_of(render_calendars(context_of(root))["maintenance.ics"])[uid("db")]
    late = events_of(
        render_calendars(context_of(root, datetime(2026, 12, 5, 3, tzinfo=UTC)))["maintenance.ics"]
    )[uid("db")]

    assert (early["SEQUENCE"], late["SEQUENCE"]) == (0, 1)
    assert str(early["DESCRIPTION"]).startswith("Announced.")
    assert str(late["DESCRIPTION"]).startswith("Started.")


def test_a_site_without_url_is_refused(make_repo: RepoWriter) -> None:
    root = make_repo(FILES, mkdocs="site_name: No URL\n")

    with pytest.raises(ValueError, match="site_url"):
        render_calendars(context_of(root))


def test_a_maintenance_completed_before_its_window_is_cancelled(make_repo: RepoWriter) -> None:
    text = maintenance(
        "## 2026-12-01 10:00 UTC — completed\nCancelled: the upgrade is not needed.\n\n"
        "## 2026-11-28 10:00 UTC — scheduled\nPlanned.\n"
    )
    root = make_repo({"2026-12-05-db.md": text})
    calendars = render_calendars(context_of(root, datetime(2026, 12, 2, tzinfo=UTC)))
    event = events_of(calendars["maintenance.ics"])[uid("2026-12-05-db")]
    assert str(event["STATUS"]) == "CANCELLED"


# Independent validators --------------------------------------------------------------------

LIBICAL_CHECK = Path(__file__).resolve().parent.parent / "scripts" / "check-calendars-libical"


def libical(*paths: Path) -> subprocess.CompletedProcess[str]:
    """libical's parser and restriction check (scripts/check-calendars-libical), run by the
    system Python, which has the GObject bindings (scripts/test installs them)."""
    probe = subprocess.run(
        ["/usr/bin/python3", "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.fail("libical's bindings are missing: scripts/test installs gir1.2-ical-3.0")
    return subprocess.run(
        ["/usr/bin/python3", str(LIBICAL_CHECK), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_libical_finds_no_problem_in_any_calendar(tmp_path: Path, make_repo: RepoWriter) -> None:
    written = []
    for name, files in (("full", FILES), ("empty", {"i.md": FILES["2026-11-27-dashboard.md"]})):
        for path, data in render_calendars(context_of(make_repo(files))).items():
            target = tmp_path / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    result = libical(*written)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_libical_does_report_what_was_wrong(tmp_path: Path) -> None:
    """A control: the check reports METHOD:PUBLISH without ORGANIZER, as it did."""
    bad = tmp_path / "bad.ics"
    bad.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
        b"UID:a@x\r\nDTSTAMP:20261130T120000Z\r\nDTSTART:20261201T020000Z\r\n"
        b"SUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = libical(bad)
    assert result.returncode == 1
    assert "ORGANIZER" in result.stdout


def test_every_calendar_has_a_component_and_no_method(make_repo: RepoWriter) -> None:
    """RFC 5545: at least one component; a published calendar is no iTIP message."""
    files = {"incident.md": FILES["2026-11-27-dashboard.md"]}
    for path, data in render_calendars(context_of(make_repo(files))).items():
        calendar = icalendar.Calendar.from_ical(data)
        assert calendar.subcomponents, path
        assert "METHOD" not in calendar, path
        (timezone,) = calendar.walk("VTIMEZONE")
        assert timezone["TZID"] == "UTC"
