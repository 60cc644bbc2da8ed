"""What must hold after every soak round, counted: the billing database against the sandbox's memory."""

import contextlib
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import Claim
from models.enums import ClaimFrequency, ClaimStatus, LedgerKind, PayerSequence
from models.exchange import ClaimPayment, PaymentAdjustment, Remittance
from models.patients import AuthLedgerEntry, Authorization
from models.sessions import Attendance
from tasks.claims.drafting import ATTENDED
from tasks.preauth.ledger import balance, holdings

NEVER_SENT = {ClaimStatus.DRAFT, ClaimStatus.ON_HOLD, ClaimStatus.READY}
AT_PAYER = {ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID}
HOLDING_NOTHING = {
    ClaimStatus.DRAFT,
    ClaimStatus.ON_HOLD,
    ClaimStatus.REJECTED,
    ClaimStatus.VOIDED,
    ClaimStatus.CORRECTED,
}


@dataclass
class Verdict:
    """Counts of what was checked and every violation found (empty: all invariants hold)."""

    counts: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        """Record a violation (kept short: IDs only)."""
        self.violations.append(what)


def check(
    engine: Engine, sandbox_db: Path, *, run_completed: bool, mailbox: Path | None = None, quiet: bool = True
) -> Verdict:
    """Every invariant of the soak; `run_completed` adds those that hold only after a finished run. Over an
    SFTP `mailbox` (its folder as the far side keeps it): what the mailbox took, not what the simulator kept;
    its report files only after a `quiet` run (one that sent nothing: the far side answers a file it polled
    for after the run that sent it has collected, and the next run applies the answers)."""
    verdict = Verdict()
    received = _received(sandbox_db) if mailbox is None else mailbox_claims(mailbox, verdict)
    with Session(engine) as session:
        claims = list(session.exec(select(Claim)))
        _one_original_per_attendee(session, claims, verdict)
        _received_exactly_once(claims, received, verdict)
        _each_payer_billed_once_per_service_and_sequence(claims, verdict)
        _ledger_balances(session, claims, verdict)
        _patient_share_after_all_payers(session, claims, verdict)
        if run_completed:
            _nothing_submitting(claims, verdict)
            if mailbox is None:
                _every_835_posted_once(session, sandbox_db, verdict)
            elif quiet:
                each_outbound_file_applied_once(session, mailbox, verdict)
    return verdict


def mailbox_claims(root: Path, verdict: Verdict) -> Counter[str]:
    """Every claim in every file the mailbox took (a file taken twice counts twice); an interchange taken
    twice is a violation of its own."""
    from tasks.clearinghouse.sandbox.mailbox import read_received
    from tasks.x12.segments import split_segments

    taken = read_received(root)
    controls = Counter(str(row["control"]) for row in taken)
    verdict.counts["interchanges_taken_by_mailbox"] = len(controls)
    for control, times in controls.items():
        if times > 1:
            verdict.fail(f"interchange {control}: the mailbox received it {times} times")
    names = {str(row["name"]) for row in taken}  # the far side logs a file, then moves it: not counted twice
    waiting = [p for p in (root / "inbound").iterdir() if not p.name.startswith(".") and p.name not in names]
    found: Counter[str] = Counter()
    for path in [root / "archive" / str(row["name"]) for row in taken] + waiting:
        try:
            text = path.read_text(encoding="latin-1")
        except FileNotFoundError:  # taken (moved to the archive) since the inbound folder was listed
            text = (root / "archive" / path.name).read_text(encoding="latin-1")
        found.update(seg[1] for seg in split_segments(text)[1] if seg[0] == "CLM" and len(seg) > 1)
    return found


def each_outbound_file_applied_once(session: Session, root: Path, verdict: Verdict) -> None:
    """Every report file the far side wrote was applied (its reports' IDs come from its name, size and hash,
    so a file downloaded again is the same reports), each 835 file posted as one payment, the folder empty."""
    import hashlib

    from models.exchange import Acknowledgement
    from tasks.clearinghouse.sandbox.mailbox import read_received

    applied = Counter(
        [d.split("-")[0] for d in session.exec(select(Acknowledgement.document_id))]
        + [str(r).split("-")[0] for r in session.exec(select(Remittance.report_id))]
    )
    remits = Counter(str(r).split("-")[0] for r in session.exec(select(Remittance.report_id)))
    files = read_received(root, "sent.jsonl")
    verdict.counts["outbound_files_applied"] = len(files)
    for row in files:
        key = "F" + hashlib.sha256(f"{row['name']}\0{row['size']}\0{row['sha256']}".encode()).hexdigest()[:24]
        if not applied[key]:
            verdict.fail(f"outbound file {row['name']}: never applied")
        if str(row["name"]).startswith("835_") and remits[key] != 1:
            verdict.fail(f"outbound file {row['name']}: posted as {remits[key]} payments")
    left = [p.name for p in (root / "outbound").iterdir() if not p.name.startswith(".")]
    if left:
        verdict.fail(f"{len(left)} outbound files left after a completed run (first {left[0]})")


