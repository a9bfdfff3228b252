"""Timestamps as FORMAT.md writes them, with a zone that is required, never guessed.

Accepted: ``2026-11-28 14:02 UTC``, ``2026-11-28 14:02:30Z``, ``2026-11-28 16:02 +02:00``
(with or without a space before the zone), and RFC 3339 (``2026-11-28T14:02:00Z``).
Every parsed time is returned in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_TIMESTAMP = re.compile(
    r"""
    (?P<date>\d{4}-\d{2}-\d{2})
    (?:[Tt]|[ ])
    (?P<hour>\d{2}):(?P<minute>\d{2})
    (?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6})\d*)?)?
    (?P<space>[ ]*)
    (?P<zone>UTC|Z|(?P<sign>[+-])(?P<offset_hours>\d{2}):(?P<offset_minutes>\d{2}))?
    (?P<rest>.*)
    """,
    re.VERBOSE | re.IGNORECASE | re.DOTALL | re.ASCII,
)

# The form statusgen writes and most files hold, read without the general expression.
_COMMON = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}) UTC")

_COMPACT_OFFSET = re.compile(r"[ ]*([+-])([0-9]{2})([0-9]{2})")

EXAMPLE = "2026-11-28 14:02 UTC"


class TimestampError(ValueError):
    """A timestamp that cannot be read; the message says how to write it."""


def parse_timestamp(text: str) -> datetime:
    """Parse a FORMAT.md timestamp into an aware :class:`datetime` in UTC.

    :raises TimestampError: when the text is not a timestamp, has no zone, or names
        a date or time that does not exist.
    """
    common = _COMMON.fullmatch(text)
    if common is not None:
        try:
            year, month, days, hour, minute = map(int, common.groups())
            return datetime(year, month, days, hour, minute, tzinfo=UTC)
        except ValueError:
            pass  # no such date or time: the general reading below says why
    match = _TIMESTAMP.fullmatch(text.strip())
    if match is None:
        raise TimestampError(
            f"'{text}' is not a timestamp: write YYYY-MM-DD HH:MM with a zone, like '{EXAMPLE}'"
        )
    rest = match["rest"]
    if match["zone"] is None:
        if not rest.strip():
            raise TimestampError(
                f"timestamp '{text.strip()}' has no time zone: add UTC, Z or an offset like "
                "+02:00 (times are never guessed)"
            )
        compact = _COMPACT_OFFSET.fullmatch(rest)
        if compact:
            sign, hours, minutes = compact.groups()
            raise TimestampError(
                f"offset '{rest.strip()}' in '{text.strip()}' needs a colon: write "
                f"{sign}{hours}:{minutes}"
            )
        raise TimestampError(
            f"time zone '{rest.strip()}' in '{text.strip()}' is not accepted: write UTC, Z "
            "or a numeric offset like +02:00"
        )
    if rest:
        raise TimestampError(
            f"unexpected '{rest}' after the time zone in '{text.strip()}': "
            f"write a timestamp like '{EXAMPLE}'"
        )
    try:
        day = date.fromisoformat(match["date"])
        fraction = (match["fraction"] or "0").ljust(6, "0")
        zone = _zone(match)
        moment = datetime(
            day.year,
            day.month,
            day.day,
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            int(fraction),
            tzinfo=zone,
        )
        return moment.astimezone(UTC)
    except ValueError as error:
        raise TimestampError(f"'{text.strip()}' is not a valid time: {error}") from None
    except OverflowError:
        raise TimestampError(f"'{text.strip()}' is out of the range of dates") from None


def _zone(match: re.Match[str]) -> timezone:
    if match["sign"] is None:
        return UTC
    hours, minutes = int(match["offset_hours"]), int(match["offset_minutes"])
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {match['zone']} is out of range (-23:59 to +23:59)")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if match["sign"] == "-" else offset)


def parse_date(text: str) -> date:
    """Parse a ``YYYY-MM-DD`` date.

    :raises TimestampError: when the text is not such a date or the date does not exist.
    """
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
        raise TimestampError(f"'{text}' is not a date: write YYYY-MM-DD, like 2024-01-01")
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise TimestampError(f"'{text.strip()}' is not a valid date: {error}") from None


def format_timestamp(moment: datetime) -> str:
    """Write a time the way statusgen writes it in files: ``2026-11-28 14:02 UTC``.

    Seconds are kept only when they are not zero, so that the result parses back to
    the same instant.
    """
    moment = moment.astimezone(UTC)
    text = f"{moment.date().isoformat()} {moment:%H:%M}"
    if moment.second or moment.microsecond:
        text += f":{moment:%S}"
    if moment.microsecond:
        text += f".{moment:%f}"
    return f"{text} UTC"


def compact_timestamp(moment: datetime) -> str:
    """``20261128T140200Z``: a time in UTC as an id or anchor can hold it (update ids,
    anchors and notice keys)."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def isoformat(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``, as published in feeds and the API."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
