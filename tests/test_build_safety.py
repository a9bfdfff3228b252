"""``statusgen build`` never destroys what it did not write, and a build killed at any
moment leaves a whole site: the real command, real folders, real signals."""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from statusgen.site.trash import SITE_MARKER, remove_site
from tests.conftest import RepoWriter, snapshot, statusgen
from tests.test_site import INCIDENT, make_site, tree

SPARE = ".site-statusgen-spare"
NOW = "2026-11-30 12:00 UTC"
LATER = "2026-12-30 12:00 UTC"


@pytest.fixture
def repo(make_repo: RepoWriter) -> Path:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "notes.txt").write_text("the user's own file\n")
    return root


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        (".", "the site folder is {root}, which a build replaces entirely"),
        ("..", "the site folder would contain {root}, which a build replaces entirely"),
        ("/", "the site folder would contain {root}, which a build replaces entirely"),
        ("incidents", "the site folder is {root}/incidents"),
        ("pages", "the site folder is {root}/pages"),
        ("incidents/site", "must not be inside {root}/incidents"),
        ("pages/site", "must not be inside {root}/pages"),
    ],
)
def test_a_site_folder_that_holds_the_repository_is_refused(
    repo: Path, site_dir: str, message: str
) -> None:
    before = snapshot(repo.parent)
    result = statusgen("build", "--site-dir", site_dir, "--now", NOW, cwd=repo)
    assert result.returncode == 1
    assert message.format(root=repo) in result.stderr
    assert "choose a folder of its own" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(repo.parent) == before
    assert (repo / ".git").is_dir()


