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
from models.clock import utcnow
from models.db import in_chunks, lock_billing, session_scope
from models.errors import ClearinghouseError, ClearinghouseRejected, X12ParseError
from models.exchange import ClaimStatusCheck
from models.practice import Payer
from models.types import db_id
from tasks.claim_status.inquiry import claims_by_payer, inquiries, status_request
from tasks.claim_status.record import GraceOf, apply_answer, apply_status_report, grace_by_payer, own_277
from tasks.clearinghouse.protocol import AsksClaimStatus, Clearinghouse, claim_status_channel
from tasks.clearinghouse.routing import route
from tasks.posting.common import Poster, Posting
from tasks.posting.meaning import REVIEW, QueueEntry
from tasks.submission.batching import Envelope
from tasks.x12.status277 import read_277
from tasks.x12.status_model import ClaimInquiry, StatusResponse
from tasks.x12.status_model import ClaimStatus as Answer

# 276 interchanges are numbered from 900,000,000 up. 837P batches are numbered by batch ID from 1 in the same
# clearinghouse's control-number space, so a 999 or TA1 answering a 276 can never be matched to a claim batch,
# and a 276 can never take a batch's number first (which the clearinghouse would refuse as a duplicate, TA1 025).
STATUS_CONTROL_BASE, STATUS_CONTROL_SPAN = 900_000_000, 99_999_999
_controls = itertools.count(int(time.time()))  # where this process starts counting; a control number, not a date
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
        answers, broken = _ask_each(connection, texts, payer_code)
        with session_scope(engine) as session:
            lock_billing(session)
            poster = Poster(session, asking.codes, asking.source, posting)
            for claim, question, answer in zip(chunk, asked, answers, strict=False):
                _record_real_time(poster, claim, question, answer, reasons, asking, grace)
            poster.finish()
        counts["asked_real_time"] += len(answers)
        if broken is not None:
            raise broken  # the answers in hand are kept; the rest are asked on the retry
    return counts


def _ask_each(
    connection: AsksClaimStatus, texts: list[str], payer_code: str
) -> tuple[list[str | None | ClearinghouseRejected], ClearinghouseError | None]:
    """Ask one 276 at a time. A refusal of one question is that claim's answer (a person looks at it); a
    transient failure stops the round, keeping the answers in hand."""
    answers: list[str | None | ClearinghouseRejected] = []
    for text in texts:
        try:
            answers.append(connection.check_claim_status(text, payer_id=payer_code))
        except ClearinghouseRejected as refused:
            answers.append(refused)
        except ClearinghouseError as failed:
            return answers, failed
    return answers, None


def _record_real_time(
    poster: Poster,
    claim: Claim,
    question: ClaimInquiry,
    answer_text: str | None | ClearinghouseRejected,
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
    try:
        if isinstance(answer_text, ClearinghouseRejected):
            raise answer_text
        response = read_277(answer_text) if answer_text else None
    except (ClearinghouseRejected, X12ParseError) as unanswered:
        _unanswered(poster, check, claim, unanswered)
        return
    answer = _answer_to(response, question)
    raw = own_277(response, answer) if response is not None and answer is not None else None
    apply_answer(poster, check, answer, raw, asking.today, grace)


def _unanswered(poster: Poster, check: ClaimStatusCheck, claim: Claim, why: Exception) -> None:
    """A question the clearinghouse refused, or an answer that is not a readable 277: kept, and a person looks."""
    check.answered_at, check.outcome = utcnow(), "review"
    poster.posting.statuses["answer_review"] += 1
    words = f"the claim status question got no usable answer: {why}; check the claim's payer and member ID"
    poster.file(QueueEntry(REVIEW, ("276-UNANSWERED",), words[:500]), claim.id)


def _answer_to(response: StatusResponse | None, question: ClaimInquiry) -> Answer | None:
    """The answer to our question: by its trace number, else the one claim a one-question 277 answers about
    when it names our patient control number (some payers answer without echoing TRN02)."""
    if response is None:
        return None
    found = next((a for a in response.claims if a.trace_number == question.trace_number), None)
    if found is None and len(response.claims) == 1:
        only = response.claims[0]
        return only if only.patient_control_number == question.patient_control_number else None
    return found


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
    """One 276 batch left in the mailbox: its questions are kept first, then sent under a control number of
    their own (a retry asks again under a new one: a 276 twice is harmless, a control number reused with
    other content is refused), then marked asked."""
    with session_scope(engine) as session:
        lock_billing(session)
        checks = _mailbox_checks(session, claims, reasons, asking)
        ids = [db_id(c.id) for c in checks]
        traces = {c.claim_id: c.trace_number or "" for c in checks}
        asked = inquiries(session, [c for c in claims if db_id(c.id) in traces], traces)
        text = status_request(
            session, group[1], asked, asking.envelope_of(group[0]), status_control(min(ids)), asking.now
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
    """The batch's questions, new each attempt (trace CS + the row's ID). A question an earlier attempt kept but
    never marked asked may or may not have reached the mailbox: it is superseded, and its answer, should one
    come, is still applied by its trace number."""
    ids = [db_id(c.id) for c in claims]
    left = select(ClaimStatusCheck).where(
        col(ClaimStatusCheck.claim_id).in_(ids),
        ClaimStatusCheck.channel == "mailbox",
        col(ClaimStatusCheck.outcome).is_(None),
    )
    for check in session.exec(left):
        check.outcome = "superseded"
    checks = [
        ClaimStatusCheck(
            claim_id=claim_id, asked_on=asking.today, reason=reasons[claim_id], channel="mailbox", source=asking.source
        )
        for claim_id in ids
    ]
    session.add_all(checks)
    session.flush()
    for check in checks:
        check.trace_number = f"CS{check.id:09d}"
    return checks


def _payer_code(engine: Engine, payer_id: int) -> str:
    with session_scope(engine) as session:
        payer = session.get(Payer, payer_id)
    return payer.x12_payer_id if payer else ""


def _control() -> int:
    """A fresh 276 control number (real-time questions: one each)."""
    return status_control(next(_controls))


def status_control(n: int) -> int:
    """The 276 control number for `n`: in the range no 837P batch reaches."""
    return STATUS_CONTROL_BASE + n % STATUS_CONTROL_SPAN
