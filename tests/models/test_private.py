"""Owner-only files and folders, whatever the umask."""

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.private import private_file, private_sqlite, tighten_tree


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_sqlite_database_and_its_wal_are_owner_only_under_a_loose_umask(tmp_path: Path, loose_umask: None) -> None:
    db = tmp_path / "state" / "billing.db"
    private_sqlite(db)
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    files = [db, db.with_name("billing.db-wal"), db.with_name("billing.db-shm")]
    assert [(p.name, _mode(p)) for p in files] == [(p.name, 0o600) for p in files]
    assert _mode(db.parent) == 0o700
    connection.close()


def test_tighten_tree_fixes_what_an_older_version_left_readable(tmp_path: Path, loose_umask: None) -> None:
    root = tmp_path / ".groupbill"
    (root / "prefect" / "storage").mkdir(parents=True)
    (root / "prefect" / "prefect.db").write_text("x")
    (root / "prefect" / "storage" / "result").write_text("x")
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o755)
    (root / "link").symlink_to(outside)
    assert tighten_tree(root) == 5  # three folders (the root too) and two files; the link is left alone
    assert {_mode(p) for p in root.rglob("*") if not p.is_symlink() and p.is_file()} == {0o600}
    assert {_mode(p) for p in [root, *root.rglob("*")] if not p.is_symlink() and p.is_dir()} == {0o700}
    assert _mode(outside) == 0o755 and tighten_tree(root) == 0


def test_private_file_keeps_what_is_in_it(tmp_path: Path) -> None:
    path = tmp_path / "a" / "roster.json"
    path.parent.mkdir()
    path.write_text("kept")
    path.chmod(0o644)
    private_file(path)
    assert path.read_text() == "kept" and _mode(path) == 0o600
