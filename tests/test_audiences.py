"""Audiences (FORMAT.md v2): one repository, a view for the public and one per audience.

The leak test is the heart of it: a repository full of restricted components, groups,
events and sections, each carrying a distinctive marker word, is built for the public
with the real command line, and no marker may appear in any byte of any file of the
site, of ``status``, of the public ``diff`` or of any notification (delivered to real
SMTP and HTTP servers on 127.0.0.1); the internal view must show every marker it may
see, and the partners' view only theirs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusgen.cli import main
from statusgen.content.config import SiteConfig
from statusgen.content.event_file import parse_event
from statusgen.content.loader import read_site
from statusgen.core.errors import ErrorLog
from statusgen.core.model import Catalog, Component, ComponentStatus, Site
from statusgen.render.context import RenderContext
from statusgen.render.outputs import render_outputs
from statusgen.state.page import Indicator, derive
from statusgen.view.audiences import audience_view
from statusgen.workflow.notify.targets import URLS_VARIABLE
from tests.conftest import RepoWriter, statusgen
from tests.servers import HttpServer, SmtpServer

MKDOCS = """\
site_name: Example Status
site_url: https://status.example.com/
docs_dir: pages
theme:
  name: material
plugins:
  - search
  - statusgen:
      audiences: [internal, partners]
"""

COMPONENTS = """\
groups:
  - id: platform
    name: Platform
  - id: wombat-ops
    name: Wombat operations
    audiences: [internal]
components:
  - id: api
    name: API
    group: platform
  - id: quokka-db
    name: Quokka database
    group: platform
    audiences: [internal]
  - id: platypus-api
    name: Platypus partner API
    audiences: [partners]
  - id: numbat-queue
    name: Numbat queue
    group: wombat-ops
  - id: website
    name: Website
"""

# A public incident on the API and the internal database, with restricted sections.
PUBLIC_INCIDENT = """\
---
title: Errors on the API
impact: major
components:
  api: partial_outage
  quokka-db: major_outage
---

## 2026-11-28 14:45 UTC — monitoring [quokka-db: operational, website: degraded_performance]
The fix is out; we are watching error rates.

## 2026-11-28 14:30 UTC — identified
A configuration change overloaded the connection pool.

### [internal]
Deploy 4711 by the bilby team caused it; on call: Jo.
<!-- The cassowary dashboard shows it best. -->

#### Timeline
Still internal: the cassowary alert fired first.

### What you can do
Retry failed requests.

## 2026-11-28 14:00 UTC — investigating
We are investigating errors on the API.

### [internal, partners]
The kookaburra region is the one affected.

# Postmortem
The pool was too small.

## [internal]
The emu runbook was out of date.

## Next steps
We size the pool for twice the traffic.
"""
# Only the internal database: the public never hears of it.
DINGO = """\
---
title: Dingo slowness
impact: critical
components: [quokka-db]
---

## 2026-11-28 15:00 UTC — investigating
Queries are slow.
"""
ECHIDNA = """\
---
title: Echidna failover drill of the team
impact: minor
audiences: [internal]
components: []
---

## 2026-11-28 15:10 UTC — investigating
Failing over.
"""
WALLABY = """\
---
title: Wallaby partner maintenance
type: maintenance
audiences: [partners]
scheduled_start: 2026-11-30 02:00 UTC
scheduled_end: 2026-11-30 04:00 UTC
components: [platypus-api]
---

## 2026-11-28 12:00 UTC — scheduled
The partner API will be down.
"""
NUMBAT = """\
---
title: Queue backlog
impact: minor
components: [numbat-queue, website]
---

## 2026-11-28 15:20 UTC — investigating
The website is slow to update.
"""
INCIDENTS = {
    "2026-11-28-api.md": PUBLIC_INCIDENT,
    "2026-11-28-dingo.md": DINGO,
    "2026-11-28-echidna.md": ECHIDNA,
    "2026-11-30-wallaby.md": WALLABY,
    "2026-11-28-queue.md": NUMBAT,
}
NOW = "2026-11-28 16:00 UTC"

INTERNAL_ONLY = ("quokka", "wombat", "numbat", "bilby", "cassowary", "emu", "dingo", "echidna")
PARTNERS_ONLY = ("platypus", "wallaby")
SHARED = ("kookaburra",)  # [internal, partners]
MARKERS = INTERNAL_ONLY + PARTNERS_ONLY + SHARED


def leaks(data: bytes | str, markers: tuple[str, ...] = MARKERS) -> list[str]:
    """The markers found in ``data``, in any case."""
    text = (data if isinstance(data, str) else data.decode("utf-8", "replace")).lower()
    return [marker for marker in markers if marker in text]


def site_files(site_dir: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of a built site: its path (which may leak an id too) and its bytes."""
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            yield path.relative_to(site_dir).as_posix(), path.read_bytes()


