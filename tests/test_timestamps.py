"""Timestamps as FORMAT.md defines them: a zone is required and never guessed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statusgen.core.timestamps import TimestampError, format_timestamp, parse_date, parse_timestamp

INSTANT = datetime(2026, 11, 28, 14, 2, tzinfo=UTC)
INSTANT_TEXT = "2026-11-28 14:02 UTC"
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
ST_JOHNS = ZoneInfo("America/St_Johns")  # half-hour offsets with DST: -03:30 / -02:30


def offset_text(offset: timedelta) -> str:
    """``+02:00`` / ``-05:30`` for a UTC offset, as FORMAT.md writes it."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def wall_clock_text(moment: datetime, *, space: str = " ") -> str:
    """The local wall-clock time of an aware datetime with its numeric offset."""
    offset = moment.utcoffset()
    assert offset is not None
    return f"{moment:%Y-%m-%d %H:%M}{space}{offset_text(offset)}"


def assert_utc(moment: datetime) -> None:
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(0)
    assert moment.tzname() == "UTC"


def parse_error(text: str) -> str:
    with pytest.raises(TimestampError) as caught:
        parse_timestamp(text)
    return str(caught.value)


# --- accepted forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28 14:02 UTC", INSTANT),
        ("2026-11-28 14:02UTC", INSTANT),
        ("2026-11-28 14:02 Z", INSTANT),
        ("2026-11-28 14:02Z", INSTANT),
        ("2026-11-28 14:02:00 UTC", INSTANT),
        ("2026-11-28 14:02:30 UTC", INSTANT + timedelta(seconds=30)),
        ("2026-11-28 14:02:30UTC", INSTANT + timedelta(seconds=30)),
        ("2026-11-28 14:02:30 Z", INSTANT + timedelta(seconds=30)),
        ("2026-11-28 14:02:30Z", INSTANT + timedelta(seconds=30)),
        ("2026-11-28 16:02 +02:00", INSTANT),
        ("2026-11-28 16:02+02:00", INSTANT),
        ("2026-11-28 16:02:30 +02:00", INSTANT + timedelta(seconds=30)),
        ("2026-11-28 16:02:30+02:00", INSTANT + timedelta(seconds=30)),
        ("2026-11-28 08:32 -05:30", INSTANT),
        ("2026-11-28 08:32-05:30", INSTANT),
        ("2026-11-28 14:02 +00:00", INSTANT),
        ("2026-11-28 14:02 -00:00", INSTANT),
        # The offset moves the date too.
        ("2026-11-29 01:02 +11:00", INSTANT),
        ("2026-11-27 23:02 -15:00", INSTANT),
        # RFC 3339
        ("2026-11-28T14:02:00Z", INSTANT),
        ("2026-11-28T16:02:00+02:00", INSTANT),
        ("2026-11-28T08:32:00-05:30", INSTANT),
        ("2026-11-28T14:02:00.250Z", INSTANT + timedelta(milliseconds=250)),
        # Surrounding whitespace is not part of the timestamp.
        ("  2026-11-28 14:02 UTC  ", INSTANT),
    ],
)
def test_accepted_forms_give_the_utc_instant(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert_utc(parsed)
    assert (parsed.year, parsed.month, parsed.day) == (expected.year, expected.month, expected.day)
    assert (parsed.hour, parsed.minute, parsed.second) == (
        expected.hour,
        expected.minute,
        expected.second,
    )


def test_leap_day_is_a_valid_date() -> None:
    assert parse_timestamp("2028-02-29 12:00 UTC") == datetime(2028, 2, 29, 12, tzinfo=UTC)


# --- rejected forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-11-28 14:02", "2026-11-28 14:02:30", "2026-11-28T14:02:00", "2026-11-28 14:02   "],
)
def test_a_timestamp_without_zone_is_an_error_never_guessed(text: str) -> None:
    message = parse_error(text)
    assert "no time zone" in message
    assert text.strip() in message
    assert "UTC" in message  # says how to fix it


