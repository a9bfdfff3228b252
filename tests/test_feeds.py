"""Atom, RSS and JSON feeds (statusgen.render.feeds), read back by feedparser and checked on the
XML itself against the rules of the W3C feed validator, and by that validator itself
(scripts/check-feeds-w3c) when a checkout of it is given."""

from __future__ import annotations

import calendar
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.render import feeds as feeds_module
from statusgen.render.context import RenderContext
from statusgen.render.feeds import FeedBuilder, render_feeds
from statusgen.render.i18n import Language
from statusgen.state.page import derive
from tests.browser import PROJECT, build_example
from tests.conftest import RepoWriter
from tests.test_statuspage import FILES, NOW, SITE_URL

ATOM = "{http://www.w3.org/2005/Atom}"
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 822 as updated by RFC 1123 (four-digit year), which is what the validator wants.
RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)


def context_of(root: Path, now: datetime = NOW) -> RenderContext:
    config = read_site_config(root)
    return RenderContext(
        state=derive(load_site(root), now), config=config, language=Language(config.language)
    )


@pytest.fixture
def feeds(make_repo: RepoWriter) -> dict[str, bytes]:
    return render_feeds(context_of(make_repo(FILES)))


def update_id(event_id: str, stamp: str) -> str:
    return f"{SITE_URL}incidents/{event_id}/#update-{stamp}"


# Every published update and the postmortem at NOW, newest first, worked out by hand from
# FILES: the 15:00 resolution and the 13:00 incident are after NOW; the postmortem takes
# its incident's last update time and comes before that update.
EXPECTED = [
    ("Monitoring: Elevated API errors", update_id("2026-11-28-api-errors", "20261128T113000Z")),
    ("Update: Elevated API errors", update_id("2026-11-28-api-errors", "20261128T110000Z")),
    ("Identified: Elevated API errors", update_id("2026-11-28-api-errors", "20261128T103000Z")),
    ("Investigating: Elevated API errors", update_id("2026-11-28-api-errors", "20261128T100000Z")),
    ("Update: Slow dashboard", update_id("2026-11-27-dashboard", "20261127T180000Z")),
    ("Resolved: Slow dashboard", update_id("2026-11-27-dashboard", "20261127T090000Z")),
    ("Investigating: Slow dashboard", update_id("2026-11-27-dashboard", "20261127T080000Z")),
    ("Scheduled: Certificate rotation", update_id("2026-11-30-certs", "20261126T090000Z")),
    ("Scheduled: Database upgrade", update_id("2026-12-05-db-upgrade", "20261124T090000Z")),
    ("Scheduled: CDN migration", update_id("2026-11-28-cdn", "20261122T090000Z")),
    ("Completed: Network maintenance", update_id("2026-11-21-network", "20261121T033000Z")),
    ("In progress: Network maintenance", update_id("2026-11-21-network", "20261121T020000Z")),
    ("Postmortem: Database outage", f"{SITE_URL}incidents/2026-11-20-db-outage/postmortem/"),
    ("Resolved: Database outage", update_id("2026-11-20-db-outage", "20261120T100000Z")),
    ("Monitoring: Database outage", update_id("2026-11-20-db-outage", "20261120T090000Z")),
    ("Identified: Database outage", update_id("2026-11-20-db-outage", "20261120T083000Z")),
    ("Investigating: Database outage", update_id("2026-11-20-db-outage", "20261120T080000Z")),
    ("Scheduled: Network maintenance", update_id("2026-11-21-network", "20261118T090000Z")),
]
NEWEST = datetime(2026, 11, 28, 11, 30, tzinfo=UTC)
XML_FEEDS = ["feed.atom", "feed.rss"]


def xml_paths(feeds: dict[str, bytes]) -> list[str]:
    return [path for path in feeds if path.endswith((".atom", ".rss"))]


# Files and parsing -------------------------------------------------------------------------


def test_every_feed_is_written(feeds: dict[str, bytes]) -> None:
    components = ["api", "webhooks", "dashboard", "website"]
    expected = {"feed.atom", "feed.rss", "feed.json"} | {
        f"components/{c}/feed.{kind}" for c in components for kind in ("atom", "rss")
    }
    assert set(feeds) == expected


def test_feedparser_reads_every_feed_without_complaint(feeds: dict[str, bytes]) -> None:
    paths = xml_paths(feeds)
    assert len(paths) == 10

    for path in paths:
        parsed = feedparser.parse(feeds[path])
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version in ("atom10", "rss20"), path


