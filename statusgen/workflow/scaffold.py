"""``statusgen init``: a new status repository, ready to push.

The files come from the ``scaffold/`` folder of the package; the example incident and
the message templates are written for the day and language of the new repository.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import git

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import format_timestamp
from statusgen.workflow.message_templates import DEFAULTS_DIR, TEMPLATES_DIR, template_languages

SCAFFOLD_DIR = Path(__file__).parent / "scaffold_files"
# Stored without their dot in the package, so that they do not act on this repository.
RENAMED = {"gitignore": ".gitignore"}
# The scaffold's files name the branch that publishes as "main"; they are rewritten for
# the branch of the repository they are written into.
SCAFFOLD_BRANCH = "main"
BRANCH_FILES = ("README.md", ".github/workflows/deploy.yml")
TODAY_MARK = b"__TODAY__"
"""Stands for the day of init in components.yml (``since:``: no uptime data before)."""
REQUIREMENT_MARK = re.compile(rb"^statusgen==\S+$", re.MULTILINE)
"""The requirement line of requirements.txt, written for this statusgen's version."""
URL_SCHEMES = ("http://", "https://", "file://", "git+")

EXAMPLE_INCIDENT = """\
---
title: Welcome to our new status page
impact: none
components: [website]
---

## {at} — resolved
This is an example incident: delete `incidents/{id}.md` before you publish the page.
"""


def current_branch(target: Path) -> str | None:
    """The branch checked out in the git repository holding ``target`` (even one without
    commits yet), or None when there is none or HEAD is detached."""
    folder = next((p for p in (target, *target.parents) if p.is_dir()), None)
    if folder is None:
        return None
    try:
        repo = git.Repo(folder, search_parent_directories=True)
        return repo.head.reference.name
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, TypeError, ValueError):
        return None  # TypeError: detached HEAD


def requirement(source: str) -> str:
    """The requirements.txt line that installs statusgen from ``source``: a wheel, a
    source folder or archive (a path), or a URL (``https://…``, ``git+https://…``).

    :raises StatusgenError: when a path does not exist.
    """
    if source.startswith(URL_SCHEMES):
        return f"statusgen @ {source}"
    path = Path(source).expanduser().resolve()
    if not path.exists():
        raise StatusgenError(
            f"--from {source}: no such file or folder; give a wheel, a statusgen source "
            "folder, or a URL such as git+https://github.com/OWNER/statusgen"
        )
    return f"statusgen @ {path.as_uri()}"


def init_repository(
    target: Path,
    *,
    force: bool = False,
    language: str = "en",
    now: datetime | None = None,
    source: str | None = None,
    branch: str = SCAFFOLD_BRANCH,
) -> list[Path]:
    """Write a new status repository into ``target`` and return the files written.

    ``language`` is the site's (``theme.language``) and that of the message templates
    copied into ``templates/``; one of :func:`template_languages`. ``source``, when
    given, is where requirements.txt installs statusgen from (:func:`requirement`)
    instead of the package index; ``branch`` is the one the workflows publish.

    :raises StatusgenError: when a file would be overwritten and ``force`` is false;
        nothing is written then.
    """
    moment = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    example_id = f"{moment:%Y-%m-%d}-welcome"
    files: dict[Path, bytes] = {}
    for packaged in sorted(SCAFFOLD_DIR.rglob("*")):
        if packaged.is_file() and "__pycache__" not in packaged.parts:
            relative = packaged.relative_to(SCAFFOLD_DIR)
            name = RENAMED.get(relative.name, relative.name)
            files[target / relative.parent / name] = packaged.read_bytes()
    if language not in template_languages():
        raise StatusgenError(
            f"no message templates in '{language}': use one of {', '.join(template_languages())}"
        )
    mkdocs = target / "mkdocs.yml"
    files[mkdocs] = files[mkdocs].replace(b"language: en ", f"language: {language} ".encode())
    components = target / "components.yml"
    files[components] = files[components].replace(TODAY_MARK, f"{moment:%Y-%m-%d}".encode())
    requirements = target / "requirements.txt"
    pinned = f"statusgen=={version('statusgen')}"  # the release that wrote the files
    line = (pinned if source is None else requirement(source)).encode()
    files[requirements] = REQUIREMENT_MARK.sub(lambda _: line, files[requirements])
    if branch != SCAFFOLD_BRANCH:
        for name in BRANCH_FILES:
            files[target / name] = re.sub(
                rf"\b{SCAFFOLD_BRANCH}\b".encode(), lambda _: branch.encode(), files[target / name]
            )
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
