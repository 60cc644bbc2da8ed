"""The report files a mailbox connection applied (and committed) that may still be on the server: the
connection leaves them there, or deleting or moving one failed. One JSON line each (name, size,
modification time, SHA-256) in an owner-only file.

A listed file with the name, size and modification time of one applied is skipped before it is
downloaded, so files left behind neither fill a collection's pages (ahead of new ones) nor are downloaded
again every time. The SHA-256 is that of the file applied; a file rewritten under the same name has
another time (or size), is downloaded again, and its report IDs (name, size and SHA-256) say whether it
is new. Records of files no longer listed are dropped when the folder is next listed.
"""

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from models.private import private_file
from tasks.clearinghouse.sftp.reports import RemoteFile, keep_private


class AppliedFiles:
    """Append-only between listings; a listing rewrites it to the files still there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, applied: Iterable[tuple[RemoteFile, str]]) -> None:
        """These files (each with the SHA-256 of what was applied) are applied and committed."""
        lines = "".join(json.dumps(asdict(remote) | {"sha256": sha256}) + "\n" for remote, sha256 in applied)
        with self._lock:
            private_file(self.path)
            with self.path.open("a", encoding="ascii") as handle:
                handle.write(lines)
                handle.flush()
                os.fsync(handle.fileno())

    def among(self, listed: Iterable[RemoteFile]) -> set[RemoteFile]:
        """Those of the listed files applied before; the records of files no longer listed are dropped."""
        present = set(listed)
        with self._lock:
            rows = self._rows()
            kept = [row for row in rows if _remote(row) in present]
            if len(kept) < len(rows):
                keep_private(self.path, "".join(json.dumps(row) + "\n" for row in kept).encode("ascii"))
        return {_remote(row) for row in kept}

    def _rows(self) -> list[dict[str, object]]:
        if not self.path.exists():
            return []
        rows = []
        for line in self.path.read_text(encoding="ascii").splitlines():
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue  # a line cut by a crash mid-write: that file is downloaded again, applied once
        return rows


def _remote(row: dict[str, object]) -> RemoteFile:
    return RemoteFile(str(row["name"]), int(str(row["size"])), int(str(row["mtime"])))