@pytest.mark.parametrize("zone", ["CET", "CEST", "EST", "PST", "GMT", "Europe/Paris", "UT"])
def test_named_zones_are_rejected(zone: str) -> None:
    text = f"2026-11-28 14:02 {zone}"
    message = parse_error(text)
    assert f"'{zone}'" in message
    assert "not accepted" in message
    assert "+02:00" in message


@pytest.mark.parametrize(
    ("text", "compact", "fixed"),
    [
        ("2026-11-28 16:02 +0200", "+0200", "+02:00"),
        ("2026-11-28 16:02+0200", "+0200", "+02:00"),
        ("2026-11-28 08:32 -0530", "-0530", "-05:30"),
        ("2026-11-28 16:02:00 +0200", "+0200", "+02:00"),
    ],
)
def test_compact_offsets_need_a_colon(text: str, compact: str, fixed: str) -> None:
    message = parse_error(text)
    assert f"offset '{compact}'" in message
    assert "needs a colon" in message
    assert f"write {fixed}" in message


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30 10:00 UTC",  # February 30th
        "2026-02-29 10:00 UTC",  # not a leap year
        "2026-11-31 10:00 UTC",
        "2026-13-01 10:00 UTC",
        "2026-00-10 10:00 UTC",
        "2026-11-00 10:00 UTC",
        "2026-11-28 24:00 UTC",
        "2026-11-28 14:60 UTC",
        "2026-11-28 14:02:60 UTC",
        "2026-11-28 14:02 +24:00",
        "2026-11-28 14:02 +02:60",
    ],
)
def test_dates_and_times_that_do_not_exist_are_rejected(text: str) -> None:
    message = parse_error(text)
    assert f"'{text}' is not a valid time" in message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "now",
        "2026-11-28",
        "14:02 UTC",
        "28/11/2026 14:02 UTC",
        "2026/11/28 14:02 UTC",
        "26-11-28 14:02 UTC",
        "2026-11-28 14 UTC",
        "2026-11-28 1402 UTC",
        "2026-11-28 2:02 UTC",
        "2026-11-28_14:02 UTC",
        "Nov 28 2026 14:02 UTC",
    ],
)
def test_garbage_is_not_a_timestamp(text: str) -> None:
    message = parse_error(text)
    assert f"'{text}' is not a timestamp" in message
    assert "2026-11-28 14:02 UTC" in message  # the example of how to write one


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        ("2026-11-28 14:02 UTC UTC", " UTC"),
        ("2026-11-28 14:02 UTC+02:00", "+02:00"),
        ("2026-11-28 14:02 Z investigating", " investigating"),
    ],
)
def test_text_after_the_zone_is_rejected(text: str, extra: str) -> None:
    message = parse_error(text)
    assert f"unexpected '{extra}'" in message
    assert text in message


def test_timestamp_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        parse_timestamp("2026-11-28 14:02")


@pytest.mark.parametrize("text", ["0001-01-01 00:00 +01:00", "9999-12-31 23:59 -01:00"])
def test_out_of_range_instants_are_a_timestamp_error(text: str) -> None:
    parse_error(text)


@pytest.mark.parametrize(
    "text",
    ["2026-11-28 \u0661\u0664:\u0660\u0662 UTC", "2026-11-28 \uff11\uff14:\uff10\uff12 UTC"],
)
def test_non_ascii_digits_are_rejected(text: str) -> None:
    parse_error(text)


def test_two_spaces_before_the_zone_are_accepted_or_explained() -> None:
    text = "2026-11-28 14:02  UTC"
    try:
        parsed: datetime | str = parse_timestamp(text)
    except TimestampError as error:
        parsed = str(error)
    if isinstance(parsed, str):
        assert "time zone 'UTC'" not in parsed
    else:
        assert parsed == INSTANT


# --- time zones across daylight-saving switches -------------------------------------


