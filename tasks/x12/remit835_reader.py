"""Read an 835 into payments, claims, lines and adjustments, loop by loop (X221A1).

A nightly file holds tens of thousands of claim payments, so the set is read in one streaming pass
over `walk` (the guide's loops, no tree): the header and both parties are kept as small loops, each
claim and line is gathered as it passes (remit835_parts), and the collector is paused meanwhile.
"""

from models.errors import X12ParseError
from tasks.x12.claim837_model import Address
from tasks.x12.envelope import read_header
from tasks.x12.guides.x221a1 import REMIT_835
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, walk
from tasks.x12.remit835_model import ClaimPayment, Payment, Remittance
from tasks.x12.remit835_parts import ClaimParts, LineParts, amount, provider_adjustments
from tasks.x12.seg import Seg
from tasks.x12.segments import DEFAULT_DELIMITERS
from tasks.x12.values import gc_paused

_TAX_IDS, _NPI = ("FI", "TJ"), "XX"
_NONE: list[str] = ["--"]
_EMPTY = Seg(_NONE, 0, DEFAULT_DELIMITERS)  # stands in for an absent optional segment


def read_835(text: str) -> Remittance:
    """Every payment in a file of 835s (balancing problems are reported by `imbalances()`)."""
    with gc_paused():
        return _read_835(text)  # its segments are freed before the collector runs again


def _read_835(text: str) -> Remittance:
    units = transaction_sets(text)
    payments = []
    for unit in units:
        if unit.kind != "835":
            raise X12ParseError(f"transaction set {unit.kind} is not an 835", segment=unit.tset.first_segment)
        payments.append(read_835_set(unit))
    if not payments:
        raise X12ParseError("no 835 transaction set", segment=1)
    return Remittance(read_header(units[0].interchange), tuple(payments))


def read_835_set(unit: SetUnit) -> Payment:
    """The payment of one 835 transaction set."""
    d = unit.interchange.delimiters
    parties: dict[str, Loop] = {}
    header = Loop(REMIT_835, [])
    claims: list[ClaimParts] = []
    claim, line = ClaimParts(_NONE, 0), LineParts(_NONE, 0)  # walk opens each loop before its segments
    for _, spec, opens, elements, number in walk(unit.tset, REMIT_835):
        name = spec.name
        if name == "2110":
            if opens:
                line = LineParts(elements, number)
                claim.lines.append(line)
            else:
                line.add(elements, number)
        elif name == "2100":
            if opens:
                claim = ClaimParts(elements, number)
                claims.append(claim)
            else:
                claim.add(elements, number)
        elif name in ("1000A", "1000B"):
            parties.setdefault(name, Loop(spec, [])).segs.append(Seg(elements, number, d))
        elif name == "ST":
            header.segs.append(Seg(elements, number, d))
    payments = [c.payment(d.component) for c in claims]
    return _payment(header, parties, payments, unit.tset.first_segment, d.component)


def _payment(
    header: Loop, parties: dict[str, Loop], claims: list[ClaimPayment], first_segment: int, component: str
) -> Payment:
    """The payment from its header (BPR, TRN, PLB), its payer and payee, and its claims."""
    if "BPR" not in {s.tag for s in header.segs} or "TRN" not in {s.tag for s in header.segs}:
        raise X12ParseError("835 without BPR and TRN", segment=first_segment)
    bpr, trn = header.need("BPR"), header.need("TRN")
    payer, payee = parties.get("1000A"), parties.get("1000B")
    if payer is None or payee is None:
        raise X12ParseError("835 without its payer (N1*PR) and payee (N1*PE)", segment=first_segment)
    npi, tax_id, others = _payee_ids(payee)
    return Payment(
        payer_name=payer.opening[2],
        payer_id=_payer_id(payer, trn),
        payer_address=_address(payer),
        payer_contact_phone=(payer.first("PER", "BL") or payer.first("PER") or _EMPTY)[4],
        payee_name=payee.opening[2],
        payee_npi=npi,
        trace_number=trn.need(2),
        originator=trn[3],
        payment_amount=amount(bpr.elements, 2, bpr.position),
        payment_method=bpr[4],
        payment_date=bpr.date(16),
        claims=tuple(claims),
        provider_adjustments=tuple(
            a for plb in header.each("PLB") for a in provider_adjustments(plb.elements, plb.position, component)
        ),
        payee_tax_id=tax_id,
        payee_other_ids=others,
    )


def _payer_id(payer: Loop, trn: Seg) -> str:
    """REF*2U (payer ID), else the N1*PR identification code, else TRN03 (the payer's company ID)."""
    ref = payer.first("REF", "2U")
    return (ref[2] if ref else "") or payer.opening[4] or trn[3]


def _payee_ids(payee: Loop) -> tuple[str | None, str | None, tuple[tuple[str, str], ...]]:
    """The payee's NPI (N1 XX), tax ID (N1 FI or REF*TJ) and other IDs (N1 XV, REF*PQ/0B/D3), by qualifier."""
    n1 = payee.opening
    found = [(n1[3], n1[4])] if n1[3] and n1[4] else []
    found += [(ref[1], ref[2]) for ref in payee.each("REF") if ref[1] and ref[2]]
    npi = next((value for qualifier, value in found if qualifier == _NPI), None)
    tax_id = next((value for qualifier, value in found if qualifier in _TAX_IDS), None)
    others = tuple((q, v) for q, v in found if q != _NPI and q not in _TAX_IDS)
    return npi, tax_id, others


def _address(payer: Loop) -> Address:
    n3, n4 = payer.first("N3") or _EMPTY, payer.first("N4") or _EMPTY
    return Address(n3[1], n4[1], n4[2], n4[3], n3.opt(2))
