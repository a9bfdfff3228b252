"""The published paths (FORMAT.md), relative to ``site_url``, in one place.

Pages, feeds, calendars and the API all link to the same places; building every URL
here keeps them from drifting apart.
"""

from __future__ import annotations

from statusgen.core.model import Update
from statusgen.core.timestamps import compact_timestamp

SUBSCRIBE_PATH = "subscribe/"
"""The page that explains every way to follow the site."""


def incident_path(event_id: str) -> str:
    """``incidents/<id>/``: one incident or maintenance."""
    return f"incidents/{event_id}/"


def postmortem_path(event_id: str) -> str:
    """``incidents/<id>/postmortem/``: its postmortem."""
    return f"incidents/{event_id}/postmortem/"


def component_path(component_id: str) -> str:
    """``components/<id>/``: one component."""
    return f"components/{component_id}/"


def history_path(page: int = 1) -> str:
    """``history/``, then ``history/page/2/`` and so on."""
    return "history/" if page <= 1 else f"history/page/{page}/"


def update_anchor(update: Update) -> str:
    """The fragment of an update on its incident page: ``update-20261128T140200Z``."""
    return f"update-{compact_timestamp(update.at)}"


def update_path(event_id: str, update: Update) -> str:
    """An update's own address: its incident page and its anchor."""
    return f"{incident_path(event_id)}#{update_anchor(update)}"


# The machine-readable outputs' files (render/outputs.py lists every one of a build).

ATOM_FEED = "feed.atom"
RSS_FEED = "feed.rss"
JSON_FEED = "feed.json"
"""The feeds' file names: the site's three at its root, a component's Atom and RSS
feeds in its folder (:func:`component_path`)."""

CALENDAR_FILE = "maintenance.ics"
"""The maintenance calendar's file name: the site's at its root, a component's in its
folder."""


def badge_paths(name: str) -> tuple[str, str]:
    """``badges/<name>.svg`` and its shields.io endpoint document, ``badges/<name>.json``."""
    return f"badges/{name}.svg", f"badges/{name}.json"
