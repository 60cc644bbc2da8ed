"""Benchmarks: each measures one fixed scenario, on the practice's day TODAY whatever the calendar says."""

from datetime import UTC, date, datetime

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # 07:00 in New York


def pin_clock() -> None:
    """The benchmark's clock, in this process and the processes it starts, reads NOW (and runs on)."""
    from config.settings import move_clock_to

    move_clock_to(NOW)
