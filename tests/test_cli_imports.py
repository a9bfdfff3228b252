"""``validate``, ``status`` and ``build`` do not import what only other commands need.

GitPython, apprise, requests and the importers' HTML tools cost a quarter to half a
second to import; cli.py imports them inside the commands that use them. Each command
runs here in a fresh interpreter, on the example site, and the modules it loaded are
read from ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
HEAVY = ("git", "apprise", "requests", "bs4", "markdownify")

RUN = """
import json, sys
from statusgen.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit as stop:
    assert not stop.code, stop.code
watched = {watched!r}
found = (m for m in sys.modules if any(m == w or m.startswith(w + ".") for w in watched))
print(json.dumps(sorted(found)), file=sys.stderr)
"""


def loaded_by(*args: str | Path, watched: tuple[str, ...] = HEAVY) -> list[str]:
    """The modules of ``watched`` (packages with their submodules, or modules) loaded by
    running the command ``args`` in a new interpreter."""
    ran = subprocess.run(
        [sys.executable, "-c", RUN.format(watched=watched), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    loaded: list[str] = json.loads(ran.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--root", REPOSITORY],
        ["status", "--root", REPOSITORY, "--now", "2026-11-30 12:00 UTC"],
        ["status", "--json", "--root", REPOSITORY, "--now", "2026-11-30 12:00 UTC"],
    ],
)
def test_reading_commands_import_no_git_nor_notifications(args: list[str | Path]) -> None:
    assert loaded_by(*args) == []


def test_validate_imports_no_renderer() -> None:
    """validate checks files and options: the renderers, the derived state and the
    authoring tools are a tenth of a second of imports it never uses."""
    watched: tuple[str, ...] = ("statusgen.render", "statusgen.state", "nh3")
    watched += (
        "statusgen.site.assembly",
        "statusgen.workflow.authoring",
        "statusgen.workflow.diff",
    )
    found = loaded_by("validate", "--root", REPOSITORY, watched=watched)
    assert found == []
    # The check can fail: status does derive the page.
    status = loaded_by(
        "status", "--root", REPOSITORY, "--now", "2026-11-30 12:00 UTC", watched=watched
    )
    assert "statusgen.state.page" in status


def test_build_imports_no_git_nor_notifications(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert loaded_by("build", "--root", REPOSITORY, "--site-dir", site) == []
    assert (site / "index.html").is_file()


def test_commands_that_need_git_still_load_it(tmp_path: Path) -> None:
    """The check above can fail: a command using git does load it (here ``init``)."""
    assert "git" in loaded_by("init", tmp_path / "new")
