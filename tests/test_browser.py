"""The example status site in a real browser: Debian's chromium driven by Playwright.

The site is built once with ``build_site`` for ``NOW`` (2026-11-30 12:00 UTC), served
over HTTP on 127.0.0.1, and read the way a customer reads it: with and without
JavaScript, on a phone and a desktop, in the light and the dark scheme. The browser's
clock is set with Playwright's clock, so that "updated N minutes ago" and the stale
banner do not depend on when the tests run.
"""

from __future__ import annotations

import re
import shutil
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from statusgen.site.build import build_site
from tests.browser import (
    ARTIFACTS,
    NOW,
    PROJECT,
    Tab,
    build_example,
    launch_chromium,
    serve,
)
from tests.conftest import RepoWriter

FRESH = NOW + timedelta(minutes=5)
"""The browser's clock for most tests: five minutes after the build."""
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}
SCHEMES = ("light", "dark")
SCREENSHOTS = ARTIFACTS / "screenshots"

# One page of each kind, relative to the site's root.
PAGES = {
    "overview": "",
    "active": "incidents/2026-11-30-sign-in-failures/",
    "incident": "incidents/2026-11-28-api-error-rates/",
    "maintenance": "incidents/2026-11-30-search-reindex/",
    "postmortem": "incidents/2026-11-28-api-error-rates/postmortem/",
    "component": "components/webhooks/",
    "components": "components/",
    "history": "history/",
    "subscribe": "subscribe/",
    "404": "404.html",
}

# What the overview must say at NOW, as a person computes it from the example's files.
OVERALL = "Major Service Outage"
COMPONENTS = {
    "REST API": "Operational",
    "Webhooks": "Degraded performance",
    "Sign-in and SSO": "Major outage",
    "Dashboard": "Operational",
    "Search": "Under maintenance",
    "Website and documentation": "Operational",
}
GROUPS = {"Platform": "Major outage", "Applications": "Under maintenance"}
# Title: status of its latest update.
ACTIVE_INCIDENTS = {
    "Some customers cannot sign in with SSO": "Identified",
    "Delayed webhook deliveries": "Monitoring",
}
MAINTENANCE_IN_PROGRESS = {"Search index rebuild": "In progress"}
UPCOMING_MAINTENANCE = {"Network equipment upgrade in the Frankfurt data centre": "Scheduled"}

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


class TabOpener(Protocol):
    def __call__(
        self,
        path: str = "",
        *,
        clock: datetime | None = FRESH,
        base_url: str | None = None,
        **options: Any,
    ) -> Tab: ...


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_tab(browser: Browser, site_url: str) -> Iterator[TabOpener]:
    """Open a page of the site in a new browser context (so options such as the colour
    scheme, time zone or JavaScript apply to it alone), with the browser's clock set."""
    contexts: list[BrowserContext] = []

    def open_(
        path: str = "",
        *,
        clock: datetime | None = FRESH,
        base_url: str | None = None,
        **options: Any,
    ) -> Tab:
        settings: dict[str, Any] = {"timezone_id": "Europe/Paris", "locale": "en-US", **options}
        context = browser.new_context(**settings)
        contexts.append(context)
        page = context.new_page()
        if clock is not None and settings.get("java_script_enabled", True):
            page.clock.set_fixed_time(clock)
        tab = Tab(page, base_url or site_url)
        tab.goto(path)
        return tab

    yield open_
    for context in contexts:
        context.close()


# Reading the overview -------------------------------------------------------------


def statuses(page: Page) -> dict[str, Any]:
    """What the overview says, as the reader sees it."""
    components = {
        item.locator(".sg-component__name").inner_text(): item.locator(
            ".sg-component__head .sg-status"
        ).inner_text()
        for item in page.locator(".sg-components > .sg-component").all()
    }
    groups = {
        title.locator("span").first.inner_text(): title.locator(".sg-status").inner_text()
        for title in page.locator(".sg-group__title").all()
    }

    def cards(region: str) -> dict[str, str]:
        section = page.get_by_role("region", name=region, exact=True)
        if not section.count():
            return {}
        return {
            card.locator(".sg-card__title").inner_text(): card.locator(
                ".sg-card__meta strong"
            ).inner_text()
            for card in section.locator("article").all()
        }

    return {
        "overall": page.get_by_role("heading", level=1).inner_text(),
        "components": components,
        "groups": groups,
        "active": cards("Active incidents"),
        "in progress": cards("Maintenance in progress"),
        "upcoming": cards("Upcoming maintenance"),
    }


