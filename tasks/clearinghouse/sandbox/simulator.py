"""The sandbox clearinghouse: answers 270s at once, takes 837Ps, and releases their 999 and 277CA on
the next report poll and the payer's 835 on a later one. Everything it receives is remembered in
its own SQLite file, so a resent interchange is recognised and answered with the first receipt."""

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from models.clock import now_in, utcnow
from models.errors import ClearinghouseRejected, X12ParseError
from tasks.clearinghouse.protocol import Content, Receipt, ReportPage
from tasks.clearinghouse.roster import Roster
from tasks.clearinghouse.sandbox.eligibility import answer_inquiries
from tasks.clearinghouse.sandbox.outcome import Outcome, outcome_for, read_history, record_history
from tasks.clearinghouse.sandbox.state import SandboxState, current_value, next_value, record_seen
from tasks.clearinghouse.sandbox.status import answer_status, refused
from tasks.clearinghouse.sandbox.stored import record_adjudicated
from tasks.x12.eligibility_reader import read_270
from tasks.x12.eligibility_writer import write_271
from tasks.x12.envelope import Header
from tasks.x12.status276 import read_276
from tasks.x12.status277 import write_277

SANDBOX_ID = "SANDBOX"


class SandboxClearinghouse:
    """The in-process payer simulator behind the Clearinghouse protocol."""

    def __init__(self, roster: Roster, state: SandboxState, clock: Callable[[], datetime] = utcnow) -> None:
        self.roster, self.state, self.clock = roster, state, clock

    @classmethod
    def from_folder(cls, folder: Path, zone: tzinfo = UTC) -> "SandboxClearinghouse":
        """The sandbox whose roster.json and state.db live in `folder`; its calendar is `zone`'s (the practice's)."""
        roster_path = folder / "roster.json"
        try:
            roster = Roster.model_validate(json.loads(roster_path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ClearinghouseRejected(f"{roster_path}: no sandbox payer roster (run `groupbill demo`)") from None
        return cls(roster, SandboxState(folder / "state.db"), lambda: now_in(zone))

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """Answer a 270 with a 271 from the payer's roster."""
        try:
            batch = read_270(x12_270)
        except X12ParseError as exc:
            raise ClearinghouseRejected(f"270 is not valid X12: {exc.reason}") from None
        payer = self.roster.payer(batch.payer.payer_id or payer_id)
        if payer is None:
            raise ClearinghouseRejected(f"unknown payer {batch.payer.payer_id!r}")
        with self.state.transaction() as db:
            control = next_value(db, "interchange")
        header = Header(payer.x12_payer_id, batch.header.sender_id, control, self.clock().replace(tzinfo=None))
        return write_271(answer_inquiries(payer, batch, header))

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str:
        """Answer a 276 at once with a 277 from what the payer knows (received, rejected, paid, denied, lost)."""
        try:
            request = read_276(x12_276)
        except X12ParseError as exc:
            raise ClearinghouseRejected(f"276 is not valid X12: {exc.reason}") from None
        payer = self.roster.payer(request.payer.payer_id or payer_id)
        if payer is None:
            raise ClearinghouseRejected(f"unknown payer {request.payer.payer_id!r}")
        with self.state.transaction() as db:
            control = next_value(db, "interchange")
            header = Header(payer.x12_payer_id, request.header.sender_id, control, self.clock().replace(tzinfo=None))
            return write_277(answer_status(db, payer, request, header))

    def refusal_999(self, text: str, set_id: str = "276") -> str:
        """The 999 R a payer sends back for a 276 (or 270) it cannot read."""
        isa = text[:106].split(text[3]) if len(text) >= 106 else []
        sender = isa[6].strip() if len(isa) > 6 else "UNKNOWN"
        group = str(int(isa[13])) if len(isa) > 13 and isa[13].isdigit() else "0"
        with self.state.transaction() as db:
            control = next_value(db, "interchange")
        header = Header(SANDBOX_ID, sender, control, self.clock().replace(tzinfo=None))
        version = "005010X212" if set_id == "276" else "005010X279A1"
        return refused(set_id, version, group, header)

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """Store an 837P once per control number and queue its acknowledgments and remittance."""
        known = self.state.receipt(control_number)
        if known is not None:
            return known
        now = self.clock()
        with self.state.transaction() as db:
            again = db.execute("SELECT 1 FROM submission WHERE control_number = ?", (control_number,)).fetchone()
            if again is None:
                outcome = outcome_for(
                    x12_837,
                    control_number,
                    self.roster,
                    lambda ids, numbers: read_history(db, ids, numbers),
                    now,
                    lambda: next_value(db, "interchange"),
                )
                self._store(db, x12_837, control_number, payer_id, outcome, now)
        receipt = self.state.receipt(control_number)
        if receipt is None:  # pragma: no cover - the transaction above committed it
            raise ClearinghouseRejected(f"interchange {control_number} was not stored")
        return receipt

    def _store(
        self, db: sqlite3.Connection, text: str, control_number: str, payer_id: str, outcome: Outcome, now: datetime
    ) -> None:
        db.execute(
            "INSERT INTO submission (control_number, receipt_id, received_at, claim_count, payer_id, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (control_number, f"SBX-{control_number}", now.isoformat(), outcome.claim_count, payer_id, text),
        )
        polls = current_value(db, "polls")
        for offset, (kind, document) in outcome.reports():
            seq = next_value(db, "reports")
            db.execute(
                "INSERT INTO report (report_id, kind, text, release_at_poll) VALUES (?, ?, ?, ?)",
                (f"RPT{seq:08d}", kind, document, polls + offset),
            )
            db.execute("INSERT INTO submission_report VALUES (?, ?)", (control_number, f"RPT{seq:08d}"))
        record_history(db, outcome.history)
        record_adjudicated(db, outcome.adjudicated)
        record_seen(db, outcome.seen)

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """The receipt of an interchange, or None (the simulator answers by number alone: `expected` unused)."""
        return self.state.receipt(control_number)

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """Reports released by now after `cursor` (a sequence number; None or '' from the start)."""
        try:
            after = int(cursor or 0)
        except ValueError:
            raise ClearinghouseRejected(f"bad report cursor {cursor!r}") from None
        reports, last = self.state.poll(after)
        return ReportPage(tuple(reports), str(last))
