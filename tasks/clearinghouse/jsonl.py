"""Append-only JSON-lines records that survive a crash: one row a line, each flushed and fsynced in an
owner-only file; a line cut by a crash mid-write is skipped and the one before it still stands. The upload
journal of an SFTP mailbox and the send journal of a Stedi connection both keep theirs so."""

import json
import os
from pathlib import Path
from typing import Any

from models.private import private_file


def append_row(path: Path, row: dict[str, Any]) -> None:
    """Append `row` as one line, flushed and fsynced, to the owner-only file at `path`."""
    private_file(path)
    with path.open("a", encoding="ascii") as handle:
        handle.write(json.dumps(row) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def last_row(path: Path, field: str, value: str) -> dict[str, Any] | None:
    """The last whole row whose `field` is `value`, or None (no file, or no such row)."""
    if not path.exists():
        return None
    found = None
    for line in path.read_text(encoding="ascii").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue  # a line cut by a crash mid-write: the one before it still stands
        if isinstance(row, dict) and row.get(field) == value:
            found = row
    return found
