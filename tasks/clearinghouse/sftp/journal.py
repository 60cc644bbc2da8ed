"""The uploader's own record of each interchange it puts in a mailbox: planned (name, size, SHA-256)
before the upload starts, renaming once it is whole under its temporary name (the far side may take it
the moment it has its final name), uploaded once the rename succeeded. One JSON line each,
flushed and fsynced, in an owner-only file: after a crash, the next run knows what it started and what
it finished, even when the clearinghouse has already taken the file out of the inbound folder."""

import hashlib
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from models.clock import utcnow
from tasks.clearinghouse.jsonl import append_row, last_row
from tasks.clearinghouse.protocol import Content

PLANNED, RENAMING, UPLOADED = "planned", "renaming", "uploaded"


@dataclass(frozen=True, slots=True)
class Stamp:
    """What identifies an uploaded file: its remote name, its size in bytes and its SHA-256."""

    name: str
    size: int
    sha256: str

    @classmethod
    def of(cls, name: str, data: bytes) -> "Stamp":
        """The stamp of `data` under `name`."""
        return cls(name, len(data), hashlib.sha256(data).hexdigest())

    @property
    def content(self) -> Content:
        """What the file is, whatever its name."""
        return Content(self.size, self.sha256)


@dataclass(frozen=True, slots=True)
class Entry:
    """The last word on one interchange: planned or uploaded, its stamp, its claims, when it was recorded."""

    state: str
    stamp: Stamp
    claims: int
    at: str


class Journal:
    """Append-only; the last line about a control number wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def planned(self, control_number: str, stamp: Stamp, claims: int) -> None:
        """About to upload `stamp` for this interchange."""
        self._append({"control": control_number, "state": PLANNED, "claims": claims, **asdict(stamp)})

    def renaming(self, control_number: str, stamp: Stamp, claims: int) -> None:
        """Whole under its temporary name, about to get its final one."""
        self._append({"control": control_number, "state": RENAMING, "claims": claims, **asdict(stamp)})

    def uploaded(self, control_number: str, stamp: Stamp, claims: int) -> Entry:
        """The file is in the mailbox under its final name."""
        row = {"control": control_number, "state": UPLOADED, "claims": claims, "at": utcnow().isoformat()}
        self._append(row | asdict(stamp))
        return Entry(UPLOADED, stamp, claims, str(row["at"]))

    def lookup(self, control_number: str) -> Entry | None:
        """What was last recorded for this interchange, or None."""
        with self._lock:
            row = last_row(self.path, "control", control_number)
        if row is None:
            return None
        stamp = Stamp(row["name"], int(row["size"]), row["sha256"])
        return Entry(row["state"], stamp, int(row.get("claims", 0)), row.get("at", ""))

    def _append(self, row: dict[str, object]) -> None:
        with self._lock:
            append_row(self.path, row)
