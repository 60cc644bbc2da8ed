"""The daily run's steps as plain functions over the billing database (no Prefect): the flow's
tasks wrap them, and the benchmark and the command line call them directly. Each step is safe to
run twice; the lifecycle in the database is the guard, not the orchestrator."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from config.fees import load_fee_schedule
from config.reference_data import X12Codes
from config.settings import get_settings
from models.claims import Claim
from models.db import lock_billing, session_scope
from models.enums import ClaimStatus
from models.errors import ClearinghouseUnavailable, InputError
from models.practice import Practice
from models.types import cents, db_id
from tasks.claims.drafting import draft_claims
from tasks.clearinghouse.protocol import Clearinghouse
from tasks.cob.sequencing import follow_payer_order
from tasks.crash import crash_point
from tasks.eligibility.check import run_checks
from tasks.fixing.corrections import ACTIONS, claim_or_error, correct, rescrub, resend, void
from tasks.posting.collect import collect
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.report import scrub_rows
from tasks.scrubbing.run import scrub_claims, scrubbable_claims, scrubbable_coverage_dates
from tasks.submission.batching import Envelope, assemble_batch, ready_groups, split_group
from tasks.submission.sending import pending_batches, send_batch


@dataclass(frozen=True, slots=True)
class Window:
    """Dates of service a run covers (None: open on that side) and the practice's today."""

    date_from: date | None
    date_to: date | None
    today: date

    def dates(self) -> dict[str, date | None]:
        """The window as drafting's keyword arguments."""
        return {"date_from": self.date_from, "date_to": self.date_to}


def draft(engine: Engine, window: Window, *, source: str) -> dict[str, int]:
    """Draft claims for attended, held sessions of every practice (present attendees only)."""
    totals: Counter[str] = Counter()
    with session_scope(engine) as session:
        lock_billing(session)
        fees = load_fee_schedule()
        for practice_id in session.exec(select(Practice.id)):
            report = draft_claims(
                session, db_id(practice_id), fees, source=source, date_from=window.date_from, date_to=window.date_to
            )
            totals.update(
                drafted=report.created,
                drafted_cents=cents(report.charges),
                already_drafted=report.already_drafted,
                no_coverage=report.no_coverage,
            )
        # before eligibility: an unsent claim whose payer order changed is verified with its new payer
        totals.update(moved_to_another_payer=follow_payer_order(session, to_scrub(session, window)))
    crash_point("after:draft")
    return dict(totals)


def to_scrub(session: Session, window: Window) -> list[int]:
    """Claims not yet sent whose dates of service fall in the window (drafts and holds alike)."""
    return scrubbable_claims(session, date_from=window.date_from, date_to=window.date_to)


def preview(engine: Engine, window: Window, *, source: str) -> list[dict[str, Any]]:
    """Tonight's holds without sending or keeping anything: draft and scrub in one transaction, then roll it
    back. The rows of `groupbill scrub --format json`; a claim the run would draft has claim_id None (it does
    not exist yet). Eligibility is what is on file (the run itself asks the payers first)."""
    with Session(engine) as session:
        try:
            lock_billing(session)  # a run drafting or scrubbing now finishes first; this one sees what it left
            newest = session.exec(select(func.max(Claim.id))).one() or 0
            fees = load_fee_schedule()
            for practice_id in session.exec(select(Practice.id)):
                draft_claims(session, db_id(practice_id), fees, source=source, **window.dates())
            report = scrub_claims(session, to_scrub(session, window), today=window.today, source=source)
            rows = scrub_rows(session, report)
        finally:
            session.rollback()
    return [row | {"claim_id": row["claim_id"] if row["claim_id"] <= newest else None} for row in rows]


def refresh_eligibility(engine: Engine, clearinghouse: Clearinghouse, window: Window, now: datetime) -> dict[str, int]:
    """Verify coverage for every claim about to be scrubbed, a page of (coverage, date) pairs at a time;
    checks still fresh are reused."""
    counts = {"coverages": 0, "checked": 0, "reused": 0}
    with session_scope(engine) as session:
        for pairs in scrubbable_coverage_dates(session, date_from=window.date_from, date_to=window.date_to):
            report = run_checks(session, clearinghouse, pairs, profiles=profiles(), now=now)
            counts["coverages"] += len(pairs)
            counts["checked"] += report.checked
            counts["reused"] += report.reused
    crash_point("after:eligibility")
    return counts


