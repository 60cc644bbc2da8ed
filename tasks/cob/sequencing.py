"""Unsent claims follow the payer order as it stands: when the practice changes which coverage pays
first (after a CARC 22, or a plan that ended), a claim not yet sent moves to the coverage now at its
sequence on its date of service, and remembers the order it is billed in."""

from collections import defaultdict
from typing import Any

from sqlalchemy import select as sa_select  # sqlmodel's select takes at most four columns
from sqlalchemy import update
from sqlmodel import Session, col

from models.claims import Claim
from models.enums import ClaimStatus
from models.patients import Coverage
from models.plain import plain_rows
from tasks.cob.order import order_ids, payer_order

UNSENT = (ClaimStatus.DRAFT, ClaimStatus.ON_HOLD, ClaimStatus.READY)


CHUNK = 1000  # claim IDs per query (SQLite binds each one)


def follow_payer_order(session: Session, claim_ids: list[int]) -> int:
    """Point each unsent claim (of these) at the coverage its sequence has now; how many changed payer."""
    return sum(_follow(session, claim_ids[i : i + CHUNK]) for i in range(0, len(claim_ids), CHUNK))


def _follow(session: Session, claim_ids: list[int]) -> int:
    columns: list[Any] = [
        col(c) for c in (Claim.id, Claim.patient_id, Claim.service_date, Claim.coverage_id, Claim.payer_sequence)
    ]
    query = sa_select(*columns, col(Claim.coverage_order)).where(
        col(Claim.id).in_(claim_ids), col(Claim.status).in_(UNSENT), col(Claim.batch_id).is_(None)
    )
    rows = list(session.execute(query))
    if not rows:
        return 0
    coverages: dict[int, list[Coverage]] = defaultdict(list)
    for coverage in plain_rows(session, Coverage, col(Coverage.patient_id).in_({row[1] for row in rows})):
        coverages[coverage.patient_id].append(coverage)
    orders: list[dict[str, object]] = []
    moves: list[dict[str, object]] = []
    for claim_id, patient_id, day, coverage_id, sequence, remembered in rows:
        order = payer_order(coverages[patient_id], day)
        if sequence.rank < len(order) and order[sequence.rank].id != coverage_id:
            target = order[sequence.rank]
            moves.append({"id": claim_id, "coverage_id": target.id, "payer_id": target.payer_id})
        if order_ids(order) != remembered:
            orders.append({"id": claim_id, "coverage_order": order_ids(order)})
    for changes in (moves, orders):  # a bulk update by primary key: one statement per set of columns
        if changes:
            session.execute(update(Claim), changes)
    return len(moves)