def expected_statuses() -> dict[str, Any]:
    return {
        "overall": OVERALL,
        "components": COMPONENTS,
        "groups": GROUPS,
        "active": ACTIVE_INCIDENTS,
        "in progress": MAINTENANCE_IN_PROGRESS,
        "upcoming": UPCOMING_MAINTENANCE,
    }


def folded(value: Any) -> Any:
    """Statuses compared without regard to case: "Major outage" or "Major Outage"."""
    if isinstance(value, dict):
        return {k.strip(): folded(v) for k, v in value.items()}
    return " ".join(str(value).split()).casefold()


def require_script_ran(tab: Tab) -> None:
    """Fail on any script error."""
    errors = tab.script_errors()
    assert not errors, "script errors:\n" + "\n".join(errors)


# (1) and (2): statuses, with and without JavaScript ----------------------------------


def test_overview_shows_the_expected_statuses(open_tab: TabOpener) -> None:
    tab = open_tab("")
    assert folded(statuses(tab.page)) == folded(expected_statuses())
    # Every status is told in words and by an icon, never by colour alone.
    for status in tab.page.locator(".sg-status").all():
        assert status.inner_text().strip()
        assert status.locator("svg.sg-icon use").count() == 1


def test_overview_without_javascript(open_tab: TabOpener) -> None:
    tab = open_tab("", java_script_enabled=False)
    page = tab.page
    assert folded(statuses(page)) == folded(expected_statuses())
    assert tab.script_errors() == []

    # Uptime bars are HTML: one cell per day for each component, with its tooltip text.
    bars = page.locator(".sg-bar")
    assert bars.count() == len(COMPONENTS)
    for bar in bars.all():
        assert bar.locator(":scope > li").count() == 90
        box = bar.bounding_box()
        assert box is not None
        assert box["height"] > 10
        assert box["width"] > 300
    api = page.locator(".sg-component", has=page.get_by_role("link", name="REST API", exact=True))
    cell = api.locator(".sg-bar > li", has_text="Nov 28, 2026")
    assert re.fullmatch(
        r"Nov 28, 2026: \d+(\.\d+)?% uptime — Elevated error rates on the REST API",
        cell.text_content() or "",
    )
    assert "sg-d-ok" not in (cell.get_attribute("class") or "")
    # The tooltip shows on hover, without script.
    tip = cell.locator(".sg-tip")
    cell.hover()
    tip_box = tip.bounding_box()
    assert tip_box is not None
    assert tip_box["width"] > 50, tip_box

    # Times stay in UTC, "Updated" stays absolute, the stale banner stays hidden.
    assert page.locator(".sg-utc").count() == 0
    updated = page.get_by_role("contentinfo").locator("time")
    assert updated.inner_text() == "Nov 30, 2026, 12:00 UTC"
    assert updated.get_attribute("datetime") == "2026-11-30T12:00:00Z"
    assert not page.locator("#sg-stale").is_visible()

    # The incident's timeline, newest first, with its facts.
    tab.goto(PAGES["incident"])
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Elevated error rates on the REST API"
    )
    updates = page.locator(".sg-timeline > .sg-update")
    assert updates.locator(".sg-update__status").all_inner_texts() == [
        "Resolved",
        "Monitoring",
        "Identified",
        "Investigating",
    ]
    times = [t.get_attribute("datetime") or "" for t in updates.locator("time").all()]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == 4
    facts = page.locator(".sg-facts").inner_text()
    # The API recovered in the incident; webhooks joined it later (component changes).
    for fact in (
        "Resolved",
        "1 h 38 min",
        "REST API\nOperational",
        "Webhooks\nDegraded performance\nsince Nov 28, 2026, 14:30 UTC",
    ):
        assert fact in facts
    assert page.get_by_role("link", name="Read the postmortem").count() == 1


# (3) What the script adds -----------------------------------------------------------


# Each reader's time of two moments, as a person reads them off a time-zone table: one in
# winter on the overview (Nov 30, 09:40 UTC) and one in summer time on a past incident's
# page (Oct 3, 18:47 UTC), whose day is the next one in India.
WINTER = "2026-11-30T09:40:00Z"
SUMMER = "2026-10-03T18:47:30Z"
OUTAGE = "incidents/2026-10-03-website-outage/"
LOCAL_TIMES = {
    "Europe/Paris": ("10:40 CET", "20:47 CEST", False),
    "America/New_York": ("04:40 EST", "14:47 EDT", False),
    "Asia/Kolkata": ("15:10 IST", "00:17 IST", True),
}
LANGUAGES = {
    # page language: reader's locale, and how the dates of the two moments are written
    "en": ("en-US", ("Nov 30, 2026", "Oct 3, 2026", "Oct 4, 2026")),
    "fr": ("fr-FR", ("30 nov. 2026", "3 oct. 2026", "4 oct. 2026")),
}