@pytest.mark.parametrize("path", XML_FEEDS)
def test_entries_are_every_update_newest_first(feeds: dict[str, bytes], path: str) -> None:
    parsed = feedparser.parse(feeds[path])

    assert [(e.title, e.id) for e in parsed.entries] == EXPECTED


@pytest.mark.parametrize("path", XML_FEEDS)
def test_entry_links_content_and_categories(feeds: dict[str, bytes], path: str) -> None:
    entries = {e.id: e for e in feedparser.parse(feeds[path]).entries}

    monitoring = entries[update_id("2026-11-20-db-outage", "20261120T090000Z")]
    assert monitoring.link == f"{SITE_URL}incidents/2026-11-20-db-outage/"
    assert monitoring.summary == "<p>Fix deployed.</p>"
    assert sorted(t.term for t in monitoring.tags) == ["API", "Webhooks"]

    postmortem = entries[f"{SITE_URL}incidents/2026-11-20-db-outage/postmortem/"]
    assert postmortem.link == f"{SITE_URL}incidents/2026-11-20-db-outage/postmortem/"
    assert "The disk filled up." in postmortem.summary

    maintenance = entries[update_id("2026-11-28-cdn", "20261122T090000Z")]
    assert "Nov 28, 2026, 11:00 UTC" in maintenance.summary  # the announced window
    assert "Nov 28, 2026, 13:00 UTC" in maintenance.summary
    assert [t.term for t in maintenance.tags] == ["Website"]


def test_future_updates_are_not_in_any_feed(feeds: dict[str, bytes]) -> None:
    for path, data in feeds.items():
        assert b"Not published yet at noon." not in data, path
        assert b"2026-11-28-later" not in data, path


# Strict rules on the XML itself -----------------------------------------------------------


def test_atom_follows_the_validator_rules(feeds: dict[str, bytes]) -> None:
    for path in (p for p in feeds if p.endswith(".atom")):
        feed = ET.fromstring(feeds[path])
        assert feed.tag == f"{ATOM}feed"
        self_links = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert [link.get("href") for link in self_links] == [SITE_URL + path]
        assert self_links[0].get("type") == "application/atom+xml"
        assert feed.findtext(f"{ATOM}id", "").startswith(SITE_URL)
        assert feed.findtext(f"{ATOM}title")
        assert feed.findtext(f"{ATOM}subtitle")
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Example Status"
        updated = feed.findtext(f"{ATOM}updated", "")
        assert RFC_3339.match(updated), (path, updated)

        entries = feed.findall(f"{ATOM}entry")
        assert entries, path
        ids = [entry.findtext(f"{ATOM}id", "") for entry in entries]
        assert len(set(ids)) == len(ids), path
        times = []
        for entry in entries:
            assert entry.findtext(f"{ATOM}id", "").startswith(SITE_URL)
            assert entry.findtext(f"{ATOM}title")
            for tag in ("updated", "published"):
                text = entry.findtext(f"{ATOM}{tag}", "")
                assert RFC_3339.match(text), (path, tag, text)
            times.append(datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "")))
            content = entry.find(f"{ATOM}content")
            assert content is not None
            assert content.get("type") == "html"
            assert content.text
            assert entry.find(f"{ATOM}link") is not None
        assert times == sorted(times, reverse=True), path
        assert datetime.fromisoformat(updated) == times[0], path


def test_rss_follows_the_validator_rules(feeds: dict[str, bytes]) -> None:
    for path in (p for p in feeds if p.endswith(".rss")):
        rss = ET.fromstring(feeds[path])
        assert rss.tag == "rss"
        assert rss.get("version") == "2.0"
        channel = rss.find("channel")
        assert channel is not None
        assert channel.findtext("title")
        assert (channel.findtext("link") or "").startswith(SITE_URL)
        assert channel.findtext("description")
        self_links = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert [link.get("href") for link in self_links] == [SITE_URL + path]
        assert self_links[0].get("type") == "application/rss+xml"
        last_build = channel.findtext("lastBuildDate", "")
        assert RFC_822.match(last_build), (path, last_build)

        items = channel.findall("item")
        assert items, path
        guids = [item.findtext("guid", "") for item in items]
        assert len(set(guids)) == len(guids), path
        times = []
        for item in items:
            guid = item.find("guid")
            assert guid is not None
            assert guid.get("isPermaLink") == "true"
            assert (guid.text or "").startswith(SITE_URL)
            assert item.findtext("title")
            assert item.findtext("description")
            assert (item.findtext("link") or "").startswith(SITE_URL)
            pub_date = item.findtext("pubDate", "")
            assert RFC_822.match(pub_date), (path, pub_date)
            times.append(parsedate_to_datetime(pub_date))
        assert times == sorted(times, reverse=True), path
        assert parsedate_to_datetime(last_build) == times[0], path