def scrub(engine: Engine, window: Window, *, source: str) -> dict[str, int]:
    """Documentation gate, authorization reservation and every rule; counts of ready, held, and holds by rule."""
    with session_scope(engine) as session:
        lock_billing(session)
        claim_ids = to_scrub(session, window)
        report = scrub_claims(session, claim_ids, today=window.today, source=source, keep_results=False)
    crash_point("after:scrub")
    return {
        "ready": report.ready,
        "ready_cents": cents(report.charges[ClaimStatus.READY]),
        "on_hold": report.on_hold,
        "on_hold_cents": cents(report.charges[ClaimStatus.ON_HOLD]),
        **{f"hold_{k}": v for k, v in report.holds_by_rule.items()},
    }


def assemble(
    engine: Engine,
    envelope: Envelope | Callable[[int], Envelope],
    now: datetime,
    *,
    source: str,
    claim_ids: list[int] | None = None,
) -> list[int]:
    """Every ready claim (or these) into 837P batches per practice and payer; the new batch IDs.

    `envelope` may depend on the practice (its connection's IDs and test or production mode). `now` is the
    practice's local time (Settings.now()): the files' envelopes carry its wall-clock date."""
    with session_scope(engine) as session:
        groups = ready_groups(session, claim_ids)
    envelope_of = envelope if callable(envelope) else (lambda _practice: envelope)
    groups = [part for group in groups for part in split_group(group, envelope_of(group[0]).claims_per_file)]
    built = (assemble_batch(engine, group, envelope_of(group[0]), now=now, source=source) for group in groups)
    batch_ids = [batch_id for batch_id in built if batch_id is not None]
    crash_point("after:assemble")
    return batch_ids


def send(engine: Engine, clearinghouse: Clearinghouse, *, source: str) -> dict[str, int]:
    """Every batch still `submitting` (this run's and any a crash left behind), each at most once."""
    with session_scope(engine) as session:
        batch_ids = pending_batches(session)
    totals: Counter[str] = Counter()
    for done, batch_id in enumerate(batch_ids):
        try:
            sent = send_batch(engine, clearinghouse, batch_id, source=source)
        except ClearinghouseUnavailable as exc:  # say where the night stopped: the cause line shows it
            where = f"sending batch {batch_id} ({done} of {len(batch_ids)} batches sent before it)"
            raise ClearinghouseUnavailable(f"{exc} {where}", retry_after=exc.retry_after) from exc
        totals[f"batches_{sent.outcome}"] += 1
        totals[f"claims_{sent.outcome}"] += sent.claims
        totals[f"claims_{sent.outcome}_cents"] += cents(sent.charges)
        crash_point("send:between-batches")
    crash_point("after:send")
    return dict(totals)


def collect_reports(engine: Engine, clearinghouse: Clearinghouse, codes: X12Codes, *, source: str) -> dict[str, int]:
    """999, 277CA and 835 since the stored cursor, each applied once; counts of what was applied."""
    counts = collect(engine, clearinghouse, codes, source=source).as_counts()
    crash_point("after:collect")
    return counts


def reprocess(engine: Engine, claim_id: int, action: str, *, source: str) -> dict[str, int]:
    """One claim after ops fixed its data: the claim to send next (itself or its successor) and if it is ready."""
    if action not in ACTIONS:
        raise InputError(f"from_step: {action!r} is not one of {', '.join(ACTIONS)}")
    today = get_settings().today()
    with session_scope(engine) as session:
        lock_billing(session)  # an overlapping reprocess of the same claim waits, then sees this one's successor
        if action == "rescrub":
            target = claim_id
            rescrub(session, claim_id, today=today, source=source)
        else:
            target = {"resend": resend, "correct": correct, "void": void}[action](
                session, claim_id, today=today, source=source
            )
        status = claim_or_error(session, target).status
    return {"claim_id": target, "ready": int(status is ClaimStatus.READY)}
