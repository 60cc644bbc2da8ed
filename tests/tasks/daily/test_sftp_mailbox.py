"""The daily steps through the SFTP connector, a real sshd and the mailbox simulator: each batch uploaded
once, every report file applied once and then deleted, TA1 rejections, files that are not X12, and a
batch a broken connection leaves `submitting` finished by the next run."""

import hashlib
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from models.claims import Claim
from models.enums import BatchStatus, ClaimStatus, LedgerKind
from models.errors import ClearinghouseMisconfigured, ControlNumberReused
from models.exchange import Acknowledgement, SubmissionBatch, WorkItem
from models.patients import AuthLedgerEntry
from tasks.clearinghouse.sftp.journal import Stamp
from tasks.clearinghouse.sftp.uploads import final_name
from tasks.daily import pipeline
from tasks.posting.collect import collect
from tasks.preauth.ledger import holdings
from tests.tasks.clearinghouse.conftest import SftpUnderTest
from tests.tasks.daily.conftest import NOW, Billing

# adjudicated, or a CARC 22 denial its rebill to the right payer closed
ANSWERED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED}


@pytest.fixture
def box(billing: Billing, sshd, tmp_path: Path) -> SftpUnderTest:  # type: ignore[no-untyped-def]
    """The practice's mailbox on the real sshd, the far side answering from the practice's payer roster."""
    return SftpUnderTest(sshd, tmp_path, billing.sandbox)


def _send(billing: Billing, box: SftpUnderTest, **envelope: str) -> dict[str, int]:
    billing.prepare()
    pipeline.assemble(billing.engine, replace(billing.envelope, **envelope), NOW, source="test")
    return pipeline.send(billing.engine, box, source="test")


def _collect_until_quiet(billing: Billing, box: SftpUnderTest, rounds: int = 4) -> int:
    reports = 0
    for _ in range(rounds):
        reports += collect(billing.engine, box, x12_codes(), source="test").reports
    return reports


def test_the_daily_run_over_sftp_uploads_each_batch_once_and_applies_every_report_once(
    billing: Billing, box: SftpUnderTest
) -> None:
    sent = _send(billing, box)
    assert sent["batches_sent"] >= 1
    assert _collect_until_quiet(billing, box) > 0
    with Session(billing.engine) as s:
        batches = s.exec(select(SubmissionBatch)).all()
        claims = s.exec(select(Claim).where(col(Claim.batch_id).is_not(None))).all()
        documents = [a.document_id for a in s.exec(select(Acknowledgement))]
    assert sorted(box.received()) == sorted(b.interchange_control_number for b in batches)  # each once
    for batch in batches:
        archived = (box.folder("archive") / batch.receipt_id.removeprefix("sftp:")).read_bytes()  # type: ignore[union-attr]
        assert (batch.file_size, batch.file_sha256) == (len(archived), hashlib.sha256(archived).hexdigest())
    assert {c.status for c in claims} <= ANSWERED
    assert len(documents) == len(set(documents)) and list(box.folder("outbound").iterdir()) == []
    kept = box.tmp_path / "sftp-state" / "reports"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700
    assert list(kept.iterdir()) and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept.iterdir())
    assert _collect_until_quiet(billing, box, rounds=1) == 0  # nothing left, nothing applied again


@pytest.mark.parametrize(("envelope", "note"), [({"receiver_id": "STEDI"}, "008"), ({"usage": "P"}, "020")])
def test_an_envelope_the_mailbox_refuses_gets_a_ta1_that_rejects_every_claim_of_the_interchange(
    billing: Billing, box: SftpUnderTest, envelope: dict[str, str], note: str
) -> None:
    _send(billing, box, **envelope)
    _collect_until_quiet(billing, box)
    with Session(billing.engine) as s:
        claims = s.exec(select(Claim).where(col(Claim.batch_id).is_not(None))).all()
        items = {w.claim_id: w for w in s.exec(select(WorkItem))}
        batches = s.exec(select(SubmissionBatch)).all()
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
    assert claims and {c.status for c in claims} == {ClaimStatus.REJECTED}
    assert {b.status for b in batches} == {BatchStatus.REJECTED}
    assert all(items[c.id].queue == "FIX_AND_RESEND" and items[c.id].codes == [f"TA1-{note}"] for c in claims)
    words = {"008": "008 invalid interchange receiver ID", "020": "020 invalid test indicator"}[note]
    assert all(words in items[c.id].explanation for c in claims)
    assert all(held[c.id].kind is LedgerKind.RELEASE for c in claims if c.id in held)


