"""Parsing of ``components.yml`` into a :class:`~statusgen.core.model.Catalog`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from types import MappingProxyType

import yaml

from statusgen.content.audiences import read_audiences_key
from statusgen.content.yamlnodes import (
    DuplicateKey,
    Entry,
    YamlSyntaxError,
    compose,
    entries,
    is_null,
    kind,
    line_of,
    read_mapping,
    scalar_text,
)
from statusgen.core.errors import ErrorLog, did_you_mean
from statusgen.core.ids import invalid_id_message, is_valid_id
from statusgen.core.model import EVERYONE, Catalog, Component, Group
from statusgen.core.timestamps import TimestampError, parse_date

COMPONENTS_FILE = "components.yml"
TOP_LEVEL_KEYS = ("groups", "components")
GROUP_KEYS = ("id", "name", "description", "audiences")
COMPONENT_KEYS = ("id", "name", "description", "group", "since", "alerts", "audiences")
ALERTS_EXAMPLE = "{service: api}"
#: Ids a component cannot have: ``badges/status.svg`` is the whole page's badge.
RESERVED_COMPONENT_IDS = ("status",)


def parse_components(
    text: str, log: ErrorLog, audiences: Collection[str] | None = ()
) -> Catalog | None:
    """Parse the text of components.yml; None when it has errors (all added to ``log``).

    ``audiences`` are the names mkdocs.yml declares (None: unknown, names not checked).
    """
    try:
        root = compose(text)
    except YamlSyntaxError as error:
        log.add(error.line, error.message)
        return None
    if root is None or is_null(root):
        log.add(None, "the file is empty: declare your components under 'components:'")
        return None
    if not isinstance(root, yaml.MappingNode):
        log.add(line_of(root), "expected a mapping with 'components:' (and optional 'groups:')")
        return None

    top = read_mapping(root, log, TOP_LEVEL_KEYS, "components.yml")
    groups = _read_groups(top.get("groups"), log, audiences)
    if "components" not in top:
        log.add(None, "missing required key 'components': declare at least one component")
        return None
    components = _read_components(top["components"], groups, log, audiences)
    if log:
        return None
    return Catalog(groups=tuple(groups.values()), components=components)


def _items(entry: Entry | None, log: ErrorLog) -> list[yaml.MappingNode]:
    """The mappings of a list-valued key; reports a value that is not a list of mappings."""
    if entry is None or is_null(entry.value):
        return []
    if not isinstance(entry.value, yaml.SequenceNode):
        log.add(entry.line, f"'{entry.key}' must be a list, not {kind(entry.value)}")
        return []
    mappings = []
    for item in entry.value.value:
        if isinstance(item, yaml.MappingNode):
            mappings.append(item)
        else:
            log.add(
                line_of(item),
                f"each item of '{entry.key}' must be a mapping with 'id:' and 'name:', "
                f"not {kind(item)}",
            )
    return mappings


def _read_groups(
    entry: Entry | None, log: ErrorLog, audiences: Collection[str] | None
) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for position, node in enumerate(_items(entry, log)):
        fields = read_mapping(node, log, GROUP_KEYS, "group")
        group_id = _read_id(fields, node, log, "group", groups)
        name = _required_text(fields, node, log, "name", f"group '{group_id or '?'}'")
        # A group whose audiences have errors is still a group: its members must not be
        # reported as members of an unknown group too. The errors reject the file anyway.
        restricted_to = read_audiences_key(fields.get("audiences"), log, audiences) or EVERYONE
        if group_id is None or name is None:
            continue
        description = _optional_text(fields, log, "description")
        groups[group_id] = Group(
            id=group_id,
            name=name,
            description=description,
            position=position,
            audiences=restricted_to,
        )
    return groups


def _read_components(
    entry: Entry, groups: dict[str, Group], log: ErrorLog, audiences: Collection[str] | None
) -> tuple[Component, ...]:
    nodes = _items(entry, log)
    if not nodes and not log:
        log.add(entry.line, "'components' is empty: declare at least one component")
    components: dict[str, Component] = {}
    for position, node in enumerate(nodes):
        fields = read_mapping(node, log, COMPONENT_KEYS, "component")
        component_id = _read_id(fields, node, log, "component", components)
        if component_id in RESERVED_COMPONENT_IDS:
            log.add(
                fields["id"].line,
                f"component id '{component_id}' is reserved (/badges/{component_id}.svg is "
                "the whole page's badge): choose another id",
            )
            component_id = None
        if component_id is not None and component_id in groups:
            log.add(
                fields["id"].line,
                f"component id '{component_id}' is already a group id: ids of groups and "
                "components share one namespace (the API lists both as components)",
            )
        what = f"component '{component_id or '?'}'"
        name = _required_text(fields, node, log, "name", what)
        description = _optional_text(fields, log, "description")
        group = _optional_text(fields, log, "group")
        if group is not None and group not in groups:
            log.add(
                fields["group"].line,
                f"{what}: unknown group '{group}'{did_you_mean(group, groups)}; "
                "declare it under 'groups:'",
            )
        since = None
        since_text = _optional_text(fields, log, "since")
        if since_text is not None:
            try:
                since = parse_date(since_text)
            except TimestampError as error:
                log.add(fields["since"].line, f"{what}: 'since': {error}")
        alerts = _read_alerts(fields.get("alerts"), log, what)
        restricted_to = read_audiences_key(fields.get("audiences"), log, audiences)
        if component_id is None or name is None or restricted_to is None:
            continue
        components[component_id] = Component(
            id=component_id,
            name=name,
            description=description,
            group=group,
            since=since,
            position=position,
            alerts=alerts,
            audiences=restricted_to,
        )
    return tuple(components.values())


def _read_alerts(entry: Entry | None, log: ErrorLog, what: str) -> tuple[Mapping[str, str], ...]:
    """``alerts:``: a list of label mappings; an alert matches an item when it has every
    label of the item with the same value. Values are compared as the text written."""
    if entry is None or is_null(entry.value):
        return ()
    if not isinstance(entry.value, yaml.SequenceNode):
        log.add(
            entry.line,
            f"{what}: 'alerts' must be a list of label mappings like '- {ALERTS_EXAMPLE}', "
            f"not {kind(entry.value)}",
        )
        return ()
    matchers: list[Mapping[str, str]] = []
    for item in entry.value.value:
        if not isinstance(item, yaml.MappingNode):
            log.add(
                line_of(item),
                f"{what}: each item of 'alerts' must be a mapping of labels like "
                f"{ALERTS_EXAMPLE}, not {kind(item)}",
            )
            continue
        labels: dict[str, str] = {}
        for label in entries(item):
            if isinstance(label, DuplicateKey):
                log.add(label.line, f"{what}: alerts: {label.message}")
                continue
            value = scalar_text(label.value)
            if not value:
                log.add(
                    label.line,
                    f"{what}: alerts: the label '{label.key}' must be a string, not "
                    f"{kind(label.value)}",
                )
                continue
            labels[label.key] = value
        if not item.value:
            log.add(
                line_of(item),
                f"{what}: an empty item of 'alerts' would match every alert: name at least "
                f"one label, like {ALERTS_EXAMPLE}",
            )
        elif labels:
            matchers.append(MappingProxyType(labels))
    return tuple(matchers)


def _read_id(
    fields: dict[str, Entry], node: yaml.Node, log: ErrorLog, what: str, seen: Collection[str]
) -> str | None:
    value = _required_text(fields, node, log, "id", what)
    if value is None:
        return None
    line = fields["id"].line
    if not is_valid_id(value):
        log.add(line, invalid_id_message(f"{what} id", value))
        return None
    if value in seen:
        log.add(line, f"duplicate {what} id '{value}': ids must be unique")
        return None
    return value


def _required_text(
    fields: dict[str, Entry], node: yaml.Node, log: ErrorLog, key: str, what: str
) -> str | None:
    if key not in fields:
        log.add(line_of(node), f"{what}: missing required key '{key}'")
        return None
    value = _optional_text(fields, log, key)
    if value is None and isinstance(fields[key].value, yaml.ScalarNode):
        log.add(fields[key].line, f"{what}: '{key}' is empty")
    elif value is not None and "\n" in value:
        # A name is shown in one line everywhere: a table row, a terminal, a subject.
        log.add(fields[key].line, f"{what}: '{key}' must be one line")
        return None
    return value


def _optional_text(fields: dict[str, Entry], log: ErrorLog, key: str) -> str | None:
    """The text of an optional key; None when absent, null or blank."""
    entry = fields.get(key)
    if entry is None:
        return None
    if not isinstance(entry.value, yaml.ScalarNode):
        log.add(entry.line, f"'{key}' must be text, not {kind(entry.value)}")
        return None
    return scalar_text(entry.value) or None
