"""Atom, RSS 2.0 and JSON Feed documents: one entry per published update.

Readers announce each new entry, so every update of an incident or maintenance is an
entry of its own (not only the first post), and so is a postmortem. Entries are built
once from the derived state and written in three formats; a rebuild without a change
gives the same bytes, because every time in a feed is a time from the content (the
feed's own ``updated`` is its newest entry's), never the clock.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from operator import attrgetter
from typing import Any

import feedgen.entry
from feedgen.feed import FeedGenerator
from lxml import etree

from statusgen.core.model import Maintenance
from statusgen.core.timestamps import isoformat
from statusgen.render.context import RenderContext, json_bytes
from statusgen.render.urls import (
    ATOM_FEED,
    JSON_FEED,
    RSS_FEED,
    component_path,
    incident_path,
    postmortem_path,
    update_path,
)
from statusgen.state.events import EventState

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
_ATOM_END = b"</feed>\n"
_RSS_END = b"  </channel>\n</rss>\n"
_RSS_NAMESPACES = {
    # feedgen's, on the root of every RSS feed
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry, as every format writes it."""

    id: str
    """The absolute URL of the update (its anchor on the incident page) or of the
    postmortem page: stable across rebuilds, unique in the site."""
    link: str
    """The page a reader opens: the incident's, or the postmortem's."""
    title: str
    html: str
    at: datetime
    categories: tuple[str, ...]
    """The names of the event's components."""


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed's own metadata and its entries, newest first."""

    path: str
    """Where its files go: ``""`` for the site, ``components/<id>/`` for a component."""
    title: str
    description: str
    home: str
    """The absolute URL of the page the feed follows."""
    entries: tuple[FeedEntry, ...]
    updated: datetime