@pytest.fixture
def repo(make_repo: RepoWriter) -> Path:
    root = make_repo(INCIDENTS, components=COMPONENTS, mkdocs=MKDOCS)
    # A hand-written page, so that the search plugin writes an index to check too.
    (root / "pages").mkdir()
    (root / "pages" / "about.md").write_text("# About\n\nHow we run this service.\n")
    return root


def build(root: Path, site_dir: Path, *audience: str) -> Path:
    """``statusgen build`` of the view of ``audience`` (none: the public)."""
    args: list[str | Path] = ["build", "--root", root, "--site-dir", site_dir, "--now", NOW]
    result = statusgen(*args, *(["--audience", *audience] if audience else []))
    assert result.returncode == 0, result.stderr
    return site_dir


# The leak test -----------------------------------------------------------------------------


def test_no_byte_of_the_public_site_holds_restricted_content(repo: Path, tmp_path: Path) -> None:
    site_dir = build(repo, tmp_path / "public")
    files = dict(site_files(site_dir))
    assert len(files) > 20  # pages, feeds, calendars, API, badges, sitemap
    assert "search/search_index.json" in files
    for path, data in files.items():
        assert leaks(path) == [], path
        assert leaks(data) == [], path
    # What the public may see is all there: the view is not merely empty.
    home = files["index.html"].decode()
    assert "Errors on the API" in home
    assert "Queue backlog" in home
    incident = files["incidents/2026-11-28-api/index.html"].decode()
    assert "Retry failed requests." in incident
    assert "overloaded the connection pool" in incident
    postmortem = files["incidents/2026-11-28-api/postmortem/index.html"].decode()
    assert "twice the traffic" in postmortem
    assert "noindex" not in home
    assert "sg-audience" not in home


def test_the_internal_view_shows_everything_internal_and_nothing_for_partners_only(
    repo: Path, tmp_path: Path
) -> None:
    site_dir = build(repo, tmp_path / "internal", "internal")
    everything = b"\n".join(path.encode() + b"\n" + data for path, data in site_files(site_dir))
    assert sorted(leaks(everything)) == sorted(INTERNAL_ONLY + SHARED)
    incident = (site_dir / "incidents/2026-11-28-api/index.html").read_text()
    assert "Deploy 4711 by the bilby team" in incident
    assert "cassowary alert" in incident  # a deeper heading stays in the section
    assert "Retry failed requests." in incident
    assert (
        "emu runbook" in (site_dir / "incidents/2026-11-28-api/postmortem/index.html").read_text()
    )
    assert (site_dir / "components/quokka-db/index.html").is_file()
    assert (site_dir / "badges/numbat-queue.svg").is_file()
    summary = json.loads((site_dir / "api/v2/summary.json").read_text())
    assert {c["name"] for c in summary["components"]} >= {"Quokka database", "Numbat queue"}


def test_the_partners_view_shows_theirs_only(repo: Path, tmp_path: Path) -> None:
    site_dir = build(repo, tmp_path / "partners", "partners")
    everything = b"\n".join(path.encode() + b"\n" + data for path, data in site_files(site_dir))
    assert sorted(leaks(everything)) == sorted(PARTNERS_ONLY + SHARED)


