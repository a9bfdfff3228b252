"""Drills (FORMAT.md v2, "Drills"): ``drill: true`` files, never published, and the drill
workflow (``statusgen drill start``, ``list``, ``report``, ``end``) on real git repositories.

The leak tests build and notify from repositories that hold a drill full of marker words
and check every byte of every output, and every message received by real SMTP and HTTP
servers on 127.0.0.1, for those words.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from statusgen.cli import main
from statusgen.content.loader import read_site
from statusgen.content.schema import incident_schema
from statusgen.site.build import build_site
from statusgen.site.serve import Preview
from statusgen.workflow.notify.targets import URLS_VARIABLE
from tests.conftest import RepoWriter, commit_all, init_git, statusgen, write_files
from tests.servers import HttpServer, SmtpServer

pytestmark = pytest.mark.usefixtures("notify_environment")

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
MARKERS = ("Zanzibar", "quokka", "zanzibar-drill")
DRILL_ID = "2026-12-01-zanzibar-drill"

DRILL = """\
---
title: Zanzibar outage of the API
impact: critical
components:
  api: major_outage
drill: true
---

## 2026-12-01 14:20 UTC — identified
The quokka cache fell over.

## 2026-12-01 14:05 UTC — investigating
We are investigating errors on the API.

# Postmortem
The quokka cache was too small.
"""

PUBLIC = """\
---
title: Slow dashboard
impact: minor
components: [dashboard]
---

## 2026-11-30 10:30 UTC — resolved
Back to normal.

## 2026-11-30 10:00 UTC — investigating
The dashboard is slow.
"""

MKDOCS = """\
site_name: Example Status
site_url: https://status.example.com/
docs_dir: pages
theme:
  name: material
plugins:
  - statusgen
