"""837P files on disk: owner-only, written whole or not at all."""

import os
from pathlib import Path

from models.private import private_dir


def write_private(path: Path, text: str) -> Path:
    """Write `text` to `path` with mode 0600 (folder 0700) via a temporary file and a rename."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path
