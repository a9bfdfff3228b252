"""The pages written by two processes (site/writer.py): the same bytes as one process,
each page exactly once, the worker's Markdown kept in the cache, and its failures
reported as the build's, never a half-replaced site."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest

from benchmarks.synthetic import write_repository
from statusgen.content.loader import read_site
from statusgen.core.errors import ContentErrors, StatusgenError
from statusgen.render.pages import PageRenderer
from statusgen.site import assembly, writer
from statusgen.site.build import build_site
from statusgen.site.writer import PARALLEL_FROM, PageWriter
from tests.test_identical_outputs import NOW, example, synthetic
from tests.test_site import FAILING_EXTENSION, tree

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not writer._second_core(),
    reason="needs Linux and two usable cores (as CI has)",
)


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests leave idle server threads in this process (session fixtures' HTTP
    servers, which hold no lock a fork could inherit): the worker is made all the same.
    The rule itself is tested below, with a thread of its own."""
    monkeypatch.setattr(writer, "_forking_is_safe", lambda: True)


def renderer_of(root: Path) -> PageRenderer:
    """The page renderer a build of ``root`` uses, made the way the plugin makes it."""
    config = assembly.load_mkdocs_config(root, NOW)
    options = assembly.plugin_options(config)
    assembly.prepare(config, options)
    site, errors = read_site(root)
    assert site is not None, errors
    context = assembly.render_context(config, options, site, NOW)
    return assembly.page_renderer(config, options, context)


def serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "PARALLEL_FROM", 10**9)


def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "PARALLEL_FROM", 1)


@pytest.mark.parametrize("make", [example, synthetic])
def test_two_processes_write_the_same_site_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], Path]
) -> None:
    root = make(tmp_path / "repo")
    serial(monkeypatch)
    alone = tree(build_site(root, tmp_path / "alone", NOW).site_dir)
    parallel(monkeypatch)
    shared = tree(build_site(root, tmp_path / "shared", NOW).site_dir)
    assert shared == alone
    assert sum(path.endswith(".html") for path in alone) >= 20


def test_a_large_site_is_shared_without_being_told(tmp_path: Path) -> None:
    """The default threshold: a site of some hundred incidents gets the worker."""
    root = tmp_path / "repo"
    write_repository(root, PARALLEL_FROM, components=8)
    forks = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fork", counted_fork)
        built = build_site(root, tmp_path / "site", NOW)
    assert forks == [1]
    pages = list(built.site_dir.rglob("index.html"))
    assert len(pages) > PARALLEL_FROM


def test_each_page_is_written_once_by_one_of_the_two(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_repository(root, 120, components=6)
    renderer = renderer_of(root)
    paths = renderer.files()
    site = tmp_path / "site"
    pages = PageWriter(renderer, site, paths)
    # Every write that happens in this process is seen here; the worker's are not.
    mine: list[str] = []
    original = PageWriter._write

    def seen(self: PageWriter, number: int) -> None:
        mine.append(self.paths[number][0])
        original(self, number)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "PARALLEL_FROM", 1)
        patch.setattr(PageWriter, "_write", seen)
        pages.start()
        for path, _ in paths:
            pages.write(path)
        pages.finish()
    written = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert written == {path for path, _ in paths}
    assert len(mine) == len(set(mine))
    # The worker wrote the others, from the end: both took part.
    assert 0 < len(mine) < len(paths)
    assert paths[-1][0] not in mine
    for path, url in paths:
        assert (site / path).read_bytes() == renderer.render_path(url)


def test_the_markdown_the_worker_converts_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold parallel build stores every text: the next build converts none."""
    root = tmp_path / "repo"
    write_repository(root, 80, components=6)
    parallel(monkeypatch)
    first = tree(build_site(root, tmp_path / "first", NOW).site_dir)

    def no_conversion(self: markdown.Markdown, source: str) -> str:
        raise AssertionError(f"converted again: {source[:40]!r}")

    monkeypatch.setattr(markdown.Markdown, "convert", no_conversion)
    assert tree(build_site(root, tmp_path / "second", NOW).site_dir) == first


FAILING_TEXT = "This will explode."


def test_a_text_the_worker_cannot_render_is_a_content_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    write_repository(root, 40, components=4)
    incident = sorted((root / "incidents").rglob("*.md"))[0]
    lines = incident.read_text(encoding="utf-8").splitlines(keepends=True)
    heading = next(n for n, line in enumerate(lines) if line.startswith("## "))
    lines.insert(heading + 1, f"\n{FAILING_TEXT}\n")
    incident.write_text("".join(lines), encoding="utf-8")
    (tmp_path / "broken_extension.py").write_text(FAILING_EXTENSION, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text() + "markdown_extensions:\n  - broken_extension\n")
    renderer = renderer_of(root)
    pages = PageWriter(renderer, tmp_path / "site", renderer.files())
    parallel(monkeypatch)
    pages.start()  # and this process writes nothing: the worker meets the text
    with pytest.raises(ContentErrors) as raised:
        pages.finish()
    shown = incident.relative_to(root).as_posix()
    assert f"{shown}:{heading + 1}: this update could not be rendered" in str(raised.value)
    assert "(ValueError: the extension failed)" in str(raised.value)


def test_a_worker_that_dies_fails_the_build_and_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    write_repository(root, 60, components=4)
    target = tmp_path / "site"
    before = tree(build_site(root, target, NOW).site_dir)
    parent = os.getpid()
    original = PageWriter._write

    def killed_in_the_worker(self: PageWriter, number: int) -> None:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # what the OOM killer does
        original(self, number)

    parallel(monkeypatch)
    monkeypatch.setattr(PageWriter, "_write", killed_in_the_worker)
    with pytest.raises(StatusgenError, match=r"stopped before the end \(killed by signal 9\)"):
        build_site(root, target, NOW)
    assert tree(target) == before


def test_no_worker_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """``mkdocs serve`` runs a server thread: forking then is unsafe, so pages are
    written by the build alone."""
    monkeypatch.undo()  # the real rule, not the fixture's
    alone = threading.active_count() == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not writer._forking_is_safe()
        assert not writer._can_fork()
    finally:
        stop.set()
        thread.join()
    assert writer._forking_is_safe() is alone
