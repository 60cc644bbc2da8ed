"""837P interchanges into an SFTP mailbox's inbound folder, each at most once, and the question whether one
arrived.

- An upload goes to a temporary name, then is renamed to its final name (submitter ID and control number);
  the journal records name, size and SHA-256 before the upload (planned), before the rename (renaming) and
  after it (uploaded).
- An interchange counts as received when the journal says uploaded, or when its final name is in the
  inbound or archive folder with the same size and SHA-256, or when the journal says renaming and the
  temporary file is gone too (renamed, then taken by a far side that keeps no archive we can see): a crash
  or a lost answer between the rename and the record never sends it twice.
- A control number stands for one content: when the journal or the remote file holds other content under it
  than the batch asked about (a database restored or replaced while the output folder or the mailbox
  stayed, so new batches reuse old numbers), it is refused with ControlNumberReused, never taken as
  received and never uploaded over.
"""

import contextlib
import hashlib
import logging
from datetime import datetime
from io import BytesIO
from pathlib import PurePosixPath

import paramiko

from config.clearinghouses import SftpConnection
from models.errors import ControlNumberReused
from tasks.clearinghouse.protocol import Content, Receipt
from tasks.clearinghouse.sftp.journal import PLANNED, RENAMING, UPLOADED, Entry, Journal, Stamp
from tasks.clearinghouse.sftp.reports import claim_count
from tasks.clearinghouse.sftp.transport import Transport
from tasks.crash import crash_point

log = logging.getLogger("groupbill.clearinghouse.sftp")


def final_name(submitter_id: str, control_number: str) -> str:
    """The name an interchange has in the mailbox once complete: submitter ID and control number."""
    return f"{''.join(ch for ch in submitter_id if ch.isalnum()) or 'GROUPBILL'}_{control_number}.x12"


def temporary_name(name: str) -> str:
    """The name it is written under first (a leading dot: mailboxes take no hidden files)."""
    return f".{name}.part"


