"""A run's summary for the billing lead: counts and money from the run's own counts, holds by rule and
open work queues from the database, and the previous run of the same flow to compare with.

Counts and money only (Prefect shows the summary): rule IDs, queue names and record counts, never a
claim's message (it may name an authorization or a member)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from config.reference_data import RuleFixes
from models.claims import Claim, Finding
from models.enums import ClaimStatus, Severity
from models.exchange import WorkItem
from models.ops import RunReport

Line = tuple[str, str, tuple[str, ...], tuple[str, ...]]  # key, label, count keys, cents keys

# what a daily or collection run moved, in a billing lead's words
LINES: list[Line] = [
    ("drafted", "new claims drafted", ("drafted",), ("drafted_cents",)),
    (
        "sent",
        "sent to the clearinghouse",
        ("claims_sent", "claims_already_received"),
        ("claims_sent_cents", "claims_already_received_cents"),
    ),
    ("held", "held for a fix", ("on_hold",), ("on_hold_cents",)),
    ("refused", "refused by the clearinghouse", ("claims_refused",), ("claims_refused_cents",)),
    ("accepted", "accepted by payers (277CA)", ("reports_accepted",), ()),
    ("rejected", "rejected (999 / 277CA)", ("reports_rejected",), ()),
    ("paid", "paid (835)", ("reports_status_paid", "reports_status_partially_paid"), ("reports_paid_cents",)),
    ("denied", "denied (835)", ("reports_status_denied",), ("reports_denied_cents",)),
    (
        "past_turnaround",
        "past their payer's turnaround, no 277CA or 835 yet (`groupbill claims quiet`)",
        ("past_turnaround",),
        ("past_turnaround_cents",),
    ),
]


# what an eligibility run found, per coverage and date asked about
ELIGIBILITY_LINES: list[Line] = [
    ("coverages", "coverages to verify", ("coverages",), ()),
    ("checked", "asked the payer (270/271)", ("checked",), ()),
    ("reused", "answered by a check still fresh", ("reused",), ()),
    ("active", "active", ("active",), ()),
    ("inactive", "inactive: confirm the plan, or bill another coverage or the patient", ("inactive",), ()),
    ("rejected", "rejected by the payer: correct member ID, name or birth date", ("rejected",), ()),
    ("unknown", "no clear answer: check again, or call the payer", ("unknown",), ()),
]


# what a claim status follow-up found and did, per claim
CLAIM_STATUS_LINES: list[Line] = [
    ("quiet", "sent claims past their payer's turnaround", ("quiet",), ("quiet_cents",)),
    ("asked", "asked about now (276)", ("asked_real_time", "asked_by_mailbox"), ()),
    ("mailbox", "of them left in a mailbox: answered by the next collection", ("asked_by_mailbox",), ()),
    (
        "accepted",
        "the payer has it (accepted, pended, forwarded): wait",
        ("answer_accepted", "answer_pended", "answer_forwarded"),
        (),
    ),
    ("awaiting_era", "paid, the 835 still within its grace period: wait", ("answer_awaiting_era",), ()),
    ("missing_claim", "rejected or not found: check, then resend (MISSING_CLAIM)", ("answer_missing_claim",), ()),
    ("missing_era", "paid, but no 835 came: ask for it (MISSING_ERA)", ("answer_missing_era",), ()),
    ("denied", "denied: filed under the denial's queue", ("answer_denied",), ()),
    ("requested_info", "the payer wants information (REQUESTED_INFO)", ("answer_requested_info",), ()),
    (
        "review",
        "no usable answer: a person looks (REVIEW), or asked again next time",
        ("answer_review", "answer_retry"),
        (),
    ),
]


@dataclass(frozen=True, slots=True)
class HoldRow:
    """Claims on hold for one rule: what it means, what fixes it, how many, how much."""

    rule_id: str
    meaning: str
    fix: str
    claims: int
    cents: int


@dataclass
class RunSummary:
    """Everything the summary artifact shows."""

    title: str
    run_name: str
    practice_date: date
    lines: dict[str, tuple[int, int | None]]
    spec: list[Line] = field(default_factory=lambda: LINES)
    unit: str = "claims"
    holds: list[HoldRow] | None = field(default_factory=list)  # None: not part of this summary
    queues: dict[str, int] | None = field(default_factory=dict)
    previous: RunReport | None = None


COLLECTED = {"accepted", "rejected", "paid_cents", "denied_cents"}


def run_lines(counts: dict[str, Any], spec: list[Line] | None = None) -> dict[str, tuple[int, int | None]]:
    """(count, cents) per summary line a run's counts speak of (a collection's get their `reports_` prefix)."""
    flat = {k: int(v) for k, v in counts.items() if isinstance(v, int)}
    if not any(k.startswith("reports_") for k in flat):
        flat |= {f"reports_{k}": v for k, v in flat.items() if k in COLLECTED or k.startswith("status_")}
    lines: dict[str, tuple[int, int | None]] = {}
    for key, _, count_keys, cents_keys in spec or LINES:
        if any(k in flat for k in (*count_keys, *cents_keys)):
            cents = sum(flat.get(k, 0) for k in cents_keys) if cents_keys else None
            lines[key] = (sum(flat.get(k, 0) for k in count_keys), cents)
    return lines


def holds_by_rule(session: Session, descriptions: dict[str, str], fixes: RuleFixes) -> list[HoldRow]:
    """Claims on hold now, by the error rule holding them: the most money first."""
    query = (
        select(Finding.rule_id, func.count(func.distinct(Claim.id)), func.sum(Claim.total_charge))
        .join(Claim, col(Claim.id) == Finding.claim_id)
        .where(
            col(Claim.status) == ClaimStatus.ON_HOLD,
            col(Finding.resolved_at).is_(None),
            col(Finding.severity) == Severity.ERROR,
        )
        .group_by(Finding.rule_id)
    )
    rows = [
        HoldRow(rule, descriptions.get(rule, ""), fixes.of(rule), int(n), _cents(total))
        for rule, n, total in session.exec(query)
    ]
    return sorted(rows, key=lambda r: (-r.cents, -r.claims, r.rule_id))


def open_queues(session: Session) -> dict[str, int]:
    """Open work items per queue, the longest first."""
    query = select(WorkItem.queue, func.count()).where(col(WorkItem.resolved_at).is_(None)).group_by(WorkItem.queue)
    found = {str(queue): int(n) for queue, n in session.exec(query)}
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def previous_report(session: Session, flow_name: str, flow_run_id: str) -> RunReport | None:
    """The latest figures another run of the flow published."""
    query = (
        select(RunReport)
        .where(RunReport.flow_name == flow_name, RunReport.flow_run_id != flow_run_id)
        .order_by(col(RunReport.created_at).desc(), col(RunReport.id).desc())
    )
    return session.exec(query).first()


def keep_report(session: Session, summary: RunSummary, flow_name: str, flow_run_id: str) -> None:
    """Store (or, for a retried run, replace) the run's figures for the next run to compare with."""
    figures = {"lines": {k: list(v) for k, v in summary.lines.items()}}
    found = session.exec(select(RunReport).where(RunReport.flow_run_id == flow_run_id)).first()
    row = found or RunReport(
        flow_name=flow_name, flow_run_id=flow_run_id, run_name="", practice_date=summary.practice_date
    )
    row.run_name, row.practice_date, row.figures = summary.run_name[:120], summary.practice_date, figures
    session.add(row)


def _cents(total: Any) -> int:
    """A SUM over a money column: Decimal dollars through the column type, or raw cents."""
    if total is None:
        return 0
    from decimal import Decimal

    return int(total * 100) if isinstance(total, Decimal) else int(total)
