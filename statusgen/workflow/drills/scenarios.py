"""Drill scenarios: Markdown briefs for the facilitator.

A scenario is ``<name>.md``: a frontmatter with ``title``, ``summary`` (one line, for
``statusgen drill list``) and optionally ``template`` (the message template to open the
incident with), then the brief itself: what the monitoring shows, who is affected, and
the timed injects the facilitator reveals ("T+15: ..."). The status repository's
``drills/`` folder comes first; statusgen's defaults, in the site's language (English
and French), fill in the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from statusgen.content.loader import decode_source
from statusgen.content.yamlnodes import YamlSyntaxError, compose, read_mapping, scalar_text
from statusgen.core.errors import ContentErrors, ErrorLog, StatusgenError, did_you_mean, one_of
from statusgen.core.ids import invalid_id_message, is_valid_id
from statusgen.workflow.message_templates import localized_files

SCENARIOS_DIR = "drills"
DEFAULTS_DIR = Path(__file__).parent / "default_scenarios"
SCENARIO_KEYS = ("title", "summary", "template")


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    """The file name without ``.md``: the last part of the drill's branch name."""
    title: str
    summary: str
    template: str | None
    """The message template that opens the incident, when the scenario calls for one."""
    brief: str
    """The Markdown after the frontmatter."""
    origin: str
    """``drills/`` for the repository's own, else ``default (en)`` and the like."""


def list_scenarios(root: Path, language: str) -> list[Scenario]:
    """Every scenario, read.

    :raises ContentErrors: when one of the repository's scenarios is not valid.
    """
    found = localized_files(root / SCENARIOS_DIR, DEFAULTS_DIR, language)
    return [read_scenario(root, name, path, origin) for name, (path, origin) in found.items()]


def find_scenario(root: Path, language: str, name: str) -> Scenario:
    """The scenario called ``name``.

    :raises StatusgenError: when there is none (with the closest name) or it is invalid.
    """
    found = localized_files(root / SCENARIOS_DIR, DEFAULTS_DIR, language)
    if name not in found:
        raise StatusgenError(
            f"no drill scenario '{name}'{did_you_mean(name, found)}: available are "
            f"{one_of(sorted(found))} (statusgen drill list shows them; a team adds its own "
            f"as {SCENARIOS_DIR}/<name>.md)"
        )
    path, origin = found[name]
    return read_scenario(root, name, path, origin)


def read_scenario(root: Path, name: str, path: Path, origin: str) -> Scenario:
    """Parse one scenario file.

    :raises ContentErrors: naming the file and line of each problem.
    """
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    log = ErrorLog(shown)
    if not is_valid_id(name):
        log.add(None, invalid_id_message("scenario name", name) + " (rename the file)")
    text = decode_source(path.read_bytes(), log)
    scenario = None if text is None else _parse(text, name, origin, log)
    if log or scenario is None:
        raise ContentErrors(log.errors)
    return scenario


def _parse(text: str, name: str, origin: str, log: ErrorLog) -> Scenario | None:
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        log.add(1, "a scenario starts with a frontmatter between two '---' lines (title, summary)")
        return None
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    try:
        # One blank line first, so that YAML's line numbers are the file's.
        root = compose("\n" + "\n".join(lines[1:end]))
    except YamlSyntaxError as error:
        log.add(error.line, f"frontmatter: {error.message}")
        return None
    if not isinstance(root, yaml.MappingNode):
        log.add(1, "the frontmatter must be a mapping of keys like 'title:' and 'summary:'")
        return None
    fields = read_mapping(root, log, SCENARIO_KEYS, "frontmatter")
    values: dict[str, str] = {}
    for key in SCENARIO_KEYS:
        entry = fields.get(key)
        value = None if entry is None else scalar_text(entry.value)
        if entry is not None and not value:
            log.add(entry.line, f"'{key}' must be text")
        elif value:
            values[key] = " ".join(value.split())
        elif key != "template":
            log.add(end + 1, f"frontmatter: missing required key '{key}'")
    brief = "\n".join(lines[end + 1 :]).strip()
    if not brief:
        log.add(
            end + 1,
            "the brief is empty: write what the monitoring shows, who is affected and the injects",
        )
    if log:
        return None
    return Scenario(
        name=name,
        title=values["title"],
        summary=values["summary"],
        template=values.get("template"),
        brief=brief,
        origin=origin,
    )


def render_brief(scenario: Scenario | None, branch: str) -> str:
    """What ``statusgen drill start`` prints: the scenario's brief, then what to do."""
    template = f" --template {scenario.template}" if scenario and scenario.template else ""
    lines = []
    if scenario is None:
        lines += [
            "# Drill without a scenario",
            "",
            "The facilitator brings the brief (statusgen drill list shows ready ones).",
        ]
    else:
        lines += [f"# Drill: {scenario.title}", "", scenario.summary, "", scenario.brief]
    lines += [
        "",
        "---",
        f"You are on the branch {branch}: work as in a real incident, with --commit.",
        f'  statusgen new "TITLE" --component ID{template} --commit   (marked drill: true)',
        "  statusgen update ID --status identified --commit",
        "  statusgen resolve ID --commit; statusgen postmortem ID --commit",
        "Push the branch for a preview; subscribers are never told, drill targets are.",
        "At the end: statusgen drill report --save, then statusgen drill end.",
    ]
    return "\n".join(lines)