def test_a_report_file_that_is_not_x12_is_kept_and_filed_for_review(billing: Billing, box: SftpUnderTest) -> None:
    box.put_report("weekly-summary.txt", "Your claims this week: see portal\n")
    posting = collect(billing.engine, box, x12_codes(), source="test")
    assert posting.unreadable == 1
    with Session(billing.engine) as s:
        review = s.exec(select(WorkItem).where(WorkItem.queue == "REVIEW")).all()
    assert len(review) == 1 and "unreadable" in review[0].explanation
    assert any(p.name.endswith("weekly-summary.txt") for p in (box.tmp_path / "sftp-state" / "reports").iterdir())
    assert collect(billing.engine, box, x12_codes(), source="test").unreadable == 0  # applied once, then deleted


def test_a_missing_inbound_folder_leaves_the_batch_submitting_and_the_next_run_sends_it_once(
    billing: Billing, box: SftpUnderTest
) -> None:
    broken = SftpUnderTest.__new__(SftpUnderTest)
    broken.__dict__ |= box.__dict__ | {"client": box.connector(inbound=f"{box.name}/nowhere")}
    with pytest.raises(ClearinghouseMisconfigured, match="No such file"):
        _send(billing, broken)
    with Session(billing.engine) as s:
        assert {b.status for b in s.exec(select(SubmissionBatch))} == {BatchStatus.SUBMITTING}
    sent = pipeline.send(billing.engine, box, source="test")
    assert sent["batches_sent"] >= 1
    box.far.run_once()
    with Session(billing.engine) as s:
        controls = sorted(b.interchange_control_number for b in s.exec(select(SubmissionBatch)))
    assert sorted(box.received()) == controls


def test_an_upload_renamed_before_the_crash_is_found_not_sent_again(billing: Billing, box: SftpUnderTest) -> None:
    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch)).first()
    assert batch is not None
    text = Path(batch.file_path or "").read_text()
    # the crash: uploaded and renamed, recorded nowhere but as "planned" in the journal
    planned = Stamp.of(final_name("GROUPBILL", batch.interchange_control_number), text.encode())
    box.client.journal.planned(batch.interchange_control_number, planned, 0)
    control, uploads = batch.interchange_control_number, box.client.uploads
    box.client.transport.call("upload", lambda sftp: uploads._upload(sftp, control, planned, text.encode(), 0))
    box.far.run_once()  # the far side has taken it already: it is in the archive now
    sent = pipeline.send(billing.engine, box, source="test")
    assert sent["batches_already_received"] == 1
    box.far.run_once()
    assert box.received().count(batch.interchange_control_number) == 1


