"""``statusgen alert``: monitoring payloads through the real command on real git
repositories.

The payloads in tests/data/alerts follow the examples of each format's documentation:
Alertmanager's webhook (version 4, from the Prometheus documentation and a recorded
payload), Grafana alerting's webhook contact point (from Grafana's documentation), and
statusgen's generic JSON (docs/monitoring.md). Nothing is replaced: the commits, branches
and files are real, and every written repository is checked with ``statusgen validate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from click.testing import CliRunner, Result

from statusgen.cli import main
from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus, Impact, Incident, IncidentStatus, Update
from tests.conftest import RepoWriter, commit_all, init_git

DATA = Path(__file__).parent / "data" / "alerts"
COMPONENTS = """\
groups:
  - id: platform
    name: Platform
components:
  - id: api
    name: API
    group: platform
    alerts:
      - {service: api}
  - id: webhooks
    name: Webhooks
    group: platform
    alerts:
      - {service: webhooks}
  - id: dashboard
    name: Dashboard
    alerts:
      - {service: dashboard}
      - {zone: us-1}
  - id: eu
    name: EU region
    alerts:
      - {zone: eu-1, team: blue}
  - id: website
    name: Website
"""
MKDOCS = """\
site_name: Example Status
site_url: https://status.example.com/
plugins:
  - statusgen:{options}
