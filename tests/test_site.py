"""Real builds of real status sites: paths, reproducibility, atomicity, translations."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path

import jinja2
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from benchmarks.run import serving, wait_for
from statusgen.content.loader import load_site
from statusgen.core.errors import StatusgenError
from statusgen.site.assembly import ThemeLoader
from statusgen.site.build import build_site, spare_path
from statusgen.site.plugin import NOW_VARIABLE
from statusgen.site.serve import FINGERPRINT_PATH, RELOAD_SCRIPT_PATH, Preview
from tests.conftest import RepoWriter, statusgen

PROJECT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
COMPONENT_IDS = ("api", "webhooks", "auth", "dashboard", "search", "website")
EXAMPLE_EVENTS = load_site(PROJECT).events
EVENT_IDS = tuple(sorted(e.id for e in EXAMPLE_EVENTS if not e.is_drill))
DRILL_IDS = tuple(sorted(e.id for e in EXAMPLE_EVENTS if e.is_drill))

MKDOCS_YML = """\
site_name: Test Status
site_url: https://status.test/
docs_dir: pages
theme:
  name: material
  language: {language}
plugins:
  - statusgen
"""

INCIDENT = """\
---
title: API errors
impact: major
components:
  api: partial_outage
---

## 2026-11-28 14:30 UTC — resolved
Fixed.

## 2026-11-28 14:02 UTC — investigating
We are looking into it.

