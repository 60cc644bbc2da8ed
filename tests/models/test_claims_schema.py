"""What the schema itself guarantees: one live original per attendance, exact money, UTC time."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session

from models.claims import Claim
from models.db import session_scope
from models.enums import ClaimFrequency, ClaimStatus
from models.types import to_money
from tests.factories import add_claim, make_attendance


def test_a_second_original_for_the_same_attendance_is_refused(engine: Engine) -> None:
    ids = make_attendance(engine)
    add_claim(engine, ids)
    with pytest.raises(IntegrityError):
        add_claim(engine, ids)


def test_a_rejected_original_frees_the_attendance_for_a_new_original(engine: Engine) -> None:
    ids = make_attendance(engine)
    add_claim(engine, ids, status=ClaimStatus.REJECTED)
    add_claim(engine, ids)
    with pytest.raises(IntegrityError):
        add_claim(engine, ids)


def test_replacements_and_voids_are_not_originals(engine: Engine) -> None:
    ids = make_attendance(engine)
    add_claim(engine, ids, status=ClaimStatus.CORRECTED)
    add_claim(engine, ids, frequency=ClaimFrequency.REPLACEMENT)
    add_claim(engine, ids, frequency=ClaimFrequency.VOID)


def test_money_is_stored_exactly_and_comes_back_as_decimal(engine: Engine) -> None:
    claim_id = add_claim(engine, make_attendance(engine))
    with session_scope(engine) as s:
        s.get(Claim, claim_id).total_charge = Decimal("0.10") + Decimal("0.20")
    with Session(engine) as s:
        assert s.get(Claim, claim_id).total_charge == Decimal("0.30")
        assert s.exec(text("SELECT total_charge FROM claim WHERE id = :i").bindparams(i=claim_id)).one()[0] == 30


def test_money_with_fractions_of_a_cent_is_refused(engine: Engine) -> None:
    claim_id = add_claim(engine, make_attendance(engine))
    with pytest.raises(StatementError), session_scope(engine) as s:
        s.get(Claim, claim_id).total_charge = Decimal("1.005")
    with pytest.raises(ValueError):
        to_money("2.001")
    assert to_money(3) == Decimal("3.00")


def test_timestamps_come_back_utc_aware_and_naive_ones_are_refused(engine: Engine) -> None:
    claim_id = add_claim(engine, make_attendance(engine))
    chicago = timezone(timedelta(hours=-6))
    with session_scope(engine) as s:
        s.get(Claim, claim_id).status_changed_at = datetime(2026, 11, 20, 10, 0, tzinfo=chicago)
    with Session(engine) as s:
        assert s.get(Claim, claim_id).status_changed_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
        assert s.get(Claim, claim_id).status_changed_at.tzinfo is UTC
    with pytest.raises(StatementError), session_scope(engine) as s:
        s.get(Claim, claim_id).status_changed_at = datetime(2026, 11, 20, 10, 0)