"""
API_INCIDENT = "2026-11-30-blackbox-probe-failure-https-api-example-com"
AT = "2026-11-30 13:15 UTC"


@pytest.fixture
def repo(make_repo: RepoWriter) -> git.Repo:
    return repository(make_repo)


def repository(make_repo: RepoWriter, options: str = " {}") -> git.Repo:
    root = make_repo({}, components=COMPONENTS, mkdocs=MKDOCS.format(options=options))
    (root / "incidents" / ".gitkeep").write_text("")
    repository = init_git(root)
    commit_all(repository, "Status repository")
    return repository


def root_of(repository: git.Repo) -> Path:
    return Path(repository.working_tree_dir or ".")


def alert(
    repository: git.Repo, payload: str | Path, *args: str, stdin: str | None = None
) -> Result:
    """``statusgen alert`` in-process; fails the test on a traceback."""
    arguments = ["alert", "--root", str(root_of(repository)), *args, str(payload)]
    result = CliRunner().invoke(main, arguments, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"statusgen alert raised {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    return result


def refs(repository: git.Repo) -> dict[str, str]:
    """Every branch and the commit it points to: what a run that changes nothing keeps."""
    return {head.name: head.commit.hexsha for head in repository.heads}


def valid(repository: git.Repo) -> list[Incident]:
    result = CliRunner().invoke(main, ["validate", "--root", str(root_of(repository))])
    assert result.exit_code == 0, result.output
    return [e for e in load_site(root_of(repository)).events if isinstance(e, Incident)]


def frontmatter(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(document, dict)
    return document


def payload(tmp_path: Path, document: object, name: str = "payload.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# Opening ---------------------------------------------------------------------------------


def test_an_alertmanager_group_opens_one_incident_on_a_status_branch(repo: git.Repo) -> None:
    result = alert(repo, DATA / "alertmanager-firing.json", "--at", AT)
    assert result.exit_code == 0, result.output
    branch = f"status/{API_INCIDENT}"
    assert repo.active_branch.name == branch
    assert f"Committed on branch {branch}: Open incident {API_INCIDENT}" in result.stderr
    assert "2 alerts (alertmanager)" in result.stderr
    path = root_of(repo) / "incidents" / f"{API_INCIDENT}.md"
    assert Path(result.stdout.strip()).resolve() == path.resolve()
    assert repo.head.commit.stats.files.keys() == {f"incidents/{API_INCIDENT}.md"}

    (incident,) = valid(repo)
    assert incident.title == "BlackBox Probe Failure: https://api.example.com"
    assert incident.impact is Impact.CRITICAL  # from the worst status
    assert dict(incident.components) == {
        "api": ComponentStatus.MAJOR_OUTAGE,  # severity critical
        "webhooks": ComponentStatus.DEGRADED_PERFORMANCE,  # severity warning
    }
    assert incident.alerts == ("1a30ba71cca2921f", "2b41cb82ddb3a32e")
    (update,) = incident.updates
    assert update.status is IncidentStatus.INVESTIGATING
    assert update.body == (
        "We are investigating reports of problems with API and Webhooks. We will post an "
        "update by Nov 30, 2026, 13:45 UTC, sooner if we learn more."
    )
    # Nothing is published: main does not have it.
    assert "incidents/" + API_INCIDENT + ".md" not in repo.git.ls_tree("-r", "main", "--name-only")


def test_replays_change_nothing_on_the_branch_or_from_main(repo: git.Repo) -> None:
    first = alert(repo, DATA / "alertmanager-firing.json", "--at", AT)
    assert first.exit_code == 0
    before = refs(repo)
    path = root_of(repo) / "incidents" / f"{API_INCIDENT}.md"
    text = path.read_bytes()

    again = alert(repo, DATA / "alertmanager-firing.json", "--at", "2026-11-30 13:20 UTC")
    assert again.exit_code == 0, again.output
    assert again.stdout == ""
    assert "Nothing to change" in again.stderr

    # The next payload arrives where the workflow runs, on main: the incident waits on
    # its branch, which is checked out, and still nothing changes.
    repo.git.switch("main")
    from_main = alert(repo, DATA / "alertmanager-firing.json", "--at", "2026-11-30 13:25 UTC")
    assert from_main.exit_code == 0, from_main.output
    assert f"on branch status/{API_INCIDENT}, checked out" in from_main.stderr
    assert repo.active_branch.name == f"status/{API_INCIDENT}"
    assert refs(repo) == before
    assert path.read_bytes() == text


def test_a_pending_branch_only_on_origin_is_found_too(repo: git.Repo, tmp_path: Path) -> None:
    """The workflow's checkout has the remote's branches, not local ones."""
    assert alert(repo, DATA / "alertmanager-firing.json", "--at", AT).exit_code == 0
    repo.git.switch("main")
    clone = git.Repo.clone_from(root_of(repo), tmp_path / "clone")
    with clone.config_writer() as config:
        config.set_value("user", "name", "Status Tester")
        config.set_value("user", "email", "status-tester@example.com")
    assert clone.active_branch.name == "main"
    assert [h.name for h in clone.heads] == ["main"]
    result = alert(clone, DATA / "alertmanager-firing.json", "--at", "2026-11-30 13:25 UTC")
    assert result.exit_code == 0, result.output
    assert clone.active_branch.name == f"status/{API_INCIDENT}"
    assert clone.head.commit.hexsha == repo.heads[f"status/{API_INCIDENT}"].commit.hexsha


def test_a_grafana_payload_routes_each_alert_by_its_labels(repo: git.Repo) -> None:
    result = alert(repo, DATA / "grafana-firing.json", "--at", "2026-11-30 08:00 UTC")
    assert result.exit_code == 0, result.output
    assert "2 alerts (grafana)" in result.stderr
    # Grafana's alerts carry no severity label: the mildest mapped status, said so.
    assert result.stderr.count("no severity: the mildest of alert_severities") == 2
    (incident,) = valid(repo)
    assert dict(incident.components) == {
        "dashboard": ComponentStatus.DEGRADED_PERFORMANCE,  # zone us-1
        "eu": ComponentStatus.DEGRADED_PERFORMANCE,  # zone eu-1 and team blue, both
    }
    assert incident.impact is Impact.MINOR
    assert incident.title == "This alert was triggered for zone us-1"
    assert incident.alerts == ("c6eadffa33fcdf37", "bc97ff14869b13e3")


def test_the_generic_format_from_standard_input(repo: git.Repo) -> None:
    text = (DATA / "generic-firing.json").read_text(encoding="utf-8")
    result = alert(repo, "-", "--source", "generic", "--at", AT, stdin=text)
    assert result.exit_code == 0, result.output
    (incident,) = valid(repo)
    assert dict(incident.components) == {"dashboard": ComponentStatus.MAJOR_OUTAGE}
    assert incident.alerts == ("kuma-monitor-7",)
    assert incident.title == "The dashboard does not answer"


def test_an_alert_without_fingerprint_gets_a_stable_one_from_its_labels(
    repo: git.Repo, tmp_path: Path
) -> None:
    document = json.loads((DATA / "generic-firing.json").read_text(encoding="utf-8"))
    del document["fingerprint"]
    path = payload(tmp_path, document)
    assert alert(repo, path, "--at", AT).exit_code == 0
    (incident,) = valid(repo)
    (fingerprint,) = incident.alerts
    assert len(fingerprint) == 16
    before = refs(repo)
    document["labels"] = dict(reversed(document["labels"].items()))  # same labels, other order
    assert "Nothing to change" in alert(repo, payload(tmp_path, document), "--at", AT).stderr
    assert refs(repo) == before


def test_alerts_that_match_no_component_are_reported_and_change_nothing(
    repo: git.Repo, tmp_path: Path
) -> None:
    document = json.loads((DATA / "alertmanager-firing.json").read_text(encoding="utf-8"))
    for item in document["alerts"]:
        item["labels"] = {"alertname": "DiskFull", "service": "billing", "severity": "critical"}
    before = refs(repo)
    result = alert(repo, payload(tmp_path, document), "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("matches no component (labels alertname=DiskFull, service=billing")
    assert "add a matcher under 'alerts:' in components.yml" in result.stderr
    assert "Nothing to change" in result.stderr
    assert refs(repo) == before
    assert repo.active_branch.name == "main"


def test_resolved_alerts_without_an_incident_change_nothing(repo: git.Repo) -> None:
    before = refs(repo)
    result = alert(repo, DATA / "alertmanager-resolved.json", "--at", AT)
    assert result.exit_code == 0, result.output
    assert "Nothing to change" in result.stderr
    assert refs(repo) == before


def test_publish_commits_on_the_current_branch(repo: git.Repo) -> None:
    result = alert(repo, DATA / "alertmanager-firing.json", "--publish", "--at", AT)
    assert result.exit_code == 0, result.output
    assert repo.active_branch.name == "main"
    assert f"Committed on branch main: Open incident {API_INCIDENT}" in result.stderr
    assert f"incidents/{API_INCIDENT}.md" in repo.git.ls_tree("-r", "main", "--name-only")
    before = refs(repo)
    again = alert(repo, DATA / "alertmanager-firing.json", "--publish", "--at", AT)
    assert "Nothing to change" in again.stderr
    assert refs(repo) == before


def test_alert_severities_in_mkdocs_yml_replace_the_default(make_repo: RepoWriter) -> None:
    repository_ = repository(
        make_repo, "\n      alert_severities: {critical: partial_outage, warning: major_outage}"
    )
    assert alert(repository_, DATA / "alertmanager-firing.json", "--at", AT).exit_code == 0
    (incident,) = valid(repository_)
    assert dict(incident.components) == {
        "api": ComponentStatus.PARTIAL_OUTAGE,
        "webhooks": ComponentStatus.MAJOR_OUTAGE,
    }
    assert incident.impact is Impact.CRITICAL


def test_a_repository_title_template(repo: git.Repo) -> None:
    templates = root_of(repo) / "templates"
    templates.mkdir()
    (templates / "alert-title.md").write_text("Problems with {components}\n", encoding="utf-8")
    assert alert(repo, DATA / "alertmanager-firing.json", "--at", AT).exit_code == 0
    (incident,) = valid(repo)
    assert incident.title == "Problems with API and Webhooks"  # a list in the site's language
    assert incident.id == "2026-11-30-problems-with-api-and-webhooks"


# Bad payloads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('{"version": "4", "alerts": [', (), "not JSON: line 1, column 29"),
        (b"\xff\xfe{}", (), "not UTF-8 text"),
        ("[]", (), "is not an alert payload statusgen knows"),
        ('{"hello": "world"}', (), "--source alertmanager"),
        (
            (DATA / "alertmanager-firing.json").read_text(encoding="utf-8"),
            ("--source", "grafana"),
            "is not a Grafana alerting webhook: it looks like an Alertmanager webhook "
            "(version 4) (--source alertmanager)",
        ),
        (
            (DATA / "grafana-firing.json").read_text(encoding="utf-8"),
            ("--source", "alertmanager"),
            "is not an Alertmanager webhook (version 4): it looks like a Grafana alerting "
            "webhook (--source grafana)",
        ),
        (
            (DATA / "grafana-firing.json").read_text(encoding="utf-8"),
            ("--source", "generic"),
            "is not statusgen's generic alert JSON: it looks like a Grafana",
        ),
        ('{"version": "3", "alerts": []}', (), "version '3' is not supported"),
        (
            '{"version": "4", "alerts": [{"status": "firing"}]}',
            (),
            "alerts[0].labels is missing",
        ),
        (
            '{"version": "4", "alerts": [{"status": "pending", "labels": {}}]}',
            (),
            "alerts[0].status must be 'firing' or 'resolved', not 'pending'",
        ),
        (
            '{"version": "4", "alerts": [{"status": "firing", "labels": {"severity": 2}}]}',
            (),
            "alerts[0].labels.severity must be text, not 2",
        ),
        (
            '{"status": "firing", "labels": {}, "startsAt": "yesterday"}',
            (),
            "the alert.startsAt: 'yesterday' is not a timestamp",
        ),
    ],
    ids=[
        "truncated",
        "binary",
        "empty-list",
        "unknown-shape",
        "alertmanager-as-grafana",
        "grafana-as-alertmanager",
        "grafana-as-generic",
        "old-version",
        "no-labels",
        "unknown-status",
        "label-not-text",
        "bad-time",
    ],
)
def test_a_bad_payload_is_a_clear_error_and_changes_nothing(
    repo: git.Repo, tmp_path: Path, content: str | bytes, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "payload.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = refs(repo)
    result = alert(repo, path, *args, "--at", AT)
    assert result.exit_code == 1, result.output
    assert str(path) in result.stderr
    assert message in result.stderr, result.stderr
    assert refs(repo) == before
    assert repo.active_branch.name == "main"
    assert not repo.is_dirty(untracked_files=True)


def test_an_unknown_source_is_a_usage_error(repo: git.Repo) -> None:
    result = alert(repo, DATA / "grafana-firing.json", "--source", "datadog")
    assert result.exit_code == 2
    assert "'datadog' is not one of 'alertmanager', 'generic', 'grafana'" in result.output


def test_outside_a_git_repository_is_a_clear_error(make_repo: RepoWriter) -> None:
    root = make_repo({}, components=COMPONENTS)
    result = CliRunner().invoke(
        main, ["alert", "--root", str(root), str(DATA / "generic-firing.json")]
    )
    assert result.exit_code == 1
    assert "is not in a git repository" in result.output
    assert list((root / "incidents").iterdir()) == []


# Following the incident ------------------------------------------------------------------


def opened(repo: git.Repo) -> Path:
    assert alert(repo, DATA / "alertmanager-firing.json", "--at", AT).exit_code == 0
    return root_of(repo) / "incidents" / f"{API_INCIDENT}.md"


def test_a_new_alert_that_changes_no_status_is_only_recorded(
    repo: git.Repo, tmp_path: Path
) -> None:
    path = opened(repo)
    document = json.loads((DATA / "alertmanager-firing.json").read_text(encoding="utf-8"))
    third = dict(document["alerts"][0], fingerprint="3c52dc93eec4b43f")
    third["labels"] = dict(third["labels"], instance="https://api-eu.example.com")
    document["alerts"].append(third)
    result = alert(repo, payload(tmp_path, document), "--at", "2026-11-30 13:30 UTC")
    assert result.exit_code == 0, result.output
    (incident,) = valid(repo)
    assert incident.alerts == ("1a30ba71cca2921f", "2b41cb82ddb3a32e", "3c52dc93eec4b43f")
    assert len(incident.updates) == 1
    assert frontmatter(path)["components"] == {
        "api": "major_outage",
        "webhooks": "degraded_performance",
    }
    before = refs(repo)
    assert "Nothing to change" in alert(repo, payload(tmp_path, document), "--at", AT).stderr
    assert refs(repo) == before


def latest(repository: git.Repo) -> Update:
    (incident,) = valid(repository)
    return max(incident.updates, key=lambda u: u.at)


def test_a_partial_recovery_is_an_update_with_its_bracket(repo: git.Repo) -> None:
    """The webhooks alert resolves, the API one still fires: an ``update`` sets webhooks
    operational in its heading, with the alert-changed template; a replay adds nothing."""
    path = opened(repo)
    result = alert(repo, DATA / "alertmanager-partly-resolved.json", "--at", "2026-11-30 13:40 UTC")
    assert result.exit_code == 0, result.output
    assert "## 2026-11-30 13:40 UTC — update [webhooks: operational]\n" in path.read_text(
        encoding="utf-8"
    )
    update = latest(repo)
    assert update.status is IncidentStatus.UPDATE
    assert dict(update.changes) == {"webhooks": ComponentStatus.OPERATIONAL}
    assert update.body.startswith("The impact on API and Webhooks has changed:")
    assert "Webhooks: Degraded performance → Operational" in update.body
    assert repo.active_branch.name == f"status/{API_INCIDENT}"
    assert (
        "Nothing to change"
        in alert(
            repo, DATA / "alertmanager-partly-resolved.json", "--at", "2026-11-30 13:50 UTC"
        ).stderr
    )
    assert len(valid(repo)[0].updates) == 2


def test_resolved_alerts_propose_monitoring_with_every_component_operational(
    repo: git.Repo,
) -> None:
    """Resolving stays a person's decision: the alerts only say the components recover."""
    path = opened(repo)
    partly = alert(repo, DATA / "alertmanager-partly-resolved.json", "--at", "2026-11-30 13:40 UTC")
    assert partly.exit_code == 0, partly.output
    result = alert(repo, DATA / "alertmanager-resolved.json", "--at", "2026-11-30 14:00 UTC")
    assert result.exit_code == 0, result.output
    assert "## 2026-11-30 14:00 UTC — monitoring [api: operational]\n" in path.read_text(
        encoding="utf-8"
    )
    update = latest(repo)
    assert update.status is IncidentStatus.MONITORING
    assert update.body.startswith("A fix has been deployed")
    before = refs(repo)
    assert (
        "Nothing to change"
        in alert(repo, DATA / "alertmanager-resolved.json", "--at", "2026-11-30 14:10 UTC").stderr
    )
    assert refs(repo) == before


