"""Translations of statusgen's own words, and dates formatted for the site's language.

Catalogs are gettext ``.po`` files in ``statusgen/render/locales/<language>/LC_MESSAGES/``,
compiled in memory with Babel when first used (no build step, no ``.mo`` files to keep
in sync). A language without a catalog falls back to English, the source language.
The content of incidents is never translated: it is published as written.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent
from babel.support import Translations

from statusgen.core.model import (
    Catalog,
    ComponentStatus,
    Impact,
    IncidentStatus,
    MaintenanceStatus,
)
from statusgen.core.words import _
from statusgen.state.events import Transition
from statusgen.state.page import Indicator

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "statusgen"


#: The words for every status and impact, shared by pages, feeds and badges.
LABELS: dict[str, str] = {
    ComponentStatus.OPERATIONAL: _("Operational"),
    ComponentStatus.UNDER_MAINTENANCE: _("Under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: _("Degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: _("Partial outage"),
    ComponentStatus.MAJOR_OUTAGE: _("Major outage"),
    IncidentStatus.INVESTIGATING: _("Investigating"),
    IncidentStatus.IDENTIFIED: _("Identified"),
    IncidentStatus.MONITORING: _("Monitoring"),
    IncidentStatus.UPDATE: _("Update"),
    IncidentStatus.RESOLVED: _("Resolved"),
    MaintenanceStatus.SCHEDULED: _("Scheduled"),
    MaintenanceStatus.IN_PROGRESS: _("In progress"),
    MaintenanceStatus.VERIFYING: _("Verifying"),
    MaintenanceStatus.COMPLETED: _("Completed"),
}
#: What a maintenance that has not started will do to a component.
UNITS = {"hour": _("{count} h"), "minute": _("{count} min"), "second": _("{count} s")}
"""The short units of a duration below a day (days have plural forms)."""

PLANNED_LABELS: dict[ComponentStatus, str] = {
    ComponentStatus.OPERATIONAL: _("Will stay operational"),
    ComponentStatus.UNDER_MAINTENANCE: _("Will be under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: _("Will have degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: _("Will be partly unavailable"),
    ComponentStatus.MAJOR_OUTAGE: _("Will be unavailable"),
}
IMPACT_LABELS: dict[Impact, str] = {
    Impact.NONE: _("No impact"),
    Impact.MINOR: _("Minor"),
    Impact.MAJOR: _("Major"),
    Impact.CRITICAL: _("Critical"),
    Impact.MAINTENANCE: _("Maintenance"),
}


class Language:
    """The site's language: its translations and its date formats."""

    def __init__(self, code: str) -> None:
        try:
            self.locale = Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale("en")
        self.code = str(self.locale).replace("_", "-")
        self.translations = _translations(str(self.locale))
        self.translated = isinstance(self.translations, Translations)
        """Whether statusgen's words have a catalog in this language."""
        self._formatted: dict[Hashable, str] = {}

    def _once(self, key: Hashable, make: Callable[[], str]) -> str:
        """``make()``, computed once per ``key`` by this Language. Babel takes tens of
        microseconds a date or number, and a site shows the same days, times and figures
        on many pages and outputs. Each build makes its own Language, so nothing is kept
        from one build (or language) to the next."""
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = make()
        return found

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def label(self, value: str) -> str:
        """The translated word for a status (component, incident or maintenance)."""
        return self.gettext(LABELS[value])

    def planned_label(self, status: ComponentStatus) -> str:
        """The translated words for a status that a maintenance will give."""
        return self.gettext(PLANNED_LABELS[status])

    def changes(self, catalog: Catalog, transitions: Iterable[Transition]) -> list[str]:
        """Component changes in words: ``API: Major outage → Partial outage``, or
        ``API: Partial outage`` when an update repeats the status it had."""
        lines = []
        for t in transitions:
            name = catalog.component(t.component_id).name
            if t.old is t.new:
                line = self.gettext("{component}: {status}").format(
                    component=name, status=self.label(t.new)
                )
            else:
                line = self.gettext("{component}: {old} → {new}").format(
                    component=name, old=self.label(t.old), new=self.label(t.new)
                )
            lines.append(line)
        return lines

    def impact(self, impact: Impact) -> str:
        return self.gettext(IMPACT_LABELS[impact])

    def indicator(self, indicator: Indicator) -> str:
        """The page's overall status in words (Statuspage's, translated)."""
        return self.gettext(indicator.description)

    def format_date(self, day: date, style: str = "medium") -> str:
        """A date as the language writes it: ``Nov 28, 2026``, ``28 nov. 2026``."""
        return self._once(
            ("date", day, style), lambda: format_date(day, format=style, locale=self.locale)
        )

    @property
    def datetime_pattern(self) -> str:
        """How a date, a time and a zone's name make one moment; status.js writes the
        reader's local times with it too, so that every time on a page reads alike."""
        return self.gettext("{date}, {time} {zone}")

    def format_datetime(self, moment: datetime) -> str:
        """A time in UTC as the language writes it: ``Nov 28, 2026, 14:02 UTC``.
        24-hour in every language, as on Statuspage's pages: a status page is read across
        time zones and next to UTC, where a 24-hour clock is the custom (docs/site.md)."""
        # Not kept whole: nearly every moment of a site is an update's own, shown once or
        # twice, and keeping each (90,000 at 30,000 incidents, 15 MB) cost more memory
        # than the 2 us it saves; its date and its time of day are kept.
        moment = moment.astimezone(UTC)
        time = self._once(
            ("time", moment.hour, moment.minute),  # all that "HH:mm" shows
            lambda: format_time(moment, format="HH:mm", tzinfo=UTC, locale=self.locale),
        )
        return self.datetime_pattern.format(
            date=self.format_date(moment.date()), time=time, zone="UTC"
        )

    def format_duration(self, duration: timedelta) -> str:
        """A duration to the minute, in short units: ``1 h 38 min``, ``2 days 3 h``; under a
        minute, in seconds. The units are messages of the catalog (French keeps each number
        and its unit together with CLDR's no-break spaces: ``1\u202fh 38\u00a0min``)."""
        seconds = int(duration.total_seconds())
        if seconds < 60:
            return self._unit(seconds, "second")
        minutes = seconds // 60
        amounts = (
            (minutes // (24 * 60), "day"),
            (minutes // 60 % 24, "hour"),
            (minutes % 60, "minute"),
        )
        return " ".join(self._unit(amount, unit) for amount, unit in amounts if amount)

    def _unit(self, amount: int, unit: str) -> str:
        return self._once(("unit", amount, unit), lambda: self._unit_text(amount, unit))

    def _unit_text(self, amount: int, unit: str) -> str:
        if unit == "day":
            return self.ngettext("{count} day", "{count} days", amount).format(count=amount)
        return self.gettext(UNITS[unit]).format(count=amount)

    def format_percent(self, ratio: float) -> str:
        """A ratio as a percentage with up to two decimals: ``99.97%``, ``99,97 %``."""
        return self._once(
            ("percent", ratio),
            lambda: format_percent(ratio, format="#,##0.##%", locale=self.locale),
        )

    def format_list(self, items: Sequence[str]) -> str:
        """Items in a sentence: ``Payments and Public API``, ``A, B et C``."""
        return format_list(list(items), locale=self.locale)

    def format_month(self, day: date) -> str:
        """A month and year as a heading: ``November 2026``, ``novembre 2026``."""
        return self._once(
            ("month", day.year, day.month),
            lambda: format_date(day, format="LLLL y", locale=self.locale).capitalize(),
        )


@functools.cache
def _translations(locale: str) -> gettext.NullTranslations:
    for candidate in (locale, locale.split("_")[0]):
        path = LOCALES_DIR / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            with path.open("rb") as source:
                catalog = read_po(source, locale=candidate)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return Translations(compiled, domain=DOMAIN)
    return gettext.NullTranslations()


def available_languages() -> list[str]:
    """Languages with a catalog, besides English."""
    return sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir())
