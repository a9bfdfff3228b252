"""Drills in a view: the site with its rehearsals left out, unless a preview asks for them.

A drill (``drill: true``) is the real incident process on a scratch branch. It is taken
out of the validated model before any state is derived, so that no page, feed, API
document, badge, uptime figure or notification of a published build can see it; only
``statusgen serve``, ``statusgen build --drills`` and targets bound to drills include it.
"""

from __future__ import annotations

from dataclasses import replace

from statusgen.core.errors import ContentError
from statusgen.core.model import Site


def drills_view(site: Site, *, drills: bool) -> Site:
    """The site as a build shows it: every event with ``drills``, else none of the drills."""
    if drills or not has_drills(site):
        return site
    return replace(site, events=tuple(e for e in site.events if not e.is_drill))


def has_drills(site: Site) -> bool:
    """Whether any incident or maintenance of the site is a drill."""
    return any(event.is_drill for event in site.events)


def drill_warnings(site: Site) -> list[ContentError]:
    """One warning per drill: on a pull request, it says that merging would put a
    rehearsal in the main branch (where it stays unpublished, but has no business)."""
    return [
        ContentError(
            event.source.path,
            event.drill_line,
            "this incident is a drill (drill: true): it is never published nor sent to "
            "subscribers; do not merge a drill branch (statusgen drill end says how to "
            "remove it)",
        )
        for event in site.events
        if event.is_drill
    ]