def test_all_resolved_at_once_sets_both_components_operational(repo: git.Repo) -> None:
    path = opened(repo)
    result = alert(repo, DATA / "alertmanager-resolved.json", "--at", "2026-11-30 14:00 UTC")
    assert result.exit_code == 0, result.output
    assert (
        "## 2026-11-30 14:00 UTC — monitoring [api: operational, webhooks: operational]\n"
        in path.read_text(encoding="utf-8")
    )


def test_a_worse_severity_is_an_update_and_new_fingerprints_are_recorded(
    repo: git.Repo, tmp_path: Path
) -> None:
    path = opened(repo)
    document = json.loads((DATA / "alertmanager-firing.json").read_text(encoding="utf-8"))
    worse = dict(document["alerts"][1], fingerprint="4d63ed04ffc5c43a")
    worse["labels"] = dict(worse["labels"], severity="critical")
    document["alerts"].append(worse)
    result = alert(repo, payload(tmp_path, document), "--at", "2026-11-30 13:30 UTC")
    assert result.exit_code == 0, result.output
    assert "## 2026-11-30 13:30 UTC — update [webhooks: major_outage]\n" in path.read_text(
        encoding="utf-8"
    )
    (incident,) = valid(repo)
    assert incident.alerts == ("1a30ba71cca2921f", "2b41cb82ddb3a32e", "4d63ed04ffc5c43a")
    before = refs(repo)
    assert (
        "Nothing to change"
        in alert(repo, payload(tmp_path, document), "--at", "2026-11-30 13:40 UTC").stderr
    )
    assert refs(repo) == before
