"""Maintenance calendars (iCalendar, RFC 5545): the site's and each component's.

Subscribers add ``maintenance.ics`` to their calendar application, which polls it; each
maintenance is a VEVENT over its announced window. Every value comes from the content
(the window, the published updates) except DTSTAMP, which is when the calendar was built:
the build's ``now``, never the clock, so that a build with a fixed ``--now`` gives the same
bytes. The ``icalendar`` package escapes text, folds lines at 75 octets and ends them
with CRLF.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vDuration

from statusgen.core.model import Maintenance
from statusgen.render.context import RenderContext
from statusgen.render.markup import text_of_html
from statusgen.render.urls import CALENDAR_FILE, component_path, incident_path
from statusgen.state.events import EventState

PRODID = "-//statusgen//statusgen//EN"
#: How often calendar applications should poll (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=1)
_CALENDAR_END = b"END:VCALENDAR\r\n"


def render_calendars(context: RenderContext) -> dict[str, bytes]:
    """``maintenance.ics`` and ``components/<id>/maintenance.ics``.

    A component without maintenance still gets its (empty) calendar, so that a
    subscription made today keeps working when its first maintenance is announced.

    :raises ValueError: when the site has no ``site_url``: event URLs and UIDs need it.
    """
    return CalendarBuilder(context).render()


class CalendarBuilder:
    """Builds the calendars of one render context."""

    def __init__(self, context: RenderContext) -> None:
        url = context.config.url
        if url is None:
            raise ValueError("calendars need the site's absolute URL: set site_url in mkdocs.yml")
        self.context = context
        self.base = url
        # UIDs must be globally unique: the event id, which is unique in the site, at
        # the site's host.
        self.host = urlsplit(url).hostname or "statusgen"
        # A maintenance is in the site's calendar and in each of its components': its
        # VEVENT is made and serialised once, by event id.
        self._events: dict[str, bytes] = {}

    def render(self) -> dict[str, bytes]:
        state = self.context.state
        language = self.context.language
        site = self.context.config.name
        files = {
            CALENDAR_FILE: self.calendar(
                language.gettext("{site}: maintenance").format(site=site), state.maintenances
            )
        }
        for component in state.site.catalog.components:
            name = language.gettext("{site}: {component} maintenance").format(
                site=site, component=component.name
            )
            events = (e for e in state.events_by_component[component.id] if e.is_maintenance)
            files[f"{component_path(component.id)}{CALENDAR_FILE}"] = self.calendar(name, events)
        return files

    def calendar(self, name: str, maintenances: Iterable[EventState]) -> bytes:
        """A VCALENDAR of these maintenances, ordered by id for stable bytes."""
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        # No METHOD: a published calendar is not an iTIP message (METHOD:PUBLISH would
        # require an ORGANIZER on every event, libical checks it).
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
        if self.context.config.description:
            calendar.add("x-wr-caldesc", self.context.config.description)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
        events = [self._event_bytes(state) for state in sorted(maintenances, key=lambda s: s.id)]
        if not events:
            # RFC 5545 requires at least one component: an empty calendar carries the
            # time zone its events are written in, which no application shows.
            calendar.add_component(_utc_timezone())
        # icalendar writes a calendar as its content lines joined by CRLF, each
        # subcomponent's lines between its own BEGIN and END: the same bytes as the
        # calendar's lines with each subcomponent's to_ical() inserted before the last
        # line. Serialising each VEVENT once and inserting its bytes saves folding its
        # lines again in every calendar it is in (folding is most of icalendar's time).
        empty = bytes(calendar.to_ical())
        assert empty.endswith(_CALENDAR_END)
        return empty[: -len(_CALENDAR_END)] + b"".join(events) + _CALENDAR_END

    def _event_bytes(self, state: EventState) -> bytes:
        data = self._events.get(state.id)
        if data is None:
            data = self._events[state.id] = bytes(self.event(state).to_ical())
        return data

    def event(self, state: EventState) -> Event:
        """One maintenance as a VEVENT over its announced window (times in UTC)."""
        maintenance = state.event
        assert isinstance(maintenance, Maintenance)
        url = self.base + incident_path(maintenance.id)
        names = [self.context.state.site.catalog.component(c).name for c in maintenance.components]
        event = Event()
        event.add("uid", f"{maintenance.id}@{self.host}")
        # DTSTAMP is when this copy of the event was written out: the build's now, in
        # UTC as RFC 5545 requires.
        # LAST-MODIFIED is when the event itself last changed, its latest published
        # update, and SEQUENCE grows by one with each update so that clients replace
        # their copy.
        event.add("dtstamp", self.context.state.now.astimezone(UTC))
        event.add("created", state.created_at)
        event.add("last-modified", state.updated_at)
        event.add("sequence", len(state.updates) - 1)
        event.add("dtstart", maintenance.scheduled_start)
        event.add("dtend", maintenance.scheduled_end)
        event.add("summary", maintenance.title)
        # Applications show DESCRIPTION as it is: the latest update as plain text (no
        # Markdown syntax, no hard line breaks), then the page, since many applications
        # do not show the URL property.
        text = text_of_html(self.context.markdown.html(state.last_update.body), self.base)
        event.add("description", f"{text}\n\n{url}".lstrip())
        event.add("url", url)
        event.add("status", "CANCELLED" if state.is_cancelled else "CONFIRMED")
        # Maintenance is information, not a meeting: it must not mark anyone busy.
        event.add("transp", "TRANSPARENT")
        event.add("categories", names)
        return event


def _utc_timezone() -> Timezone:
    """A VTIMEZONE for UTC, with its one STANDARD observance."""
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    timezone = Timezone()
    timezone.add("tzid", "UTC")
    timezone.add_component(standard)
    return timezone