POSTMORTEM_DELAY = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class _Item:
    """An entry before rendering: chosen and sorted cheaply, rendered only if kept."""

    state: EventState
    index: int | None
    """The update's, in ``state.updates``; None for the postmortem."""
    at: datetime
    order: tuple[datetime, bool, str] = field(init=False)
    """Newest first; at the same time, a postmortem before the update it follows and
    events by id, so that the order never depends on how the input was listed."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", _order(self.state, self.index, self.at))


def _order(state: EventState, index: int | None, at: datetime) -> tuple[datetime, bool, str]:
    return (at, index is None, state.id)


def _newest(state: EventState) -> tuple[datetime, bool, str]:
    """The order of an event's newest entry (the last of :func:`_items`): its
    postmortem's, else its latest update's (updates are oldest first)."""
    if state.event.postmortem:
        return _order(state, None, state.updated_at + POSTMORTEM_DELAY)
    return _order(state, len(state.updates) - 1, state.updated_at)


def render_feeds(context: RenderContext) -> dict[str, bytes]:
    """``feed.atom``, ``feed.rss``, ``feed.json`` and each component's Atom and RSS feeds.

    :raises ValueError: when the site has no ``site_url``: feed ids and links must be
        absolute URLs.
    """

    feeds = FeedBuilder(context)
    site = feeds.site_feed()
    files = feeds.atom_and_rss(site)
    files[JSON_FEED] = json_bytes(feeds.json_feed(site))
    for component_feed in feeds.component_feeds():
        files.update(feeds.atom_and_rss(component_feed))
    return files


class FeedBuilder:
    """Builds the feeds of one render context."""

    def __init__(self, context: RenderContext) -> None:
        if context.config.url is None:
            raise ValueError("feeds need the site's absolute URL: set site_url in mkdocs.yml")
        self.context = context
        self.base = context.config.url
        self.language = context.language
        # An update is an entry of the site's feed and of each of its components' feeds:
        # made once, by (event id, update index).
        self._entries: dict[tuple[str, int | None], FeedEntry] = {}
        # The same goes for the event's candidate entries, by event id ...
        self._items: dict[str, tuple[_Item, ...]] = {}
        # ... and for its feedgen entry, by entry id.
        self._feedgen_entries: dict[str, _SharedEntry] = {}

    # What each feed holds ----------------------------------------------------------------

    def site_feed(self) -> Feed:
        """Every incident and maintenance of the site."""
        config = self.context.config
        description = config.description or self.language.gettext(
            "Incidents and maintenance of {site}"
        ).format(site=config.name)
        return self._feed("", config.name, description, self.base, self.context.state.events)

    def component_feeds(self) -> list[Feed]:
        """One feed per component: the incidents and maintenance that affect it."""
        state = self.context.state
        site = self.context.config.name
        feeds = []
        for component in state.site.catalog.components:
            path = component_path(component.id)
            title = self.language.gettext("{site}: {component}").format(
                site=site, component=component.name
            )
            description = self.language.gettext(
                "Incidents and maintenance affecting {component} on {site}"
            ).format(component=component.name, site=site)
            events = state.events_by_component[component.id]
            feeds.append(self._feed(path, title, description, self.base + path, events))
        return feeds

    def _feed(
        self, path: str, title: str, description: str, home: str, events: Iterable[EventState]
    ) -> Feed:
        count = self.context.config.feed_length
        # The newest entries of the feed are among the entries of the events whose
        # newest entries are the newest (an event's newest entry comes before all those
        # of the events after it): only theirs are made, not every event's.
        newest = heapq.nlargest(count, events, key=_newest)
        items = heapq.nlargest(
            count,
            itertools.chain.from_iterable(map(self._event_items, newest)),
            key=attrgetter("order"),
        )
        entries = tuple(self._entry(item) for item in items)
        return Feed(
            path=path,
            title=title,
            description=description,
            home=home,
            entries=entries,
            # An empty feed is as old as the page: the newest update anywhere, which
            # is 'now' only for a site with nothing published.
            updated=entries[0].at if entries else self.context.state.updated_at,
        )

    def _event_items(self, state: EventState) -> tuple[_Item, ...]:
        items = self._items.get(state.id)
        if items is None:
            items = self._items[state.id] = _items(state)
        return items

    def _entry(self, item: _Item) -> FeedEntry:
        key = (item.state.id, item.index)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = self._new_entry(item)
        return entry

    def _new_entry(self, item: _Item) -> FeedEntry:
        event = item.state.event
        catalog = self.context.state.site.catalog
        categories = tuple(catalog.component(cid).name for cid in item.state.joined)
        if item.index is None:
            assert event.postmortem is not None
            return FeedEntry(
                id=self.base + postmortem_path(event.id),
                link=self.base + postmortem_path(event.id),
                title=self.language.gettext("Postmortem: {title}").format(title=event.title),
                html=self.context.markdown.html(event.postmortem),
                at=item.at,
                categories=categories,
            )
        update = item.state.updates[item.index]
        title = self.language.gettext("{status}: {title}").format(
            status=self.language.label(update.status), title=event.title
        )
        html = self.context.markdown.html(update.body) or f"<p>{escape(title)}</p>"
        if isinstance(event, Maintenance):
            # Each entry is read on its own: a maintenance entry says when the work is.
            window = self.language.gettext("Scheduled from {start} to {end}.").format(
                start=self.language.format_datetime(event.scheduled_start),
                end=self.language.format_datetime(event.scheduled_end),
            )
            html = f"<p>{escape(window)}</p>\n{html}"
        if changes := item.state.changes(item.index):
            # Each entry is read on its own: it says what the update changed.
            lines = self.language.changes(catalog, changes)
            html = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>\n" + html
        return FeedEntry(
            id=self.base + update_path(event.id, update),
            link=self.base + incident_path(event.id),
            title=title,
            html=html,
            at=item.at,
            categories=categories,
        )

    # Formats --------------------------------------------------------------------------------

    def atom_and_rss(self, feed: Feed) -> dict[str, bytes]:
        """The feed as Atom (RFC 4287) and as RSS 2.0 (with an ``atom:link`` to itself),
        by path. One generator writes both; only the link to itself differs.

        feedgen writes a feed's entries last, each an element of its own under the feed
        (Atom) or its channel (RSS), and lxml indents each element by its depth alone:
        a feed's bytes are those of the feed without entries with each entry's bytes
        inserted before the closing tags. Each entry is written once
        (:class:`_SharedEntry`) for every feed it is in."""
        generator = self._generator(feed)
        entries = [self._feedgen_entry(entry) for entry in feed.entries]
        files = {}
        for name, media_type, write, end, entry_bytes in (
            (ATOM_FEED, ATOM_TYPE, generator.atom_str, _ATOM_END, _SharedEntry.atom_bytes),
            (RSS_FEED, RSS_TYPE, generator.rss_str, _RSS_END, _SharedEntry.rss_bytes),
        ):
            path = f"{feed.path}{name}"
            generator.link(href=self.base + path, rel="self", type=media_type, replace=True)
            # Last, because RSS takes its one channel link from the last alternate link.
            generator.link(href=feed.home, rel="alternate", type="text/html")
            empty = _without_end(bytes(write(pretty=True)), end)
            body = b"".join(entry_bytes(entry) for entry in entries)
            files[path] = empty + body + end
        return files

    def _generator(self, feed: Feed) -> Any:
        """A feedgen generator with the feed's own fields (its entries are added as
        bytes, :meth:`atom_and_rss`)."""
        generator = FeedGenerator()
        generator.id(feed.home)
        generator.title(feed.title)
        generator.description(feed.description)
        generator.language(self.language.code)
        generator.author(name=self.context.config.name, uri=self.base)
        # feedgen's defaults would be the clock and its own version: both change the
        # bytes of a rebuild that changed nothing.
        generator.updated(feed.updated)
        generator.generator("statusgen")
        return generator

    def _feedgen_entry(self, entry: FeedEntry) -> _SharedEntry:
        shared = self._feedgen_entries.get(entry.id)
        if shared is None:
            shared = self._feedgen_entries[entry.id] = _SharedEntry()
            shared.guid(entry.id, permalink=True)
            shared.title(entry.title)
            shared.link(href=entry.link, rel="alternate", type="text/html")
            shared.content(entry.html, type="html")
            shared.published(entry.at)
            shared.updated(entry.at)
            shared.category([{"term": name} for name in entry.categories])
        return shared

    def json_feed(self, feed: Feed) -> dict[str, Any]:
        """The feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
        return {
            "version": JSON_FEED_VERSION,
            "title": feed.title,
            "home_page_url": feed.home,
            "feed_url": f"{self.base}{feed.path}{JSON_FEED}",
            "description": feed.description,
            "language": self.language.code,
            "authors": [{"name": self.context.config.name, "url": self.base}],
            "items": [
                {
                    "id": entry.id,
                    "url": entry.link,
                    "title": entry.title,
                    "content_html": entry.html,
                    "date_published": isoformat(entry.at),
                    "date_modified": isoformat(entry.at),
                    "tags": list(entry.categories),
                }
                for entry in feed.entries
            ],
        }


