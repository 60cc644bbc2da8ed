"""daily_claims and collect_reports under a real (temporary) Prefect API, end to end with the sandbox."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from config.settings import get_settings
from models.claims import Claim, Finding
from models.enums import ClaimStatus
from models.exchange import SubmissionBatch, WorkItem
from models.patients import Coverage, Patient
from models.practice import Payer
from models.sessions import GroupSession
from tasks.clearinghouse.sandbox.state import SandboxState
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.x12.referee import pyx12_problems
from tests.conftest import TODAY

ADJUDICATED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED}
NEW_YORK = ZoneInfo("America/New_York")


def _received() -> list[str]:
    state = SandboxState(get_settings().sandbox_dir / "state.db")
    try:
        return state.received_claim_numbers()
    finally:
        state.close()


def _final(url: str) -> dict[tuple[str, str], tuple[Claim, dict[str, str], set[str], str | None]]:
    """Each claim by (session, patient) bundle IDs: the claim, its open findings (rule: severity), queues, member."""
    with Session(engine_for(url)) as s:
        sessions = {g.id: g.source_id for g in s.exec(select(GroupSession))}
        patients = {p.id: p.source_id for p in s.exec(select(Patient))}
        members = {c.id: c.member_id for c in s.exec(select(Coverage))}
        rules: dict[int, dict[str, str]] = defaultdict(dict)
        queues: dict[int | None, set[str]] = defaultdict(set)
        for f in s.exec(select(Finding).where(Finding.resolved_at == None)):  # noqa: E711
            rules[f.claim_id][f.rule_id] = f.severity.value
        for w in s.exec(select(WorkItem)):
            queues[w.claim_id].add(w.queue)
        return {
            (sessions[c.session_id], patients[c.patient_id]): (c, rules[c.id], queues[c.id], members[c.coverage_id])
            for c in s.exec(select(Claim))
        }


def test_every_claim_ends_where_the_manifest_and_the_payers_say(
    prefect_harness, billing: str, practice: SyntheticPractice
) -> None:
    _bill_the_day_and_check_the_manifest(billing, practice, TODAY)


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 12, 31, 23, 30, tzinfo=NEW_YORK), datetime(2028, 2, 29, 7, 0, tzinfo=NEW_YORK)],
    ids=["new-years-eve-23:30", "leap-day"],
)
def test_the_practice_bills_the_same_on_the_calendar_s_edges(
    prefect_harness, billing_for: Callable[[SyntheticPractice], str], clock_at: Callable[[datetime], None], moment
) -> None:
    """The synthetic practice generated on that day, billed by a run that takes its day from the clock."""
    from tasks.synthetic import generate_practice

    clock_at(moment)
    practice = generate_practice(7, moment.date())
    _bill_the_day_and_check_the_manifest(billing_for(practice), practice, None)


def _bill_the_day_and_check_the_manifest(billing: str, practice: SyntheticPractice, as_of: date | None) -> None:
    from flows.claims import collect_reports, daily_claims

    state = daily_claims(as_of=as_of, return_state=True)
    assert state.is_completed()
    counts = state.result()
    collect_reports()
    final = _final(billing)
    with Session(engine_for(billing)) as s:
        payer_of = {p.id: p.x12_payer_id for p in s.exec(select(Payer))}
    for (session_id, patient_id), (claim, rules, queues, member_id) in final.items():
        expected = practice.manifest.rules_for(session_id, patient_id)
        where = f"{session_id}/{patient_id}"
        assert expected <= set(rules), where
        if "error" in rules.values():
            assert claim.status is ClaimStatus.ON_HOLD and expected, where
            continue
        assert claim.status in ADJUDICATED, where
        roster_payer = practice.roster.payer(payer_of[claim.payer_id])
        member = roster_payer.member(member_id) if roster_payer else None
        assert member is not None, where
        if roster_payer.benefits_of(member).carve_out_entity:  # the practice cannot know: the payer says so
            assert claim.status is ClaimStatus.DENIED and queues == {"ELIGIBILITY"}, where
        else:
            assert claim.status is ClaimStatus.PAID and not queues, where
    received = _received()
    assert sorted(received) == sorted(c.patient_control_number for c, *_ in final.values() if c.status in ADJUDICATED)
    files = list(Path(get_settings().output_dir, "837p").iterdir())
    assert counts["claims_sent"] == len(received) and len(files) == 4
    assert [pyx12_problems(f.read_text()) for f in files] == [[]] * 4


def test_running_the_day_twice_sends_and_posts_nothing_new(prefect_harness, billing: str) -> None:
    from flows.claims import collect_reports, daily_claims

    first = daily_claims(as_of=TODAY)
    received = _received()
    again = daily_claims(as_of=TODAY)
    assert first["claims_sent"] > 0 and "claims_sent" not in again and again["drafted"] == 0
    assert again["reports_claim_payments"] == 0 and _received() == received
    assert collect_reports()["claim_payments"] == 0


def test_a_crash_after_the_clearinghouse_stored_a_batch_then_a_rerun_sends_each_claim_once(
    prefect_harness, billing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.claims import daily_claims
    from tasks.submission import sending

    def killed(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("process died after the clearinghouse stored the batch")

    monkeypatch.setattr(sending, "record_received", killed)
    assert daily_claims(as_of=TODAY, collect=False, return_state=True).is_failed()
    assert len(_received()) > 0
    monkeypatch.undo()
    rerun = daily_claims(as_of=TODAY)
    received = _received()
    assert rerun["batches_already_received"] == 1 and len(received) == len(set(received))
    with Session(engine_for(billing)) as s:
        sent = [c for c in s.exec(select(Claim)) if c.batch_id is not None]
    assert {c.status for c in sent} <= ADJUDICATED and sorted(received) == sorted(
        c.patient_control_number for c in sent
    )


def test_reprocess_claim_from_the_ui_corrects_and_sends_one_claim(prefect_harness, billing: str) -> None:
    from flows.claims import daily_claims, reprocess_claim

    daily_claims(as_of=TODAY)
    with Session(engine_for(billing)) as s:
        paid = s.exec(select(Claim).where(Claim.status == ClaimStatus.PAID)).first()
        assert paid is not None
    before = len(_received())
    state = reprocess_claim(claim_id=paid.id, from_step="correct", return_state=True)
    counts = state.result()
    assert state.is_completed() and counts["batches_built"] == 1 and counts["claims_sent"] == 1
    assert len(_received()) == before + 1
    with Session(engine_for(billing)) as s:
        assert s.get(Claim, paid.id).status is ClaimStatus.CORRECTED  # type: ignore[union-attr]
    failed = reprocess_claim(claim_id=paid.id, from_step="correct", return_state=True)
    assert failed.is_failed() and "only accepted or adjudicated claims are corrected" in str(failed.message)


def test_after_a_crash_the_hourly_collection_finishes_the_batch_before_applying_its_reports(
    prefect_harness, billing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.claims import collect_reports, daily_claims
    from tasks.submission import sending

    def killed(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("process died after the clearinghouse stored the batch")

    monkeypatch.setattr(sending, "record_received", killed)
    assert daily_claims(as_of=TODAY, collect=False, return_state=True).is_failed()
    monkeypatch.undo()
    counts = collect_reports()
    assert counts["batches_already_received"] == 1 and counts["claim_payments"] == counts["accepted"] > 0
    received = _received()
    with Session(engine_for(billing)) as s:
        sent = [c for c in s.exec(select(Claim)) if c.batch_id is not None]
        review = s.exec(select(WorkItem).where(WorkItem.queue == "REVIEW")).all()
    assert {c.status for c in sent} <= ADJUDICATED and review == []
    assert sorted(received) == sorted(c.patient_control_number for c in sent) and len(received) == len(set(received))


def test_a_night_the_clearinghouse_is_down_fails_with_its_cause_in_one_line(
    prefect_harness, billing: str, submissions_fail: Callable[[], None]
) -> None:
    """The run's state message names the step, the batch, the tries and what to do (the first thing the UI shows)."""
    from flows.claims import daily_claims

    state = daily_claims(collect=False, return_state=True)
    assert state.is_failed()
    with Session(engine_for(billing)) as s:
        first = min(b.id for b in s.exec(select(SubmissionBatch)))
    assert state.message == (
        f"submit-batches: clearinghouse answered 500 sending batch {first} (0 of 4 batches sent before it) "
        "on 4 of 4 tries; nothing was sent twice (a batch left 'submitting' is asked about before any resend); "
        "press Retry when the clearinghouse answers"
    )
    assert _received() == []


def test_eligibility_for_a_session_that_does_not_exist_fails_and_says_so(prefect_harness, billing: str) -> None:
    from flows.eligibility import eligibility_check

    state = eligibility_check(session_id=999_999, return_state=True)
    assert state.is_failed()
    assert state.message == (
        "find-sessions: session '999999': no such session (neither a bundle ID nor a record ID); "
        "fix it, then press Retry"
    )
