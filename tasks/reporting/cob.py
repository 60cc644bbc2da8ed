"""Coordination of benefits in the billing report: what the second and third payers paid, the outcomes
of each payer-to-payer step (crossed over, billed, nothing left, order disputed), and the patient
responsibility once every payer has answered (never the primary's share while a secondary exists)."""

from collections import defaultdict

from sqlmodel import Session, col

from models.claims import Claim
from models.enums import ClaimStatus
from models.patients import Coverage
from models.plain import plain_rows
from models.practice import Payer
from models.types import db_id
from tasks.cob.load import answers
from tasks.cob.order import is_medicaid, payer_order
from tasks.cob.outcomes import Link, Outcomes, Service, tally
from tasks.reporting.metrics import Metric

CLOSED_UNANSWERED = (ClaimStatus.REJECTED, ClaimStatus.VOIDED)


def cob_outcomes(session: Session, claims: list[Claim]) -> Outcomes:
    """Outcomes over the services these claims bill (every claim of each service counts)."""
    attendance_ids = sorted({c.attendance_id for c in claims})
    if not attendance_ids:
        return Outcomes()
    chain = plain_rows(session, Claim, col(Claim.attendance_id).in_(attendance_ids), order_by=(Claim.id,))
    known = answers(session, [db_id(c.id) for c in chain])
    coverages: dict[int, list[Coverage]] = defaultdict(list)
    for coverage in plain_rows(session, Coverage, col(Coverage.patient_id).in_({c.patient_id for c in chain})):
        coverages[coverage.patient_id].append(coverage)
    services: dict[int, list[Claim]] = defaultdict(list)
    for claim in chain:
        if claim.status not in CLOSED_UNANSWERED:
            services[claim.attendance_id].append(claim)
    payer_ids = {c.payer_id for c in chain} | {c.payer_id for covered in coverages.values() for c in covered}
    payers = {db_id(p.id): p for p in plain_rows(session, Payer, col(Payer.id).in_(payer_ids))}
    found = []
    for mine in services.values():
        order = payer_order(coverages[mine[0].patient_id], mine[0].service_date)
        links = [
            Link(c.payer_sequence, c.total_charge, c.batch_id is not None, c.crossover, known.get(db_id(c.id)))
            for c in mine
        ]
        billed = {c.payer_id for c in mine} | {c.payer_id for c in order}
        medicaid = any(is_medicaid(payers.get(payer_id)) for payer_id in billed)
        found.append(Service(max(len(order), 1), links, medicaid))
    return tally(found)


def cob_metrics(outcomes: Outcomes) -> list[Metric]:
    """The report's lines for the second and third payers."""
    o = outcomes
    steps = f"crossed over {o.crossed_over}, billed {o.billed}, nothing left {o.nothing_left}, "
    steps += f"order disputed {o.order_disputed}, waiting {o.waiting}"
    return [
        Metric(
            "secondary and tertiary billed",
            f"{o.next_payers_billed:.2f}",
            "sum of total charge of the secondary and tertiary claims groupbill sent",
        ),
        Metric(
            "secondary and tertiary paid",
            f"{o.recovered:.2f}",
            f"sum of CLP04 of the second and third payers' standing 835s, crossovers included ({o.crossover_paid:.2f})",
        ),
        Metric("coordination of benefits outcomes", str(o.crossed_over + o.billed + o.nothing_left), steps),
        Metric(
            "patient responsibility after all payers",
            f"{o.patient_after_all:.2f}",
            f"sum over {o.services_settled} services whose every payer answered of the last payer's CLP05 "
            "(= charge - all payments - all contractual adjustments), Medicaid members' aside",
        ),
        Metric(
            "written off for Medicaid members",
            f"{o.written_off:.2f}",
            "what the payers left a patient with Medicaid in the payer order (never billed to the patient)",
        ),
    ]
