"""A second baseline: a one-template Hugo site of the same N pages, when ``hugo`` is installed.

Hugo is the fastest static generator in common use; one template and no theme is the
floor that any generator of the same pages can be compared with. Its Markdown is the
same text as the MkDocs baseline's (benchmarks/baseline.py).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from benchmarks.synthetic import text

CONFIG = """\
baseURL = "https://baseline.example.com/"
title = "Baseline"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
SINGLE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
LIST = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1></main></body></html>
"""


def hugo() -> str | None:
    """The ``hugo`` command, or None when it is not installed."""
    return shutil.which("hugo")


def write_hugo_site(root: Path, pages: int, *, seed: int = 1) -> Path:
    """Write the Hugo project into ``root`` and return ``root``."""
    rng = random.Random(seed)
    content = root / "content" / "incidents"
    content.mkdir(parents=True, exist_ok=True)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
    (root / "content" / "_index.md").write_text("---\ntitle: Baseline\n---\n", encoding="utf-8")
    for number in range(pages):
        updates = "\n\n".join(f"## Update {n}\n\n{text(rng, 40)}" for n in range(3))
        (content / f"page-{number}.md").write_text(
            f"---\ntitle: {text(rng, 6)!r}\n---\n\n{updates}\n", encoding="utf-8"
        )
    return root
