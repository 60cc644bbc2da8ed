"""276 questions about claims, built from the billing database: the member, the patient (a dependent when
the coverage is not the patient's own), the provider, the claim's control and payer numbers, its charge,
dates and lines. Claims are grouped per practice and payer: one 276 goes to one payer."""

from collections import defaultdict
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session, col, select

from models.claims import Claim, ClaimLine
from models.db import in_chunks
from models.enums import Relationship
from models.patients import Coverage, Patient
from models.practice import Payer, Practice
from models.types import db_id
from tasks.submission.batching import Envelope
from tasks.x12 import claim837_model as x
from tasks.x12.envelope import Header
from tasks.x12.status276 import write_276
from tasks.x12.status_model import ClaimInquiry, LineInquiry, Provider, StatusRequest
from tasks.x12.values import x12_text

Group = tuple[int, int]  # (practice, payer)
Row = TypeVar("Row", Coverage, Patient, Practice)


def claims_by_payer(session: Session, claim_ids: list[int]) -> dict[Group, list[Claim]]:
    """The claims, grouped by practice and payer, in claim order."""
    groups: dict[Group, list[Claim]] = defaultdict(list)
    for ids in in_chunks(sorted(set(claim_ids))):
        for claim in session.exec(select(Claim).where(col(Claim.id).in_(ids)).order_by(col(Claim.id))):
            groups[(claim.practice_id, claim.payer_id)].append(claim)
    return dict(groups)


def inquiries(session: Session, claims: list[Claim], traces: dict[int, str]) -> list[ClaimInquiry]:
    """One 276 question per claim (its trace number from `traces`, by claim ID)."""
    coverages = _by_id(session, Coverage, {c.coverage_id for c in claims})
    patients = _by_id(session, Patient, {c.patient_id for c in claims})
    practices = _by_id(session, Practice, {c.practice_id for c in claims})
    lines: dict[int, list[ClaimLine]] = defaultdict(list)
    query = select(ClaimLine).where(col(ClaimLine.claim_id).in_([db_id(c.id) for c in claims]))
    for line in session.exec(query.order_by(col(ClaimLine.line_number))):
        lines[line.claim_id].append(line)
    return [
        _inquiry(
            c,
            traces[db_id(c.id)],
            coverages[c.coverage_id],
            patients[c.patient_id],
            practices[c.practice_id],
            lines[db_id(c.id)],
        )
        for c in claims
    ]


def _by_id(session: Session, model: type[Row], ids: set[int]) -> dict[int, Row]:
    found: dict[int, Row] = {}
    for chunk in in_chunks(sorted(ids)):
        found.update((db_id(row.id), row) for row in session.exec(select(model).where(col(model.id).in_(chunk))))
    return found


def _inquiry(
    claim: Claim, trace: str, coverage: Coverage, patient: Patient, practice: Practice, lines: list[ClaimLine]
) -> ClaimInquiry:
    person = x.Person(
        x12_text(patient.last_name),
        x12_text(patient.first_name, 35),
        patient.birth_date,
        patient.sex.value if patient.sex else None,
    )
    own = coverage.relationship is Relationship.SELF
    subscriber = (
        person
        if own
        else x.Person(x12_text(coverage.subscriber_last_name), x12_text(coverage.subscriber_first_name, 35))
    )
    return ClaimInquiry(
        trace,
        claim.patient_control_number or "",
        coverage.member_id or "",
        subscriber,
        Provider(x12_text(practice.name), practice.npi),
        claim.total_charge,
        claim.service_date,
        None,
        None if own else person,
        claim.payer_claim_number,
        tuple(
            LineInquiry(
                line.cpt_code,
                line.charge,
                claim.service_date,
                tuple(line.modifiers),
                line.units,
                line.line_control_number,
            )
            for line in lines
        ),
    )


def status_request(
    session: Session, payer_id: int, found: list[ClaimInquiry], envelope: Envelope, control: int, now: datetime
) -> str:
    """The 276 asking one payer about `found`, enveloped as the practice's connection says (IDs, test mode)."""
    payer = session.get(Payer, payer_id)
    if payer is None:  # pragma: no cover - a claim's payer always exists
        raise ValueError(f"payer {payer_id} is gone")
    header = Header(envelope.submitter_id, envelope.receiver_id, control, now.replace(tzinfo=None), envelope.usage)
    receiver = x12_text(found[0].provider.name) if found else "GROUPBILL"
    request = StatusRequest(
        header,
        f"CSQ{control}",
        x.Payer(x12_text(payer.name), payer.x12_payer_id),
        receiver,
        envelope.submitter_id,
        tuple(found),
    )
    return write_276(request)
