"""What a 999, a 277CA status or an 835 claim payment means for a claim: pure, no database.

Outcomes are values (a status, work-queue entries with the codes explained in words), never
exceptions; the code tables are data in config/reference/x12_codes.yaml.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from config.reference_data import X12Codes
from models.enums import ClaimStatus
from tasks.cob.prior import REVERSAL
from tasks.x12 import ack277 as a277
from tasks.x12 import ack999 as a999
from tasks.x12 import remit835_model as r

REVIEW = "REVIEW"  # a denial code the tables do not place: a person decides
AFTER_ANOTHER_PAYER = frozenset({"2", "3", "20", "21"})  # CLP02: processed as secondary or tertiary


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One reason to work a claim: the queue, the codes, and what they mean."""

    queue: str
    codes: tuple[str, ...]
    explanation: str


@dataclass(slots=True)
class Adjudication:
    """An 835 claim payment read for the lifecycle: new status (None: leave it), queue entries, amounts."""

    status: ClaimStatus | None
    entries: list[QueueEntry] = field(default_factory=list)
    allowed: Decimal = Decimal("0.00")

    def returns_units(self, codes: X12Codes) -> bool:
        """Whether a denial here gives authorization units back (the payer did not count the visit)."""
        return self.status is ClaimStatus.DENIED and any(e.queue in codes.queues_returning_units for e in self.entries)


def set_rejection(ack: a999.SetAck) -> QueueEntry | None:
    """A rejected 837 transaction set (IK5 R, or E with errors is still accepted) as FIX_AND_RESEND."""
    if ack.status not in ("R", "M", "W", "X"):
        return None
    where = "; ".join(
        f"segment {e.segment} at {e.position} (error {e.code}"
        + "".join(f", element {x.position} error {x.code}" for x in e.element_errors)
        + ")"
        for e in ack.errors
    )
    codes = tuple(f"IK5-{c}" for c in ack.codes) or (f"IK5-{ack.status}",)
    return QueueEntry("FIX_AND_RESEND", codes, f"999 rejected the claim file: {where or 'no error location given'}")


def claim_status(status: a277.StatusInfo, codes: X12Codes) -> tuple[bool, QueueEntry | None]:
    """(accepted?, the FIX_AND_RESEND entry when rejected) for one 277CA STC."""
    if status.category in codes.accepted_categories:
        return True, None
    words = [
        codes.claim_status_categories.get(status.category, f"category {status.category}"),
        codes.claim_status_codes.get(status.status, f"status {status.status}"),
    ]
    if status.entity:
        words.append(codes.status_entities.get(status.entity, f"entity {status.entity}"))
    code = f"{status.category}:{status.status}" + (f":{status.entity}" if status.entity else "")
    return False, QueueEntry("FIX_AND_RESEND", (code,), "277CA: " + "; ".join(words))


def claim_acknowledgement(ack: a277.ClaimAck, codes: X12Codes) -> tuple[bool, QueueEntry | None]:
    """(accepted?, one FIX_AND_RESEND entry with every reason) for one 277CA claim.

    A claim rejected for several reasons (several STCs, or STC10/STC11 beside STC01) lists them all,
    and its lines' own rejections after them, named by the line's control number.
    """
    accepted, first = claim_status(ack.statuses[0], codes)
    if accepted:
        return True, None
    entries = [entry for entry in (claim_status(s, codes)[1] for s in ack.statuses) if entry is not None]
    for number, line in enumerate(ack.lines, start=1):
        label = f"line {line.line_control_number or number}"
        for s in line.statuses:
            entry = claim_status(s, codes)[1]
            if entry is not None:
                said = entry.explanation.removeprefix("277CA: ")
                entries.append(QueueEntry(entry.queue, entry.codes, f"277CA: {label}: {said}"))
    if not entries:
        return False, first
    all_codes = tuple(dict.fromkeys(code for entry in entries for code in entry.codes))
    said = " | ".join(entry.explanation.removeprefix("277CA: ") for entry in entries)
    return False, QueueEntry("FIX_AND_RESEND", all_codes, f"277CA: {said}")


def adjudication(payment: r.ClaimPayment, codes: X12Codes) -> Adjudication:
    """Status and work-queue entries of one 835 claim payment (CLP02, CAS groups and reasons, remarks)."""
    adjustments = list(payment.adjustments) + [a for line in payment.lines for a in line.adjustments]
    remarks = tuple(dict.fromkeys(m for line in payment.lines for m in line.remarks))
    allowed = payment.paid + payment.patient_responsibility
    if payment.status_code == REVERSAL:
        return Adjudication(None, [QueueEntry(REVIEW, ("CLP02-22",), "the payer reversed an earlier payment")], allowed)
    denials = [a for a in adjustments if a.amount > 0 and codes.is_denial(a.group, a.reason)]
    entries = _merge([_denial_entry(a, remarks, codes) for a in denials])
    settled_before = payment.status_code in AFTER_ANOTHER_PAYER and not denials  # e.g. Medicaid's lesser-of: 0
    if payment.status_code == "4" or (payment.paid == 0 and payment.patient_responsibility == 0 and not settled_before):
        status = ClaimStatus.DENIED
    else:
        status = ClaimStatus.PARTIALLY_PAID if denials else ClaimStatus.PAID
    return Adjudication(status, entries, allowed)


def _denial_entry(adjustment: r.Adjustment, remarks: tuple[str, ...], codes: X12Codes) -> QueueEntry:
    queue = codes.queue_of_carc(adjustment.reason)
    by_remark = next((q for q in map(codes.queue_of_rarc, remarks) if q), None)
    if queue in (None, "FIX_AND_RESEND") and by_remark:
        queue = by_remark
    said = [f"{adjustment.group}-{adjustment.reason}: {codes.carc.get(adjustment.reason, 'code not in our tables')}"]
    said += [f"{m}: {codes.rarc[m]}" for m in remarks if m in codes.rarc]
    return QueueEntry(queue or REVIEW, (f"{adjustment.group}-{adjustment.reason}", *remarks), "; ".join(said))


def _merge(entries: list[QueueEntry]) -> list[QueueEntry]:
    """One entry per queue and codes (a denial repeated on every line is one thing to fix)."""
    return list({(e.queue, e.codes): e for e in entries}.values())
