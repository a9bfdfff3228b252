"""What the pages say is true at first sight: past means over, lists are sorted and
grouped by the dates they show, upcoming maintenance is apart, uptime figures cover
the days the bar shows and read the same in the CLI and on the site."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusgen.site.build import build_site
from statusgen.state.uptime import shown_ratio
from tests.conftest import COMPONENTS_YML, RepoWriter, statusgen
from tests.test_state import incident, maintenance

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MKDOCS_YML = """\
site_name: Test Status
site_url: https://status.test/
theme:
  name: material
plugins:
  - statusgen
"""

EVENTS: dict[str, str | bytes] = {
    # Resolved, with updates on two days: listed once, under the day it started.
    "2026-11-28-overnight.md": incident(
        ("2026-11-29 00:30", "resolved"),
        ("2026-11-28 23:50", "investigating"),
        title="Overnight errors",
    ),
    # Still active: not past.
    "2026-11-29-active.md": incident(
        ("2026-11-29 09:00", "investigating"), title="Ongoing slowness", impact="minor"
    ),
    # In progress now: not past.
    "2026-11-25-now.md": maintenance(
        ("2026-11-25 09:00", "scheduled"),
        start="2026-11-30 10:00",
        end="2026-11-30 14:00",
        components=["webhooks"],
        title="Webhook migration",
    ),
    # Announced in November for December: upcoming, apart from the past.
    "2026-11-20-december.md": maintenance(
        ("2026-11-20 09:00", "scheduled"),
        start="2026-12-15 02:00",
        end="2026-12-15 04:00",
        title="December upgrade",
    ),
    # Announced early, done on the 27th: listed at its window.
    "2026-11-01-done.md": maintenance(
        ("2026-11-27 04:00", "completed"),
        ("2026-11-01 09:00", "scheduled"),
        start="2026-11-27 02:00",
        end="2026-11-27 04:00",
        title="Done upgrade",
    ),
    "2026-11-15-middle.md": incident(
        ("2026-11-15 11:00", "resolved"),
        ("2026-11-15 10:00", "investigating"),
        title="Mid-November errors",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("truth") / "repo"
    (root / "incidents").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "components.yml").write_text(COMPONENTS_YML, encoding="utf-8")
    for name, text in EVENTS.items():
        assert isinstance(text, str)
        (root / "incidents" / name).write_text(text, encoding="utf-8")
    return build_site(root, root / "site", NOW).site_dir


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def titles(html: str) -> list[str]:
    return re.findall(r'class="sg-event__title"><a href="[^"]+">([^<]+)</a>', html)


def by_heading(html: str, tag: str, css_class: str = "") -> dict[str, list[str]]:
    """Event titles under each ``tag`` heading of ``html`` (of that class), in order."""
    attributes = f' class="{css_class}"' if css_class else "[^>]*"
    parts = re.split(rf"<{tag}{attributes}>([^<]+)</{tag}>", html)
    return {parts[i]: titles(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}


def test_past_incidents_are_over_and_listed_once_on_their_day(site: Path) -> None:
    past = section((site / "index.html").read_text(encoding="utf-8"), "sg-recent")
    days = by_heading(past, "h3", "sg-day")
    assert days == {
        "November 30, 2026": [],
        "November 29, 2026": [],
        "November 28, 2026": ["Overnight errors"],
        "November 27, 2026": ["Done upgrade"],
        "November 26, 2026": [],
        "November 25, 2026": [],
        "November 24, 2026": [],
    }


def test_history_is_sorted_and_grouped_by_the_dates_it_shows(site: Path) -> None:
    html = (site / "history/index.html").read_text(encoding="utf-8")
    assert titles(section(html, "sg-upcoming")) == ["December upgrade"]
    months = by_heading(html[html.index("</section>") :], "h2")
    assert months == {
        "November 2026": [
            "Webhook migration",
            "Ongoing slowness",
            "Overnight errors",
            "Done upgrade",
            "Mid-November errors",
        ]
    }


def test_component_page_shows_upcoming_maintenance_apart(site: Path) -> None:
    html = (site / "components/api/index.html").read_text(encoding="utf-8")
    groups = by_heading(section(html, "sg-component-incidents"), "h3", "sg-day")
    assert groups == {
        "Upcoming maintenance": ["December upgrade"],
        "November 2026": [
            "Ongoing slowness",
            "Overnight errors",
            "Done upgrade",
            "Mid-November errors",
        ],
    }


def test_maintenance_not_started_says_what_it_will_do(site: Path) -> None:
    upcoming = (site / "incidents/2026-11-20-december/index.html").read_text(encoding="utf-8")
    affected = upcoming[upcoming.index('class="sg-affected"') :]
    assert "<span>Will be under maintenance</span>" in affected
    assert "<span>Under maintenance</span>" not in affected
    running = (site / "incidents/2026-11-25-now/index.html").read_text(encoding="utf-8")
    assert "<span>Under maintenance</span>" in running[running.index('class="sg-affected"') :]


def legend(html: str, component: str) -> str:
    start = html.index(f'href="components/{component}/"')
    start = html.index('<p class="sg-uptime__legend">', start)
    return html[start : html.index("</p>", start)]


def test_the_legend_says_what_the_bar_shows_on_a_phone_too(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    api = legend(html, "api")
    # The whole window, and the last 30 days that a phone shows (status.css hides the rest).
    assert (
        '<span class="sg-wide">90 days ago</span><span class="sg-narrow">30 days ago</span>' in api
    )
    wide = re.search(r'<span class="sg-wide">([^<]+ uptime)</span>', api)
    narrow = re.search(r'<span class="sg-narrow">([^<]+ uptime)</span>', api)
    assert wide
    assert narrow
    # The incidents fall within both spans, but over 30 days they weigh three times more.
    assert wide.group(1) != narrow.group(1)
    css = (site / "assets/statusgen/status.css").read_text(encoding="utf-8")
    assert ".sg-bar li:nth-last-child(n+31) { display: none; }" in css


def test_days_before_since_have_no_data_and_the_figure_says_so(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    website = legend(html, "website")  # since: 2026-11-01
    assert '<span class="sg-wide">100% uptime since Nov 1, 2026</span>' in website
    assert '<span class="sg-narrow">100% uptime</span>' in website  # November only
    bar = html[html.index('aria-label="100% uptime since Nov 1, 2026, no data before"') :]
    assert "Oct 31, 2026: no data" in bar[: bar.index("</ol>")]


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [(0.99975, 0.9997), (0.9997, 0.9997), (0.99999, 0.9999), (1.0, 1.0), (0.0, 0.0)],
)
def test_uptime_is_floored_to_a_hundredth_of_a_percent(ratio: float, shown: float) -> None:
    assert shown_ratio(ratio) == shown


def test_status_command_and_site_show_the_same_uptime(make_repo: RepoWriter) -> None:
    # 26 minutes of major outage over 90 days: 99.97994%, which rounds to 99.98 but
    # floors to 99.97 (Statuspage's figure).
    root = make_repo(
        {
            "2026-11-28-api.md": incident(
                ("2026-11-28 10:26", "resolved"),
                ("2026-11-28 10:00", "investigating"),
                impact="critical",
            )
        },
        mkdocs=MKDOCS_YML,
    )
    (root / "docs").mkdir()
    now = "2026-11-30 12:00 UTC"
    result = statusgen("status", "--now", now, cwd=root)
    assert result.returncode == 0, result.stderr
    api_line = next(line for line in result.stdout.splitlines() if line.lstrip().startswith("API"))
    figure = api_line.split()[-1]
    site = build_site(root, root / "site", NOW).site_dir
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f">{figure} uptime<" in legend(html, "api")
    assert figure.startswith("99.9")
