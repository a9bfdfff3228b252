"""The view of a site for one audience: what it may see, and nothing else.

FORMAT.md (Audiences): the public sees what no ``audiences`` key restricts; an audience
sees that and what is restricted to it. The view is taken before anything is derived,
so statuses, the indicator and uptime are computed from what the view shows, and no
renderer, notice or report ever holds restricted content it could leak.
"""

from __future__ import annotations

import operator
from dataclasses import replace

from statusgen.core.errors import StatusgenError, did_you_mean
from statusgen.core.model import (
    Audiences,
    Catalog,
    Incident,
    Maintenance,
    Section,
    Site,
    Update,
)


def audience_view(site: Site, audience: str | None, kept: KeptViews | None = None) -> Site:
    """The site as ``audience`` sees it (None: the public); ``kept`` holds the events of
    the previous view, for a preview that views each version of a site in turn.

    :raises StatusgenError: when mkdocs.yml does not declare ``audience``.
    """
    if audience is not None and audience not in site.audiences:
        declared = (
            f"mkdocs.yml declares {', '.join(site.audiences)}"
            if site.audiences
            else "mkdocs.yml declares no audiences"
        )
        raise StatusgenError(
            f"unknown audience '{audience}'{did_you_mean(audience, site.audiences)}: {declared}"
        )
    view = _View(audience)
    catalog = view.catalog(site.catalog)
    visible = {c.id for c in catalog.components}
    events = (kept if kept is not None else KeptViews()).events(site.events, view, visible)
    return replace(site, catalog=catalog, events=events, audience=audience)


class KeptViews:
    """What the latest view made of each event, for ``statusgen serve``: an event that is
    the same object as last time (its file did not change) is viewed as last time, while
    the audience and the visible components are the same (all an event's view depends
    on besides the event)."""

    def __init__(self) -> None:
        self._settings: tuple[str | None, frozenset[str]] | None = None
        # By id: an entry holds its event, so no other object has that id while it is kept.
        self._kept: dict[int, tuple[Incident | Maintenance, Incident | Maintenance | None]] = {}

    def events(
        self, events: tuple[Incident | Maintenance, ...], view: _View, visible: set[str]
    ) -> tuple[Incident | Maintenance, ...]:
        """What ``view`` shows of ``events``, in order (each event as it may see it)."""
        settings = view.audience, frozenset(visible)
        previous = self._kept if settings == self._settings else {}
        self._settings, self._kept = settings, {}
        shown = []
        for event in events:
            entry = previous.get(id(event))
            if entry is None:
                entry = (
                    event,
                    view.event(event, visible) if view.shows_event(event, visible) else None,
                )
            self._kept[id(event)] = entry
            if entry[1] is not None:
                shown.append(entry[1])
        return tuple(shown)


class _View:
    def __init__(self, audience: str | None) -> None:
        self.audience = audience

    def allows(self, audiences: Audiences) -> bool:
        """Whether this view may see something restricted to ``audiences`` (empty: everyone)."""
        return not audiences or self.audience in audiences

    def catalog(self, catalog: Catalog) -> Catalog:
        groups = tuple(g for g in catalog.groups if self.allows(g.audiences))
        group_ids = {g.id for g in groups}
        components = tuple(
            c
            for c in catalog.components
            if self.allows(c.audiences) and (c.group is None or c.group in group_ids)
        )
        # A group whose components are all hidden from the view would be an empty heading.
        shown = {c.group for c in components}
        groups = tuple(g for g in groups if g.id in shown or not catalog.members(g.id))
        return Catalog(groups=groups, components=components)

    def shows_event(self, event: Incident | Maintenance, visible: set[str]) -> bool:
        """Its audiences allow it, and it affects a visible component or none at all."""
        affected = event.component_ids  # the frontmatter's and those updates add
        return self.allows(event.audiences) and (
            not affected or any(c in visible for c in affected)
        )

    # A view only ever leaves things out, so a part as long as the original is the
    # original: it is kept as it is rather than copied (copying every event and update
    # of a large site took longer than deriving its state).

    def event(self, event: Incident | Maintenance, visible: set[str]) -> Incident | Maintenance:
        components = {c: s for c, s in event.components.items() if c in visible}
        updates = tuple(self.update(u, visible) for u in event.updates)
        postmortem = self.sections(event.postmortem_sections)
        comments = tuple(c for c in event.comments if self.allows(c.audiences))
        if (
            len(components) == len(event.components)
            and all(map(operator.is_, updates, event.updates))
            and postmortem is event.postmortem_sections
            and len(comments) == len(event.comments)
        ):
            return event
        return replace(
            event,
            components=components,
            updates=updates,
            postmortem_sections=postmortem,
            comments=comments,
        )

    def update(self, update: Update, visible: set[str]) -> Update:
        sections = self.sections(update.sections)
        changes = {c: s for c, s in update.changes.items() if c in visible}
        if sections is update.sections and len(changes) == len(update.changes):
            return update
        return replace(update, sections=sections, changes=changes)

    def sections(self, sections: tuple[Section, ...]) -> tuple[Section, ...]:
        kept = tuple(s for s in sections if self.allows(s.audiences))
        return sections if len(kept) == len(sections) else kept
