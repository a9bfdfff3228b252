"""The baseline: a plain MkDocs + Material project of N Markdown pages, out of the nav.

The same number of pages as a statusgen site of N incidents, with the same text
lengths, built by MkDocs itself: what statusgen's build is compared with.
"""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.synthetic import text

MKDOCS_YML = """\
site_name: Baseline
site_url: https://baseline.example.com/
theme:
  name: material
  font: false
plugins: []
nav:
  - index.md
"""


def write_baseline(root: Path, pages: int, *, seed: int = 1) -> Path:
    """Write the project into ``root``; returns its mkdocs.yml."""
    rng = random.Random(seed)
    docs = root / "docs"
    (docs / "incidents").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Baseline\n\nOverview.\n", encoding="utf-8")
    for number in range(pages):
        updates = "\n\n".join(f"## Update {n}\n\n{text(rng, 40)}" for n in range(3))
        (docs / "incidents" / f"page-{number}.md").write_text(
            f"# {text(rng, 6)}\n\n{updates}\n", encoding="utf-8"
        )
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML, encoding="utf-8")
    return config