@pytest.mark.parametrize("where", ["journal", "mailbox"])
def test_a_control_number_already_standing_for_other_content_is_refused_not_taken_as_received(
    billing: Billing, box: SftpUnderTest, where: str
) -> None:
    """A database restored or replaced while the output folder (its upload journal) or the mailbox stayed: new
    batches reuse old control numbers. Taking the old file for the new batch would lose its claims."""
    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch).order_by(col(SubmissionBatch.id))).first()
    assert batch is not None
    control, name = batch.interchange_control_number, final_name("GROUPBILL", batch.interchange_control_number)
    earlier = Path(batch.file_path or "").read_bytes().replace(b"GROUPBILL", b"GROUPBILM", 1)  # same size
    if where == "journal":
        box.client.journal.uploaded(control, Stamp.of(name, earlier), 3)
    else:
        box.put_report(name, earlier.decode(), folder="archive")  # the far side took the earlier file
    with pytest.raises(ControlNumberReused) as failed:
        pipeline.send(billing.engine, box, source="test")
    said = str(failed.value)
    assert "\n" not in said and said.startswith(f"batch {batch.id}: interchange {control} already stands for")
    assert f"than this batch's ({batch.file_size} bytes, SHA-256 {(batch.file_sha256 or '')[:12]})" in said
    with Session(billing.engine) as s:
        assert s.get(SubmissionBatch, batch.id).status is BatchStatus.SUBMITTING  # type: ignore[union-attr]
        claims = s.exec(select(Claim).where(col(Claim.batch_id) == batch.id)).all()
    assert {c.status for c in claims} == {ClaimStatus.SUBMITTING}
    box.far.run_once()
    assert box.received() == [] and not (box.folder("inbound") / name).exists()  # nothing went out


def _connections_file(tmp_path: Path, box: SftpUnderTest, **mailbox: object) -> Path:
    import yaml

    settings = box.connection().model_dump(mode="json", exclude={"kind"}) | {"eligibility": "payer-api"} | mailbox
    data = {
        "connections": {
            "payer-api": {"kind": "sandbox", "folder": str(tmp_path / "sandbox")},
            "mailbox": {"kind": "sftp", **{k: v for k, v in settings.items() if v is not None}},
        }
    }
    path = tmp_path / "clearinghouses.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _bill_through(
    billing: Billing,
    box: SftpUnderTest,
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    default: str = "nowhere",  # the default connection's sandbox folder: none, it must not be used
) -> dict[str, int]:
    """The practice names the mailbox connection; its claims drafted, checked, scrubbed and assembled."""
    from config.settings import get_settings
    from tasks.runtime import clearinghouse, practice_envelope

    path = _connections_file(tmp_path, box, submitter_id="RIVERBEND01", receiver_id="SANDBOX", usage="T")
    for name, value in {
        "GROUPBILL_CLEARINGHOUSES_FILE": str(path),
        "GROUPBILL_DATABASE_URL": database_url,
        "GROUPBILL_OUTPUT_DIR": str(tmp_path / "out"),
        "GROUPBILL_SANDBOX_DIR": str(tmp_path / default),
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    _name_connection(billing, "mailbox")
    routed = clearinghouse(paced=False)
    counts = pipeline.draft(billing.engine, billing.window, source="test")
    counts |= pipeline.refresh_eligibility(billing.engine, routed, billing.window, NOW)
    counts |= pipeline.scrub(billing.engine, billing.window, source="test")
    pipeline.assemble(billing.engine, practice_envelope, NOW, source="test")
    return counts


def _name_connection(billing: Billing, name: str | None) -> None:
    from models.practice import Practice

    with Session(billing.engine) as s:
        for row in s.exec(select(Practice)):
            row.clearinghouse = name
            s.add(row)
        s.commit()


def _send_and_collect(billing: Billing, box: SftpUnderTest) -> dict[str, int]:
    from tasks.runtime import clearinghouse

    routed = clearinghouse(paced=False)
    sent = pipeline.send(billing.engine, routed, source="test")
    for _ in range(3):
        box.far.run_once()
        collect(billing.engine, routed, x12_codes(), source="test")
    return sent


def test_a_practice_naming_its_connection_is_billed_eligibility_checked_and_collected_through_it(
    billing: Billing, box: SftpUnderTest, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.exchange import ReportCursor

    counts = _bill_through(billing, box, tmp_path, database_url, monkeypatch)
    sent = _send_and_collect(billing, box)
    assert counts["checked"] > 0 and sent["batches_sent"] >= 1
    with Session(billing.engine) as s:
        batches = s.exec(select(SubmissionBatch)).all()
        cursors = {c.name for c in s.exec(select(ReportCursor))}
        statuses = {c.status for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))}
    assert sorted(box.received()) == sorted(b.interchange_control_number for b in batches)
    assert all(b.receipt_id.startswith("sftp:RIVERBEND01_") for b in batches)  # type: ignore[union-attr]
    assert {b.connection for b in batches} == {"mailbox"}
    archived = (box.folder("archive") / batches[0].receipt_id.removeprefix("sftp:")).read_text()  # type: ignore[union-attr]
    assert archived.startswith("ISA*00*          *00*          *ZZ*RIVERBEND01    *ZZ*SANDBOX        *")
    assert "clearinghouse:mailbox" in cursors
    assert statuses <= ANSWERED