@pytest.fixture(scope="module")
def french_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same example site with ``theme.language: fr``."""
    root = tmp_path_factory.mktemp("french")
    for name in ("components.yml", "incidents", "pages", "theme"):
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    mkdocs = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: en\n" in mkdocs
    (root / "mkdocs.yml").write_text(mkdocs.replace("  language: en\n", "  language: fr\n"))
    with serve(build_site(root, root / "site", NOW).site_dir) as url:
        yield url


def shown(tab: Tab, moment: str) -> str:
    """A time as the reader sees it: the <time> and what the script put beside it."""
    element = tab.page.locator(f'time[datetime="{moment}"]').first
    text = element.evaluate("e => e.textContent + (e.nextSibling ? e.nextSibling.textContent : '')")
    return " ".join(text.split())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("zone", LOCAL_TIMES)
def test_local_times_are_written_in_the_readers_time_zone(
    open_tab: TabOpener, french_site_url: str, site_url: str, language: str, zone: str
) -> None:
    locale, (winter_day, summer_day, next_day) = LANGUAGES[language]
    winter, summer, crosses_midnight = LOCAL_TIMES[zone]
    base_url = french_site_url if language == "fr" else site_url
    tab = open_tab("", timezone_id=zone, locale=locale, base_url=base_url)
    require_script_ran(tab)
    page = tab.page
    # Every time, the reader's first with its zone's name, UTC beside it.
    assert page.locator(".sg-utc").count() == page.locator("time[data-local]").count() > 0
    assert shown(tab, WINTER) == f"{winter_day}, {winter} (09:40 UTC)"
    # Never an offset where the zone has a name, never "GMT+1" at all.
    assert not re.search(r"(GMT|UTC)[+\-\u2212]\d", page.locator("body").inner_text())

    tab.goto(OUTAGE)
    require_script_ran(tab)
    if crosses_midnight:  # the UTC day is told when it is not the reader's
        assert shown(tab, SUMMER) == f"{next_day}, {summer} ({summer_day}, 18:47 UTC)"
    else:
        assert shown(tab, SUMMER) == f"{summer_day}, {summer} (18:47 UTC)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_in_utc_sees_utc_alone(
    open_tab: TabOpener, french_site_url: str, site_url: str, language: str
) -> None:
    locale, (winter_day, _, _) = LANGUAGES[language]
    base_url = french_site_url if language == "fr" else site_url
    tab = open_tab("", timezone_id="UTC", locale=locale, base_url=base_url)
    require_script_ran(tab)
    assert tab.page.locator(".sg-utc").count() == 0
    assert shown(tab, WINTER).startswith(f"{winter_day}, 09:40 UTC")


def test_a_window_that_ends_on_its_first_day_gives_the_end_by_its_time(
    open_tab: TabOpener,
) -> None:
    tab = open_tab("", timezone_id="Europe/Paris")
    require_script_ran(tab)
    windows = {
        name: " ".join(
            tab.page.get_by_role("link", name=name)
            .locator("xpath=ancestor::article")
            .locator(".sg-window")
            .inner_text()
            .split()
        )
        for name in (
            "Search index rebuild",
            "Network equipment upgrade in the Frankfurt data centre",
        )
    }
    assert windows == {
        "Search index rebuild": "Nov 30, 2026, 11:00 CET (10:00 UTC) → 17:00 CET (16:00 UTC)",
        # Over midnight, the end keeps its day.
        "Network equipment upgrade in the Frankfurt data centre": (
            "Dec 12, 2026, 23:00 CET (22:00 UTC) → Dec 13, 2026, 03:00 CET (02:00 UTC)"
        ),
    }


def test_a_zone_without_a_common_name_is_told_by_its_offset(open_tab: TabOpener) -> None:
    tab = open_tab("", timezone_id="Asia/Tokyo", locale="en-US")
    require_script_ran(tab)
    assert shown(tab, WINTER) == "Nov 30, 2026, 18:40 UTC+9 (09:40 UTC)"


def test_the_header_subscribe_link_explains_every_way_to_follow(open_tab: TabOpener) -> None:
    tab = open_tab(PAGES["incident"], java_script_enabled=False)
    page = tab.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Subscribe").click()
    assert page.url.endswith("/subscribe/")
    assert page.get_by_role("heading", level=1).inner_text() == "Subscribe"
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings == [
        "In a feed reader",
        "In your calendar",
        "For one component only",
        "From your tools",
    ]
    # Every link on it works: the feeds, calendars and API it names are there.
    links = page.get_by_role("main").get_by_role("link")
    hrefs = {links.nth(i).evaluate("a => a.href") for i in range(links.count())}
    assert any(h.endswith("/components/webhooks/feed.atom") for h in hrefs)
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    # The footer no longer lists the formats; it points to the page that explains them.
    footer = page.get_by_role("contentinfo")
    assert footer.get_by_role("link").count() == 1
    assert "Atom" not in footer.inner_text()


def test_a_component_page_tells_how_to_follow_it_in_plain_words(open_tab: TabOpener) -> None:
    tab = open_tab(PAGES["component"], java_script_enabled=False)
    page = tab.page
    follow = page.get_by_role("region", name="Follow Webhooks")
    assert "only about the incidents and maintenance that affect Webhooks" in follow.inner_text()
    assert "Subscribe to" not in page.get_by_role("main").inner_text()
    links = follow.get_by_role("link")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert [h.rsplit("/", 1)[-1] for h in hrefs[:3]] == [
        "feed.atom",
        "feed.rss",
        "maintenance.ics",
    ]
    assert all("/components/webhooks/" in h for h in hrefs[:3])
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    # The rest is explained where every way to follow the page is.
    follow.get_by_role("link", name="How to use them").click()
    assert page.url.endswith("/subscribe/")
    assert page.get_by_role("heading", name="For one component only").count() == 1


def test_incident_and_postmortem_open_with_a_summary_line(open_tab: TabOpener) -> None:
    for path in (PAGES["incident"], PAGES["postmortem"]):
        tab = open_tab(path, java_script_enabled=False)
        gist = tab.page.locator(".sg-gist")
        # Right under the title: impact and status in words, when, how long, what it touched.
        assert tab.page.locator("h1 + .sg-gist").count() == 1, path
        text = " ".join(gist.inner_text().split())
        assert "Impact: Major" in text, text
        assert "Resolved" in text, text
        assert "Nov 28, 2026, 14:02 UTC" in text, text
        assert "lasted 1 h 38 min" in text, text
        assert gist.get_by_role("link", name="REST API").count() == 1
        for badge in gist.locator(".sg-badge").all():
            assert badge.inner_text().strip()
    # The incident page tells its status and impact by colour and words, once: in the
    # summary line, which the facts below do not repeat.
    tab = open_tab(PAGES["incident"], java_script_enabled=False)
    header = tab.page.locator(".sg-incident__header")
    assert header.locator(".sg-badge.sg-e-resolved").all_inner_texts() == ["Resolved"]
    assert header.locator(".sg-badge.sg-i-major").all_inner_texts() == ["Impact: Major"]


def test_a_maintenance_card_labels_its_posting_time(open_tab: TabOpener) -> None:
    tab = open_tab("", java_script_enabled=False)
    card = tab.page.get_by_role("link", name="Search index rebuild").locator(
        "xpath=ancestor::article"
    )
    window, posted = (" ".join(m.split()) for m in card.locator(".sg-card__meta").all_inner_texts())
    # The window first, the posting time on its own labelled line.
    assert window == "In progress · Window: Nov 30, 2026, 10:00 UTC → Nov 30, 2026, 16:00 UTC"
    assert re.fullmatch(r"Posted \w{3} \d+, 2026, \d\d:\d\d UTC", posted), posted


def test_updated_time_becomes_relative(open_tab: TabOpener) -> None:
    for clock, phrase in ((FRESH, "5 minutes ago"), (NOW + timedelta(hours=2), "2 hours ago")):
        tab = open_tab("", clock=clock)
        require_script_ran(tab)
        updated = tab.page.get_by_role("contentinfo").locator("time")
        assert updated.inner_text() == phrase
        assert updated.get_attribute("title") == "Nov 30, 2026, 12:00 UTC"


def test_stale_banner_after_stale_after_minutes(open_tab: TabOpener) -> None:
    # The example's stale_after is 60 minutes.
    fresh = open_tab(PAGES["incident"], clock=NOW + timedelta(minutes=59))
    require_script_ran(fresh)
    assert not fresh.page.locator("#sg-stale").is_visible()

    stale = open_tab(PAGES["incident"], clock=NOW + timedelta(minutes=61))
    require_script_ran(stale)
    banner = stale.page.get_by_role("alert")
    assert banner.is_visible()
    assert "may be out of date" in banner.inner_text()
    # Its time is written like every other (the context's reader is in Paris).
    assert "updated Nov 30, 2026, 13:00 CET (12:00 UTC) and" in banner.inner_text()


def test_stale_notice_sits_above_the_content_and_covers_nothing(open_tab: TabOpener) -> None:
    stale = open_tab("", clock=NOW + timedelta(minutes=61), viewport=DEVICES["phone"])
    require_script_ran(stale)
    notice = stale.page.locator("#sg-stale").bounding_box()
    banner = stale.page.locator(".sg-banner").bounding_box()
    assert notice is not None
    assert banner is not None
    assert notice["y"] + notice["height"] <= banner["y"]  # above the status, not over it
    assert stale.page.locator("#sg-stale").evaluate("e => getComputedStyle(e).position") == (
        "static"
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_banner_is_the_status_colour_and_readable(open_tab: TabOpener, scheme: str) -> None:
    tab = open_tab("", color_scheme=scheme)
    banner = tab.page.locator(".sg-banner")
    colours = banner.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color,"
        " getComputedStyle(document.querySelector('.sg-status.sg-s-major')).color]"
    )
    background, text, major = colours
    assert background == major  # the example is in a major outage: the band is its colour
    light, dark = sorted((luminance(background), luminance(text)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5  # WCAG AA for its words
    assert banner.inner_text() == "Major Service Outage"
    # Its icon is a shape in the words' colour with a mark in the band's (the symbol
    # strokes its mark with --sg-on-status): not a blank shape.
    mark = banner.locator(".sg-banner__icon").evaluate(
        """icon => {
            const probe = document.createElementNS("http://www.w3.org/2000/svg", "rect");
            probe.style.fill = "var(--sg-on-status)";
            icon.appendChild(probe);
            return [getComputedStyle(icon).color, getComputedStyle(probe).fill];
        }"""
    )
    assert mark == [text, background]


def test_uptime_days_open_by_keyboard_and_tap_inside_the_viewport(open_tab: TabOpener) -> None:
    tab = open_tab("", viewport=DEVICES["phone"], has_touch=True)
    page = tab.page
    legend = page.locator(".sg-legend").first
    for words in ("Operational", "Partial outage", "Major outage", "No data"):
        assert words in legend.inner_text()
    cells = page.locator(".sg-bar").first.locator(":scope > li:visible")
    width = DEVICES["phone"]["width"]
    for cell in (cells.first, cells.last):
        cell.focus()  # reachable by keyboard (tabindex) and opened by a tap (focus)
        box = cell.locator(".sg-tip").bounding_box()
        assert box is not None
        assert box["width"] > 50
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width
    cells.nth(5).tap()
    assert (cells.nth(5).locator(".sg-tip").bounding_box() or {"width": 0})["width"] > 50


def test_stale_banner_on_the_real_clock(make_repo: RepoWriter, open_tab: TabOpener) -> None:
    """No fake clock: a site built now is fresh, one built three hours ago is stale."""
    root = make_repo(
        mkdocs="site_name: Test Status\nsite_url: https://status.test/\ndocs_dir: pages\n"
        "theme:\n  name: material\nplugins:\n  - statusgen\n"
    )
    (root / "pages").mkdir()
    now = datetime.now(UTC).replace(microsecond=0)
    fresh = build_site(root, root / "fresh", now).site_dir
    old = build_site(root, root / "old", now - timedelta(hours=3)).site_dir
    with serve(fresh) as fresh_url, serve(old) as old_url:
        tab = open_tab("", clock=None, base_url=fresh_url)
        require_script_ran(tab)
        assert not tab.page.locator("#sg-stale").is_visible()
        updated = tab.page.get_by_role("contentinfo").locator("time").inner_text()
        assert re.fullmatch(r"this minute|\d+ minutes? ago", updated), updated

        tab = open_tab("", clock=None, base_url=old_url)
        require_script_ran(tab)
        assert tab.page.locator("#sg-stale").is_visible()
        assert tab.page.get_by_role("contentinfo").locator("time").inner_text() == "3 hours ago"


# (4) Nothing but the site's own host -------------------------------------------------


def visit_every_page_type(open_tab: TabOpener) -> list[Tab]:
    """Each page type in its own tab of one browser context, each left open until the
    network is idle, so that no navigation cancels a request still in flight."""
    first = open_tab("")
    tabs = [first]
    for path in PAGES.values():
        tab = Tab(first.page.context.new_page(), first.base_url)
        tab.goto(path, wait_until="networkidle")
        tabs.append(tab)
    for tab in tabs:
        tab.page.wait_for_load_state("networkidle")
    return tabs


def test_no_request_leaves_the_site_host(open_tab: TabOpener) -> None:
    tabs = visit_every_page_type(open_tab)
    requests = [url for tab in tabs for url in tab.requests]
    # The recorder saw the pages and their assets, so an empty list proves nothing less.
    base_url = tabs[0].base_url
    for path in ("", PAGES["incident"], PAGES["postmortem"], PAGES["component"], "history/"):
        assert base_url + path in requests
    assert base_url + "assets/statusgen/status.js" in requests
    # The stylesheet is inline: one request less, nothing blocks the first paint.
    assert base_url + "assets/statusgen/status.css" not in requests
    offsite = [url for tab in tabs for url in tab.offsite_requests]
    assert offsite == [], "requests to other hosts:\n" + "\n".join(offsite)
    failed = [failure for tab in tabs for failure in tab.failed]
    assert failed == [], "failed requests:\n" + "\n".join(failed)
    bad = [response for tab in tabs for response in tab.bad_responses]
    assert bad == [], "error responses:\n" + "\n".join(bad)


def test_no_script_or_console_error(open_tab: TabOpener) -> None:
    for tab in visit_every_page_type(open_tab):
        require_script_ran(tab)


# (5) Screenshots, kept as artifacts --------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG) of an ``rgb(r, g, b)`` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_color)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("page_type", PAGES)
def test_screenshot(open_tab: TabOpener, page_type: str, device: str, scheme: str) -> None:
    viewport = DEVICES[device]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{page_type}-{device}-{scheme}.png"
    target.unlink(missing_ok=True)
    tab = open_tab(PAGES[page_type], viewport=viewport, color_scheme=scheme)
    tab.page.screenshot(path=target, full_page=True)

    data = target.read_bytes()
    width, height = png_size(data)
    # A full-page shot is wider than the viewport only if the page scrolls sideways,
    # which test_fits_a_phone_screen reports.
    assert width >= viewport["width"]
    assert height >= viewport["height"]
    assert len(data) > 10_000, f"{target}: {len(data)} bytes"
    # The scheme follows the system setting.
    background = luminance(tab.page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert background < 0.1 if scheme == "dark" else background > 0.9


@pytest.mark.parametrize(
    "page_type",
    list(PAGES),
)
def test_fits_a_phone_screen(open_tab: TabOpener, page_type: str) -> None:
    """WCAG 1.4.10 (reflow): nothing scrolls sideways at 390 CSS px."""
    tab = open_tab(PAGES[page_type], viewport=PHONE)
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    too_wide = tab.page.evaluate(
        """limit => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > limit + 0.5)
            .slice(-8)
            .map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ends at `
                      + `${Math.round(e.getBoundingClientRect().right)}px: `
                      + (e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60))""",
        PHONE["width"],
    )
    assert width <= PHONE["width"], f"page is {width}px wide:\n" + "\n".join(too_wide)


# (6) Accessibility: axe-core, WCAG 2.0, 2.1 and 2.2 A and AA --------------------------


def describe(violations: list[tuple[str, dict[str, Any]]]) -> str:
    lines = []
    for where, violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}] "
            f"{violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            html = " ".join(node["html"].split())[:160]
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {html}\n      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def axe_cases() -> list[Any]:
    return [
        pytest.param(page_type, scheme, id=f"{page_type}-{scheme}")
        for page_type in PAGES
        for scheme in SCHEMES
    ]


@pytest.mark.parametrize(("page_type", "scheme"), axe_cases())
def test_no_wcag_violation(open_tab: TabOpener, page_type: str, scheme: str) -> None:
    tab = open_tab(PAGES[page_type], color_scheme=scheme, viewport=DESKTOP)
    found: list[tuple[str, dict[str, Any]]] = []
    for device, viewport in DEVICES.items():
        tab.page.set_viewport_size(viewport)
        results = Axe().run(tab.page, options=AXE_OPTIONS)
        where = f"/{PAGES[page_type]} ({device}, {scheme})"
        found += [(where, v) for v in results.response["violations"]]
    assert not found, "axe-core violations:\n" + describe(found)
