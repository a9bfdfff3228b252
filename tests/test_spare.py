"""A build writes over the site it replaced before (site/spare.py): the same bytes as a
build into a new folder, nothing of the old site left, nothing outside it touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import parse_timestamp
from statusgen.site.build import build_site
from statusgen.site.trash import SITE_MARKER
from tests.conftest import RepoWriter
from tests.test_site import INCIDENT, make_site, tree

NOW = parse_timestamp("2026-11-30 12:00 UTC")
LATER = parse_timestamp("2026-12-30 12:00 UTC")
OTHER = INCIDENT.replace("API errors", "Slow logins").replace("2026-11-28", "2026-11-29")


@pytest.fixture
def repo(make_repo: RepoWriter) -> Path:
    return make_site(make_repo, {"2026-11-28-api.md": INCIDENT, "2026-11-29-login.md": OTHER})


def _spare(repo: Path) -> Path:
    return repo / ".site-statusgen-spare"


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in folder.rglob("*")
        if p.is_file() and p.name != SITE_MARKER
    }


def _fresh(repo: Path, tmp_path: Path) -> dict[str, str]:
    """The site of ``repo`` as a build into a new folder makes it."""
    return tree(build_site(repo, tmp_path / "fresh", NOW).site_dir)


def _two_builds(repo: Path) -> None:
    """The second build replaces the first site, which becomes the spare."""
    build_site(repo, repo / "site", LATER)
    build_site(repo, repo / "site", LATER)
    assert (_spare(repo) / SITE_MARKER).is_file()


def test_the_replaced_site_is_written_over_by_the_next_build(repo: Path, tmp_path: Path) -> None:
    _two_builds(repo)
    replaced, spare = tree(repo / "site"), _inodes(_spare(repo))
    build_site(repo, repo / "site", NOW)  # other dates: every page changes
    assert tree(repo / "site") == _fresh(repo, tmp_path)
    site = _inodes(repo / "site")
    assert site == {path: spare[path] for path in site}, "each file is the spare's, rewritten"
    assert len(site) > 20
    assert tree(_spare(repo)) == replaced  # the site it replaced is the spare now, whole


def test_what_the_build_does_not_write_is_deleted(repo: Path, tmp_path: Path) -> None:
    _two_builds(repo)
    (repo / "incidents" / "2026-11-29-login.md").unlink()
    (_spare(repo) / "stray.html").write_text("old")
    (_spare(repo) / "old" / "page").mkdir(parents=True)
    (_spare(repo) / "old" / "page" / "index.html").write_text("old")
    (_spare(repo) / ".hidden").write_text("old")
    build_site(repo, repo / "site", NOW)
    assert tree(repo / "site") == _fresh(repo, tmp_path)
    assert not (repo / "site" / "old").exists()
    assert not list((repo / "site").glob(".*[!e]"))  # the marker alone is hidden


def test_a_link_in_the_spare_is_removed_not_written_through(repo: Path, tmp_path: Path) -> None:
    _two_builds(repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not the site's")
    (_spare(repo) / "index.html").unlink()
    (_spare(repo) / "index.html").symlink_to(outside / "index.html")
    history = _spare(repo) / "history"
    for file in history.rglob("*"):
        file.unlink()
    history.rmdir()
    history.symlink_to(outside, target_is_directory=True)
    build_site(repo, repo / "site", NOW)
    assert [p.name for p in outside.iterdir()] == ["index.html"]
    assert (outside / "index.html").read_text() == "not the site's"
    assert tree(repo / "site") == _fresh(repo, tmp_path)
    assert not any(p.is_symlink() for p in (repo / "site").rglob("*"))


def test_a_folder_where_a_file_goes_gives_way_and_a_file_where_a_folder_goes(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "pages" / "logo.png").write_bytes(b"\x89PNG logo")
    _two_builds(repo)
    (_spare(repo) / "logo.png").unlink()
    (_spare(repo) / "logo.png" / "inside").mkdir(parents=True)
    history = _spare(repo) / "history"
    for file in history.rglob("*"):
        file.unlink()
    history.rmdir()
    history.write_text("a file where a folder goes")
    (_spare(repo) / "feed.atom").unlink()  # an output
    (_spare(repo) / "feed.atom").mkdir()
    (_spare(repo) / "api").rename(_spare(repo) / "old-api")
    (_spare(repo) / "api").write_text("a file where the API's folder goes")
    build_site(repo, repo / "site", NOW)
    assert (repo / "site" / "logo.png").read_bytes() == b"\x89PNG logo"
    assert tree(repo / "site") == _fresh(repo, tmp_path)


def test_a_failed_build_keeps_the_spare_for_the_next(repo: Path, tmp_path: Path) -> None:
    _two_builds(repo)
    site, spare = tree(repo / "site"), _inodes(_spare(repo))
    broken = repo / "incidents" / "2026-11-30-broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(StatusgenError, match=r"2026-11-30-broken\.md"):
        build_site(repo, repo / "site", NOW)
    assert tree(repo / "site") == site
    assert _inodes(_spare(repo)) == spare  # nothing was written: it waits, hidden or not
    broken.unlink()
    build_site(repo, repo / "site", NOW)
    assert tree(repo / "site") == _fresh(repo, tmp_path)


def test_a_spare_statusgen_did_not_write_is_neither_used_nor_deleted(
    repo: Path, tmp_path: Path
) -> None:
    mine = _spare(repo)
    mine.mkdir()
    (mine / "index.html").write_text("the user's own")
    for now in (LATER, NOW, NOW):
        build_site(repo, repo / "site", now)
    assert [p.name for p in mine.iterdir()] == ["index.html"]
    assert (mine / "index.html").read_text() == "the user's own"
    assert tree(repo / "site") == _fresh(repo, tmp_path)


def test_a_spare_of_another_user_is_not_used(repo: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    _two_builds(repo)
    os.chown(_spare(repo), 12345, 12345)
    spare = _inodes(_spare(repo))
    build_site(repo, repo / "site", NOW)
    assert tree(repo / "site") == _fresh(repo, tmp_path)
    assert not set(_inodes(repo / "site").values()) & set(spare.values())
