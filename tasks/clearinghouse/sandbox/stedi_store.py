"""The local Stedi server's own memory (stedi.db beside the sandbox's state.db): the transaction feed the
polling call pages through, each claim answer by Idempotency-Key, and how far the sandbox's reports were
taken into the feed. Standard-library sqlite3, like the sandbox's state: simulator data, not billing data."""

import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from models.clock import utcnow
from models.private import private_sqlite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT UNIQUE NOT NULL, direction TEXT NOT NULL,
    set_id TEXT NOT NULL, control_number TEXT NOT NULL, mode TEXT NOT NULL, processed_at TEXT NOT NULL,
    text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answer (
    key TEXT PRIMARY KEY, body_sha256 TEXT NOT NULL, control_number TEXT NOT NULL, status INTEGER NOT NULL,
    json TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mark (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One transaction of the feed."""

    seq: int
    transaction_id: str
    direction: str
    set_id: str
    control_number: str
    mode: str
    processed_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A claim answer as first given: its status code, its JSON, the request's hash, when."""

    body_sha256: str
    control_number: str
    status: int
    body: dict[str, Any]
    at: datetime


class StediStore:
    """Thread-safe access to stedi.db."""

    def __init__(self, path: Path) -> None:
        private_sqlite(path)  # the feed holds copies of claims and remittances: patient data
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def append(self, direction: str, set_id: str, control_number: str, mode: str, text: str) -> str:
        """A transaction processed now; its new transactionId."""
        transaction_id = str(uuid.uuid4())
        with self._lock:
            self._db.execute(
                "INSERT INTO feed (transaction_id, direction, set_id, control_number, mode, processed_at, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (transaction_id, direction, set_id, control_number, mode, utcnow().isoformat(), text),
            )
        return transaction_id

    def after(self, seq: int, limit: int, until: datetime) -> list[Row]:
        """Transactions after `seq` processed no later than `until`, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM feed WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)).fetchall()
        found = [_row(r) for r in rows]
        return [r for r in found if r.processed_at <= until]

    def seq_at(self, moment: datetime) -> int:
        """The last transaction processed at or before `moment` (0: none)."""
        with self._lock:
            rows = self._db.execute("SELECT seq, processed_at FROM feed ORDER BY seq").fetchall()
        return max((seq for seq, at in rows if datetime.fromisoformat(at) <= moment), default=0)

    def transaction(self, transaction_id: str) -> Row | None:
        """One transaction by its ID."""
        with self._lock:
            row = self._db.execute("SELECT * FROM feed WHERE transaction_id = ?", (transaction_id,)).fetchone()
        return _row(row) if row else None

    def answer(self, key: str) -> Answer | None:
        """The first answer given under an Idempotency-Key (or, keyed `control:N`, to an interchange)."""
        with self._lock:
            row = self._db.execute(
                "SELECT body_sha256, control_number, status, json, at FROM answer WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return Answer(row[0], row[1], int(row[2]), json.loads(row[3]), datetime.fromisoformat(row[4]))

    def remember(self, key: str, answer: Answer) -> None:
        """Keep an answer under a key (the first one stays)."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO answer VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    answer.body_sha256,
                    answer.control_number,
                    answer.status,
                    json.dumps(answer.body),
                    answer.at.isoformat(),
                ),
            )

    def mark(self, name: str) -> int:
        """A named position (how far the sandbox's reports were taken in)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM mark WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def set_mark(self, name: str, value: int) -> None:
        """Move a named position."""
        with self._lock:
            self._db.execute(
                "INSERT INTO mark VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value)
            )


def _row(r: tuple[Any, ...]) -> Row:
    return Row(int(r[0]), r[1], r[2], r[3], r[4], r[5], datetime.fromisoformat(r[6]), r[7])
