"""The Clearinghouse protocol over an SFTP mailbox (transport.py says why paramiko).

- submit and was_received: uploads.py (each interchange once; a control number that already stands for
  other content, in the journal or in the mailbox, is refused rather than taken as received).
- fetch_reports: the outbound folder a page of files at a time, files applied before (applied.py) skipped
  before they are downloaded; a file whose size changes between two listings is still being written and
  waits for the next collection; each file is downloaded, kept (owner-only) and split into interchanges
  and transaction sets, each a Report whose ID comes from the file's name, size and SHA-256;
  `reports_applied` (after the caller committed) records the files as applied, then deletes, archives or
  leaves them, as the connection says. A file that cannot be deleted or moved is left, with a warning:
  the collection goes on, and later ones skip it.
- Eligibility is real-time and a mailbox is not: 270s go to the connection named by `eligibility`.
"""

import hashlib
import logging
import random
import stat
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path, PurePosixPath

import paramiko

from config.clearinghouses import AfterDownload, SftpConnection
from models.errors import ClearinghouseError, ClearinghouseMisconfigured, ClearinghouseRejected
from tasks.clearinghouse.protocol import Clearinghouse, Content, Receipt, ReportPage
from tasks.clearinghouse.sftp.applied import AppliedFiles
from tasks.clearinghouse.sftp.journal import Journal
from tasks.clearinghouse.sftp.reports import Listed, RemoteFile, isa_control_number, keep_private, reports_of
from tasks.clearinghouse.sftp.transport import Credentials, Transport
from tasks.clearinghouse.sftp.uploads import Uploads, final_name, remote_exists
from tasks.crash import crash_point

log = logging.getLogger("groupbill.clearinghouse.sftp")
FILES_PER_PAGE = 20


