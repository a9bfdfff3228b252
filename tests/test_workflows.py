"""The GitHub workflows of this repository and of ``statusgen init``, and the pre-commit hook.

Every workflow is linted with actionlint (with shellcheck on each ``run:`` script) and
audited with zizmor, offline so that the result does not depend on the network; neither
may report anything. The rest checks the promises that the linters do not know about:
actions pinned to full commit SHAs with their version, the same version of an action
everywhere, least-privilege permissions, the deployment schedule, the checkout settings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import statusgen
from statusgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
REPO_WORKFLOWS = ROOT / ".github" / "workflows"
SCAFFOLD = ROOT / "statusgen" / "workflow" / "scaffold_files"
SCAFFOLD_WORKFLOWS = SCAFFOLD / ".github" / "workflows"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

EXPECTED = {
    REPO_WORKFLOWS: {"pull-request.yml", "deploy.yml", "tests.yml", "alert.yml", "release.yml"},
    SCAFFOLD_WORKFLOWS: {"pull-request.yml", "deploy.yml", "alert.yml"},
}
WORKFLOWS = sorted(path for folder in EXPECTED for path in folder.glob("*.y*ml"))
IDS = [str(path.relative_to(ROOT)) for path in WORKFLOWS]

# Every permission a job may be granted beyond reading the repository, and where.
WRITE_PERMISSIONS = {
    (".github/workflows/pull-request.yml", "comment", "pull-requests"),
    (".github/workflows/deploy.yml", "deploy", "pages"),
    (".github/workflows/deploy.yml", "deploy", "id-token"),
    (
        "statusgen/workflow/scaffold_files/.github/workflows/pull-request.yml",
        "comment",
        "pull-requests",
    ),
    ("statusgen/workflow/scaffold_files/.github/workflows/deploy.yml", "deploy", "pages"),
    ("statusgen/workflow/scaffold_files/.github/workflows/deploy.yml", "deploy", "id-token"),
    # Assumes the AWS role through GitHub's OIDC provider: no stored AWS key.
    ("statusgen/workflow/scaffold_files/.github/workflows/deploy.yml", "mirror-s3", "id-token"),
    # The same, for the restricted view's bucket.
    (
        "statusgen/workflow/scaffold_files/.github/workflows/deploy.yml",
        "restricted-view",
        "id-token",
    ),
    # Pushes the notification ledger (branch statusgen/notifications), nothing else.
    (".github/workflows/deploy.yml", "notify", "contents"),
    ("statusgen/workflow/scaffold_files/.github/workflows/deploy.yml", "notify", "contents"),
    # Trusted publishing on PyPI: the run's OIDC token is the credential.
    (".github/workflows/release.yml", "publish", "id-token"),
    # Pushes the branch status/<id> that alerts propose, and opens its pull request.
    (".github/workflows/alert.yml", "propose", "contents"),
    (".github/workflows/alert.yml", "propose", "pull-requests"),
    ("statusgen/workflow/scaffold_files/.github/workflows/alert.yml", "propose", "contents"),
    ("statusgen/workflow/scaffold_files/.github/workflows/alert.yml", "propose", "pull-requests"),
}

# `uses: owner/repo[/path]@<40 hex> # v1.2.3`, as written on one line.
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*?))?\s*$")
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})$")
VERSION = re.compile(r"^v\d+\.\d+\.\d+$")


def tool(name: str) -> str:
    """A linter installed with the test dependencies (``pip install -e '.[test]'``)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' installs it")
    return found


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), path
    return document


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The ``on:`` mapping (YAML 1.1 reads the bare key ``on`` as true)."""
    value = workflow.get("on", workflow.get(True))
    assert isinstance(value, dict), "triggers are written as a mapping"
    return value


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_scripts(workflow: dict[str, Any]) -> str:
    return "\n".join(step["run"] for step in steps(workflow) if "run" in step)


def uses_lines(path: Path) -> list[tuple[str, str | None]]:
    """Each ``uses:`` of the file as written: the reference and its trailing comment."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        match = USES_LINE.match(line)
        if match:
            found.append((match["ref"], match["comment"]))
    return found


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            tool("actionlint"),
            "-no-color",
            "-format",
            "{{json .}}",
            f"-shellcheck={tool('shellcheck')}",
            *(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in paths),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    # --offline: no audit that needs GitHub's API (whose answers change over time);
    # --no-config: nothing can be silenced by a configuration file, only by a visible
    # `# zizmor: ignore[...]` comment next to the line, with its reason.
    return subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-config",
            "--strict-collection",
            "--no-progress",
            "--format",
            "json",
            *(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in paths),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_workflow_is_there() -> None:
    for folder, names in EXPECTED.items():
        assert {p.name for p in folder.glob("*.y*ml")} == names, folder


def test_actionlint_reports_nothing() -> None:
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout or "[]") == []


