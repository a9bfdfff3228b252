"""The Markdown cache between builds (``MarkdownRenderer(cache=...)``): reused only for
the same text and settings, never an error when broken, and no larger than what recent
builds used."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import markdown
import pytest

from statusgen.core.stored import StoredTexts
from statusgen.core.timestamps import parse_timestamp
from statusgen.render.markup import MarkdownRenderer
from statusgen.site.assembly import markdown_cache_file
from statusgen.site.build import build_site
from tests.conftest import RepoWriter

TEXT = "We are **investigating** errors.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
OTHER = "A fix has been *deployed*."
NOW = parse_timestamp("2026-11-30 12:00 UTC")
MKDOCS = "site_name: S\nsite_url: https://status.example.com/\nplugins: [statusgen]\n"
INCIDENT = """\
    ---
    title: Errors on the API
    impact: major
    components: [api]
    ---

    ## 2026-11-28 14:02 UTC - investigating
    We are **investigating** errors.
    """


def stored(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT key, value FROM stored"))


def mark_everything(path: Path, html: str) -> None:
    """Change every stored HTML, to see whether a renderer reads the file."""
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE stored SET value = ?", (html,))


def test_a_second_renderer_reads_what_the_first_saved(tmp_path: Path) -> None:
    cache = tmp_path / ".cache" / "markdown.sqlite"
    first = MarkdownRenderer(cache=cache)
    expected = first.html(TEXT)
    first.save(prune=True)
    assert list(stored(cache).values()) == [expected]
    mark_everything(cache, "<p>from the cache</p>")
    assert MarkdownRenderer(cache=cache).html(TEXT) == "<p>from the cache</p>"
    assert MarkdownRenderer().html(TEXT) == expected


def test_other_settings_never_reuse_the_html(tmp_path: Path) -> None:
    cache = tmp_path / "markdown.sqlite"
    renderer = MarkdownRenderer(cache=cache)
    renderer.html(TEXT)
    renderer.save(prune=False)
    mark_everything(cache, "<p>from the cache</p>")
    without_tables = MarkdownRenderer(["fenced_code"], cache=cache)
    assert without_tables.html(TEXT) == MarkdownRenderer(["fenced_code"]).html(TEXT)
    assert "<table>" not in without_tables.html(TEXT)


def test_an_option_without_a_stable_description_goes_without_a_cache(tmp_path: Path) -> None:
    cache = tmp_path / "markdown.sqlite"
    configs = {"toc": {"slugify": object()}}
    renderer = MarkdownRenderer(["toc"], configs, cache=cache)
    renderer.html(TEXT)
    renderer.save(prune=True)
    assert not cache.exists()


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "markdown.sqlite"
    cache.write_bytes(b"not a database" * 100)
    renderer = MarkdownRenderer(cache=cache)
    assert renderer.html(TEXT) == MarkdownRenderer().html(TEXT)
    renderer.save(prune=True)
    assert list(stored(cache).values()) == [MarkdownRenderer().html(TEXT)]


def test_an_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("in the way")
    renderer = MarkdownRenderer(cache=tmp_path / "a-file" / "markdown.sqlite")
    assert renderer.html(TEXT) == MarkdownRenderer().html(TEXT)
    renderer.save(prune=True)


def test_texts_no_recent_build_used_are_forgotten(tmp_path: Path) -> None:
    cache = tmp_path / "markdown.sqlite"
    renderer = MarkdownRenderer(cache=cache)
    renderer.html(TEXT), renderer.html(OTHER)
    renderer.save(prune=True)
    assert len(stored(cache)) == 2
    for build in range(StoredTexts.KEPT_RUNS):
        assert len(stored(cache)) == 2, build  # another view's builds may need it
        renderer = MarkdownRenderer(cache=cache)
        renderer.html(TEXT)
        renderer.save(prune=True)
    assert list(stored(cache).values()) == [MarkdownRenderer().html(TEXT)]


def test_texts_another_process_used_are_kept(tmp_path: Path) -> None:
    """The page worker's texts (site/writer.py) count as used by the build that saves."""
    cache = tmp_path / "markdown.sqlite"
    first = MarkdownRenderer(cache=cache)
    first.html(TEXT), first.html(OTHER)
    first.save(prune=True)
    for _ in range(StoredTexts.KEPT_RUNS + 1):
        build, worker = MarkdownRenderer(cache=cache), MarkdownRenderer(cache=cache)
        build.html(TEXT), worker.html(OTHER)
        build.take_over(worker.handover())
        build.save(prune=True)
    assert sorted(stored(cache).values()) == sorted(map(MarkdownRenderer().html, (TEXT, OTHER)))


