"""npm packages the tests run (the Nu HTML Checker, ical.js), installed on first use into
``.cache/npm`` (git-ignored) at the version a test names, without running their install
scripts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.browser import PROJECT

NPM_PREFIX = PROJECT / ".cache" / "npm"


class NpmMissing(Exception):
    """npm is not installed: each test says what that means for it."""


def npm_package(name: str, version: str) -> Path:
    """The folder of npm package ``name`` at ``version`` in .cache/npm, installed if it
    is missing or at another version.

    :raises NpmMissing: when npm is not found.
    """
    package = NPM_PREFIX / "node_modules" / name
    manifest = package / "package.json"
    if (
        manifest.is_file()
        and json.loads(manifest.read_text(encoding="utf-8")).get("version") == version
    ):
        return package
    npm = shutil.which("npm")
    if npm is None:
        raise NpmMissing(name)
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    command = [
        npm,
        "install",
        "--prefix",
        str(NPM_PREFIX),
        "--no-audit",
        "--no-fund",
        "--save-exact",
        # vnu-jar's postinstall script would download a Java runtime: the system's is used.
        "--ignore-scripts",
        f"{name}@{version}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0 or not manifest.is_file():
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return package
