"""Rules on the calendar's edges, in the practice's time zone (America/New_York): New Year's Eve late at
night, a year boundary inside a week, an authorization ending on 31 December, and a leap day."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from models.enums import Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.engine import scrub_context
from tasks.scrubbing.rules.payer import period_start
from tests.tasks.scrubbing.factory import ZONE, auth, context, other, summary


def _findings(ctx: ClaimContext) -> dict[str, Severity]:
    found, _ = scrub_context(ctx)
    return {f.rule_id: f.severity for f in found}


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of the practice's day (stored as UTC, as the database gives it back)."""
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def _on(ctx: ClaimContext, dos: date, *, today: date | None = None) -> ClaimContext:
    """The clean context moved to date of service `dos`: note signed and coverage verified that evening."""
    ctx.claim.service_date = ctx.session.service_date = dos
    ctx.today = today or dos
    assert ctx.note is not None and ctx.eligibility is not None
    ctx.note.signed_at = _local(dos, 19)
    ctx.eligibility.service_date, ctx.eligibility.checked_at = dos, _local(dos, 19)
    ctx.plans[0].start_date, ctx.plans[0].end_date = dos - timedelta(days=200), dos + timedelta(days=200)
    return ctx


def _medicaid(dos: date, **overrides: object) -> ClaimContext:
    ctx = _on(context("state_medicaid", **overrides), dos)
    ctx.lines[0].modifiers = ["HQ", "AJ"]
    return ctx


def test_the_moved_contexts_are_clean() -> None:
    for dos in (date(2026, 12, 31), date(2027, 1, 1), date(2028, 2, 29)):
        assert _findings(_on(context(), dos)) == {}
    assert _findings(_medicaid(date(2026, 12, 31), authorizations=[auth()])) == {}


@pytest.mark.parametrize(("signed", "late"), [((2026, 12, 31, 23, 50), False), ((2027, 1, 1, 0, 10), True)])
def test_a_note_signed_late_on_new_years_eve_counts_the_practice_s_days(signed: tuple[int, ...], late: bool) -> None:
    """23:50 in New York on 31 December is 04:50 UTC on 1 January: still day 7 after a 24 December session."""
    ctx = _on(context(), date(2026, 12, 24))
    assert ctx.note is not None
    ctx.note.signed_at = _local(date(*signed[:3]), *signed[3:])
    assert ("DOC_SIGNED_LATE" in _findings(ctx)) is late


@pytest.mark.parametrize(("checked", "stale"), [((2026, 12, 31, 23, 30), True), ((2027, 1, 1, 0, 30), False)])
def test_eligibility_age_counts_the_practice_s_days(checked: tuple[int, ...], stale: bool) -> None:
    """A check about another day speaks for a 31 January session if received in the 30 days before it
    (Medicare: 30): from 1 January local, not from 23:30 on 31 December (already 1 January in UTC)."""
    ctx = _on(context(), date(2027, 1, 31))
    assert ctx.eligibility is not None
    ctx.eligibility.service_date = date(2027, 1, 2)  # a check about another day stands in for this one
    ctx.eligibility.checked_at = _local(date(*checked[:3]), *checked[3:])
    ctx.eligibility.summary = summary()
    assert ("ELIG_NOT_VERIFIED" in _findings(ctx)) is stale


def _week_of_new_year(day: date) -> list:
    """Four earlier group sessions in the week of 28 December 2026 - 3 January 2027 (Monday to Thursday)."""
    return [other(80 + n, day=date(2026, 12, 28) + timedelta(days=n), session_id=60 + n, payer_id=21) for n in range(4)]


@pytest.mark.parametrize(
    ("dos", "over"), [(date(2027, 1, 1), True), (date(2027, 1, 3), True), (date(2027, 1, 4), False)]
)
def test_a_weekly_frequency_limit_runs_across_the_new_year(dos: date, over: bool) -> None:
    """Medicaid pays 4 a week; the week of 28 December holds New Year's Day and ends on Sunday 3 January."""
    ctx = _medicaid(dos, authorizations=[auth(end_date=date(2027, 3, 31))])
    ctx.other_claims = _week_of_new_year(dos)
    assert ("PAYER_FREQUENCY_LIMIT" in _findings(ctx)) is over


def test_period_starts_on_the_calendar_s_edges() -> None:
    assert period_start(date(2027, 1, 1), "week") == date(2026, 12, 28)
    assert period_start(date(2028, 2, 29), "week") == date(2028, 2, 28)
    assert period_start(date(2028, 2, 29), "month") == date(2028, 2, 1)
    assert period_start(date(2028, 2, 29), "year") == date(2028, 1, 1)


def test_an_authorization_ending_on_new_years_eve_covers_that_day_and_not_the_next() -> None:
    ending = auth(start_date=date(2026, 9, 1), end_date=date(2026, 12, 31))
    assert _findings(_medicaid(date(2026, 12, 31), authorizations=[ending])) == {}
    after = _findings(_medicaid(date(2027, 1, 1), authorizations=[ending]))
    assert after == {"AUTH_EXPIRED": Severity.ERROR}


def test_units_used_in_december_do_not_count_against_the_renewal_from_january() -> None:
    """The old authorization's last unit went on 30 December; 1 January draws on the renewal."""
    old = auth(id=1, number="PA-2026", units_authorized=1, end_date=date(2026, 12, 31))
    renewal = auth(id=2, number="PA-2027", units_authorized=4, start_date=date(2027, 1, 1), end_date=date(2027, 3, 31))
    used = [other(80, day=date(2026, 12, 30), session_id=60, payer_id=21)]
    ledger = {1: {80: 1}, 2: {}}  # the December claim consumed the old authorization's last unit
    both = {"authorizations": [old, renewal], "other_claims": used, "auth_holdings": ledger}
    assert "AUTH_EXHAUSTED" in _findings(_medicaid(date(2026, 12, 31), **both))
    assert _findings(_medicaid(date(2027, 1, 1), **both)) == {}


@pytest.mark.parametrize(
    ("today", "severity"), [(date(2028, 2, 29), Severity.WARN), (date(2028, 3, 1), Severity.ERROR)]
)
def test_timely_filing_counts_the_leap_day(today: date, severity: Severity) -> None:
    """Medicaid files within 180 days: from 2 September 2027 the 180th day is 29 February 2028."""
    ctx = _medicaid(date(2027, 9, 2), authorizations=[auth(start_date=date(2027, 9, 1), end_date=date(2027, 12, 31))])
    ctx.today = today
    assert _findings(ctx).get("PAYER_TIMELY_FILING") is severity


def test_a_leap_day_session_bills_and_its_note_counts_from_that_day() -> None:
    ctx = _on(context(), date(2028, 2, 29))
    assert ctx.note is not None
    ctx.note.signed_at = _local(date(2028, 3, 7), 23, 30)  # day 7: March 7 is a week after a leap day
    assert _findings(ctx) == {}
