"""daily_claims and collect_reports under a real (temporary) Prefect API, end to end with the sandbox."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from config.settings import get_settings
from models.claims import Claim, Finding
from models.enums import ClaimStatus
from models.exchange import SubmissionBatch, WorkItem
from models.lifecycle import TERMINAL_STATUSES
from models.patients import Coverage, Patient
from models.practice import Payer
from models.sessions import GroupSession
from tasks.clearinghouse.sandbox.state import SandboxState
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.x12.referee import pyx12_problems
from tests.conftest import TODAY

ADJUDICATED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED}
ANSWERED = ADJUDICATED | {ClaimStatus.CORRECTED}  # a CARC 22 denial is closed by its rebill
NEW_YORK = ZoneInfo("America/New_York")


def _received() -> list[str]:
    state = SandboxState(get_settings().sandbox_dir / "state.db")
    try:
        return state.received_claim_numbers()
    finally:
        state.close()


Final = dict[tuple[str, str, str], tuple[Claim, dict[str, str], set[str], str | None]]


def _final(url: str) -> Final:
    """Each live claim by (session, patient, payer sequence): the claim, its open findings (rule: severity),
    queues, member. A claim closed by its successor (a CARC 22 rebill) gives way to it."""
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
        found: Final = {}
        for c in s.exec(select(Claim).order_by(col(Claim.id))):
            key = (sessions[c.session_id], patients[c.patient_id], c.payer_sequence.value)
            if key not in found or c.status not in TERMINAL_STATUSES:
                found[key] = (c, rules[c.id], queues[c.id], members[c.coverage_id])
        return found


def test_every_claim_ends_where_the_manifest_and_the_payers_say(
    prefect_harness, billing: str, practice: SyntheticPractice
) -> None:
    """Three nights: the primaries, then the secondaries their 835s made, then the tertiary."""
    _bill_the_day_and_check_the_manifest(billing, practice, TODAY, rounds=3)


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


def _bill_the_day_and_check_the_manifest(
    billing: str, practice: SyntheticPractice, as_of: date | None, rounds: int = 1
) -> None:
    """Bill the day (and, with `rounds`, the next payers' claims the 835s made, as the following daily runs
    do), then check every claim against the manifest and what the sandbox's payers know."""
    from flows.claims import collect_reports, daily_claims

    state = daily_claims(as_of=as_of, return_state=True)
    assert state.is_completed()
    for _ in range(rounds - 1):
        daily_claims(as_of=as_of)
    collect_reports()
    final = _final(billing)
    with Session(engine_for(billing)) as s:
        payer_of = {p.id: p.x12_payer_id for p in s.exec(select(Payer))}
    for (session_id, patient_id, sequence), (claim, rules, queues, member_id) in final.items():
        where = f"{session_id}/{patient_id}/{sequence}"
        if rounds == 1 and claim.status is ClaimStatus.DRAFT:
            continue  # a next payer's claim (or a rebill) the next daily run scrubs
        expected = practice.manifest.rules_for(session_id, patient_id, sequence)
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
        else:  # a payer that took its payment back leaves its reversal for review
            reviewed = {"REVIEW"} if member.remittance in ("reversed", "reprocessed_as_crossover") else set()
            assert claim.status is ClaimStatus.PAID and queues == reviewed, where
    with Session(engine_for(billing)) as s:
        sent = [c.patient_control_number for c in s.exec(select(Claim).where(col(Claim.batch_id).is_not(None)))]
    received = _received()
    assert sorted(received) == sorted(sent) and state.result()["claims_sent"] == len(sent) or rounds > 1
    files = list(Path(get_settings().output_dir, "837p").iterdir())
    assert [pyx12_problems(f.read_text()) for f in files] == [[]] * len(files)
    if rounds > 1:
        assert sorted(received) == sorted(sent)
        _every_seeded_cob_defect_was_met(practice, final)


def _every_seeded_cob_defect_was_met(practice: SyntheticPractice, final: Final) -> None:
    """Every expectation, also those on the next payers' claims and rebills, lands on a claim that exists."""
    for e in practice.manifest.expectations:
        claim, rules, _, _ = final[(e.session_id, e.patient_id, e.sequence)]
        assert set(e.rules) <= set(rules), (e.session_id, e.patient_id, e.sequence, claim.status)


def test_running_the_day_twice_sends_and_posts_nothing_new(prefect_harness, billing: str) -> None:
    """Each run sends only what is new: the first the primaries, the next the secondaries their 835s made, the
    one after the tertiary; then a run finds nothing to send or post, and no claim was ever received twice."""
    from flows.claims import collect_reports, daily_claims

    first = daily_claims(as_of=TODAY)
    sent = [first["claims_sent"]]
    for _ in range(3):
        again = daily_claims(as_of=TODAY)
        assert again["drafted"] == 0
        sent.append(again.get("claims_sent", 0))
    received = _received()
    assert sent[0] > sent[1] > sent[2] > 0 and sent[3] == 0 and len(received) == len(set(received)) == sum(sent)
    assert again["reports_claim_payments"] == 0 and collect_reports()["claim_payments"] == 0


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
    assert {c.status for c in sent} <= ANSWERED and sorted(received) == sorted(c.patient_control_number for c in sent)


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
    # every claim adjudicated once; some payers then reverse, reprocess or forward (more claim payments)
    assert counts["batches_already_received"] == 1 and counts["claim_payments"] >= counts["accepted"] > 0
    received = _received()
    with Session(engine_for(billing)) as s:
        sent = [c for c in s.exec(select(Claim)) if c.batch_id is not None]
        review = s.exec(select(WorkItem).where(WorkItem.queue == "REVIEW")).all()
    assert {c.status for c in sent} <= ANSWERED and [w.codes for w in review if w.codes != ["CLP02-22"]] == []
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
