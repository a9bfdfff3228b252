"""``statusgen serve`` keeps what an edit leaves unchanged (the parsed files, each event's
view and state, the compiled templates) and must still serve exactly what a full render
of the same files at the same moment gives: every page and every output, after an edit,
a new file and a deleted one, in the public's view and an audience's."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusgen.content.loader import load_site
from statusgen.render.outputs import render_outputs
from statusgen.site.assembly import (
    load_mkdocs_config,
    page_renderer,
    plugin_options,
    prepare,
    render_context,
)
from statusgen.site.serve import ASSETS, RELOAD_SCRIPT_PATH, Preview

PROJECT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
RELOAD_SCRIPT = re.compile(
    rf'<script src="{re.escape(RELOAD_SCRIPT_PATH)}" data-fingerprint="[^"]*"></script>'.encode()
)
SIGN_IN = "incidents/2026-11-30-sign-in-failures.md"
NEW_INCIDENT = """\
---
title: API outage in Europe
impact: major
components:
  api: major_outage
---

## 2026-11-20 10:30 UTC — resolved
Traffic is back to normal.

## 2026-11-20 09:45 UTC — monitoring [api: partial_outage, webhooks: degraded_performance]
Most requests succeed again; webhooks are delayed.

## 2026-11-20 09:00 UTC — investigating
Requests to the API fail in Europe.
"""


def full_render(root: Path, audience: str | None) -> dict[str, bytes]:
    """Every page and output of ``root`` at :data:`NOW`, rendered from scratch as a build
    renders them (a new configuration, load, view, state and environment), by URL path."""
    config = load_mkdocs_config(root, drills=True, audience=audience)
    options = plugin_options(config)
    prepare(config, options)
    context = render_context(config, options, load_site(root), NOW)
    renderer = page_renderer(config, options, context)
    pages = {f"/{page.url}": renderer.render(page) for page in renderer.pages}
    outputs = render_outputs(context)
    # serve answers with the theme's assets before rendering the outputs.
    assert not [path for path in outputs if path.startswith(ASSETS)]
    return {**pages, **{f"/{path}": data for path, data in outputs.items()}}


def assert_serves(preview: Preview, root: Path, audience: str | None) -> None:
    expected = full_render(root, audience)
    preview.refresh()
    assert preview.errors == []
    assert preview.renderer is not None
    served_urls = {f"/{url}" for url in preview.renderer.pages.urls()}
    assert served_urls == {url for url in expected if url.endswith(("/", ".html"))}
    for url, data in expected.items():
        status, _, body = preview.respond(url)
        assert status == 200, url
        assert RELOAD_SCRIPT.sub(b"", body) == data, url


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("audience", [None, "internal"])
def test_serve_after_edits_is_a_full_render(tmp_path: Path, audience: str | None) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "components.yml"):
        shutil.copy(PROJECT / name, root / name)
    for folder in ("incidents", "pages", "theme"):
        shutil.copytree(PROJECT / folder, root / folder)
    preview = Preview(root, NOW, audience)
    preview.refresh()
    settings = preview.settings
    assert_serves(preview, root, audience)
    assert preview.settings is settings  # mkdocs.yml was loaded once
    # The theme's assets are served as the build publishes them, the site's theme/ first.
    for asset in ("assets/statusgen/status.js", "assets/logo.svg"):
        status, _, body = preview.respond(f"/{asset}")
        assert status == 200, asset
        published = root / "theme" / asset
        if not published.is_file():
            published = PROJECT / "statusgen/render/templates" / asset
        assert body == published.read_bytes(), asset
    assert preview.context is not None
    before = {state.id: state for state in preview.context.state.events}

    # An edit that resolves the active incident: statuses, indicator, uptime, lists and
    # feeds all change, and the unchanged events keep their state.
    edit(
        root / SIGN_IN,
        "## 2026-11-30 09:40 UTC — identified",
        "## 2026-11-30 10:05 UTC — resolved\nThe renewed certificate is in place.\n\n"
        "## 2026-11-30 09:40 UTC — identified",
    )
    # The page reloads, with its script: no output is rendered for that.
    assert preview.respond("/assets/statusgen/status.js")[0] == 200
    assert preview.outputs is None
    assert_serves(preview, root, audience)
    after = {state.id: state for state in preview.context.state.events}
    assert after.keys() == before.keys()
    changed = [i for i in after if after[i] is not before[i]]
    assert changed == ["2026-11-30-sign-in-failures"]

    # A new file: an incident that changed two components' statuses in the window.
    (root / "incidents/2026/2026-11-20-api-outage.md").write_text(NEW_INCIDENT, encoding="utf-8")
    assert_serves(preview, root, audience)

    # A deleted file, and a maintenance in progress whose window now ended before NOW.
    (root / "incidents/2026/2026-11-12-dashboard-charts.md").unlink()
    edit(
        root / "incidents/maintenance/2026-11-30-search-reindex.md",
        "scheduled_end: 2026-11-30 16:00 UTC",
        "scheduled_end: 2026-11-30 11:30 UTC",
    )
    assert_serves(preview, root, audience)

    # A template of the theme changes: the settings are loaded and the templates compiled
    # again (the compiled code kept between refreshes is not reused for another source).
    edit(root / "theme/statusgen/partials/head.html", 'content="#5b3cc4"', 'content="#123456"')
    assert_serves(preview, root, audience)
    assert b'content="#123456"' in preview.respond("/")[2]
