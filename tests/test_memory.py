"""What a build holds in memory while it writes the pages: the lists of events hold only
what they show of each event, not its updates (docs/performance.md, "Memory stays
flat")."""

from __future__ import annotations

from pathlib import Path

import pytest

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

    def watched(text: str) -> str:
        converted.append(text)
        return html(text)

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
