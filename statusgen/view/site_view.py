"""The one place where every build, preview, ``status``, ``diff`` and notification takes
its view of the site: an audience's (:mod:`.audiences`), without drills unless a preview
asks for them (:mod:`.drills`)."""

from __future__ import annotations

from statusgen.core.model import Site
from statusgen.view.audiences import KeptViews, audience_view
from statusgen.view.drills import drills_view


def site_view(
    site: Site, *, audience: str | None = None, drills: bool = False, kept: KeptViews | None = None
) -> Site:
    """What ``audience`` (None: the public) sees of ``site``; drills only with ``drills``;
    ``kept``: the previous view's events, for a preview (:class:`KeptViews`).

    :raises StatusgenError: when mkdocs.yml does not declare ``audience``.
    """
    return audience_view(drills_view(site, drills=drills), audience, kept)
