"""The parts of an 835 claim payment, gathered segment by segment while a file streams past:
CLP and its 2100 segments, SVC and its 2110 segments, CAS and PLB adjustments, amounts and dates.

This is the hot path of a nightly file (tens of thousands of claim payments), so it works on the
plain element lists with each segment's position beside them; repeated amounts and dates are
parsed once. Every error names the element (CLP03, SVC01 ...) and the position of its segment.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from models.errors import X12ParseError
from tasks.x12.envelope import Segment
from tasks.x12.remit835_model import Adjustment, ClaimPayment, ProviderAdjustment, ServicePayment
from tasks.x12.values import Period, parse_amount, parse_d8, parse_period

T = TypeVar("T")
_NONE: Segment = ["--"]  # stands in for an absent optional segment


class LineParts:
    """2110: SVC, its dates (DTM*472, or DTM*150/151 for a range), CAS, REF*6R, AMT*B6 and LQ*HE."""

    __slots__ = ("svc", "number", "adjustments", "remarks", "dates", "control", "allowed")

    def __init__(self, svc: Segment, number: int) -> None:
        self.svc, self.number = svc, number
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []
        self.dates: dict[str, Period] = {}
        self.control: str | None = None
        self.allowed: Decimal | None = None

    def add(self, e: Segment, number: int) -> None:
        """Keep what this segment of the line says (segments the reader does not use are passed over)."""
        tag, qualifier = e[0], e[1] if len(e) > 1 else ""
        if tag == "CAS":
            self.adjustments += adjustments(e, number)
        elif tag == "DTM":
            self.dates.setdefault(qualifier, _dtm(e, number))
        elif tag == "REF" and qualifier == "6R":
            self.control = _at(e, 2)
        elif tag == "AMT" and qualifier == "B6":
            self.allowed = amount(e, 2, number)
        elif tag == "LQ" and qualifier == "HE":
            self.remarks.append(_at(e, 2))

    def service(self, component: str) -> ServicePayment:
        """The line as paid."""
        svc, number = self.svc, self.number
        procedure = _at(svc, 1).split(component)
        if len(procedure) < 2 or not procedure[1]:
            raise X12ParseError("SVC01 has no procedure code (qualifier:code:modifiers)", segment=number)
        dates = self.dates
        start, end = _range(dates, "150", "151") if "150" in dates else _range(dates, "472", "472")
        return ServicePayment(
            procedure[1],
            amount(svc, 2, number),
            amount(svc, 3, number),
            amount(svc, 5, number) if _at(svc, 5) else Decimal(1),
            tuple(m for m in procedure[2:6] if m),
            start,
            self.control,
            tuple(self.adjustments),
            tuple(self.remarks),
            self.allowed,
            end,
        )


class ClaimParts:
    """2100: CLP, its CAS, the patient's NM1*QC, the MOA remarks, the statement dates (DTM*232/233), and its
    lines."""

    __slots__ = ("clp", "number", "patient", "adjustments", "dates", "lines", "remarks")

    def __init__(self, clp: Segment, number: int) -> None:
        self.clp, self.number, self.patient = clp, number, _NONE
        self.adjustments: list[Adjustment] = []
        self.dates: dict[str, Period] = {}
        self.lines: list[LineParts] = []
        self.remarks: list[str] = []

    def add(self, e: Segment, number: int) -> None:
        """Keep what this segment of the claim says (segments the reader does not use are passed over)."""
        tag = e[0]
        if tag == "CAS":
            self.adjustments += adjustments(e, number)
        elif tag == "NM1" and _at(e, 1) == "QC":
            self.patient = e
        elif tag == "DTM":
            self.dates.setdefault(_at(e, 1), _dtm(e, number))
        elif tag == "MOA":
            self.remarks += [code for code in e[3:8] if code]

    def payment(self, component: str) -> ClaimPayment:
        """The claim as adjudicated."""
        number = self.number
        start, end = _range(self.dates, "232", "233")
        c, p = _padded(self.clp, 9), _padded(self.patient, 9)
        if not c[1]:
            raise X12ParseError("CLP01 is missing", segment=number)
        return ClaimPayment(
            c[1],
            c[2],
            amount(c, 3, number),
            amount(c, 4, number),
            amount(c, 5, number) if c[5] else Decimal(0),
            c[6],
            c[7] or None,
            c[8] or None,
            c[9] or None,
            p[3],
            p[4],
            p[9] or None,
            tuple(self.adjustments),
            tuple(line.service(component) for line in self.lines),
            start,
            end,
            tuple(self.remarks),
        )


def _range(dates: dict[str, Period], start: str, end: str) -> tuple[date | None, date | None]:
    """The first date of DTM*start and the last of DTM*end (or of DTM*start when it is a range)."""
    first = dates.get(start)
    if first is None:
        return None, None
    last = dates.get(end) if end != start else None
    if last is None:
        return first.start, first.end
    return first.start, last.end or last.start


def _dtm(e: Segment, number: int) -> Period:
    """DTM02 (CCYYMMDD), or DTM05/DTM06 when the sender gives a format qualifier and a range."""
    if _at(e, 5) and _at(e, 6):
        return _parsed({}, e, 6, number, lambda text, what: parse_period(e[5], text, what))
    value = _DATES.get(_at(e, 2))
    return value if value is not None else _parsed(_DATES, e, 2, number, _single_date)


def _single_date(text: str, what: str) -> Period:
    return Period(parse_d8(text, what))


def adjustments(e: Segment, number: int) -> list[Adjustment]:
    """CAS: a group and up to six reason, amount, quantity triplets."""
    if len(e) == 4 and e[1] and e[2]:  # the usual CAS: one reason, no quantity
        return [Adjustment(e[1], e[2], amount(e, 3, number))]
    if not _at(e, 1):
        raise X12ParseError("CAS01 is missing", segment=number)
    padded, found = _padded(e, len(e) + 2), []
    for i in range(2, len(e), 3):
        if padded[i]:
            quantity = amount(padded, i + 2, number) if padded[i + 2] else None
            found.append(Adjustment(e[1], padded[i], amount(padded, i + 1, number), quantity))
    return found


def provider_adjustments(e: Segment, number: int, component: str) -> list[ProviderAdjustment]:
    """PLB: the provider, fiscal date and up to six reason:reference, amount pairs."""
    if not _at(e, 1):
        raise X12ParseError("PLB01 is missing", segment=number)
    when, found = _parsed({}, e, 2, number, parse_d8), []
    for i in range(3, len(e), 2):
        if e[i]:
            reason, *reference = e[i].split(component)
            ref = (reference[0] or None) if reference else None
            found.append(ProviderAdjustment(e[1], when, reason, amount(e, i + 1, number), ref))
    return found


def _at(e: Segment, index: int) -> str:
    return e[index] if index < len(e) else ""


def _padded(e: Segment, last: int) -> Segment:
    """The elements, with empty ones up to index `last` (for fast plain indexing)."""
    return e if len(e) > last else e + [""] * (last + 1 - len(e))


_DECIMALS: dict[str, Decimal] = {}
_DATES: dict[str, Period] = {}


def amount(e: Segment, index: int, number: int) -> Decimal:
    """A required amount, remembered: remittances repeat the same few amounts thousands of times."""
    if index < len(e):
        value = _DECIMALS.get(e[index])
        if value is not None:
            return value
    return _parsed(_DECIMALS, e, index, number, parse_amount)


def _parsed(cache: dict[str, T], e: Segment, index: int, number: int, parse: Callable[[str, str], T]) -> T:
    """Element `index` parsed and remembered; errors name the element at its segment's position."""
    text, what = _at(e, index), f"{e[0]}{index:02d}"
    if not text:
        raise X12ParseError(f"{what} is missing", segment=number)
    try:
        value = parse(text, what)
    except X12ParseError as exc:
        raise X12ParseError(exc.reason, segment=number) from None
    if len(cache) < 100_000:
        cache[text] = value
    return value
