"""Two runs at once (two workers, or daily_claims and collect_reports overlapping): the steps take turns
through `lock_billing`, a batch being sent is locked, and nothing is drafted, batched or sent twice."""

import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from models.claims import Claim
from models.enums import BatchStatus, ClaimFrequency
from models.errors import SubmissionFileMissing
from models.exchange import SubmissionBatch
from tasks.daily import pipeline
from tasks.submission.batching import assemble_batch, ready_groups
from tasks.submission.sending import send_batch
from tests.tasks.daily.conftest import NOW, Billing


def _together(*steps: Callable[[], object]) -> list[object]:
    """Run the steps in threads started at the same moment; their results (or the exception raised)."""
    results: list[object] = [None] * len(steps)
    start = threading.Barrier(len(steps))

    def run(i: int, step: Callable[[], object]) -> None:
        start.wait()
        try:
            results[i] = step()
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(steps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_runs_drafting_and_scrubbing_at_once_make_one_claim_per_attendee(billing: Billing) -> None:
    draft = lambda: pipeline.draft(billing.engine, billing.window, source="run-a")  # noqa: E731
    drafted = _together(draft, lambda: pipeline.draft(billing.engine, billing.window, source="run-b"))
    assert not [r for r in drafted if isinstance(r, Exception)], drafted
    assert sum(r["drafted"] for r in drafted) > 0 and min(r["drafted"] for r in drafted) == 0  # type: ignore[index]
    pipeline.refresh_eligibility(billing.engine, billing.sandbox, billing.window, NOW)
    scrub = lambda: pipeline.scrub(billing.engine, billing.window, source="run-a")  # noqa: E731
    scrubbed = _together(scrub, scrub)
    assert not [r for r in scrubbed if isinstance(r, Exception)], scrubbed
    with Session(billing.engine) as s:
        originals = Counter(c.attendance_id for c in s.exec(select(Claim)) if c.frequency is ClaimFrequency.ORIGINAL)
    assert set(originals.values()) == {1}


def test_a_group_another_run_batched_first_makes_no_second_batch(billing: Billing) -> None:
    billing.prepare()
    with Session(billing.engine) as s:
        group = ready_groups(s)[0]
    first = assemble_batch(billing.engine, group, billing.envelope, now=NOW, source="run-a")
    assert first is not None
    assert assemble_batch(billing.engine, group, billing.envelope, now=NOW, source="run-b") is None
    with Session(billing.engine) as s:
        assert len(s.exec(select(SubmissionBatch)).all()) == 1


def test_overlapping_assembly_and_sending_send_each_claim_once(billing: Billing) -> None:
    billing.prepare()
    built = _together(*[lambda: pipeline.assemble(billing.engine, billing.envelope, NOW, source="x")] * 2)
    assert not [r for r in built if isinstance(r, Exception)], built
    sent = _together(*[lambda: pipeline.send(billing.engine, billing.sandbox, source="x")] * 2)
    assert not [r for r in sent if isinstance(r, Exception)], sent
    received = billing.sandbox.state.received_claim_numbers()
    with Session(billing.engine) as s:
        batched = [c.patient_control_number for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))]
    assert sorted(received) == sorted(batched) and len(received) == len(set(received)) > 0


def test_a_batch_locked_by_another_worker_is_passed_by(billing: Billing, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    billing.prepare()
    batch_id = pipeline.assemble(billing.engine, billing.envelope, NOW, source="x")[0]
    with billing.engine.connect() as other_worker:
        other_worker.execute(text("SELECT id FROM submissionbatch WHERE id = :id FOR UPDATE"), {"id": batch_id})
        assert send_batch(billing.engine, billing.sandbox, batch_id, source="x").outcome == "not_pending"
        other_worker.rollback()
    assert billing.sandbox.state.submission_count() == 0
    assert send_batch(billing.engine, billing.sandbox, batch_id, source="x").outcome == "sent"


def test_a_missing_837p_file_stops_with_a_plain_error_and_sends_nothing(billing: Billing) -> None:
    billing.prepare()
    batch_id = pipeline.assemble(billing.engine, billing.envelope, NOW, source="x")[0]
    with Session(billing.engine) as s:
        batch = s.get(SubmissionBatch, batch_id)
        assert batch is not None
        Path(batch.file_path or "").unlink()
    with pytest.raises(SubmissionFileMissing, match="cannot be read"):
        send_batch(billing.engine, billing.sandbox, batch_id, source="x")
    with Session(billing.engine) as s:
        assert s.get(SubmissionBatch, batch_id).status is BatchStatus.SUBMITTING  # type: ignore[union-attr]
    assert billing.sandbox.state.submission_count() == 0