def test_feed_updated_is_the_newest_entry(feeds: dict[str, bytes]) -> None:
    atom = ET.fromstring(feeds["feed.atom"])
    rss = ET.fromstring(feeds["feed.rss"])

    assert datetime.fromisoformat(atom.findtext(f"{ATOM}updated", "")) == NEWEST
    assert parsedate_to_datetime(rss.findtext("channel/lastBuildDate", "")) == NEWEST


def test_rss_pub_dates_are_the_update_times(feeds: dict[str, bytes]) -> None:
    items = ET.fromstring(feeds["feed.rss"]).findall("channel/item")
    by_guid = {item.findtext("guid"): item.findtext("pubDate", "") for item in items}

    pub_date = by_guid[update_id("2026-11-21-network", "20261121T033000Z")]
    assert pub_date == "Sat, 21 Nov 2026 03:30:00 +0000"
    assert parsedate_to_datetime(pub_date) == datetime(2026, 11, 21, 3, 30, tzinfo=UTC)


# JSON Feed ---------------------------------------------------------------------------------


def test_json_feed(feeds: dict[str, bytes]) -> None:
    document: dict[str, Any] = json.loads(feeds["feed.json"])

    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Example Status"
    assert document["home_page_url"] == SITE_URL
    assert document["feed_url"] == f"{SITE_URL}feed.json"
    assert document["authors"] == [{"name": "Example Status", "url": SITE_URL}]
    assert document["description"]
    items = document["items"]
    assert [(i["title"], i["id"]) for i in items] == EXPECTED
    for item in items:
        assert isinstance(item["id"], str)
        assert item["url"].startswith(SITE_URL)
        assert item["content_html"]
        assert RFC_3339.match(item["date_published"])
    assert items[0]["date_published"] == "2026-11-28T11:30:00Z"
    assert items[3]["tags"] == ["API", "Webhooks"]


def test_json_feed_matches_the_atom_feed(feeds: dict[str, bytes]) -> None:
    atom = feedparser.parse(feeds["feed.atom"])
    items = json.loads(feeds["feed.json"])["items"]

    assert [i["id"] for i in items] == [e.id for e in atom.entries]
    assert [i["url"] for i in items] == [e.link for e in atom.entries]


# Stability ---------------------------------------------------------------------------------


def test_a_rebuild_gives_identical_bytes(make_repo: RepoWriter) -> None:
    root = make_repo(FILES)

    first = render_feeds(context_of(root))
    second = render_feeds(context_of(root))

    assert first == second


def test_time_passing_without_a_new_update_changes_nothing(make_repo: RepoWriter) -> None:
    """feedgen would stamp the clock into lastBuildDate; the feeds must not move when
    nothing new is published (12:00 → 12:45: the next update is at 13:00)."""
    root = make_repo(FILES)

    at_noon = render_feeds(context_of(root, NOW))
    later = render_feeds(context_of(root, NOW + timedelta(minutes=45)))

    assert at_noon == later


def test_a_new_update_is_a_new_entry_on_top(make_repo: RepoWriter) -> None:
    root = make_repo(FILES)
    before = feedparser.parse(render_feeds(context_of(root, NOW))["feed.atom"])

    after = feedparser.parse(render_feeds(context_of(root, NOW + timedelta(hours=4)))["feed.atom"])

    assert [e.title for e in after.entries[:2]] == [
        "Resolved: Elevated API errors",
        "Investigating: Not happened yet",
    ]
    # Entries already published keep their ids: readers do not announce them again.
    assert [e.id for e in after.entries[2:]] == [e.id for e in before.entries]


# Length and per-component feeds ----------------------------------------------------------


def test_feed_length_keeps_the_newest_entries(make_repo: RepoWriter) -> None:
    context = context_of(make_repo(FILES))
    context = replace(context, config=replace(context.config, feed_length=5))

    feeds = render_feeds(context)

    for path in XML_FEEDS:
        ids = [e.id for e in feedparser.parse(feeds[path]).entries]
        assert ids == [entry_id for _, entry_id in EXPECTED[:5]], path
    assert len(json.loads(feeds["feed.json"])["items"]) == 5
    api = feedparser.parse(feeds["components/api/feed.atom"])
    assert len(api.entries) == 5


