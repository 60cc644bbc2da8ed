"""The 835s the sandbox's payers send for one interchange's claims, and when.

Each payer's claims go out two polls after the claim file, in one 835 per payer (and payment date).
What real payers also do is played from the roster: a payer with a crossover agreement forwards a
processed claim that left the patient a share to the next payer itself (CLP02 19, MA18), whose own
835 follows a poll later; a member's remittance habit may leave the contractual write-off out
(unbalanced), date the remittance 100 days back (late), take the payment back a poll later
(reversed), or reverse it and say it was forwarded, with the next payer's 835 still weeks away
(reprocessed_as_crossover).
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from tasks.clearinghouse.roster import NO_REMITTANCE, Member, Roster, RosterPayer
from tasks.clearinghouse.sandbox.adjudicate import History, adjudicate
from tasks.clearinghouse.sandbox.stored import Adjudicated
from tasks.x12 import claim837_model as x
from tasks.x12 import remit835_model as r

FIRST_835, LATER_835 = 2, 3  # polls after the claim file
LATE_DAYS = 100
Due = tuple[int, str, date]  # (poll offset, payer, payment date)


@dataclass
class RemitBook:
    """The claim payments each payer will send, grouped by when and under which payment date."""

    roster: Roster
    history: History
    today: date
    due: dict[Due, list[r.ClaimPayment]] = field(default_factory=lambda: defaultdict(list))
    stored: list[Adjudicated] = field(default_factory=list)

    def add(self, claim: x.Claim, payment: r.ClaimPayment, payer: RosterPayer) -> None:
        """Send one adjudicated claim as the payer would, crossovers and remittance habits included."""
        member = payer.member(claim.subscriber.member_id)
        habit = member.remittance if member else "as_adjudicated"
        if habit != "reprocessed_as_crossover" and self._forwards(claim, payment, payer, member):
            payment = forwarded(payment)
        if habit == "unbalanced":
            payment = _without_write_off(payment)
        paid_on = self.today - timedelta(days=LATE_DAYS) if habit == "late" else self.today
        if habit in NO_REMITTANCE:  # adjudicated and remembered (a 276 answers from it), never remitted
            self._remember((FIRST_835, payer.x12_payer_id, paid_on), payment)
            return
        self._send((FIRST_835, payer.x12_payer_id, paid_on), payment)
        if habit == "reversed":
            self.due[(LATER_835, payer.x12_payer_id, self.today)].append(reversal(payment))
        elif habit == "reprocessed_as_crossover":
            self.due[(LATER_835, payer.x12_payer_id, self.today)].append(reversal(payment))
            self._send((LATER_835, payer.x12_payer_id, self.today), forwarded(payment))

    def _send(self, due: Due, payment: r.ClaimPayment) -> None:
        self.due[due].append(payment)
        self._remember(due, payment)

    def _remember(self, due: Due, payment: r.ClaimPayment) -> None:
        stored = Adjudicated(due[1], due[2], payment)
        self.stored.append(stored)
        self.history.claims[payment.payer_claim_number or ""] = stored

    def _forwards(self, claim: x.Claim, payment: r.ClaimPayment, payer: RosterPayer, member: Member | None) -> bool:
        """Forward the claim to the next payer itself (and queue that payer's 835): True when it did."""
        nxt = member.next_payer if member else None
        if nxt is None or payment.status_code != "1" or payment.patient_responsibility <= 0:
            return False
        target = self.roster.payer(nxt.payer_id)
        if target is None or target.member(nxt.member_id) is None:
            return False
        if not self.roster.forwards(payer.x12_payer_id, nxt.payer_id):
            return False
        sent = forwarded(payment)  # the caller sends it; the next payer adjudicates against it now
        self.history.claims[sent.payer_claim_number or ""] = Adjudicated(payer.x12_payer_id, self.today, sent)
        crossed = crossover_claim(claim, sent, target, nxt.member_id, self.today)
        decision = adjudicate(crossed, target, self.history, self.today, forwarded=True)
        if decision.payment is not None:
            self._send((LATER_835, target.x12_payer_id, self.today), decision.payment)
        return True


def forwarded(payment: r.ClaimPayment) -> r.ClaimPayment:
    """The payment as processed and forwarded to the next payer (CLP02 19 with MA18)."""
    return replace(payment, status_code="19", remarks=(*payment.remarks, "MA18"))


def reversal(payment: r.ClaimPayment) -> r.ClaimPayment:
    """The payer taking a payment back: CLP02 22 with every amount negated."""

    def neg(adjustments: tuple[r.Adjustment, ...]) -> tuple[r.Adjustment, ...]:
        return tuple(replace(a, amount=-a.amount) for a in adjustments)

    lines = tuple(replace(s, charge=-s.charge, paid=-s.paid, adjustments=neg(s.adjustments)) for s in payment.lines)
    return replace(
        payment,
        status_code="22",
        charge=-payment.charge,
        paid=-payment.paid,
        patient_responsibility=-payment.patient_responsibility,
        adjustments=neg(payment.adjustments),
        lines=lines,
        remarks=(),
    )


def _without_write_off(payment: r.ClaimPayment) -> r.ClaimPayment:
    lines = tuple(
        replace(s, adjustments=tuple(a for a in s.adjustments if (a.group, a.reason) != ("CO", "45")))
        for s in payment.lines
    )
    return replace(payment, lines=lines)


def crossover_claim(claim: x.Claim, paid: r.ClaimPayment, target: RosterPayer, member_id: str, on: date) -> x.Claim:
    """The claim as the primary payer forwards it: billed to `target` as secondary, with its adjudication."""
    prior = claim.subscriber.payer
    other = x.OtherPayer(
        "P",
        "18",
        claim.subscriber.filing_indicator,
        claim.subscriber.person,
        claim.subscriber.member_id,
        prior,
        adjustments=tuple(x.Cas(a.group, a.reason, a.amount) for a in paid.adjustments),
        paid=paid.paid,
        remaining_liability=None if paid.lines else paid.patient_responsibility,  # else per line, in 2430
        remarks=paid.remarks,
        claim_number=paid.payer_claim_number,
    )
    lines = tuple(
        replace(line, adjudications=(_adjudication(prior.payer_id, svc, on),))
        for line, svc in zip(claim.lines, paid.lines, strict=True)
    )
    filing = {"medicaid": "MC", "medicare": "MB"}.get(target.kind, "CI")
    subscriber = x.Subscriber(
        member_id, claim.subscriber.person, x.Payer(target.name.upper(), target.x12_payer_id), filing, None, "S"
    )
    return replace(claim, subscriber=subscriber, other_payers=(other,), lines=lines)


def _adjudication(payer_id: str, svc: r.ServicePayment, on: date) -> x.LineAdjudication:
    cas = tuple(x.Cas(a.group, a.reason, a.amount) for a in svc.adjustments)
    units = Decimal(svc.units)
    return x.LineAdjudication(
        payer_id, svc.paid, svc.procedure_code, units, on, svc.modifiers, cas, x.patient_share(cas)
    )
