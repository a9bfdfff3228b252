"""A new repository works: a minimal mkdocs.yml, properdocs.yml, what ``init`` writes
(``since:``, .gitignore, the publishing branch, where statusgen is installed from)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import git

from statusgen import __version__
from tests.conftest import COMPONENTS_YML, statusgen

MINIMAL_MKDOCS = """\
site_name: Minimal Status
site_url: https://status.example.com/
theme: {name: material}
plugins: [statusgen]
"""


def minimal_repository(root: Path, config_name: str = "mkdocs.yml") -> Path:
    """``components.yml``, an empty ``incidents/`` and the minimal configuration only."""
    (root / "incidents").mkdir(parents=True)
    (root / "components.yml").write_text(COMPONENTS_YML, encoding="utf-8")
    (root / config_name).write_text(MINIMAL_MKDOCS, encoding="utf-8")
    return root


def test_a_minimal_repository_without_docs_folder_builds(tmp_path: Path) -> None:
    root = minimal_repository(tmp_path / "repo")
    result = statusgen("build", "--root", root, "--now", "2026-11-30 12:00 UTC")
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "index.html").is_file()
    assert (root / "site" / "api" / "v2" / "summary.json").is_file()
    assert not (root / "docs").exists()
    assert not (root / "site" / ".keep").exists()  # the stand-in folder adds no file


def test_a_missing_components_file_says_to_run_init(tmp_path: Path) -> None:
    root = minimal_repository(tmp_path / "repo")
    (root / "components.yml").unlink()
    for command in ("build", "validate"):
        result = statusgen(command, "--root", root)
        output = result.stdout + result.stderr
        assert result.returncode == 1, (command, output)
        assert "components.yml: not found" in output
        assert "statusgen init" in output
        assert "Traceback" not in output


def test_properdocs_yml_is_read_everywhere_like_mkdocs_yml(tmp_path: Path) -> None:
    root = minimal_repository(tmp_path / "repo", "properdocs.yml")
    validated = statusgen("validate", "--root", root)
    assert validated.returncode == 0, validated.stderr
    built = statusgen("build", "--root", root, "--now", "2026-11-30 12:00 UTC")
    assert built.returncode == 0, built.stderr
    assert "Minimal Status" in (root / "site" / "index.html").read_text(encoding="utf-8")
    status = statusgen("status", "--root", root, "--now", "2026-11-30 12:00 UTC")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("Minimal Status")

    # A wrong option is reported by both, naming the file that has it.
    config = root / "properdocs.yml"
    config.write_text(MINIMAL_MKDOCS.replace("[statusgen]", "[{statusgen: {uptime_dayz: 3}}]"))
    for command in ("validate", "build"):
        result = statusgen(command, "--root", root)
        assert result.returncode == 1, (command, result.stderr)
        assert "uptime_dayz" in result.stdout + result.stderr, command
    assert "properdocs.yml: plugin statusgen" in statusgen("validate", "--root", root).stdout


def test_init_dates_the_components_and_ignores_the_venv(tmp_path: Path) -> None:
    target = tmp_path / "status"
    result = statusgen("init", target)
    assert result.returncode == 0, result.stderr
    today = datetime.now(UTC).date().isoformat()
    components = (target / "components.yml").read_text(encoding="utf-8")
    assert components.count(f"    since: {today}\n") == 2  # both components
    assert "__TODAY__" not in components
    assert "/.venv/" in (target / ".gitignore").read_text(encoding="utf-8").splitlines()

    built = statusgen("build", "--root", target)
    assert built.returncode == 0, built.stderr
    html = (target / "site" / "index.html").read_text(encoding="utf-8")
    # Before the page existed there is no data, never "100% uptime, no incidents".
    assert "no data" in html
    assert "100% uptime over the last 90 days" not in html


def test_init_publishes_the_branch_checked_out(tmp_path: Path) -> None:
    target = tmp_path / "status"
    git.Repo.init(target, initial_branch="trunk")
    result = statusgen("init", target)
    assert result.returncode == 0, result.stderr
    assert "The workflows publish the branch 'trunk'" in result.stderr
    deploy = (target / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    assert "branches: [trunk]" in deploy
    assert "branches: [main]" not in deploy
    assert "statusgen diff origin/trunk HEAD" in (target / "README.md").read_text()

    on_main = tmp_path / "main"
    git.Repo.init(on_main, initial_branch="main")
    result = statusgen("init", on_main)
    assert result.returncode == 0, result.stderr
    assert "publish the branch" not in result.stderr
    assert "branches: [main]" in (on_main / ".github/workflows/deploy.yml").read_text()


def requirement_lines(target: Path) -> list[str]:
    text = (target / "requirements.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_init_from_a_path_or_url_installs_statusgen_from_there(tmp_path: Path) -> None:
    assert requirement_lines(_init(tmp_path / "index")) == [f"statusgen=={__version__}"]

    wheel = tmp_path / "statusgen-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    lines = requirement_lines(_init(tmp_path / "wheel", "--from", wheel))
    assert lines == [f"statusgen @ {wheel.as_uri()}"]

    url = "git+https://github.com/example/statusgen@v0.1.0"
    assert requirement_lines(_init(tmp_path / "git", "--from", url)) == [f"statusgen @ {url}"]

    missing = statusgen("init", tmp_path / "missing", "--from", tmp_path / "nowhere.whl")
    assert missing.returncode == 1
    assert "--from" in missing.stderr
    assert "no such file or folder" in missing.stderr
    assert not (tmp_path / "missing").exists()


def _init(target: Path, *args: str | Path) -> Path:
    result = statusgen("init", target, *args)
    assert result.returncode == 0, result.stderr
    return target
