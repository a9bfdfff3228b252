"""Every output's path is known before any output is made, so that a build refuses a
hand-written file where one goes before it writes anything (tests/test_site.py builds
it), and listing them imports none of the renderers' libraries."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from statusgen.render import outputs
from statusgen.render.statuspage import API_PATHS
from tests.test_identical_outputs import example, synthetic
from tests.test_writer import renderer_of


@pytest.mark.parametrize("site", [example, synthetic])
def test_the_listed_paths_are_the_files_made_in_their_order(
    tmp_path: Path, site: Callable[[Path], Path]
) -> None:
    context = renderer_of(site(tmp_path / "site")).pages.context
    listed = outputs.output_paths(context)
    made = [path for path, _ in outputs.each_output(context)]
    assert made == listed
    components = context.state.site.catalog.components
    assert len(components) > 5
    for component in components:
        folder = f"components/{component.id}/"
        for name in ("feed.atom", "feed.rss", "maintenance.ics"):
            assert f"{folder}{name}" in listed
        assert f"badges/{component.id}.svg" in listed
    assert listed[: len(API_PATHS)] == list(API_PATHS)
    assert listed[-1] == "_headers"


def test_a_renderer_that_makes_an_unlisted_file_fails_before_giving_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = renderer_of(example(tmp_path / "site")).pages.context
    badges = next(o for o in outputs.OUTPUTS if o.render.__name__ == "render_badges")
    short = replace(badges, paths=lambda context: badges.paths(context)[:-1])
    monkeypatch.setattr(
        outputs, "OUTPUTS", tuple(short if o is badges else o for o in outputs.OUTPUTS)
    )
    given: list[str] = []
    with pytest.raises(RuntimeError, match="render_badges does not make its listed paths"):
        given.extend(path for path, _ in outputs.each_output(context))
    assert "maintenance.ics" in given  # the calendars, made before the badges
    assert not any(path.startswith("badges/") for path in given)


def test_listing_the_outputs_imports_no_renderer_library() -> None:
    """The plugin checks the outputs' paths before its page worker starts: feedgen, lxml
    and icalendar are imported only when the outputs are made, while pages are written."""
    code = (
        "import sys, statusgen.site.plugin, statusgen.render.outputs\n"
        "print(sorted(m for m in ('feedgen', 'lxml', 'icalendar') if m in sys.modules))\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"