CLOSED_ORIGINAL = {ClaimStatus.REJECTED, ClaimStatus.CORRECTED}  # rejected, or a CARC 22 denial its rebill closed


def _one_original_per_attendee(session: Session, claims: list[Claim], verdict: Verdict) -> None:
    live = Counter(
        c.attendance_id
        for c in claims
        if c.frequency is ClaimFrequency.ORIGINAL
        and c.status not in CLOSED_ORIGINAL
        and c.payer_sequence is PayerSequence.PRIMARY
    )
    later = Counter(
        (c.attendance_id, c.payer_sequence)
        for c in claims
        if c.frequency is ClaimFrequency.ORIGINAL
        and c.status not in CLOSED_ORIGINAL
        and c.payer_sequence is not PayerSequence.PRIMARY
    )
    for (attendance_id, sequence), count in later.items():
        if count > 1:
            verdict.fail(f"attendance {attendance_id}: {count} live original claims to payer {sequence.value}")
    present = set(session.exec(select(Attendance.id).where(col(Attendance.status).in_(ATTENDED))))
    drafted = {c.attendance_id for c in claims}
    verdict.counts["present_attendees_billed"] = len(present & drafted)
    for attendance_id in present & drafted:
        if live[attendance_id] != 1 and not _only_rejected(claims, attendance_id):
            verdict.fail(f"attendance {attendance_id}: {live[attendance_id]} live original claims")
    for attendance_id in drafted - present:
        verdict.fail(f"attendance {attendance_id}: billed but not present")


def _only_rejected(claims: list[Claim], attendance_id: int) -> bool:
    """A rejected original waits for ops to resend it: no live original is then correct."""
    mine = [
        c
        for c in claims
        if c.attendance_id == attendance_id
        and c.frequency is ClaimFrequency.ORIGINAL
        and c.payer_sequence is PayerSequence.PRIMARY
    ]
    return bool(mine) and all(c.status is ClaimStatus.REJECTED for c in mine)


def _each_payer_billed_once_per_service_and_sequence(claims: list[Claim], verdict: Verdict) -> None:
    """A service reaches each payer at most once at each place in its payer order: sent by us or forwarded
    by the prior payer (a crossover), never both; a claim the payer never saw (rejected at the door) aside."""
    billed = Counter(
        (c.attendance_id, c.payer_sequence, c.payer_id)
        for c in claims
        if c.frequency is ClaimFrequency.ORIGINAL
        and (c.batch_id is not None or c.crossover)
        and c.status is not ClaimStatus.REJECTED
    )
    verdict.counts["services_billed_to_a_payer"] = len(billed)
    verdict.counts["next_payer_claims"] = sum(1 for key in billed if key[1] is not PayerSequence.PRIMARY)
    for (attendance_id, sequence, payer_id), times in billed.items():
        if times > 1:
            verdict.fail(f"attendance {attendance_id}: payer {payer_id} billed {times} times as {sequence.value}")


def _patient_share_after_all_payers(session: Session, claims: list[Claim], verdict: Verdict) -> None:
    """What the last payer that answered left the patient = charge - every payment - every contractual
    adjustment of the payers so far (OA-23 repeats the prior payers' and counts once); 835s that do not
    balance are reported as data, not held to it."""
    for attendance_id, chain in _answered_chains(session, claims).items():
        verdict.counts["services_with_a_standing_835"] += 1
        charge, last = chain[0][0].total_charge, chain[-1][1]
        paid = sum((p.paid for _, p, _ in chain), Decimal(0))
        settled = sum((a.amount for _, _, cas in chain for a in cas if _contractual(a)), Decimal(0))
        if last.patient_responsibility != charge - paid - settled:
            verdict.fail(
                f"attendance {attendance_id}: patient owes {last.patient_responsibility} after all payers, "
                f"not {charge} - {paid} paid - {settled} contractual"
            )


def _contractual(a: PaymentAdjustment) -> bool:
    return a.group_code != "PR" and (a.group_code, a.reason_code) != ("OA", "23")