def test_zizmor_reports_nothing() -> None:
    result = zizmor(REPO_WORKFLOWS, SCAFFOLD_WORKFLOWS, HOOKS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
    audited = set(re.findall(r"completed (\S+)", result.stderr))
    assert audited == {str(p.relative_to(ROOT)) for p in [*WORKFLOWS, HOOKS]}, result.stderr


def test_the_linters_do_find_problems(tmp_path: Path) -> None:
    """A control: both tools, as called above, report a workflow with known faults."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v5\n"
        "      - run: echo ${{ github.event.pull_request.title }} $UNQUOTED\n",
        encoding="utf-8",
    )
    linted = actionlint(bad)
    assert linted.returncode != 0
    kinds = {error["kind"] for error in json.loads(linted.stdout)}
    assert {"expression", "shellcheck"} <= kinds, linted.stdout
    audited = zizmor(bad.parent)
    rules = {finding["ident"] for finding in json.loads(audited.stdout)}
    assert {"template-injection", "unpinned-uses", "artipacked"} <= rules, rules


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_actions_are_pinned_to_a_commit_with_its_version(path: Path) -> None:
    written = uses_lines(path)
    declared = [step["uses"] for step in steps(load(path)) if "uses" in step]
    assert [ref for ref, _ in written] == declared, "every uses: is on a line of its own"
    for ref, comment in written:
        assert PINNED.match(ref), f"{ref}: pin a full 40-hex commit SHA"
        assert comment is not None, f"{ref}: add the version as a comment (# v1.2.3)"
        assert VERSION.match(comment), f"{ref}: the comment must be the version, not {comment!r}"


def test_each_action_has_one_version_everywhere() -> None:
    versions: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for path in WORKFLOWS:
        for ref, comment in uses_lines(path):
            match = PINNED.match(ref)
            assert match, ref
            versions[match["action"]].add((match["sha"], comment))
    assert versions, "no action found"
    for action, pins in versions.items():
        assert len(pins) == 1, f"{action} is pinned differently: {sorted(map(str, pins))}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") in ({}, {"contents": "read"}), "top-level permissions"
    relative = str(path.relative_to(ROOT))
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name}: declare its permissions"
        granted = job["permissions"]
        assert isinstance(granted, dict), f"job {name}: list each permission"
        for scope, level in granted.items():
            assert level in ("read", "write"), f"job {name}: {scope}: {level}"
            if level == "write":
                assert (relative, name, scope) in WRITE_PERMISSIONS, f"job {name}: {scope}"
            elif scope != "contents":
                pytest.fail(f"job {name}: {scope}: {level} is not needed")


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_concurrency_and_timeouts(path: Path) -> None:
    workflow = load(path)
    assert workflow["concurrency"]["group"], "a concurrency group"
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, f"job {name}: timeout-minutes"


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_checkout_does_not_keep_the_token(path: Path) -> None:
    checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=IDS)
def test_no_expression_in_a_shell_script(path: Path) -> None:
    """Contexts reach scripts through env:, never pasted into the script's text."""
    assert "${{" not in run_scripts(load(path))


@pytest.mark.parametrize("folder", [REPO_WORKFLOWS, SCAFFOLD_WORKFLOWS], ids=["repo", "scaffold"])
def test_deploy_runs_on_push_every_15_minutes_and_by_hand(folder: Path) -> None:
    workflow = load(folder / "deploy.yml")
    on = triggers(workflow)
    assert on["push"] == {"branches": ["main"]}
    assert {"cron": "*/15 * * * *"} in on["schedule"]
    assert "workflow_dispatch" in on
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    used = [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"actions/{action}" in used
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site/"
    assert "statusgen build" in run_scripts(workflow)
    assert "statusgen remind --format github" in run_scripts(workflow)


@pytest.mark.parametrize("folder", [REPO_WORKFLOWS, SCAFFOLD_WORKFLOWS], ids=["repo", "scaffold"])
def test_pull_request_validates_builds_and_describes(folder: Path) -> None:
    workflow = load(folder / "pull-request.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    check = workflow["jobs"]["check"]
    checkout = next(s for s in check["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "statusgen diff reads the base revision"
    scripts = run_scripts(workflow)
    for command in (
        "statusgen validate --format github",
        "statusgen build --drills",  # the preview shows a drill (docs/drills.md)
        'statusgen diff "origin/$BASE_REF" HEAD',
        "$GITHUB_STEP_SUMMARY",
        "<!-- statusgen-diff -->",  # the marker of the one comment that is edited
        "--method PATCH",
    ):
        assert command in scripts, command
    uploads = {
        s["with"]["name"]: s["with"]["path"]
        for s in steps(workflow)
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads["site"] == "site/"
    comment = workflow["jobs"]["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert "actions/checkout" not in str(comment["steps"]), "the writing job runs no PR code"


@pytest.mark.parametrize("folder", [REPO_WORKFLOWS, SCAFFOLD_WORKFLOWS], ids=["repo", "scaffold"])
def test_alert_turns_a_dispatch_into_a_pull_request(folder: Path) -> None:
    """tests/test_alert_workflow.py runs these scripts; this checks the promises around them."""
    workflow = load(folder / "alert.yml")
    assert triggers(workflow) == {"repository_dispatch": {"types": ["alert"]}}
    assert workflow["concurrency"] == {"group": "alert", "cancel-in-progress": False}
    job = workflow["jobs"]["propose"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "pending status/* branches are read"
    scripts = run_scripts(workflow)
    for command in ('statusgen alert "$@"', 'statusgen diff "origin/$BASE" HEAD', "gh pr create"):
        assert command in scripts, command
    env = next(s for s in job["steps"] if s.get("id") == "alert")["env"]
    assert env["PAYLOAD"] == "${{ toJSON(github.event.client_payload.payload) }}"


def test_this_repository_installs_statusgen_from_the_checkout() -> None:
    for name in ("pull-request.yml", "deploy.yml", "alert.yml"):
        scripts = run_scripts(load(REPO_WORKFLOWS / name)).splitlines()
        assert "python -m pip install --disable-pip-version-check ." in scripts
    assert run_scripts(load(REPO_WORKFLOWS / "tests.yml")).strip() == "./scripts/test"
    python = load(REPO_WORKFLOWS / "pull-request.yml")["jobs"]["check"]["strategy"]["matrix"]
    assert python["python-version"] == ["3.11", "3.12"]


def test_scaffold_installs_the_pinned_release() -> None:
    requirements = (SCAFFOLD / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in requirements if line and not line.startswith("#")]
    assert pins == [f"statusgen=={statusgen.__version__}"]
    for path in SCAFFOLD_WORKFLOWS.glob("*.yml"):
        scripts = run_scripts(load(path))
        assert "pip install --disable-pip-version-check -r requirements.txt" in scripts
        assert "pip install ." not in scripts


def test_scaffold_deploy_documents_and_gates_the_second_host() -> None:
    text = (SCAFFOLD_WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    assert "A SECOND, INDEPENDENT HOST" in text
    jobs = load(SCAFFOLD_WORKFLOWS / "deploy.yml")["jobs"]
    for name, variable in (
        ("mirror-netlify", "NETLIFY_SITE_ID"),
        ("mirror-cloudflare", "CLOUDFLARE_PAGES_PROJECT"),
        ("mirror-s3", "AWS_S3_BUCKET"),
    ):
        job = jobs[name]
        assert job["needs"] == "build", "the same build, not a second one"
        assert job["if"] == f"vars.{variable} != ''", "skipped until configured"
        assert job["environment"] == "status-mirror", "its secrets live in an environment"
        assert variable in text.split("name: Deploy")[0], f"the header explains {variable}"
        assert any(s.get("with", {}).get("name") == "github-pages" for s in job["steps"])


def test_scaffold_deploy_can_publish_a_restricted_view_behind_sign_in() -> None:
    text = (SCAFFOLD_WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    header = text.split("name: Deploy")[0]
    assert "A RESTRICTED VIEW BEHIND SIGN-IN" in header
    job = load(SCAFFOLD_WORKFLOWS / "deploy.yml")["jobs"]["restricted-view"]
    assert job["if"] == "vars.STATUSGEN_RESTRICTED_AUDIENCE != ''", "skipped until configured"
    assert job["environment"] == "status-restricted"
    scripts = run_scripts({"jobs": {"restricted-view": job}})
    assert 'statusgen build --audience "$AUDIENCE" --site-dir restricted' in scripts
    assert "site/" not in scripts, "never where the public site goes"
    for variable in (
        "RESTRICTED_CLOUDFLARE_PAGES_PROJECT",
        "RESTRICTED_NETLIFY_SITE_ID",
        "RESTRICTED_AWS_S3_BUCKET",
    ):
        assert variable in header, f"the header explains {variable}"
        assert any(variable in str(s.get("if", "")) for s in job["steps"]), variable


def test_pre_commit_hook_runs_a_real_command(monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["statusgen-validate"]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    command, *arguments = hook["entry"].split()
    scripts = {
        entry.name: entry.value
        for entry in distribution("statusgen").entry_points
        if entry.group == "console_scripts"
    }
    assert scripts.get(command) == "statusgen.cli:main"
    files = re.compile(hook["files"])
    for changed in ("components.yml", "mkdocs.yml", "incidents/a.md", "incidents/2026/b.md"):
        assert files.search(changed), changed
    for unrelated in ("README.md", "theme/main.html", "incidents/notes.txt", "x/components.yml"):
        assert not files.search(unrelated), unrelated
    # What the hook runs passes on this repository's example site.
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output


def test_release_builds_checks_and_publishes_a_version_tag() -> None:
    workflow = load(REPO_WORKFLOWS / "release.yml")
    assert triggers(workflow) == {"push": {"tags": ["v*"]}}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    script = run_scripts({"jobs": {"build": build}})
    assert "python -m build --sdist --wheel" in script
    assert "twine check --strict" in script
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    publisher = "pypa/gh-action-pypi-publish@"
    (upload,) = [s for s in publish["steps"] if s["uses"].startswith(publisher)]
    # Trusted publishing: no password, no token.
    assert "with" not in upload
    assert "secrets." not in (REPO_WORKFLOWS / "release.yml").read_text(encoding="utf-8")
