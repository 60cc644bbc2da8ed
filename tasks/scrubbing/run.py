"""Scrub claims in the database: code them for their payer, run the rules, record the findings,
and move each claim to `ready` or `on_hold` through the lifecycle writer."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from models.claims import Claim, Finding
from models.enums import ClaimStatus, Severity
from models.lifecycle import transition_many
from models.types import db_id, utcnow
from tasks.crash import crash_point
from tasks.preauth.accounting import settle
from tasks.scrubbing.coding import payer_coding
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.engine import FindingValue, scrub_context
from tasks.scrubbing.loader import load_contexts
from tasks.scrubbing.plain import plain
from tasks.scrubbing.render import check_x12_together
from tasks.scrubbing.rules.authorization import covering
from tasks.x12.values import gc_paused

SCRUBBABLE = (ClaimStatus.DRAFT, ClaimStatus.ON_HOLD, ClaimStatus.READY)
CHUNK = 500


@dataclass
class ClaimResult:
    """One claim after scrubbing (IDs and rule IDs; the messages are in the findings)."""

    claim_id: int
    status: ClaimStatus
    findings: list[FindingValue]


@dataclass
class ScrubReport:
    """What a scrub did, in counts; each claim's result too unless `keep_results` is off (a night's run
    keeps counts only, so its memory does not grow with the number of claims)."""

    keep_results: bool = True
    results: list[ClaimResult] = field(default_factory=list)
    holds_by_rule: Counter[str] = field(default_factory=Counter)
    statuses: Counter[ClaimStatus] = field(default_factory=Counter)

    def add(self, result: ClaimResult, errors: list[str]) -> None:
        """Count one claim's outcome (and keep it if asked to)."""
        self.statuses[result.status] += 1
        self.holds_by_rule.update(errors)
        if self.keep_results:
            self.results.append(result)

    @property
    def ready(self) -> int:
        """Claims that may go out."""
        return self.statuses[ClaimStatus.READY]

    @property
    def on_hold(self) -> int:
        """Claims held for a fix."""
        return self.statuses[ClaimStatus.ON_HOLD]


