"""Ask payers about claims: per practice and payer, one claim at a time where the connection answers in
real time (each answer recorded as it comes), else one 276 batch left in the mailbox (its 277 comes back as
a report and is applied by collection). Network calls happen outside any database transaction."""

import itertools
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config.profiles import PayerProfile
from config.reference_data import X12Codes
from models.claims import Claim
from models.db import in_chunks, lock_billing, session_scope
from models.exchange import ClaimStatusCheck
from models.practice import Payer
from models.types import db_id
from tasks.claim_status.inquiry import claims_by_payer, inquiries, status_request
from tasks.claim_status.record import GraceOf, apply_answer, apply_status_report, grace_by_payer, own_277
from tasks.clearinghouse.protocol import AsksClaimStatus, Clearinghouse, claim_status_channel
from tasks.clearinghouse.routing import route
from tasks.posting.common import Poster, Posting
from tasks.submission.batching import Envelope
from tasks.x12.status277 import read_277
from tasks.x12.status_model import ClaimInquiry, StatusResponse
from tasks.x12.status_model import ClaimStatus as Answer

_controls = itertools.count(int(time.time()) % 900_000_000)  # a control number, not a date
RECORD_EVERY = 25  # real-time answers recorded per transaction


@dataclass(frozen=True)
class Asking:
    """What a round of questions needs besides the claims: the day, the clock, the envelopes and tables."""

    today: date
    now: datetime
    envelope_of: Callable[[int], Envelope]  # the practice's connection: submitter and receiver IDs, test mode
    codes: X12Codes
    profiles: dict[str, PayerProfile]
    source: str


def ask_about(engine: Engine, clearinghouse: Clearinghouse, reasons: dict[int, str], asking: Asking) -> dict[str, int]:
    """Ask each claim's payer about it (`reasons`: claim ID -> why); counts of questions and answers."""
    with session_scope(engine) as session:
        groups = claims_by_payer(session, list(reasons))
        grace = grace_by_payer(session, asking.profiles)
    posting, counts = Posting(), Counter[str]()
    for (practice_id, payer_id), claims in groups.items():
        connection = route(clearinghouse, practice_id)
        channel = claim_status_channel(connection)
        if channel is None or not isinstance(connection, AsksClaimStatus):
            counts["not_asked"] += len(claims)  # the connection cannot ask (no 276): the claims stay quiet
            continue
        ask = _real_time if channel == "real-time" else _by_mailbox
        counts += ask(engine, connection, (practice_id, payer_id), claims, reasons, asking, grace, posting)
    counts.update(posting.statuses)
    counts.update({f"queue_{k}": v for k, v in posting.queues.items()})
    return dict(counts)


def _real_time(
    engine: Engine,
    connection: AsksClaimStatus,
    group: tuple[int, int],
    claims: list[Claim],
    reasons: dict[int, str],
    asking: Asking,
    grace: GraceOf,
    posting: Posting,
) -> Counter[str]:
    """One 276 per claim, answered at once; recorded a few answers per transaction (a failure keeps those)."""
    counts: Counter[str] = Counter()
    payer_code = _payer_code(engine, group[1])
    for chunk in in_chunks(claims, RECORD_EVERY):
        traces = {db_id(c.id): f"CS{c.id}T{uuid.uuid4().hex[:10].upper()}" for c in chunk}
        with session_scope(engine) as session:
            asked = inquiries(session, list(chunk), traces)
            texts = [
                status_request(session, group[1], [q], asking.envelope_of(group[0]), _control(), asking.now)
                for q in asked
            ]
        answers = [connection.check_claim_status(text, payer_id=payer_code) for text in texts]
        with session_scope(engine) as session:
            lock_billing(session)
            poster = Poster(session, asking.codes, asking.source, posting)
            for claim, question, answer in zip(chunk, asked, answers, strict=True):
                _record_real_time(poster, claim, question, answer, reasons, asking, grace)
            poster.finish()
        counts["asked_real_time"] += len(chunk)
    return counts


def _record_real_time(
    poster: Poster,
    claim: Claim,
    question: ClaimInquiry,
    answer_text: str | None,
    reasons: dict[int, str],
    asking: Asking,
    grace: GraceOf,
) -> None:
    check = ClaimStatusCheck(
        claim_id=db_id(claim.id),
        asked_on=asking.today,
        reason=reasons[db_id(claim.id)],
        channel="real-time",
        trace_number=question.trace_number,
        source=asking.source,
    )
    poster.session.add(check)
    response = read_277(answer_text) if answer_text else None
    answer = _answer_to(response, question.trace_number)
    raw = own_277(response, answer) if response is not None and answer is not None else None
    apply_answer(poster, check, answer, raw, asking.today, grace)


def _answer_to(response: StatusResponse | None, trace: str) -> Answer | None:
    if response is None:
        return None
    return next((a for a in response.claims if a.trace_number == trace), None)


def _by_mailbox(
    engine: Engine,
    connection: AsksClaimStatus,
    group: tuple[int, int],
    claims: list[Claim],
    reasons: dict[int, str],
    asking: Asking,
    grace: GraceOf,
    posting: Posting,
) -> Counter[str]:
    """One 276 batch left in the mailbox: its questions are kept first (a question left over from a run that
    stopped before sending is sent again, under the same control number), then sent, then marked asked."""
    with session_scope(engine) as session:
        lock_billing(session)
        checks = _mailbox_checks(session, claims, reasons, asking)
        ids = [db_id(c.id) for c in checks]
        traces = {c.claim_id: c.trace_number or "" for c in checks}
        asked = inquiries(session, [c for c in claims if db_id(c.id) in traces], traces)
        text = status_request(
            session, group[1], asked, asking.envelope_of(group[0]), min(ids) % 999_999_999, asking.now
        )
    answer = connection.check_claim_status(text, payer_id=_payer_code(engine, group[1]))
    with session_scope(engine) as session:
        lock_billing(session)
        for check in session.exec(select(ClaimStatusCheck).where(col(ClaimStatusCheck.id).in_(ids))):
            check.outcome = check.outcome or "asked"
        if answer:  # a mailbox that answers at once after all
            apply_status_report(
                Poster(session, asking.codes, asking.source, posting),
                read_277(answer),
                f"CSQ{min(ids)}",
                answer,
                asking.today,
                grace,
            )
    return Counter(asked_by_mailbox=len(asked))


def _mailbox_checks(
    session: Session, claims: list[Claim], reasons: dict[int, str], asking: Asking
) -> list[ClaimStatusCheck]:
    """The batch's questions: those left unsent by an earlier run, and new ones (trace CS + the row's ID)."""
    ids = [db_id(c.id) for c in claims]
    left = {
        c.claim_id: c
        for c in session.exec(
            select(ClaimStatusCheck).where(
                col(ClaimStatusCheck.claim_id).in_(ids),
                ClaimStatusCheck.channel == "mailbox",
                col(ClaimStatusCheck.outcome).is_(None),
            )
        )
    }
    for claim_id in ids:
        if claim_id not in left:
            check = ClaimStatusCheck(
                claim_id=claim_id,
                asked_on=asking.today,
                reason=reasons[claim_id],
                channel="mailbox",
                source=asking.source,
            )
            session.add(check)
            session.flush()
            check.trace_number = f"CS{check.id:09d}"
            left[claim_id] = check
    return [left[i] for i in ids]


def _payer_code(engine: Engine, payer_id: int) -> str:
    with session_scope(engine) as session:
        payer = session.get(Payer, payer_id)
    return payer.x12_payer_id if payer else ""


def _control() -> int:
    return next(_controls) % 999_999_998 + 1
