"""The distributions a release publishes: built as the release workflow builds them
(python -m build), checked by twine, with the metadata the package index shows."""

from __future__ import annotations

import email
import json
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from packaging.requirements import Requirement

from tests.conftest import COMPONENTS_YML, init_git
from tests.test_new_repository import MINIMAL_MKDOCS

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(PROJECT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


def wheel_metadata(dist: Path) -> Message:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def test_twine_accepts_both_distributions(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"]
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_the_metadata_is_what_the_index_shows(dist: Path) -> None:
    metadata = wheel_metadata(dist)
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert metadata["Author"]
    assert "status page" in metadata["Keywords"]
    classifiers = metadata.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert "Framework :: MkDocs" in classifiers
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert {"Repository", "Documentation", "Issues"} <= set(urls)
    # The README's links work on the index: none is relative any more.
    readme = metadata.get_payload()
    assert isinstance(readme, str)
    assert "](docs/" not in readme
    assert f"]({urls['Repository']}/blob/main/docs/site.md)" in readme
    assert 'src="docs/' not in readme
    raw = urls["Repository"].replace("github.com", "raw.githubusercontent.com")
    assert f'src="{raw}/main/docs/screenshots/overview-desktop-light.png"' in readme


def test_the_build_backend_floor_supports_the_license_expression() -> None:
    """hatchling writes License-Expression (PEP 639) from 1.27 on; 1.24 fails on it."""
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    (backend,) = [
        Requirement(r)
        for r in pyproject["build-system"]["requires"]
        if Requirement(r).name == "hatchling"
    ]
    assert not backend.specifier.contains("1.26.3")
    assert backend.specifier.contains("1.27.0")


def test_the_license_is_the_whole_mit_text_in_both(dist: Path) -> None:
    license_text = (PROJECT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n\nCopyright (c) ")
    assert "Permission is hereby granted, free of charge" in license_text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in license_text
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(licence).decode() == license_text
        # What init and a build need at run time is in the wheel.
        assert "statusgen/site/no_docs/.keep" in names
        assert "statusgen/workflow/scaffold_files/.github/workflows/deploy.yml" in names
        assert "statusgen/render/locales/fr/LC_MESSAGES/statusgen.po" in names
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"{sdist.name.removesuffix('.tar.gz')}/LICENSE")
        assert member is not None
        assert member.read().decode() == license_text


def test_the_wheel_holds_every_file_of_the_package(dist: Path) -> None:
    """Templates, locales, message templates, scaffold files and scenarios: every file of
    the package's folder (but compiled bytecode) is in the wheel, at the same path."""
    files = [
        path.relative_to(PROJECT).as_posix()
        for path in sorted((PROJECT / "statusgen").rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    data = [path for path in files if not path.endswith(".py")]
    for folder in (
        "statusgen/render/templates/",
        "statusgen/render/locales/",
        "statusgen/workflow/default_message_templates/",
        "statusgen/workflow/scaffold_files/",
    ):
        assert any(path.startswith(folder) for path in data), folder
    missing = sorted(path for path in files if path not in names)
    assert not missing, missing


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with only the wheel (and its
    dependencies) installed."""
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    (wheel,) = dist.glob("*.whl")
    result = run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, timeout=900)
    assert result.returncode == 0, result.stderr
    return venv / "bin"


def run(*command: str | Path, cwd: Path | None = None, timeout: int = 600) -> CompletedProcess[str]:
    """A command as a process of its own, its output captured; never the checkout's
    statusgen unless named (the environment's PATH is not changed)."""
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def test_the_installed_wheel_builds_a_site_from_another_folder(
    installed: Path, tmp_path: Path
) -> None:
    """The wheel builds the example site from a folder that is not the project, byte for
    byte as the checkout does: nothing is read from the source tree."""
    site = tmp_path / "status"
    site.mkdir()
    for name in ("components.yml", "mkdocs.yml", "incidents", "pages", "theme"):
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        elif source.exists():
            shutil.copy2(source, site / name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    now = ("--now", "2026-11-30 12:00 UTC")
    for command, target in (
        (installed / "statusgen", tmp_path / "from-wheel"),
        (Path(sys.executable).parent / "statusgen", tmp_path / "from-checkout"),
    ):
        result = run(command, "build", "--root", site, "--site-dir", target, *now, cwd=elsewhere)
        assert result.returncode == 0, result.stderr
    from_wheel = _contents(tmp_path / "from-wheel")
    assert "index.html" in from_wheel
    assert "api/v2/summary.json" in from_wheel
    assert from_wheel == _contents(tmp_path / "from-checkout")


def test_a_new_user_installs_inits_and_builds_from_the_wheel(dist: Path, tmp_path: Path) -> None:
    """As the scaffold's README says, before any release: `statusgen init --from WHEEL`
    in a new git repository whose branch is not main, then its install command
    (`python3 -m venv .venv && .venv/bin/pip install -r requirements.txt`), validate,
    a first incident with --commit, and a build."""
    (wheel,) = dist.glob("*.whl")
    repo = tmp_path / "status"
    git_repo = init_git(repo, branch="trunk")
    bootstrap = tmp_path / "bootstrap"
    subprocess.run([sys.executable, "-m", "venv", str(bootstrap)], check=True, timeout=300)
    assert run(bootstrap / "bin" / "pip", "install", "-q", wheel, timeout=900).returncode == 0

    init = run(bootstrap / "bin" / "statusgen", "init", "--from", wheel, cwd=repo)

    assert init.returncode == 0, init.stderr
    assert "The workflows publish the branch 'trunk'" in init.stderr
    assert "branches: [trunk]" in (repo / ".github/workflows/deploy.yml").read_text()
    requirements = (repo / "requirements.txt").read_text(encoding="utf-8")
    assert f"statusgen @ {wheel.as_uri()}" in requirements.splitlines()
    subprocess.run([sys.executable, "-m", "venv", str(repo / ".venv")], check=True, timeout=300)
    pip = run(
        repo / ".venv/bin/pip", "install", "-q", "-r", "requirements.txt", cwd=repo, timeout=900
    )
    assert pip.returncode == 0, pip.stderr
    # The scaffold's .gitignore keeps the README's venv out of every commit.
    assert ".venv" not in git_repo.git.status("--porcelain")
    assert "!! .venv/" in git_repo.git.status("--porcelain", "--ignored").splitlines()
    bin_ = repo / ".venv" / "bin"

    validated = run(bin_ / "statusgen", "validate", cwd=repo)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    new = run(
        bin_ / "statusgen",
        "new",
        "Slow website",
        "--component",
        "website=degraded_performance",
        "--message",
        "Pages load slowly.",
        "--commit",
        cwd=repo,
    )
    assert new.returncode == 0, new.stderr
    built = run(bin_ / "statusgen", "build", cwd=repo)

    assert built.returncode == 0, built.stderr
    site = repo / "site"
    summary = json.loads((site / "api/v2/summary.json").read_text(encoding="utf-8"))
    assert summary["status"]["indicator"] != "none"
    assert [i["name"] for i in summary["incidents"]] == ["Slow website"]
    assert {c["status"] for c in summary["components"]} >= {"degraded_performance"}
    assert "Slow website" in (site / "index.html").read_text(encoding="utf-8")
    assert "Slow website" in (site / "feed.atom").read_text(encoding="utf-8")
    assert (site / "maintenance.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert not (site / ".keep").exists()

    on_main = tmp_path / "on-main"
    init_git(on_main)
    init = run(bin_ / "statusgen", "init", on_main)
    assert init.returncode == 0, init.stderr
    assert "publish the branch" not in init.stderr
    assert "branches: [main]" in (on_main / ".github/workflows/deploy.yml").read_text()
    built = run(bin_ / "statusgen", "build", "--root", on_main)
    assert built.returncode == 0, built.stderr
    assert (on_main / "site" / "index.html").is_file()


def test_the_wheel_builds_a_minimal_mkdocs_yml(installed: Path, tmp_path: Path) -> None:
    """The issue's minimal configuration without docs/ folder, built by the installed
    statusgen; MkDocs with the installed plugin builds it once docs/ exists (MkDocs checks
    docs_dir before any plugin runs: docs/site.md). Without components.yml, both say to
    run init."""
    root = tmp_path / "minimal"
    (root / "incidents").mkdir(parents=True)
    (root / "components.yml").write_text(COMPONENTS_YML, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS, encoding="utf-8")

    for program in ("statusgen", "mkdocs"):
        if program == "mkdocs":
            (root / "docs").mkdir()
        shutil.rmtree(root / "site", ignore_errors=True)
        result = run(installed / program, "build", cwd=root)
        assert result.returncode == 0, (program, result.stderr)
        assert "Minimal Status" in (root / "site" / "index.html").read_text(encoding="utf-8")
        assert (root / "site" / "api" / "v2" / "summary.json").is_file()

    (root / "components.yml").unlink()
    for program in ("statusgen", "mkdocs"):
        # statusgen build replaces only a site folder it wrote, not MkDocs' one.
        shutil.rmtree(root / "site", ignore_errors=True)
        result = run(installed / program, "build", cwd=root)
        output = result.stdout + result.stderr
        assert result.returncode == 1, (program, output)
        assert "components.yml: not found" in output, program
        assert "statusgen init" in output, program
        assert "Traceback" not in output, program


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
