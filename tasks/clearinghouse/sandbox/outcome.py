"""What the sandbox sends back for one 837P: a 999, then a 277CA, then an 835 per payer."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from models.errors import X12ParseError
from tasks.clearinghouse.roster import Roster, RosterPayer
from tasks.clearinghouse.sandbox.adjudicate import Decision, History, PriorLine, adjudicate
from tasks.clearinghouse.sandbox.remits import RemitBook
from tasks.clearinghouse.sandbox.stored import Adjudicated, read_adjudicated
from tasks.x12 import ack277 as a277
from tasks.x12 import ack999 as a999
from tasks.x12 import claim837_model as x
from tasks.x12 import remit835_model as r
from tasks.x12.ack277 import write_277ca
from tasks.x12.ack999 import write_999
from tasks.x12.claim837_reader import read_837p_interchange
from tasks.x12.envelope import Header, Interchange, read_interchange
from tasks.x12.remit835_writer import write_835
from tasks.x12.segments import split_segments
from tasks.x12.validate837 import Problem, validate_interchange

SANDBOX_NAME, SANDBOX_ID = "SANDBOX CLEARINGHOUSE", "SANDBOX"
PAYER_ADDRESS = x.Address("1 PAYER PLAZA", "HARTFORD", "CT", "061010000")


@dataclass
class Outcome:
    """The documents to release (after how many polls) and the lines to remember."""

    claim_count: int
    ack999: str
    ack277: str | None = None
    remittances: list[tuple[int, str]] = field(default_factory=list)  # (polls from now, 835 text)
    history: list[PriorLine] = field(default_factory=list)
    adjudicated: list[Adjudicated] = field(default_factory=list)
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # (claim number, payer, front-door STC01)

    def reports(self) -> list[tuple[int, tuple[str, str]]]:
        """(polls from now, (kind, text)): acknowledgments on the next poll, remittances on later ones."""
        found = [(1, ("999", self.ack999))]
        if self.ack277 is not None:
            found.append((1, ("277", self.ack277)))
        return found + [(offset, ("835", text)) for offset, text in self.remittances]


def outcome_for(
    text: str,
    control_number: str,
    roster: Roster,
    history_for: Callable[[set[str], set[str]], History],
    now: datetime,
    next_control: Callable[[], int],
) -> Outcome:
    """Everything the clearinghouse and the payers answer to one interchange."""
    naive = now.replace(tzinfo=None)
    interchange, batch = None, None
    try:  # the file is split and its envelopes read once, for the check, the claims and the 999
        interchange = read_interchange(text, strict=False)
        problems = validate_interchange(interchange)
        batch = read_837p_interchange(interchange) if not problems else None
    except X12ParseError as exc:
        problems = [Problem(exc.segment or 1, exc.reason)]
    if batch is None:
        header = Header(SANDBOX_ID, _sender(interchange), next_control(), naive)
        return Outcome(0, _ack999(text, interchange, problems, header))
    submitter = batch.header.sender_id
    ack = _ack999(text, interchange, [], Header(SANDBOX_ID, submitter, next_control(), naive))
    history = history_for(_members(batch, roster), {o.claim_number or "" for c in batch.claims for o in c.other_payers})
    known = len(history.lines)
    kept = [claim for claim in batch.claims if not _lost(claim, roster)]  # a payer that loses a claim says nothing
    decisions = [(claim, _decide(claim, roster, history, now.date())) for claim in kept]
    book = RemitBook(roster, history, now.date())
    for claim, decision in decisions:
        payer = roster.payer(claim.subscriber.payer.payer_id)
        if decision.payment is not None and payer is not None:
            book.add(claim, decision.payment, payer)
    outcome = Outcome(len(batch.claims), ack, history=history.lines[known:], adjudicated=book.stored)
    outcome.seen = [(c.patient_control_number, c.subscriber.payer.payer_id, ":".join(d.status)) for c, d in decisions]
    if decisions:
        header = Header(SANDBOX_ID, submitter, next_control(), naive)
        outcome.ack277 = write_277ca(_ack277(batch, decisions, header, control_number, now.date()))
    for (offset, payer_id, paid_on), paid in sorted(book.due.items()):
        payer = roster.payer(payer_id)
        if payer is not None and paid:
            header = Header(payer.x12_payer_id, submitter, next_control(), naive)
            outcome.remittances.append((offset, write_835(_remittance(payer, batch, paid, header, paid_on))))
    return outcome


def _members(batch: x.Batch, roster: Roster) -> set[str]:
    """The batch's members, and who their payers forward claims to (a crossover adjudicates them too)."""
    found = set()
    for claim in batch.claims:
        found.add(claim.subscriber.member_id)
        payer = roster.payer(claim.subscriber.payer.payer_id)
        member = payer.member(claim.subscriber.member_id) if payer else None
        if member is not None and member.next_payer is not None:
            found.add(member.next_payer.member_id)
    return found


