"""What each family of 277 answers means for a quiet claim (pure)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from config.reference_data import x12_codes
from tasks.claim_status.meaning import verdict
from tasks.x12.ack277_model import StatusInfo
from tasks.x12.status_model import ClaimStatus, Provider

TODAY = date(2026, 12, 31)


def _answer(category: str, code: str, entity: str | None = None, **kw: object) -> ClaimStatus:
    return ClaimStatus("CS1", (StatusInfo(category, code, entity, TODAY),), "W1", Provider("P", "1"), "DOE", "JO", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("category", "code", "outcome", "queue", "moves"),
    [
        ("A2", "20", "accepted", None, "accepted"),
        ("A1", "19", "accepted", None, "accepted"),
        ("A4", "35", "missing_claim", "MISSING_CLAIM", "rejected"),
        ("A3", "21", "missing_claim", "MISSING_CLAIM", "rejected"),
        ("A6", "21", "missing_claim", "MISSING_CLAIM", "rejected"),
        ("A7", "97", "missing_claim", "MISSING_CLAIM", "rejected"),
        ("A8", "21", "missing_claim", "MISSING_CLAIM", "rejected"),
        ("P1", "20", "pended", None, "accepted"),
        ("P4", "21", "pended", None, "accepted"),
        ("F2", "88", "denied", "ELIGIBILITY", "accepted"),
        ("F2", "84", "denied", "AUTHORIZATION", "accepted"),
        ("F2", "1", "denied", "REVIEW", "accepted"),
        ("F4", "16", "forwarded", None, "accepted"),
        ("R4", "294", "requested_info", "REQUESTED_INFO", "accepted"),
        ("R1", "124", "requested_info", "REQUESTED_INFO", "accepted"),
        ("E1", "0", "retry", None, None),
        ("E0", "21", "review", "REVIEW", None),
    ],
)
def test_each_family_means_what_the_issue_says(
    category: str, code: str, outcome: str, queue: str | None, moves: str | None
) -> None:
    found = verdict(_answer(category, code), x12_codes(), today=TODAY, grace_days=7)
    assert found.outcome == outcome
    assert (found.entry.queue if found.entry else None) == queue
    assert {
        "accepted": found.payer_has_it,
        "rejected": found.never_reached,
        None: not (found.payer_has_it or found.never_reached),
    }[moves]


def test_no_answer_for_the_claim_is_not_found() -> None:
    found = verdict(None, x12_codes(), today=TODAY, grace_days=7)
    assert found.outcome == "missing_claim" and found.entry is not None and found.entry.codes == ("NOT-FOUND",)


def test_paid_waits_for_the_835_through_the_grace_period_then_is_missing_era() -> None:
    paid_on = TODAY - timedelta(days=7)
    paid = _answer("F1", "65", paid=Decimal("48.00"), remitted_on=paid_on, remittance_trace="EFT9")
    assert verdict(paid, x12_codes(), today=TODAY - timedelta(days=1), grace_days=7).outcome == "awaiting_era"
    found = verdict(paid, x12_codes(), today=TODAY, grace_days=7)
    assert found.outcome == "missing_era" and found.entry is not None and found.entry.queue == "MISSING_ERA"
    assert "paid $48.00, trace EFT9" in found.entry.explanation and "no 835 came in 7 days" in found.entry.explanation


def test_a_denial_is_said_in_words() -> None:
    found = verdict(_answer("F2", "88", "IL"), x12_codes(), today=TODAY, grace_days=7)
    assert found.entry is not None and found.entry.codes == ("F2:88:IL",)
    assert (
        "F2 finalized, denied; 88 entity not eligible for benefits on the dates of service; subscriber"
        in found.entry.explanation
    )
