"""The distributions a release publishes: built as the release workflow builds them
(python -m build), checked by twine, with the metadata the package index shows."""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path

import pytest

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


def test_the_installed_wheel_builds_a_site_from_another_folder(dist: Path, tmp_path: Path) -> None:
    """A fresh virtual environment with only the wheel (and its dependencies) builds the
    example site, from a folder that is not the project, byte for byte as the checkout
    does: nothing is read from the source tree."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    (wheel,) = dist.glob("*.whl")
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stderr
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
        (str(venv / "bin" / "statusgen"), tmp_path / "from-wheel"),
        (str(Path(sys.executable).parent / "statusgen"), tmp_path / "from-checkout"),
    ):
        result = subprocess.run(
            [command, "build", "--root", str(site), "--site-dir", str(target), *now],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
    from_wheel = _contents(tmp_path / "from-wheel")
    assert "index.html" in from_wheel
    assert "api/v2/summary.json" in from_wheel
    assert from_wheel == _contents(tmp_path / "from-checkout")


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
