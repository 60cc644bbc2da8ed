"""The balancing every secondary payer checks on an 837P that carries a prior payer's adjudication.

Per prior payer: each line's charge (SV102) = its SVD02 + its line CAS; the claim's charge (CLM02) =
AMT*D + the claim-level CAS + every line CAS; and the SVD02 of the lines add up to AMT*D. A claim
that does not balance is refused by the payer (277CA A7/A8).
"""

from decimal import Decimal

from tasks.x12.claim837_model import Claim, OtherPayer

ZERO = Decimal("0")


def other_payer_imbalances(claim: Claim) -> list[str]:
    """Where the prior payers' adjudication on `claim` does not balance (empty: it does)."""
    return [problem for other in claim.other_payers if other.adjudicated for problem in _payer(claim, other)]


def _payer(claim: Claim, other: OtherPayer) -> list[str]:
    payer_id, name = other.payer.payer_id, other.payer.name or other.payer.payer_id
    paid = other.paid if other.paid is not None else ZERO
    problems: list[str] = []
    line_adjusted = line_paid = ZERO
    adjudicated_lines = 0
    for number, line in enumerate(claim.lines, start=1):
        mine = [a for a in line.adjudications if a.payer_id == payer_id]
        if not mine:
            continue
        adjudicated_lines += 1
        paid_here = sum((a.paid for a in mine), ZERO)
        adjusted_here = sum((c.amount for a in mine for c in a.adjustments), ZERO)
        if line.charge != paid_here + adjusted_here:
            problems.append(
                f"line {number}: charge {line.charge:.2f} is not {name}'s paid {paid_here:.2f} "
                f"plus its adjustments {adjusted_here:.2f}"
            )
        line_paid += paid_here
        line_adjusted += adjusted_here
    claim_adjusted = sum((c.amount for c in other.adjustments), ZERO)
    if claim.charge != paid + claim_adjusted + line_adjusted:
        problems.append(
            f"charge {claim.charge:.2f} is not {name}'s paid {paid:.2f} plus its claim adjustments "
            f"{claim_adjusted:.2f} and line adjustments {line_adjusted:.2f}"
        )
    if adjudicated_lines and line_paid != paid:
        problems.append(f"{name}'s line payments add up to {line_paid:.2f}, not its paid amount {paid:.2f}")
    return problems
