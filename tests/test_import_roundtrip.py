"""statusgen's own published API imported back: export then import is the identity on
what the API carries (component statuses, incidents and updates) at every moment."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import yaml

from statusgen.content.loader import load_site
from statusgen.core.model import Maintenance
from statusgen.core.timestamps import parse_timestamp
from statusgen.state.page import PageState, derive
from statusgen.view.site_view import site_view
from tests.conftest import statusgen

PROJECT = Path(__file__).resolve().parent.parent
BUILD_NOW = "2026-11-30 12:00 UTC"


def _view(state: PageState, components: dict[str, str], events: dict[str, str]) -> object:
    """What a page says at one moment, in the imported repository's ids."""
    return {
        "components": {components[k]: v for k, v in state.component_statuses.items()},
        "indicator": state.indicator,
        "events": {
            events[e.id]: (
                e.status,
                e.started_at,
                e.ended_at,
                [(u.at, u.body) for u in e.updates],
            )
            for e in state.events
            if e.id in events
        },
        "active": sorted(events[e.id] for e in state.active_incidents),
        "in_progress": sorted(events[e.id] for e in state.maintenances_in_progress),
        "upcoming": sorted(events[e.id] for e in state.upcoming_maintenances),
    }


# Known defect, open: since audiences and the maintenance transitions landed, the copy's
# indicator differs from the original's at 2026-11-15 07:00 (minor against maintenance).
# strict: the test fails again as soon as the cause is fixed, so the mark cannot linger.
def test_the_published_api_imports_back_to_the_same_page(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    built = statusgen("build", "--root", PROJECT, "--site-dir", site_dir, "--now", BUILD_NOW)
    assert built.returncode == 0, built.stderr
    imported = tmp_path / "imported"
    result = statusgen("import", "statuspage", site_dir / "api" / "v2", "--root", imported)
    assert result.returncode == 0, result.stderr

    # The API is what the public sees: drills are never in it.
    original = site_view(load_site(PROJECT))  # what the public API publishes
    copy = load_site(imported)
    ids = yaml.safe_load((imported / "import-ids.yml").read_text())["statuspage"]
    components = dict(ids["components"].items())
    events = dict(ids["incidents"].items())
    build_now = parse_timestamp(BUILD_NOW)
    published = {e.id for e in original.events if e.first_update.at <= build_now}
    assert set(events) == published
    assert set(components) == {c.id for c in original.catalog.components}
    assert [copy.catalog.component(components[c.id]).name for c in original.catalog.components] == [
        c.name for c in original.catalog.components
    ]

    # Every moment at which something changes, just before and at it, up to the build.
    moments: set[datetime] = {build_now}
    for event in original.events:
        for update in event.updates:
            moments |= {update.at - timedelta(seconds=1), update.at}
        if isinstance(event, Maintenance):
            moments |= {event.scheduled_start, event.scheduled_end}
    inverse = {v: v for v in events.values()}
    for moment in sorted(m for m in moments if m <= build_now):
        before = derive(original, moment)
        after = derive(copy, moment)
        assert _view(before, components, events) == _view(
            after, {v: v for v in components.values()}, inverse
        ), moment
