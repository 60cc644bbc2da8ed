"""A claim's other payers as the 837P's 2320/2330A/2330B and 2430 value objects (pure).

Every other coverage in the payer order on the date of service is listed: the payers before the
billed one with their standing adjudication exactly as their 835 gave it, the payers after it
without amounts.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from models.claims import Claim
from models.enums import PayerSequence, Relationship
from models.patients import Coverage, Patient
from models.practice import Payer
from tasks.cob.order import is_medicare
from tasks.cob.prior import PriorAdjudication, PriorLine
from tasks.x12 import claim837_model as x
from tasks.x12.values import x12_text


@dataclass(frozen=True, slots=True)
class OtherPayers:
    """What the 837P says about a claim's other payers: 2320 loops and each line's 2430 loops."""

    loops: tuple[x.OtherPayer, ...] = ()
    lines: dict[int, tuple[x.LineAdjudication, ...]] = field(default_factory=dict)  # by our line number


NONE = OtherPayers()


def other_payers(
    claim: Claim,
    order: list[Coverage],
    *,
    coverages: Mapping[int, Coverage],
    payers: Mapping[int, Payer],
    patient: Patient,
    priors: Mapping[PayerSequence, PriorAdjudication],
) -> OtherPayers:
    """The claim's other payers in payer order; a payer before the claim's with its adjudication."""
    loops: list[x.OtherPayer] = []
    lines: dict[int, tuple[x.LineAdjudication, ...]] = {}
    mine = claim.payer_sequence.rank
    for rank in range(max(len(order), mine + 1)):
        sequence = PayerSequence.at(rank)
        prior = priors.get(sequence) if rank < mine else None
        coverage = coverages.get(prior.coverage_id) if prior else (order[rank] if rank < len(order) else None)
        if coverage is None or coverage.id == claim.coverage_id or rank == mine:
            continue
        payer = payers.get(coverage.payer_id)
        if payer is None:
            continue
        loops.append(_loop(sequence, coverage, payer, patient, prior))
        for line in _reported(prior):
            day = prior.adjudicated_on if prior and prior.adjudicated_on else claim.service_date  # BPR16 is required
            lines[line.line_number or 0] = (*lines.get(line.line_number or 0, ()), _line(line, payer, day))
    return OtherPayers(tuple(loops), lines)


def _loop(
    sequence: PayerSequence, coverage: Coverage, payer: Payer, patient: Patient, prior: PriorAdjudication | None
) -> x.OtherPayer:
    """One 2320 loop with its 2330A subscriber and 2330B payer."""
    if coverage.relationship is Relationship.SELF:
        person = x.Person(x12_text(patient.last_name), x12_text(patient.first_name, 35))
    else:
        person = x.Person(x12_text(coverage.subscriber_last_name), x12_text(coverage.subscriber_first_name, 35))
    listed = x.OtherPayer(
        sequence=sequence.value,
        relationship=coverage.relationship.value,
        filing_indicator=payer.claim_filing_indicator,
        subscriber=person,
        member_id=coverage.member_id or "",
        payer=x.Payer(x12_text(payer.name), payer.x12_payer_id),
        group_number=coverage.group_number,
        msp_type=coverage.msp_type if is_medicare(payer) and sequence is not PayerSequence.PRIMARY else None,
    )
    if prior is None:
        return listed
    at_claim_level = not _reported(prior)  # else the date and what it left the patient go on each 2430
    return replace(
        listed,
        adjustments=prior.adjustments,
        paid=prior.paid,
        remaining_liability=prior.patient_responsibility if at_claim_level else None,
        remarks=prior.remarks,
        claim_number=prior.payer_claim_number,
        adjudicated_on=prior.adjudicated_on if at_claim_level else None,
    )


def _reported(prior: PriorAdjudication | None) -> list[PriorLine]:
    """The prior payer's lines that adjudicated ours (each a 2430); none: it answered at claim level."""
    return [line for line in prior.lines if line.line_number is not None] if prior else []


def _line(line: PriorLine, payer: Payer, adjudicated_on: date) -> x.LineAdjudication:
    """One 2430 loop: the prior payer's SVD, the line's CAS and its adjudication date."""
    return x.LineAdjudication(
        payer_id=payer.x12_payer_id,
        paid=line.paid,
        procedure_code=line.procedure_code,
        units=line.units,
        adjudicated_on=adjudicated_on,
        modifiers=line.modifiers,
        adjustments=line.adjustments,
        remaining_liability=x.patient_share(line.adjustments),
    )
