"""The daily run (eligibility, submission, collection) through a practice's `stedi` connection, against
the local server that follows Stedi's contract: one claim per request, each sent once, every answer and
polled response applied once; a send whose answer was lost is found, not sent again."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from models.claims import Claim
from models.enums import ClaimStatus
from models.exchange import Acknowledgement, Remittance, ReportCursor, SubmissionBatch
from models.practice import Practice
from tasks.daily import pipeline
from tasks.posting.collect import collect
from tests.stedi_server import StediServer
from tests.tasks.daily.conftest import NOW, Billing

ANSWERED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED}


@pytest.fixture
def far(billing: Billing) -> Iterator[StediServer]:
    """The local Stedi server over the practice's sandbox payers."""
    running = StediServer(_folder(billing))
    yield running
    running.stop()


def _folder(billing: Billing) -> Path:
    return Path(billing.envelope.out_dir).parent / "sandbox"


@pytest.fixture
def routed_to_stedi(
    billing: Billing, far: StediServer, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> object:
    """Every practice on a `stedi` connection named in a connections file; the routed clearinghouse."""
    from config.settings import get_settings
    from tasks.runtime import clearinghouse

    key = tmp_path / "stedi.key"
    key.write_text("test-stedi-key-4c1d\n")
    key.chmod(0o600)
    connection = far.connection(key).model_dump(mode="json", exclude={"kind"}, exclude_none=True)
    path = tmp_path / "clearinghouses.yaml"
    path.write_text(yaml.safe_dump({"connections": {"stedi-test": {"kind": "stedi", **connection}}}))
    for name, value in {
        "GROUPBILL_CLEARINGHOUSES_FILE": str(path),
        "GROUPBILL_DATABASE_URL": database_url,
        "GROUPBILL_OUTPUT_DIR": str(tmp_path / "out"),
        "GROUPBILL_SANDBOX_DIR": str(tmp_path / "nowhere"),  # the default connection must not be used
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    with Session(billing.engine) as s:
        for row in s.exec(select(Practice)):
            row.clearinghouse = "stedi-test"
            s.add(row)
        s.commit()
    return clearinghouse(paced=False)


def _run(billing: Billing, routed: object) -> dict[str, int]:
    from tasks.runtime import practice_envelope

    counts = pipeline.draft(billing.engine, billing.window, source="test")
    counts |= pipeline.refresh_eligibility(billing.engine, routed, billing.window, NOW)  # type: ignore[arg-type]
    counts |= pipeline.scrub(billing.engine, billing.window, source="test")
    pipeline.assemble(billing.engine, practice_envelope, NOW, source="test")
    return counts | pipeline.send(billing.engine, routed, source="test")  # type: ignore[arg-type]


def test_the_daily_run_through_stedi_sends_one_claim_per_request_once_and_applies_every_response_once(
    billing: Billing, far: StediServer, routed_to_stedi: object
) -> None:
    counts = _run(billing, routed_to_stedi)
    assert counts["checked"] > 0 and counts["batches_sent"] >= 2
    for _ in range(4):
        collect(billing.engine, routed_to_stedi, x12_codes(), source="test")  # type: ignore[arg-type]
    with Session(billing.engine) as s:
        batches = s.exec(select(SubmissionBatch)).all()
        statuses = [c.status for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))]
        documents = [a.document_id for a in s.exec(select(Acknowledgement))]
        remits = [r.report_id for r in s.exec(select(Remittance))]
        cursor = s.get(ReportCursor, "clearinghouse:stedi-test")
    assert {b.claim_count for b in batches} == {1} and all(b.receipt_id.startswith("stedi:") for b in batches)  # type: ignore[union-attr]
    assert sorted(far.received()) == sorted(b.interchange_control_number for b in batches)  # each once
    assert set(statuses) <= ANSWERED | {ClaimStatus.REJECTED}
    assert any(d.startswith("stedi-answer-") for d in documents) and remits
    assert len(documents) == len(set(documents)) and len(remits) == len(set(remits))
    assert cursor is not None and cursor.value  # Stedi's nextPageToken, kept for the next collection
    again = collect(billing.engine, routed_to_stedi, x12_codes(), source="test")  # type: ignore[arg-type]
    assert again.reports == again.already_applied  # nothing new, nothing applied twice


def test_a_send_whose_answer_was_lost_is_found_by_its_key_not_sent_twice(
    billing: Billing, far: StediServer, routed_to_stedi: object
) -> None:
    from tasks.runtime import practice_envelope

    billing.prepare()
    pipeline.assemble(billing.engine, practice_envelope, NOW, source="test")
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch)).first()
    assert batch is not None
    text = Path(batch.file_path or "").read_text()
    stedi = routed_to_stedi.open("stedi-test")  # type: ignore[attr-defined]
    far.fault(drop_next=4, paths=["/2024-04-01/change/medicalnetwork/professionalclaims"])
    with pytest.raises(Exception, match="unreachable"):  # the claim arrived every time, no answer came back
        stedi.submit(text, control_number=batch.interchange_control_number, payer_id="")
    far.fault()
    sent = pipeline.send(billing.engine, routed_to_stedi, source="test")  # type: ignore[arg-type]
    assert sent["batches_sent"] >= 1 and far.received().count(batch.interchange_control_number) == 1


class _Refusing:
    """A clearinghouse whose edits refuse every claim, as Stedi's ERROR answer does."""

    def was_received(self, control_number: str, *, expected: object = None) -> None:
        return None

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> object:
        from models.errors import ClaimsRefused

        said = "33 The billing provider tax id is invalid (follow-up: Please Correct and Resubmit)"
        raise ClaimsRefused(f"Stedi refused interchange {control_number}: {said}", codes=("STEDI-33",))


def test_claims_stedis_edits_refuse_go_to_fix_and_resend_with_its_codes_in_words(billing: Billing) -> None:
    from models.exchange import WorkItem

    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")
    sent = pipeline.send(billing.engine, _Refusing(), source="test")  # type: ignore[arg-type]
    with Session(billing.engine) as s:
        items = s.exec(select(WorkItem)).all()
        statuses = {c.status for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))}
    assert sent["batches_refused"] >= 1 and statuses == {ClaimStatus.REJECTED}
    assert items and all(i.queue == "FIX_AND_RESEND" and i.codes == ["STEDI-33"] for i in items)
    assert all("follow-up: Please Correct and Resubmit" in i.explanation for i in items)
