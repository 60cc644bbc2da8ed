"""After ops fix the data: re-scrub, resend a rejected claim, correct or void an adjudicated one."""

import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.claims import Claim
from models.db import lock_billing, session_scope
from models.enums import ClaimFrequency, ClaimStatus, LedgerKind
from models.errors import InputError
from models.exchange import SubmissionBatch, WorkItem
from models.patients import AuthLedgerEntry, Authorization
from tasks.daily import pipeline
from tasks.fixing.corrections import correct
from tasks.preauth.ledger import balance, holdings
from tasks.x12.claim837_reader import read_837p
from tests.conftest import TODAY
from tests.tasks.daily.conftest import Billing
from tests.waiting import still_running


def _claim(billing: Billing, claim_id: int) -> Claim:
    with Session(billing.engine) as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None
        return claim


def _adjudicated(billing: Billing) -> list[Claim]:
    billing.prepare()
    billing.submit()
    billing.collect()
    with Session(billing.engine) as s:
        return list(s.exec(select(Claim).where(col(Claim.status) == ClaimStatus.PAID).order_by(col(Claim.id))))


def test_correct_sends_a_replacement_with_the_payer_claim_number(billing: Billing) -> None:
    paid = _adjudicated(billing)[0]
    result = pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")
    replacement = _claim(billing, result["claim_id"])
    assert result["ready"] == 1 and replacement.frequency is ClaimFrequency.REPLACEMENT
    assert (
        replacement.original_claim_id == paid.id and replacement.patient_control_number != paid.patient_control_number
    )
    billing.submit()
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch).order_by(col(SubmissionBatch.id).desc())).first()
    sent = read_837p(Path(batch.file_path or "").read_text()).claims  # type: ignore[union-attr]
    assert [(c.frequency, c.payer_claim_number) for c in sent] == [("7", paid.payer_claim_number)]
    assert _claim(billing, paid.id or 0).status is ClaimStatus.CORRECTED
    with pytest.raises(InputError, match="only accepted or adjudicated claims are corrected"):
        pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")


def test_void_takes_back_the_claim_and_its_units(billing: Billing) -> None:
    paid = next(c for c in _adjudicated(billing) if c.authorization_id is not None)
    result = pipeline.reprocess(billing.engine, paid.id or 0, "void", source="test")
    assert _claim(billing, result["claim_id"]).frequency is ClaimFrequency.VOID
    with pytest.raises(InputError, match="already replaces it"):
        pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")
    billing.submit()
    assert _claim(billing, paid.id or 0).status is ClaimStatus.VOIDED
    with Session(billing.engine) as s:
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
    assert paid.id not in held and held[result["claim_id"]].kind is LedgerKind.CONSUME


def test_a_correction_takes_over_its_original_s_units_when_none_are_left(billing: Billing) -> None:
    """The replacement bills the same service: it may use the units its original holds, and once it is
    sent the original's units are released, so the authorization counts them once."""
    paid = next(c for c in _adjudicated(billing) if c.authorization_id is not None)
    with Session(billing.engine) as s:
        auth = s.get(Authorization, paid.authorization_id)
        assert auth is not None
        entries = s.exec(select(AuthLedgerEntry).where(AuthLedgerEntry.authorization_id == auth.id)).all()
        auth.units_authorized = auth.units_authorized - balance(auth.units_authorized, entries).remaining
        s.add(auth)  # not one unit left
        s.commit()
        auth_id, authorized = auth.id, auth.units_authorized
    result = pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")
    assert result["ready"] == 1
    billing.submit()
    assert _claim(billing, paid.id or 0).status is ClaimStatus.CORRECTED
    with Session(billing.engine) as s:
        entries = s.exec(
            select(AuthLedgerEntry).where(AuthLedgerEntry.authorization_id == auth_id).order_by(col(AuthLedgerEntry.id))
        ).all()
    held = holdings(entries)
    assert paid.id not in held and held[result["claim_id"]].kind is LedgerKind.CONSUME
    assert balance(authorized, entries).remaining == 0


