"""The one clock: every "now" groupbill uses, and through the practice's time zone every "today".

It reads the system clock moved by a shift, zero unless something sets it. A shift rather than a frozen
instant: time keeps running, so timestamps written one after another stay in order, and every process
given the same shift agrees on the instant. config.settings applies GROUPBILL_CLOCK_SHIFT when the
settings are read, which is how a served flow run, an xdist worker or the sandbox server inherit the
shift of the process that started them; `groupbill demo --today` and the tests set it directly.

Dates of business meaning (date of service, when a note was signed, when a claim left) are dates where
the practice is: `local_date` turns a stored UTC timestamp into one, so 23:30 on 31 December in New York
stays 31 December although it is already 1 January in UTC.
"""

from datetime import UTC, date, datetime, timedelta, tzinfo

_shift = timedelta(0)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (the system clock moved by the shift)."""
    return datetime.now(UTC) + _shift


def now_in(zone: tzinfo) -> datetime:
    """The current time where `zone` is, timezone-aware."""
    return utcnow().astimezone(zone)


def today_in(zone: tzinfo) -> date:
    """Today's date where `zone` is."""
    return now_in(zone).date()


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The calendar date of an aware `moment` where `zone` is."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {moment!r} must be timezone-aware")
    return moment.astimezone(zone).date()


def clock_shift() -> timedelta:
    """How far the clock is from the system clock."""
    return _shift


def set_clock_shift(shift: timedelta) -> None:
    """Move the clock `shift` away from the system clock (timedelta(0): the system clock again)."""
    global _shift
    _shift = shift


def shift_to(moment: datetime) -> timedelta:
    """The shift that makes the clock read the aware `moment` now."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {moment!r} must be timezone-aware")
    return moment - datetime.now(UTC)
