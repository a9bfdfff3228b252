"""The targets of a run, read from a secret, never from the repository.

``STATUSGEN_NOTIFY_URLS`` holds apprise's text configuration (one URL a line;
``api,webhooks=URL`` limits a target to those components or groups; ``[internal] URL``
binds it to an audience, whose view it is told about; ``#`` starts a comment), or
``STATUSGEN_NOTIFY_CONFIG`` names a file with that content. The prefix ``@drills`` binds a
target to drills: it receives the notices of drills (rehearsals, ``drill: true``) and
nothing else, so a team sees real messages on a test channel while subscribers hear
nothing (``@drills,api=URL``: only drills that affect the API). ``@team`` binds a target
to the team: it receives the reminders of ``statusgen remind`` and never a subscriber's
notice (``@team,api=URL``: only about incidents that affect the API). A URL starting with
``statuspage+https://`` (or ``statuspage+http://``) receives the Statuspage
subscriber-webhook payload instead, so that existing receivers work unchanged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from statusgen.core.errors import StatusgenError, did_you_mean
from statusgen.core.model import Catalog
from statusgen.workflow.notify.channels import (
    WEBHOOK_PREFIX,
    AppriseTarget,
    StatuspageWebhook,
    Target,
    WebhookPayloads,
)

URLS_VARIABLE = "STATUSGEN_NOTIFY_URLS"
CONFIG_VARIABLE = "STATUSGEN_NOTIFY_CONFIG"
#: The prefix that binds a target to drills (an id never starts with "@").
DRILLS_TAG = "@drills"
#: The prefix that binds a target to the team (an id never starts with "@").
TEAM_TAG = "@team"
BINDINGS = (DRILLS_TAG, TEAM_TAG)

# "[audience] tag1, tag2 = URL" or "URL": an audience in brackets first, then tags before
# the first "=" that precedes "://". Some apprise schemes start with a digit (46elks://),
# and some URLs end there (syslog://).
_LINE = re.compile(
    r"(?:\[(?P<audience>[^\]]*)\]\s*)?"
    r"(?:(?P<tags>[^=:/]*?)\s*=\s*)?(?P<url>[A-Za-z0-9][\w+.-]*://\S*)"
)


@dataclass(frozen=True, slots=True)
class TargetView:
    """What the targets bound to one audience (None: the public) read: the view's
    components, and its Statuspage payloads without drills and with them."""

    catalog: Catalog
    payloads: WebhookPayloads
    drill_payloads: WebhookPayloads


#: The view of an audience; raises StatusgenError for one mkdocs.yml does not declare.
ViewOf = Callable[[str | None], TargetView]


def read_targets(view_of: ViewOf) -> list[Target]:
    """The targets of ``STATUSGEN_NOTIFY_URLS`` or of the file ``STATUSGEN_NOTIFY_CONFIG``.

    A prefix names components, or groups (meaning their components), of the view the
    target is bound to (the public's unless it names an audience), ``@drills`` and
    ``@team``. Statuspage webhooks bound to drills read the page with its drills, the
    others the page without.

    :raises StatusgenError: for a line that is not a target, names an unknown audience
        or a component its view does not show, with its line number.
    """
    text = os.environ.get(URLS_VARIABLE) or None
    where = URLS_VARIABLE
    if text is None and os.environ.get(CONFIG_VARIABLE):
        where = os.environ[CONFIG_VARIABLE]
        try:
            text = Path(where).read_text(encoding="utf-8")
        except OSError as error:
            raise StatusgenError(f"{CONFIG_VARIABLE}: {where}: {error.strerror}") from None
    targets: list[Target] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise StatusgenError(
                f"{where}, line {number}: expected 'URL', 'component-id,…=URL' or "
                "'[audience] component-id,…=URL'"
            )
        names = [t.strip().lower() for t in (match["tags"] or "").split(",") if t.strip()]
        drills, team = DRILLS_TAG in names, TEAM_TAG in names
        audience = None if match["audience"] is None else match["audience"].strip()
        try:
            view = view_of(audience)
            tags = _components_of([n for n in names if n not in BINDINGS], view.catalog)
            url = match["url"]
            if url.startswith(WEBHOOK_PREFIX):
                page = view.drill_payloads if drills else view.payloads
                targets.append(StatuspageWebhook(url, tags, page, drills, team, audience))
            else:
                targets.append(AppriseTarget(url, tags, drills, team, audience))
        except (ValueError, StatusgenError) as error:
            raise StatusgenError(f"{where}, line {number}: {error}") from None
    return targets


def _components_of(names: list[str], catalog: Catalog) -> frozenset[str]:
    component_ids = [c.id for c in catalog.components]
    found: set[str] = set()
    for name in names:
        members = [c.id for c in catalog.members(name)] if name in catalog.group_ids else []
        if members:
            found.update(members)
        elif name in component_ids:
            found.add(name)
        else:
            choices = [*component_ids, *catalog.group_ids, *BINDINGS]
            raise ValueError(
                f"unknown component or group '{name}'{did_you_mean(name, choices)} in the prefix"
            )
    return frozenset(found)
