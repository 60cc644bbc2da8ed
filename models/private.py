"""Files that can hold patient data (the billing database, the sandbox's copies of every 837P, rosters,
bundles, X12 files, Prefect's home) are owner-only: 0600 files in 0700 folders, whatever the umask."""

import os
import stat
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def owner_only_umask() -> None:
    """Everything this process (and what it starts: a Prefect server, a flow run) creates is owner-only."""
    os.umask(OWNER_ONLY_UMASK)


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner can enter (created with its parents if missing)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    _chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """`path` as a file only its owner can read, created empty if missing, in an owner-only folder."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    _chmod(path, 0o600)
    return path


def private_sqlite(path: Path) -> Path:
    """A SQLite database file owner-only before SQLite opens it (its WAL and shared-memory files take
    the database file's mode), and any companions an older run left readable tightened."""
    private_file(path)
    for suffix in SQLITE_COMPANIONS[1:]:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _chmod(companion, 0o600)
    return path


def tighten_tree(root: Path) -> int:
    """Make every folder under `root` 0700 and every file 0600 (what an older version or another tool
    left readable); how many were changed. Symbolic links are not followed."""
    changed = 0
    if not root.is_dir():
        return 0
    for folder, dirs, files in os.walk(root):
        changed += _chmod(Path(folder), 0o700)
        changed += sum(_chmod(Path(folder, name), 0o600) for name in files)
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    return changed


def _chmod(path: Path, mode: int) -> int:
    """Set `path`'s permission bits to `mode` if it is ours and not already so; 1 if changed."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode or info.st_uid != os.getuid():
            return 0
        path.chmod(mode)
        return 1
    except OSError:
        return 0
