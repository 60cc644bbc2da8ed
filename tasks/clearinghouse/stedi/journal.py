"""The connector's own record, in an owner-only folder per connection:

- `sent.jsonl`: each interchange as `sending` (its Idempotency-Key, size and SHA-256, when) before the
  call, and `answered` (Stedi's correlation ID, when) once Stedi's answer is in hand. One JSON line each,
  flushed and fsynced; the last line about a control number wins. It is the stored receipt
  `was_received` reads, and it says when a key's idempotency window ends.
- `answers/`: the X12 in each claim answer (Stedi's 277CA, or a 999), kept until collection applied it.
"""

import hashlib
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from models.clock import utcnow
from models.private import private_dir
from tasks.clearinghouse.jsonl import append_row, last_row
from tasks.clearinghouse.protocol import Receipt, Report
from tasks.clearinghouse.sftp.reports import keep_private


@dataclass(frozen=True, slots=True)
class Sent:
    """The last word on one interchange: `sending` or `answered`, under which key, what content, when."""

    control: str
    state: str
    key: str
    size: int
    sha256: str
    claims: int
    at: str
    receipt_id: str = ""

    @property
    def when(self) -> datetime:
        """When this line was written."""
        return datetime.fromisoformat(self.at)

    def receipt(self) -> Receipt:
        """The receipt of an answered interchange."""
        return Receipt(self.control, self.receipt_id, self.when, self.claims)

    @staticmethod
    def planned(control: str, key: str, text: str, claims: int) -> "Sent":
        """The line written before an interchange is sent."""
        data = text.encode("latin-1")
        digest = hashlib.sha256(data).hexdigest()
        return Sent(control, "sending", key, len(data), digest, claims, utcnow().isoformat())


class Journal:
    """sent.jsonl and answers/ of one connection."""

    def __init__(self, folder: Path) -> None:
        self.path, self.answers = folder / "sent.jsonl", folder / "answers"
        self._lock = threading.Lock()

    def record(self, sent: Sent) -> Sent:
        """Append one line (flushed and fsynced) and return it."""
        with self._lock:
            append_row(self.path, asdict(sent))
        return sent

    def lookup(self, control: str) -> Sent | None:
        """The last line about an interchange, or None."""
        with self._lock:
            row = last_row(self.path, "control", control)
        return None if row is None else Sent(**row)

    def keep_answer(self, report: Report) -> None:
        """An answer's X12, owner-only, until `settle` (its name says its ID and kind)."""
        keep_private(private_dir(self.answers) / f"{report.report_id}.{report.kind}", report.text.encode("latin-1"))

    def pending(self) -> list[Report]:
        """Every kept answer not yet settled, oldest first."""
        if not self.answers.is_dir():
            return []
        files = sorted((p for p in self.answers.iterdir() if not p.name.startswith(".")), key=_age)
        return [Report(p.stem, p.suffix[1:], p.read_text(encoding="latin-1")) for p in files]

    def settle(self, report_ids: list[str]) -> None:
        """Forget answers the caller applied and committed."""
        for path in self.answers.glob("*") if self.answers.is_dir() else []:
            if path.stem in report_ids:
                path.unlink(missing_ok=True)


def _age(path: Path) -> tuple[int, str]:
    return (path.stat().st_mtime_ns, path.name)