class SftpClearinghouse:
    """One SFTP mailbox connection."""

    def __init__(
        self,
        connection: SftpConnection,
        credentials: Credentials,
        state_dir: Path,
        *,
        eligibility: Clearinghouse | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connection, self.transport = connection, Transport(connection, credentials, sleep=sleep)
        self.journal = Journal(state_dir / "uploads.jsonl")
        self.uploads = Uploads(connection, self.transport, self.journal)
        self.reports_dir, self.eligibility, self.sleep = state_dir / "reports", eligibility, sleep
        self.applied = AppliedFiles(state_dir / "applied.jsonl")
        self._next = random.randrange(10**6, 10**9) * 1000  # this process's cursors; others start over
        self._handed_out: dict[str, frozenset[str]] = {}
        self._to_settle: dict[str, list[Listed]] = {}

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """A 270 through the connection named `eligibility` (a mailbox answers days later, not now)."""
        if self.eligibility is None:
            raise ClearinghouseMisconfigured(
                f"sftp {self.transport.where}: a mailbox has no real-time eligibility; name the connection that "
                "answers 270s under `eligibility:`"
            )
        return self.eligibility.check_eligibility(x12_270, payer_id=payer_id)

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """Upload once under a temporary name, rename to the final name; the receipt names the file."""
        return self.uploads.submit(x12_837, control_number)

    claim_status_channel = "mailbox"  # a 276 batch is left in the mailbox; the 277s come back as reports

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> None:
        """Leave a 276 batch in the inbound folder, once per interchange control number (the 277 comes later)."""
        control = isa_control_number(x12_276)
        self.uploads.put(x12_276, f"276-{control}", final_name(self.connection.submitter_id, f"276_{control}"), 0)

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """The receipt if the interchange is in the mailbox (or was taken from it) with the expected content."""
        return self.uploads.was_received(control_number, expected)

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """The next page of complete report files in the outbound folder, each downloaded, kept and split.

        A cursor stands for the files this process already handed out in this collection; a cursor it
        did not hand out (another process, a stored one) starts from the whole folder again, and the
        report IDs (name, size, hash) keep a file from being applied twice."""
        if cursor and not cursor.isdigit():
            raise ClearinghouseRejected(f"bad report cursor {cursor[:20]!r}")
        seen = self._handed_out.get(cursor or "", frozenset())
        listed = self.transport.call("list reports", lambda sftp: self._download_page(sftp, seen))
        reports = [report for item in listed for report in reports_of(item)]
        self._next += 1
        next_cursor = str(self._next)
        self._handed_out[next_cursor] = seen | {item.name for item in listed}
        self._to_settle[next_cursor] = listed
        while len(self._handed_out) > 64:  # a long collection keeps only its recent cursors
            self._handed_out.pop(next(iter(self._handed_out)))
        return ReportPage(tuple(reports), next_cursor)

    def _download_page(self, sftp: paramiko.SFTPClient, seen: frozenset[str]) -> list[Listed]:
        outbound = self.connection.outbound
        listed = _files(sftp, outbound)
        applied = self.applied.among(listed)
        first = [f for f in listed if f.name not in seen and f not in applied][:FILES_PER_PAGE]
        if first and self.connection.settle_seconds:
            self.sleep(self.connection.settle_seconds)
        again = {f.name: f.size for f in _files(sftp, outbound)}
        page = []
        for remote in first:
            if again.get(remote.name) != remote.size:
                log.info(
                    "sftp report %s is still being written (size changed); the next collection takes it", remote.name
                )
                continue
            data = BytesIO()
            sftp.getfo(_join(outbound, remote.name), data)
            if len(data.getvalue()) != remote.size:
                log.info("sftp report %s changed while downloading; the next collection takes it", remote.name)
                continue
            page.append(self._keep(remote, data.getvalue()))
        if page:
            crash_point("sftp:downloaded")
        return page

    def _keep(self, remote: RemoteFile, data: bytes) -> Listed:
        """The raw file kept owner-only under the reports folder, named by its hash and remote name."""
        digest = hashlib.sha256(data).hexdigest()
        local = keep_private(self.reports_dir / f"{digest[:16]}-{PurePosixPath(remote.name).name}", data)
        return Listed(remote.name, len(data), digest, data, local, remote.mtime)

    def reports_applied(self, page: ReportPage) -> None:
        """After the caller committed the page: its files recorded as applied, then deleted, archived or left on
        the server; a file that cannot be settled is left there (a warning), and later collections skip it."""
        items = self._to_settle.pop(page.next_cursor, [])
        if not items:
            return
        self.applied.record((item.remote, item.sha256) for item in items)
        mode = self.connection.after_download
        if mode is AfterDownload.LEAVE:
            return
        names = [item.name for item in items]
        try:
            self.transport.call(f"{mode.value} {len(names)} reports", lambda sftp: self._settle(sftp, names))
        except ClearinghouseError as exc:
            log.warning("sftp %s of %d applied reports failed, left on the server: %s", mode.value, len(names), exc)

    def _settle(self, sftp: paramiko.SFTPClient, names: list[str]) -> None:
        for name in names:
            self._settle_one(sftp, name)

    def _settle_one(self, sftp: paramiko.SFTPClient, name: str) -> None:
        """Delete or archive one applied file; refused, it stays with a warning (later collections skip it)."""
        source, archive = _join(self.connection.outbound, name), self.connection.archive
        try:
            if self.connection.after_download is AfterDownload.ARCHIVE and archive:
                sftp.posix_rename(source, _join(archive, name))
            else:
                sftp.remove(source)
        except (TimeoutError, ConnectionError):
            raise  # the connection, not the file: the transport retries
        except OSError as exc:  # refused for this file (permissions, no archive folder, the server's own reasons)
            if isinstance(exc, FileNotFoundError) and not remote_exists(sftp, source):
                return  # settled by an earlier attempt
            log.warning("sftp report %s applied but not settled (%s): left on the server", name, exc.strerror or exc)

    def check(self) -> list[tuple[str, bool, str]]:
        """(check, passed, what was found) for the host key, authentication and both folders."""
        return self.transport.call("check", self._check)

    def _check(self, sftp: paramiko.SFTPClient) -> list[tuple[str, bool, str]]:
        where = self.transport.where
        found = [
            ("host key", True, f"{where}: matches {self.connection.known_hosts}"),
            ("authentication", True, f"{where}: logged in as {self.connection.user}"),
        ]
        folders = (("inbound folder", self.connection.inbound), ("outbound folder", self.connection.outbound))
        for label, folder in folders:
            try:
                mode = sftp.stat(folder).st_mode or 0
                count = len(sftp.listdir(folder))
                ok = stat.S_ISDIR(mode)
                found.append((label, ok, f"{folder}: {'a folder' if ok else 'not a folder'}, {count} entries"))
            except OSError as exc:
                found.append((label, False, f"{folder}: {exc.strerror or type(exc).__name__}"))
        return found


def _files(sftp: paramiko.SFTPClient, folder: str) -> list[RemoteFile]:
    """Complete-looking regular files of a folder (no hidden or temporary names), by name."""
    found = []
    for entry in sftp.listdir_attr(folder):
        name = entry.filename
        if name.startswith(".") or name.endswith((".part", ".tmp")):
            continue
        if entry.st_mode is not None and stat.S_ISREG(entry.st_mode):
            found.append(RemoteFile(name, int(entry.st_size or 0), int(entry.st_mtime or 0)))
    return sorted(found, key=lambda remote: remote.name)


def _join(folder: str, name: str) -> str:
    return str(PurePosixPath(folder) / name)