"""


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_no_marker(outputs: dict[str, bytes]) -> None:
    for path, data in outputs.items():
        for marker in MARKERS:
            for form in (marker, marker.lower(), marker.upper()):
                assert form.encode() not in data, f"{form} in {path}"
                assert form.encode("utf-16-le") not in data, f"{form} in {path}"


# The format ---------------------------------------------------------------------------------


def test_drill_true_marks_a_rehearsal_and_keeps_its_line(make_repo: RepoWriter) -> None:
    site, errors = read_site(make_repo({f"{DRILL_ID}.md": DRILL, "public.md": PUBLIC}))
    assert errors == []
    assert site is not None
    events = {e.id: e for e in site.events}
    assert events[DRILL_ID].is_drill
    assert events[DRILL_ID].drill_line == 6
    assert not events["public"].is_drill


@pytest.mark.parametrize("value", ["false", "False"])
def test_drill_false_is_no_drill(make_repo: RepoWriter, value: str) -> None:
    text = DRILL.replace("drill: true", f"drill: {value}")
    site, errors = read_site(make_repo({"a.md": text}))
    assert errors == []
    assert site is not None
    assert not site.events[0].is_drill


@pytest.mark.parametrize("value", ["yes", '"true"', "1", "[true]", "", "on", "ture"])
def test_drill_must_be_true_or_false(make_repo: RepoWriter, value: str) -> None:
    text = DRILL.replace("drill: true", f"drill: {value}")
    site, errors = read_site(make_repo({"a.md": text}))
    assert site is None
    assert [(e.path, e.line) for e in errors] == [("incidents/a.md", 6)]
    assert "'drill' must be true or false" in errors[0].message


def test_the_schema_knows_drill() -> None:
    schema = incident_schema()
    base = {"title": "t", "impact": "minor", "components": ["api"]}
    jsonschema.validate({**base, "drill": True}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**base, "drill": "yes"}, schema)


# Never published ------------------------------------------------------------------------------


def make_site(make_repo: RepoWriter, incidents: dict[str, str | bytes]) -> Path:
    root = make_repo(incidents, mkdocs=MKDOCS)
    (root / "pages").mkdir(exist_ok=True)
    return root


def test_a_drill_changes_no_byte_of_the_published_site(
    make_repo: RepoWriter, tmp_path: Path
) -> None:
    root = make_site(make_repo, {f"{DRILL_ID}.md": DRILL, "2026-11-30-slow.md": PUBLIC})
    with_drill = files(build_site(root, tmp_path / "with", NOW).site_dir)
    assert_no_marker(with_drill)
    (root / "incidents" / f"{DRILL_ID}.md").unlink()
    without = files(build_site(root, tmp_path / "without", NOW).site_dir)
    assert with_drill == without, "the same site, byte for byte, as without the drill"
    # The API is operational in every published output: the drill's outage is not counted.
    assert b"major_outage" not in with_drill["api/v2/components.json"]


def test_build_with_drills_shows_them_under_a_banner(make_repo: RepoWriter, tmp_path: Path) -> None:
    root = make_site(make_repo, {f"{DRILL_ID}.md": DRILL, "2026-11-30-slow.md": PUBLIC})
    at = "2026-12-01 15:00 UTC"
    result = statusgen(
        "build", "--root", root, "--site-dir", tmp_path / "d", "--now", at, "--drills"
    )
    assert result.returncode == 0, result.stderr
    site = files(tmp_path / "d")
    page = site[f"incidents/{DRILL_ID}/index.html"].decode()
    assert "Zanzibar outage of the API" in page
    assert 'class="sg-drill"' in page
    assert "DRILL:" in page
    assert '<span class="sg-drill-tag">Drill</span>' in page
    overview = site["index.html"].decode()
    assert 'class="sg-drill"' in overview
    assert '<span class="sg-drill-tag">Drill</span>' in overview
    assert (
        '<span class="sg-drill-tag">' not in site["incidents/2026-11-30-slow/index.html"].decode()
    )


def test_serve_shows_drills_under_a_banner(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {f"{DRILL_ID}.md": DRILL, "2026-11-30-slow.md": PUBLIC})
    status, _, body = Preview(root).respond(f"/incidents/{DRILL_ID}/")
    assert status == 200
    assert b"Zanzibar outage of the API" in body
    assert b'class="sg-drill"' in body


def test_no_banner_without_drills(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {"2026-11-30-slow.md": PUBLIC})
    status, _, body = Preview(root).respond("/")
    assert status == 200
    assert b"sg-drill" not in body


def test_validate_warns_about_a_drill_on_the_pull_request(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {f"{DRILL_ID}.md": DRILL, "2026-11-30-slow.md": PUBLIC})
    github = statusgen("validate", "--format", "github", cwd=root)
    assert github.returncode == 0, github.stdout + github.stderr
    (annotation,) = github.stdout.splitlines()
    assert annotation.startswith(
        f"::warning file=incidents/{DRILL_ID}.md,line=6,title=statusgen::"
        "this incident is a drill (drill: true): it is never published"
    )
    text = statusgen("validate", "--root", root)
    assert text.returncode == 0
    assert text.stdout.startswith(f"incidents/{DRILL_ID}.md:6: warning: this incident is a drill")
    document = json.loads(statusgen("validate", "--root", root, "--format", "json").stdout)
    assert document["valid"] is True
    assert [(w["file"], w["line"]) for w in document["warnings"]] == [
        (f"incidents/{DRILL_ID}.md", 6)
    ]


def test_status_leaves_drills_out(make_repo: RepoWriter) -> None:
    root = make_site(make_repo, {f"{DRILL_ID}.md": DRILL})
    result = statusgen("status", "--root", root, "--now", "2026-12-01 15:00 UTC", "--json")
    assert result.returncode == 0, result.stderr
    assert_no_marker({"status": result.stdout.encode()})
    assert json.loads(result.stdout)["status"]["indicator"] == "none"


# Never sent to subscribers ---------------------------------------------------------------------

OPENED = """\
---
title: Slow webhooks
impact: minor
components: [webhooks]
---

