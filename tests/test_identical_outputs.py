"""What makes builds faster changes no byte: the example site and a synthetic one, built
without the Markdown cache, with a cold one and with a warm one, in one process after a
build in another language, give the same files. (``benchmarks/compare_outputs.py``
compares the working tree with an earlier revision the same way.)"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.synthetic import write_repository
from statusgen.site.assembly import markdown_cache_file
from statusgen.site.build import build_site
from tests.test_site import PROJECT, tree

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
EXAMPLE_FILES = ("components.yml", "incidents", "mkdocs.yml", "pages", "theme")


def example(folder: Path) -> Path:
    """A copy of this repository's example site (its builds write their cache in it)."""
    folder.mkdir(parents=True)
    for name in EXAMPLE_FILES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    return folder


def synthetic(folder: Path) -> Path:
    write_repository(folder, 60, components=12)
    return folder


def set_option(root: Path, option: str) -> None:
    """Add a statusgen option to mkdocs.yml (whose plugin entry may have no options)."""
    mkdocs = root / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    if "  - statusgen:\n" in text:
        text = text.replace("  - statusgen:\n", f"  - statusgen:\n      {option}\n")
    else:
        text = text.replace("  - statusgen\n", f"  - statusgen:\n      {option}\n")
    mkdocs.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("make", [example, synthetic])
def test_cache_off_cold_and_warm_build_the_same_bytes(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    uncached = make(tmp_path / "uncached")
    set_option(uncached, "cache: false")
    off = tree(build_site(uncached, tmp_path / "off", NOW).site_dir)
    assert not markdown_cache_file(uncached / "mkdocs.yml").exists()

    cached = make(tmp_path / "cached")
    cold = tree(build_site(cached, tmp_path / "cold", NOW).site_dir)
    assert markdown_cache_file(cached / "mkdocs.yml").is_file()
    warm = tree(build_site(cached, tmp_path / "warm", NOW).site_dir)
    assert off == cold == warm
    assert len(off) > 50


def test_a_build_in_another_language_leaves_nothing_behind(tmp_path: Path) -> None:
    english = example(tmp_path / "english")
    first = tree(build_site(english, tmp_path / "first", NOW).site_dir)
    french = example(tmp_path / "french")
    mkdocs = french / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text().replace("language: en", "language: fr"))
    translated = tree(build_site(french, tmp_path / "fr", NOW).site_dir)
    again = tree(build_site(english, tmp_path / "again", NOW).site_dir)
    assert again == first
    assert translated["index.html"] != first["index.html"]