def test_batches_of_a_practice_that_moved_to_another_connection_go_out_and_come_back_through_their_own(
    billing: Billing, box: SftpUnderTest, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their envelopes name the mailbox's IDs, and their acknowledgements and remittances arrive there."""
    (tmp_path / "elsewhere").mkdir()  # the default connection: a sandbox of its own (the mailbox's far side is not it)
    (tmp_path / "elsewhere" / "roster.json").write_bytes((tmp_path / "sandbox" / "roster.json").read_bytes())
    _bill_through(billing, box, tmp_path, database_url, monkeypatch, default="elsewhere")
    _name_connection(billing, None)  # the practice moves to `default` before tonight's batches go out
    sent = _send_and_collect(billing, box)
    with Session(billing.engine) as s:
        controls = sorted(b.interchange_control_number for b in s.exec(select(SubmissionBatch)))
        statuses = {c.status for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))}
    assert sent["batches_sent"] == len(controls) and sorted(box.received()) == controls
    assert statuses <= ANSWERED


def test_a_practice_naming_an_unknown_connection_is_one_line(
    billing: Billing, box: SftpUnderTest, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config.settings import get_settings
    from models.errors import ConfigError
    from models.practice import Practice
    from tasks.runtime import clearinghouse

    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSES_FILE", str(_connections_file(tmp_path, box)))
    monkeypatch.setenv("GROUPBILL_DATABASE_URL", database_url)
    get_settings.cache_clear()
    with Session(billing.engine) as s:
        row = s.exec(select(Practice)).one()
        row.clearinghouse, practice_id = "mailbx", row.id
        s.add(row)
        s.commit()
    with pytest.raises(ConfigError) as failed:
        clearinghouse(paced=False)
    assert failed.value.lines == [
        f"practice record {practice_id}: clearinghouse 'mailbx' is not a connection in GROUPBILL_CLEARINGHOUSES_FILE"
    ]


def test_a_batch_whose_connection_was_removed_is_one_line_and_the_others_are_still_collected(
    billing: Billing, box: SftpUnderTest, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.errors import ConfigError
    from models.exchange import ReportCursor
    from tasks.runtime import clearinghouse

    _bill_through(billing, box, tmp_path, database_url, monkeypatch)
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch).order_by(col(SubmissionBatch.id))).first()
        assert batch is not None
        batch.connection = "oldbox"
        s.add(batch)
        s.commit()
    routed = clearinghouse(paced=False)
    with pytest.raises(ConfigError) as failed:
        pipeline.send(billing.engine, routed, source="test")
    assert failed.value.lines == ["clearinghouse 'oldbox' is not a connection in GROUPBILL_CLEARINGHOUSES_FILE"]
    with pytest.raises(ConfigError) as failed:
        collect(billing.engine, routed, x12_codes(), source="test")
    said = (
        "clearinghouse 'oldbox' has batches awaiting reports but is not a connection in GROUPBILL_CLEARINGHOUSES_FILE"
    )
    assert failed.value.lines == [said]
    with Session(billing.engine) as s:
        assert "clearinghouse:mailbox" in {c.name for c in s.exec(select(ReportCursor))}
