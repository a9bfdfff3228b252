"""Audience names in content files: the ``audiences`` key and restricted-section names.

mkdocs.yml declares the names (``plugins: [{statusgen: {audiences: [internal]}}]``);
components.yml and incident files may only use declared ones. A name that is not
declared is always an error, never ignored: ignoring it would publish to everyone what
its author meant for a few.
"""

from __future__ import annotations

from collections.abc import Collection

import yaml

from statusgen.content.yamlnodes import Entry, is_null, kind, line_of, scalar_text
from statusgen.core.errors import ErrorLog, did_you_mean
from statusgen.core.model import EVERYONE, Audiences

DECLARATION_EXAMPLE = "plugins: [{statusgen: {audiences: [internal]}}]"


def undeclared_audience(name: str, declared: Collection[str]) -> str:
    """The message for an audience name that mkdocs.yml does not declare."""
    if not declared:
        return (
            f"audience '{name}' is not declared: mkdocs.yml declares no audiences; declare "
            f"it there ({DECLARATION_EXAMPLE.replace('internal', name)})"
        )
    if name.lower() in declared:
        return f"audience names are lowercase: write '{name.lower()}', not '{name}'"
    return (
        f"unknown audience '{name}'{did_you_mean(name, declared)}; mkdocs.yml declares "
        f"{', '.join(declared)}"
    )


def read_audiences_key(
    entry: Entry | None, log: ErrorLog, declared: Collection[str] | None
) -> Audiences | None:
    """The ``audiences`` key of a component, group or event: a non-empty list of declared
    names. Empty (everyone) when the key is absent; None when it has errors (reported).

    ``declared`` is None when mkdocs.yml could not be read: names are then not checked.
    """
    if entry is None:
        return EVERYONE
    node = entry.value
    if not isinstance(node, yaml.SequenceNode) or is_null(node):
        what = "nothing" if is_null(node) else kind(node)
        log.add(
            entry.line,
            f"'audiences' must be a list of audience names like [internal], not {what} "
            "(remove the key to show it to everyone)",
        )
        return None
    if not node.value:
        log.add(
            entry.line,
            "'audiences' is empty: list who may see it, or remove the key to show it to everyone",
        )
        return None
    names: set[str] = set()
    valid = True
    for item in node.value:
        name = scalar_text(item)
        if name is None:
            log.add(line_of(item), f"each audience must be a name, not {kind(item)}")
            valid = False
        elif name in names:
            log.add(line_of(item), f"audience '{name}' is listed twice")
            valid = False
        elif declared is not None and name not in declared:
            log.add(line_of(item), undeclared_audience(name, declared))
            valid = False
        else:
            names.add(name)
    return frozenset(names) if valid else None
