"""Files groupbill writes (837P batches, 278 requests): owner-only, written whole or not at all."""

import contextlib
import os
from pathlib import Path

from models.errors import OutputNotWritable
from models.private import private_dir


def write_private(path: Path, text: str, *, hint: str = "") -> Path:
    """Write `text` to `path` with mode 0600 (folder 0700) via a temporary file and a rename.

    A folder that cannot be made or written (permissions, a full disk, a file in the way) raises
    OutputNotWritable naming it, with `hint` saying what to change; no partial file is left behind."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        _write(path, temporary, text)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OutputNotWritable(path, _reason(exc), hint=hint) from None
    return path


def _reason(exc: OSError) -> str:
    """Why the file could not be written; a file where a folder should be says so, whichever call met it."""
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "a file is in the way of the folder"
    return exc.strerror or type(exc).__name__


def _write(path: Path, temporary: Path, text: str) -> None:
    private_dir(path.parent)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