def late_entries_files() -> dict[str, str | bytes]:
    """Seven events, five of them newer, with three entries each, than two old ones: an
    old one's late update, and another's late resolution and postmortem, are the site's
    three newest entries."""
    files: dict[str, str | bytes] = {
        "2026-11-01-late-note.md": """
            ---
            title: Old incident with a late note
            impact: minor
            components: [api]
            ---

            ## 2026-11-28 11:00 UTC — update
            A late note.

            ## 2026-11-01 09:00 UTC — resolved
            Fixed.

            ## 2026-11-01 08:00 UTC — investigating
            Looking.
            """,
        "2026-11-02-late-postmortem.md": """
            ---
            title: Old incident resolved late
            impact: major
            components: [api, dashboard]
            ---

            ## 2026-11-27 20:00 UTC — resolved
            Fixed at last.

            ## 2026-11-02 08:00 UTC — investigating
            Looking.

            # Postmortem
            What happened.
            """,
    }
    components = ["api", "webhooks", "dashboard", "website", "api"]
    for day, component in zip(range(20, 25), components, strict=True):
        files[f"2026-11-{day}-newer.md"] = f"""
            ---
            title: Newer incident of the {day}th
            impact: minor
            components: [{component}]
            ---

            ## 2026-11-{day} 10:00 UTC — resolved
            Fixed.

            ## 2026-11-{day} 09:00 UTC — identified
            Found.

            ## 2026-11-{day} 08:00 UTC — investigating
            Looking.
            """
    return files


def test_feed_length_keeps_the_newest_entries_of_all_events(make_repo: RepoWriter) -> None:
    """A feed shorter than the number of events holds the newest entries over every
    event's (here, an old event's late update and postmortem before the newer events'):
    the same as the first ``feed_length`` entries of a feed that holds them all."""
    context = context_of(make_repo(late_entries_files()))
    length = 3
    short = render_feeds(replace(context, config=replace(context.config, feed_length=length)))
    everything = render_feeds(replace(context, config=replace(context.config, feed_length=10**6)))

    def ids(data: bytes) -> list[str]:
        return [entry.id for entry in feedparser.parse(data).entries]

    assert ids(everything["feed.atom"])[:length] == [
        update_id("2026-11-01-late-note", "20261128T110000Z"),
        f"{SITE_URL}incidents/2026-11-02-late-postmortem/postmortem/",
        update_id("2026-11-02-late-postmortem", "20261127T200000Z"),
    ]
    assert len(ids(everything["feed.atom"])) == 3 + 3 + 5 * 3
    for path in xml_paths(everything):
        assert ids(short[path]) == ids(everything[path])[:length], path
    dashboard = ids(short["components/dashboard/feed.atom"])
    assert dashboard[-1] == update_id("2026-11-22-newer", "20261122T100000Z")
    json_ids = [item["id"] for item in json.loads(short["feed.json"])["items"]]
    assert json_ids == ids(short["feed.atom"])


@pytest.mark.parametrize(
    ("component", "events"),
    [
        (
            "api",
            {
                "2026-11-28-api-errors",
                "2026-11-20-db-outage",
                "2026-11-21-network",
                "2026-12-05-db-upgrade",
            },
        ),
        ("webhooks", {"2026-11-28-api-errors", "2026-11-20-db-outage", "2026-12-05-db-upgrade"}),
        ("dashboard", {"2026-11-27-dashboard", "2026-11-30-certs"}),
        ("website", {"2026-11-28-cdn"}),
    ],
)
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_component_feed_holds_only_its_events(
    feeds: dict[str, bytes], component: str, events: set[str], kind: str
) -> None:
    path = f"components/{component}/feed.{kind}"
    parsed = feedparser.parse(feeds[path])
    site_ids = [entry_id for _, entry_id in EXPECTED]

    ids = [e.id for e in parsed.entries]
    assert {i.removeprefix(f"{SITE_URL}incidents/").split("/")[0] for i in ids} == events
    # The same entries as the site feed, in the same order.
    assert ids == [i for i in site_ids if i in ids]
    assert parsed.feed.link == f"{SITE_URL}components/{component}/"
    assert "Example Status" in parsed.feed.title


# Other sites -----------------------------------------------------------------------------


