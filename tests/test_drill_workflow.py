"""The drill workflow on real git repositories, run as a team would run it: ``statusgen
drill start``, the ordinary ``new``, ``update``, ``resolve`` and ``postmortem`` with
``--commit``, then ``statusgen drill report``. Every command is a real process; the git
dates of each commit are set to the times the team gives with ``--at`` (and, for one
update, to a later moment than it claims), so that the report's durations are exact.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import git
import pytest

from statusgen.workflow.drills.scenarios import DEFAULTS_DIR, list_scenarios
from tests.conftest import RepoWriter, commit_all, init_git

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
BRANCH = "drill/2026-12-01-server-outage"
EVENT = "2026-12-01-elevated-error-rates-on-the-api"
SCENARIOS = ("data-breach", "ddos-attack", "server-outage", "third-party-outage")


def run(root: Path, *args: str, at: str | None = None) -> subprocess.CompletedProcess[str]:
    """``statusgen ARGS`` in ``root``; its commits dated ``at`` when given."""
    env = dict(os.environ)
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        env.pop(name, None)
        if at is not None:
            env[name] = at.replace(" UTC", " +0000")
    result = subprocess.run(
        [sys.executable, "-m", "statusgen", *args],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def ok(root: Path, *args: str, at: str | None = None) -> subprocess.CompletedProcess[str]:
    result = run(root, *args, at=at)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def repo(make_repo: RepoWriter) -> git.Repo:
    root = make_repo({"2026-11-30-slow-dashboard.md": PUBLIC})
    repository = init_git(root)
    commit_all(repository, "The status site")
    return repository


def root_of(repository: git.Repo) -> Path:
    return Path(repository.working_tree_dir or ".")


def test_a_whole_drill_from_start_to_report(repo: git.Repo) -> None:
    root = root_of(repo)
    start = ok(root, "drill", "start", "server-outage", "--at", "2026-12-01 14:00 UTC")
    assert repo.active_branch.name == BRANCH
    assert start.stdout.startswith("# Drill: Server outage\n")
    assert "**T+15**: the error rate reaches 60 %" in start.stdout
    assert "statusgen drill report --save" in start.stdout
    assert repo.head.commit.tree == repo.commit("main").tree, "the start changes no file"
    assert "Statusgen-Drill-Started: 2026-12-01 14:00 UTC" in str(repo.head.commit.message)

    opened = ok(
        root,
        *("new", "Elevated error rates on the API", "--component", "api=partial_outage"),
        *("--at", "2026-12-01 14:06 UTC", "--commit"),
        at="2026-12-01 14:06 UTC",
    )
    assert "marked drill: true" in opened.stderr
    assert repo.active_branch.name == BRANCH, "committed on the drill branch"
    path = root / "incidents" / f"{EVENT}.md"
    assert "\ndrill: true\n---\n" in path.read_text(encoding="utf-8")
    ok(
        root,
        *("update", EVENT, "--status", "identified", "-m", "A bad configuration change."),
        *("--at", "2026-12-01 14:20 UTC", "--commit"),
        at="2026-12-01 14:20 UTC",
    )
    # Posted as 14:58, committed at 15:01: the report shows both.
    ok(
        root,
        *("update", EVENT, "--status", "monitoring", "--at", "2026-12-01 14:58 UTC", "--commit"),
        at="2026-12-01 15:01 UTC",
    )
    ok(
        root,
        "resolve",
        EVENT,
        "--at",
        "2026-12-01 15:10 UTC",
        "--commit",
        at="2026-12-01 15:10 UTC",
    )
    ok(root, "postmortem", EVENT, "--commit", at="2026-12-01 15:30 UTC")
    # The team completes the draft by hand, and commits it.
    text = path.read_text(encoding="utf-8").replace("TODO:", "Done:")
    path.write_text(text, encoding="utf-8")
    repo.git.commit(
        "-am",
        "Complete the postmortem",
        env={
            "GIT_AUTHOR_DATE": "2026-12-01 16:00 +0000",
            "GIT_COMMITTER_DATE": "2026-12-01 16:00 +0000",
        },
    )

    report = ok(root, "drill", "report").stdout
    assert report.startswith(
        "---\n"
        f"branch: {BRANCH}\n"
        "scenario: server-outage\n"
        "started: 2026-12-01 14:00 UTC\n"
        "acknowledged_after: 360\n"
        "resolved_after: 4200\n"
        "largest_silence: 2460\n"
        "---\n\n# Drill report: Server outage\n"
    ), report
    assert f"## Elevated error rates on the API (`{EVENT}`)" in report
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in report.splitlines()
        if line.startswith("| 2026-")
    ]
    commits = [c.hexsha[:10] for c in repo.iter_commits(BRANCH, reverse=True)]
    assert rows == [
        ["2026-12-01 14:00 UTC", "", "drill started", commits[1], ""],
        ["2026-12-01 14:06 UTC", "", "investigating", commits[2], "investigating"],
        ["2026-12-01 14:20 UTC", "", "identified", commits[3], "by hand"],
        ["2026-12-01 15:01 UTC", "2026-12-01 14:58 UTC", "monitoring", commits[4], "monitoring"],
        ["2026-12-01 15:10 UTC", "", "resolved", commits[5], "resolved"],
    ]
    assert "- Time to the first public update (acknowledgement): 6 min\n" in report
    assert (
        "- Intervals between updates (update_every 30 min; 1 late): "
        "investigating → identified 14 min; "
        "identified → monitoring 41 min (update times: 38 min), **11 min over**; "
        "monitoring → resolved 9 min (update times: 12 min)\n"
    ) in report
    assert "- Time to resolution: 1 h 10 min\n" in report
    assert "- Largest silence: 41 min (update times: 38 min)\n" in report
    assert "- Postmortem: drafted after 1 h 30 min, completed after 2 h\n" in report
    assert "- Templates used: `investigating`, `monitoring`, `resolved`; written by hand: 1\n" in (
        report
    )
    assert "No earlier report in drills/reports/" in report

    # Saved, then compared with an earlier drill's report.
    earlier = root / "drills" / "reports" / "drill" / "2026-11-01-ddos-attack.md"
    earlier.parent.mkdir(parents=True)
    earlier.write_text(
        "---\nbranch: drill/2026-11-01-ddos-attack\nscenario: ddos-attack\n"
        "started: 2026-11-01 09:00 UTC\nacknowledged_after: 720\nresolved_after: 5400\n"
        "largest_silence: 2700\n---\n\n# Drill report: DDoS attack\n",
        encoding="utf-8",
    )
    saved = ok(root, "drill", "report", BRANCH, "--save")
    assert "Saved drills/reports/drill/2026-12-01-server-outage.md" in saved.stderr
    written = (root / "drills" / "reports" / f"{BRANCH}.md").read_text(encoding="utf-8")
    assert written == saved.stdout
    assert (
        "| `drill/2026-11-01-ddos-attack` | 2026-11-01 09:00 UTC | 12 min | 1 h 30 min | 45 min |"
        in written
    )
    assert f"| `{BRANCH}` | 2026-12-01 14:00 UTC | 6 min | 1 h 10 min | 41 min |" in written
    assert "Time to acknowledge: 12 min → 6 min (going down)." in written

    end = ok(root, "drill", "end")
    assert "Nothing was deleted" in end.stdout
    assert f"git branch -D {BRANCH}" in end.stdout
    assert BRANCH in repo.heads, "end deletes nothing"
    assert repo.active_branch.name == BRANCH


def test_a_drill_started_twice_is_an_error(repo: git.Repo) -> None:
    root = root_of(repo)
    ok(root, "drill", "start", "server-outage", "--at", "2026-12-01 14:00 UTC")
    again = run(root, "drill", "start", "ddos-attack", "--at", "2026-12-01 14:30 UTC")
    assert again.returncode == 1
    assert f"you are on the drill branch {BRANCH} (started 2026-12-01 14:00 UTC)" in again.stderr
    repo.git.switch("main")
    twice = run(root, "drill", "start", "server-outage", "--at", "2026-12-01 16:00 UTC")
    assert twice.returncode == 1
    assert f"the drill {BRANCH} was started already (2026-12-01 14:00 UTC)" in twice.stderr
    assert repo.active_branch.name == "main"
    assert sorted(h.name for h in repo.heads) == [BRANCH, "main"]


def test_a_report_on_a_branch_that_is_not_a_drill_is_an_error(repo: git.Repo) -> None:
    root = root_of(repo)
    result = run(root, "drill", "report")
    assert result.returncode == 1
    assert "'main' is not a drill branch: drills are branches drill/<date>-<scenario>" in (
        result.stderr
    )
    repo.git.switch("-c", "drill/by-hand")
    result = run(root, "drill", "report")
    assert result.returncode == 1
    assert "'drill/by-hand' is not a drill: it has no start commit" in result.stderr
    missing = run(root, "drill", "report", "drill/nowhere")
    assert missing.returncode == 1
    assert "there is no branch 'drill/nowhere'" in missing.stderr


def test_a_report_before_any_drill_incident_says_what_to_do(repo: git.Repo) -> None:
    root = root_of(repo)
    ok(root, "drill", "start", "--at", "2026-12-01 14:00 UTC")
    assert repo.active_branch.name == "drill/2026-12-01-unscripted"
    result = run(root, "drill", "report")
    assert result.returncode == 1
    assert "no drill incident is committed on drill/2026-12-01-unscripted yet" in result.stderr


def test_an_unknown_scenario_is_an_error_with_a_hint(repo: git.Repo) -> None:
    result = run(root_of(repo), "drill", "start", "server-outtage")
    assert result.returncode == 1
    assert "no drill scenario 'server-outtage' (did you mean 'server-outage'?)" in result.stderr
    assert repo.active_branch.name == "main"


def test_new_off_a_drill_branch_writes_no_drill_key(repo: git.Repo) -> None:
    root = root_of(repo)
    ok(root, "new", "API errors", "--component", "api", "--at", "2026-12-01 14:06 UTC")
    text = (root / "incidents" / "2026-12-01-api-errors.md").read_text(encoding="utf-8")
    assert "drill" not in text


# Scenarios ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_default_scenario_exists_in_both_languages(language: str, tmp_path: Path) -> None:
    assert sorted(p.stem for p in (DEFAULTS_DIR / language).glob("*.md")) == list(SCENARIOS)
    scenarios = list_scenarios(tmp_path, language)
    assert [s.name for s in scenarios] == list(SCENARIOS)
    assert {s.origin for s in scenarios} == {f"default ({language})"}
    for scenario in scenarios:
        assert "T+0" in scenario.brief
        assert scenario.brief.count("## ") == 4, scenario.name
    breach = next(s for s in scenarios if s.name == "data-breach")
    assert breach.template == "security-incident"


def test_french_scenarios_are_in_french(make_repo: RepoWriter) -> None:
    mkdocs = "site_name: Statut\nsite_url: https://statut.example.com/\ntheme:\n  language: fr\n"
    root = make_repo({}, mkdocs=mkdocs)
    listed = run(root, "drill", "list")
    assert listed.returncode == 0, listed.stderr
    assert "server-outage" in listed.stdout
    assert "Le serveur de base de données derrière" in listed.stdout
    english = {s.name: s for s in list_scenarios(root, "en")}
    french = {s.name: s for s in list_scenarios(root, "fr")}
    for name in SCENARIOS:
        assert french[name].title != english[name].title
        assert french[name].template == english[name].template


def test_the_team_s_own_scenarios_come_first(make_repo: RepoWriter) -> None:
    root = make_repo({})
    (root / "drills").mkdir()
    (root / "drills" / "server-outage.md").write_text(
        "---\ntitle: Our outage\nsummary: The primary region goes dark.\n---\n\n"
        "## What the monitoring shows\nEverything is red.\n",
        encoding="utf-8",
    )
    (root / "drills" / "dns.md").write_text(
        "---\ntitle: DNS\nsummary: Our domain stops resolving.\n---\nT+0: nothing resolves.\n",
        encoding="utf-8",
    )
    listed = ok(root, "drill", "list").stdout.splitlines()
    assert listed[0].split() == ["dns", "drills/", "Our", "domain", "stops", "resolving."]
    assert listed[1].split()[:2] == ["server-outage", "drills/"]
    assert [line.split()[0] for line in listed[2:]] == [
        "data-breach",
        "ddos-attack",
        "third-party-outage",
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: DNS\n---\nT+0\n", 3, "missing required key 'summary'"),
        ("---\ntitle: DNS\nsumary: x\n---\nT+0\n", 3, "unknown key 'sumary' (did you mean"),
        ("title: DNS\n", 1, "a scenario starts with a frontmatter"),
        ("---\ntitle: DNS\nsummary: x\n---\n\n", 4, "the brief is empty"),
        ("---\ntitle: [DNS\n---\nT+0\n", 2, "frontmatter:"),
    ],
)
def test_a_broken_scenario_is_an_error_with_its_line(
    make_repo: RepoWriter, text: str, line: int, message: str
) -> None:
    root = make_repo({})
    (root / "drills").mkdir()
    (root / "drills" / "dns.md").write_text(text, encoding="utf-8")
    result = run(root, "drill", "list")
    assert result.returncode == 1
    assert f"drills/dns.md:{line}: " in result.stderr, result.stderr
    assert message in result.stderr