def test_a_folder_of_the_users_files_is_not_replaced(repo: Path, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.odt").write_bytes(b"years of work")
    before = snapshot(tmp_path)
    result = statusgen("build", "--root", repo, "--site-dir", documents, "--now", NOW)
    assert result.returncode == 1
    assert f"--site-dir {documents}: the folder is not empty and no statusgen build" in (
        result.stderr
    )
    assert snapshot(tmp_path) == before


def test_a_theme_folder_is_refused(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text(
        (repo / "mkdocs.yml").read_text().replace("  language: en\n", "  custom_dir: theme\n")
    )
    (repo / "theme").mkdir()
    result = statusgen("build", "--site-dir", "theme", "--now", NOW, cwd=repo)
    assert result.returncode == 1
    assert f"the site folder is {repo}/theme" in result.stderr


def test_an_empty_folder_and_a_built_site_are_replaced(repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert statusgen("build", "--root", repo, "--site-dir", empty, "--now", NOW).returncode == 0
    assert (empty / SITE_MARKER).is_file()
    assert (empty / "index.html").is_file()
    again = statusgen("build", "--root", repo, "--site-dir", empty, "--now", LATER)
    assert again.returncode == 0, again.stderr


def test_another_build_into_the_same_folder_is_refused_while_it_runs(repo: Path) -> None:
    assert statusgen("build", "--now", NOW, cwd=repo).returncode == 0
    before = tree(repo / "site")
    # The lock a running build holds: an exclusive flock on the folder holding the site.
    descriptor = os.open(repo, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        result = statusgen("build", "--now", LATER, cwd=repo)
    finally:
        os.close(descriptor)
    assert result.returncode == 1
    assert f"another statusgen build is writing into {repo}: wait until it" in result.stderr
    assert tree(repo / "site") == before
    assert statusgen("build", "--now", LATER, cwd=repo).returncode == 0


def _small_file_limit() -> None:
    """In the child: files may not grow past 4 KB, as on a disk that is full."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_is_a_clear_error_and_the_previous_site_stays(repo: Path) -> None:
    assert statusgen("build", "--now", NOW, cwd=repo).returncode == 0
    before = tree(repo / "site")
    result = subprocess.run(
        [sys.executable, "-m", "statusgen", "build", "--now", LATER],
        cwd=repo,
        capture_output=True,
        text=True,
        preexec_fn=_small_file_limit,
        check=False,
    )
    assert result.returncode == 1
    assert f"cannot write the site into {repo / 'site'}: File too large; the previous" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert tree(repo / "site") == before
    assert not list(repo.glob(".site-*"))


def test_a_build_killed_at_any_moment_leaves_a_whole_site(repo: Path) -> None:
    sites = {}
    for now in (NOW, LATER):
        started = time.monotonic()
        assert statusgen("build", "--now", now, cwd=repo).returncode == 0
        duration = time.monotonic() - started
        sites[now] = tree(repo / "site")
    assert sites[NOW] != sites[LATER]
    current = LATER
    # Twelve moments from the start of the process to its end, the swap among them.
    for delay in [duration * i / 12 for i in range(1, 13)]:
        other = NOW if current == LATER else LATER
        process = subprocess.Popen(
            [sys.executable, "-m", "statusgen", "build", "--now", other],
            cwd=repo,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = tree(repo / "site")
        assert found in (sites[NOW], sites[LATER]), f"half a site after a kill at {delay:.2f} s"
        current = NOW if found == sites[NOW] else LATER
    result = statusgen("build", "--now", NOW, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert tree(repo / "site") == sites[NOW]
    assert _no_folder_aside(repo), "a later build removes what killed builds left"


def test_a_site_left_aside_by_a_killed_fallback_swap_is_put_back(repo: Path) -> None:
    """Where renameat2 does not exist the swap is two renames; a kill between them
    leaves the site under its "previous" name, and the next build starts from it."""
    assert statusgen("build", "--now", NOW, cwd=repo).returncode == 0
    (repo / "site").rename(repo / ".site-statusgen-previous")
    (repo / ".site-statusgen-abc123").mkdir()  # a staging folder killed before its marker
    result = statusgen("build", "--site-dir", "site", "--now", LATER, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "site" / "index.html").is_file()
    assert _no_folder_aside(repo)


def _no_folder_aside(repo: Path) -> bool:
    """Whether the staging and previous folders beside the site are gone, once the
    removal that a build leaves running in the background has had its time: all but
    the spare, the site replaced last, which the next build writes over (site/spare.py)."""
    deadline = time.monotonic() + 60
    while [p for p in repo.glob(".site-*") if p != repo / SPARE]:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_folders_that_only_look_like_staging_are_left_alone(repo: Path) -> None:
    mine = repo / ".site-statusgen-photos"
    mine.mkdir()
    (mine / "cat.jpg").write_bytes(b"\xff\xd8")
    assert statusgen("build", "--now", NOW, cwd=repo).returncode == 0
    assert (mine / "cat.jpg").read_bytes() == b"\xff\xd8"


def test_the_previous_site_is_removed_after_the_swap_and_leftovers_by_the_next_build(
    repo: Path,
) -> None:
    assert statusgen("build", "--now", NOW, cwd=repo).returncode == 0
    # What a removal killed half-way leaves: a marked folder under statusgen's name.
    cut_short = repo / ".site-statusgen-0123abcd"
    (cut_short / "incidents" / "x").mkdir(parents=True)
    (cut_short / SITE_MARKER).write_bytes(b"")
    (cut_short / "incidents" / "x" / "index.html").write_bytes(b"old")
    result = statusgen("build", "--now", LATER, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert tree(repo / "site") != {}
    assert _no_folder_aside(repo)


def test_the_removal_never_runs_a_statusgen_folder_of_the_repository(repo: Path) -> None:
    """The removal is a ``python -m`` process started in the folder being built: a
    ``statusgen/`` package in the repository must not be what it imports."""
    planted = repo / "statusgen" / "site"
    planted.mkdir(parents=True)
    canary = repo / "ran"
    for init in (repo / "statusgen" / "__init__.py", planted / "__init__.py"):
        init.write_text("")
    (planted / "trash.py").write_text(f"open({str(canary)!r}, 'w').close()\n")
    # The installed command, as users run it (``python -m statusgen`` would itself put
    # the current folder first on the path, as Python always does).
    command = Path(sys.executable).parent / "statusgen"
    for now in (NOW, LATER):  # the second build replaces the first site
        result = subprocess.run(
            [command, "build", "--now", now], cwd=repo, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    assert _no_folder_aside(repo)  # the real removal ran
    assert not canary.exists()


def test_a_removal_deletes_only_a_folder_marked_as_a_site(tmp_path: Path) -> None:
    unmarked = tmp_path / "unmarked"
    (unmarked / "sub").mkdir(parents=True)
    (unmarked / "sub" / "thesis.odt").write_bytes(b"years of work")
    linked = tmp_path / "linked"  # a marker that is a link to some file is no marker
    linked.mkdir()
    (linked / "photo.jpg").write_bytes(b"\xff\xd8")
    (linked / SITE_MARKER).symlink_to(unmarked / "sub" / "thesis.odt")
    marked = tmp_path / "marked"
    (marked / "incidents" / "x").mkdir(parents=True)
    (marked / "incidents" / "x" / "index.html").write_bytes(b"<html>")
    (marked / SITE_MARKER).write_bytes(b"")
    (marked / "elsewhere").symlink_to(unmarked)  # a link is removed, never followed
    before = snapshot(unmarked), snapshot(linked)
    for folder in (unmarked, linked, marked):
        remove_site(folder)
    assert (snapshot(unmarked), snapshot(linked)) == before
    assert not marked.exists()


def test_two_removals_of_one_folder_leave_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build cleaning what an earlier one left may remove a folder that the earlier
    build's removal is still deleting: the one that finds the marker gone removes the
    folder all the same."""
    marked = tmp_path / "marked"
    (marked / "incidents" / "x").mkdir(parents=True)
    (marked / SITE_MARKER).write_bytes(b"")
    rmtree = shutil.rmtree

    def with_the_other_removal(path: str) -> None:
        rmtree(path)
        (marked / SITE_MARKER).unlink()  # meanwhile, the other removal is done with it

    monkeypatch.setattr(shutil, "rmtree", with_the_other_removal)
    remove_site(marked)
    assert not marked.exists()


def _alias_bomb() -> str:
    """Nine levels of nine aliases: 9**9 values once expanded, 400 bytes written."""
    lines = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(8):
        name, previous = chr(98 + level), chr(97 + level)
        lines.append(f"  {name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "extra:\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["build", "validate", "status"])
def test_a_yaml_alias_bomb_in_mkdocs_yml_is_refused_at_once(repo: Path, command: str) -> None:
    with (repo / "mkdocs.yml").open("a") as config:
        config.write(_alias_bomb())
    started = time.monotonic()
    result = (
        statusgen(command, "--root", repo, "--now", NOW)
        if command != "validate"
        else (statusgen(command, "--root", repo))
    )
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "mkdocs.yml:11: YAML aliases ('*name') are not allowed here" in (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_setting_that_must_be_text_is_checked_before_mkdocs(repo: Path) -> None:
    text = (repo / "mkdocs.yml").read_text().replace("site_name: Test Status", "site_name: [1]")
    (repo / "mkdocs.yml").write_text(text)
    result = statusgen("build", "--root", repo, "--now", NOW)
    assert result.returncode == 1
    assert "mkdocs.yml: 'site_name' must be text, not list ([1])" in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 20_000, "incidents/2026-11-29-x.md:7: this line has 20,000 characters; at most"),
        ("[\n" * 10_000, "incidents/2026-11-29-x.md:7: this paragraph has more than 200 '['"),
        ("- " * 800 + "deep", "incidents/2026-11-29-x.md:7: lists or quotes nested deeper"),
        ("> " * 800 + "deep", "incidents/2026-11-29-x.md:7: lists or quotes nested deeper"),
        ("x" * 1_000_001, "incidents/2026-11-29-x.md: the file has 1,000,"),
    ],
)
def test_input_beyond_the_limits_is_an_error_found_at_once(
    repo: Path, body: str, message: str
) -> None:
    (repo / "incidents" / "2026-11-29-x.md").write_text(
        "---\ntitle: X\nimpact: minor\ncomponents: [api]\n---\n"
        f"## 2026-11-29 10:00 UTC — investigating\n{body}\n"
    )
    for command in ("validate", "build"):
        started = time.monotonic()
        result = (
            statusgen(command, "--root", repo, "--now", NOW)
            if command == "build"
            else (statusgen(command, "--root", repo))
        )
        assert time.monotonic() - started < 30
        assert result.returncode == 1
        assert message in result.stdout + result.stderr
        assert "Traceback" not in result.stderr
