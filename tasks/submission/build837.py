"""Claims in the database to 837P value objects, loaded in bulk as plain rows (a few queries per batch)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col

from models.claims import Claim, ClaimLine
from models.enums import ClaimFrequency, PayerSequence, Relationship
from models.patients import Authorization, Coverage, Patient
from models.plain import plain_rows
from models.practice import Payer, Practice, Provider
from models.types import db_id
from tasks.cob.load import load_priors
from tasks.cob.order import is_medicare, payer_order
from tasks.cob.x12_values import NONE, OtherPayers, other_payers
from tasks.x12 import claim837_model as x
from tasks.x12.envelope import Header
from tasks.x12.values import no_dot, x12_text

__all__ = ["Memo", "Parties", "build_batch", "claim_value", "x12_text"]

Memo = dict[tuple[str, int, int, int], object]  # what claims of one batch share, by kind and row identities
Made = TypeVar("Made")


@dataclass(frozen=True, slots=True)
class Parties:
    """Who sends the file and which clearinghouse receives it."""

    submitter: x.Submitter
    receiver: x.Receiver


def build_batch(session: Session, claim_ids: list[int], *, header: Header, parties: Parties, reference: str) -> x.Batch:
    """The 837P batch for these claims, in the order given."""
    claims = {c.id: c for c in plain_rows(session, Claim, col(Claim.id).in_(claim_ids))}
    lines = _lines(session, claim_ids)
    rows = _Rows(session, list(claims.values()))
    built = tuple(_claim(claims[i], lines[i], rows) for i in claim_ids)
    return x.Batch(header, parties.submitter, parties.receiver, reference, built)


def _lines(session: Session, claim_ids: list[int]) -> dict[int, list[ClaimLine]]:
    found: dict[int, list[ClaimLine]] = defaultdict(list)
    for line in plain_rows(
        session, ClaimLine, col(ClaimLine.claim_id).in_(claim_ids), order_by=(ClaimLine.line_number,)
    ):
        found[line.claim_id].append(line)
    return found


Row = TypeVar("Row", Practice, Patient, Coverage, Payer, Provider, Authorization, Claim)


def _load(session: Session, model: type[Row], ids: set[int | None]) -> dict[int, Row]:
    """Plain copies of `model`'s rows by ID, in one query (read at Python speed, not through the ORM)."""
    wanted = [i for i in ids if i is not None]
    return {db_id(r.id): r for r in plain_rows(session, model, col(model.id).in_(wanted))}


class _Rows:
    """Everything the claims point at, fetched once per table."""

    def __init__(self, session: Session, claims: list[Claim]) -> None:
        self.practices = _load(session, Practice, {c.practice_id for c in claims})
        self.patients = _load(session, Patient, {c.patient_id for c in claims})
        self.coverages = _load(session, Coverage, {c.coverage_id for c in claims})
        for coverage in plain_rows(session, Coverage, col(Coverage.patient_id).in_({c.patient_id for c in claims})):
            self.coverages.setdefault(db_id(coverage.id), coverage)
        self.by_patient: dict[int, list[Coverage]] = defaultdict(list)
        for coverage in self.coverages.values():
            self.by_patient[coverage.patient_id].append(coverage)
        self.payers = _load(session, Payer, {c.payer_id for c in self.coverages.values()})
        self.priors = load_priors(session, claims)
        self.providers = _load(session, Provider, {c.rendering_provider_id for c in claims})
        self.auths = _load(session, Authorization, {c.authorization_id for c in claims})
        self.originals = _load(session, Claim, {c.original_claim_id for c in claims})


def _claim(claim: Claim, lines: list[ClaimLine], rows: _Rows) -> x.Claim:
    auth = rows.auths.get(claim.authorization_id) if claim.authorization_id else None
    original = rows.originals.get(claim.original_claim_id) if claim.original_claim_id else None
    return claim_value(
        claim,
        lines,
        practice=rows.practices[claim.practice_id],
        patient=rows.patients[claim.patient_id],
        coverage=rows.coverages[claim.coverage_id],
        payer=rows.payers[claim.payer_id],
        provider=rows.providers.get(claim.rendering_provider_id) if claim.rendering_provider_id else None,
        authorization_number=auth.number if auth else None,
        original_payer_claim_number=original.payer_claim_number if original else None,
        others=_others(claim, rows),
    )


def _others(claim: Claim, rows: _Rows) -> OtherPayers:
    """The claim's other payers (none to list for a patient with one coverage, as most have)."""
    coverages = rows.by_patient[claim.patient_id]
    if len(coverages) < 2 and claim.payer_sequence is PayerSequence.PRIMARY:
        return NONE
    return other_payers(
        claim,
        payer_order(coverages, claim.service_date),
        coverages=rows.coverages,
        payers=rows.payers,
        patient=rows.patients[claim.patient_id],
        priors=rows.priors.get(db_id(claim.id), {}),
    )


