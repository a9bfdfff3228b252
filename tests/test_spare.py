"""A build writes over the site it replaced before (site/spare.py): the same bytes as a
build into a new folder, nothing of the old site left, nothing outside it touched."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import parse_timestamp
from statusgen.site.build import build_site
from statusgen.site.spare import SpareSite, write_file
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


def _shape(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under ``folder`` but the marker, by relative path: its mode, owner,
    and the SHA-256 of its bytes ("" for a folder)."""
    shape = {}
    for p in sorted(folder.rglob("*")):
        if p.relative_to(folder).as_posix() == SITE_MARKER:
            continue
        found = p.lstat()
        data = "" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        shape[p.relative_to(folder).as_posix()] = (stat.S_IMODE(found.st_mode), found.st_uid, data)
    return shape


def _fresh_shape(repo: Path, tmp_path: Path) -> dict[str, tuple[int, int, str]]:
    return _shape(build_site(repo, tmp_path / "fresh", NOW).site_dir)


def test_a_file_with_a_second_name_is_not_written_through(repo: Path, tmp_path: Path) -> None:
    _two_builds(repo)
    outside = tmp_path / "outside.html"
    os.link(_spare(repo) / "index.html", outside)  # cp -al site/ backup/, say
    os.link(_spare(repo) / "feed.atom", _spare(repo) / "old.atom")
    saved = outside.read_bytes()
    build_site(repo, repo / "site", NOW)
    assert outside.read_bytes() == saved, "a file outside the site was written"
    assert not (repo / "site" / "old.atom").exists(), "written through its other name"
    assert tree(repo / "site") == _fresh(repo, tmp_path)


def test_files_and_folders_have_the_modes_of_a_new_build(repo: Path, tmp_path: Path) -> None:
    saved = os.umask(0o077)
    try:
        _two_builds(repo)  # the spare: private files and folders
    finally:
        os.umask(saved)
    os.umask(0o022)
    try:
        (_spare(repo) / "feed.atom").chmod(0o4755)
        build_site(repo, repo / "site", NOW)
        assert _shape(repo / "site") == _fresh_shape(repo, tmp_path)
    finally:
        os.umask(saved)


def test_a_file_or_folder_of_another_user_in_the_spare_is_not_kept(
    repo: Path, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    _two_builds(repo)  # then chown -R www-data site/, say
    os.chown(_spare(repo) / "index.html", 12345, 12345)
    os.chown(_spare(repo) / "history", 12345, 12345)
    os.chown(_spare(repo) / "api" / "v2" / "status.json", 12345, 12345)
    build_site(repo, repo / "site", NOW)
    assert _shape(repo / "site") == _fresh_shape(repo, tmp_path)


def test_empty_folders_of_the_spare_are_removed(repo: Path, tmp_path: Path) -> None:
    _two_builds(repo)
    (_spare(repo) / "empty" / "inside").mkdir(parents=True)
    (_spare(repo) / "history" / "old").mkdir()
    (_spare(repo) / "linked").mkdir()
    (_spare(repo) / "linked" / "to").symlink_to(tmp_path)
    (_spare(repo) / ".git" / "refs" / "tags").mkdir(parents=True)
    (_spare(repo) / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    build_site(repo, repo / "site", NOW)
    assert _shape(repo / "site") == _fresh_shape(repo, tmp_path)


def test_a_name_too_long_to_hide_is_made_anew(repo: Path, tmp_path: Path) -> None:
    long = "x" * 246 + ".txt"  # 250 bytes: with the hiding prefix, more than 255
    (repo / "pages" / long).write_text("a long name")
    _two_builds(repo)
    build_site(repo, repo / "site", NOW)
    assert (repo / "site" / long).read_text() == "a long name"
    assert tree(repo / "site") == _fresh(repo, tmp_path)


def test_a_file_written_at_once_after_restore_is_kept(tmp_path: Path) -> None:
    """The entries put back were renamed just before their change times were noted: a
    write in the same tick of a coarse file-system clock (kernels before 6.13, whose
    timestamps are not multigrain) would give the same change time, and the sweep
    would delete the file as not written."""
    for attempt in range(50):
        spare, staging = tmp_path / f"spare-{attempt}", tmp_path / f"staging-{attempt}"
        spare.mkdir()
        (spare / SITE_MARKER).write_text("")
        for name in ("index.html", "feed.atom", "feed.rss"):
            (spare / name).write_text("old")
        taken = SpareSite.take(spare, staging)
        assert taken is not None
        taken.restore()
        for name in ("index.html", "feed.atom", "feed.rss"):
            write_file(staging / name, b"new")
        assert taken.sweep() == 0
        assert sorted(p.name for p in staging.iterdir()) == [
            SITE_MARKER,
            "feed.atom",
            "feed.rss",
            "index.html",
        ]


def test_each_build_over_the_spare_is_the_build_into_a_new_folder(
    make_repo: RepoWriter, tmp_path: Path
) -> None:
    """Hand-written pages come and go (and with them Material's files), a page becomes a
    folder and back, the view changes (drills, an audience): every build into site/,
    written over the site before the last, is the build of the same state into a new
    folder, down to each folder and mode."""
    from tests.test_audiences import COMPONENTS, INCIDENTS, MKDOCS

    repo = make_repo(INCIDENTS, components=COMPONENTS, mkdocs=MKDOCS)
    pages = repo / "pages"
    pages.mkdir()
    (pages / "about.md").write_text("# About\n")
    (pages / "logo.png").write_bytes(b"\x89PNG")

    def as_folder() -> None:
        (pages / "about.md").unlink()
        (pages / "about").mkdir()
        (pages / "about" / "index.md").write_text("# About\n")
        (pages / "about" / "team.md").write_text("# Team\n")

    def as_file() -> None:
        for page in (pages / "about").iterdir():
            page.unlink()
        (pages / "about").rmdir()
        (pages / "about.md").write_text("# About, again\n")

    def no_pages() -> None:
        (pages / "about.md").unlink()

    states: list[tuple[object, dict[str, object]]] = [
        (None, {}),
        (None, {}),
        (as_folder, {}),
        (None, {"audience": "internal"}),
        (as_file, {"drills": True}),
        (no_pages, {}),
        (None, {"audience": "partners"}),
        (None, {}),
    ]
    for number, (change, options) in enumerate(states):
        if callable(change):
            change()
        site = build_site(repo, repo / "site", NOW, **options).site_dir  # type: ignore[arg-type]
        fresh = build_site(repo, tmp_path / f"fresh-{number}", NOW, **options)  # type: ignore[arg-type]
        assert _shape(site) == _shape(fresh.site_dir), (number, options)


def test_the_spare_is_readable_by_its_user_alone(repo: Path) -> None:
    """A web server serving the folder that holds the site must not serve an earlier
    version of it (a page removed on purpose); the site itself is for everyone."""
    _two_builds(repo)
    assert _spare(repo).stat().st_mode & 0o777 == 0o700
    assert (repo / "site").stat().st_mode & 0o777 == 0o755
    build_site(repo, repo / "site", NOW)
    assert _spare(repo).stat().st_mode & 0o777 == 0o700
    assert (repo / "site").stat().st_mode & 0o777 == 0o755