def test_every_page_of_a_restricted_view_names_its_audience_and_is_not_indexed(
    repo: Path, tmp_path: Path
) -> None:
    site_dir = build(repo, tmp_path / "internal", "internal")
    pages = list(site_dir.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text()
        assert '<meta name="robots" content="noindex, nofollow">' in html, page
        assert re.search(r'class="sg-audience"[^>]*>Restricted view for internal', html), page


def test_a_restricted_view_is_built_beside_the_public_site_by_default(repo: Path) -> None:
    result = statusgen("build", "--root", repo, "--now", NOW, "--audience", "internal")
    assert result.returncode == 0, result.stderr
    assert (repo / "site-internal" / "index.html").is_file()
    assert not (repo / "site").exists()


def test_statuses_indicator_and_uptime_come_from_the_view(repo: Path) -> None:
    site, errors = read_site(repo)
    assert errors == []
    assert site is not None
    now = datetime(2026, 11, 28, 16, tzinfo=UTC)
    public = derive(audience_view(site, None), now)
    # A person reading the public view: the API incident (major) and the queue backlog
    # (minor, on the website); nothing of the database's critical incident.
    assert dict(public.component_statuses) == {
        "api": ComponentStatus.PARTIAL_OUTAGE,
        "website": ComponentStatus.DEGRADED_PERFORMANCE,
    }
    assert public.indicator is Indicator.MAJOR
    assert set(public.uptime) == {"api", "website"}
    assert [e.id for e in public.events] == ["2026-11-28-queue", "2026-11-28-api"]
    internal = derive(audience_view(site, "internal"), now)
    assert internal.indicator is Indicator.CRITICAL
    assert internal.component_statuses["quokka-db"] is ComponentStatus.MAJOR_OUTAGE
    assert internal.component_statuses["numbat-queue"] is ComponentStatus.DEGRADED_PERFORMANCE
    assert internal.uptime["quokka-db"].ratio is not None
    assert internal.uptime["quokka-db"].ratio < 1


def test_status_shows_the_view_and_rejects_an_undeclared_audience(repo: Path) -> None:
    public = statusgen("status", "--root", repo, "--now", NOW, "--json")
    assert public.returncode == 0
    assert leaks(public.stdout) == []
    internal = statusgen("status", "--root", repo, "--now", NOW, "--audience", "internal")
    assert internal.returncode == 0
    assert "Quokka database" in internal.stdout
    wrong = statusgen("status", "--root", repo, "--now", NOW, "--audience", "internl")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        "unknown audience 'internl' (did you mean 'internal'?): mkdocs.yml declares "
        "internal, partners"
    )
    build = statusgen("build", "--root", repo, "--now", NOW, "--audience", "team")
    assert build.returncode == 1
    assert "unknown audience 'team'" in build.stderr
    assert "Traceback" not in build.stderr


def test_serve_renders_the_view_of_its_audience(repo: Path) -> None:
    from statusgen.site.serve import Preview

    public, internal = Preview(repo), Preview(repo, audience="internal")
    for preview in (public, internal):
        preview.refresh()
        assert preview.errors == []
    status, _, body = public.respond("/incidents/2026-11-28-api/")
    assert status == 200
    assert leaks(body) == []
    assert public.respond("/components/quokka-db/")[0] == 404
    status, _, body = internal.respond("/incidents/2026-11-28-api/")
    assert status == 200
    assert b"bilby" in body
    assert b"Restricted view for internal" in body


# diff ----------------------------------------------------------------------------------------


@pytest.fixture
def history(make_repo: RepoWriter) -> tuple[Path, git.Repo]:
    """A git repository: the components first, then every incident in a second commit."""
    root = make_repo({}, components=COMPONENTS, mkdocs=MKDOCS)
    (root / "pages").mkdir()
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Status Tester")
        config.set_value("user", "email", "status-tester@example.com")
    repo.git.add("--all")
    repo.index.commit("components")
    for name, text in INCIDENTS.items():
        (root / "incidents" / name).write_text(text, encoding="utf-8")
    repo.git.add("--all")
    repo.index.commit("incidents")
    return root, repo