## 2026-12-01 14:10 UTC — investigating
Webhooks are delayed.
"""


def test_a_drill_merged_into_main_reaches_only_the_targets_bound_to_drills(
    make_repo: RepoWriter, smtp: SmtpServer, http: HttpServer
) -> None:
    root = make_repo({"2026-11-30-slow.md": PUBLIC})
    repo = init_git(root)
    base = commit_all(repo, "base").hexsha
    write_files(
        root,
        {f"incidents/{DRILL_ID}.md": DRILL, "incidents/2026-12-01-slow-webhooks.md": OPENED},
    )
    merged = commit_all(repo, "A drill branch merged by mistake, and a real incident").hexsha
    urls = [
        smtp.url("customers@lists.example.com"),
        http.json_url("everyone"),
        http.statuspage_url("statuspage"),
        "api=" + http.json_url("api-team"),
        "@drills=" + smtp.url("drill-team@example.com"),
        "@drills = " + http.json_url("drill-chat"),
        "@drills, api=" + http.statuspage_url("drill-statuspage"),
        "@drills,dashboard=" + http.json_url("drill-dashboard"),
    ]
    args = ["notify", "--root", str(root), "--now", "2026-12-01 15:00 UTC"]
    args += ["--since", base, "--until", merged]
    result = CliRunner().invoke(main, args, env={URLS_VARIABLE: "\n".join(urls)})
    assert result.exit_code == 0, result.output
    drill_lines = [line for line in result.stdout.splitlines() if DRILL_ID in line]
    assert len(drill_lines) == 3 * 3  # three notices, three drill targets of the API
    assert all("(target " in line and ", drills" in line for line in drill_lines)

    subscribers = [m for m in smtp.mails if "drill-team@example.com" not in m.recipients]
    public_paths = ("everyone", "statuspage", "api-team")
    assert [m.subject for m in subscribers] == ["Investigating: Slow webhooks"]
    assert http.titles("everyone") == ["Investigating: Slow webhooks"]
    assert http.bodies("api-team") == [], "the drill affects the API: still nothing"
    (page,) = http.bodies("statuspage")
    assert page["incident"]["id"] == "2026-12-01-slow-webhooks"
    assert page["page"]["status_indicator"] == "minor", "the drill's outage is not counted"
    for mail in subscribers:
        assert_no_marker({mail.subject: mail.message.as_bytes()})
    for request in http.requests:
        if request.path.strip("/") in public_paths:
            assert_no_marker({request.path: json.dumps(request.body).encode()})

    drill_titles = [
        "[Drill] Investigating: Zanzibar outage of the API",
        "[Drill] Identified: Zanzibar outage of the API",
        "[Drill] Postmortem: Zanzibar outage of the API",
    ]
    assert http.titles("drill-chat") == drill_titles
    assert [m.subject for m in smtp.mails if "drill-team@example.com" in m.recipients] == (
        drill_titles
    )
    drill_pages = http.bodies("drill-statuspage")
    assert [b["incident"]["id"] for b in drill_pages] == [DRILL_ID] * 3
    assert {b["page"]["status_indicator"] for b in drill_pages} == {"critical"}
    assert http.bodies("drill-dashboard") == [], "drills that affect the dashboard only"


def test_mkdocs_yml_may_not_turn_drills_on(make_repo: RepoWriter, tmp_path: Path) -> None:
    mkdocs = MKDOCS.replace("  - statusgen\n", "  - statusgen:\n      drills: true\n")
    root = make_repo({f"{DRILL_ID}.md": DRILL}, mkdocs=mkdocs)
    (root / "pages").mkdir()
    for command in (["validate"], ["build", "--site-dir", str(tmp_path / "site")]):
        result = statusgen(*command, "--root", root)
        assert result.returncode == 1, command
        assert "option 'drills' is not for mkdocs.yml: a site built with it would publish" in (
            result.stderr + result.stdout
        ), command
    assert not (tmp_path / "site").exists()
