"""How a sandbox payer takes a claim billed to it as secondary or tertiary.

At the door (277CA): every payer before it must be there with its adjudication, line by line (2430),
exactly as that payer (also the sandbox) paid it, and the claim must balance; else A7 (invalid: it
does not match what the prior payer paid) or A8 (relational: it does not balance).

In payment (835): per line, it pays what its allowed amount leaves after every prior payment, at most
what the last payer left the patient: Medicaid's lesser-of is this rule, and Medicaid writes off the
rest (CO-45; a dual eligible is never billed). Another payer leaves the patient what it did not pay,
under the reasons the last payer gave. OA-23 carries the prior payers' impact.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from tasks.clearinghouse.roster import RosterPayer
from tasks.clearinghouse.sandbox.stored import Adjudicated
from tasks.x12 import claim837_model as x
from tasks.x12 import remit835_model as r
from tasks.x12.cob_balance import other_payer_imbalances

ZERO = Decimal("0")
SEQUENCES = "PST"
MISMATCH, UNBALANCED = ("A7", "21", "PR"), ("A8", "21", "PR")


def after_others(claim: x.Claim) -> bool:
    """True for a claim billed to this payer as secondary or tertiary."""
    return claim.subscriber.responsibility in ("S", "T")


def priors(claim: x.Claim) -> list[x.OtherPayer]:
    """The payers before this one, with their adjudication, in payer order."""
    return [o for o in claim.other_payers if o.adjudicated]


def door(claim: x.Claim, known: Mapping[str, Adjudicated]) -> tuple[str, str, str] | None:
    """The 277CA rejection of a secondary or tertiary claim whose prior payers' data is wrong, or None."""
    if not after_others(claim):
        return None
    before = priors(claim)
    if len(before) < SEQUENCES.index(claim.subscriber.responsibility):
        return MISMATCH
    if other_payer_imbalances(claim):
        return UNBALANCED
    for other in before:
        stored = known.get(other.claim_number or "")
        if stored is None or stored.payer_id != other.payer.payer_id or not _repeats(claim, other, stored.payment):
            return MISMATCH
    return None


def _cas(adjustments: tuple[r.Adjustment, ...]) -> list[tuple[str, str, Decimal]]:
    return [(a.group, a.reason, a.amount) for a in adjustments]


def _repeats(claim: x.Claim, other: x.OtherPayer, paid: r.ClaimPayment) -> bool:
    """True when the claim repeats the prior payer's 835 exactly: amounts, adjustments, line by line."""
    said = [(c.group, c.reason, c.amount) for c in other.adjustments]
    if other.paid != paid.paid or said != _cas(paid.adjustments):
        return False
    lines = [next((a for a in line.adjudications if a.payer_id == other.payer.payer_id), None) for line in claim.lines]
    if len(lines) != len(paid.lines) or any(a is None for a in lines):
        return False
    for adjudication, line in zip(lines, paid.lines, strict=True):
        assert adjudication is not None
        repeated = [(c.group, c.reason, c.amount) for c in adjudication.adjustments]
        if (adjudication.paid, adjudication.procedure_code) != (line.paid, line.procedure_code):
            return False
        if repeated != _cas(line.adjustments):
            return False
    return True


def filed_from(claim: x.Claim) -> date:
    """The day this payer's filing limit counts from: the prior payer's adjudication (2430 / 2330B DTP*573),
    or the date of service for a primary claim."""
    days = [a.adjudicated_on for line in claim.lines for a in line.adjudications]
    days += [o.adjudicated_on for o in priors(claim) if o.adjudicated_on is not None]
    return max(days) if after_others(claim) and days else claim.lines[0].service_date


def pay_after_others(
    claim: x.Claim, payer: RosterPayer
) -> list[tuple[x.ServiceLine, Decimal, tuple[r.Adjustment, ...]]]:
    """Each line with what this payer pays on it and its adjustments (OA-23 first)."""
    last = priors(claim)[-1].payer.payer_id
    paid_lines = []
    for line in claim.lines:
        prior_paid = sum((a.paid for a in line.adjudications), ZERO)
        left = [c for a in line.adjudications if a.payer_id == last for c in a.adjustments if c.group == "PR"]
        owed = sum((c.amount for c in left), ZERO)
        allowed = min(payer.allowed_amounts.get(line.procedure_code, ZERO), line.charge)
        pays = max(ZERO, min(allowed - prior_paid, owed))
        adjustments = [r.Adjustment("OA", "23", line.charge - owed)] if line.charge - owed else []
        if payer.kind == "medicaid":
            adjustments += [r.Adjustment("CO", "45", owed - pays)] if owed - pays else []
        else:
            adjustments += _still_owed(left, pays)
        paid_lines.append((line, pays, tuple(adjustments)))
    return paid_lines


def _still_owed(left: list[x.Cas], pays: Decimal) -> list[r.Adjustment]:
    """The patient's share after this payer's payment, under the reasons the last payer gave."""
    found = []
    for c in left:
        covered = min(pays, c.amount)
        pays -= covered
        if c.amount - covered:
            found.append(r.Adjustment("PR", c.reason, c.amount - covered))
    return found
