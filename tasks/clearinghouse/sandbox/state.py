"""The sandbox's memory, in a SQLite file of its own: every interchange it received (so a resend is
recognised, across processes and crashes), the reports it queued, and how often it was polled.

Written by hand on the standard library's sqlite3: it is the simulator's private store, not
billing data, and must not share a schema or a transaction with the billing database.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from models.private import private_sqlite
from tasks.clearinghouse.protocol import Receipt, Report

REPORTS_PER_PAGE = 10  # an 835 of 5,000 claims is ~3 MB: a page of every report of a big night is not sent

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submission (
    control_number TEXT PRIMARY KEY, receipt_id TEXT NOT NULL, received_at TEXT NOT NULL,
    claim_count INTEGER NOT NULL, payer_id TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS report (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL,
    text TEXT NOT NULL, release_at_poll INTEGER NOT NULL, released_seq INTEGER UNIQUE);
CREATE TABLE IF NOT EXISTS submission_report (control_number TEXT NOT NULL, report_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_submission_report ON submission_report (control_number);
CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS adjudicated_line (
    member_id TEXT NOT NULL, service_date TEXT NOT NULL, procedure TEXT NOT NULL, modifiers TEXT NOT NULL,
    rendering_npi TEXT NOT NULL, patient_control_number TEXT NOT NULL, paid INTEGER NOT NULL,
    deductible_cents INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ix_line_member_day ON adjudicated_line (member_id, service_date);
CREATE TABLE IF NOT EXISTS adjudicated_claim (
    payer_claim_number TEXT PRIMARY KEY, payer_id TEXT NOT NULL, paid_on TEXT NOT NULL, payment TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claim_seen (
    patient_control_number TEXT NOT NULL, payer_id TEXT NOT NULL, front_door TEXT NOT NULL,
    PRIMARY KEY (patient_control_number, payer_id));
"""


class SandboxState:
    """Thread-safe access to the sandbox's SQLite file."""

    def __init__(self, path: Path) -> None:
        private_sqlite(path)  # copies of every 837P it received: patient data
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic change (BEGIN IMMEDIATE: other processes wait, nothing is half-written)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def receipt(self, control_number: str) -> Receipt | None:
        """The stored receipt of an interchange, if it arrived."""
        with self._lock:
            row = self._db.execute(
                "SELECT control_number, receipt_id, received_at, claim_count FROM submission WHERE control_number = ?",
                (control_number,),
            ).fetchone()
        return _receipt(row) if row else None

    def submission_count(self) -> int:
        """How many interchanges were received (each control number once)."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM submission").fetchone()[0])

    def control_numbers(self) -> list[str]:
        """Every interchange control number received, in arrival order."""
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT control_number FROM submission ORDER BY rowid")]

    def received_claim_numbers(self) -> list[str]:
        """Every claim (CLM01) in every interchange received, in arrival order: the proof of exactly once."""
        from tasks.x12.segments import split_segments

        with self._lock:
            texts = [r[0] for r in self._db.execute("SELECT text FROM submission ORDER BY rowid")]
        found: list[str] = []
        for text in texts:
            found += [seg[1] for seg in split_segments(text)[1] if seg[0] == "CLM" and len(seg) > 1]
        return found

    def answers_of(self, control_number: str) -> list[Report]:
        """The 999 and 277CA an interchange got, while they are still waiting for a poll."""
        with self._lock:
            rows = self._db.execute(
                "SELECT r.report_id, r.kind, r.text FROM report r JOIN submission_report s USING (report_id)"
                " WHERE s.control_number = ? AND r.released_seq IS NULL AND r.kind IN ('999', '277') ORDER BY r.seq",
                (control_number,),
            ).fetchall()
        return [Report(*row) for row in rows]

    def withhold(self, report_id: str) -> None:
        """Take a waiting report out of the feed (a clearinghouse that gave it in its answer instead)."""
        with self.transaction() as db:
            db.execute("DELETE FROM report WHERE report_id = ? AND released_seq IS NULL", (report_id,))

    def poll(self, after: int, limit: int | None = None) -> tuple[list[Report], int]:
        """Count one poll, release what is due, and return what was released after cursor `after` (at most
        `limit`, else REPORTS_PER_PAGE: a real clearinghouse pages its feed, and a client must follow the cursor).

        Reports get their place in the feed when they are released, not when they are queued, so a
        cursor never skips a report that was still waiting when the cursor was handed out.
        """
        with self.transaction() as db:
            polls = next_value(db, "polls")
            due = db.execute(
                "SELECT seq FROM report WHERE released_seq IS NULL AND release_at_poll <= ? ORDER BY seq", (polls,)
            ).fetchall()
            for (seq,) in due:
                db.execute("UPDATE report SET released_seq = ? WHERE seq = ?", (next_value(db, "released"), seq))
            rows = db.execute(
                "SELECT released_seq, report_id, kind, text FROM report WHERE released_seq > ?"
                " ORDER BY released_seq LIMIT ?",
                (after, limit or REPORTS_PER_PAGE),
            ).fetchall()
        last = rows[-1][0] if rows else after
        return [Report(r[1], r[2], r[3]) for r in rows], last

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()


def record_seen(db: sqlite3.Connection, seen: list[tuple[str, str, str]]) -> None:
    """Remember the claims the payers took in, with their front door's answer (STC01, e.g. A2:20:PR)."""
    db.executemany("INSERT OR REPLACE INTO claim_seen VALUES (?, ?, ?)", seen)


def front_door(db: sqlite3.Connection, patient_control_number: str, payer_id: str) -> str | None:
    """The front door's answer to a claim the payer took in, or None when it never saw the claim."""
    row = db.execute(
        "SELECT front_door FROM claim_seen WHERE patient_control_number = ? AND payer_id = ?",
        (patient_control_number, payer_id),
    ).fetchone()
    return str(row[0]) if row else None


def next_value(db: sqlite3.Connection, name: str) -> int:
    """Increment and return a named counter (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO counter (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,)
    )
    return int(db.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()[0])


def current_value(db: sqlite3.Connection, name: str) -> int:
    """A named counter's value (0 when never incremented)."""
    row = db.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else 0


def _receipt(row: tuple[str, str, str, int]) -> Receipt:
    return Receipt(row[0], row[1], datetime.fromisoformat(row[2]).astimezone(UTC), int(row[3]))