def scrubbable_claims(
    session: Session,
    *,
    session_ids: list[int] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[int]:
    """Claims not yet sent, in billing order (date of service, then ID)."""
    query = select(Claim.id).where(col(Claim.status).in_(SCRUBBABLE))
    if session_ids is not None:
        query = query.where(col(Claim.session_id).in_(session_ids))
    if date_from is not None:
        query = query.where(col(Claim.service_date) >= date_from)
    if date_to is not None:
        query = query.where(col(Claim.service_date) <= date_to)
    return [db_id(i) for i in session.exec(query.order_by(col(Claim.service_date), col(Claim.id)))]


def scrub_claims(
    session: Session, claim_ids: list[int], *, today: date, source: str, keep_results: bool = True
) -> ScrubReport:
    """Code, check and record every claim, in chunks; the caller commits."""
    report = ScrubReport(keep_results)
    now = utcnow()
    session.flush()  # the loader must see what this session already wrote (eligibility checks, data fixes)
    with session.no_autoflush:
        for chunk in _chunks(claim_ids):
            contexts = load_contexts(session, chunk, today=today)
            rows = [ctx.claim for ctx in contexts]
            outcomes = [(row, *result) for row, result in zip(rows, scrub_batch(contexts), strict=True)]
            draws = [_authorization_draw(ctx) for ctx in contexts]
            _record_all(session, outcomes, draws, source, now, report)
            session.flush()
            crash_point("scrub:chunk")
    return report


def scrub_batch(contexts: list[ClaimContext]) -> list[tuple[list[FindingValue], str]]:
    """Code each claim's mapped rows, then check plain copies: the 837P in one go, then every rule.

    The cyclic garbage collector is paused meanwhile: the batch makes many short-lived objects and
    no cycles, and collections over a large heap would double the time.
    """
    with gc_paused():
        for ctx in contexts:
            code_claim(ctx)
            ctx.claim, ctx.lines = plain(ctx.claim), [plain(line) for line in ctx.lines]  # rules only read
        check_x12_together(contexts)
        return [scrub_context(ctx) for ctx in contexts]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def code_claim(ctx: ClaimContext) -> None:
    """Apply the payer's coding (place of service, modifiers) to the claim's mapped rows."""
    coding = payer_coding(ctx)
    ctx.claim.place_of_service = coding.place_of_service
    for line in ctx.lines:
        if line.modifiers != coding.modifiers[line.line_number]:
            line.modifiers = coding.modifiers[line.line_number]


def _authorization_draw(ctx: ClaimContext) -> tuple[int | None, int]:
    """The authorization a ready claim draws on, and how many of its units the claim bills."""
    auth = covering(ctx)
    if auth is None:
        return None, 0
    return auth.id, sum(line.units for line in ctx.lines if line.cpt_code in auth.cpt_codes)


def _record_all(
    session: Session,
    outcomes: list[tuple[Claim, list[FindingValue], str]],
    draws: list[tuple[int | None, int]],
    source: str,
    now: datetime,
    report: ScrubReport,
) -> None:
    """Hold or release each claim, reserve or release its authorization units, and keep the findings
    that still hold (resolving the rest)."""
    targets = [
        ClaimStatus.ON_HOLD if any(f.severity is Severity.ERROR for f in findings) else ClaimStatus.READY
        for _, findings, _ in outcomes
    ]
    refused = settle(
        session,
        [
            (
                db_id(claim.id),
                auth_id if target is ClaimStatus.READY else None,
                units,
                claim.authorization_id
                if claim.authorization_id != (auth_id if target is ClaimStatus.READY else None)
                else None,
            )
            for (claim, _, _), (auth_id, units), target in zip(outcomes, draws, targets, strict=True)
        ],
        source,
    )
    ids = [db_id(claim.id) for claim, _, _ in outcomes]
    open_findings: dict[int, list[Finding]] = {}
    for f in session.exec(select(Finding).where(col(Finding.claim_id).in_(ids), col(Finding.resolved_at).is_(None))):
        open_findings.setdefault(f.claim_id, []).append(f)
    moves = []
    for (claim, findings, digest), (auth_id, _), target in zip(outcomes, draws, targets, strict=True):
        claim_id = db_id(claim.id)
        if claim_id in refused:
            findings = [*findings, FindingValue("AUTH_EXHAUSTED", Severity.ERROR, _LEDGER_REFUSED)]
            target = ClaimStatus.ON_HOLD
        claim.authorization_id = auth_id if target is ClaimStatus.READY else None
        _reconcile(session, claim_id, open_findings.get(claim_id, []), findings, digest, now)
        claim.ruleset_hash = digest
        errors = sorted({f.rule_id for f in findings if f.severity is Severity.ERROR})
        moves.append((claim_id, claim.status, target, errors, {"ruleset": digest}))
        report.add(ClaimResult(claim_id, target, findings), errors)
    transition_many(session, moves, source=source, reason="scrubbed")
    final = {move[0]: move[2] for move in moves}
    for claim, _, _ in outcomes:  # the UPDATE ran in SQL; tell the loaded object without dirtying it
        set_committed_value(claim, "status", final[db_id(claim.id)])


_LEDGER_REFUSED = "The authorization's ledger has no units left for this claim: request more units."


def _reconcile(
    session: Session,
    claim_id: int,
    open_findings: list[Finding],
    findings: list[FindingValue],
    digest: str,
    now: datetime,
) -> None:
    current = {(f.rule_id, f.severity, f.message) for f in findings}
    for old in open_findings:
        if (old.rule_id, old.severity, old.message) not in current:
            old.resolved_at = now
    known = {(f.rule_id, f.severity, f.message) for f in open_findings}
    session.add_all(
        Finding(
            claim_id=claim_id,
            rule_id=f.rule_id,
            severity=f.severity,
            message=f.message,
            ruleset_hash=digest,
            created_at=now,
        )
        for f in findings
        if (f.rule_id, f.severity, f.message) not in known
    )
