"""Scrub claims in the database: code them for their payer, run the rules, record the findings,
and move each claim to `ready` or `on_hold` through the lifecycle writer."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select  # sqlmodel's select takes at most four columns
from sqlalchemy import tuple_, update
from sqlmodel import Session, col, select

from models.claims import Claim, ClaimLine, Finding
from models.clock import utcnow
from models.db import insert_rows
from models.enums import ClaimFrequency, ClaimStatus, Severity
from models.lifecycle import transition_many
from models.types import db_id
from tasks.cob.sequencing import follow_payer_order
from tasks.crash import crash_point
from tasks.preauth.accounting import Settlement, settle
from tasks.scrubbing.coding import payer_coding
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.engine import FindingValue, scrub_context
from tasks.scrubbing.loader import load_contexts
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
    charges: defaultdict[ClaimStatus, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # per outcome

    def add(self, result: ClaimResult, errors: list[str], charge: Decimal = Decimal("0.00")) -> None:
        """Count one claim's outcome and its charge (and keep it if asked to)."""
        self.statuses[result.status] += 1
        self.charges[result.status] += charge
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


def scrubbable_coverage_dates(
    session: Session, *, date_from: date | None = None, date_to: date | None = None, size: int = 2_000
) -> Iterator[list[tuple[int, date]]]:
    """The distinct (coverage, date of service) pairs of the claims not yet sent, `size` at a time in
    (coverage, date) order: a night's eligibility never holds them all (keyset pages, not an offset)."""
    pair = tuple_(col(Claim.coverage_id), col(Claim.service_date))
    after: tuple[int, date] | None = None
    while True:
        query = select(col(Claim.coverage_id), col(Claim.service_date)).where(col(Claim.status).in_(SCRUBBABLE))
        if date_from is not None:
            query = query.where(col(Claim.service_date) >= date_from)
        if date_to is not None:
            query = query.where(col(Claim.service_date) <= date_to)
        if after is not None:
            query = query.where(pair > tuple_(*after))
        page = [(c, d) for c, d in session.exec(query.distinct().order_by(*pair.clauses).limit(size))]
        if not page:
            return
        yield page
        after = page[-1]


def scrub_claims(
    session: Session, claim_ids: list[int], *, today: date, source: str, keep_results: bool = True
) -> ScrubReport:
    """Code, check and record every claim, in chunks; the caller commits."""
    report = ScrubReport(keep_results)
    now = utcnow()
    session.flush()  # the loader must see what this session already wrote (eligibility checks, data fixes)
    for chunk in _chunks(claim_ids):
        follow_payer_order(session, chunk)  # an unsent claim bills the coverage its sequence has now
        contexts = load_contexts(session, chunk, today=today)
        results = scrub_batch(contexts)
        outcomes = [(ctx.claim, findings, digest) for ctx, (findings, digest) in zip(contexts, results, strict=True)]
        _write_coding(session, contexts)
        _record_all(session, outcomes, [_authorization_draw(ctx) for ctx in contexts], source, now, report)
        crash_point("scrub:chunk")
    return report


def scrub_batch(contexts: list[ClaimContext]) -> list[tuple[list[FindingValue], str]]:
    """Code each claim (its plain copies), then check them: the 837P in one go, then every rule.

    The cyclic garbage collector is paused meanwhile: the batch makes many short-lived objects and
    no cycles, and collections over a large heap would double the time.
    """
    with gc_paused():
        for ctx in contexts:
            code_claim(ctx)
        check_x12_together(contexts)
        return [scrub_context(ctx) for ctx in contexts]


