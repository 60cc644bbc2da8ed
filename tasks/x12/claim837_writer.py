"""Write an 837P (005010X222A1): claims grouped by billing provider, then subscriber, then patient."""

from collections.abc import Iterator, Sequence

from tasks.x12.claim837_cob import write_line_adjudications, write_other_payers
from tasks.x12.claim837_model import (
    VERSION_837P,
    Address,
    Batch,
    BillingProvider,
    Claim,
    Dependent,
    Person,
    ServiceLine,
    Subscriber,
)
from tasks.x12.envelope import write_interchange
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import amount, d8, gc_paused, no_dot

MAX_CLAIMS_PER_SET = 5000


def write_837p(batch: Batch, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The batch as X12 text: one interchange, one group, one set per 5,000 claims."""
    with gc_paused():
        return _write(batch, delimiters)


def _write(batch: Batch, delimiters: Delimiters) -> str:
    sets = [("837", _transaction_body(batch, chunk, delimiters)) for chunk in _chunks(batch.claims)]
    return write_interchange(batch.header, "HC", VERSION_837P, sets, delimiters)


def _chunks(claims: Sequence[Claim]) -> Iterator[Sequence[Claim]]:
    for start in range(0, max(len(claims), 1), MAX_CLAIMS_PER_SET):
        yield claims[start : start + MAX_CLAIMS_PER_SET]


def _transaction_body(batch: Batch, claims: Sequence[Claim], d: Delimiters) -> list[str]:
    w = SegmentWriter(d)
    created = batch.header.created
    w.add("BHT", "0019", "00", batch.reference, d8(created), created.strftime("%H%M"), "CH")
    w.add("NM1", "41", "2", batch.submitter.name, "", "", "", "", "46", batch.submitter.etin)
    w.add("PER", "IC", batch.submitter.contact_name, "TE", batch.submitter.phone)
    w.add("NM1", "40", "2", batch.receiver.name, "", "", "", "", "46", batch.receiver.etin)
    hl = 0
    for billing, by_subscriber in _grouped(claims).items():
        hl += 1
        billing_hl = hl
        _billing_provider(w, billing, billing_hl)
        for subscriber, by_patient in by_subscriber.items():
            hl += 1
            subscriber_hl = hl
            has_dependents = any(patient is not None for patient in by_patient)
            _subscriber(w, subscriber, subscriber_hl, billing_hl, has_dependents)
            for patient, patient_claims in by_patient.items():
                if patient is not None:
                    hl += 1
                    _dependent(w, patient, hl, subscriber_hl)
                for claim in patient_claims:
                    _claim(w, claim)
    return w.segments


Grouping = dict[BillingProvider, dict[Subscriber, dict[Dependent | None, list[Claim]]]]


def _grouped(claims: Sequence[Claim]) -> Grouping:
    """Claims nested by billing provider, subscriber and patient, in first-seen order."""
    grouped: Grouping = {}
    for claim in claims:
        by_subscriber = grouped.setdefault(claim.billing, {})
        by_subscriber.setdefault(claim.subscriber, {}).setdefault(claim.patient, []).append(claim)
    return grouped


def _address(w: SegmentWriter, address: Address | None) -> None:
    if address is not None:
        w.add("N3", address.line1, address.line2)
        w.add("N4", address.city, address.state, address.zip_code)


def _person(w: SegmentWriter, entity: str, person: Person, member_id: str | None) -> None:
    w.add("NM1", entity, "1", person.last_name, person.first_name, "", "", "", "MI" if member_id else "", member_id)
    _address(w, person.address)
    if person.birth_date is not None:
        w.add("DMG", "D8", d8(person.birth_date), person.sex or "U")


def _billing_provider(w: SegmentWriter, billing: BillingProvider, hl: int) -> None:
    w.add("HL", str(hl), "", "20", "1")
    w.add("PRV", "BI", "PXC", billing.taxonomy)
    w.add("NM1", "85", "2", billing.name, "", "", "", "", "XX", billing.npi)
    _address(w, billing.address)
    w.add("REF", "EI", billing.ein)


def _subscriber(w: SegmentWriter, s: Subscriber, hl: int, parent: int, has_dependents: bool) -> None:
    w.add("HL", str(hl), str(parent), "22", "1" if has_dependents else "0")
    relationship = "" if has_dependents else "18"
    w.add("SBR", s.responsibility, relationship, s.group_number, "", s.msp_type, "", "", "", s.filing_indicator)
    _person(w, "IL", s.person, s.member_id)
    w.add("NM1", "PR", "2", s.payer.name, "", "", "", "", "PI", s.payer.payer_id)


def _dependent(w: SegmentWriter, patient: Dependent, hl: int, parent: int) -> None:
    w.add("HL", str(hl), str(parent), "23", "0")
    w.add("PAT", patient.relationship)
    _person(w, "QC", patient.person, None)


def _claim(w: SegmentWriter, claim: Claim) -> None:
    w.add(
        "CLM",
        claim.patient_control_number,
        amount(claim.charge),
        "",
        "",
        (claim.place_of_service, "B", claim.frequency),
        "Y",
        "A",
        "Y",
        "Y",
    )
    if claim.prior_authorization:
        w.add("REF", "G1", claim.prior_authorization)
    if claim.payer_claim_number:
        w.add("REF", "F8", claim.payer_claim_number)
    if claim.diagnoses:
        w.add("HI", *[("ABK" if i == 0 else "ABF", no_dot(code)) for i, code in enumerate(claim.diagnoses)])
    if claim.rendering is not None:
        r = claim.rendering
        w.add("NM1", "82", "1", r.last_name, r.first_name, "", "", "", "XX", r.npi)
        w.add("PRV", "PE", "PXC", r.taxonomy)
    write_other_payers(w, claim.other_payers, claim.subscriber.filing_indicator)
    for number, line in enumerate(claim.lines, start=1):
        _line(w, number, line, claim.subscriber.filing_indicator)


def _line(w: SegmentWriter, number: int, line: ServiceLine, billed_filing: str) -> None:
    w.add("LX", str(number))
    w.add(
        "SV1",
        ("HC", line.procedure_code, *line.modifiers),
        amount(line.charge),
        "UN",
        str(line.units),
        "",
        "",
        tuple(str(p) for p in line.pointers),
    )
    if line.service_date_end is not None:
        w.add("DTP", "472", "RD8", f"{d8(line.service_date)}-{d8(line.service_date_end)}")
    else:
        w.add("DTP", "472", "D8", d8(line.service_date))
    w.add("REF", "6R", line.control_number)
    write_line_adjudications(w, line.adjudications, billed_filing)
