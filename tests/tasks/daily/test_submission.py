"""The submission guard: batches persisted before sending, sent once, recorded after a crash."""

import stat
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from models.claims import Claim
from models.enums import BatchStatus, ClaimStatus, LedgerKind
from models.errors import ClearinghouseRejected, SubmissionFileMissing
from models.exchange import SubmissionBatch, WorkItem
from models.patients import AuthLedgerEntry
from tasks.daily import pipeline
from tasks.preauth.ledger import holdings
from tasks.submission import sending
from tasks.x12.referee import pyx12_problems
from tests.tasks.daily.conftest import NOW, Billing


def _statuses(billing: Billing) -> Counter[str]:
    with Session(billing.engine) as s:
        return Counter(c.status.value for c in s.exec(select(Claim)))


def test_ready_claims_are_sent_once_in_owner_only_files_pyx12_accepts(billing: Billing) -> None:
    prepared = billing.prepare()
    sent = billing.submit()
    assert sent == {"batches_sent": 4, "claims_sent": prepared["ready"], "claims_sent_cents": prepared["ready_cents"]}
    with Session(billing.engine) as s:
        batches = s.exec(select(SubmissionBatch)).all()
        assert {b.status for b in batches} == {BatchStatus.SUBMITTED}
        assert all(
            c.status is ClaimStatus.SUBMITTED for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))
        )
    for batch in batches:
        path = Path(batch.file_path or "")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert pyx12_problems(path.read_text()) == []
    received = billing.sandbox.state.received_claim_numbers()
    assert len(received) == prepared["ready"] == len(set(received))
    assert billing.submit() == {} and billing.sandbox.state.received_claim_numbers() == received


def test_a_crash_after_the_clearinghouse_stored_the_batch_does_not_send_it_twice(
    billing: Billing, monkeypatch: pytest.MonkeyPatch
) -> None:
    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")

    def crash(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("killed after the clearinghouse stored the batch")

    monkeypatch.setattr(sending, "record_received", crash)
    with pytest.raises(RuntimeError):
        pipeline.send(billing.engine, billing.sandbox, source="test")
    assert billing.sandbox.state.submission_count() == 1
    with Session(billing.engine) as s:
        assert {b.status for b in s.exec(select(SubmissionBatch))} == {BatchStatus.SUBMITTING}
    monkeypatch.undo()
    again = pipeline.send(billing.engine, billing.sandbox, source="test")
    assert again["batches_already_received"] == 1 and again["batches_sent"] == 3
    received = billing.sandbox.state.received_claim_numbers()
    assert len(received) == len(set(received)) == _statuses(billing)["submitted"]


def test_submission_consumes_the_units_scrubbing_reserved(billing: Billing) -> None:
    billing.prepare()
    with Session(billing.engine) as s:
        drawing = {c.id for c in s.exec(select(Claim).where(col(Claim.authorization_id).is_not(None)))}
    assert drawing
    billing.submit()
    with Session(billing.engine) as s:
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
    assert {c for c in drawing if held[c].kind is LedgerKind.CONSUME} == drawing


def test_a_file_refused_at_the_door_rejects_its_claims_and_releases_units(
    billing: Billing, monkeypatch: pytest.MonkeyPatch
) -> None:
    billing.prepare()

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise ClearinghouseRejected("HTTP 400: interchange refused")

    monkeypatch.setattr(billing.sandbox, "submit", refuse)
    sent = billing.submit()
    assert sent["batches_refused"] == 4 and "batches_sent" not in sent
    with Session(billing.engine) as s:
        rejected = s.exec(select(Claim).where(Claim.status == ClaimStatus.REJECTED)).all()
        items = s.exec(select(WorkItem)).all()
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
    assert len(rejected) == sent["claims_refused"] == len(items)
    assert {i.queue for i in items} == {"FIX_AND_RESEND"} and "HTTP 400" in items[0].explanation
    assert not any(c.id in held for c in rejected)


def test_a_payer_s_ready_claims_are_split_into_files_of_at_most_claims_per_file(
    billing: Billing, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tasks.submission import batching

    monkeypatch.setattr(batching, "CLAIMS_PER_FILE", 3)
    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")
    with Session(billing.engine) as s:
        batches = s.exec(select(SubmissionBatch)).all()
        per_payer = Counter(b.payer_id for b in batches)
        batched = s.exec(select(Claim).where(col(Claim.batch_id).is_not(None))).all()
        ready_left = s.exec(select(Claim).where(Claim.status == ClaimStatus.READY)).all()
    assert all(0 < b.claim_count <= 3 for b in batches) and max(per_payer.values()) > 1
    assert sum(b.claim_count for b in batches) == len(batched) > 3 and ready_left == []


def test_an_837p_file_changed_since_assembly_is_not_sent(billing: Billing) -> None:
    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch).order_by(col(SubmissionBatch.id))).first()
    assert batch is not None
    path = Path(batch.file_path or "")
    path.write_text(path.read_text().replace("GROUPBILL", "GROUPBILM", 1))
    with pytest.raises(SubmissionFileMissing) as failed:
        pipeline.send(billing.engine, billing.sandbox, source="test")
    assert f"is not the file assembled for batch {batch.id}" in str(failed.value)
    assert billing.sandbox.was_received(batch.interchange_control_number) is None
