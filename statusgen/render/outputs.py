"""Every machine-readable output of a build, as bytes by published path.

The site build writes what :func:`render_outputs` returns. To add an output, write a
:data:`~statusgen.render.context.Renderer` in a module of its own and list it in
:data:`RENDERERS`.
"""

from __future__ import annotations

from statusgen.render.badges import render_badges
from statusgen.render.calendars import render_calendars
from statusgen.render.context import RenderContext, Renderer, json_bytes
from statusgen.render.feeds import render_feeds
from statusgen.render.headers import render_headers
from statusgen.render.statuspage import StatuspageDocuments


def render_api(context: RenderContext) -> dict[str, bytes]:
    """The Statuspage-compatible API documents under ``api/v2/``."""
    documents = StatuspageDocuments(context.state, context.config).all()
    return {path: json_bytes(document) for path, document in documents.items()}


RENDERERS: tuple[Renderer, ...] = (
    render_api,
    render_feeds,
    render_calendars,
    render_badges,
    render_headers,
)


def render_outputs(context: RenderContext) -> dict[str, bytes]:
    """Run every renderer; a path written twice is a bug, so it fails loudly."""
    files: dict[str, bytes] = {}
    for renderer in RENDERERS:
        for path, data in renderer(context).items():
            if path in files:
                raise RuntimeError(f"two outputs write {path}")
            files[path] = data
    return files
