"""A new repository works: a minimal mkdocs.yml, properdocs.yml, what ``init`` writes
(``since:``, .gitignore, the publishing branch, where statusgen is installed from)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusgen import __version__
from statusgen.site.serve import RELOAD_SCRIPT_PATH, Preview
from tests.conftest import COMPONENTS_YML, init_git, statusgen

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
    init_git(target, branch="trunk")
    result = statusgen("init", target)
    assert result.returncode == 0, result.stderr
    assert "The workflows publish the branch 'trunk'" in result.stderr
    deploy = (target / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    assert "branches: [trunk]" in deploy
    assert "branches: [main]" not in deploy
    assert "statusgen diff origin/trunk HEAD" in (target / "README.md").read_text()

    on_main = tmp_path / "main"
    init_git(on_main)
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


def site_with_a_written_page(root: Path) -> Path:
    minimal_repository(root)
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("# About us\n\nWho runs this page.\n")
    (root / "incidents" / "2026-11-28-api.md").write_text(
        "---\ntitle: API errors\nimpact: major\ncomponents: [api]\n---\n\n"
        "## 2026-11-28 14:30 UTC — resolved\nFixed.\n\n"
        "## 2026-11-28 14:02 UTC — investigating\nLooking.\n",
        encoding="utf-8",
    )
    return root


def test_the_sitemap_lists_hand_written_pages(tmp_path: Path) -> None:
    root = site_with_a_written_page(tmp_path / "repo")
    built = statusgen("build", "--root", root, "--now", "2026-11-30 12:00 UTC")
    assert built.returncode == 0, built.stderr
    sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://status.example.com/about/</loc>" in sitemap
    assert "<loc>https://status.example.com/incidents/2026-11-28-api/</loc>" in sitemap


def test_serve_renders_hand_written_pages_and_index_html(tmp_path: Path) -> None:
    root = site_with_a_written_page(tmp_path / "repo")
    preview = Preview(root)
    try:
        status, content_type, body = preview.respond("/about/")
        assert (status, content_type) == (200, "text/html; charset=utf-8")
        assert b"Who runs this page." in body
        assert RELOAD_SCRIPT_PATH.encode() in body  # reloads on changes like the others
        (root / "docs" / "about.md").write_text("# About us\n\nEdited.\n")
        assert b"Edited." in preview.respond("/about/")[2]
        assert (
            preview.respond("/index.html")[:2]
            == preview.respond("/")[:2]
            == (
                200,
                "text/html; charset=utf-8",
            )
        )
        assert preview.respond("/incidents/2026-11-28-api/index.html")[0] == 200
        assert preview.respond("/nothing/")[0] == 404
    finally:
        preview.close()


def test_serve_prints_content_errors_in_the_terminal_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = site_with_a_written_page(tmp_path / "repo")
    preview = Preview(root)
    preview.respond("/")
    incident = root / "incidents" / "2026-11-28-api.md"
    incident.write_text(incident.read_text().replace("[api]", "[apii]"))
    assert preview.respond("/")[0] == 500
    preview.refresh()
    printed = capsys.readouterr().err
    assert printed.count("incidents/2026-11-28-api.md:4: unknown component 'apii'") == 1
    incident.write_text(incident.read_text().replace("[apii]", "[api]"))
    assert preview.respond("/")[0] == 200
    assert "The errors are fixed." in capsys.readouterr().err


def test_serve_shows_the_page_at_now(tmp_path: Path) -> None:
    root = site_with_a_written_page(tmp_path / "repo")
    during = Preview(root, datetime(2026, 11, 28, 14, 10, tzinfo=UTC))
    after = Preview(root, datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    assert b"Active incidents" in during.respond("/")[2]
    assert b"Active incidents" not in after.respond("/")[2]
    summary = json.loads(during.respond("/api/v2/summary.json")[2])
    assert summary["page"]["updated_at"].startswith("2026-11-28T14:02")


def test_the_api_and_badges_may_be_read_from_other_origins(tmp_path: Path) -> None:
    root = minimal_repository(tmp_path / "repo")
    built = statusgen("build", "--root", root, "--now", "2026-11-30 12:00 UTC")
    assert built.returncode == 0, built.stderr
    site = root / "site"
    rules = (site / "_headers").read_text(encoding="utf-8")
    assert rules == (
        "/api/*\n  Access-Control-Allow-Origin: *\n/badges/*\n  Access-Control-Allow-Origin: *\n"
    )
    # Each rule covers files that exist: what the widget and badge users fetch.
    assert (site / "api" / "v2" / "summary.json").is_file()
    assert (site / "badges" / "status.svg").is_file()
    for line in rules.splitlines():
        if line.startswith("/"):
            assert any((site / line.strip("/*")).iterdir()), line


def test_a_build_at_the_clock_writes_times_to_the_second(tmp_path: Path) -> None:
    """A new page is built at the clock (no --now): its "now" shows in the footer's
    `<time datetime>`, which HTML allows three digits of a second at most, in the API and
    in the feeds of a site with nothing published yet."""
    root = minimal_repository(tmp_path / "repo")
    built = statusgen("build", "--root", root)
    assert built.returncode == 0, built.stderr
    site = root / "site"
    stamps = [
        stamp
        for page in site.rglob("*.html")
        for stamp in re.findall(r'datetime="([^"]+)"', page.read_text(encoding="utf-8"))
    ]
    assert stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps), stamps
    summary = json.loads((site / "api" / "v2" / "summary.json").read_text(encoding="utf-8"))
    assert "." not in summary["page"]["updated_at"], summary["page"]
    assert re.search(r"<updated>[^<.]+</updated>", (site / "feed.atom").read_text())
