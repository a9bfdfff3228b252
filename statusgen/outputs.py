"""Every machine-readable output of a build, as bytes by published path.

An output is a function of a :class:`RenderContext` (the derived state, the site's
settings and the shared Markdown renderer) returning ``{path: bytes}`` with paths
relative to the site root. The site build writes them all; to add an output, write
such a function in a module of its own and list it in :data:`RENDERERS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from statusgen.badges import render_badges
from statusgen.calendars import render_calendars
from statusgen.config import SiteConfig
from statusgen.feeds import render_feeds
from statusgen.i18n import Language
from statusgen.markup import MarkdownRenderer
from statusgen.state import PageState
from statusgen.statuspage import StatuspageDocuments


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What every renderer reads."""

    state: PageState
    config: SiteConfig
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    language: Language = field(default_factory=lambda: Language("en"))
    """The site's language (``theme.language``): statusgen's own words and dates."""


Renderer = Callable[[RenderContext], Mapping[str, bytes]]


def json_bytes(document: object) -> bytes:
    """A JSON document as published: UTF-8, indented, newline-terminated."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def render_api(context: RenderContext) -> dict[str, bytes]:
    """The Statuspage-compatible API documents under ``api/v2/``."""
    documents = StatuspageDocuments(context.state, context.config).all()
    return {path: json_bytes(document) for path, document in documents.items()}


RENDERERS: tuple[Renderer, ...] = (render_api, render_feeds, render_calendars, render_badges)


def render_outputs(context: RenderContext) -> dict[str, bytes]:
    """Run every renderer; a path written twice is a bug, so it fails loudly."""
    files: dict[str, bytes] = {}
    for renderer in RENDERERS:
        for path, data in renderer(context).items():
            if path in files:
                raise RuntimeError(f"two outputs write {path}")
            files[path] = data
    return files