class _SharedEntry(feedgen.entry.FeedEntry):  # type: ignore[misc]
    """A feedgen entry in several feeds, whose Atom and RSS bytes are written once.

    feedgen builds an entry's elements again each time it writes a feed, which is most
    of its time, and an update is in the site's feed and in each of its components'.
    Each format's element is built once, under a parent of the depth it has in a feed
    (Atom's ``feed``; RSS's ``rss`` with feedgen's namespaces, then ``channel``), and
    written out there, to the bytes it has in every feed.
    """

    def __init__(self) -> None:
        super().__init__()
        self._atom: bytes | None = None
        self._rss: bytes | None = None

    def atom_bytes(self) -> bytes:
        if self._atom is None:
            feed = etree.Element("feed")
            feed.append(self.atom_entry())
            self._atom = _inner(feed, b"<feed>\n", _ATOM_END)
        return self._atom

    def rss_bytes(self) -> bytes:
        if self._rss is None:
            rss = etree.Element("rss", nsmap=_RSS_NAMESPACES)
            etree.SubElement(rss, "channel").append(self.rss_entry())
            self._rss = _inner(rss, b"<channel>\n", _RSS_END)
        return self._rss


def _inner(parent: Any, start: bytes, end: bytes) -> bytes:
    """The bytes of ``parent``'s one entry, written as feedgen writes a feed (indented,
    UTF-8): what follows ``start`` and precedes ``end``."""
    data = _without_end(etree.tostring(parent, pretty_print=True, encoding="UTF-8"), end)
    return data[data.index(start) + len(start) :]


def _without_end(data: bytes, end: bytes) -> bytes:
    """``data`` without the closing tags ``end`` that a feed's (or an entry's parent's)
    bytes end with, where entries are spliced in.

    :raises RuntimeError: when they end otherwise (a feedgen or lxml that writes feeds
        differently): splicing would write a corrupt feed.
    """
    if not data.endswith(end):
        raise RuntimeError(f"feed bytes end with {data[-40:]!r}, not {end!r}: cannot add entries")
    return data[: -len(end)]


def _items(state: EventState) -> tuple[_Item, ...]:
    """Every published update of an event, and its postmortem."""
    items = [_Item(state, index, update.at) for index, update in enumerate(state.updates)]
    if state.event.postmortem:
        # The format gives a postmortem no date; it is announced one second after the
        # event's latest update: after the last thing the event published, and never
        # at the same atom:updated as that update's entry (the W3C validator warns).
        items.append(_Item(state, None, state.updated_at + POSTMORTEM_DELAY))
    return tuple(items)
