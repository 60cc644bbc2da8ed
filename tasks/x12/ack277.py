"""277CA claim acknowledgment (005010X214): model, writer and reader.

A 277CA tells, claim by claim, whether the front door (clearinghouse or payer) accepted the claim
into adjudication (A1/A2) or rejected it (A3, A6, A7, A8, ...), and gives the payer's claim number.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.errors import X12ParseError
from tasks.x12.cursor import Cursor
from tasks.x12.envelope import Header, read_header, read_interchange, write_interchange
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import amount, d8, money, parse_d8
from tasks.x12.values import element as el

VERSION_277CA = "005010X214"
ACCEPTED_CATEGORIES = frozenset({"A1", "A2", "A5"})


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """One STC: category:status:entity, its date, action code and amount."""

    category: str
    status: str
    entity: str | None = None
    date: dt.date | None = None
    action: str | None = None
    amount: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a status."""
        return {
            "category": self.category,
            "status": self.status,
            "entity": self.entity,
            "action": self.action,
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """2200D: one claim's acknowledgment (TRN*2 = our patient control number)."""

    patient_control_number: str
    statuses: tuple[StatusInfo, ...]
    billing_name: str
    billing_npi: str
    patient_last: str
    patient_first: str
    member_id: str | None = None
    payer_claim_number: str | None = None
    service_date: dt.date | None = None

    @property
    def accepted(self) -> bool:
        """True when the first status's category accepts the claim for adjudication."""
        return bool(self.statuses) and self.statuses[0].category in ACCEPTED_CATEGORIES


@dataclass(frozen=True, slots=True)
class Ack277:
    """A 277CA transaction: who acknowledges, for which submitter, and each claim."""

    header: Header
    reference: str
    source_name: str
    source_id: str
    submitter_name: str
    submitter_id: str
    received: dt.date
    claims: tuple[ClaimAck, ...]

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 277CA."""
        return {
            "transaction": "277",
            "claims": [
                {
                    "patient_control_number": c.patient_control_number,
                    "payer_claim_number": c.payer_claim_number,
                    "statuses": [s.as_json() for s in c.statuses],
                }
                for c in self.claims
            ],
        }


def write_277ca(ack: Ack277, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 277CA transaction set: information source, receiver, billing providers, claims."""
    w = SegmentWriter(delimiters)
    created = ack.header.created
    w.add("BHT", "0085", "08", ack.reference, d8(created), created.strftime("%H%M"), "TH")
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "AY", "2", ack.source_name, "", "", "", "", "46", ack.source_id)
    w.add("TRN", "1", ack.reference)
    w.add("DTP", "050", "D8", d8(ack.received))
    w.add("DTP", "009", "D8", d8(created))
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "41", "2", ack.submitter_name, "", "", "", "", "46", ack.submitter_id)
    w.add("TRN", "2", ack.reference)
    _receipt(w, "41", created.date(), ack.claims)
    accepted = [c for c in ack.claims if c.accepted]
    w.add("QTY", "90", str(len(accepted)))
    w.add("QTY", "AA", str(len(ack.claims) - len(accepted)))
    hl = 2
    for (name, npi), claims in _by_billing(ack.claims):
        hl += 1
        provider_hl = hl
        w.add("HL", str(provider_hl), "2", "19", "1")
        w.add("NM1", "85", "2", name, "", "", "", "", "XX", npi)
        w.add("TRN", "1", "0")
        _receipt(w, "85", created.date(), claims)
        for claim in claims:
            hl += 1
            _claim(w, claim, hl, provider_hl)
    return write_interchange(ack.header, "HN", VERSION_277CA, [("277", w.segments)], delimiters)


def _receipt(w: SegmentWriter, entity: str, when: dt.date, claims: tuple[ClaimAck, ...] | list[ClaimAck]) -> None:
    """The STC every receiver and billing-provider level carries: A1:19 with the total (dated at 2200B only)."""
    total = sum((s.amount or Decimal(0) for c in claims for s in c.statuses[:1]), Decimal(0))
    w.add("STC", ("A1", "19", entity), d8(when) if entity == "41" else None, "WQ", amount(total))


