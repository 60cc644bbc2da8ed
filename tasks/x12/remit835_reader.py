"""Read an 835 into payments, claims, lines and adjustments, fast (a nightly file can hold
tens of thousands of claim payments): one pass over the segments, no lookahead."""

from datetime import date
from decimal import Decimal, InvalidOperation

from models.errors import X12ParseError
from tasks.x12.claim837_model import Address
from tasks.x12.envelope import TransactionSet, read_header, read_interchange
from tasks.x12.remit835_model import Adjustment, ClaimPayment, Payment, ProviderAdjustment, Remittance, ServicePayment
from tasks.x12.values import element as el
from tasks.x12.values import gc_paused, parse_d8


def read_835(text: str) -> Remittance:
    """Every payment in an 835 interchange (balancing problems are reported by `imbalances()`)."""
    with gc_paused():
        return _read_835(text)


def _read_835(text: str) -> Remittance:
    interchange = read_interchange(text)
    payments = []
    for group in interchange.groups:
        for tset in group.sets:
            if tset.set_id != "835":
                raise X12ParseError(f"transaction set {tset.set_id} is not an 835", segment=tset.first_segment)
            payments.append(_read_set(tset, interchange.delimiters.component))
    if not payments:
        raise X12ParseError("no 835 transaction set", segment=1)
    return Remittance(read_header(interchange), tuple(payments))


def _read_set(tset: TransactionSet, component: str) -> Payment:
    reader = _PaymentReader(component)
    try:
        reader.read(tset.segments)
        return reader.finish()
    except X12ParseError as exc:
        raise X12ParseError(exc.reason, segment=exc.segment or tset.first_segment + 1 + reader.at) from None
    except (InvalidOperation, IndexError, ValueError) as exc:
        reason = f"malformed {reader.tag} segment ({type(exc).__name__})"
        raise X12ParseError(reason, segment=tset.first_segment + 1 + reader.at) from None


class _PaymentReader:
    """One pass over a payment's segments. Hot path: plain locals, no per-segment objects."""

    def __init__(self, component: str) -> None:
        self.component = component
        self.head: dict[str, list[str]] = {}
        self.claims: list[ClaimPayment] = []
        self.plb: list[ProviderAdjustment] = []
        self.at, self.tag = 0, ""

    def read(self, segments: list[list[str]]) -> None:
        component, claims, head = self.component, self.claims, self.head
        party, clp, nm1 = "", None, _EMPTY
        claim_cas: list[Adjustment] = []
        lines: list[ServicePayment] = []
        svc: list[str] | None = None
        line_cas: list[Adjustment] = []
        remarks: list[str] = []
        line_date = line_ref = line_amt = None
        for self.at, seg in enumerate(segments):  # noqa: B007  (position kept for error messages)
            tag = self.tag = seg[0]
            if tag == "CAS":
                (line_cas if svc is not None else claim_cas).extend(_adjustments(seg))
            elif tag == "SVC" or tag == "CLP" or tag == "PLB":
                if svc is not None:
                    lines.append(_service(svc, component, line_date, line_ref, line_cas, remarks, line_amt))
                    svc, line_cas, remarks, line_date, line_ref, line_amt = None, [], [], None, None, None
                if tag == "SVC":
                    svc = seg
                    continue
                if clp is not None:
                    claims.append(_claim(clp, nm1, claim_cas, lines))
                    clp, nm1, claim_cas, lines = None, _EMPTY, [], []
                if tag == "CLP":
                    clp = seg
                else:
                    self.plb.extend(_provider_adjustments(seg, component))
            elif svc is not None:
                if tag == "DTM" and seg[1] == "472":
                    line_date = _d8(seg[2], "DTM02")
                elif tag == "REF" and seg[1] == "6R":
                    line_ref = seg[2]
                elif tag == "AMT" and seg[1] == "B6":
                    line_amt = _decimal(seg[2])
                elif tag == "LQ" and seg[1] == "HE":
                    remarks.append(seg[2])
            elif clp is not None:
                if tag == "NM1" and seg[1] == "QC":
                    nm1 = seg
            elif tag == "N1":
                party = seg[1]
                head["N1" + party] = seg
            elif tag in ("N3", "N4", "PER") or (tag == "REF" and party):
                head.setdefault(tag + party + (seg[1] if tag == "REF" else ""), seg)
            elif tag in ("BPR", "TRN"):
                head[tag] = seg
        if svc is not None:
            lines.append(_service(svc, component, line_date, line_ref, line_cas, remarks, line_amt))
        if clp is not None:
            claims.append(_claim(clp, nm1, claim_cas, lines))

    def finish(self) -> Payment:
        h = self.head
        if "BPR" not in h or "TRN" not in h:
            raise X12ParseError("835 without BPR and TRN")
        bpr, trn = h["BPR"], h["TRN"]
        n3, n4 = h.get("N3PR", _EMPTY), h.get("N4PR", _EMPTY)
        address = Address(el(n3, 1), el(n4, 1), el(n4, 2), el(n4, 3), el(n3, 2) or None)
        return Payment(
            payer_name=el(h.get("N1PR", _EMPTY), 2),
            payer_id=el(h.get("REFPR2U", _EMPTY), 2) or el(trn, 3),
            payer_address=address,
            payer_contact_phone=el(h.get("PERPR", _EMPTY), 4),
            payee_name=el(h.get("N1PE", _EMPTY), 2),
            payee_npi=el(h.get("N1PE", _EMPTY), 4),
            trace_number=el(trn, 2),
            originator=el(trn, 3),
            payment_amount=_decimal(el(bpr, 2)),
            payment_method=el(bpr, 4),
            payment_date=parse_d8(el(bpr, 16), "BPR16"),
            claims=tuple(self.claims),
            provider_adjustments=tuple(self.plb),
            payee_tax_id=el(h.get("REFPETJ", _EMPTY), 2) or None,
        )


