"""What an 835 claim payment means for the other payers of the service (the remittance poster calls it).

- An 835 from a payer after the claim's own, about our claim number (Medicare forwarded the claim: a
  crossover), is the next payer's adjudication: it posts to that payer's claim of the attendance,
  recorded (as `accepted`, crossover) when groupbill never sent one.
- Processed (CLP02 1, 2) leaving patient responsibility while another coverage is in force on the
  date of service: the next payer's claim is made, for the next daily run to scrub and send; with
  nothing left only where that payer's profile asks for zero-balance claims.
- Forwarded by the payer itself (CLP02 19/20/21, MA18, N89): nothing is made; its own 835 will come.
- Reversed (CLP02 22): a later payer's claim already sent repeats an adjudication that no longer
  stands; it goes to the COORDINATION_OF_BENEFITS queue (tasks/cob/prior_changed.py).
- Denied with CARC 22 (another payer pays first): the claim is closed and drafted again in the payer
  order as it stands; COB_ORDER_DISPUTED holds it until the practice corrects the order.
"""

from collections.abc import Iterable

from sqlalchemy import update
from sqlmodel import Session, col

from models.claims import Claim
from models.enums import ClaimStatus, PayerSequence
from models.lifecycle import TERMINAL_STATUSES
from models.patients import Coverage
from models.plain import plain, plain_rows
from models.practice import Payer
from models.types import db_id
from tasks.cob.next_claim import NextClaim, blocking_claim, live_successor, make_claim
from tasks.cob.order import PROCESSED, billed_earlier, coverage_at, crossed_over, order_ids, payer_order
from tasks.cob.prior import REVERSAL
from tasks.cob.prior_changed import QUEUE, flag_order_changed, flag_reversed
from tasks.posting.common import Poster
from tasks.posting.meaning import Adjudication, QueueEntry
from tasks.scrubbing.engine import profiles
from tasks.x12 import remit835_model as r

CROSSOVER_BLOCKED = "CROSSOVER-BLOCKED"
REBILL_BLOCKED = "REBILL-BLOCKED"
REBILLED = "rebilled: the payer says another payer pays first (CARC 22)"