def test_a_site_without_url_is_refused(make_repo: RepoWriter) -> None:
    root = make_repo(FILES, mkdocs="site_name: No URL\n")

    with pytest.raises(ValueError, match="site_url"):
        render_feeds(context_of(root))


def test_an_empty_site_has_valid_empty_feeds(make_repo: RepoWriter) -> None:
    feeds = render_feeds(context_of(make_repo({})))

    for path in xml_paths(feeds):
        parsed = feedparser.parse(feeds[path])
        assert not parsed.bozo, path
        assert parsed.entries == []
    assert json.loads(feeds["feed.json"])["items"] == []
    atom = ET.fromstring(feeds["feed.atom"])
    assert datetime.fromisoformat(atom.findtext(f"{ATOM}updated", "")) == NOW


def test_text_is_escaped_and_markdown_rendered(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "x.md": """
                ---
                title: Errors & <timeouts> in "EU"
                impact: minor
                components: [api]
                ---

                ## 2026-11-28 09:00 UTC — investigating
                Requests **fail** with `<503>` & retries.
                """
        },
        mkdocs=(
            "site_name: Ünïcode & Co\nsite_url: https://status.example.com/\n"
            "site_description: Status of <things>\n"
        ),
    )
    feeds = render_feeds(context_of(root))

    for path in XML_FEEDS:
        parsed = feedparser.parse(feeds[path])
        assert not parsed.bozo, path
        assert parsed.feed.title == "Ünïcode & Co"
        entry = parsed.entries[0]
        assert entry.title == 'Investigating: Errors & <timeouts> in "EU"'
        assert "<strong>fail</strong>" in entry.summary
        assert "<code>&lt;503&gt;</code> &amp; retries" in entry.summary
    assert ET.fromstring(feeds["feed.atom"]).findtext(f"{ATOM}subtitle") == "Status of <things>"


def feedgen_writes(context: RenderContext) -> dict[str, bytes]:
    """Every Atom and RSS feed as feedgen writes it with its entries added to it: what
    the feeds' bytes, written once an entry, must be."""
    builder = FeedBuilder(context)
    files = {}
    for feed in [builder.site_feed(), *builder.component_feeds()]:
        generator = builder._generator(feed)
        for entry in feed.entries:
            generator.add_entry(FeedBuilder(context)._feedgen_entry(entry), order="append")
        for name, media_type, write in (
            ("feed.atom", "application/atom+xml", generator.atom_str),
            ("feed.rss", "application/rss+xml", generator.rss_str),
        ):
            path = f"{feed.path}{name}"
            generator.link(href=builder.base + path, rel="self", type=media_type, replace=True)
            generator.link(href=feed.home, rel="alternate", type="text/html")
            files[path] = bytes(write(pretty=True))
    return files


def test_entries_written_once_give_feedgen_s_bytes(make_repo: RepoWriter) -> None:
    # Markup, a CDATA end (RSS content is CDATA), non-ASCII text, code blocks (text
    # with new lines and indents), an update without text, and a component without any.
    text = "Ünïcode, `<code>` & a CDATA end ]]> here.\n\n    indented\n    code\n"
    files = {
        f"2026-11-{day:02d}-{kind}.md": (
            f"---\ntitle: Errors & <timeouts> {day} ]]>\nimpact: minor\n"
            f"components: [{'api, webhooks' if day % 2 else 'webhooks'}]\n---\n\n"
            f"## 2026-11-{day:02d} 09:00 UTC — investigating\n{text if kind == 'a' else ''}\n"
            f"## 2026-11-{day:02d} 10:00 UTC — resolved\nFixed ☃.\n"
        )
        for day in range(1, 25)
        for kind in ("a", "b")
    }
    context = context_of(make_repo(files))
    written = render_feeds(context)
    expected = feedgen_writes(context)
    assert {path: written[path] for path in expected} == expected
    assert expected["components/webhooks/feed.rss"].count(b"<item>") == 96
    assert b"<entry>" not in expected["components/dashboard/feed.atom"]


@pytest.mark.parametrize("end", ["_ATOM_END", "_RSS_END"])
def test_bytes_that_cannot_take_the_entries_fail_the_build(
    make_repo: RepoWriter, monkeypatch: pytest.MonkeyPatch, end: str
) -> None:
    """Entries are added before the closing tags feedgen and lxml write; were those to
    change, the feeds would be corrupt: a RuntimeError (an assert would vanish under -O)."""
    monkeypatch.setattr(feeds_module, end, b"</changed>\n")
    with pytest.raises(RuntimeError, match="cannot add entries"):
        render_feeds(context_of(make_repo(FILES)))


