"""Lighthouse scores (npm ``lighthouse@12.2.3``) with Debian's Chromium.

Installed with npm into ``.cache/npm`` on first use (the npm registry is reachable; no
browser is downloaded: ``CHROME_PATH`` points Lighthouse at /usr/bin/chromium).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from benchmarks.weight import CHROMIUM, CHROMIUM_ARGS

VERSION = "12.2.3"
PREFIX = Path(__file__).resolve().parent.parent / ".cache" / "npm"
BINARY = PREFIX / "node_modules" / ".bin" / "lighthouse"


def ensure_lighthouse() -> Path:
    package = PREFIX / "node_modules" / "lighthouse" / "package.json"
    if not package.is_file() or json.loads(package.read_text())["version"] != VERSION:
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(PREFIX),
                f"lighthouse@{VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return BINARY


def scores(url: str) -> dict[str, int]:
    """Performance and accessibility of ``url`` (0 to 100), mobile emulation."""
    binary = ensure_lighthouse()
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={flags}",
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    report = json.loads(result.stdout)
    return {name: round(category["score"] * 100) for name, category in report["categories"].items()}