def test_the_public_diff_holds_nothing_restricted(history: tuple[Path, git.Repo]) -> None:
    root, _ = history
    result = statusgen("diff", "HEAD~1", "HEAD", "--root", root, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "Errors on the API" in result.stdout
    assert "Retry failed requests." in result.stdout
    assert leaks(result.stdout) == []
    assert "🔒" not in result.stdout


def test_the_diff_of_an_audience_marks_what_only_it_sees(history: tuple[Path, git.Repo]) -> None:
    root, _ = history
    args = ("diff", "HEAD~1", "HEAD", "--root", root, "--now", NOW, "--audience", "internal")
    result = statusgen(*args)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("### Status page changes for internal:")
    # Everything the internal view adds, but the postmortem's text and group names,
    # which the report does not quote.
    assert sorted(leaks(out)) == sorted({*INTERNAL_ONLY, *SHARED} - {"emu", "wombat"})
    assert "  > **🔒 only for internal** (not on the public page):\n  > ### [internal]\n" in out
    assert "**🔒 only for internal, partners** (not on the public page)" in out
    assert "**New incident** 🔒 only for internal [Echidna failover" in out
    assert "| Quokka database 🔒 only for internal | Operational | Major outage |" in out
    assert "**Postmortem published** for [Errors on the API]" in out
    assert "🔒 sections only for internal" in out


# Notifications -------------------------------------------------------------------------------


@pytest.mark.usefixtures("notify_environment")
def test_notifications_tell_each_target_its_view_only(
    history: tuple[Path, git.Repo], smtp: SmtpServer, http: HttpServer
) -> None:
    root, _ = history
    urls = [
        smtp.url("customers@example.com"),
        http.json_url("public-chat"),
        http.statuspage_url("public-hook"),
        f"[internal] {smtp.url('team@example.com')}",
        f"[internal] {http.statuspage_url('internal-hook')}",
        f"[partners] platypus-api = {http.json_url('partners-chat')}",
    ]
    args = ["notify", "--root", str(root), "--now", NOW, "--since", "HEAD~1", "--until", "HEAD"]
    result = CliRunner().invoke(main, args, env={URLS_VARIABLE: "\n".join(urls)})
    assert result.exit_code == 0, result.output
    public_mails = [m for m in smtp.mails if "customers@example.com" in m.recipients]
    team_mails = [m for m in smtp.mails if "team@example.com" in m.recipients]
    assert public_mails
    assert team_mails
    for mail in public_mails:
        assert leaks(mail.message.as_bytes()) == [], mail.subject
    for path in ("public-chat", "public-hook"):
        bodies = http.bodies(path)
        assert bodies
        assert leaks(json.dumps(bodies)) == [], path
    team = b"\n".join(m.message.as_bytes() for m in team_mails).decode("utf-8", "replace")
    # Mail bodies are encoded: compare the decoded texts.
    team_text = "\n".join(m.part("text/plain") for m in team_mails) + team
    assert {"bilby", "kookaburra", "dingo", "echidna"} <= set(leaks(team_text))
    assert {"bilby", "dingo", "echidna"} <= set(leaks(json.dumps(http.bodies("internal-hook"))))
    partners = json.dumps(http.bodies("partners-chat"))
    assert "wallaby" in partners.lower()
    assert leaks(partners, INTERNAL_ONLY) == []
    assert "audience internal" in result.output


@pytest.mark.usefixtures("notify_environment")
def test_a_target_bound_to_an_undeclared_audience_is_an_error_with_its_line(
    history: tuple[Path, git.Repo],
) -> None:
    root, _ = history
    urls = "json://127.0.0.1:9/a\n[team] json://127.0.0.1:9/b\n"
    args = ["notify", "--root", str(root), "--now", NOW, "--since", "HEAD~1", "--dry-run"]
    result = CliRunner().invoke(main, args, env={URLS_VARIABLE: urls})
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{URLS_VARIABLE}, line 2: unknown audience 'team': mkdocs.yml declares internal, partners"
    )


# The parser's rules and errors ------------------------------------------------------------

DECLARED = ("internal", "partners")
HEADER = "---\ntitle: T\nimpact: minor\ncomponents: [api]\n---\n"
UPDATE = "## 2026-11-28 14:00 UTC — investigating\n"