def instants_around(switch: datetime, *, hours: int = 3) -> list[datetime]:
    """UTC instants every 30 minutes from ``hours`` before to ``hours`` after a switch."""
    steps = range(-2 * hours, 2 * hours + 1)
    return [switch + timedelta(minutes=30 * step) for step in steps]


DST_SWITCHES = [
    pytest.param(PARIS, datetime(2026, 3, 29, 1, 0, tzinfo=UTC), id="paris-spring"),
    pytest.param(PARIS, datetime(2026, 10, 25, 1, 0, tzinfo=UTC), id="paris-autumn"),
    pytest.param(NEW_YORK, datetime(2026, 3, 8, 7, 0, tzinfo=UTC), id="new-york-spring"),
    pytest.param(NEW_YORK, datetime(2026, 11, 1, 6, 0, tzinfo=UTC), id="new-york-autumn"),
    pytest.param(ST_JOHNS, datetime(2026, 3, 8, 5, 30, tzinfo=UTC), id="st-johns-spring"),
    pytest.param(ST_JOHNS, datetime(2026, 11, 1, 4, 30, tzinfo=UTC), id="st-johns-autumn"),
]


@pytest.mark.parametrize(("zone", "switch"), DST_SWITCHES)
def test_local_times_with_their_offset_give_the_right_instants(
    zone: tzinfo, switch: datetime
) -> None:
    instants = instants_around(switch)
    offsets = {moment.astimezone(zone).utcoffset() for moment in instants}
    assert len(offsets) == 2, "the window must straddle the switch"
    for moment in instants:
        for space in (" ", ""):
            text = wall_clock_text(moment.astimezone(zone), space=space)
            parsed = parse_timestamp(text)
            assert parsed == moment, text
            assert_utc(parsed)


@pytest.mark.parametrize(("zone", "switch"), DST_SWITCHES)
def test_parsed_local_times_sort_chronologically_across_the_switch(
    zone: tzinfo, switch: datetime
) -> None:
    texts = [wall_clock_text(m.astimezone(zone)) for m in instants_around(switch)]
    parsed = [parse_timestamp(text) for text in texts]
    assert parsed == sorted(parsed)
    assert len(set(parsed)) == len(parsed)
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(parsed))


def test_the_repeated_paris_hour_in_autumn_is_two_different_instants() -> None:
    # 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET, so 02:30 happens twice.
    first = parse_timestamp("2026-10-25 02:30 +02:00")
    second = parse_timestamp("2026-10-25 02:30 +01:00")
    # (Compared in UTC: by PEP 495, a time in the fold never equals one in another zone.)
    assert first == datetime(2026, 10, 25, 2, 30, tzinfo=PARIS).astimezone(UTC)  # CEST
    assert second == datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS).astimezone(UTC)  # CET
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert second - first == timedelta(hours=1)


def test_the_paris_spring_gap_is_one_minute_long_in_utc() -> None:
    # 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST.
    before = parse_timestamp("2026-03-29 01:59 +01:00")
    after = parse_timestamp("2026-03-29 03:00 +02:00")
    assert before.utcoffset() == after.utcoffset() == timedelta(0)
    assert before == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert after == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert after - before == timedelta(minutes=1)
    assert PARIS.utcoffset(datetime(2026, 3, 29, 1, 59)) == timedelta(hours=1)
    assert PARIS.utcoffset(datetime(2026, 3, 29, 3, 0)) == timedelta(hours=2)


def test_the_repeated_new_york_hour_in_autumn_is_two_different_instants() -> None:
    # 2026-11-01: clocks go back from 02:00 EDT (-04:00) to 01:00 EST (-05:00).
    edt = parse_timestamp("2026-11-01 01:30 -04:00")
    est = parse_timestamp("2026-11-01 01:30 -05:00")
    assert edt == datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK).astimezone(UTC)
    assert est == datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK).astimezone(UTC)
    assert (edt, est) == (
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    )
    assert edt < est


