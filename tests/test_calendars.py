"""Maintenance calendars (statusgen.render.calendars), read back by icalendar and vobject,
checked line by line against RFC 5545 (CRLF, folding at 75 octets, UTC times), and by two
independent validators: libical and ical.js (scripts/check-calendars-*)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
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
from statusgen.view.site_view import site_view
from tests.browser import PROJECT, build_example
from tests.conftest import RepoWriter
from tests.npm import NPM_PREFIX, NpmMissing, npm_package
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
        b"DTSTAMP": b"20261128T120000Z",
        b"CREATED": b"20261124T080000Z",
        b"LAST-MODIFIED": b"20261124T080000Z",
    }
    assert all(UTC_TIME.match(value) for value in raw.values())
    event = events_of(data)[uid("m")]
    assert event.decoded("DTSTART") == datetime(2026, 12, 5, 2, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)


def test_dtstamp_is_the_build_time_in_utc(make_repo: RepoWriter) -> None:
    """RFC 5545 wants DTSTAMP in UTC: a `now` given with an offset (and the clock's
    microseconds) is written as whole UTC seconds."""
    root = make_repo({"m.md": maintenance("## 2026-11-24 09:00 UTC — scheduled\nAnnounced.\n")})
    now = datetime(2026, 11, 28, 13, 0, 5, 123456, tzinfo=timezone(timedelta(hours=1)))

    data = render_calendars(context_of(root, now))["maintenance.ics"]

    assert b"\r\nDTSTAMP:20261128T120005Z\r\n" in data
    assert events_of(data)[uid("m")].decoded("DTSTAMP") == datetime(
        2026, 11, 28, 12, 0, 5, tzinfo=UTC
    )


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
    # DTSTAMP is when the calendar was built; LAST-MODIFIED the latest published update.
    assert network.decoded("DTSTAMP") == NOW
    assert network.decoded("LAST-MODIFIED") == datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
    assert network.decoded("CREATED") == datetime(2026, 11, 18, 9, tzinfo=UTC)
    assert str(network["URL"]) == f"{SITE_URL}incidents/2026-11-21-network/"
    assert str(network["DESCRIPTION"]) == f"Done.\n\n{SITE_URL}incidents/2026-11-21-network/"
    assert network["SEQUENCE"] == 2  # three published updates
    assert str(network["STATUS"]) == "CONFIRMED"
    assert str(network["TRANSP"]) == "TRANSPARENT"

    certs = events_of(calendars["maintenance.ics"])[uid("2026-11-30-certs")]
    assert certs["SEQUENCE"] == 0
    assert certs.decoded("DTSTAMP") == NOW
    assert certs.decoded("LAST-MODIFIED") == datetime(2026, 11, 26, 9, tzinfo=UTC)


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


def test_description_is_plain_text(make_repo: RepoWriter) -> None:
    """Calendar applications show DESCRIPTION as it is: no Markdown syntax and no hard
    line breaks from the source, links with their address, lists one item a line."""
    body = (
        "We replace **core** switches in Frankfurt; see [the guide](/guide/) and\n"
        "<https://example.com/why>. No downtime is `expected`.\n\n"
        "- first step, written over\n  two lines\n- second step\n"
    )
    files = {"m.md": maintenance(f"## 2026-11-24 09:00 UTC — scheduled\n{body}")}
    event = events_of(render_calendars(context_of(make_repo(files)))["maintenance.ics"])[uid("m")]

    assert str(event["DESCRIPTION"]) == (
        f"We replace core switches in Frankfurt; see the guide ({SITE_URL}guide/) and "
        "https://example.com/why. No downtime is expected.\n\n"
        "- first step, written over two lines\n- second step\n\n"
        f"{SITE_URL}incidents/m/"
    )


# Stability and updates ---------------------------------------------------------------------


def test_a_rebuild_gives_identical_bytes(make_repo: RepoWriter) -> None:
    root = make_repo(FILES)

    assert render_calendars(context_of(root)) == render_calendars(context_of(root))


def test_time_passing_without_a_new_update_changes_only_dtstamp(make_repo: RepoWriter) -> None:
    """From noon to 12:45 the CDN maintenance stays in progress and nothing is posted:
    only DTSTAMP, the build's time, moves."""
    root = make_repo(FILES)

    noon = render_calendars(context_of(root))
    later = render_calendars(context_of(root, NOW + timedelta(minutes=45)))

    assert noon.keys() == later.keys()
    for path, data in noon.items():
        stamps = data.replace(b"DTSTAMP:20261128T120000Z", b"DTSTAMP:20261128T124500Z")
        assert stamps == later[path], path
    assert b"DTSTAMP:20261128T120000Z" in noon["maintenance.ics"]


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
    assert new.decoded("LAST-MODIFIED") > old.decoded("LAST-MODIFIED")
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
    written += build_example(tmp_path / "example").rglob("*.ics")
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


ICALJS_CHECK = LIBICAL_CHECK.parent / "check-calendars-icaljs"
ICALJS_VERSION = "2.2.1"


def icaljs(*paths: Path) -> subprocess.CompletedProcess[str]:
    """ical.js's parser and the RFC 5545 checks of scripts/check-calendars-icaljs, with
    ical.js installed from npm into .cache/npm on first use."""
    node = shutil.which("node")
    try:
        npm_package("ical.js", ICALJS_VERSION)
    except NpmMissing:
        pytest.skip("npm not found: ical.js is installed from npm (scripts/test installs npm)")
    if node is None:
        pytest.skip("node not found: ical.js runs on Node.js (scripts/test installs npm)")
    return subprocess.run(
        [node, str(ICALJS_CHECK), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ICALJS_PREFIX": str(NPM_PREFIX)},
    )


def test_icaljs_finds_no_problem_in_any_calendar_of_the_example_site(tmp_path: Path) -> None:
    site = build_example(tmp_path)
    calendars = sorted(site.rglob("*.ics"))
    assert len(calendars) == 1 + len(site_view(load_site(PROJECT)).catalog.components)
    assert any(b"BEGIN:VEVENT" not in c.read_bytes() for c in calendars), "an empty calendar"

    result = icaljs(*calendars)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_icaljs_does_report_what_rfc_5545_forbids(tmp_path: Path) -> None:
    """A control: an empty calendar, a VEVENT without DTSTAMP whose DTEND comes before its
    DTSTART, and a file that does not parse."""
    empty = tmp_path / "empty.ics"
    empty.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n")
    event = tmp_path / "event.ics"
    event.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
        b"DTSTART:20261201T020000Z\r\nDTEND:20261201T010000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")

    result = icaljs(empty, event, broken)

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{empty}: VCALENDAR: no component",
        f"{event}: VCALENDAR > VEVENT: DTSTAMP appears 0 times, must once",
        f"{event}: VCALENDAR > VEVENT a@x: DTEND is not after DTSTART",
        f"{broken}: not parsed: invalid ical body. component began but did not end",
    ]


def test_every_calendar_has_a_component_and_no_method(make_repo: RepoWriter) -> None:
    """RFC 5545: at least one component; a published calendar is no iTIP message."""
    files = {"incident.md": FILES["2026-11-27-dashboard.md"]}
    for path, data in render_calendars(context_of(make_repo(files))).items():
        calendar = icalendar.Calendar.from_ical(data)
        assert calendar.subcomponents, path
        assert "METHOD" not in calendar, path
        (timezone,) = calendar.walk("VTIMEZONE")
        assert timezone["TZID"] == "UTC"
