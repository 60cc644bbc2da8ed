"""Read an 837P back into value objects (the sandbox payer reads what we send; tests round-trip)."""

from models.errors import X12ParseError
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
from tasks.x12.cursor import Cursor
from tasks.x12.envelope import Interchange, read_header, read_interchange
from tasks.x12.values import element as el
from tasks.x12.values import money, parse_d8, parse_int

_LOOP_STARTS = ("HL", "CLM", "LX")


def read_837p(text: str) -> Batch:
    """Every claim in an 837P interchange, with its billing provider, subscriber and patient."""
    return read_837p_interchange(read_interchange(text))


def read_837p_interchange(interchange: Interchange) -> Batch:
    """`read_837p` of an interchange already read, so a reader that validates first splits the text once."""
    if interchange.problems:
        number, reason = interchange.problems[0]
        raise X12ParseError(reason, segment=number)
    batches = []
    for group in interchange.groups:
        for tset in group.sets:
            if tset.set_id != "837":
                raise X12ParseError(f"transaction set {tset.set_id} is not an 837", segment=tset.first_segment)
            batches.append(Cursor(tset, interchange.delimiters).run(lambda cur: _transaction(cur, interchange)))
    if not batches:
        raise X12ParseError("no 837 transaction set", segment=1)
    claims = tuple(claim for batch in batches for claim in batch.claims)
    return Batch(batches[0].header, batches[0].submitter, batches[0].receiver, batches[0].reference, claims)


def _transaction(cur: Cursor, ic: Interchange) -> Batch:
    reference = el(cur.need("BHT"), 3)
    nm41 = cur.need("NM1", ("41",))
    per = cur.take("PER") or ["PER"]
    nm40 = cur.need("NM1", ("40",))
    claims: list[Claim] = []
    billing: BillingProvider | None = None
    subscriber: Subscriber | None = None
    patient: Dependent | None = None
    while hl := cur.take("HL"):
        level = el(hl, 3)
        if level == "20":
            billing, subscriber, patient = _billing(cur), None, None
        elif level == "22" and billing is not None:
            subscriber, patient = _subscriber(cur), None
        elif level == "23" and subscriber is not None:
            patient = _dependent(cur)
        else:
            raise X12ParseError(f"HL level {level!r} out of place")
        while cur.at("CLM"):
            if billing is None or subscriber is None:
                raise X12ParseError("CLM before its billing provider and subscriber")
            claims.append(_claim(cur, billing, subscriber, patient))
    if not cur.done():
        raise X12ParseError(f"unexpected {cur.segments[cur.i][0]} segment")
    submitter = Submitter(el(nm41, 3), el(nm41, 9), el(per, 2), el(per, 4))
    return Batch(read_header(ic), submitter, Receiver(el(nm40, 3), el(nm40, 9)), reference, tuple(claims))


def _address(cur: Cursor) -> Address | None:
    n3 = cur.take("N3")
    if n3 is None:
        return None
    n4 = cur.need("N4")
    return Address(el(n3, 1), el(n4, 1), el(n4, 2), el(n4, 3), el(n3, 2) or None)


def _person(cur: Cursor, entity: str) -> tuple[Person, str]:
    nm1 = cur.need("NM1", (entity,))
    address = _address(cur)
    dmg = cur.take("DMG")
    birth = parse_d8(el(dmg, 2), "DMG02") if dmg else None
    person = Person(el(nm1, 3), el(nm1, 4), birth, (el(dmg, 3) or None) if dmg else None, address)
    return person, el(nm1, 9)


def _billing(cur: Cursor) -> BillingProvider:
    taxonomy = el(cur.take("PRV", ("BI",)) or [], 3)
    nm1 = cur.need("NM1", ("85",))
    address = _address(cur)
    if address is None:
        raise X12ParseError("billing provider has no address (N3/N4)")
    ein = el(cur.take("REF", ("EI",)) or [], 2)
    cur.skip_to(_LOOP_STARTS)
    return BillingProvider(el(nm1, 3), el(nm1, 9), ein, taxonomy, address)


def _subscriber(cur: Cursor) -> Subscriber:
    sbr = cur.need("SBR")
    person, member_id = _person(cur, "IL")
    cur.skip_to(("NM1", *_LOOP_STARTS))
    payer = cur.need("NM1", ("PR",))
    cur.skip_to(_LOOP_STARTS)
    return Subscriber(member_id, person, Payer(el(payer, 3), el(payer, 9)), el(sbr, 9), el(sbr, 3) or None, el(sbr, 1))


def _dependent(cur: Cursor) -> Dependent:
    relationship = el(cur.need("PAT"), 1)
    person, _ = _person(cur, "QC")
    cur.skip_to(_LOOP_STARTS)
    return Dependent(relationship, person)


def _claim(cur: Cursor, billing: BillingProvider, subscriber: Subscriber, patient: Dependent | None) -> Claim:
    clm = cur.need("CLM")
    pos, _, frequency = (cur.components(el(clm, 5)) + ["", ""])[:3]
    refs: dict[str, str] = {}
    diagnoses: tuple[str, ...] = ()
    rendering = None
    while not cur.done() and not cur.at("LX") and not cur.at("CLM") and not cur.at("HL"):
        seg = cur.segments[cur.i]
        cur.i += 1
        if seg[0] == "REF":
            refs[el(seg, 1)] = el(seg, 2)
        elif seg[0] == "HI":
            diagnoses = tuple(cur.components(part)[1] for part in seg[1:] if cur.component in part)
        elif seg[0] == "NM1" and el(seg, 1) == "82":
            prv = cur.take("PRV", ("PE",)) or []
            rendering = Rendering(el(seg, 3), el(seg, 4), el(seg, 9), el(prv, 3))
    lines = []
    while cur.at("LX"):
        lines.append(_line(cur))
    return Claim(
        el(clm, 1),
        money(el(clm, 2), "CLM02"),
        pos,
        frequency,
        diagnoses,
        tuple(lines),
        billing,
        subscriber,
        patient,
        rendering,
        refs.get("G1"),
        refs.get("F8"),
    )


def _line(cur: Cursor) -> ServiceLine:
    cur.need("LX")
    sv1 = cur.need("SV1")
    composite = cur.components(el(sv1, 1))
    pointers = tuple(parse_int(p, "SV107") for p in cur.components(el(sv1, 7)) if p)
    service_date, control = None, ""
    while not cur.done() and not cur.at("LX") and not cur.at("CLM") and not cur.at("HL"):
        seg = cur.segments[cur.i]
        cur.i += 1
        if seg[0] == "DTP" and el(seg, 1) == "472":
            service_date = parse_d8(el(seg, 3), "DTP03")
        elif seg[0] == "REF" and el(seg, 1) == "6R":
            control = el(seg, 2)
    if service_date is None:
        raise X12ParseError("service line has no DTP*472 date")
    return ServiceLine(
        el(composite, 1),
        money(el(sv1, 2), "SV102"),
        parse_int(el(sv1, 4), "SV104"),
        pointers,
        service_date,
        control,
        tuple(composite[2:]),
    )
