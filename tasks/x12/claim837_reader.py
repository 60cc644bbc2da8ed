"""Read an 837P back into value objects, loop by loop (X222A1): the sandbox payer reads what we
send, tests round-trip, and files from other systems read the same way.

Claims sit under the subscriber level (2000B) when the patient is the subscriber, or under the
patient level (2000C) when not; each keeps the billing provider and subscriber above it.
"""

from collections.abc import Iterator
from decimal import Decimal

from models.errors import X12ParseError
from tasks.x12.claim837_cob import read_line_adjudications, read_other_payers
from tasks.x12.claim837_model import (
    Address,
    Batch,
    BillingProvider,
    Claim,
    Dependent,
    Payer,
    Person,
    Receiver,
    Rendering,
    ServiceLine,
    Submitter,
    Subscriber,
)
from tasks.x12.envelope import Interchange, read_header
from tasks.x12.guides.x222a1 import CLAIM_837P
from tasks.x12.interchanges import SetUnit, read_interchanges
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg
from tasks.x12.values import gc_paused

_DIAGNOSIS_CODES = ("ABK", "BK")  # HI whose first code is the principal diagnosis (ICD-10, ICD-9)
_CENTS = Decimal("0.01")


def read_837p(text: str) -> Batch:
    """Every claim in a file of 837Ps, with its billing provider, subscriber and patient."""
    with gc_paused():
        return _read(read_interchanges(text))  # its segments are freed before the collector runs again


def read_837p_interchange(interchange: Interchange) -> Batch:
    """`read_837p` of an interchange already read, so a reader that validates first splits the text once."""
    if interchange.problems:
        number, reason = interchange.problems[0]
        raise X12ParseError(reason, segment=number)
    with gc_paused():
        return _read([interchange])


def _read(interchanges: list[Interchange]) -> Batch:
    batches = []
    for interchange in interchanges:
        for group in interchange.groups:
            for tset in group.sets:
                if tset.set_id != "837":
                    raise X12ParseError(f"transaction set {tset.set_id} is not an 837", segment=tset.first_segment)
                batches.append(read_837p_set(SetUnit(interchange, group, tset)))
    if not batches:
        raise X12ParseError("no 837 transaction set", segment=1)
    first = batches[0]
    claims = tuple(claim for batch in batches for claim in batch.claims)
    return Batch(first.header, first.submitter, first.receiver, first.reference, claims)


def read_837p_set(unit: SetUnit) -> Batch:
    """The claims of one 837P transaction set."""
    root = fit(unit.tset, CLAIM_837P, unit.interchange.delimiters)
    submitter, receiver = root.need_loop("1000A"), root.need_loop("1000B").opening
    per = submitter.first("PER") or submitter.opening
    claims = tuple(claim for billing in root.loops("2000A") for claim in _billing_claims(billing))
    return Batch(
        read_header(unit.interchange),
        Submitter(submitter.opening[3], submitter.opening[9], per[2], per[4]),
        Receiver(receiver[3], receiver[9]),
        root.need("BHT")[3],
        claims,
    )


def _billing_claims(level: Loop) -> Iterator[Claim]:
    billing = _billing(level)
    for subscriber_level in level.loops("2000B"):
        subscriber = _subscriber(subscriber_level)
        for claim in subscriber_level.loops("2300"):
            yield _claim(claim, billing, subscriber, None)
        for patient_level in subscriber_level.loops("2000C"):
            patient = _dependent(patient_level)
            for claim in patient_level.loops("2300"):
                yield _claim(claim, billing, subscriber, patient)


def _address(loop: Loop) -> Address | None:
    n3 = loop.first("N3")
    if n3 is None:
        return None
    n4 = loop.need("N4")
    return Address(n3[1], n4[1], n4[2], n4[3], n3.opt(2))


def _person(name: Loop) -> Person:
    nm1, dmg = name.opening, name.first("DMG")
    birth = dmg.period(1, 2).start if dmg and dmg[2] else None
    return Person(nm1[3], nm1[4], birth, dmg.opt(3) if dmg else None, _address(name))


def _billing(level: Loop) -> BillingProvider:
    prv = level.first("PRV", "BI")
    name = level.need_loop("2010AA")
    address = _address(name)
    if address is None:
        raise name.opening.error("billing provider has no address (N3/N4)")
    ein = name.first("REF", "EI")
    nm1 = name.opening
    return BillingProvider(nm1[3], nm1[9], ein[2] if ein else "", prv[3] if prv else "", address)


def _subscriber(level: Loop) -> Subscriber:
    sbr = level.need("SBR")
    name, payer = level.need_loop("2010BA"), level.need_loop("2010BB").opening
    return Subscriber(name.opening[9], _person(name), Payer(payer[3], payer[9]), sbr[9], sbr.opt(3), sbr[1], sbr.opt(5))


def _dependent(level: Loop) -> Dependent:
    return Dependent(level.need("PAT")[1], _person(level.need_loop("2010CA")))


def _claim(loop: Loop, billing: BillingProvider, subscriber: Subscriber, patient: Dependent | None) -> Claim:
    clm = loop.opening
    pos, _, frequency = (clm.components(5) + ["", ""])[:3]
    refs = {ref[1]: ref[2] for ref in reversed(list(loop.each("REF")))}
    rendering = loop.loop("2310B")
    return Claim(
        clm[1],
        _money(clm, 2),
        pos,
        frequency,
        _diagnoses(loop),
        tuple(_line(line) for line in loop.loops("2400")),
        billing,
        subscriber,
        patient,
        _rendering(rendering) if rendering else None,
        refs.get("G1"),
        refs.get("F8"),
        read_other_payers(loop),
    )


def _diagnoses(claim: Loop) -> tuple[str, ...]:
    """The diagnosis codes of the HI that starts with ABK (or BK); other HIs (anesthesia, condition
    codes) are not diagnoses."""
    for hi in claim.each("HI"):
        if hi.components(1)[0] in _DIAGNOSIS_CODES:
            parts = [hi.components(i) for i in range(1, len(hi.elements))]
            return tuple(p[1] for p in parts if len(p) > 1 and p[1])
    return ()


def _rendering(loop: Loop) -> Rendering:
    nm1, prv = loop.opening, loop.first("PRV", "PE")
    return Rendering(nm1[3], nm1[4], nm1[9], prv[3] if prv else "")


def _line(loop: Loop) -> ServiceLine:
    sv1 = loop.need("SV1")
    composite = sv1.components(1)
    if len(composite) < 2 or not composite[1]:
        raise sv1.error("SV101 has no procedure code (qualifier:code:modifiers)")
    dtp = loop.first("DTP", "472")
    if dtp is None:
        raise loop.opening.error("service line has no DTP*472 date")
    served = dtp.period(2, 3)
    control = loop.first("REF", "6R")
    pointers = tuple(_pointer(sv1, p) for p in sv1.components(7) if p)
    return ServiceLine(
        composite[1],
        _money(sv1, 2),
        sv1.integer(4),
        pointers,
        served.start,
        control[2] if control else "",
        tuple(m for m in composite[2:6] if m),
        served.end,
        read_line_adjudications(loop),
    )


def _pointer(sv1: Seg, text: str) -> int:
    if not text.isdigit():
        raise sv1.error("SV107 holds a diagnosis pointer that is not a number")
    return int(text)


def _money(seg: Seg, index: int) -> Decimal:
    return seg.need_decimal(index).quantize(_CENTS)
