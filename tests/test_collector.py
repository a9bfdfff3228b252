"""The cycle collector's tuning (core/collector.py) lasts as long as the run it is for."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from statusgen.core.collector import YOUNG_THRESHOLD, fewer_collections
from statusgen.core.errors import StatusgenError
from statusgen.site.build import build_site
from tests.conftest import RepoWriter


def test_the_thresholds_come_back_after_an_error() -> None:
    before = gc.get_threshold()
    inside: list[tuple[int, int, int]] = []

    def fail() -> None:
        with fewer_collections():
            inside.append(gc.get_threshold())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert inside == [(max(before[0], YOUNG_THRESHOLD), *before[1:])]
    assert gc.get_threshold() == before


def test_a_failed_build_leaves_the_collector_as_it_was(
    make_repo: RepoWriter, tmp_path: Path
) -> None:
    root = make_repo({"a.md": "no frontmatter\n"})
    before = gc.get_threshold()
    with pytest.raises(StatusgenError):
        build_site(root, tmp_path / "site")
    assert gc.get_threshold() == before