def claim_value(
    claim: Claim,
    lines: list[ClaimLine],
    *,
    practice: Practice,
    patient: Patient,
    coverage: Coverage,
    payer: Payer,
    provider: Provider | None,
    authorization_number: str | None,
    original_payer_claim_number: str | None,
    memo: Memo | None = None,
    others: OtherPayers = NONE,
) -> x.Claim:
    """One claim and what it points at, as the 837P value object.

    `memo` (one dict per batch) reuses the parties many claims share: billing provider, clinician,
    subscriber. Keys are object identities, so the memo must not outlive the batch's rows.
    """
    memo = {} if memo is None else memo
    subscriber, dependent = _insured_for(claim, coverage, patient, payer, memo)
    replaces = claim.frequency is not ClaimFrequency.ORIGINAL
    return x.Claim(
        patient_control_number=claim.patient_control_number or "",
        charge=claim.total_charge,
        place_of_service=claim.place_of_service,
        frequency=claim.frequency.value,
        diagnoses=tuple(no_dot(code) for code in claim.diagnoses),
        lines=tuple(_line(line, claim.service_date, others.lines.get(line.line_number, ())) for line in lines),
        billing=_memo(memo, ("billing", id(practice), 0, 0), lambda: _billing(practice)),
        subscriber=subscriber,
        patient=dependent,
        rendering=_memo(memo, ("rendering", id(provider), 0, 0), lambda: _rendering(provider)) if provider else None,
        prior_authorization=authorization_number,
        payer_claim_number=original_payer_claim_number if replaces else None,
        other_payers=others.loops,
    )


def _memo(memo: Memo, key: tuple[str, int, int, int], make: Callable[[], Made]) -> Made:
    """The value under `key`, made once per batch."""
    if key not in memo:
        memo[key] = make()
    return memo[key]  # type: ignore[return-value]


def _insured_for(
    claim: Claim, coverage: Coverage, patient: Patient, payer: Payer, memo: Memo
) -> tuple[x.Subscriber, x.Dependent | None]:
    """The subscriber and patient loops; billed after another payer, SBR01 says the place (S, T) and
    Medicare's SBR05 its Medicare Secondary Payer type."""
    key = ("insured", id(coverage), id(patient), id(payer))
    subscriber, dependent = _memo(memo, key, lambda: _insured(coverage, patient, payer))
    if claim.payer_sequence is not PayerSequence.PRIMARY:
        msp_type = coverage.msp_type if is_medicare(payer) else None
        subscriber = replace(subscriber, responsibility=claim.payer_sequence.value, msp_type=msp_type)
    return subscriber, dependent


def _line(line: ClaimLine, service_date: date, adjudications: tuple[x.LineAdjudication, ...]) -> x.ServiceLine:
    return x.ServiceLine(
        line.cpt_code,
        line.charge,
        line.units,
        tuple(line.diagnosis_pointers),
        service_date,
        line.line_control_number or f"L{db_id(line.id)}",
        tuple(line.modifiers),
        adjudications=adjudications,
    )


def _billing(p: Practice) -> x.BillingProvider:
    address = x.Address(
        x12_text(p.address_line1, 55), x12_text(p.city, 30), p.state, p.zip_code, x12_text(p.address_line2, 55) or None
    )
    return x.BillingProvider(x12_text(p.name), p.npi, p.ein or "", p.taxonomy, address)


def _rendering(p: Provider) -> x.Rendering:
    return x.Rendering(x12_text(p.last_name), x12_text(p.first_name, 35), p.npi, p.taxonomy)


def _patient_person(p: Patient) -> x.Person:
    address = (
        x.Address(x12_text(p.address_line1, 55), x12_text(p.city, 30), p.state or "", p.zip_code or "")
        if p.address_line1 and p.city
        else None
    )
    return x.Person(
        x12_text(p.last_name), x12_text(p.first_name, 35), p.birth_date, p.sex.value if p.sex else None, address
    )


def _insured(coverage: Coverage, patient: Patient, payer: Payer) -> tuple[x.Subscriber, x.Dependent | None]:
    """The subscriber loop and, when the patient is someone else, the patient loop."""
    patient_person = _patient_person(patient)
    if coverage.relationship is Relationship.SELF:
        person, dependent = patient_person, None
    else:
        person = x.Person(
            x12_text(coverage.subscriber_last_name),
            x12_text(coverage.subscriber_first_name, 35),
            coverage.subscriber_birth_date,
            coverage.subscriber_sex.value if coverage.subscriber_sex else None,
        )
        dependent = x.Dependent(coverage.relationship.value, patient_person)
    subscriber = x.Subscriber(
        member_id=coverage.member_id or "",
        person=person,
        payer=x.Payer(x12_text(payer.name), payer.x12_payer_id),
        filing_indicator=payer.claim_filing_indicator,
        group_number=coverage.group_number,
    )
    return subscriber, dependent