# Postmortem
A blameless postmortem.
"""


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(PROJECT, tmp_path_factory.mktemp("example") / "site", NOW).site_dir


def make_site(
    make_repo: RepoWriter, incidents: dict[str, str | bytes], language: str = "en"
) -> Path:
    root = make_repo(incidents, mkdocs=MKDOCS_YML.format(language=language))
    (root / "pages").mkdir(exist_ok=True)
    return root


def test_every_published_path_exists(example_site: Path) -> None:
    paths = [
        "index.html",
        "history/index.html",
        "feed.atom",
        "feed.rss",
        "maintenance.ics",
        "badges/status.svg",
        "api/v2/summary.json",
        "api/v2/status.json",
        "api/v2/components.json",
        "api/v2/incidents.json",
        "api/v2/incidents/unresolved.json",
        "api/v2/scheduled-maintenances.json",
        "api/v2/scheduled-maintenances/upcoming.json",
        "api/v2/scheduled-maintenances/active.json",
    ]
    for component in COMPONENT_IDS:
        paths += [
            f"components/{component}/index.html",
            f"components/{component}/feed.atom",
            f"components/{component}/feed.rss",
            f"badges/{component}.svg",
        ]
    for event in EVENT_IDS:
        paths.append(f"incidents/{event}/index.html")
    paths.append("incidents/2026-11-28-api-error-rates/postmortem/index.html")
    missing = [p for p in paths if not (example_site / p).is_file()]
    assert missing == []
    assert DRILL_IDS, "the example site has a drill"
    for drill in DRILL_IDS:
        assert not (example_site / "incidents" / drill).exists(), "a drill is never published"


def test_only_incidents_with_a_postmortem_have_a_postmortem_page(example_site: Path) -> None:
    pages = sorted(p.parent.parent.name for p in example_site.glob("incidents/*/postmortem/*"))
    assert pages == ["2026-11-28-api-error-rates"]


def test_overview_says_what_a_person_computes(example_site: Path) -> None:
    html = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="sg-overall" class="sg-banner__text">Major Service Outage</h1>' in html
    for name, status in [
        ("REST API", "Operational"),
        ("Webhooks", "Degraded performance"),
        ("Sign-in and SSO", "Major outage"),
        ("Dashboard", "Operational"),
        ("Search", "Under maintenance"),
        ("Website and documentation", "Operational"),
    ]:
        pattern = (
            rf">{re.escape(name)}</a>\s*<span class=\"sg-status [^\"]+\">.*?<span>{status}</span>"
        )
        assert re.search(pattern, html), (name, status)
    assert html.count('<ol class="sg-bar"') == len(COMPONENT_IDS)
    assert html.count('<li class="sg-d-') == 90 * len(COMPONENT_IDS)


def test_incident_page_has_the_timeline_newest_first(example_site: Path) -> None:
    html = (example_site / "incidents/2026-11-28-api-error-rates/index.html").read_text()
    anchors = re.findall(r'id="(update-[0-9TZ]+)"', html)
    assert anchors == [
        "update-20261128T154000Z",
        "update-20261128T150500Z",
        "update-20261128T143000Z",
        "update-20261128T140200Z",
    ]
    assert "1 h 38 min" in html
    assert 'href="../../incidents/2026-11-28-api-error-rates/postmortem/"' in html


def test_pages_use_only_their_own_stylesheet_and_script(example_site: Path) -> None:
    for page in ("index.html", "incidents/2026-11-28-api-error-rates/index.html"):
        html = (example_site / page).read_text()
        assert re.findall(r'<link rel="stylesheet"', html) == []
        assert "<style>/* statusgen: the status pages' only stylesheet." in html
        assert re.findall(r'<script src="([^"]+)"', html) == [
            "../" * page.count("/") + "assets/statusgen/status.js"
        ]
        assert "fonts.googleapis" not in html


def test_the_site_ships_none_of_materials_files_when_no_page_uses_them(
    example_site: Path,
) -> None:
    shipped = sorted(p.relative_to(example_site).as_posix() for p in example_site.rglob("*"))
    assets = [p for p in shipped if p.startswith("assets/") and "." in p.rsplit("/", 1)[-1]]
    # The owner's logo (theme/) and statusgen's own files; no bundle, search or source map.
    assert assets == [
        "assets/logo.svg",
        "assets/statusgen/status.css",
        "assets/statusgen/status.js",
    ]


@pytest.mark.parametrize("search", [False, True], ids=["no search", "search"])
def test_hand_written_pages_keep_what_they_load(make_repo: RepoWriter, search: bool) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    (root / "pages" / "about.md").write_text("# About\n\nWho we are.\n", encoding="utf-8")
    if search:
        config = root / "mkdocs.yml"
        config.write_text(
            config.read_text().replace("  - statusgen\n", "  - search\n  - statusgen\n")
        )
    site = build_site(root, root / "site", NOW).site_dir
    about = (site / "about" / "index.html").read_text()
    loaded = re.findall(r'(?:src|href)="(?:\.\./)*(assets/[^"?#]+)', about)
    assert loaded, about
    for asset in loaded:
        assert (site / asset).is_file(), asset  # everything the page loads is there
    assert not list(site.rglob("*.map"))
    assert bool(list(site.glob("assets/javascripts/lunr/*"))) is search
    assert bool(list(site.glob("assets/javascripts/workers/search.*.js"))) is search


def test_the_theme_is_listed_without_its_hidden_folders(tmp_path: Path) -> None:
    """What MkDocs copies from the theme is what it lists, less any path with a part
    that starts with a dot: those folders need not be walked at all."""
    first, second = tmp_path / "custom", tmp_path / "vendor"
    for path in [
        "custom/a.css",
        "custom/.hidden.css",
        "custom/sub/b.js",
        "vendor/sub/b.js",
        "vendor/.icons/material/x.svg",
        "vendor/sub/.cache/y.txt",
        "vendor/sub/deep/c.txt",
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x", encoding="utf-8")
    folders = [str(first), str(second)]
    everything = jinja2.FileSystemLoader(folders).list_templates()
    listed = ThemeLoader(folders).list_templates()
    assert listed == [
        p for p in everything if not any(part[0] == "." for part in p.split("/")[:-1])
    ]
    assert listed == [".hidden.css", "a.css", "sub/b.js", "sub/deep/c.txt"]


def test_navigation_has_a_handful_of_links(example_site: Path) -> None:
    html = (example_site / "index.html").read_text()
    nav = re.search(r'<nav class="sg-nav".*?</nav>', html, re.DOTALL)
    assert nav is not None
    assert re.findall(r"<a href=", nav.group()) == ["<a href="] * 3


def test_site_owner_overrides_and_branding_apply(example_site: Path) -> None:
    html = (example_site / "index.html").read_text()
    assert '<meta name="theme-color" content="#5b3cc4">' in html  # theme/ override
    assert "--sg-brand: #5b3cc4" in html  # plugin option brand_color
    assert '<img class="sg-brand__logo" src="assets/logo.svg"' in html
    assert (example_site / "assets/logo.svg").is_file()


def test_build_is_reproducible(tmp_path: Path, example_site: Path) -> None:
    again = build_site(PROJECT, tmp_path / "again", NOW).site_dir
    assert tree(again) == tree(example_site)


def test_sitemap_lists_the_pages_with_absolute_urls(example_site: Path) -> None:
    sitemap = (example_site / "sitemap.xml").read_text()
    assert "<loc>https://status.example.com/</loc>" in sitemap
    assert "<loc>https://status.example.com/incidents/2026-11-28-api-error-rates/</loc>" in sitemap
    assert "<loc>https://status.example.com/subscribe/</loc>" in sitemap
    assert "404" not in sitemap
    assert not (example_site / "sitemap.xml.gz").exists()


def test_a_failed_build_leaves_the_previous_site_untouched(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    site = root / "public"
    build_site(root, site, NOW)
    before = tree(site)
    (root / "incidents/2026-11-28-api.md").write_text(INCIDENT.replace("api:", "apii:"))
    result = statusgen(
        "build", "--root", str(root), "--site-dir", str(site), "--now", "2026-11-30 12:00Z"
    )
    assert result.returncode == 1
    assert "incidents/2026-11-28-api.md:5: unknown component 'apii'" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(site) == before
    assert sorted(p.name for p in root.iterdir()) == [
        "components.yml",
        "incidents",
        "mkdocs.yml",
        "pages",
        "public",
    ]


def test_build_replaces_the_previous_site(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    site = root / "public"
    build_site(root, site, NOW)
    (site / "stale.html").write_text("from an older build")
    (root / "incidents/2026-11-28-api.md").unlink()
    build_site(root, site, NOW)
    assert not (site / "stale.html").exists()
    assert not (site / "incidents/2026-11-28-api").exists()
    assert (site / "index.html").is_file()


def test_build_command_prints_no_banner(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    result = statusgen("build", "--root", str(root), "--now", "2026-11-30 12:00 UTC")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "end of life" not in result.stderr.lower()
    assert re.fullmatch(
        rf"Built {re.escape(str(root / 'site'))} in [\d.]+ s \(load [\d.]+, derive [\d.]+, "
        r"pages [\d.]+, outputs [\d.]+, outputs written [\d.]+\)",
        result.stderr.strip(),
    ), result.stderr


@pytest.mark.parametrize(
    ("mkdocs", "message"),
    [
        ("site_name: X\nsite_url: https://x.test/\ndocs_dir: pages\n", "add the statusgen plugin"),
        ("site_name: X\ndocs_dir: pages\nplugins: [statusgen]\n", "set 'site_url'"),
        (
            "site_name: X\nsite_url: https://x.test/\ndocs_dir: pages\n"
            "plugins:\n  - statusgen:\n      uptime_days: 0\n",
            "option 'uptime_days': must be a whole number >= 1",
        ),
        (
            "site_name: X\nsite_url: https://x.test/\ndocs_dir: pages\n"
            "plugins:\n  - statusgen:\n      uptime_dayz: 30\n",
            "unknown option 'uptime_dayz' (did you mean 'uptime_days'?)",
        ),
        (
            "site_name: X\nsite_url: https://x.test/\ndocs_dir: missing\nplugins: [statusgen]\n",
            "missing",
        ),
    ],
)
def test_configuration_errors_are_clear(make_repo: RepoWriter, mkdocs: str, message: str) -> None:
    root = make_repo({"2026-11-28-api.md": INCIDENT}, mkdocs=mkdocs)
    (root / "pages").mkdir()
    with pytest.raises(StatusgenError, match=re.escape(message)):
        build_site(root, root / "site", NOW)
    assert not (root / "site").exists()


def test_a_page_of_the_owner_cannot_silently_replace_a_generated_one(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    (root / "pages" / "index.md").write_text("# Welcome\n")
    with pytest.raises(
        StatusgenError, match=r"statusgen: pages/index\.md would replace the generated /index\.html"
    ):
        build_site(root, root / "site", NOW)


@pytest.mark.parametrize(
    ("hand_written", "generated"),
    [
        ("index.md", "index.html"),
        ("feed.atom", "feed.atom"),
        # Outputs made late: the first is the API's summary.json, the last _headers.
        ("components/api/maintenance.ics", "components/api/maintenance.ics"),
        ("badges/api.json", "badges/api.json"),
        ("_headers", "_headers"),
    ],
)
def test_a_plain_mkdocs_build_refuses_a_collision_before_writing_anything(
    make_repo: RepoWriter,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    hand_written: str,
    generated: str,
) -> None:
    """Under ``mkdocs build`` (no staging folder), a hand-written file where a page or
    any output goes, even the last output made, stops the build before statusgen
    writes a single file: the site folder is as it was."""
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    source = root / "pages" / hand_written
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("# Welcome\n")
    site = root / "site"
    site.mkdir()
    before = tree(site)
    monkeypatch.setenv(NOW_VARIABLE, "2026-11-30T12:00:00Z")
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    with pytest.raises(Abort):  # MkDocs' for the PluginError, which it logs
        mkdocs_build(config)
    message = (
        f"statusgen: pages/{hand_written} would replace the generated /{generated}: "
        "rename or remove it"
    )
    assert message in caplog.text
    assert tree(site) == before == {}


def test_statusgen_build_refuses_a_collision_before_touching_the_spare(
    make_repo: RepoWriter,
) -> None:
    """The site a build replaced waits to be written over (site/spare.py): a collision
    stops the next build before it puts the spare's files back, so both stay as they
    were."""
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    for _ in range(2):
        build_site(root, root / "site", NOW)
    spare = spare_path(root / "site")
    site, kept = tree(root / "site"), tree(spare)
    assert kept
    (root / "pages" / "_headers").write_text("/*\n  X-Frame-Options: DENY\n")
    with pytest.raises(
        StatusgenError, match=r"statusgen: pages/_headers would replace the generated /_headers"
    ):
        build_site(root, root / "site", NOW)
    assert tree(root / "site") == site
    assert tree(spare) == kept


def test_history_is_paginated_newest_first(make_repo: RepoWriter) -> None:
    incidents: dict[str, str | bytes] = {
        f"2026-10-{day:02d}-x.md": INCIDENT.replace("2026-11-28", f"2026-10-{day:02d}")
        for day in range(1, 31)
    }
    root = make_repo(
        incidents,
        mkdocs=MKDOCS_YML.format(language="en").replace(
            "  - statusgen\n", "  - statusgen:\n      history_page_size: 12\n"
        ),
    )
    (root / "pages").mkdir()
    site = build_site(root, root / "site", NOW).site_dir
    first = (site / "history/index.html").read_text()
    assert (site / "history/page/3/index.html").is_file()
    assert not (site / "history/page/4").exists()
    ids = re.findall(r'href="\.\./incidents/(2026-10-\d\d-x)/"', first)
    assert ids[:3] == ["2026-10-30-x", "2026-10-29-x", "2026-10-28-x"]
    assert len(ids) == 12
    assert "October 2026" in first


def test_french_site(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT}, language="fr")
    site = build_site(root, root / "site", datetime(2026, 11, 28, 14, 10, tzinfo=UTC)).site_dir
    html = (site / "index.html").read_text()
    assert '<html lang="fr">' in html
    assert "Panne partielle" in html  # the API's status
    assert "Incidents en cours" in html
    incident = (site / "incidents/2026-11-28-api/index.html").read_text()
    assert "28 nov. 2026, 14:02 UTC" in incident
    assert "Enquête en cours" in incident


def test_plugin_is_registered_for_mkdocs_and_properdocs() -> None:
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        names = {e.name: e.value for e in entry_points(group=group)}
        assert names.get("statusgen") == "statusgen.site.plugin:StatusgenPlugin"


def test_serve_shows_an_edited_incident(make_repo: RepoWriter) -> None:
    """`statusgen serve` rebuilds when an incident changes, not only the docs."""
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    with serving(root) as (base, server):
        url = f"{base}incidents/2026-11-28-api/"
        assert "<h1>API errors</h1>" in wait_for(url, "<h1>API errors</h1>", 20)
        incident = root / "incidents/2026-11-28-api.md"
        incident.write_text(incident.read_text().replace("title: API errors", "title: API outage"))
        assert "<h1>API outage</h1>" in wait_for(url, "<h1>API outage</h1>", 20)
    assert server.stderr is not None
    assert "Traceback" not in server.stderr.read()


@pytest.mark.parametrize("path", ["incidents", "incidents/", "components/nope/", "history/page/9/"])
def test_serve_answers_404_for_a_path_that_is_no_page(make_repo: RepoWriter, path: str) -> None:
    """Paths that look like a page's but are none (``GET /incidents`` crashed the server)."""
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    with serving(root) as (base, server):
        wait_for(base, "<h1", 20)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(base + path, timeout=10)
        assert caught.value.code == 404
        assert "<h1" in caught.value.read().decode()
    assert server.stderr is not None
    assert "Traceback" not in server.stderr.read()


