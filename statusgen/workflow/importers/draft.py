"""What an import found, before it is written: a page in neutral terms.

Sources fill a :class:`Draft` with the source's own keys (Statuspage's component codes,
cState's system names, …); :mod:`.writer` gives everything its statusgen id. Times are
aware datetimes in UTC; texts are Markdown already.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from statusgen.core.errors import StatusgenError
from statusgen.core.model import ComponentStatus, Impact, UpdateStatus


class SourceError(StatusgenError):
    """A source that cannot be imported: the message names what is wrong and where."""


@dataclass(slots=True, kw_only=True)
class DraftGroup:
    key: str
    """The source's own identifier (a Statuspage code, a cState category name)."""
    name: str
    description: str | None = None


@dataclass(slots=True, kw_only=True)
class DraftComponent:
    key: str
    name: str
    description: str | None = None
    group: str | None = None
    """The key of its group."""
    since: date | None = None
    id_from: str | None = None
    """What its id is made from when it is not its name (a source's own readable id)."""


@dataclass(slots=True, kw_only=True)
class DraftUpdate:
    at: datetime
    status: UpdateStatus
    body: str
    changes: dict[str, ComponentStatus] = field(default_factory=dict)
    """Component key → the status this update gives it (incidents only)."""


@dataclass(slots=True, kw_only=True)
class DraftEvent:
    key: str
    """The source's identifier of the incident (kept in the id mapping file)."""
    title: str
    impact: Impact
    """``maintenance`` for a maintenance."""
    components: dict[str, ComponentStatus | None]
    """Component key → status from the first update; None: implied by the impact."""
    updates: list[DraftUpdate]
    """Oldest first."""
    postmortem: str | None = None
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    old_paths: tuple[str, ...] = ()
    """Where the old page published it, relative to the site root (for redirects)."""

    @property
    def is_maintenance(self) -> bool:
        return self.impact is Impact.MAINTENANCE


@dataclass(slots=True, kw_only=True)
class Draft:
    source: str
    """What was imported, in words: 'Statuspage at https://…', 'cState content in …'."""
    kind: str
    """``statuspage``, ``cstate`` or ``statusfy``: the mapping file keeps ids per kind."""
    name: str | None = None
    """The page's name, for a new mkdocs.yml."""
    url: str | None = None
    groups: list[DraftGroup] = field(default_factory=list)
    components: list[DraftComponent] = field(default_factory=list)
    events: list[DraftEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the person importing needs to know: what was left out and why."""

    def component_keys(self) -> set[str]:
        return {c.key for c in self.components}
