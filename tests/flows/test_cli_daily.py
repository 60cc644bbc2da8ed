"""`groupbill daily` beyond the happy path: a dry run that keeps nothing, and an output folder it cannot write."""

import errno
import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from config.settings import get_settings
from models.claims import Claim
from models.db import make_engine
from models.enums import ClaimStatus
from models.exchange import SubmissionBatch
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.daily import pipeline
from tasks.synthetic import generate_practice
from tasks.synthetic.generate import install_roster
from tests.databases import every_row

pytestmark = pytest.mark.usefixtures("prefect_harness")  # the daily command runs the flow
TODAY = date(2026, 11, 27)


def _bundle(tmp_path: Path) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(generate_practice(7, TODAY).bundle.model_dump_json())
    return str(path)


def test_daily_dry_run_prints_tonight_s_holds_and_leaves_everything_as_it_was(
    cli, tmp_path: Path, database_url: str, monkeypatch
) -> None:
    """Billers preview the night before anything leaves: nothing sent, reserved, drafted or recorded stays."""
    out_dir = tmp_path / "out"
    monkeypatch.setenv("GROUPBILL_OUTPUT_DIR", str(out_dir))
    cli("import", _bundle(tmp_path))
    engine = make_engine(database_url)
    first_week = pipeline.Window(None, date(2026, 11, 19), date(2026, 11, 27))
    pipeline.draft(engine, first_week, source="test")  # some claims exist already: held, ready, units reserved
    sandbox = SandboxClearinghouse.from_folder(
        install_roster(generate_practice(7, date(2026, 11, 27)), tmp_path / "sandbox").parent
    )
    pipeline.refresh_eligibility(engine, sandbox, first_week, datetime(2026, 11, 27, 12, tzinfo=UTC))
    pipeline.scrub(engine, first_week, source="test")

    def sqlite_dump() -> str:
        if not database_url.startswith("sqlite"):
            return ""
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as connection:
            return "\n".join(connection.iterdump())

    before, before_sql = every_row(engine), sqlite_dump()
    assert any(line.startswith("authledgerentry:") for line in before)
    code, out, err = cli("daily", "--dry-run")
    assert code == 0, err
    rows = json.loads(out)
    assert every_row(engine) == before and sqlite_dump() == before_sql
    assert not out_dir.exists()
    assert err.strip().startswith("dry run: nothing sent, nothing saved")
    assert set(rows[0]) == {"claim_id", "session_id", "patient_id", "payer_id", "status", "findings"}
    assert {r["claim_id"] is None for r in rows} == {True, False}  # claims drafted tonight do not exist yet
    assert {r["status"] for r in rows} == {"ready", "on_hold"}

    pipeline.draft(engine, pipeline.Window(None, None, date(2026, 11, 27)), source="test")
    engine.dispose()
    scrubbed = json.loads(cli("scrub", "--format", "json")[1])

    def outcome(found: list[dict]) -> list[tuple]:
        return sorted(
            (r["session_id"], r["patient_id"], r["status"], sorted(f["rule"] for f in r["findings"])) for r in found
        )

    assert outcome(rows) == outcome(scrubbed)


def _claims_and_batches(database_url: str) -> tuple[list[Claim], list[SubmissionBatch]]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as s:
            return list(s.exec(select(Claim))), list(s.exec(select(SubmissionBatch)))
    finally:
        engine.dispose()


def _every_batch_has_its_file(claims: list[Claim], batches: list[SubmissionBatch]) -> bool:
    files = {b.id: b.file_path for b in batches}
    batched = [c for c in claims if c.status is ClaimStatus.SUBMITTING or c.batch_id is not None]
    return all(c.batch_id in files and files[c.batch_id] and Path(files[c.batch_id]).is_file() for c in batched)


@pytest.fixture
def billable(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The synthetic practice imported, its payers' roster in the sandbox; the folder to write 837P files in."""
    practice = generate_practice(7, TODAY)
    monkeypatch.setenv("GROUPBILL_SANDBOX_DIR", str(tmp_path / "sandbox"))
    install_roster(practice, tmp_path / "sandbox")
    cli("import", _bundle(tmp_path))
    return tmp_path / "out"


def _output_dir(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("GROUPBILL_OUTPUT_DIR", str(folder))
    get_settings.cache_clear()


def test_an_output_folder_it_cannot_write_is_one_line_and_the_next_run_finishes(
    cli, billable: Path, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "blocker").write_text("a file where the folder should be")  # unwritable even for root
    _output_dir(monkeypatch, tmp_path / "blocker" / "out")
    code, out, err = cli("daily")
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and "Traceback" not in out + err
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path / 'blocker' / 'out' / '837p'}: cannot write ")
    hint = "GROUPBILL_OUTPUT_DIR must name a folder groupbill can write; nothing was sent"
    assert lines[0].endswith(f": a file is in the way of the folder ({hint})")
    claims, batches = _claims_and_batches(database_url)
    assert batches == [] and ClaimStatus.SUBMITTING not in {c.status for c in claims}
    assert ClaimStatus.READY in {c.status for c in claims}  # scrubbed, waiting for the next run
    _output_dir(monkeypatch, billable)
    code, out, err = cli("daily")
    assert code == 0, err
    claims, batches = _claims_and_batches(database_url)
    assert len(batches) == 4 and _every_batch_has_its_file(claims, batches)
    # drafts: the next payers' claims and rebills the 835s made, for the next run; corrected: a CARC 22 denial
    answered = {ClaimStatus.ON_HOLD, ClaimStatus.PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED, ClaimStatus.DRAFT}
    assert {c.status for c in claims} <= answered


def test_a_disk_full_after_the_first_file_leaves_whole_batches_and_the_next_run_sends_the_rest_once(
    cli, billable: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tasks.clearinghouse.sandbox.state import SandboxState
    from tasks.submission import files

    real, calls = files._write, []

    def full_after_one(*args: object) -> None:
        calls.append(args)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(*args)  # type: ignore[arg-type]

    _output_dir(monkeypatch, billable)
    monkeypatch.setattr(files, "_write", full_after_one)
    code, _, err = cli("daily")
    assert code == 1 and err.strip().endswith(
        "No space left on device (GROUPBILL_OUTPUT_DIR must name a folder groupbill can write; nothing was sent)"
    )
    claims, batches = _claims_and_batches(database_url)
    assert len(batches) == 1 and _every_batch_has_its_file(claims, batches)
    assert not list((billable / "837p").glob(".*.tmp"))  # no half-written file either
    monkeypatch.setattr(files, "_write", real)
    assert cli("daily")[0] == 0
    claims, batches = _claims_and_batches(database_url)
    state = SandboxState(get_settings().sandbox_dir / "state.db")
    try:
        received = state.received_claim_numbers()
    finally:
        state.close()
    sent = [c.patient_control_number for c in claims if c.batch_id is not None]
    assert len(batches) == 4 and _every_batch_has_its_file(claims, batches)
    assert sorted(received) == sorted(sent) and len(received) == len(set(received))