class Uploads:
    """The inbound side of one mailbox connection."""

    def __init__(self, connection: SftpConnection, transport: Transport, journal: Journal) -> None:
        self.connection, self.transport, self.journal = connection, transport, journal

    def submit(self, x12_837: str, control_number: str) -> Receipt:
        """Upload an 837P once under a temporary name, rename to the final name; the receipt names the file."""
        name = final_name(self.connection.submitter_id, control_number)
        return self.put(x12_837, control_number, name, claim_count(x12_837))

    def put(self, text: str, control_number: str, name: str, claims: int) -> Receipt:
        """Upload any interchange once under `name` (a 276 batch too), journalled under `control_number`."""
        data = text.encode("ascii")
        stamp = Stamp.of(name, data)
        known = self._known(control_number, stamp.content)
        if known is not None and known.state == UPLOADED:
            return receipt(control_number, known)  # sent before: the first receipt, nothing uploaded
        if known is None or known.state == PLANNED:  # a `renaming` stays the last word until the rename is known
            self.journal.planned(control_number, stamp, claims)
        self.transport.call(
            f"upload {stamp.name}", lambda sftp: self._upload(sftp, control_number, stamp, data, claims)
        )
        return receipt(control_number, self.journal.uploaded(control_number, stamp, claims))

    def was_received(self, control_number: str, expected: Content | None) -> Receipt | None:
        """The receipt if the journal says uploaded, or the final name is remote with the same content."""
        known = self._known(control_number, expected)
        if known is None:
            return None  # never started here: the upload itself checks the mailbox first
        if known.state == UPLOADED:
            return receipt(control_number, known)
        stamp = known.stamp
        if not self.transport.call(f"look for {stamp.name}", lambda sftp: self._arrived(sftp, control_number, stamp)):
            return None
        return receipt(control_number, self.journal.uploaded(control_number, stamp, known.claims))

    def _known(self, control_number: str, expected: Content | None) -> Entry | None:
        """The journal's last word on this control number, refused when it was about other content."""
        known = self.journal.lookup(control_number)
        if known is not None and expected is not None and known.stamp.content != expected:
            raise reused(control_number, f"the upload journal {self.journal.path}", str(known.stamp.content), expected)
        return known

    def _upload(self, sftp: paramiko.SFTPClient, control_number: str, stamp: Stamp, data: bytes, claims: int) -> None:
        if self._arrived(sftp, control_number, stamp):
            return  # an earlier attempt finished (its answer was lost): never twice
        inbound = self.connection.inbound
        temporary = _join(inbound, temporary_name(stamp.name))
        sftp.putfo(BytesIO(data), temporary, file_size=stamp.size, confirm=True)
        with contextlib.suppress(OSError):  # owner-only where the server lets us say so (some do not)
            sftp.chmod(temporary, 0o600)
        crash_point("sftp:uploaded-temporary")
        self.journal.renaming(control_number, stamp, claims)  # from the rename on, the far side may take it
        sftp.posix_rename(temporary, _join(inbound, stamp.name))
        crash_point("sftp:renamed-not-recorded")

    def _arrived(self, sftp: paramiko.SFTPClient, control_number: str, stamp: Stamp) -> bool:
        """Whether the interchange reached the mailbox: its final name there with our content or, once a
        rename was started, its temporary file gone as well (renamed, then taken by the far side)."""
        if self._find(sftp, control_number, stamp) is not None:
            return True
        known = self.journal.lookup(control_number)
        if known is None or known.state != RENAMING or known.stamp != stamp:
            return False
        if remote_exists(sftp, _join(self.connection.inbound, temporary_name(stamp.name))):
            return False  # the rename never happened: upload and rename again
        log.warning("sftp interchange %s was renamed before an interruption and taken since: received", control_number)
        return True

    def _find(self, sftp: paramiko.SFTPClient, control_number: str, stamp: Stamp) -> str | None:
        """Where the final name is (inbound, or the archive the far side moves files to) with our content."""
        for folder in (self.connection.inbound, self.connection.archive):
            if folder is None:
                continue
            path = _join(folder, stamp.name)
            try:
                size = sftp.stat(path).st_size
            except FileNotFoundError:
                continue
            there = remote_content(sftp, path) if size == stamp.size else Content(int(size or 0), "")
            if there != stamp.content:
                raise reused(control_number, f"{self.transport.where} {path}", str(there), stamp.content)
            return folder
        sftp.listdir(self.connection.inbound)  # a missing or unreadable inbound folder is said here, plainly
        return None


def remote_content(sftp: paramiko.SFTPClient, path: str) -> Content:
    """The size and SHA-256 of a remote file, read through once."""
    digest, size = hashlib.sha256(), 0
    with sftp.open(path, "rb") as handle:
        handle.prefetch()
        while chunk := handle.read(65536):
            digest.update(chunk)
            size += len(chunk)
    return Content(size, digest.hexdigest())


def reused(control_number: str, where: str, there: str, ours: Content) -> ControlNumberReused:
    """The one line that refuses a control number standing for other content than the batch's."""
    return ControlNumberReused(
        f"interchange {control_number} already stands for other content in {where} ({there}) than this batch's "
        f"({ours}): control numbers reused (a database restored or replaced?); nothing was sent or recorded"
    )


def receipt(control_number: str, entry: Entry) -> Receipt:
    """The receipt of an upload the journal recorded: the same however often it is asked for."""
    return Receipt(control_number, f"sftp:{entry.stamp.name}"[:80], datetime.fromisoformat(entry.at), entry.claims)


def remote_exists(sftp: paramiko.SFTPClient, path: str) -> bool:
    """Whether `path` is there on the server."""
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return False
    return True


def _join(folder: str, name: str) -> str:
    return str(PurePosixPath(folder) / name)