def test_the_same_wall_clock_in_paris_and_new_york_is_ordered_by_instant() -> None:
    paris = parse_timestamp("2026-03-29 09:00 +02:00")  # 07:00 UTC
    new_york = parse_timestamp("2026-03-29 04:00 -04:00")  # 08:00 UTC
    assert paris < new_york
    assert new_york - paris == timedelta(hours=1)


def test_the_same_instant_in_different_offsets_is_equal() -> None:
    texts = [
        "2026-10-25 00:30 UTC",
        "2026-10-25 00:30Z",
        "2026-10-25 02:30 +02:00",
        "2026-10-25 01:30 +01:00",
        "2026-10-24 20:30 -04:00",
        "2026-10-24T19:30:00-05:00",
    ]
    assert len({parse_timestamp(text) for text in texts}) == 1


# --- format_timestamp ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (INSTANT, "2026-11-28 14:02 UTC"),
        (INSTANT + timedelta(seconds=30), "2026-11-28 14:02:30 UTC"),
        (INSTANT + timedelta(microseconds=250_000), "2026-11-28 14:02:00.250000 UTC"),
        (datetime(2026, 11, 28, 16, 2, tzinfo=timezone(timedelta(hours=2))), INSTANT_TEXT),
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS), "2026-10-25 01:30 UTC"),
    ],
)
def test_format_timestamp_writes_utc(moment: datetime, text: str) -> None:
    assert format_timestamp(moment) == text
    assert parse_timestamp(text) == moment.astimezone(UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-28 16:02 +02:00",
        "2026-11-28T08:32:00-05:30",
        "2026-11-28 14:02:30Z",
        "2026-10-25 02:30 +01:00",
        "2026-11-28T14:02:00.123456Z",
    ],
)
def test_format_of_a_parsed_timestamp_parses_back(text: str) -> None:
    parsed = parse_timestamp(text)
    written = format_timestamp(parsed)
    assert written.endswith(" UTC")
    assert parse_timestamp(written) == parsed
    assert format_timestamp(parse_timestamp(written)) == written


MAX_OFFSET = timedelta(hours=23, minutes=59)
fixed_offsets = st.builds(
    timezone,
    st.timedeltas(min_value=-MAX_OFFSET, max_value=MAX_OFFSET),
)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.one_of(st.just(UTC), fixed_offsets, st.timezones()),
    )
)
def test_format_timestamp_round_trips(moment: datetime) -> None:
    written = format_timestamp(moment)
    parsed = parse_timestamp(written)
    assert parsed == moment.astimezone(UTC)  # in UTC: see PEP 495 on folds
    assert_utc(parsed)


def test_format_timestamp_round_trips_before_year_1000() -> None:
    moment = datetime(999, 1, 1, tzinfo=UTC)
    assert parse_timestamp(format_timestamp(moment)) == moment


# --- parse_date (components.yml 'since') --------------------------------------------


def test_parse_date_reads_a_calendar_day() -> None:
    assert parse_date("2024-01-01").isoformat() == "2024-01-01"
    assert parse_date(" 2024-02-29 ").isoformat() == "2024-02-29"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2024-1-1", "is not a date"),
        ("01.01.2024", "is not a date"),
        ("2024-01-01 00:00 UTC", "is not a date"),
        ("2023-02-29", "is not a valid date"),
        ("2024-13-01", "is not a valid date"),
    ],
)
def test_parse_date_rejects_what_is_not_a_day(text: str, fragment: str) -> None:
    with pytest.raises(TimestampError) as caught:
        parse_date(text)
    assert fragment in str(caught.value)
    assert text in str(caught.value)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_the_common_form_reads_as_the_general_one(moment: datetime) -> None:
    """``YYYY-MM-DD HH:MM UTC`` is read without the general expression: to the same time."""
    common = parse_timestamp(f"{moment:%Y-%m-%d %H:%M} UTC")
    general = parse_timestamp(f"{moment:%Y-%m-%dT%H:%M}Z")
    assert common == general == moment.replace(second=0, microsecond=0, tzinfo=UTC)
    assert common.tzinfo is UTC
