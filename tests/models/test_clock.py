"""The one clock: a shift of the system clock, and dates read where the practice is."""

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from config.settings import clock_environment, get_settings, iso_duration
from models.clock import clock_shift, local_date, now_in, shift_to, today_in, utcnow

NEW_YORK = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[2]


def test_the_suite_runs_on_its_own_day_whatever_the_calendar_says() -> None:
    from tests.conftest import NOW, TODAY

    assert abs(utcnow() - NOW) < timedelta(hours=1)
    assert get_settings().today() == TODAY and today_in(NEW_YORK) == TODAY


def test_a_moved_clock_keeps_running_and_comes_back(clock_at: Callable[[datetime], None]) -> None:
    before = clock_shift()
    clock_at(datetime(2027, 1, 1, 4, 30, tzinfo=UTC))
    first, second = utcnow(), utcnow()
    assert timedelta(0) <= second - first < timedelta(seconds=1)
    assert abs(first - datetime(2027, 1, 1, 4, 30, tzinfo=UTC)) < timedelta(seconds=5)
    assert clock_shift() != before


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2027, 1, 1, 4, 30, tzinfo=UTC), date(2026, 12, 31)),  # 23:30 on New Year's Eve in New York
        (datetime(2027, 1, 1, 5, 0, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2028, 3, 1, 4, 59, tzinfo=UTC), date(2028, 2, 29)),
        (datetime(2027, 3, 14, 6, 59, tzinfo=UTC), date(2027, 3, 14)),  # 01:59 EST, just before clocks jump
        (datetime(2027, 3, 14, 7, 0, tzinfo=UTC), date(2027, 3, 14)),  # 03:00 EDT
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), date(2026, 11, 1)),  # 01:30 EDT, the first of two
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), date(2026, 11, 1)),  # 01:30 EST, the second
    ],
)
def test_today_is_the_practice_s_date(clock_at: Callable[[datetime], None], moment: datetime, day: date) -> None:
    clock_at(moment)
    assert get_settings().today() == day == local_date(moment, NEW_YORK)
    assert get_settings().now().tzinfo == NEW_YORK and now_in(NEW_YORK).date() == day


def test_a_naive_timestamp_has_no_date_anywhere() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2026, 12, 31, 23, 30), NEW_YORK)
    with pytest.raises(ValueError, match="timezone-aware"):
        shift_to(datetime(2026, 12, 31, 23, 30))


def test_a_process_started_with_the_clock_s_environment_reads_the_same_instant() -> None:
    """GROUPBILL_CLOCK_SHIFT is how served runs, workers and the sandbox server share a moved clock."""
    moment = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    code = "from config.settings import get_settings; print(get_settings().now().isoformat())"
    env = {**os.environ, "PYTHONPATH": str(ROOT), **clock_environment(moment)}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    seen = datetime.fromisoformat(done.stdout.strip())
    assert seen.utcoffset() == timedelta(hours=-5) and timedelta(0) <= seen - moment < timedelta(seconds=30)


def test_the_shift_is_an_iso_duration_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    for shift in (timedelta(days=-400, seconds=1.5), timedelta(0), timedelta(days=800, microseconds=250)):
        monkeypatch.setenv("GROUPBILL_CLOCK_SHIFT", iso_duration(shift))
        get_settings.cache_clear()
        assert get_settings().clock_shift == shift
    get_settings.cache_clear()


def test_a_bad_shift_is_one_line(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPBILL_CLOCK_SHIFT", "next tuesday")
    code, _, err = cli("claims", "list")
    assert code == 2 and err.count("\n") == 1 and "GROUPBILL_CLOCK_SHIFT" in err and "Traceback" not in err
