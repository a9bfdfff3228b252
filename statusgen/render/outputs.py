"""Every machine-readable output of a build, as bytes by published path.

The site build checks :func:`output_paths` before it writes any file (a hand-written
file where an output goes stops it), then writes what :func:`each_output` gives, each
file as it is made. To add an output, write a
:data:`~statusgen.render.context.Renderer` in a module of its own and list it in
:data:`OUTPUTS` with the paths it writes.

Importing this module imports no renderer's library: the feeds' and the calendars'
(feedgen, lxml, icalendar: 60-70 ms) are imported when those renderers first run, which
a build does while its page worker writes pages (``site/plugin.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from statusgen.render.badges import STATUS_BADGE, render_badges
from statusgen.render.context import MadeWhenRead, RenderContext, Renderer, json_bytes
from statusgen.render.headers import HEADERS_FILE, render_headers
from statusgen.render.statuspage import API_PATHS, StatuspageDocuments
from statusgen.render.urls import (
    ATOM_FEED,
    CALENDAR_FILE,
    JSON_FEED,
    RSS_FEED,
    badge_paths,
    component_path,
)


@dataclass(frozen=True, slots=True)
class Output:
    """A renderer of a build and the paths of the files it makes."""

    render: Renderer
    paths: Callable[[RenderContext], Sequence[str]]
    """Its files' paths in the order it makes them, from the state alone: nothing is
    made for them. :func:`each_output` fails if the renderer makes any other."""


def render_api(context: RenderContext) -> Mapping[str, bytes]:
    """The Statuspage-compatible API documents under ``api/v2/``, each made when it is
    read: ``scheduled-maintenances.json`` lists every maintenance, and a build writes
    one document before it makes the next."""
    documents = StatuspageDocuments(context.state, context.config)
    return MadeWhenRead(API_PATHS, lambda path: json_bytes(documents.document(path)))


def render_feeds(context: RenderContext) -> Mapping[str, bytes]:
    """:func:`statusgen.render.feeds.render_feeds`, imported when first run."""
    from statusgen.render.feeds import render_feeds as render

    return render(context)


def render_calendars(context: RenderContext) -> Mapping[str, bytes]:
    """:func:`statusgen.render.calendars.render_calendars`, imported when first run."""
    from statusgen.render.calendars import render_calendars as render

    return render(context)


def _component_folders(context: RenderContext) -> list[str]:
    return [component_path(c.id) for c in context.state.site.catalog.components]


def _feed_paths(context: RenderContext) -> list[str]:
    """The site's Atom, RSS and JSON feeds, then each component's Atom and RSS feeds."""
    components = _component_folders(context)
    return [
        ATOM_FEED,
        RSS_FEED,
        JSON_FEED,
        *(f + n for f in components for n in (ATOM_FEED, RSS_FEED)),
    ]


def _calendar_paths(context: RenderContext) -> list[str]:
    """The site's maintenance calendar, then each component's."""
    return [folder + CALENDAR_FILE for folder in ["", *_component_folders(context)]]


def _badge_paths(context: RenderContext) -> list[str]:
    """The page's badge, then each component's, each with its endpoint document."""
    names = [STATUS_BADGE, *(c.id for c in context.state.site.catalog.components)]
    return [path for name in names for path in badge_paths(name)]


OUTPUTS: tuple[Output, ...] = (
    Output(render_api, lambda context: API_PATHS),
    Output(render_feeds, _feed_paths),
    Output(render_calendars, _calendar_paths),
    Output(render_badges, _badge_paths),
    Output(render_headers, lambda context: [HEADERS_FILE]),
)


def output_paths(context: RenderContext) -> list[str]:
    """Every output's published path, in the order :func:`each_output` makes them,
    without making any; a path listed twice is a bug, so it fails loudly."""
    paths = [path for output in OUTPUTS for path in output.paths(context)]
    twice = [path for path, count in Counter(paths).items() if count > 1]
    if twice:
        raise RuntimeError(f"two outputs write {', '.join(twice)}")
    return paths


def each_output(context: RenderContext) -> Iterator[tuple[str, bytes]]:
    """Every renderer's files, by path, one at a time as they are made, so that a build
    that writes each before asking for the next never holds them all; a renderer that
    makes files other than its listed paths (:func:`output_paths`) is a bug, so it fails
    loudly before any of its files is given."""
    output_paths(context)
    for output in OUTPUTS:
        files = output.render(context)
        paths = output.paths(context)
        if list(files) != list(paths):
            differ = sorted(set(files).symmetric_difference(paths)) or "their order"
            raise RuntimeError(f"{output.render.__name__} does not make its listed paths: {differ}")
        for path in paths:
            yield path, files[path]


def render_outputs(context: RenderContext) -> dict[str, bytes]:
    """Every output at once, by path (:func:`each_output`)."""
    return dict(each_output(context))