def test_many_new_texts_are_written_before_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with a cold cache does not hold every result it made until it saves."""
    monkeypatch.setattr(StoredTexts, "WRITTEN_FROM", len(MarkdownRenderer().html(TEXT)))
    cache = tmp_path / "markdown.sqlite"
    renderer = MarkdownRenderer(cache=cache)
    renderer.html(TEXT)
    assert list(stored(cache).values()) == [renderer.html(TEXT)]
    renderer.html(OTHER)
    renderer.save(prune=True)
    assert len(stored(cache)) == 2
    for _ in range(StoredTexts.KEPT_RUNS):
        MarkdownRenderer(cache=cache).save(prune=True)  # runs that used neither
    assert stored(cache) == {}


@pytest.mark.parametrize("cached", [False, True])
def test_a_text_given_once_is_not_kept_and_never_converted_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """An event's own page asks for its texts once; the same text elsewhere (a repeated
    message) is given the same HTML without converting it again, from a cold or a warm
    cache."""
    cache = tmp_path / "markdown.sqlite"
    expected = MarkdownRenderer().html(TEXT)
    if cached:
        warm = MarkdownRenderer(cache=cache)
        warm.html(TEXT)
        warm.save(prune=True)
    converted: list[str] = []
    convert = markdown.Markdown.convert

    def counted(self: markdown.Markdown, source: str) -> str:
        converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counted)
    renderer = MarkdownRenderer(cache=cache)
    assert renderer.html(TEXT) == expected  # a feed: kept for the page that follows
    assert [renderer.html(TEXT, once=True) for _ in range(3)] == [expected] * 3
    assert renderer._cache == {}
    assert len(converted) == (0 if cached else 1)


def test_builds_keep_it_in_the_user_cache_and_never_trust_one_in_the_repository(
    make_repo: RepoWriter, tmp_path: Path, user_cache: Path
) -> None:
    """A pull request may add any file, and a ``.cache`` symlink: the build neither reads
    HTML from the repository nor writes there."""
    root = make_repo({"2026-11-28-api.md": INCIDENT}, mkdocs=MKDOCS)
    build_site(root, tmp_path / "first", NOW)
    cache = markdown_cache_file(root / "mkdocs.yml")
    assert cache.is_file()
    assert cache.is_relative_to(user_cache / "statusgen")
    # A planted copy of the cache in the repository, with script in every text.
    planted = root / ".cache" / "statusgen" / "markdown.sqlite"
    planted.parent.mkdir(parents=True)
    shutil.copy(cache, planted)
    mark_everything(planted, '<p><script>alert("planted")</script></p>')
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".cache" / "statusgen").rename(root / ".cache" / "moved")
    (root / ".cache" / "statusgen").symlink_to(outside)
    second = build_site(root, tmp_path / "second", NOW)
    html = (second.site_dir / "incidents" / "2026-11-28-api" / "index.html").read_text()
    assert "planted" not in html
    assert "We are <strong>investigating</strong>" in html
    assert list(outside.iterdir()) == []


def test_compiled_templates_are_kept_and_checked_against_their_source(
    make_repo: RepoWriter, tmp_path: Path, user_cache: Path
) -> None:
    """The templates' compiled code is kept in the user cache too; an edited template
    (a site's own in theme/) is compiled again, never taken from the cache."""
    root = make_repo(
        {"2026-11-28-api.md": INCIDENT},
        mkdocs=MKDOCS + "theme:\n  name: null\n  custom_dir: theme\n",
    )
    footer = root / "theme" / "statusgen" / "partials" / "footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text("<footer>first footer</footer>\n", encoding="utf-8")
    # A folder for each language and settings, shared by the session's builds: this
    # build's is the one that gains the site's own footer.
    before = set((user_cache / "statusgen").glob("templates-*/*"))
    first = build_site(root, tmp_path / "first", NOW)
    gained = set((user_cache / "statusgen").glob("templates-*/*")) - before
    assert len({path.parent for path in gained}) == 1
    assert len(list(next(iter(gained)).parent.iterdir())) >= 10
    assert "first footer" in (first.site_dir / "index.html").read_text()
    footer.write_text("<footer>second footer</footer>\n", encoding="utf-8")
    second = build_site(root, tmp_path / "second", NOW)
    assert "second footer" in (second.site_dir / "index.html").read_text()
    assert "first footer" not in (second.site_dir / "index.html").read_text()


def test_a_template_cache_that_cannot_be_written_is_ignored(
    make_repo: RepoWriter, tmp_path: Path, user_cache: Path
) -> None:
    root = make_repo({"2026-11-28-api.md": INCIDENT}, mkdocs=MKDOCS)
    expected = build_site(root, tmp_path / "first", NOW).site_dir
    for folder in (user_cache / "statusgen").glob("templates-*"):
        shutil.rmtree(folder)
        folder.write_text("not a folder", encoding="utf-8")
    again = build_site(root, tmp_path / "second", NOW).site_dir
    assert (again / "index.html").read_bytes() == (expected / "index.html").read_bytes()
