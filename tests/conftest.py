"""Shared fixtures: real status repositories written to temporary folders, and real git
repositories around them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import apprise.plugins.base
import git
import pytest

from statusgen.workflow.notify.targets import CONFIG_VARIABLE, URLS_VARIABLE
from tests.servers import HttpServer, SmtpServer

COMPONENTS_YML = """\
groups:
  - id: platform
    name: Platform
    description: Core services
components:
  - id: api
    name: API
    description: Public REST API
    group: platform
  - id: webhooks
    name: Webhooks
    group: platform
  - id: dashboard
    name: Dashboard
  - id: website
    name: Website
    since: 2026-11-01
"""

RepoWriter = Callable[..., Path]


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' own user cache folder (the builds' Markdown cache), for them and for
    the commands they start: never the cache of whoever runs them."""
    folder = tmp_path_factory.mktemp("user-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture
def make_repo(tmp_path: Path) -> RepoWriter:
    """Write a status repository: ``make_repo({"a.md": text}, components=...)``.

    Incident texts are dedented; keys are paths under ``incidents/``. Values may be
    ``bytes`` to write raw data (encodings, garbage).
    """

    def write(
        incidents: dict[str, str | bytes] | None = None,
        *,
        components: str | bytes | None = COMPONENTS_YML,
        mkdocs: str | None = "site_name: Example Status\nsite_url: https://status.example.com/\n",
    ) -> Path:
        root = tmp_path / "repo"
        (root / "incidents").mkdir(parents=True, exist_ok=True)
        if components is not None:
            data = components if isinstance(components, bytes) else components.encode()
            (root / "components.yml").write_bytes(data)
        if mkdocs is not None:
            (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
        for name, content in (incidents or {}).items():
            path = root / "incidents" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root

    return write


def init_git(path: Path, branch: str = "main") -> git.Repo:
    """A git repository at ``path`` with its own committer identity (never the machine's)."""
    repo = git.Repo.init(path, initial_branch=branch)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Status Tester")
        config.set_value("user", "email", "status-tester@example.com")
    return repo


def commit_all(repo: git.Repo, message: str) -> git.Commit:
    """Commit everything in the working tree, as ``git add --all && git commit``."""
    repo.git.add("--all")
    return repo.index.commit(message)


def write_files(root: Path, files: dict[str, str | None]) -> None:
    """Write (or, for None, delete) files relative to ``root``."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def statusgen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m statusgen ARGS`` as a real process, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "statusgen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root`` (``.git`` included): its content hash and mtime, to
    show that a command touched nothing."""
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class Ran:
    """What a command did: like ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> Ran:
    """The ``statusgen`` command run in this process (Click's runner): the same code as
    :func:`statusgen` without starting Python, for tests that run it many times. A bug
    (an exception that is not an exit) fails the test with its traceback."""
    from click.testing import CliRunner

    from statusgen.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


# Notification servers ---------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that keeps every mail it receives."""
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def http() -> Iterator[HttpServer]:
    """An HTTP server on 127.0.0.1 that keeps every JSON body posted to it."""
    server = HttpServer()
    yield server
    server.stop()


@pytest.fixture
def notify_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No notification target from the environment of whoever runs the tests, and no
    5.5 s pause between two e-mails (apprise's default rate limit for SMTP)."""
    monkeypatch.delenv(URLS_VARIABLE, raising=False)
    monkeypatch.delenv(CONFIG_VARIABLE, raising=False)
    monkeypatch.setattr(apprise.plugins.base.NotifyBase, "request_rate_per_sec", 0)
