"""What a build holds in memory while it writes the pages: the lists of events hold only
what they show of each event, not its updates (docs/performance.md, "Memory stays
flat")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from statusgen.render import outputs
from statusgen.render.context import RenderContext, Renderer
from statusgen.render.statuspage import API_PATHS, StatuspageDocuments
from statusgen.render.urls import incident_path
from tests.test_identical_outputs import example
from tests.test_writer import renderer_of


def test_lists_of_events_convert_none_of_their_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renderer = renderer_of(example(tmp_path / "site"))
    converted: list[str] = []
    markdown = renderer.pages.context.markdown
    html = markdown.html

    def watched(text: str, *, once: bool = False) -> str:
        converted.append(text)
        return html(text, once=once)

    monkeypatch.setattr(markdown, "html", watched)
    state = renderer.pages.state
    lists = [u for u in renderer.pages.urls() if u.startswith(("history/", "components/"))]
    assert len(lists) > 3
    for url in lists:
        assert renderer.render_path(url) is not None
    assert converted == []
    # An event's own page shows its updates, newest first.
    event = next(s for s in state.events if len(s.updates) > 1)
    page = renderer.render_path(incident_path(event.id))
    assert page is not None
    assert converted == [u.body for u in reversed(event.updates)]
    first, last = (html(u.body).encode() for u in (event.updates[-1], event.updates[0]))
    assert page.index(first) < page.index(last)


def test_outputs_are_made_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build writes each output before the next is made: the API's documents (one of
    them lists every maintenance) are made when read, and no renderer runs before the
    previous renderer's files have been taken."""
    context = renderer_of(example(tmp_path / "site")).pages.context
    made: list[str] = []
    document = StatuspageDocuments.document

    def counted(self: StatuspageDocuments, path: str) -> dict[str, Any]:
        made.append(path)
        return document(self, path)

    def watched(renderer: Renderer) -> Renderer:
        def run(context: RenderContext) -> Mapping[str, bytes]:
            made.append(renderer.__name__)
            return renderer(context)

        return run

    monkeypatch.setattr(StatuspageDocuments, "document", counted)
    watched_outputs = tuple(replace(o, render=watched(o.render)) for o in outputs.OUTPUTS)
    monkeypatch.setattr(outputs, "OUTPUTS", watched_outputs)
    taken = []
    for path, _ in outputs.each_output(context):
        if path.startswith("api/"):
            assert made[-1] == path  # made for this read, not before
        taken.append(path)
    assert made[: len(API_PATHS) + 2] == ["render_api", *API_PATHS, "render_feeds"]
    assert dict.fromkeys(taken) == dict.fromkeys(outputs.render_outputs(context))
