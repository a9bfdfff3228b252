"""A small version of the benchmarks, so that they keep working.

Only what does not depend on the machine's speed is asserted: pages and bytes grow
linearly with the number of incidents, the overview's first load stays within its
weight budget with no request to another host. Timings are printed, not asserted.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.run import FIRST_LOAD_GZIPPED
from benchmarks.synthetic import write_repository
from benchmarks.weight import weigh
from statusgen.content.config import DEFAULT_HISTORY_PAGE_SIZE
from statusgen.content.loader import load_site
from statusgen.site.build import build_site

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
COMPONENTS = 20


def build(folder: Path, size: int) -> tuple[Path, int]:
    """A synthetic repository of ``size`` events, built; returns the site and its number
    of postmortems."""
    root = folder / f"status-{size}"
    write_repository(root, size, components=COMPONENTS)
    site = build_site(root, root / "site", NOW).site_dir
    postmortems = sum(1 for e in load_site(root).events if e.postmortem)
    return site, postmortems


def html_pages(site: Path) -> list[Path]:
    return list(site.rglob("*.html"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, int]]:
    folder = tmp_path_factory.mktemp("performance")
    return {size: build(folder, size) for size in (50, 200)}


@pytest.mark.parametrize("size", [50, 200])
def test_one_page_per_incident_and_a_few_more(
    sites: dict[int, tuple[Path, int]], size: int
) -> None:
    site, postmortems = sites[size]
    fixed = 4  # overview, components index, subscribe, 404
    history = math.ceil(size / DEFAULT_HISTORY_PAGE_SIZE)
    expected = fixed + COMPONENTS + history + size + postmortems
    assert len(html_pages(site)) == expected


def test_bytes_grow_linearly(sites: dict[int, tuple[Path, int]]) -> None:
    def written(site: Path) -> int:
        return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())

    small, large = written(sites[50][0]), written(sites[200][0])
    # Four times the incidents: less than four times the bytes (fixed files), never more.
    assert 1.5 < large / small < 4.5, (small, large)


def test_overview_first_load_is_light_and_local(sites: dict[int, tuple[Path, int]]) -> None:
    site, _ = sites[200]
    weights = weigh(site, ["", "history/"])
    for path, weight in weights.items():
        assert weight.external == [], path
        assert weight.requests <= 3, (path, weight.requests)  # HTML, script, icon data
        assert weight.total_gzipped < FIRST_LOAD_GZIPPED, (path, weight)
    print(
        f"\noverview with {COMPONENTS} components: {weights[''].total_raw / 1024:.1f} KB raw, "
        f"{weights[''].total_gzipped / 1024:.1f} KB gzipped, {weights[''].requests} requests"
    )


def test_the_benchmark_command_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "20,40",
            "--runs",
            "1",
            "--no-lighthouse",
            "--serve-size",
            "40",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
    for line in (
        "N = 20 incidents",
        "N = 40 incidents",
        "plain MkDocs",
        "Hugo, 1 template",  # scripts/test installs Debian's hugo
        "First load",
        "edit shown",
        "Side by side (targets of issue 19)",
        "build 40 / plain MkDocs",
        "serve, edit shown",
    ):
        assert line in result.stdout, result.stdout
    print(result.stdout)