def test_resend_makes_a_new_original_once_and_closes_the_rejection_work(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    with Session(billing.engine) as s:
        claim = s.exec(select(Claim).where(Claim.status == ClaimStatus.SUBMITTED)).first()
        assert claim is not None
        claim.status = ClaimStatus.REJECTED
        s.add(WorkItem(claim_id=claim.id, queue="FIX_AND_RESEND", codes=["A7:562:85"], explanation="x", source="t"))
        s.commit()
        rejected_id = claim.id or 0
    with pytest.raises(InputError, match="only unsent claims are re-scrubbed"):
        pipeline.reprocess(billing.engine, rejected_id, "rescrub", source="test")
    result = pipeline.reprocess(billing.engine, rejected_id, "resend", source="test")
    new = _claim(billing, result["claim_id"])
    assert new.frequency is ClaimFrequency.ORIGINAL and new.attendance_id == _claim(billing, rejected_id).attendance_id
    with Session(billing.engine) as s:
        assert s.exec(select(WorkItem).where(WorkItem.claim_id == rejected_id)).one().resolved_at is not None
    with pytest.raises(InputError, match=f"already resent as claim {new.id}"):
        pipeline.reprocess(billing.engine, rejected_id, "resend", source="test")
    assert pipeline.draft(billing.engine, billing.window, source="test")["drafted"] == 0


def test_wrong_requests_are_one_line_input_errors(billing: Billing) -> None:
    billing.prepare()
    with pytest.raises(InputError, match="claim 99999: no such claim"):
        pipeline.reprocess(billing.engine, 99999, "rescrub", source="test")
    with pytest.raises(InputError, match="from_step: 'submit' is not one of"):
        pipeline.reprocess(billing.engine, 1, "submit", source="test")
    with pytest.raises(InputError, match="only rejected claims are resent"):
        pipeline.reprocess(billing.engine, 1, "resend", source="test")


def test_overlapping_corrections_of_one_claim_make_one(billing: Billing) -> None:
    """Two reprocess runs for the same claim (a double click in the UI): the second waits for the first
    to commit, then is refused with the usual one line instead of sending a second replacement."""
    paid = _adjudicated(billing)[0]
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            outcome["result"] = pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")
        except Exception as exc:  # noqa: BLE001 (the test asserts which error)
            outcome["error"] = exc

    with session_scope(billing.engine) as first:  # the first run, as reprocess does it, still open
        lock_billing(first)
        correct(first, paid.id or 0, today=TODAY, source="test")
        overlapping = threading.Thread(target=second)
        overlapping.start()
        assert still_running(overlapping, 1.5), f"the second run did not wait for the first: {outcome}"
    overlapping.join(timeout=60)
    error = outcome.get("error")
    assert isinstance(error, InputError) and "already replaces it" in str(error), outcome
    assert len(_successors(billing, paid.id or 0)) == 1


def test_the_database_keeps_one_live_successor_per_claim(billing: Billing) -> None:
    """The backstop under any caller: a second live replacement of one claim is refused by a unique index;
    once the first is closed (here rejected) another may be made."""
    paid = _adjudicated(billing)[0]
    first_id = pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")["claim_id"]
    with Session(billing.engine) as s:
        twin = _claim(billing, first_id).model_dump(exclude={"id", "patient_control_number"})
        s.add(Claim(**twin))
        with pytest.raises(IntegrityError):
            s.commit()
        s.rollback()
        first = s.get(Claim, first_id)
        assert first is not None
        first.status = ClaimStatus.REJECTED
        s.add(first)
        s.commit()
    assert pipeline.reprocess(billing.engine, paid.id or 0, "correct", source="test")["ready"] == 1
    assert len(_successors(billing, paid.id or 0)) == 2


def _successors(billing: Billing, claim_id: int) -> list[int]:
    with Session(billing.engine) as s:
        return list(s.exec(select(Claim.id).where(Claim.original_claim_id == claim_id)).all())  # type: ignore[arg-type]
