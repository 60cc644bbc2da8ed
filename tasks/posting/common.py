"""Shared by the acknowledgement and remittance appliers: claims by control number, queue entries."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from config.reference_data import X12Codes
from models.claims import Claim
from models.clock import utcnow
from models.db import insert_rows
from models.enums import ClaimStatus, LedgerKind
from models.exchange import WorkItem
from models.lifecycle import Decision, Move, check_transition, transition_many
from models.plain import plain_rows
from models.types import db_id
from tasks.posting.meaning import REVIEW, QueueEntry
from tasks.preauth.accounting import follow_claims

UNMATCHED = "UNMATCHED_REMITTANCE"


@dataclass
class Posting:
    """Counts of what one collection applied (IDs and counts only: it becomes an artifact)."""

    reports: int = 0
    already_applied: int = 0
    unreadable: int = 0
    rejected_sets: int = 0
    accepted: int = 0
    rejected: int = 0
    remittances: int = 0
    duplicate_remittances: int = 0
    claim_payments: int = 0
    paid_cents: int = 0  # paid on our claims by the 835s applied
    denied_cents: int = 0  # charges of our claims the 835s denied
    unmatched: int = 0
    imbalanced: int = 0
    next_payer_claims: int = 0  # secondary and tertiary claims made from a prior payer's 835
    crossovers: int = 0  # 835s that say the payer forwarded the claim to the next payer itself
    crossover_claims: int = 0  # the next payer's own 835 for a forwarded claim, recorded as its claim
    nothing_left: int = 0  # another coverage in force, but the payer left nothing to bill it
    rebills: int = 0  # claims denied with CARC 22, drafted again in the current payer order
    statuses: Counter[str] = field(default_factory=Counter)
    queues: Counter[str] = field(default_factory=Counter)

    def as_counts(self) -> dict[str, int]:
        """Flat counts for a flow result or an artifact."""
        flat = {k: v for k, v in vars(self).items() if isinstance(v, int)}
        flat |= {f"status_{k}": v for k, v in self.statuses.items()}
        return flat | {f"queue_{k}": v for k, v in self.queues.items()}


def claims_by_control_number(session: Session, numbers: set[str]) -> dict[str, Claim]:
    """Our claims by patient control number (CLM01 / TRN02 / CLP01), as plain rows: the Poster writes
    their changes itself and keeps their status current."""
    if not numbers:
        return {}
    criteria = col(Claim.patient_control_number).in_(sorted(numbers))
    return {c.patient_control_number or "": c for c in plain_rows(session, Claim, criteria)}


class Poster:
    """Applies documents within one transaction: moves claims, opens work items, releases units, counts.

    Moves and releases are gathered and written together (`finish`, after each document): one
    compare-and-set per status change instead of one per claim. A claim moved twice in one document
    has its first move written before the second is decided.
    """

    def __init__(self, session: Session, codes: X12Codes, source: str, posting: Posting) -> None:
        self.session, self.codes, self.source, self.posting = session, codes, source, posting
        self._moves: dict[int, tuple[Move, str, Claim]] = {}  # claim -> (its move, the reason, its row)
        self._ledger: dict[LedgerKind, list[tuple[int, int]]] = {}  # (claim, authorization) by entry kind
        self._work_items: list[dict[str, Any]] = []
        self._payer_numbers: dict[int, str] = {}
        self._seen: dict[int, Claim] = {}  # one row object per claim, so a status written here stays current
        self._after: list[Callable[[], None]] = []  # what waits for the moves (a claim made once another closed)

    def claims(self, numbers: set[str]) -> dict[str, Claim]:
        """Our claims by patient control number; a claim met before in this page is the same object."""
        found = claims_by_control_number(self.session, numbers)
        return {number: self.row(claim) for number, claim in found.items()}

    def row(self, claim: Claim) -> Claim:
        """The one object this poster keeps for `claim` (the first read of it in this page)."""
        return self._seen.setdefault(db_id(claim.id), claim)

    def file(self, entry: QueueEntry, claim_id: int | None, payment_id: int | None = None) -> None:
        """Open a work item for one queue entry (written at `finish`)."""
        self._work_items.append(
            {
                "claim_id": claim_id,
                "claim_payment_id": payment_id,
                "queue": entry.queue,
                "codes": list(entry.codes),
                "explanation": entry.explanation[:1000],
                "source": self.source,
                "opened_at": utcnow(),
            }
        )
        self.posting.queues[entry.queue] += 1

    def payer_claim_number(self, claim: Claim, number: str | None) -> None:
        """Record the payer's claim number (written at `finish`; the loaded row shows it at once)."""
        if number and number != claim.payer_claim_number:
            claim.payer_claim_number = number
            self._payer_numbers[db_id(claim.id)] = number

    def move(self, claim: Claim, to: ClaimStatus, reason: str) -> bool:
        """Move a claim if the lifecycle allows it from where it is (written at `finish`); otherwise file
        it for review. True when it will move."""
        claim_id = db_id(claim.id)
        if claim_id in self._moves:
            self.finish()
        decision = check_transition(claim.status, to)
        if decision is Decision.REJECT:
            said = f"{reason}, but the claim is {claim.status.value}"
            self.file(QueueEntry(REVIEW, (f"{claim.status.value}->{to.value}",), said), claim.id)
            return False
        if decision is Decision.NOOP:
            return False
        self._moves[claim_id] = ((claim_id, claim.status, to, [], {}), reason, claim)
        self.posting.statuses[to.value] += 1
        return True

    def release(self, claim: Claim) -> None:
        """Give back what the claim holds of its authorization (written at `finish`)."""
        self._follow(claim, LedgerKind.RELEASE)

    def consume(self, claim: Claim) -> None:
        """Count what the claim holds of its authorization as used, as sending it would (written at `finish`)."""
        self._follow(claim, LedgerKind.CONSUME)

    def _follow(self, claim: Claim, kind: LedgerKind) -> None:
        if claim.authorization_id is not None:
            self._ledger.setdefault(kind, []).append((db_id(claim.id), claim.authorization_id))

    def later(self, action: Callable[[], None]) -> None:
        """Run `action` at the end of `finish`, after the moves are written (e.g. a claim that may exist only
        once the claim it replaces is closed)."""
        self._after.append(action)

    def finish(self) -> None:
        """Write the gathered payer claim numbers, moves (compare-and-set, grouped by reason), unit releases
        and work items: plain multi-row statements, not a model object per row; then what waited for them."""
        if self._payer_numbers:
            numbers = [{"id": i, "payer_claim_number": n} for i, n in self._payer_numbers.items()]
            self.session.execute(update(Claim), numbers)
            self._payer_numbers = {}
        by_reason: dict[str, list[Move]] = {}
        for move, reason, _ in self._moves.values():
            by_reason.setdefault(reason, []).append(move)
        for reason, moves in by_reason.items():
            transition_many(self.session, moves, source=self.source, reason=reason)
        for move, _, claim in self._moves.values():
            claim.status = move[2]  # the row now says so; a second move in this document starts from here
        self._moves = {}
        for kind, claims in self._ledger.items():  # in the order they were asked for: a consume before a release
            follow_claims(self.session, claims, kind, self.source)
        self._ledger = {}
        if self._work_items:
            insert_rows(self.session, WorkItem, self._work_items)
            self._work_items = []
        after, self._after = self._after, []
        for action in after:
            action()
