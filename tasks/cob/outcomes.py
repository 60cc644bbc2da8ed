"""What coordination of benefits came to, service by service (pure): for each payer after the first in a
service's payer order, whether the prior payer forwarded the claim itself (crossed over), groupbill
billed the next payer, nothing was left to bill, or the prior payer disputed the order (CARC 22); the
money the second and third payers paid; and what the patient owes once every payer has answered."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from models.enums import PayerSequence
from tasks.cob.order import CROSSOVER_STATUSES, PROCESSED

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Answer:
    """A claim's standing 835 (after reversals)."""

    status_code: str
    paid: Decimal
    patient_responsibility: Decimal
    crossed_over: bool = False
    denied_for_order: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """One claim of a service: the payer it bills, whether it was sent or forwarded, and its answer."""

    sequence: PayerSequence
    charge: Decimal
    sent: bool
    crossover: bool
    answer: Answer | None


@dataclass(frozen=True, slots=True)
class Service:
    """One attendance's claims, how many payers its order has on the date of service, and whether one is
    Medicaid (a Medicaid member is never billed what the payers left: it is written off)."""

    payers: int
    links: list[Link]
    medicaid: bool = False


@dataclass
class Outcomes:
    """Counts by outcome and the money of the second and third payers."""

    crossed_over: int = 0
    billed: int = 0
    nothing_left: int = 0
    order_disputed: int = 0
    waiting: int = 0  # a payer before the last has not answered: held, not sent yet, or its answer taken back
    next_payers_billed: Decimal = ZERO  # charges of the secondary and tertiary claims groupbill sent
    recovered: Decimal = ZERO  # what the secondary and tertiary payers paid (crossovers too)
    crossover_paid: Decimal = ZERO
    patient_after_all: Decimal = ZERO  # what the last payer left, services whose payers all answered
    written_off: Decimal = ZERO  # what the payers left a Medicaid member (never billed to the patient)
    services_settled: int = 0


def tally(services: Iterable[Service]) -> Outcomes:
    """Outcomes over services."""
    found = Outcomes()
    for service in services:
        links = service.links
        for link in links:
            if link.sequence is PayerSequence.PRIMARY or link.answer is None:
                continue
            found.recovered += link.answer.paid
            found.crossover_paid += link.answer.paid if link.crossover else ZERO
        found.next_payers_billed += sum(
            (x.charge for x in links if x.sent and x.sequence is not PayerSequence.PRIMARY), ZERO
        )
        settled = _walk(service.payers, links, found)
        if settled is not None:
            found.services_settled += 1
            if service.medicaid:
                found.written_off += settled
            else:
                found.patient_after_all += settled
    return found


def _walk(payers: int, links: list[Link], found: Outcomes) -> Decimal | None:
    """Count each payer-to-payer step of one service; what the patient owes once every payer answered."""
    for rank in range(payers):
        here = [x for x in links if x.sequence.rank == rank]
        if any(x.answer and x.answer.denied_for_order for x in here):
            found.order_disputed += 1
            return None
        answer = next((x.answer for x in reversed(here) if x.answer is not None), None)
        if answer is None:  # not answered (or taken back); a next payer's claim was counted as billed already
            found.waiting += rank == 0 and payers > 1
            return None
        if rank == payers - 1:
            return answer.patient_responsibility
        if answer.crossed_over:
            found.crossed_over += 1
        elif answer.patient_responsibility <= 0 and answer.status_code in PROCESSED | CROSSOVER_STATUSES:
            found.nothing_left += 1
            return answer.patient_responsibility
        elif any(x.sequence.rank == rank + 1 for x in links):
            found.billed += 1
        else:
            found.waiting += 1
            return None
    return None