def _answered_chains(
    session: Session, claims: list[Claim]
) -> dict[int, list[tuple[Claim, ClaimPayment, list[PaymentAdjustment]]]]:
    """Per attendance, its payers' standing 835s in payer order, from the primary without a gap (services
    with an out-of-balance 835 left out)."""
    from tasks.cob.prior import standing

    live = [c for c in claims if c.status not in {ClaimStatus.REJECTED, ClaimStatus.CORRECTED, ClaimStatus.VOIDED}]
    payments: dict[int, list[ClaimPayment]] = {}
    unbalanced: set[int] = set()
    for payment, problems in session.exec(select(ClaimPayment, Remittance.imbalances).join(Remittance)):
        if payment.claim_id is not None:
            payments.setdefault(payment.claim_id, []).append(payment)
            if problems:
                unbalanced.add(payment.claim_id)
    adjustments: dict[int, list[PaymentAdjustment]] = {}
    for a in session.exec(select(PaymentAdjustment)):
        adjustments.setdefault(a.claim_payment_id, []).append(a)
    chains: dict[int, list[tuple[Claim, ClaimPayment, list[PaymentAdjustment]]]] = {}
    for claim in sorted(live, key=lambda c: (c.attendance_id, c.payer_sequence.rank, c.id or 0)):
        answer = standing(sorted(payments.get(claim.id or 0, []), key=lambda p: p.id or 0))
        chain = chains.setdefault(claim.attendance_id, [])
        if answer is None or claim.id in unbalanced or len(chain) != claim.payer_sequence.rank:
            continue
        chain.append((claim, answer, adjustments.get(answer.id or 0, [])))
    return {a: chain for a, chain in chains.items() if chain and not any(c.id in unbalanced for c, _, _ in chain)}


def _received_exactly_once(claims: list[Claim], received: Counter[str], verdict: Verdict) -> None:
    ours = {c.patient_control_number for c in claims}
    verdict.counts["claims_received_by_clearinghouse"] = sum(received.values())
    for number, times in received.items():
        if times > 1:
            verdict.fail(f"claim {number}: received {times} times")
        if number not in ours:
            verdict.fail(f"claim {number}: received but not ours")
    for claim in claims:
        times = received[claim.patient_control_number or ""]
        if claim.crossover:  # the prior payer forwarded it: the clearinghouse never got it from us
            if times:
                verdict.fail(f"claim {claim.id} (crossover): received {times} times from us")
            continue
        if claim.status in AT_PAYER and times != 1:
            verdict.fail(f"claim {claim.id} ({claim.status}): received {times} times")
        if claim.status in NEVER_SENT and times:
            verdict.fail(f"claim {claim.id} ({claim.status}): received but never sent")


def _ledger_balances(session: Session, claims: list[Claim], verdict: Verdict) -> None:
    status = {c.id: c.status for c in claims}
    for auth in session.exec(select(Authorization)):
        entries = list(
            session.exec(
                select(AuthLedgerEntry)
                .where(AuthLedgerEntry.authorization_id == auth.id)
                .order_by(col(AuthLedgerEntry.id))
            )
        )
        verdict.counts["ledger_entries"] += len(entries)
        if balance(auth.units_authorized, entries).remaining < 0:
            verdict.fail(f"authorization {auth.id}: overdrawn")
        for claim_id, held in holdings(entries).items():
            now = status.get(claim_id)
            if now in HOLDING_NOTHING or (held.kind is LedgerKind.RESERVE and now in AT_PAYER):
                verdict.fail(f"authorization {auth.id}: claim {claim_id} ({now}) still holds {held.kind} units")
            if held.kind is LedgerKind.CONSUME and now in NEVER_SENT | {ClaimStatus.SUBMITTING}:
                verdict.fail(f"authorization {auth.id}: claim {claim_id} ({now}) consumed units unsent")


def _nothing_submitting(claims: list[Claim], verdict: Verdict) -> None:
    stuck = [c.id for c in claims if c.status is ClaimStatus.SUBMITTING]
    if stuck:
        verdict.fail(f"{len(stuck)} claims stuck in submitting after a completed run (first {stuck[0]})")


def _every_835_posted_once(session: Session, sandbox_db: Path, verdict: Verdict) -> None:
    with contextlib.closing(sqlite3.connect(sandbox_db)) as db:
        released = [
            r[0] for r in db.execute("SELECT report_id FROM report WHERE kind = '835' AND released_seq IS NOT NULL")
        ]
    stedi = sandbox_db.with_name("stedi.db")  # behind Stedi's contract, an 835 is known by its transaction
    if stedi.exists():
        with contextlib.closing(sqlite3.connect(stedi)) as db:
            query = "SELECT transaction_id FROM feed WHERE direction = 'INBOUND' AND set_id = '835'"
            released = [f"stedi-{r[0]}" for r in db.execute(query)]
    posted = Counter(session.exec(select(Remittance.report_id)))
    verdict.counts["835s_posted"] = len(released)
    for report_id in released:
        if posted[report_id] != 1:
            verdict.fail(f"835 {report_id}: posted {posted[report_id]} times")


def _received(sandbox_db: Path) -> Counter[str]:
    """Every claim number in every interchange the sandbox stored (a resent file would count twice)."""
    from tasks.x12.segments import split_segments

    if not sandbox_db.exists():
        return Counter()
    with contextlib.closing(sqlite3.connect(sandbox_db)) as db:
        texts = [r[0] for r in db.execute("SELECT text FROM submission")]
    return Counter(seg[1] for text in texts for seg in split_segments(text)[1] if seg[0] == "CLM" and len(seg) > 1)
