"""Every machine-readable output of a build, as bytes by published path.

The site build writes what :func:`each_output` gives, each file as it is made. To add
an output, write a :data:`~statusgen.render.context.Renderer` in a module of its own and
list it in :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from statusgen.render.badges import render_badges
from statusgen.render.calendars import render_calendars
from statusgen.render.context import MadeWhenRead, RenderContext, Renderer, json_bytes
from statusgen.render.feeds import render_feeds
from statusgen.render.headers import render_headers
from statusgen.render.statuspage import API_PATHS, StatuspageDocuments


def render_api(context: RenderContext) -> Mapping[str, bytes]:
    """The Statuspage-compatible API documents under ``api/v2/``, each made when it is
    read: ``scheduled-maintenances.json`` lists every maintenance, and a build writes
    one document before it makes the next."""
    documents = StatuspageDocuments(context.state, context.config)
    return MadeWhenRead(API_PATHS, lambda path: json_bytes(documents.document(path)))


RENDERERS: tuple[Renderer, ...] = (
    render_api,
    render_feeds,
    render_calendars,
    render_badges,
    render_headers,
)


def each_output(context: RenderContext) -> Iterator[tuple[str, bytes]]:
    """Every renderer's files, by path, one at a time as they are made, so that a build
    that writes each before asking for the next never holds them all; a path written
    twice is a bug, so it fails loudly."""
    paths: set[str] = set()
    for renderer in RENDERERS:
        for path, data in renderer(context).items():
            if path in paths:
                raise RuntimeError(f"two outputs write {path}")
            paths.add(path)
            yield path, data


def render_outputs(context: RenderContext) -> dict[str, bytes]:
    """Every output at once, by path (:func:`each_output`)."""
    return dict(each_output(context))