def test_the_preview_serves_every_page_the_build_writes(make_repo: RepoWriter) -> None:
    """One list of pages: the build's files and the preview's URLs are the same pages."""
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    site = build_site(root, root / "site", NOW).site_dir
    preview = Preview(root)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "incidents/2026-11-28-api/postmortem/index.html" in pages
    for page in pages:
        url = "/" + page.removesuffix("index.html")
        status, _, body = preview.respond(url)
        assert status == 200, url
        assert RELOAD_SCRIPT_PATH.encode() in body  # the page reloads itself on changes


def test_preview_shows_errors_until_they_are_fixed(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    preview = Preview(root)
    status, content_type, body = preview.respond("/")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    # The page reloads itself on changes, with a script of the site's own (the pages'
    # Content-Security-Policy forbids inline script).
    assert f'<script src="{RELOAD_SCRIPT_PATH}" data-fingerprint='.encode() in body
    assert b"<script>" not in body
    status, content_type, script = preview.respond(RELOAD_SCRIPT_PATH)
    assert (status, content_type) == (200, "text/javascript")
    assert FINGERPRINT_PATH.encode() in script
    incident = root / "incidents/2026-11-28-api.md"
    incident.write_text(INCIDENT.replace("api:", "apii:"))
    status, _, body = preview.respond("/incidents/2026-11-28-api/")
    assert status == 500
    assert b"incidents/2026-11-28-api.md:5: unknown component &#x27;apii&#x27;" in body
    incident.write_text(INCIDENT.replace("title: API errors", "title: API fixed"))
    status, _, body = preview.respond("/incidents/2026-11-28-api/")
    assert status == 200
    assert b"<h1>API fixed</h1>" in body


def test_preview_serves_outputs_files_and_redirects(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-28-api.md": INCIDENT})
    preview = Preview(root)
    assert preview.respond("/feed.atom")[:2] == (200, "application/atom+xml")
    assert preview.respond("/api/v2/summary.json")[:2] == (200, "application/json")
    assert preview.respond("/assets/statusgen/status.js")[0] == 200
    assert preview.respond("/incidents/2026-11-28-api") == (
        301,
        "text/plain",
        b"/incidents/2026-11-28-api/",
    )
    assert preview.respond("/statusgen/base.html")[0] == 404  # templates are not files
    assert preview.respond("/../components.yml")[0] == 404


def test_titles_are_text_not_markup(make_repo: RepoWriter) -> None:
    title = "<script>alert(1)</script> & AT&T <SSO>"
    text = INCIDENT.replace("title: API errors", f'title: "{title}"')
    root = make_site(make_repo, {"2026-11-28-api.md": text})
    site = build_site(root, root / "site", NOW).site_dir
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; AT&amp;T &lt;SSO&gt;"
    for page in ("incidents/2026-11-28-api/index.html", "history/index.html", "index.html"):
        html = (site / page).read_text()
        assert "<script>alert" not in html, page
        assert escaped in html, page


def test_properdocs_builds_the_same_status_pages(tmp_path: Path, example_site: Path) -> None:
    """ProperDocs continues MkDocs 1.x: the plugin runs on it unchanged."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "properdocs"), "build", "--site-dir", str(tmp_path)],
        cwd=PROJECT,
        env={**os.environ, "STATUSGEN_NOW": "2026-11-30 12:00 UTC"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "incidents/2026-11-28-api-error-rates/index.html", "feed.atom"):
        assert (tmp_path / page).read_bytes() == (example_site / page).read_bytes(), page


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("feed_length: 0", "option 'feed_length': must be a whole number >= 1"),
        ("history_page_size: -3", "option 'history_page_size': must be a whole number >= 1"),
        ("uptime_days: yes", "option 'uptime_days': must be a whole number >= 1"),
        ("brand_color: 12", "option 'brand_color': Expected type"),
        ("stale_afer: 30", "unknown option 'stale_afer' (did you mean 'stale_after'?)"),
    ],
)
def test_validate_and_build_agree_on_the_plugin_options(
    make_repo: RepoWriter, option: str, message: str
) -> None:
    mkdocs = MKDOCS_YML.format(language="en").replace(
        "  - statusgen\n", f"  - statusgen:\n      {option}\n"
    )
    root = make_repo({"2026-11-28-api.md": INCIDENT}, mkdocs=mkdocs)
    (root / "pages").mkdir(exist_ok=True)
    validated = statusgen("validate", "--root", str(root))
    assert validated.returncode == 1
    assert f"mkdocs.yml: plugin statusgen: {message}" in validated.stdout
    built = statusgen("build", "--root", str(root), "--now", "2026-11-30 12:00 UTC")
    assert built.returncode == 1
    assert message in built.stderr
    assert "Traceback" not in built.stderr
    assert not (root / "site").exists()


def test_validate_reports_an_unknown_plugin_option(make_repo: RepoWriter) -> None:
    mkdocs = MKDOCS_YML.format(language="en").replace(
        "  - statusgen\n", "  - statusgen:\n      stale_afer: 30\n"
    )
    root = make_repo({"2026-11-28-api.md": INCIDENT}, mkdocs=mkdocs)
    result = statusgen("validate", "--root", str(root))
    assert result.returncode == 1
    assert (
        "mkdocs.yml: plugin statusgen: unknown option 'stale_afer' (did you mean 'stale_after'?)"
        in result.stdout
    )


FAILING_EXTENSION = '''\
"""A third-party Markdown extension with a bug: it fails on one word."""
import markdown


class Broken(markdown.preprocessors.Preprocessor):
    def run(self, lines):
        if any("explode" in line for line in lines):
            raise ValueError("the extension failed")
        return lines


class BrokenExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Broken(md), "broken", 30)


def makeExtension(**kwargs):
    return BrokenExtension(**kwargs)
'''


def test_an_update_that_cannot_be_rendered_is_a_content_error(make_repo: RepoWriter) -> None:
    """Whatever fails while rendering one update names its file and line: no traceback,
    and the previous site stays as it was."""
    incident = INCIDENT.replace("We are looking into it.", "This will explode.")
    assert incident != INCIDENT
    root = make_site(make_repo, {"2026-11-28-api.md": incident})
    (root / "broken_extension.py").write_text(FAILING_EXTENSION, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "markdown_extensions:\n  - broken_extension\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "statusgen",
            "build",
            "--root",
            str(root),
            "--now",
            "2026-11-30 12:00 UTC",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # Line 11 is the heading of the update that says "explode".
    assert (
        "incidents/2026-11-28-api.md:11: this update could not be rendered "
        "(ValueError: the extension failed)"
    ) in result.stderr, result.stderr
    assert not (root / "site").exists()