def parse(body: str, audiences: tuple[str, ...] = DECLARED) -> tuple[Site | None, list[str]]:
    """An event with this body (after the frontmatter, which ends on line 5)."""
    log = ErrorLog("incidents/x.md")
    event = parse_event(HEADER + body, "x", log, ["api"], audiences)
    if event is None:
        return None, [f"{e.line}: {e.message}" for e in log.errors]
    catalog = Catalog(components=(Component(id="api", name="API"),))
    return Site(catalog=catalog, events=(event,), audiences=audiences), []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            UPDATE + "Text.\n### [ internal ]\nsecret\n",
            "8: '### [ internal ]': no spaces inside the brackets of a restricted heading: "
            "write '### [internal]'",
            id="spaces-inside",
        ),
        pytest.param(
            UPDATE + "Text.\n### [Internal]\nsecret\n",
            "8: '### [Internal]': audience names are lowercase: write 'internal', not 'Internal'",
            id="capitals",
        ),
        pytest.param(
            UPDATE + "Text.\n###[internal]\nsecret\n",
            "8: '###[internal]': put a space after the '#' marks of a restricted heading: "
            "write '### [internal]'",
            id="no-space",
        ),
        pytest.param(
            UPDATE + "Text.\n    ### [internal]\nsecret\n",
            "8: '### [internal]' is not a heading (Markdown needs a space after the '#' marks "
            "and at most 3 spaces before them), so the text under it would be shown to "
            "everyone: write '### [internal]' at the start of the line",
            id="indented",
        ),
        pytest.param(
            UPDATE + "Text.\n```\n### [internal]\nsecret\n```\n",
            "9: '### [internal]' is inside a code block: it is not a heading there and "
            "restricts nothing; close the code block before it",
            id="in-code",
        ),
        pytest.param(
            UPDATE + "Text.\n<!--\n### [internal]\nsecret\n-->\n",
            "8: '### [internal]' is inside an HTML comment: it is not a heading there and "
            "restricts nothing; take it out of the comment",
            id="in-comment",
        ),
        pytest.param(
            UPDATE + "Text.\n### [internl]\nsecret\n",
            "8: '### [internl]': unknown audience 'internl' (did you mean 'internal'?); "
            "mkdocs.yml declares internal, partners",
            id="typo",
        ),
        pytest.param(
            UPDATE + "Text.\n### [internal] notes\nsecret\n",
            "8: heading '### [internal] notes' looks like a restricted one but has text after "
            "the brackets: a restricted heading is only audience names in brackets, like "
            "'### [internal]'; put the rest on the next line",
            id="text-after",
        ),
        pytest.param(
            UPDATE + "Text.\n### Internal\nsecret\n",
            "8: heading '### Internal' looks like a restricted one: to show the text under it "
            "only to internal, write '### [internal]'; otherwise reword the heading",
            id="declared-name-as-heading",
        ),
        pytest.param(
            UPDATE + "Text.\n### [internal,]\nsecret\n",
            "8: '### [internal,]': an empty audience name in the brackets: list names like "
            "'### [internal, partners]'",
            id="empty-name",
        ),
        pytest.param(
            UPDATE + "Text.\n### [internal, internal]\nsecret\n",
            "8: '### [internal, internal]': audience 'internal' is listed twice",
            id="twice",
        ),
        pytest.param(
            UPDATE + "### [internal]\nsecret\n",
            "7: the update has no text for everyone before '### [internal]': the public would "
            "see it empty; write what everyone may read first",
            id="nothing-for-everyone",
        ),
        pytest.param(
            UPDATE + "Text.\n## [internal]\nsecret\n",
            "8: '## [internal]' is not an update: a restricted section inside an update starts "
            "with a heading of level 3 or deeper, like '### [internal]'",
            id="level-2-in-update",
        ),
        pytest.param(
            UPDATE + "Text.\n### [partners]\n#### [internal]\nsecret\n",
            "9: '#### [internal]' is inside a section for partners: no audience could see it; "
            "end the outer section first (a heading of its level) or list an audience it has",
            id="nested-disjoint",
        ),
        pytest.param(
            UPDATE + "Text.\n# Postmortem\nText.\n# [internal]\nsecret\n",
            "10: '# [internal]': a restricted section in a postmortem starts with a heading "
            "of level 2 or deeper, like '## [internal]'",
            id="level-1-in-postmortem",
        ),
    ],
)
def test_what_looks_like_a_restricted_heading_but_is_not_one_is_an_error(
    body: str, expected: str
) -> None:
    site, errors = parse(body)
    assert site is None
    assert errors == [expected]


def test_a_restricted_heading_where_mkdocs_yml_declares_no_audience() -> None:
    _, errors = parse(UPDATE + "Text.\n### [internal]\nsecret\n", audiences=())
    assert errors == [
        "8: '### [internal]': audience 'internal' is not declared: mkdocs.yml declares no "
        "audiences; declare it there (plugins: [{statusgen: {audiences: [internal]}}])"
    ]


def test_links_and_ordinary_headings_are_not_restricted_headings() -> None:
    body = (
        UPDATE
        + "Text.\n### [API v2](https://example.com/v2) changes\n### Internal tools\n"
        + "```rust\n#[derive(Debug)]\n# [section]\n```\n"
    )
    site, errors = parse(body)
    assert errors == []
    assert site is not None
    assert audience_view(site, None).events[0].updates[0].body == body[len(UPDATE) :].strip()


