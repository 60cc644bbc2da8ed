"""Claim status follow-up where it could do harm: a "not found" about a claim the payer acknowledged must not
reject it (a resend would bill twice), a 276 never takes a claim batch's control number, a retried mailbox
batch is asked under a new one, and one refused or unreadable answer stops nobody else's."""

from collections import Counter

import pytest
from sqlmodel import Session, select

from models.claims import Claim
from models.enums import ClaimStatus
from models.errors import ClearinghouseRejected, ClearinghouseUnavailable
from models.exchange import ClaimStatusCheck, WorkItem
from models.patients import AuthLedgerEntry
from tasks.claim_status.run import STATUS_CONTROL_BASE
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tests.tasks.claim_status.conftest import Quiet


def _isa13(x12: str) -> int:
    return int(x12[: x12.index("~")].split(x12[3])[13])


class Recording:
    """The sandbox answering 276s in real time, remembering each question; `fail` decides per call."""

    def __init__(self, inner: SandboxClearinghouse, fail: dict[int, Exception] | None = None) -> None:
        self.inner, self.asked, self.fail = inner, list[str](), fail or {}

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str | None:
        self.asked.append(x12_276)
        failure = self.fail.get(len(self.asked))
        if failure is not None:
            raise failure
        return self.inner.check_claim_status(x12_276, payer_id=payer_id)


class Mailbox(Recording):
    claim_status_channel = "mailbox"

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> None:
        super().check_claim_status(x12_276, payer_id=payer_id)
        return None


def _ledger(session: Session, claim_id: int) -> int:
    return len(session.exec(select(AuthLedgerEntry).where(AuthLedgerEntry.claim_id == claim_id)).all())


def test_not_found_about_a_claim_the_payer_acknowledged_keeps_it_and_asks_a_person_first(quiet: Quiet) -> None:
    found = quiet.quiet(4)
    acknowledged = found[0].claim_id
    with Session(quiet.engine) as s:
        claim = s.get(Claim, acknowledged)
        assert claim is not None
        claim.status, claim.payer_claim_number = ClaimStatus.ACCEPTED, "PAYER-77"
        s.add(claim)
        s.commit()
        units_before = _ledger(s, acknowledged)
    quiet.ask(25)  # past the payer's 21 days without an 835: the payer that lost it says A4, not found
    with Session(quiet.engine) as s:
        kept = s.get(Claim, acknowledged)
        assert kept is not None and kept.status is ClaimStatus.ACCEPTED  # not rejected: a resend may bill twice
        assert _ledger(s, acknowledged) == units_before
        (item,) = s.exec(select(WorkItem).where(WorkItem.claim_id == acknowledged)).all()
        assert item.queue == "MISSING_CLAIM" and "call the payer before resending" in item.explanation
        assert "PAYER-77" in item.explanation
        check = s.exec(select(ClaimStatusCheck).where(ClaimStatusCheck.claim_id == acknowledged)).one()
        assert (check.category, check.outcome) == ("A4", "missing_claim")


def test_every_276_is_numbered_where_no_claim_batch_is(quiet: Quiet) -> None:
    real_time, mailbox = Recording(quiet.sandbox), Mailbox(quiet.sandbox)
    quiet.ask(4, real_time)
    quiet.ask(40, mailbox)
    numbers = [_isa13(x) for x in real_time.asked + mailbox.asked]
    assert numbers and all(n >= STATUS_CONTROL_BASE for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_a_mailbox_batch_that_failed_is_asked_again_under_a_new_control_number(quiet: Quiet) -> None:
    found = quiet.quiet(4)
    mailbox = Mailbox(quiet.sandbox, fail={1: ClearinghouseUnavailable("the mailbox went away")})
    with pytest.raises(ClearinghouseUnavailable):
        quiet.ask(4, mailbox)
    assert quiet.ask(4, mailbox) == {"asked_by_mailbox": len(found)}
    first, second = mailbox.asked
    assert _isa13(first) != _isa13(second)  # the same number with other content would be refused for ever
    with Session(quiet.engine) as s:
        outcomes = Counter(c.outcome for c in s.exec(select(ClaimStatusCheck)))
    assert outcomes == Counter(superseded=len(found), asked=len(found))


def test_a_refused_question_is_reviewed_and_the_others_are_still_asked(quiet: Quiet) -> None:
    found = quiet.quiet(35)
    assert len(found) >= 2
    refused = Recording(quiet.sandbox, fail={1: ClearinghouseRejected("payer does not support claim status")})
    counts = quiet.ask(35, refused)
    assert counts["asked_real_time"] == len(found) and counts["answer_review"] == 1
    answered = sum(v for k, v in counts.items() if k.startswith("answer_"))
    assert answered == len(found) and len(refused.asked) == len(found)
    with Session(quiet.engine) as s:
        reviews = [w for w in s.exec(select(WorkItem)) if w.codes == ["276-UNANSWERED"]]
        assert len(reviews) == 1 and "payer does not support claim status" in reviews[0].explanation


def test_a_transient_failure_keeps_the_answers_in_hand_and_the_rest_are_asked_next_time(quiet: Quiet) -> None:
    found = quiet.quiet(35)
    assert len(found) >= 2
    flaky = Recording(quiet.sandbox, fail={2: ClearinghouseUnavailable("timed out")})
    with pytest.raises(ClearinghouseUnavailable):
        quiet.ask(35, flaky)
    with Session(quiet.engine) as s:
        assert len(s.exec(select(ClaimStatusCheck)).all()) == 1  # the first answer is kept
    assert quiet.ask(35)["asked_real_time"] == len(found) - 1  # the rest are still due