def _by_billing(claims: tuple[ClaimAck, ...]) -> Iterator[tuple[tuple[str, str], list[ClaimAck]]]:
    grouped: dict[tuple[str, str], list[ClaimAck]] = {}
    for claim in claims:
        grouped.setdefault((claim.billing_name, claim.billing_npi), []).append(claim)
    yield from grouped.items()


def _claim(w: SegmentWriter, claim: ClaimAck, hl: int, parent: int) -> None:
    w.add("HL", str(hl), str(parent), "PT")
    w.add(
        "NM1",
        "QC",
        "1",
        claim.patient_last,
        claim.patient_first,
        "",
        "",
        "",
        "MI" if claim.member_id else "",
        claim.member_id,
    )
    w.add("TRN", "2", claim.patient_control_number)
    for s in claim.statuses:
        w.add(
            "STC",
            (s.category, s.status, s.entity or ""),
            d8(s.date) if s.date else None,
            s.action,
            amount(s.amount) if s.amount is not None else None,
        )
    if claim.payer_claim_number:
        w.add("REF", "1K", claim.payer_claim_number)
    if claim.service_date:
        w.add("DTP", "472", "D8", d8(claim.service_date))


def read_277ca(text: str) -> Ack277:
    """Every claim acknowledgment in a 277CA interchange."""
    interchange = read_interchange(text)
    sets = [t for g in interchange.groups for t in g.sets]
    if len(sets) != 1 or sets[0].set_id != "277":
        raise X12ParseError("expected one 277 transaction set", segment=1)
    header = read_header(interchange)
    return Cursor(sets[0], interchange.delimiters).run(lambda cur: _transaction(cur, header))


def _transaction(cur: Cursor, header: Header) -> Ack277:
    reference = el(cur.need("BHT"), 3)
    cur.need("HL")
    source = cur.need("NM1")
    cur.skip_to(("DTP", "HL"))
    received = header.created.date()
    while dtp := cur.take("DTP"):
        if el(dtp, 1) == "050":
            received = parse_d8(el(dtp, 3), "DTP03")
    cur.need("HL")
    submitter = cur.need("NM1", ("41",))
    cur.skip_to(("HL",))
    claims: list[ClaimAck] = []
    billing = ("", "")
    while hl := cur.take("HL"):
        if el(hl, 3) == "19":
            nm1 = cur.need("NM1", ("85",))
            billing = (el(nm1, 3), el(nm1, 9))
            cur.skip_to(("HL",))
        elif el(hl, 3) == "PT":
            claims.append(_read_claim(cur, billing))
        else:
            cur.skip_to(("HL",))
    return Ack277(
        header, reference, el(source, 3), el(source, 9), el(submitter, 3), el(submitter, 9), received, tuple(claims)
    )


def _read_claim(cur: Cursor, billing: tuple[str, str]) -> ClaimAck:
    nm1 = cur.need("NM1", ("QC",))
    pcn = el(cur.need("TRN", ("2",)), 2)
    statuses, payer_claim_number, service_date = [], None, None
    while not cur.done() and not cur.at("HL"):
        seg = cur.segments[cur.i]
        cur.i += 1
        if seg[0] == "STC":
            statuses.append(_status(cur, seg))
        elif seg[0] == "REF" and el(seg, 1) == "1K":
            payer_claim_number = el(seg, 2)
        elif seg[0] == "DTP" and el(seg, 1) == "472":
            service_date = parse_d8(el(seg, 3)[:8], "DTP03")
    return ClaimAck(
        pcn,
        tuple(statuses),
        billing[0],
        billing[1],
        el(nm1, 3),
        el(nm1, 4),
        el(nm1, 9) or None,
        payer_claim_number,
        service_date,
    )


def _status(cur: Cursor, stc: list[str]) -> StatusInfo:
    parts = cur.components(el(stc, 1)) + ["", ""]
    when = parse_d8(el(stc, 2), "STC02") if el(stc, 2) else None
    value = money(el(stc, 4), "STC04") if el(stc, 4) else None
    return StatusInfo(parts[0], parts[1], parts[2] or None, when, el(stc, 3) or None, value)