def test_a_comment_in_a_restricted_section_is_shown_only_to_that_audience() -> None:
    body = UPDATE + "Text.\n<!-- for all -->\n### [internal]\nA.\n<!-- bilby -->\n### Next\nB.\n"
    site, errors = parse(body)
    assert errors == []
    assert site is not None
    comments = site.events[0].comments
    assert [(c.text, c.audiences) for c in comments] == [
        ("for all", frozenset()),
        ("bilby", frozenset({"internal"})),
    ]
    assert [c.text for c in audience_view(site, None).events[0].comments] == ["for all"]
    assert len(audience_view(site, "internal").events[0].comments) == 2


def test_a_section_runs_until_a_heading_of_its_level_or_higher() -> None:
    body = (
        UPDATE
        + "For everyone.\n\n### [internal]\nA.\n#### Deeper\nB.\n### Public again\nC.\n"
        + "#### [partners]\nD.\n"
    )
    site, errors = parse(body)
    assert errors == []
    assert site is not None
    (update,) = site.events[0].updates
    assert [(s.audiences, s.text) for s in update.sections] == [
        (frozenset(), "For everyone."),
        (frozenset({"internal"}), "### [internal]\nA.\n#### Deeper\nB."),
        (frozenset(), "### Public again\nC."),
        (frozenset({"partners"}), "#### [partners]\nD."),
    ]
    public = audience_view(site, None).events[0].updates[0].body
    assert public == "For everyone.\n\n### Public again\nC."
    internal = audience_view(site, "internal").events[0].updates[0].body
    assert "A." in internal
    assert "D." not in internal


def test_a_file_without_restricted_content_means_what_it_meant_before() -> None:
    body = UPDATE + "Text.\n\n### Details\nMore.\n\n# Postmortem\nWhy.\n"
    site, errors = parse(body, audiences=())
    assert errors == []
    assert site is not None
    event = audience_view(site, None).events[0]
    assert event.updates[0].body == "Text.\n\n### Details\nMore."
    assert event.postmortem == "Why."


def load_errors(make_repo: RepoWriter, components: str, incident: str | None = None) -> list[str]:
    incidents = {"x.md": incident} if incident else {}
    _, errors = read_site(make_repo(incidents, components=components, mkdocs=MKDOCS))
    return [str(e) for e in errors]


def test_the_audiences_key_must_list_declared_names(make_repo: RepoWriter) -> None:
    components = (
        "groups:\n  - id: g\n    name: G\n    audiences: [team]\n"
        "components:\n  - id: a\n    name: A\n    audiences: internal\n"
        "  - id: b\n    name: B\n    audiences: []\n"
        "  - id: c\n    name: C\n    audiences: [Internal, partners, partners]\n"
    )
    assert load_errors(make_repo, components) == [
        "components.yml:4: unknown audience 'team'; mkdocs.yml declares internal, partners",
        "components.yml:8: 'audiences' must be a list of audience names like [internal], "
        "not 'internal' (remove the key to show it to everyone)",
        "components.yml:11: 'audiences' is empty: list who may see it, or remove the key to "
        "show it to everyone",
        "components.yml:14: audience names are lowercase: write 'internal', not 'Internal'",
        "components.yml:14: audience 'partners' is listed twice",
    ]


def test_an_event_audience_must_be_declared(make_repo: RepoWriter) -> None:
    incident = (
        "---\ntitle: T\nimpact: minor\naudiences: [intern]\ncomponents: [api]\n---\n"
        "## 2026-11-28 14:00 UTC — investigating\nText.\n"
    )
    components = "components:\n  - id: api\n    name: API\n"
    assert load_errors(make_repo, components, incident) == [
        "incidents/x.md:4: unknown audience 'intern' (did you mean 'internal'?); "
        "mkdocs.yml declares internal, partners"
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("internal", "option 'audiences': must be a list of names, like [internal, partners]"),
        ("[Internal]", "option 'audiences': audience name 'Internal' is not a valid id"),
        ("[internal, internal]", "option 'audiences': audience 'internal' is declared twice"),
        (
            "[internal]\n      audience: internal",
            "option 'audience' is not for mkdocs.yml: every build would publish that "
            "audience's view; build it with statusgen build --audience NAME",
        ),
    ],
)
def test_the_declaration_in_mkdocs_yml_is_checked(
    make_repo: RepoWriter, option: str, message: str
) -> None:
    mkdocs = MKDOCS.replace("[internal, partners]", option)
    root = make_repo({}, components="components:\n  - id: api\n    name: API\n", mkdocs=mkdocs)
    result = statusgen("validate", "--root", root)
    assert result.returncode == 1
    assert f"mkdocs.yml: plugin statusgen: {message}" in result.stdout


