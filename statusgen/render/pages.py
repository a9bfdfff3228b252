"""The HTML pages of a status site, as views for logic-free templates.

This module decides what each page shows (which incidents, in which order, with which
words and dates); templates only lay it out. It knows nothing of MkDocs: pages are
rendered with any Jinja2 environment whose loader finds the ``statusgen/`` templates,
so that another generator could render the same pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, partial
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from statusgen.content.config import DEFAULT_HISTORY_PAGE_SIZE
from statusgen.core.model import Component, ComponentStatus, Group, Maintenance
from statusgen.core.timestamps import isoformat
from statusgen.render.context import RenderContext
from statusgen.render.template_words import TemplateWords
from statusgen.render.urls import (
    SUBSCRIBE_PATH,
    component_path,
    history_path,
    incident_path,
    postmortem_path,
    update_anchor,
)
from statusgen.state.cadence import next_update_due
from statusgen.state.events import EventState
from statusgen.state.page import listed, upcoming
from statusgen.state.uptime import ComponentUptime, DayUptime, shown_ratio

STYLESHEET = "assets/statusgen/status.css"
TEMPLATES = {
    "overview": "statusgen/overview.html",
    "incident": "statusgen/incident.html",
    "postmortem": "statusgen/postmortem.html",
    "history": "statusgen/history.html",
    "component": "statusgen/component.html",
    "components": "statusgen/components.html",
    "not_found": "statusgen/404.html",
    "subscribe": "statusgen/subscribe.html",
}
TEMPLATES_DIR = Path(__file__).parent / "templates"
"""statusgen's templates and assets, found after the site's ``theme/``."""
PARTIALS = "statusgen/partials"
"""The folder of the templates that pages include and import."""
NOT_FOUND_URL = "404.html"
"""The one page that is not an index page: a static host serves it for any missing path."""
RECENT_DAYS = 7
NARROW_DAYS = 30
"""The days of an uptime bar a phone shows: status.css hides the older cells."""

# Short, stable CSS class names for statuses: ``sg-s-major`` and so on.
STATUS_CLASS = {
    ComponentStatus.OPERATIONAL: "ok",
    ComponentStatus.UNDER_MAINTENANCE: "maintenance",
    ComponentStatus.DEGRADED_PERFORMANCE: "degraded",
    ComponentStatus.PARTIAL_OUTAGE: "partial",
    ComponentStatus.MAJOR_OUTAGE: "major",
}


@dataclass(frozen=True, slots=True)
class Time:
    """A moment shown to readers: ``<time datetime="{iso}">{text}</time>``."""

    iso: str
    text: str


@dataclass(frozen=True, slots=True)
class UpdateView:
    anchor: str
    status: str
    status_class: str
    time: Time
    html: str
    changes: tuple[str, ...] = ()
    """The component changes it made, in words: "API: Major outage → Partial outage"."""


@dataclass(frozen=True, slots=True)
class AffectedComponent:
    name: str
    url: str
    status: str
    """Its status in the event as of the latest update that set it."""
    status_class: str
    joined: Time | None = None
    """When it joined the event, for a component that joined after the first update."""


@dataclass(frozen=True, slots=True)
class Promise:
    """When an active incident's next update is due, and whether that time has passed
    (the page's script also turns the promise into "overdue" when the reader's clock
    passes it, between two builds)."""

    due: Time
    overdue: bool


@dataclass(frozen=True, slots=True)
class EventDetails:
    """What only an event's own pages (and the overview's cards) show of it."""

    components: tuple[AffectedComponent, ...]
    updates: tuple[UpdateView, ...]
    """Newest first."""
    postmortem_html: str | None


class LazyDetails:
    """An event's details, made when a template first reads them, then kept.

    Every page that lists an event shares its view, and the lists come before the
    events' own pages: made with the view, the details of every event (its updates'
    views, times and HTML) would all be held at once, most for no page."""

    __slots__ = ("_details", "_pages", "_state")

    def __init__(self, pages: SitePages, state: EventState) -> None:
        self._pages = pages
        self._state = state
        self._details: EventDetails | None = None

    def get(self) -> EventDetails:
        if self._details is None:
            try:
                self._details = self._pages.event_details(self._state)
            except AttributeError as error:
                # Read by a template, which takes an AttributeError for an undefined
                # value: the page would lose the event's updates without a word.
                raise RuntimeError(f"the details of an event failed: {error}") from error
        return self._details


@dataclass(frozen=True, slots=True)
class EventView:
    """An incident or maintenance, ready to show: what a list of events shows is made
    with the view, the rest (:class:`EventDetails`) when a page first reads it."""

    id: str
    title: str
    url: str
    is_maintenance: bool
    is_active: bool
    is_drill: bool
    impact: str
    impact_class: str
    status: str
    status_class: str
    started: Time | None
    ended: Time | None
    duration: str | None
    window_start: Time | None
    window_end: Time | None
    postmortem_url: str | None
    details: LazyDetails
    promise: Promise | None = None
    """Active incidents, when ``update_every`` is set."""

    @property
    def components(self) -> tuple[AffectedComponent, ...]:
        return self.details.get().components

    @property
    def updates(self) -> tuple[UpdateView, ...]:
        """Newest first."""
        return self.details.get().updates

    @property
    def postmortem_html(self) -> str | None:
        return self.details.get().postmortem_html

    @property
    def latest(self) -> UpdateView:
        return self.updates[0]


@dataclass(frozen=True, slots=True)
class DayView:
    """One cell of an uptime bar."""

    label: str
    """The whole tooltip: date, uptime and incidents, in words."""
    status_class: str


@dataclass(frozen=True, slots=True)
class UptimeSpan:
    """What the legend of an uptime bar says about the days it shows."""

    days_ago: str
    """The left end of the bar: "90 days ago"."""
    figure: str
    """"99.97% uptime", "100% uptime since 1 Dec 2026" or "No data"."""
    label: str
    """The same as a sentence, for screen readers and the components index."""


@dataclass(frozen=True, slots=True)
class ComponentView:
    id: str
    name: str
    description: str | None
    url: str
    status: str
    status_class: str
    uptime: UptimeSpan
    """The whole window."""
    narrow_uptime: UptimeSpan | None
    """The last :data:`NARROW_DAYS` days, which are all a phone shows; None when the
    window is not longer."""
    days: tuple[DayView, ...]


@dataclass(frozen=True, slots=True)
class ComponentSection:
    """Components shown together: a group with its members, or ungrouped components."""

    group: Group | None
    status: str
    status_class: str
    components: tuple[ComponentView, ...]


@dataclass(frozen=True, slots=True)
class DayOfEvents:
    title: str
    events: tuple[EventView, ...]


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pagination:
    pages: tuple[PageLink, ...]
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page: where it goes, its template and what the template shows."""

    path: str
    """Its URL relative to the site root: ``""``, ``"incidents/x/"``; written to
    ``<path>index.html``."""
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str | None = None
    """The navigation entry it belongs to: "overview", "history", "components" or
    "subscribe"."""
    filename: str = "index.html"
    site_root: str | None = None
    """The site root's absolute path, for a page served at any URL (the 404 page)."""

    @property
    def output_path(self) -> str:
        return f"{self.path}{self.filename}"

    @property
    def url(self) -> str:
        """The URL path it is served at: ``path`` for an index page, else its file."""
        return url_of(self.path, self.filename)

    @property
    def root(self) -> str:
        """The URL of the site root from this page: relative, so the site works under any
        prefix and from disk, unless the page may be served from anywhere."""
        if self.site_root is not None:
            return self.site_root
        return "../" * self.path.count("/")