_EMPTY: list[str] = []
_DECIMALS: dict[str, Decimal] = {}
_DATES: dict[str, date] = {}


def _decimal(text: str) -> Decimal:
    """Decimal(text), remembered: remittances repeat the same few amounts thousands of times."""
    value = _DECIMALS.get(text)
    if value is None:
        value = Decimal(text)
        if len(_DECIMALS) < 100_000:
            _DECIMALS[text] = value
    return value


def _d8(text: str, what: str) -> date:
    value = _DATES.get(text)
    if value is None:
        value = parse_d8(text, what)
        if len(_DATES) < 100_000:
            _DATES[text] = value
    return value


def _service(
    svc: list[str],
    component: str,
    service_date: date | None,
    ref: str | None,
    adjustments: list[Adjustment],
    remarks: list[str],
    allowed: Decimal | None,
) -> ServicePayment:
    composite = svc[1].split(component)
    units = svc[5] if len(svc) > 5 and svc[5] else "1"
    return ServicePayment(
        composite[1],
        _decimal(svc[2]),
        _decimal(svc[3]),
        _decimal(units),
        tuple(composite[2:]),
        service_date,
        ref,
        tuple(adjustments),
        tuple(remarks),
        allowed,
    )


def _claim(clp: list[str], nm1: list[str], adjustments: list[Adjustment], lines: list[ServicePayment]) -> ClaimPayment:
    n = len(clp)
    return ClaimPayment(
        clp[1],
        clp[2],
        _decimal(clp[3]),
        _decimal(clp[4]),
        _decimal(clp[5] if n > 5 and clp[5] else "0"),
        clp[6] if n > 6 else "",
        clp[7] if n > 7 and clp[7] else None,
        clp[8] if n > 8 and clp[8] else None,
        clp[9] if n > 9 and clp[9] else None,
        el(nm1, 3),
        el(nm1, 4),
        el(nm1, 9) or None,
        tuple(adjustments),
        tuple(lines),
    )


def _adjustments(cas: list[str]) -> list[Adjustment]:
    if len(cas) <= 5:  # the usual case: one reason
        quantity = cas[4] if len(cas) == 5 and cas[4] else None
        return [Adjustment(cas[1], cas[2], _decimal(cas[3]), _decimal(quantity) if quantity else None)]
    group, found = cas[1], []
    for i in range(2, len(cas), 3):
        if cas[i]:
            quantity = el(cas, i + 2)
            found.append(Adjustment(group, cas[i], _decimal(cas[i + 1]), _decimal(quantity) if quantity else None))
    return found


def _provider_adjustments(plb: list[str], component: str) -> list[ProviderAdjustment]:
    provider, when, found = plb[1], parse_d8(el(plb, 2), "PLB02"), []
    for i in range(3, len(plb) - 1, 2):
        if plb[i]:
            reason, _, reference = plb[i].partition(component)
            found.append(ProviderAdjustment(provider, when, reason, _decimal(plb[i + 1]), reference or None))
    return found