def test_the_language_is_declared(make_repo: RepoWriter) -> None:
    mkdocs = "site_name: Statut\nsite_url: https://status.example.com/\ntheme:\n  language: fr\n"
    feeds = render_feeds(context_of(make_repo(FILES, mkdocs=mkdocs)))

    atom = ET.fromstring(feeds["feed.atom"])
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert ET.fromstring(feeds["feed.rss"]).findtext("channel/language") == "fr"
    assert json.loads(feeds["feed.json"])["language"] == "fr"
    # Dates inside entries are written in the site's language.
    assert "28 nov. 2026" in feedparser.parse(feeds["feed.atom"]).entries[9].summary


def test_an_update_without_text_has_its_title_as_content(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "x.md": """
                ---
                title: Short
                impact: minor
                components: [api]
                ---

                ## 2026-11-28 10:00 UTC — resolved

                ## 2026-11-28 09:00 UTC — investigating
                Looking.
                """
        }
    )
    feeds = render_feeds(context_of(root))

    for path in XML_FEEDS:
        parsed = feedparser.parse(feeds[path])
        assert not parsed.bozo
        assert parsed.entries[0].summary == "<p>Resolved: Short</p>"
    assert json.loads(feeds["feed.json"])["items"][0]["content_html"] == "<p>Resolved: Short</p>"


def test_no_two_entries_share_an_updated_time(feeds: dict[str, bytes]) -> None:
    """The W3C validator warns about equal atom:updated: the postmortem is announced
    one second after its incident's latest update (docs/feeds.md)."""
    parsed = feedparser.parse(feeds["feed.atom"])
    times = [entry.updated for entry in parsed.entries]
    assert len(times) == len(set(times)), times
    by_id = {entry.id: entry for entry in parsed.entries}
    postmortem = by_id[f"{SITE_URL}incidents/2026-11-20-db-outage/postmortem/"]
    incident = [
        e for e in parsed.entries if e.id.startswith(f"{SITE_URL}incidents/2026-11-20-db-outage/#")
    ]
    latest = max(e.updated_parsed for e in incident)
    assert calendar.timegm(postmortem.updated_parsed) == calendar.timegm(latest) + 1


# The W3C Feed Validator ---------------------------------------------------------------------

W3C_CHECK = Path(__file__).resolve().parent.parent / "scripts" / "check-feeds-w3c"


def w3c(site: Path) -> subprocess.CompletedProcess[str]:
    """scripts/check-feeds-w3c on a built site. The validator is on no package index and
    this machine reaches none of its hosts, so it runs from a checkout given as
    $FEEDVALIDATOR (docs/feeds.md); without one the check is skipped, saying so."""
    checkout = os.environ.get("FEEDVALIDATOR")
    if not checkout:
        pytest.skip("set FEEDVALIDATOR to a checkout of the W3C Feed Validator (docs/feeds.md)")
    return subprocess.run(
        [sys.executable, str(W3C_CHECK), "--validator", checkout, str(site), SITE_URL],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_w3c_feed_validator_finds_nothing_in_the_example_site(tmp_path: Path) -> None:
    """Every Atom and RSS feed of the example site, site-wide and per component."""
    site = build_example(tmp_path)
    assert read_site_config(PROJECT).url == SITE_URL

    result = w3c(site)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    feeds = len(list(site.rglob("*.atom"))) + len(list(site.rglob("*.rss")))
    assert f"{feeds} feed(s) checked: no error, no warning" in result.stderr


def test_w3c_feed_validator_does_report_a_warning(tmp_path: Path, feeds: dict[str, bytes]) -> None:
    """A control: two entries with the same atom:updated, the warning the postmortem drew,
    and a self link that is not the feed's address."""
    atom = feeds["feed.atom"].decode()
    first, second, *_ = re.findall(r"(?<=<entry>).*?<updated>([^<]+)</updated>", atom, re.S)
    (tmp_path / "feed.atom").write_text(atom.replace(second, first), encoding="utf-8")
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "feed.rss").write_bytes(feeds["feed.rss"])

    result = w3c(tmp_path)

    assert result.returncode == 1
    assert "feed.atom: line" in result.stdout
    assert "Two entries with the same value for atom:updated" in result.stdout
    assert "moved/feed.rss: line" in result.stdout
    assert "Self reference doesn't match document location" in result.stdout