def url_of(path: str, filename: str = "index.html") -> str:
    """The URL path of a page at ``path`` written to ``filename``."""
    return path if filename == "index.html" else f"{path}{filename}"


def output_path_of(url: str) -> str:
    """The file the page served at ``url`` is written to (:func:`url_of` reversed)."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


class SitePages:
    """Builds every page of a status site from a :class:`RenderContext`."""

    def __init__(self, context: RenderContext, history_page_size: int) -> None:
        self.context = context
        self.language = context.language
        self.state = context.state
        self.history_page_size = history_page_size
        self._states = {s.id: s for s in self.state.events}
        # Views are made when a page first needs them: rendering one page (statusgen
        # serve) must not convert the Markdown of every incident.
        self._event_views: dict[str, EventView] = {}
        self._own_view_of: EventView | None = None
        self._component_views: dict[str, ComponentView] = {}

    def page_at(self, url: str) -> Page | None:
        """The page served at ``url`` (``""``, ``"incidents/x/"``, ``"404.html"``…), or
        None when there is none; only that page is made."""
        make = self._routes.get(url)
        return None if make is None else make()

    @cached_property
    def _routes(self) -> dict[str, Callable[[], Page]]:
        """Every page of the site, by URL, in site order, made only when asked for:
        the one list that both the build (``__iter__``) and the preview (``page_at``) read."""
        routes: dict[str, Callable[[], Page]] = {
            url_of(""): self.overview,
            NOT_FOUND_URL: self.not_found,
            url_of("components/"): self.components_index,
            url_of(SUBSCRIBE_PATH): self.subscribe,
        }
        for component in self.state.site.catalog.components:
            routes[url_of(component_path(component.id))] = partial(self.component, component)
        count = self._history_count()
        for number in range(1, count + 1):
            routes[url_of(history_path(number))] = partial(self._history_page, number, count)
        for state in self.state.events:
            routes[url_of(incident_path(state.id))] = partial(self.incident, state)
            # .postmortem joins the sections: most events have none to join.
            if state.event.postmortem_sections and state.event.postmortem:
                routes[url_of(postmortem_path(state.id))] = partial(self.postmortem, state)
        return routes

    def _view(self, state: EventState) -> EventView:
        view = self._event_views.get(state.id)
        if view is None:
            view = self._event_views[state.id] = self._event_view(state)
        return view

    def _own_view(self, state: EventState) -> EventView:
        """The view of an event for its own pages (incident, postmortem). In site order
        they come after every page that lists events, and next to each other: the view
        leaves the cache, which no other page needs it from any more, and is kept only
        for the event's other page (memory then stays flat as pages are written; a page
        asked for out of order, as ``serve`` does, only makes a view again)."""
        view = self._own_view_of
        if view is None or view.id != state.id:
            view = self._event_views.pop(state.id, None) or self._event_view(state)
            self._own_view_of = view
        return view

    def _component(self, component: Component) -> ComponentView:
        view = self._component_views.get(component.id)
        if view is None:
            view = self._component_views[component.id] = self._component_view(component)
        return view

    def __iter__(self) -> Iterator[Page]:
        for make in self._routes.values():
            yield make()

    def urls(self) -> list[str]:
        """The URL of every page, in site order, without making them."""
        return list(self._routes)

    # Pages --------------------------------------------------------------------------

    def overview(self) -> Page:
        state = self.state
        return Page(
            path="",
            section="overview",
            template=TEMPLATES["overview"],
            title=self.context.config.name,
            context={
                "active_incidents": self._views(state.active_incidents),
                "maintenances_in_progress": self._views(state.maintenances_in_progress),
                "upcoming_maintenances": self._views(state.upcoming_maintenances),
                "sections": self._sections(),
                "recent_days": self._recent_days(),
            },
        )

    def not_found(self) -> Page:
        """``404.html``: static hosts serve it for any missing path, so its links are
        absolute (from ``site_url``'s path)."""
        return Page(
            path="",
            filename=NOT_FOUND_URL,
            site_root=urlsplit(self.context.config.url or "/").path or "/",
            template=TEMPLATES["not_found"],
            title=self.language.gettext("Page not found"),
        )

    def components_index(self) -> Page:
        return Page(
            path="components/",
            section="components",
            template=TEMPLATES["components"],
            title=self.language.gettext("Components"),
            context={"sections": self._sections()},
        )

    def component(self, component: Component) -> Page:
        events = self.state.events_by_component[component.id]
        return Page(
            path=component_path(component.id),
            section="components",
            template=TEMPLATES["component"],
            title=component.name,
            context={
                "component": self._component(component),
                "upcoming": self._views(upcoming(events)),
                "months": self._months(listed(events)),
            },
        )

    def subscribe(self) -> Page:
        """Every way to follow the site, in plain words, with each component's feeds."""
        return Page(
            path=SUBSCRIBE_PATH,
            section="subscribe",
            template=TEMPLATES["subscribe"],
            title=self.language.gettext("Subscribe"),
            context={
                "components": tuple(
                    (c.name, component_path(c.id)) for c in self.state.site.catalog.components
                )
            },
        )

    def _history_count(self) -> int:
        return max(1, math.ceil(len(self.state.listed_events) / self.history_page_size))

    def _history_page(self, number: int, count: int) -> Page:
        """One page of every event but upcoming maintenance; the first page shows the
        upcoming maintenance apart, above."""
        size = self.history_page_size
        chunk = self.state.listed_events[(number - 1) * size : number * size]
        title = self.language.gettext("History")
        if number > 1:
            title = self.language.gettext("History, page {number}").format(number=number)
        return Page(
            path=history_path(number),
            section="history",
            template=TEMPLATES["history"],
            title=title,
            context={
                "upcoming": self._views(self.state.upcoming_maintenances) if number == 1 else (),
                "months": self._months(chunk),
                "pagination": self._pagination(number, count),
            },
        )

    def incident(self, state: EventState) -> Page:
        return Page(
            path=incident_path(state.id),
            template=TEMPLATES["incident"],
            title=state.event.title,
            context={"event": self._own_view(state)},
        )

    def postmortem(self, state: EventState) -> Page:
        return Page(
            path=postmortem_path(state.id),
            template=TEMPLATES["postmortem"],
            title=self.language.gettext("Postmortem: {title}").format(title=state.event.title),
            context={"event": self._own_view(state)},
        )

    # Views --------------------------------------------------------------------------

    def _time(self, moment: datetime) -> Time:
        return Time(isoformat(moment), self.language.format_datetime(moment))

    def _views(self, states: Sequence[EventState]) -> tuple[EventView, ...]:
        return tuple(self._view(s) for s in states)

    def _event_view(self, state: EventState) -> EventView:
        event = state.event
        language = self.language
        duration = None
        if state.started_at is not None and state.ended_at is not None:
            duration = language.format_duration(state.ended_at - state.started_at)
        due = next_update_due(state, self.context.config.update_every)
        promise = None if due is None else Promise(self._time(due), self.state.now > due)
        window = None
        if isinstance(event, Maintenance):
            window = (self._time(event.scheduled_start), self._time(event.scheduled_end))
        return EventView(
            id=state.id,
            title=event.title,
            url=incident_path(state.id),
            is_maintenance=window is not None,
            is_active=state.is_active,
            is_drill=event.is_drill,
            impact=language.impact(event.impact),
            impact_class=event.impact.value,
            status=language.label(state.status),
            status_class=state.status.value,
            started=self._time(state.started_at) if state.started_at else None,
            ended=self._time(state.ended_at) if state.ended_at else None,
            duration=duration,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            postmortem_url=postmortem_path(state.id) if event.postmortem else None,
            details=LazyDetails(self, state),
            promise=promise,
        )

    def event_details(self, state: EventState) -> EventDetails:
        """What the event's own pages show besides its view (:class:`LazyDetails`)."""
        event = state.event
        language = self.language
        updates = tuple(
            UpdateView(
                anchor=update_anchor(u),
                status=language.label(u.status),
                status_class=u.status.value,
                time=self._time(u.at),
                html=self.context.markdown.html(u.body, once=True),
                changes=self._changes(state, index),
            )
            for index, u in reversed(list(enumerate(state.updates)))
        )
        return EventDetails(
            components=tuple(
                self._affected(state, cid, joined) for cid, joined in state.joined.items()
            ),
            updates=updates,
            postmortem_html=self.context.markdown.html(event.postmortem, once=True)
            if event.postmortem
            else None,
        )

    def _affected(self, state: EventState, cid: str, joined: datetime) -> AffectedComponent:
        status = state.last_status(cid)
        language = self.language
        return AffectedComponent(
            name=self.state.site.catalog.component(cid).name,
            url=component_path(cid),
            # Before the window, the status is a plan, not a fact.
            status=language.planned_label(status) if state.is_upcoming else language.label(status),
            status_class=STATUS_CLASS[status],
            joined=self._time(joined) if joined != state.created_at else None,
        )

    def _changes(self, state: EventState, index: int) -> tuple[str, ...]:
        """The changes the update's bracket names, with the status each had before."""
        return tuple(self.language.changes(self.state.site.catalog, state.changes(index)))

    def _component_view(self, component: Component) -> ComponentView:
        status = self.state.component_statuses[component.id]
        uptime = self.state.uptime[component.id]
        days = len(uptime.days)
        return ComponentView(
            id=component.id,
            name=component.name,
            description=component.description,
            url=component_path(component.id),
            status=self.language.label(status),
            status_class=STATUS_CLASS[status],
            uptime=self._uptime_span(uptime, days),
            narrow_uptime=self._uptime_span(uptime, NARROW_DAYS) if days > NARROW_DAYS else None,
            days=tuple(self._day_view(d) for d in uptime.days),
        )

    def _uptime_span(self, uptime: ComponentUptime, count: int) -> UptimeSpan:
        """The legend of the last ``count`` days of a bar: the figure covers the same
        days as the cells, and says from when it counts if the first days have no data
        (a component added since)."""
        language = self.language
        days = uptime.days[-count:]
        ratio = uptime.ratio_of_last(count)
        counted = [d for d in days if d.uptime is not None]
        days_ago = language.ngettext("{days} day ago", "{days} days ago", count)
        if ratio is None:
            label = language.ngettext(
                "No uptime data for the last {days} day",
                "No uptime data for the last {days} days",
                count,
            )
            return UptimeSpan(
                days_ago=days_ago.format(days=count),
                figure=language.gettext("No data"),
                label=label.format(days=count),
            )
        percent = self._percent(ratio)
        if counted[0] is days[0]:
            figure = language.gettext("{uptime} uptime").format(uptime=percent)
            label = language.ngettext(
                "{uptime} uptime over the last {days} day",
                "{uptime} uptime over the last {days} days",
                count,
            ).format(uptime=percent, days=count)
        else:
            since = language.format_date(counted[0].day)
            figure = language.gettext("{uptime} uptime since {date}").format(
                uptime=percent, date=since
            )
            label = language.gettext("{uptime} uptime since {date}, no data before").format(
                uptime=percent, date=since
            )
        return UptimeSpan(days_ago=days_ago.format(days=count), figure=figure, label=label)

    def _percent(self, ratio: float) -> str:
        return self.language.format_percent(shown_ratio(ratio))

    def _day_view(self, day: DayUptime) -> DayView:
        language = self.language
        when = language.format_date(day.day)
        if day.uptime is None:
            summary = language.gettext("{date}: no data").format(date=when)
            status_class = "none"
        else:
            summary = language.gettext("{date}: {uptime} uptime").format(
                date=when, uptime=self._percent(day.uptime)
            )
            status_class = STATUS_CLASS[day.worst_status]
        if day.maintenance_ids and day.worst_status is ComponentStatus.OPERATIONAL:
            status_class = STATUS_CLASS[ComponentStatus.UNDER_MAINTENANCE]
        event_ids = day.incident_ids + day.maintenance_ids
        titles = [self._states[i].event.title for i in event_ids if i in self._states]
        if titles:
            summary += " — " + "; ".join(titles)
        elif day.uptime is not None:
            summary += " — " + language.gettext("no incidents")
        return DayView(
            label=summary,
            status_class=status_class,
        )

    def _sections(self) -> tuple[ComponentSection, ...]:
        catalog = self.state.site.catalog
        sections: list[ComponentSection] = []
        ungrouped: list[ComponentView] = []
        seen_groups: set[str] = set()
        for component in catalog.components:
            if component.group is None:
                ungrouped.append(self._component(component))
                continue
            if component.group in seen_groups:
                continue
            if ungrouped:
                sections.append(self._section(None, ungrouped))
                ungrouped = []
            seen_groups.add(component.group)
            members = [self._component(c) for c in catalog.members(component.group)]
            sections.append(self._section(catalog.group(component.group), members))
        if ungrouped:
            sections.append(self._section(None, ungrouped))
        return tuple(sections)

    def _section(self, group: Group | None, members: list[ComponentView]) -> ComponentSection:
        worst = self.state.worst_status(c.id for c in members)
        return ComponentSection(
            group=group,
            status=self.language.label(worst),
            status_class=STATUS_CLASS[worst],
            components=tuple(members),
        )

    def _recent_days(self) -> tuple[DayOfEvents, ...]:
        """The last days with the events that are over, each under the day it is listed
        at (:attr:`EventState.listed_at`), newest day first."""
        today = self.state.now.date()
        by_day: dict[date, list[EventView]] = {
            today - timedelta(days=n): [] for n in range(RECENT_DAYS)
        }
        for state in self.state.past_events:
            day = by_day.get(state.listed_at.date())
            if day is not None:
                day.append(self._view(state))
        return tuple(
            DayOfEvents(self.language.format_date(day, "long"), tuple(events))
            for day, events in by_day.items()
        )

    def _months(self, states: Sequence[EventState]) -> tuple[DayOfEvents, ...]:
        """Events grouped by the month they are listed at, in the order given (which
        sorts by that moment)."""
        months: dict[tuple[int, int], list[EventView]] = {}
        for state in states:
            shown = state.listed_at
            months.setdefault((shown.year, shown.month), []).append(self._view(state))
        return tuple(
            DayOfEvents(self.language.format_month(date(year, month, 1)), tuple(events))
            for (year, month), events in months.items()
        )

    def _pagination(self, current: int, count: int) -> Pagination | None:
        if count <= 1:
            return None
        return Pagination(
            pages=tuple(PageLink(n, history_path(n), n == current) for n in range(1, count + 1)),
            previous_url=history_path(current - 1) if current > 1 else None,
            next_url=history_path(current + 1) if current < count else None,
        )


def _flat_globals(
    environment: jinja2.Environment, overlay: MutableMapping[str, Any] | None
) -> MutableMapping[str, Any]:
    """A template's globals: the environment's, then its own (``make_globals``)."""
    return {**environment.globals, **(overlay or {})}


class PageRenderer:
    """Renders the pages of one :class:`RenderContext` with a Jinja2 environment whose
    loader finds the ``statusgen/`` templates (the theme's, so ``theme/`` overrides them).

    ``globals_`` are added to every template's context (the theme's options).
    """

    def __init__(
        self,
        context: RenderContext,
        environment: jinja2.Environment,
        *,
        history_page_size: int = DEFAULT_HISTORY_PAGE_SIZE,
        globals_: dict[str, Any] | None = None,
    ) -> None:
        self.pages = SitePages(context, history_page_size)
        self.environment = environment
        # Titles and names are plain text: escaped, always (MkDocs' environment is not).
        environment.autoescape = True
        environment.add_extension("jinja2.ext.i18n")
        # Added by the i18n extension, so unknown to type checkers.
        install = environment.install_gettext_translations  # type: ignore[attr-defined]
        install(context.language.translations, newstyle=True)
        TemplateWords(context.language).install(environment)
        # Every global is set now, before any template is loaded: each template takes a
        # plain copy of them instead of Jinja's ChainMap over the environment's, which
        # each render, include and import copies or lists again in Python (a tenth of an
        # incident page). A global set on the environment later would reach only the
        # templates loaded after it.
        environment.make_globals = partial(_flat_globals, environment)  # type: ignore[method-assign]
        loader = environment.loader
        assert loader is not None
        # The stylesheet is found like a template, so that theme/ can replace it too.
        stylesheet, _, _ = loader.get_source(environment, STYLESHEET)
        language, state = context.language, context.state
        self.shared = {
            "stylesheet": stylesheet,
            "config": context.config,
            "state": state,
            "audience": state.site.audience,
            "lang": language,
            "status": {
                "indicator": state.indicator.value,
                "description": language.indicator(state.indicator),
                "class": STATUS_CLASS[state.indicator.component_status],
            },
            "generated": Time(isoformat(state.now), language.format_datetime(state.now)),
            **(globals_ or {}),
        }
        self._templates: dict[str, jinja2.Template] = {}

    def render_partial(self, name: str) -> str:
        """A partial template (``statusgen/partials/<name>``) with the shared context, for
        pages that statusgen does not render itself."""
        return self.environment.get_template(f"{PARTIALS}/{name}").render(self.shared)

    def render(self, page: Page) -> bytes:
        html = self._template(page.template).render(
            self.shared, page=page, root=page.root, **page.context
        )
        return html.encode()

    def _template(self, name: str) -> jinja2.Template:
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.environment.get_template(name)
        return template

    def compile_templates(self) -> None:
        """Compile every page template and partial now, rather than when a page first
        needs one: for processes that render pages with the templates they inherit."""
        partials = (TEMPLATES_DIR / PARTIALS).glob("*.html")
        for name in [*TEMPLATES.values(), *(f"{PARTIALS}/{p.name}" for p in partials)]:
            self._template(name)

    def files(self) -> list[tuple[str, str]]:
        """Every page's output path and URL, in site order, without making the pages."""
        return [(output_path_of(url), url) for url in self.pages.urls()]

    def sitemap(self, written: Sequence[str] = ()) -> bytes:
        """``sitemap.xml``: every page but the 404, then the ``written`` paths (pages
        written by hand, relative to the site root), with absolute URLs (no dates, so
        that a rebuild gives the same bytes)."""
        config = self.pages.context.config
        # The URLs of index pages are their paths; making every page again for its path
        # took a tenth of a second a thousand incidents.
        paths = [url for url in self.pages.urls() if url != NOT_FOUND_URL]
        urls = "".join(
            f"<url><loc>{escape(config.absolute_url(path))}</loc></url>\n"
            for path in [*paths, *written]
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        ).encode()

    def render_path(self, path: str) -> bytes | None:
        """The page at ``path`` (a URL path relative to the site root), or None."""
        page = self.pages.page_at(path)
        return None if page is None else self.render(page)
