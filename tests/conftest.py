"""Shared fixtures: real status repositories written to temporary folders."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

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
