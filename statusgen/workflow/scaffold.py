"""``statusgen init``: a new status repository, ready to push.

The files come from the ``scaffold/`` folder of the package; the example incident and
the message templates are written for the day and language of the new repository.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import format_timestamp
from statusgen.workflow.message_templates import DEFAULTS_DIR, TEMPLATES_DIR

SCAFFOLD_DIR = Path(__file__).parent / "scaffold_files"
# Stored without their dot in the package, so that they do not act on this repository.
RENAMED = {"gitignore": ".gitignore"}

EXAMPLE_INCIDENT = """\
---
title: Welcome to our new status page
impact: none
components: [website]
---

## {at} — resolved
This is an example incident: delete `incidents/{id}.md` before you publish the page.
"""


def template_languages() -> list[str]:
    """The languages statusgen has default message templates in."""
    return sorted(p.name for p in DEFAULTS_DIR.iterdir() if p.is_dir())


def init_repository(
    target: Path, *, force: bool = False, language: str = "en", now: datetime | None = None
) -> list[Path]:
    """Write a new status repository into ``target`` and return the files written.

    ``language`` is the site's (``theme.language``) and that of the message templates
    copied into ``templates/``; one of :func:`template_languages`.

    :raises StatusgenError: when a file would be overwritten and ``force`` is false;
        nothing is written then.
    """
    moment = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    example_id = f"{moment:%Y-%m-%d}-welcome"
    files: dict[Path, bytes] = {}
    for source in sorted(SCAFFOLD_DIR.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            relative = source.relative_to(SCAFFOLD_DIR)
            name = RENAMED.get(relative.name, relative.name)
            files[target / relative.parent / name] = source.read_bytes()
    if language not in template_languages():
        raise StatusgenError(
            f"no message templates in '{language}': use one of {', '.join(template_languages())}"
        )
    mkdocs = target / "mkdocs.yml"
    files[mkdocs] = files[mkdocs].replace(b"language: en ", f"language: {language} ".encode())
    for template in sorted((DEFAULTS_DIR / language).glob("*.md")):
        files[target / TEMPLATES_DIR / template.name] = template.read_bytes()
    example = EXAMPLE_INCIDENT.format(at=format_timestamp(moment), id=example_id)
    files[target / "incidents" / f"{example_id}.md"] = example.encode()

    existing = sorted(p for p in files if p.exists())
    if existing and not force:
        listed = "\n".join(f"  {p}" for p in existing)
        raise StatusgenError(
            f"these files exist already; nothing was written (use --force to overwrite):\n{listed}"
        )
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sorted(files)
