"""The billing report's formulas, pure: each metric is computed from plain rows and carries the
formula it used, so the printed report says how every number was made."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
AR_BUCKETS = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, 10**6, "90+"))


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the report needs of one claim (no patient data)."""

    claim_id: int
    status: str
    charge: Decimal
    submitted_on: date | None  # first time it reached the clearinghouse
    rejected_before_payer: bool  # 999 / 277CA / refused file, ever
    first_adjudication: str | None  # status of its first 835 posting: paid / partially_paid / denied
    paid: Decimal = ZERO
    allowed: Decimal = ZERO
    patient_responsibility: Decimal = ZERO
    paid_on: date | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    """One number, how it was made, and its inputs."""

    name: str
    value: str
    formula: str


@dataclass
class Report:
    """Every metric, plus counted breakdowns."""

    metrics: list[Metric] = field(default_factory=list)
    denials_by_queue: Counter[str] = field(default_factory=Counter)
    denials_by_carc: Counter[str] = field(default_factory=Counter)
    holds_by_rule: Counter[str] = field(default_factory=Counter)
    ar_buckets: dict[str, int] = field(default_factory=dict)


def rate(part: int, whole: int) -> str:
    """A percentage with one decimal, or n/a for nothing to divide."""
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def first_pass(claims: list[ClaimFacts]) -> list[Metric]:
    """Clearinghouse first-pass acceptance and payer first-pass payment rate."""
    sent = [c for c in claims if c.submitted_on is not None]
    clean = [c for c in sent if not c.rejected_before_payer]
    adjudicated = [c for c in sent if c.first_adjudication is not None]
    paid_first = [c for c in adjudicated if c.first_adjudication in ("paid", "partially_paid")]
    denied = [c for c in adjudicated if c.status == "denied"]
    return [
        Metric(
            "clearinghouse first-pass acceptance",
            rate(len(clean), len(sent)),
            f"claims never rejected by 999/277CA ({len(clean)}) / claims submitted ({len(sent)})",
        ),
        Metric(
            "payer first-pass payment rate",
            rate(len(paid_first), len(adjudicated)),
            f"claims paid on their first 835 ({len(paid_first)}) / claims adjudicated ({len(adjudicated)})",
        ),
        Metric(
            "denial rate",
            rate(len(denied), len(adjudicated)),
            f"claims denied ({len(denied)}) / claims adjudicated ({len(adjudicated)})",
        ),
    ]


def money(claims: list[ClaimFacts]) -> list[Metric]:
    """Billed, allowed, paid and patient responsibility over adjudicated claims."""
    billed = sum((c.charge for c in claims if c.submitted_on), ZERO)
    allowed = sum((c.allowed for c in claims), ZERO)
    paid = sum((c.paid for c in claims), ZERO)
    patient = sum((c.patient_responsibility for c in claims), ZERO)
    return [
        Metric("billed", f"{billed:.2f}", "sum of total charge of submitted claims"),
        Metric("allowed", f"{allowed:.2f}", "sum over 835 claim payments of paid + patient responsibility"),
        Metric("paid", f"{paid:.2f}", "sum of CLP04 posted"),
        Metric(
            "patient responsibility",
            f"{patient:.2f}",
            "sum of CLP05 posted by every payer (see after all payers for what to bill the patient)",
        ),
        Metric("collection rate", rate(int(paid * 100), int(allowed * 100)), "paid / allowed"),
    ]


def past_turnaround(charges: list[Decimal]) -> list[Metric]:
    """Sent claims still with their payer past its turnaround (claims gone quiet), and their charges."""
    return [
        Metric(
            "claims past turnaround",
            str(len(charges)),
            "claims submitted or accepted with no 277CA after the payer profile's ack_within_days, or no 835 after "
            "its paid_within_days, as of today (`groupbill claims quiet` lists them)",
        ),
        Metric(
            "charges past turnaround", f"{sum(charges, ZERO):.2f}", "sum of total charge of the claims past turnaround"
        ),
    ]


def days_in_ar(claims: list[ClaimFacts], today: date) -> tuple[Metric, dict[str, int]]:
    """Average days from submission to payment (or to today while open), and open claims by age bucket."""
    ages = [max(((c.paid_on or today) - c.submitted_on).days, 0) for c in claims if c.submitted_on is not None]
    open_ages = [
        (today - c.submitted_on).days
        for c in claims
        if c.submitted_on is not None
        and c.paid_on is None
        and c.status in ("submitted", "accepted", "partially_paid", "denied")
    ]
    buckets = {label: sum(1 for a in open_ages if low <= a <= high) for low, high, label in AR_BUCKETS}
    average = f"{sum(ages) / len(ages):.1f}" if ages else "n/a"
    return Metric(
        "days in A/R (average)",
        average,
        f"mean over submitted claims of (paid date, or today if unpaid) - submission date ({len(ages)} claims)",
    ), buckets


def authorization_burn(authorized: int, reserved: int, consumed: int) -> Metric:
    """How much of the authorized units are spoken for."""
    return Metric(
        "authorization burn",
        rate(reserved + consumed, authorized),
        f"(reserved {reserved} + consumed {consumed}) / authorized {authorized}, from the ledger",
    )