# Property: random mixes of restricted headings never leak ---------------------------------

# Headings that restrict what follows, and their neighbours that must be errors.
RESTRICTING = ["[internal]", "[internal, partners]", "[partners, internal]"]
LOOKALIKES = [
    "### [ internal ]",
    "### [Internal]",
    "###[internal]",
    "### [internal] notes",
    "### Internal",
    "### [internl]",
    "    ### [internal]",
    "```\n### [internal]",
    "<!--\n### [internal]",
]
# Too high a level: a restricted heading in an update is level 3 or deeper, in a
# postmortem level 2 or deeper.
UPDATE_LOOKALIKES = [*LOOKALIKES, "## [internal]"]
POSTMORTEM_LOOKALIKES = [*LOOKALIKES, "# [internal]"]
CLOSERS = {"```\n### [internal]": "\n```", "<!--\n### [internal]": "\n-->"}


def blocks(lookalikes: list[str]) -> st.SearchStrategy[tuple[object, ...]]:
    return st.one_of(
        st.tuples(st.just("public"), st.integers(3, 5)),
        st.tuples(st.just("restricted"), st.integers(3, 5), st.sampled_from(RESTRICTING)),
        st.tuples(st.just("lookalike"), st.sampled_from(lookalikes)),
    )


def _render(blocks: list[tuple[object, ...]], secrets: list[str], postmortem: bool) -> str:
    lines = ["Text for everyone."]
    for number, item in enumerate(blocks):
        word = f"secret{number}x"
        if item[0] == "public":
            lines += [f"{'#' * int(str(item[1]))} Heading {number}", f"Public words {number}."]
        elif item[0] == "restricted":
            level = int(str(item[1])) - (1 if postmortem else 0)
            lines += [f"{'#' * level} {item[2]}", f"The {word} is restricted."]
            secrets.append(word)
        else:
            heading = str(item[1])
            lines += [heading, f"The {word} was meant to be restricted."]
            if heading in CLOSERS:
                lines.append(CLOSERS[heading].strip())
            secrets.append(word)
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(blocks(UPDATE_LOOKALIKES), max_size=6),
    st.lists(blocks(POSTMORTEM_LOOKALIKES), max_size=4),
)
def test_random_mixes_of_restricted_headings_never_leak(
    update_blocks: list[tuple[object, ...]], postmortem_blocks: list[tuple[object, ...]]
) -> None:
    secrets: list[str] = []
    body = UPDATE + _render(update_blocks, secrets, postmortem=False)
    body += "\n\n# Postmortem\n" + _render(postmortem_blocks, secrets, postmortem=True) + "\n"
    site, errors = parse(body)
    lookalike = any(b[0] == "lookalike" for b in update_blocks + postmortem_blocks)
    if site is None:
        assert errors  # rejected, with a reason: nothing is published
        return
    assert not lookalike, "a look-alike restricted heading was accepted"
    public = derive(audience_view(site, None), datetime(2026, 11, 29, tzinfo=UTC))
    config = SiteConfig(name="S", url="https://status.example.com/")
    outputs = render_outputs(RenderContext(state=public, config=config))
    event = public.events[0].event
    published = b"".join(outputs.values()).decode() + (event.postmortem or "")
    published += "".join(u.body for u in event.updates)
    for word in secrets:
        assert word not in published
    internal = audience_view(site, "internal").events[0]
    internal_text = (internal.postmortem or "") + "".join(u.body for u in internal.updates)
    for word in secrets:
        assert word in internal_text


def test_errors_are_statusgen_errors_never_tracebacks(make_repo: RepoWriter) -> None:
    root = make_repo(
        {"x.md": HEADER + UPDATE + "Text.\n### [team]\nsecret\n"},
        components="components:\n  - id: api\n    name: API\n",
        mkdocs=MKDOCS,
    )
    (root / "pages").mkdir()
    result = statusgen("build", "--root", root, "--now", NOW)
    assert result.returncode == 1
    assert "incidents/x.md:8: '### [team]': unknown audience 'team'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()