def _write_coding(session: Session, contexts: list[ClaimContext]) -> None:
    """The coding's place of service on every claim, and the modifiers of lines coding changed."""
    session.execute(update(Claim), [{"id": c.claim.id, "place_of_service": c.claim.place_of_service} for c in contexts])
    lines = [{"id": line.id, "modifiers": line.modifiers} for c in contexts for line in c.changed_lines]
    if lines:
        session.execute(update(ClaimLine), lines)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def code_claim(ctx: ClaimContext) -> None:
    """Apply the payer's coding (place of service, modifiers) to the claim and its lines; the lines it
    changed are noted in the context for the writer."""
    coding = payer_coding(ctx)
    ctx.claim.place_of_service = coding.place_of_service
    for line in ctx.lines:
        if line.modifiers != coding.modifiers[line.line_number]:
            line.modifiers = coding.modifiers[line.line_number]
            ctx.changed_lines.append(line)


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
    settlements = [
        _settlement(claim, draw, target) for (claim, _, _), draw, target in zip(outcomes, draws, targets, strict=True)
    ]
    refused = settle(session, settlements, source)
    ids = [db_id(claim.id) for claim, _, _ in outcomes]
    open_findings = _open_findings(session, ids)
    moves, claim_rows, new_findings, resolved = [], [], [], []
    for (claim, findings, digest), (auth_id, _), target in zip(outcomes, draws, targets, strict=True):
        claim_id = db_id(claim.id)
        if claim_id in refused:
            findings = [*findings, FindingValue("AUTH_EXHAUSTED", Severity.ERROR, _LEDGER_REFUSED)]
            target = ClaimStatus.ON_HOLD
        authorization_id = auth_id if target is ClaimStatus.READY else None
        claim_rows.append({"id": claim_id, "authorization_id": authorization_id, "ruleset_hash": digest})
        kept, gone = _reconcile(open_findings.get(claim_id, {}), findings)
        new_findings += [_finding_row(claim_id, f, digest, now) for f in kept]
        resolved += [{"id": finding_id, "resolved_at": now} for finding_id in gone]
        errors = sorted({f.rule_id for f in findings if f.severity is Severity.ERROR})
        moves.append((claim_id, claim.status, target, errors, {"ruleset": digest}))
        report.add(ClaimResult(claim_id, target, findings), errors, claim.total_charge)
    _write_findings(session, claim_rows, new_findings, resolved)
    transition_many(session, moves, source=source, reason="scrubbed")


def _settlement(claim: Claim, draw: tuple[int | None, int], target: ClaimStatus) -> Settlement:
    """What the ledger does for one scrubbed claim: a ready claim reserves on the authorization it draws
    on, and gives up what it held on any other; a correction may use what its original holds."""
    auth_id, units = draw
    reserve = auth_id if target is ClaimStatus.READY else None
    release = claim.authorization_id if claim.authorization_id != reserve else None
    replaces = claim.original_claim_id if claim.frequency is ClaimFrequency.REPLACEMENT else None
    return db_id(claim.id), reserve, units, release, replaces


FindingKey = tuple[str, Severity, str]


def _open_findings(session: Session, claim_ids: list[int]) -> dict[int, dict[FindingKey, list[int]]]:
    """The unresolved findings of these claims: (rule, severity, message) -> their IDs, per claim."""
    columns: list[Any] = [Finding.id, Finding.claim_id, Finding.rule_id, Finding.severity, Finding.message]
    query = sa_select(*columns).where(col(Finding.claim_id).in_(claim_ids), col(Finding.resolved_at).is_(None))
    found: dict[int, dict[FindingKey, list[int]]] = {}
    for finding_id, claim_id, rule_id, severity, message in session.connection().execute(query):
        found.setdefault(claim_id, {}).setdefault((rule_id, severity, message), []).append(finding_id)
    return found


def _reconcile(
    open_findings: dict[FindingKey, list[int]], findings: list[FindingValue]
) -> tuple[list[FindingValue], list[int]]:
    """The findings to add (not already open) and the open ones that no longer hold (to resolve)."""
    current = {(f.rule_id, f.severity, f.message) for f in findings}
    gone = [finding_id for key, ids in open_findings.items() if key not in current for finding_id in ids]
    return [f for f in findings if (f.rule_id, f.severity, f.message) not in open_findings], gone


def _finding_row(claim_id: int, finding: FindingValue, digest: str, now: datetime) -> dict[str, Any]:
    return {
        "claim_id": claim_id,
        "rule_id": finding.rule_id,
        "severity": finding.severity,
        "message": finding.message,
        "ruleset_hash": digest,
        "created_at": now,
    }


def _write_findings(
    session: Session, claims: list[dict[str, Any]], new: list[dict[str, Any]], resolved: list[dict[str, Any]]
) -> None:
    """Each claim's authorization and ruleset, new findings, resolved ones: a statement each, not a row each."""
    session.execute(update(Claim), claims)
    insert_rows(session, Finding, new)
    if resolved:
        session.execute(update(Finding), resolved)


_LEDGER_REFUSED = "The authorization's ledger has no units left for this claim: request more units."
