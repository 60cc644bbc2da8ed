"""The uploader's own record of each interchange it puts in a mailbox: planned (name, size, SHA-256)
before the upload starts, uploaded once the rename to the final name succeeded. One JSON line each,
flushed and fsynced, in an owner-only file: after a crash, the next run knows what it started and what
it finished, even when the clearinghouse has already taken the file out of the inbound folder."""

import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from models.private import private_file


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


class Journal:
    """Append-only; the last line about a control number wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def planned(self, control_number: str, stamp: Stamp) -> None:
        """About to upload `stamp` for this interchange."""
        self._append({"control": control_number, "state": "planned", **asdict(stamp)})

    def uploaded(self, control_number: str, stamp: Stamp) -> None:
        """The file is in the mailbox under its final name."""
        self._append({"control": control_number, "state": "uploaded", **asdict(stamp)})

    def lookup(self, control_number: str) -> tuple[str, Stamp] | None:
        """(state, stamp) last recorded for this interchange, or None."""
        found = None
        with self._lock:
            if not self.path.exists():
                return None
            for line in self.path.read_text(encoding="ascii").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a line cut by a crash mid-write: the one before it still stands
                if row.get("control") == control_number:
                    found = (row["state"], Stamp(row["name"], int(row["size"]), row["sha256"]))
        return found

    def _append(self, row: dict[str, object]) -> None:
        with self._lock:
            private_file(self.path)
            with self.path.open("a", encoding="ascii") as handle:
                handle.write(json.dumps(row) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
