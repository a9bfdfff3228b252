"""Pre-approved update messages: wording written once, calmly, used under pressure.

A template is a Markdown file named after what it says (``investigating.md``). The
status repository's ``templates/`` folder comes first; statusgen's defaults, in the
site's language (English and French), fill in the rest. Placeholders in braces are
replaced when the message is used: ``{title}``, ``{components}``, ``{start}``,
``{end}``, ``{at}``, ``{site}``, ``{next_update}`` (the update's time plus
``update_every``), and ``{changes}`` (the component changes the update makes, in
words: "API: Major outage → Partial outage"); ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from statusgen.core.errors import StatusgenError, did_you_mean, one_of
from statusgen.core.model import IncidentStatus, MaintenanceStatus, UpdateStatus

TEMPLATES_DIR = "templates"
DEFAULTS_DIR = Path(__file__).parent / "default_message_templates"
PLACEHOLDERS = ("title", "components", "start", "end", "at", "site", "next_update", "changes")
#: What a placeholder needs when it may have no value.
_NEEDS = {"next_update": "'update_every' above 0 in mkdocs.yml"}

#: The template used when an update gives neither --message nor --template.
DEFAULT_FOR_STATUS: dict[UpdateStatus, str] = {
    IncidentStatus.INVESTIGATING: "investigating",
    IncidentStatus.IDENTIFIED: "identified",
    IncidentStatus.MONITORING: "monitoring",
    IncidentStatus.RESOLVED: "resolved",
    MaintenanceStatus.SCHEDULED: "maintenance-scheduled",
    MaintenanceStatus.IN_PROGRESS: "maintenance-started",
    MaintenanceStatus.COMPLETED: "maintenance-completed",
}

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    name: str
    path: Path
    origin: str
    """``templates/`` for the repository's own, else ``default (en)`` and the like."""

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8-sig").strip()

    @property
    def summary(self) -> str:
        """Its first line, for listings."""
        first = self.text.splitlines()[0] if self.text else ""
        return first if len(first) <= 72 else first[:71] + "…"


def available_templates(root: Path, language: str) -> dict[str, MessageTemplate]:
    """Every template by name: the repository's, then the defaults in ``language``
    (English where statusgen has no translation)."""
    found = localized_files(root / TEMPLATES_DIR, DEFAULTS_DIR, language)
    return {name: MessageTemplate(name, path, origin) for name, (path, origin) in found.items()}


def localized_files(own: Path, defaults: Path, language: str) -> dict[str, tuple[Path, str]]:
    """Markdown files by name (file name without ``.md``), with where each comes from:
    the repository's folder ``own`` first (``templates/``), then statusgen's
    ``defaults/<language>/`` (``default (fr)``), then ``defaults/en/``. Message templates
    and drill scenarios are found this way."""
    found: dict[str, tuple[Path, str]] = {}
    if own.is_dir():
        for path in sorted(own.glob("*.md")):
            found[path.stem] = (path, f"{own.name}/")
    base = language.split("-")[0].split("_")[0].lower()
    for code in (base, "en"):
        for path in sorted((defaults / code).glob("*.md")):
            found.setdefault(path.stem, (path, f"default ({code})"))
    return found


def render_template(template: MessageTemplate, values: Mapping[str, str]) -> str:
    """The template's text with its placeholders filled in.

    :raises StatusgenError: for an unknown placeholder, naming the known ones.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1).strip()
        if name in _NEEDS and name not in values:
            raise StatusgenError(
                f"{template.path}: '{{{name}}}' needs {_NEEDS[name]}: set it, give "
                "--message, or use a template without it"
            )
        if name not in values:
            raise StatusgenError(
                f"{template.path}: unknown placeholder '{{{name}}}'"
                f"{did_you_mean(name, PLACEHOLDERS)}; use {one_of(PLACEHOLDERS)}"
            )
        return values[name]

    return _PLACEHOLDER.sub(replace, template.text)


def find_template(templates: Mapping[str, MessageTemplate], name: str) -> MessageTemplate:
    """The template called ``name``.

    :raises StatusgenError: when there is none, with the closest name.
    """
    if name in templates:
        return templates[name]
    raise StatusgenError(
        f"no message template '{name}'{did_you_mean(name, templates)}: "
        f"available are {one_of(sorted(templates))} (statusgen templates lists them)"
    )


def template_languages() -> list[str]:
    """The languages statusgen has default message templates in."""
    return sorted(p.name for p in DEFAULTS_DIR.iterdir() if p.is_dir())
