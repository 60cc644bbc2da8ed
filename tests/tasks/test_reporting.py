"""The billing report's formulas and the timely-filing clock, on hand-made facts."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tasks.reporting.metrics import (
    ClaimFacts,
    authorization_burn,
    days_in_ar,
    first_pass,
    money,
    past_turnaround,
    rate,
)
from tasks.reporting.queues import timely_state

TODAY = date(2026, 11, 27)


def _fact(i: int, status: str, *, rejected: bool = False, first: str | None = None, **money: object) -> ClaimFacts:
    return ClaimFacts(i, status, D("75.00"), date(2026, 11, 1), rejected, first, **money)  # type: ignore[arg-type]


def test_first_pass_rates_count_what_they_say() -> None:
    facts = [
        _fact(1, "paid", first="paid"),
        _fact(2, "denied", first="denied"),
        _fact(3, "paid", rejected=True, first="paid"),  # resent after a 277CA rejection
        _fact(4, "accepted"),
        ClaimFacts(5, "on_hold", D("75.00"), None, False, None),
    ]
    acceptance, payment, denial = first_pass(facts)
    assert (acceptance.value, payment.value, denial.value) == ("75.0%", "66.7%", "33.3%")
    assert "(3) / claims submitted (4)" in acceptance.formula


def test_money_and_ar() -> None:
    facts = [
        _fact(
            1,
            "paid",
            first="paid",
            paid=D("40.00"),
            allowed=D("60.00"),
            patient_responsibility=D("20.00"),
            paid_on=date(2026, 11, 11),
        ),
        _fact(2, "submitted"),
    ]
    values = {m.name: m.value for m in money(facts)}
    assert values == {
        "billed": "150.00",
        "allowed": "60.00",
        "paid": "40.00",
        "patient responsibility": "20.00",
        "collection rate": "66.7%",
    }
    average, buckets = days_in_ar(facts, TODAY)
    assert average.value == "18.0" and buckets == {"0-30": 1, "31-60": 0, "61-90": 0, "90+": 0}
    assert authorization_burn(10, 2, 3).value == "50.0%" and rate(1, 0) == "n/a"


def test_claims_past_turnaround_and_their_dollars() -> None:
    claims, dollars = past_turnaround([D("75.00"), D("95.50")])
    assert (claims.value, dollars.value) == ("2", "170.50") and "paid_within_days" in claims.formula
    assert [m.value for m in past_turnaround([])] == ["0", "0.00"]


@given(st.dates(min_value=date(2020, 1, 1), max_value=TODAY), st.integers(1, 400), st.floats(0.1, 1.0))
def test_timely_filing_clock(service: date, limit: int, warn_at: float) -> None:
    left, state = timely_state(service, TODAY, limit, warn_at)
    elapsed = (TODAY - service).days
    assert left == limit - elapsed
    assert state == ("past" if elapsed > limit else "near" if elapsed >= limit * warn_at else None)
