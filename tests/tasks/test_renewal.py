"""278 renewals: the request from an authorization, the payer's answer into a new authorization."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models.errors import InputError
from models.patients import Authorization
from tasks.preauth.renewal import apply_response, renewal_request
from tasks.x12.auth278 import Decision, read_278, write_278

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _request(db: Session) -> tuple[Authorization, str]:
    auth = db.exec(select(Authorization).order_by(Authorization.id)).first()
    assert auth is not None
    return auth, renewal_request(db, auth.source_id, visits=10, days=60, submitter_id="GROUPBILL", control=5, now=NOW)


def test_the_request_asks_for_the_days_after_the_authorization_ends(db: Session, imported) -> None:
    auth, text = _request(db)
    review = read_278(text)
    assert review.decision is None and review.certification_type == "R" and review.trace_number == f"GBAUTH{auth.id}"
    assert review.start == max(auth.end_date + timedelta(days=1), NOW.date())
    assert (review.end - review.start).days == 59 and review.visits == 10 and review.procedure == auth.cpt_codes[0]
    assert write_278(review) == text


@pytest.mark.parametrize(
    ("action", "creates"), [("A1", True), ("A2", True), ("A6", True), ("A3", False), ("A4", False)]
)
def test_a_certification_becomes_an_authorization_once(db: Session, imported, action: str, creates: bool) -> None:
    auth, text = _request(db)
    review = read_278(text)
    decided = replace(review, decision=Decision(action, "CERT778", None, date(2027, 1, 1), date(2027, 3, 1), 6))
    outcome = apply_response(db, read_278(write_278(decided)))
    again = apply_response(db, read_278(write_278(decided)))
    created = db.exec(select(Authorization).where(Authorization.number == "CERT778")).all()
    assert (outcome.authorization_id is not None) is creates and outcome == again
    if creates:
        (new,) = created
        assert (new.patient_id, new.payer_id, new.cpt_codes) == (auth.patient_id, auth.payer_id, auth.cpt_codes)
        assert (new.units_authorized, new.start_date, new.end_date) == (6, date(2027, 1, 1), date(2027, 3, 1))
    else:
        assert created == []


def test_wrong_278s_are_input_errors(db: Session, imported) -> None:
    _, text = _request(db)
    review = read_278(text)
    with pytest.raises(InputError, match="a request, not a response"):
        apply_response(db, review)
    stranger = replace(review, trace_number="SOMEONE9", decision=Decision("A1", "X1"))
    with pytest.raises(InputError, match="names no authorization of ours"):
        apply_response(db, stranger)
    with pytest.raises(InputError, match="no such authorization"):
        renewal_request(db, "AUTH-NOPE", visits=1, days=1, submitter_id="G", control=1, now=NOW)
