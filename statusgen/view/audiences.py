"""The view of a site for one audience: what it may see, and nothing else.

FORMAT.md (Audiences): the public sees what no ``audiences`` key restricts; an audience
sees that and what is restricted to it. The view is taken before anything is derived,
so statuses, the indicator and uptime are computed from what the view shows, and no
renderer, notice or report ever holds restricted content it could leak.
"""

from __future__ import annotations

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


def audience_view(site: Site, audience: str | None) -> Site:
    """The site as ``audience`` sees it (None: the public).

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
    events = tuple(
        view.event(event, visible) for event in site.events if view.shows_event(event, visible)
    )
    return replace(site, catalog=catalog, events=events, audience=audience)


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

    def event(self, event: Incident | Maintenance, visible: set[str]) -> Incident | Maintenance:
        return replace(
            event,
            components={c: s for c, s in event.components.items() if c in visible},
            updates=tuple(self.update(u, visible) for u in event.updates),
            postmortem_sections=self.sections(event.postmortem_sections),
            comments=tuple(c for c in event.comments if self.allows(c.audiences)),
        )

    def update(self, update: Update, visible: set[str]) -> Update:
        return replace(
            update,
            sections=self.sections(update.sections),
            changes={c: s for c, s in update.changes.items() if c in visible},
        )

    def sections(self, sections: tuple[Section, ...]) -> tuple[Section, ...]:
        return tuple(s for s in sections if self.allows(s.audiences))
