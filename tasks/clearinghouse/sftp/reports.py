"""Report files from a mailbox's outbound folder as the protocol's Reports: every interchange and
transaction set of a file (TA1s too), each with an ID made of the file's name, size and SHA-256, so a
file downloaded again after a crash is recognised and applied once. A file that is not X12 (a vendor's
own text report, say) becomes one report of kind `unreadable`: posting keeps it and files it for review."""

import contextlib
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from models.errors import OutputNotWritable, X12ParseError
from models.private import private_dir
from tasks.clearinghouse.protocol import Report
from tasks.x12.interchanges import read_interchanges, transaction_sets
from tasks.x12.segments import split_segments

log = logging.getLogger("groupbill.clearinghouse.sftp")
READ = frozenset({"999", "277", "835"})


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """A regular file of a mailbox folder as a listing shows it."""

    name: str
    size: int
    mtime: int


@dataclass(frozen=True, slots=True)
class Listed:
    """One downloaded report file: its remote name, size, SHA-256, content, the local copy, its listed time."""

    name: str
    size: int
    sha256: str
    data: bytes
    local: Path
    mtime: int = 0

    @property
    def remote(self) -> RemoteFile:
        """The file as the folder listed it."""
        return RemoteFile(self.name, self.size, self.mtime)

    @property
    def key(self) -> str:
        """What identifies the file: its name, size and hash together (not the name alone)."""
        return hashlib.sha256(f"{self.name}\0{self.size}\0{self.sha256}".encode()).hexdigest()[:24]


def reports_of(item: Listed) -> list[Report]:
    """The file's TA1s (one report) and each of its transaction sets, in order; else one unreadable report."""
    text = item.data.decode("latin-1")
    try:
        units = transaction_sets(text, strict=False)
        with_ta1 = any(interchange.ta1s for interchange in read_interchanges(text, strict=False))
    except X12ParseError as exc:
        log.warning("sftp report %s is not X12 (%s): kept as %s, filed for review", item.name, exc.reason, item.local)
        return [Report(f"F{item.key}-0", "unreadable", text)]
    found = [Report(f"F{item.key}-T", "TA1", text)] if with_ta1 else []
    found += [Report(f"F{item.key}-{n}", unit.kind, unit.text()) for n, unit in enumerate(units, start=1)]
    if not found:
        return [Report(f"F{item.key}-0", "unreadable", text)]
    return found


def claim_count(x12_837: str) -> int:
    """How many claims (CLM segments) an 837P holds."""
    try:
        return sum(1 for segment in split_segments(x12_837)[1] if segment[0] == "CLM")
    except X12ParseError:
        return 0


def isa_control_number(text: str) -> str:
    """ISA13 of an interchange we wrote (nine digits)."""
    try:
        return split_segments(text)[1][0][13]
    except (X12ParseError, IndexError):
        raise X12ParseError("not an interchange with an ISA13 control number", segment=1) from None


def keep_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` owner-only (0600 in a 0700 folder), whole or not at all."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        private_dir(path.parent)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OutputNotWritable(path, exc.strerror or type(exc).__name__, hint="GROUPBILL_OUTPUT_DIR") from None
    return path
