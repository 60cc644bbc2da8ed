"""What a prior payer did with a service, as its 835 said it (pure value objects).

A claim payment stands until a reversal (CLP02 22) takes it back; the standing one of each prior
payer's claim is what the next payer's 837P repeats and what its rules check.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from models.enums import PayerSequence
from tasks.cob.order import crossed_over
from tasks.x12.claim837_model import Cas

REVERSAL = "22"  # CLP02: a reversal of an earlier adjudication


@dataclass(frozen=True, slots=True)
class PriorLine:
    """One service line as the prior payer adjudicated it (SVC), matched to our line by REF*6R."""

    line_number: int | None  # our line it adjudicated (None: a line we never sent)
    procedure_code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal
    adjustments: tuple[Cas, ...] = ()
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PriorAdjudication:
    """A prior payer's standing adjudication of the service (its claim's latest 835 not reversed)."""

    sequence: PayerSequence
    claim_id: int
    coverage_id: int
    payer_id: int
    status_code: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    payer_claim_number: str | None
    adjudicated_on: date | None  # the remittance's date (BPR16)
    adjustments: tuple[Cas, ...] = ()  # claim-level CAS
    remarks: tuple[str, ...] = ()  # MOA
    lines: tuple[PriorLine, ...] = ()

    @property
    def crossed_over(self) -> bool:
        """True when this payer forwarded the claim to the next payer itself."""
        return crossed_over(self.status_code, self.remarks + tuple(m for line in self.lines for m in line.remarks))

    @property
    def denied_for_order(self) -> bool:
        """True when this payer said another payer pays first (CARC 22)."""
        return any(a.reason == "22" and a.amount > 0 for a in self.all_adjustments())

    def all_adjustments(self) -> list[Cas]:
        """Its claim-level and line-level adjustments."""
        return list(self.adjustments) + [a for line in self.lines for a in line.adjustments]


@dataclass(frozen=True, slots=True)
class Dispute:
    """A payer that denied a claim of the patient with CARC 22, and the payer order that claim was billed in."""

    claim_id: int
    payer_id: int
    sequence: PayerSequence
    service_date: date
    coverage_order: tuple[int, ...]


class _Posted(Protocol):
    @property
    def status_code(self) -> str: ...


P = TypeVar("P", bound=_Posted)


def standing(payments: Sequence[P]) -> P | None:
    """The payment that stands after a claim's 835s in posting order: a reversal takes back the one before."""
    stack: list[P] = []
    for payment in payments:
        if payment.status_code == REVERSAL:
            if stack:
                stack.pop()
        else:
            stack.append(payment)
    return stack[-1] if stack else None