def _lost(claim: x.Claim, roster: Roster) -> bool:
    """True when the claim's payer loses it (the member's `claim_lost` habit): no 277CA, no 835, no record."""
    payer = roster.payer(claim.subscriber.payer.payer_id)
    member = payer.member(claim.subscriber.member_id) if payer else None
    return member is not None and member.remittance == "claim_lost"


def _decide(claim: x.Claim, roster: Roster, history: History, received: date) -> Decision:
    payer = roster.payer(claim.subscriber.payer.payer_id)
    if payer is None:
        return Decision(False, ("A3", "116", "PR"), None)  # claim sent to a payer we do not know
    return adjudicate(claim, payer, history, received)


def _sender(interchange: Interchange | None) -> str:
    try:
        return (interchange.isa[6].strip() if interchange else "") or "UNKNOWN"
    except IndexError:
        return "UNKNOWN"


def _ack999(text: str, interchange: Interchange | None, problems: list[Problem], header: Header) -> str:
    """The 999: accepted, or rejected naming the first 20 problems' segments (the text is split again
    only then, for their tags)."""
    group_control, set_control, tags, st_at = "0", "0001", [], 0
    try:
        if interchange is None:
            raise X12ParseError("unreadable interchange", segment=1)
        tags = [seg[0] for seg in split_segments(text)[1]] if problems else []
        group = interchange.groups[0]
        group_control, set_control, st_at = (
            group.control_number,
            group.sets[0].control_number,
            group.sets[0].first_segment,
        )
    except (X12ParseError, IndexError):
        pass
    errors = tuple(
        a999.SegmentError(
            tags[p.segment - 1] if 0 < p.segment <= len(tags) else "ISA", max(p.segment - st_at, 1), None, "8"
        )
        for p in problems[:20]
    )
    status = "R" if problems else "A"
    set_ack = a999.SetAck("837", set_control, status, "005010X222A1", ("5",) if problems else (), errors)
    return write_999(a999.Ack999(header, (a999.GroupAck("HC", group_control, status, "005010X222A1", (set_ack,)),)))


def _ack277(
    batch: x.Batch, decisions: list[tuple[x.Claim, Decision]], header: Header, control_number: str, today: date
) -> a277.Ack277:
    claims = tuple(
        a277.ClaimAck(
            claim.patient_control_number,
            (a277.StatusInfo(*d.status, today, "WQ" if d.accepted else "U", claim.charge),),
            claim.billing.name,
            claim.billing.npi,
            _patient(claim).last_name,
            _patient(claim).first_name,
            claim.subscriber.member_id or None,
            d.payment.payer_claim_number if d.payment else None,
            claim.lines[0].service_date if claim.lines else None,
        )
        for claim, d in decisions
    )
    return a277.Ack277(
        header,
        f"ACK{control_number}",
        SANDBOX_NAME,
        SANDBOX_ID,
        batch.submitter.name,
        batch.submitter.etin,
        today,
        claims,
    )


def _patient(claim: x.Claim) -> x.Person:
    return claim.patient.person if claim.patient else claim.subscriber.person


def _remittance(
    payer: RosterPayer, batch: x.Batch, paid: list[r.ClaimPayment], header: Header, paid_on: date
) -> r.Remittance:
    billing = batch.claims[0].billing
    total = sum((c.paid for c in paid), Decimal(0))
    payment = r.Payment(
        payer.name.upper(),
        payer.x12_payer_id,
        PAYER_ADDRESS,
        "8005550100",
        billing.name,
        billing.npi,
        f"{payer.x12_payer_id}{header.control_number:09d}",
        "1999999999",
        total,
        "CHK" if total else "NON",
        paid_on,
        tuple(paid),
        (),
        billing.ein or None,
    )
    return r.Remittance(header, (payment,))


def read_history(db: sqlite3.Connection, member_ids: set[str], claim_numbers: set[str] | None = None) -> History:
    """The adjudicated lines of these members (earlier submissions), and the payers' adjudications of these
    claim numbers (what a secondary claim repeats)."""
    marks = ",".join("?" * len(member_ids))
    rows = db.execute(
        f"SELECT member_id, service_date, procedure, modifiers, rendering_npi, patient_control_number, "
        f"paid, deductible_cents FROM adjudicated_line WHERE member_id IN ({marks}) ORDER BY rowid",
        tuple(member_ids),
    ).fetchall()
    return History(
        [
            PriorLine(
                m,
                date.fromisoformat(d),
                p,
                tuple(filter(None, mods.split(","))),
                n,
                pcn,
                bool(paid),
                Decimal(cents) / 100,
            )
            for m, d, p, mods, n, pcn, paid, cents in rows
        ],
        read_adjudicated(db, claim_numbers or set()),
    )


def record_history(db: sqlite3.Connection, lines: list[PriorLine]) -> None:
    """Remember newly adjudicated lines."""
    db.executemany(
        "INSERT INTO adjudicated_line VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                p.member_id,
                p.service_date.isoformat(),
                p.procedure,
                ",".join(p.modifiers),
                p.rendering_npi,
                p.patient_control_number,
                int(p.paid),
                int(p.deductible * 100),
            )
            for p in lines
        ],
    )
