"""Unsent claims follow the payer order as it stands: when the practice changes which coverage pays
first (after a CARC 22, or a plan that ended), a claim not yet sent moves to the coverage now at its
sequence on its date of service, and remembers the order it is billed in.

Never to a coverage that already has a claim of the service at an earlier place: that payer adjudicated
(or will adjudicate) the service there, and a second bill to it would repeat no prior adjudication of its
own. The claim stays where it is, COB_PRIOR_NOT_ADJUDICATED holds it, and a COORDINATION_OF_BENEFITS work
item says the earlier claim needs a void or correction first. Only original claims move: a replacement or
a void goes to the payer of the claim it replaces."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select  # sqlmodel's select takes at most four columns
from sqlalchemy import update
from sqlmodel import Session, col

from models.claims import Claim
from models.enums import ClaimFrequency, ClaimStatus
from models.patients import Coverage
from models.plain import plain_rows
from tasks.cob.order import billed_earlier, order_ids, payer_order
from tasks.cob.prior_changed import flag_order_changed

UNSENT = (ClaimStatus.DRAFT, ClaimStatus.ON_HOLD, ClaimStatus.READY)
SOURCE = "payer order"

CHUNK = 1000  # claim IDs per query (SQLite binds each one)


@dataclass
class _Plan:
    """What one chunk's claims do: move to another coverage, remember a new order, or stay held."""

    moves: list[dict[str, object]] = field(default_factory=list)
    orders: list[dict[str, object]] = field(default_factory=list)
    held: list[tuple[int, Claim]] = field(default_factory=list)


def follow_payer_order(session: Session, claim_ids: list[int], *, source: str = SOURCE) -> int:
    """Point each unsent claim (of these) at the coverage its sequence has now; how many changed payer."""
    return sum(_follow(session, claim_ids[i : i + CHUNK], source) for i in range(0, len(claim_ids), CHUNK))


def _follow(session: Session, claim_ids: list[int], source: str) -> int:
    rows = _unsent(session, claim_ids)
    if not rows:
        return 0
    coverages = _coverages(session, {row.patient_id for row in rows})
    services = _services(session, {row.attendance_id for row in rows})
    plan = _Plan()
    for row in rows:
        _place(row, payer_order(coverages[row.patient_id], row.service_date), services[row.attendance_id], plan)
    for changes in (plan.moves, plan.orders):  # a bulk update by primary key: one statement per set of columns
        if changes:
            session.execute(update(Claim), changes)
    flag_order_changed(session, plan.held, source=source)
    return len(plan.moves)


def _place(row: Any, order: list[Coverage], service: list[Claim], plan: _Plan) -> None:
    """Decide one claim: follow the order, or stay where it is when that would bill a payer twice."""
    sequence = row.payer_sequence
    if sequence.rank < len(order) and order[sequence.rank].id != row.coverage_id:
        target = order[sequence.rank]
        earlier = billed_earlier(service, sequence, target.id or 0)
        if earlier is None:
            plan.moves.append({"id": row.id, "coverage_id": target.id, "payer_id": target.payer_id})
        else:
            plan.held.append((row.id, earlier))
    if order_ids(order) != row.coverage_order:
        plan.orders.append({"id": row.id, "coverage_order": order_ids(order)})


def _unsent(session: Session, claim_ids: list[int]) -> list[Any]:
    """The unsent original claims of these, as rows of the columns the decision needs."""
    names = ("id", "patient_id", "attendance_id", "service_date", "coverage_id", "payer_sequence", "coverage_order")
    columns: list[Any] = [col(getattr(Claim, name)) for name in names]
    query = sa_select(*columns).where(
        col(Claim.id).in_(claim_ids),
        col(Claim.status).in_(UNSENT),
        col(Claim.batch_id).is_(None),
        col(Claim.frequency) == ClaimFrequency.ORIGINAL,
    )
    return list(session.execute(query))


def _coverages(session: Session, patient_ids: set[int]) -> dict[int, list[Coverage]]:
    """Every coverage of these patients, by patient."""
    found: dict[int, list[Coverage]] = defaultdict(list)
    for coverage in plain_rows(session, Coverage, col(Coverage.patient_id).in_(sorted(patient_ids))):
        found[coverage.patient_id].append(coverage)
    return found


def _services(session: Session, attendance_ids: set[int]) -> dict[int, list[Claim]]:
    """Every claim of these attendances, by attendance."""
    found: dict[int, list[Claim]] = defaultdict(list)
    for claim in plain_rows(session, Claim, col(Claim.attendance_id).in_(sorted(attendance_ids))):
        found[claim.attendance_id].append(claim)
    return found