class Coordinator:
    """Reads the payers and coverages the claims of one 835 page need, once."""

    def __init__(self, poster: Poster) -> None:
        self.poster = poster
        self._payers: dict[int, Payer] = {}
        self._coverages: dict[int, list[Coverage]] = {}

    def preload(self, claims: Iterable[Claim | None]) -> None:
        """Read the coverages of these claims' patients in one query (an 835 holds thousands of claims)."""
        wanted = sorted({c.patient_id for c in claims if c is not None} - set(self._coverages))
        if not wanted:
            return
        for patient_id in wanted:
            self._coverages[patient_id] = []
        for coverage in plain_rows(self.poster.session, Coverage, col(Coverage.patient_id).in_(wanted)):
            self._coverages[coverage.patient_id].append(coverage)

    def payer(self, payer_id: int) -> Payer | None:
        """A payer by ID (read once)."""
        if payer_id not in self._payers:
            for p in plain_rows(self.poster.session, Payer, col(Payer.id) == payer_id):
                self._payers[db_id(p.id)] = p
        return self._payers.get(payer_id)

    def coverages(self, patient_id: int) -> list[Coverage]:
        """A patient's coverages (read once)."""
        if patient_id not in self._coverages:
            self._coverages[patient_id] = plain_rows(
                self.poster.session, Coverage, col(Coverage.patient_id) == patient_id
            )
        return self._coverages[patient_id]

    def billed_to(self, claim: Claim, payer_id: str) -> bool:
        """True when the claim bills the payer with this X12 payer ID."""
        payer = self.payer(claim.payer_id)
        return payer is not None and payer.x12_payer_id == payer_id

    def route(self, paid: r.ClaimPayment, payer_id: str, claim: Claim | None, source: str) -> Claim | None:
        """The claim an 835 claim payment from `payer_id` is about: ours by number, or the same attendance's
        claim to that payer when another payer forwarded ours (made now if groupbill never sent one)."""
        if claim is None or self.billed_to(claim, payer_id):
            return claim
        order = payer_order(self.coverages(claim.patient_id), claim.service_date)
        later = [
            (rank, c)
            for rank, c in enumerate(order)
            if rank > claim.payer_sequence.rank and self._x12_id(c.payer_id) == payer_id
        ]
        if not later:  # not a payer of this service after the claim's: the 835 is about the claim itself
            return claim
        for sibling in _siblings(self.poster.session, claim.attendance_id):
            if sibling.id != claim.id and self.billed_to(sibling, payer_id):
                return self._accept_crossover(sibling)
        rank, coverage = later[0]
        return self._record_crossover(claim, coverage, PayerSequence.at(rank), order, source)

    def _x12_id(self, payer_id: int) -> str | None:
        payer = self.payer(payer_id)
        return payer.x12_payer_id if payer else None

    def _accept_crossover(self, claim: Claim) -> Claim:
        """Our own unsent claim to the payer that got the service by crossover: accepted as that, and the
        authorization units it reserved counted as used, as sending it would have (a denial that returns
        units releases them later, like any claim's)."""
        row = self.poster.row(claim)
        if row.status in (ClaimStatus.DRAFT, ClaimStatus.ON_HOLD, ClaimStatus.READY):
            if self.poster.move(row, ClaimStatus.ACCEPTED, "the prior payer forwarded the claim (crossover)"):
                self.poster.consume(row)
            self.poster.finish()
            self.poster.session.execute(update(Claim).where(col(Claim.id) == row.id).values(crossover=True))
            row.crossover = True
        return row

    def _record_crossover(
        self, prior: Claim, coverage: Coverage, sequence: PayerSequence, order: list[Coverage], source: str
    ) -> Claim | None:
        """The forwarded claim recorded as this payer's; None (filed, the 835 goes unmatched) when a live
        claim already holds the service at that sequence."""
        spec = NextClaim(
            prior,
            coverage,
            sequence,
            order_ids(order),
            status=ClaimStatus.ACCEPTED,
            crossover=True,
            prior_claim_id=db_id(prior.id),
            reason=f"the prior payer forwarded claim {prior.id} (crossover); this payer's 835 arrived",
        )
        blocker = blocking_claim(self.poster.session, spec)
        if blocker is not None:
            self._blocked(
                blocker, CROSSOVER_BLOCKED, f"{sequence.name.lower()} payer's 835 for forwarded claim {prior.id}"
            )
            return None
        self.poster.posting.crossover_claims += 1
        return self.poster.row(plain(make_claim(self.poster.session, spec, source=source)))

    def _blocked(self, blocker: Claim, code: str, what: str) -> None:
        """File why a claim could not be made: `blocker` already holds its place."""
        said = (
            f"the {what} was not recorded: claim {blocker.id} ({blocker.status.value}, payer {blocker.payer_id}) "
            "already holds the service at that payer sequence; void or correct it, or post the 835 by hand"
        )
        self.poster.file(QueueEntry(QUEUE, (code,), said), blocker.id)

    def after_payment(self, claim: Claim, paid: r.ClaimPayment, meaning: Adjudication, source: str) -> None:
        """Make the next payer's claim, count a crossover, rebill a CARC 22 denial, or flag the later payers'
        claims when this payer reversed what they repeat."""
        if paid.status_code == REVERSAL:
            flag_reversed(self.poster.session, claim, source=source)
        elif meaning.status is ClaimStatus.DENIED and _denied_for_order(paid):
            self._rebill(claim, source)
        elif crossed_over(paid.status_code, paid.remarks + tuple(m for line in paid.lines for m in line.remarks)):
            self.poster.posting.crossovers += 1
        elif paid.status_code in PROCESSED and meaning.status is not ClaimStatus.DENIED:
            self._next_payer(claim, paid, source)

    def _next_payer(self, claim: Claim, paid: r.ClaimPayment, source: str) -> None:
        sequence = claim.payer_sequence.next()
        coverage = coverage_at(self.coverages(claim.patient_id), claim.service_date, sequence) if sequence else None
        if sequence is None or coverage is None:
            return
        if paid.patient_responsibility <= 0 and not self._wants_zero_balance(coverage):
            self.poster.posting.nothing_left += 1
            return
        earlier = billed_earlier(_siblings(self.poster.session, claim.attendance_id), sequence, db_id(coverage.id))
        if earlier is not None:  # the order changed after that payer was billed: never bill it twice
            flag_order_changed(self.poster.session, [(db_id(claim.id), earlier)], source=source)
            return
        order = order_ids(payer_order(self.coverages(claim.patient_id), claim.service_date))
        spec = NextClaim(claim, coverage, sequence, order, prior_claim_id=db_id(claim.id))
        self.poster.later(lambda: self._make_once(spec, source))

    def _make_once(self, spec: NextClaim, source: str) -> None:
        """Make the claim unless one holds its place: the same 835 again (nothing to do), or, for a rebill,
        a claim that already replaces the denied one (filed)."""
        blocker = blocking_claim(self.poster.session, spec)
        if blocker is None:
            make_claim(self.poster.session, spec, source=source)
            self.poster.posting.next_payer_claims += spec.replaces is None
            self.poster.posting.rebills += spec.replaces is not None
        elif spec.replaces is not None:
            self._blocked(blocker, REBILL_BLOCKED, f"rebill of claim {spec.replaces} (denied with CARC 22)")

    def _wants_zero_balance(self, coverage: Coverage) -> bool:
        payer = self.payer(coverage.payer_id)
        profile = profiles().get(payer.profile) if payer else None
        return profile is not None and profile.coordination.zero_balance_claims

    def _rebill(self, claim: Claim, source: str) -> None:
        """Close the denied claim and draft the service again at its sequence, in the order as it stands;
        a claim that already replaces it (a correction under way) is filed instead, the denial left open."""
        order = payer_order(self.coverages(claim.patient_id), claim.service_date)
        coverage = order[claim.payer_sequence.rank] if claim.payer_sequence.rank < len(order) else None
        if coverage is None:
            return
        successor = live_successor(self.poster.session, db_id(claim.id))
        if successor is not None:
            self._blocked(successor, REBILL_BLOCKED, f"rebill of claim {claim.id} (denied with CARC 22)")
            return
        if not self.poster.move(claim, ClaimStatus.CORRECTED, REBILLED):
            return
        spec = NextClaim(
            claim,
            coverage,
            claim.payer_sequence,
            order_ids(order),
            prior_claim_id=claim.prior_claim_id,
            replaces=db_id(claim.id),
            reason=f"rebills claim {claim.id}, denied with CARC 22",
        )
        self.poster.later(lambda: self._make_once(spec, source))


def _denied_for_order(paid: r.ClaimPayment) -> bool:
    adjustments: Iterable[r.Adjustment] = list(paid.adjustments) + [a for x in paid.lines for a in x.adjustments]
    return any(a.reason == "22" and a.amount > 0 for a in adjustments)


def _siblings(session: Session, attendance_id: int) -> list[Claim]:
    """The attendance's claims still in play (any payer, any sequence)."""
    criteria = (col(Claim.attendance_id) == attendance_id, col(Claim.status).notin_(TERMINAL_STATUSES))
    return plain_rows(session, Claim, *criteria, order_by=(Claim.id,))
