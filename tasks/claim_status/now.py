"""Asking about one claim now (`groupbill claims status`): a 276 to its payer whatever the follow-up's
schedule says, the answer kept on the claim like any other, and what it said and filed, for a person."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config.reference_data import X12Codes
from models.claims import Claim
from models.db import session_scope
from models.errors import InputError
from models.exchange import ClaimStatusCheck, SubmissionBatch, WorkItem
from tasks.claim_status.meaning import in_words
from tasks.claim_status.quiet import ASKED
from tasks.claim_status.run import Asking, ask_about
from tasks.clearinghouse.protocol import Clearinghouse
from tasks.x12.status277 import read_277


@dataclass(frozen=True, slots=True)
class Asked:
    """What asking about one claim now gave: how it was asked, the answer in words, the claim's state after."""

    claim_id: int
    asked: bool  # False: the claim's connection cannot ask (no 276/277)
    channel: str | None  # real-time, or mailbox (the answer comes with the next collection)
    outcome: str | None  # what groupbill made of the answer (tasks/claim_status/meaning.py)
    said: str  # the answer's statuses in words ('' until a mailbox's 277 comes)
    status: str  # the claim's status after the answer
    open_queues: tuple[str, ...]  # the claim's open work items


def asking_from_settings(today: date, source: str) -> Asking:
    """What a round of questions needs from the settings (the practice's clock, envelopes and tables)."""
    from config.reference_data import x12_codes
    from config.settings import get_settings
    from tasks.runtime import practice_envelope
    from tasks.scrubbing.engine import profiles

    return Asking(today, get_settings().now(), practice_envelope, x12_codes(), profiles(), source)


def ask_one(engine: Engine, clearinghouse: Clearinghouse, claim_id: int, asking: Asking) -> Asked:
    """Ask the claim's payer about it now (a claim that was never sent is refused in one line)."""
    with session_scope(engine) as session:
        _sent_or_error(session, claim_id)
    counts = ask_about(engine, clearinghouse, {claim_id: ASKED}, asking)
    with session_scope(engine) as session:
        return _asked(session, claim_id, not counts.get("not_asked"), asking.codes)


def _sent_or_error(session: Session, claim_id: int) -> None:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise InputError(f"claim {claim_id}: no such claim")
    batch = session.get(SubmissionBatch, claim.batch_id) if claim.batch_id else None
    if batch is None or batch.sent_at is None:
        raise InputError(f"claim {claim_id}: is {claim.status.value} and was never sent; a payer has nothing to say")


def _asked(session: Session, claim_id: int, asked: bool, codes: X12Codes) -> Asked:
    claim = session.get(Claim, claim_id)
    assert claim is not None  # checked before asking
    query = select(ClaimStatusCheck).where(ClaimStatusCheck.claim_id == claim_id).order_by(col(ClaimStatusCheck.id))
    check = session.exec(query).all()[-1] if asked else None
    items = select(WorkItem.queue).where(WorkItem.claim_id == claim_id, col(WorkItem.resolved_at).is_(None))
    return Asked(
        claim_id,
        asked,
        check.channel if check else None,
        check.outcome if check else None,
        _words(check.raw, codes) if check and check.raw else "",
        claim.status.value,
        tuple(sorted(set(session.exec(items)))),
    )


def _words(raw: str, codes: X12Codes) -> str:
    answers = read_277(raw).claims
    return in_words(answers[0], codes) if answers else ""
