"""The sandbox payer simulator over a folder pair, as a clearinghouse's SFTP mailbox sees it.

    ROOT/inbound    837P files arrive here (complete files only: hidden or temporary names are left alone)
    ROOT/outbound   TA1, 999, 277CA and 835 files are written here (temporary name, then renamed)
    ROOT/archive    each inbound file is moved here once taken
    ROOT/received.jsonl   one line per file taken (name, size, SHA-256, control number): the proof of once
    ROOT/sent.jsonl       one line per report file written (name, size, SHA-256)

Envelope faults are answered with a TA1 R and go no further: ISA08 not this mailbox's receiver ID (008),
ISA15 against the mailbox's mode (020). Everything else goes to the simulator, whose 999, 277CA and 835
come out as the HTTP sandbox releases them (acknowledgments on the next poll, remittances on a later one).
Files it writes belong to the owner of the folder they are in (an SFTP user, when served by sshd).
"""

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from models.errors import ClearinghouseRejected, X12ParseError
from models.private import private_file
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.state import next_value
from tasks.x12.envelope import Header
from tasks.x12.segments import read_delimiters, split_segments
from tasks.x12.ta1 import InterchangeAck, Ta1, write_ta1

log = logging.getLogger("groupbill.sandbox.mailbox")


@dataclass(frozen=True, slots=True)
class MailboxConfig:
    """Where the folders are, who the mailbox is (ISA08) and whether it takes test or production files."""

    root: Path
    receiver_id: str = "SANDBOX"
    mode: str = "T"

    @property
    def inbound(self) -> Path:
        """Where 837P files arrive."""
        return self.root / "inbound"

    @property
    def outbound(self) -> Path:
        """Where answers are written."""
        return self.root / "outbound"

    @property
    def archive(self) -> Path:
        """Where taken files go."""
        return self.root / "archive"


class Mailbox:
    """One pass at a time: take what arrived, answer it, release what is due."""

    def __init__(self, config: MailboxConfig, sandbox: SandboxClearinghouse) -> None:
        self.config, self.sandbox = config, sandbox
        for folder in (config.inbound, config.outbound, config.archive):
            folder.mkdir(parents=True, exist_ok=True)
        self.cursor_file = config.root / ".mailbox-cursor"

    def run_once(self) -> int:
        """Take every complete inbound file, then poll the simulator once; how many files were taken."""
        taken = 0
        for path in sorted(p for p in self.config.inbound.iterdir() if _complete(p)):
            self.take(path)
            taken += 1
        self.release()
        return taken

    def take(self, path: Path) -> None:
        """Answer one inbound file (TA1 for envelope faults, else the simulator), then archive it."""
        data = path.read_bytes()
        text = data.decode("latin-1")
        control, fault = _envelope(text, self.config)
        control = control or "U" + hashlib.sha256(data).hexdigest()[:8]  # unreadable: each its own 999
        if fault is not None:
            self.write(f"TA1_{control}.x12", self._ta1(text, control, fault))
        elif _first_set(text) == "276":  # a claim status batch: the payer's 277 answers it in the next file
            self.write(f"277_{control}.x12", self._status(text))
        else:
            self.sandbox.submit(text, control_number=control, payer_id="")
        self._log(path.name, data, control, fault)
        os.replace(path, self.config.archive / path.name)

    def _status(self, text: str) -> str:
        """The payer's 277 to a 276 batch; a batch it cannot read is answered with a 999 R, as an 837 would be."""
        try:
            return self.sandbox.check_claim_status(text, payer_id="")
        except ClearinghouseRejected as exc:
            log.info("276 refused: %s", exc)
            return self.sandbox.refusal_999(text)

    def _ta1(self, text: str, control: str, note: str) -> str:
        isa = text[:106].split(text[3]) if len(text) >= 106 else []
        day, time = (isa[9], isa[10]) if len(isa) > 10 else ("000101", "0000")
        with self.sandbox.state.transaction() as db:
            number = next_value(db, "interchange")
        created = self.sandbox.clock().replace(tzinfo=None)
        sender = isa[6].strip() if len(isa) > 6 else "UNKNOWN"
        header = Header(self.config.receiver_id, sender, number, created, usage=self.config.mode)
        return write_ta1(Ta1(header, (InterchangeAck(control, day, time, "R", note),)))

    def release(self) -> None:
        """Poll the simulator once (a poll is its clock) and write the page it releases to the outbound folder."""
        cursor = self.cursor_file.read_text().strip() if self.cursor_file.exists() else None
        page = self.sandbox.fetch_reports(cursor)
        for report in page.reports:
            self.write(f"{report.kind}_{report.report_id}.x12", report.text)
        private_file(self.cursor_file).write_text(page.next_cursor)

    def write(self, name: str, text: str) -> None:
        """A report file, whole: written under a hidden name, owned like its folder, then renamed."""
        folder = self.config.outbound
        temporary = folder / f".{name}.part"
        temporary.write_text(text, encoding="ascii")
        _owned_like(temporary, folder)
        os.replace(temporary, folder / name)
        data = text.encode("ascii")
        row = {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        with (self.config.root / "sent.jsonl").open("a", encoding="ascii") as handle:
            handle.write(json.dumps(row) + "\n")

    def _log(self, name: str, data: bytes, control: str, fault: str | None) -> None:
        row = {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "control": control}
        with (self.config.root / "received.jsonl").open("a", encoding="ascii") as handle:
            handle.write(json.dumps(row | {"ta1": fault}) + "\n")
        log.info("took %s (interchange %s)%s", name, control, f": TA1 R {fault}" if fault else "")


def _first_set(text: str) -> str:
    """ST01 of the file's first transaction set ('' when there is none to read)."""
    try:
        return next((seg[1] for seg in split_segments(text)[1] if seg[0] == "ST" and len(seg) > 1), "")
    except X12ParseError:
        return ""


def _complete(path: Path) -> bool:
    """A complete file: not hidden and not a temporary name (an upload still in progress)."""
    return path.is_file() and not path.name.startswith(".") and not path.name.endswith((".part", ".tmp"))


def _envelope(text: str, config: MailboxConfig) -> tuple[str, str | None]:
    """(ISA13, the TA105 note code when the envelope is wrong for this mailbox, else None)."""
    try:
        delimiters = read_delimiters(text.lstrip("\ufeff\r\n "))
    except X12ParseError:
        return "", None  # not an interchange at all: the simulator's 999 says what is wrong
    isa = text.lstrip("\ufeff\r\n ")[:106].split(delimiters.element)
    control = isa[13] if len(isa[13]) == 9 and isa[13].isdigit() else ""
    if isa[8].strip() != config.receiver_id:
        return control, "008"
    if isa[15] != config.mode:
        return control, "020"
    return control, None


def _owned_like(path: Path, folder: Path) -> None:
    """Give a file the owner of its folder (root serving an SFTP user's mailbox); private either way."""
    os.chmod(path, 0o600)
    info = folder.stat()
    if os.geteuid() == 0 and (info.st_uid, info.st_gid) != (0, 0):
        os.chown(path, info.st_uid, info.st_gid)


def read_received(root: Path, log: str = "received.jsonl") -> list[dict[str, object]]:
    """Every file the mailbox took (or, with log `sent.jsonl`, wrote to outbound), in order."""
    path = root / log
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="ascii").splitlines() if line.strip()]
