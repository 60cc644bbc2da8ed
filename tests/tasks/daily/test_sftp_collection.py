"""Collecting from an SFTP mailbox whose files stay on the server (the connection leaves them, or they cannot
be deleted): files applied before are skipped before they are downloaded, so they neither hold new ones back
behind the page cap nor are downloaded again; a file that cannot be deleted is left, with a warning, and the
collection goes on; reaching the page cap is said."""

import logging
import os
from pathlib import Path

import pytest

from config.reference_data import x12_codes
from tasks.posting.collect import collect
from tasks.posting.common import Posting
from tests.tasks.clearinghouse.conftest import SftpUnderTest
from tests.tasks.daily.conftest import Billing


@pytest.fixture
def box(billing: Billing, sshd, tmp_path: Path) -> SftpUnderTest:  # type: ignore[no-untyped-def]
    """The practice's mailbox on the real sshd."""
    return SftpUnderTest(sshd, tmp_path, billing.sandbox)


def _collect(billing: Billing, box: SftpUnderTest, **settings: object) -> Posting:
    """One collection by a process of its own (nothing handed out yet), through a connector with `settings`."""
    other = SftpUnderTest.__new__(SftpUnderTest)
    other.__dict__ |= box.__dict__ | {"client": box.connector(**settings)}
    return collect(billing.engine, other, x12_codes(), source="test")


def _notes(folder: Path, *names: str) -> None:
    """Vendor text reports (not X12: one `unreadable` report each), readable by the SFTP user."""
    for name in names:
        path = folder / name
        path.write_text(f"Weekly summary {name}: see the portal\n")
        path.chmod(0o644)
        os.chown(path, folder.stat().st_uid, folder.stat().st_gid)


def test_files_left_on_the_server_are_skipped_before_download_and_new_ones_are_reached(
    billing: Billing, box: SftpUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tasks.clearinghouse.sftp.mailbox.FILES_PER_PAGE", 2)
    _notes(box.folder("outbound"), "a0.txt", "a1.txt", "a2.txt", "a3.txt")
    assert _collect(billing, box, after_download="leave").unreadable == 4
    _notes(box.folder("outbound"), "b0.txt")
    monkeypatch.setattr("tasks.posting.collect.MAX_PAGES", 1)
    later = _collect(billing, box, after_download="leave")
    assert (later.reports, later.unreadable, later.already_applied) == (1, 1, 0)  # b0 only, nothing downloaded again
    assert sorted(os.listdir(box.folder("outbound"))) == ["a0.txt", "a1.txt", "a2.txt", "a3.txt", "b0.txt"]


def test_reaching_the_page_cap_is_said_and_the_rest_comes_next_time(
    billing: Billing, box: SftpUnderTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("tasks.clearinghouse.sftp.mailbox.FILES_PER_PAGE", 1)
    monkeypatch.setattr("tasks.posting.collect.MAX_PAGES", 2)
    _notes(box.folder("outbound"), "c0.txt", "c1.txt", "c2.txt")
    with caplog.at_level(logging.WARNING, logger="groupbill.posting"):
        assert _collect(billing, box).unreadable == 2
    assert [r.getMessage() for r in caplog.records if r.name == "groupbill.posting"] == [
        "collecting reports (cursor clearinghouse) stopped after 2 pages: the rest waits for the next collection"
    ]
    assert _collect(billing, box).unreadable == 1 and os.listdir(box.folder("outbound")) == []


def test_a_file_that_cannot_be_deleted_is_left_and_the_collection_goes_on(
    billing: Billing, box: SftpUnderTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("tasks.clearinghouse.sftp.mailbox.FILES_PER_PAGE", 1)
    locked = box.root / "locked"
    locked.mkdir()
    locked.chmod(0o755)  # root's: the SFTP user may list and read, not delete
    _notes(locked, "d0.txt", "d1.txt")
    with caplog.at_level(logging.WARNING, logger="groupbill.clearinghouse.sftp"):
        first = _collect(billing, box, outbound=f"{box.name}/locked")
    assert first.unreadable == 2  # the second page too: the first one's refused delete stopped nothing
    said = [r.getMessage() for r in caplog.records if "not settled" in r.getMessage()]
    assert len(said) == 2 and all("left on the server" in line for line in said)
    assert sorted(os.listdir(locked)) == ["d0.txt", "d1.txt"]
    assert _collect(billing, box, outbound=f"{box.name}/locked").reports == 0  # skipped, not downloaded again


def test_a_file_that_cannot_be_archived_is_left_with_a_warning_not_taken_for_settled(
    billing: Billing, box: SftpUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    """A missing archive folder answers 'no such file' too: the file is still there, so it is said."""
    _notes(box.folder("outbound"), "e0.txt")
    moving = {"after_download": "archive", "archive": f"{box.name}/gone"}
    with caplog.at_level(logging.WARNING, logger="groupbill.clearinghouse.sftp"):
        assert _collect(billing, box, **moving).unreadable == 1
    assert any("e0.txt applied but not settled" in r.getMessage() for r in caplog.records)
    assert os.listdir(box.folder("outbound")) == ["e0.txt"]
    assert _collect(billing, box, **moving).reports == 0
