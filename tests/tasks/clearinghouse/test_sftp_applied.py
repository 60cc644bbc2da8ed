"""The record of report files applied but still on the server: what a listing skips, kept owner-only, and
forgetting the files the server no longer lists."""

import stat
from pathlib import Path

from tasks.clearinghouse.sftp.applied import AppliedFiles
from tasks.clearinghouse.sftp.reports import RemoteFile


def test_applied_files_are_known_by_name_size_and_time_and_forgotten_once_gone(tmp_path: Path) -> None:
    applied = AppliedFiles(tmp_path / "state" / "applied.jsonl")
    one, two = RemoteFile("999_1.x12", 120, 1764000000), RemoteFile("835_2.x12", 900, 1764000100)
    assert applied.among([one, two]) == set()
    applied.record([(one, "a" * 64), (two, "b" * 64)])
    with applied.path.open("a") as handle:
        handle.write('{"name": "cut')  # a crash mid-line
    rewritten = RemoteFile("999_1.x12", 120, 1764003600)  # the same name and size, written again later
    assert applied.among([one, two, rewritten]) == {one, two}
    assert applied.among([two]) == {two}  # 999_1.x12 was deleted on the server: forgotten
    assert applied.among([one, two]) == {two}
    assert stat.S_IMODE(applied.path.stat().st_mode) == 0o600
