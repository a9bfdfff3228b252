"""A generator of realistic synthetic status repositories, for benchmarks.

``python -m benchmarks.synthetic DIR N`` writes a repository with N incidents and
maintenances spread over several years across dozens of components, with the usual
numbers of updates, text lengths and postmortems.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

STATUSES = ("investigating", "identified", "monitoring")
COMPONENT_STATUSES = ("degraded_performance", "partial_outage", "major_outage")
IMPACTS = ("none", "minor", "major", "critical")
WORDS = [
    "we",
    "are",
    "investigating",
    "elevated",
    "error",
    "rates",
    "on",
    "requests",
    "to",
    "the",
    "service",
    "affected",
    "customers",
    "may",
    "see",
    "timeouts",
    "a",
    "fix",
    "has",
    "been",
    "deployed",
    "and",
    "we",
    "are",
    "monitoring",
    "the",
    "results",
    "the",
    "issue",
    "was",
    "caused",
    "by",
    "a",
    "configuration",
    "change",
    "in",
    "the",
    "load",
    "balancer",
    "pool",
    "which",
    "has",
    "been",
    "rolled",
    "back",
]


MKDOCS_YML = """\
site_name: Synthetic status
site_url: https://status.example.com/
docs_dir: pages
theme:
  name: material
plugins:
  - statusgen
"""


def text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def write_repository(root: Path, count: int, *, components: int = 40, seed: int = 1) -> None:
    """Write a status repository with ``count`` events under ``root``."""
    rng = random.Random(seed)
    (root / "incidents").mkdir(parents=True, exist_ok=True)
    groups = [f"group-{g}" for g in range(components // 8 or 1)]
    lines = ["groups:"]
    lines += [f"  - id: {g}\n    name: Group {g[6:]}" for g in groups]
    lines.append("components:")
    ids = [f"component-{c}" for c in range(components)]
    for index, component_id in enumerate(ids):
        lines.append(
            f"  - id: {component_id}\n    name: Component {index}\n"
            f"    group: {groups[index % len(groups)]}"
        )
    (root / "components.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "pages").mkdir(exist_ok=True)

    end = datetime(2026, 11, 1, tzinfo=UTC)
    span = timedelta(days=365 * 8)
    for number in range(count):
        start = end - span + span * number / count + timedelta(minutes=rng.randrange(600))
        event_id = f"{start:%Y-%m-%d}-event-{number}"
        folder = root / "incidents" / f"{start:%Y}"
        folder.mkdir(exist_ok=True)
        affected = rng.sample(ids, rng.randint(1, 3))
        if number % 10 == 9:
            body = _maintenance(rng, start, affected)
        else:
            body = _incident(rng, start, affected)
        (folder / f"{event_id}.md").write_text(body, encoding="utf-8")


def _incident(rng: random.Random, start: datetime, affected: list[str]) -> str:
    mapping = "\n".join(f"  {c}: {rng.choice(COMPONENT_STATUSES)}" for c in affected)
    updates = []
    moment = start
    for status in (*STATUSES[: rng.randint(1, 3)], "resolved"):
        updates.append(f"## {moment:%Y-%m-%d %H:%M} UTC — {status}\n{text(rng, 40)}\n")
        moment += timedelta(minutes=rng.randint(5, 90))
    postmortem = ""
    if rng.random() < 0.1:
        postmortem = "\n# Postmortem\n\n## Summary\n" + text(rng, 300) + "\n"
    return (
        f"---\ntitle: {text(rng, 6)}\nimpact: {rng.choice(IMPACTS)}\ncomponents:\n{mapping}\n"
        f"---\n\n" + "\n".join(reversed(updates)) + postmortem
    )


def _maintenance(rng: random.Random, start: datetime, affected: list[str]) -> str:
    window_end = start + timedelta(hours=2)
    announced = start - timedelta(days=7)
    listing = "\n".join(f"  - {c}" for c in affected)
    return (
        f"---\ntitle: {text(rng, 5)}\ntype: maintenance\n"
        f"scheduled_start: {start:%Y-%m-%d %H:%M} UTC\n"
        f"scheduled_end: {window_end:%Y-%m-%d %H:%M} UTC\n"
        f"components:\n{listing}\n---\n\n"
        f"## {window_end:%Y-%m-%d %H:%M} UTC — completed\n{text(rng, 20)}\n\n"
        f"## {start:%Y-%m-%d %H:%M} UTC — in progress\n{text(rng, 20)}\n\n"
        f"## {announced:%Y-%m-%d %H:%M} UTC — scheduled\n{text(rng, 30)}\n"
    )


if __name__ == "__main__":
    write_repository(Path(sys.argv[1]), int(sys.argv[2]))
