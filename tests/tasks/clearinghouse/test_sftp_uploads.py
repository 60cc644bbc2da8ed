"""Whether an interchange arrived, asked with the content the batch expects: the same content under its
control number is received (never uploaded again), other content is refused (nothing uploaded), and an
interchange that is nowhere is uploaded once."""

from collections.abc import Callable

import pytest

from models.errors import ControlNumberReused
from tasks.clearinghouse.protocol import Content
from tasks.clearinghouse.sftp.uploads import final_name
from tests.tasks.clearinghouse.conftest import SftpUnderTest
from tests.tasks.clearinghouse.helpers import batch_837, claim


def _batch(pcn: str) -> tuple[str, str, Content]:
    text, control = batch_837(claim("W100", "Paid", pcn))
    return text, control, Content.of(text.encode("ascii"))


def _other(text: str) -> str:
    """Another interchange of the same size under the same control number."""
    return text.replace("RIVERBEND", "RIVERBENE", 1)


def test_the_same_content_is_received_and_not_uploaded_again(mailbox_under_test: SftpUnderTest) -> None:
    box = mailbox_under_test
    text, control, content = _batch("SAME0001")
    first = box.client.submit(text, control_number=control, payer_id="SACME1")
    assert box.client.was_received(control, expected=content) == first
    box.far.run_once()  # taken: in the archive now
    forgetful = box.connector(state="restored-state")  # its journal lost: only the mailbox knows
    assert forgetful.submit(text, control_number=control, payer_id="SACME1").control_number == control
    box.far.run_once()
    assert box.received() == [control]


@pytest.mark.parametrize("where", ["journal", "mailbox"])
def test_other_content_under_the_control_number_is_refused_and_nothing_is_uploaded(
    mailbox_under_test: SftpUnderTest, where: str
) -> None:
    box = mailbox_under_test
    text, control, _ = _batch("OTHER001")
    box.client.submit(text, control_number=control, payer_id="SACME1")
    box.far.run_once()
    other = _other(text)
    if where == "journal":
        with pytest.raises(ControlNumberReused) as failed:
            box.client.was_received(control, expected=Content.of(other.encode("ascii")))
    else:  # the journal lost: the mailbox's archive still holds the first file under the final name
        forgetful = box.connector(state="restored-state")
        assert forgetful.was_received(control, expected=Content.of(other.encode("ascii"))) is None
        with pytest.raises(ControlNumberReused) as failed:
            forgetful.submit(other, control_number=control, payer_id="SACME1")
    said = str(failed.value)
    assert "\n" not in said and said.startswith(f"interchange {control} already stands for other content")
    box.far.run_once()
    assert box.received() == [control] and not list(box.folder("inbound").iterdir())


def test_an_interchange_that_is_nowhere_is_not_received_and_is_uploaded_once(mailbox_under_test: SftpUnderTest) -> None:
    box = mailbox_under_test
    text, control, content = _batch("ABSENT01")
    assert box.client.was_received(control, expected=content) is None
    receipt = box.client.submit(text, control_number=control, payer_id="SACME1")
    assert receipt.receipt_id == f"sftp:{final_name('GROUPBILL', control)}"
    box.far.run_once()
    assert box.received() == [control]


class Crash(BaseException):
    """A process killed at a crash point (not an Exception: nothing catches or retries it)."""


def _crashing_at(name: str) -> Callable[[str], None]:
    def crash_point(reached: str) -> None:
        if reached == name:
            raise Crash(reached)

    return crash_point


@pytest.mark.parametrize("taken", [False, True])
def test_a_crash_between_the_rename_and_the_record_is_received_not_sent_again(
    mailbox_under_test: SftpUnderTest, monkeypatch: pytest.MonkeyPatch, taken: bool
) -> None:
    """The far side may take a file (and keep no archive we can see) the moment it has its final name."""
    box = mailbox_under_test
    client = box.connector(archive=None)
    text, control, content = _batch(f"RENAMED{int(taken)}")
    monkeypatch.setattr("tasks.clearinghouse.sftp.uploads.crash_point", _crashing_at("sftp:renamed-not-recorded"))
    with pytest.raises(Crash):
        client.submit(text, control_number=control, payer_id="SACME1")
    monkeypatch.undo()
    if taken:
        box.far.run_once()
    rerun = box.connector(archive=None)
    receipt = rerun.was_received(control, expected=content)
    assert receipt is not None and receipt.receipt_id == f"sftp:{final_name('GROUPBILL', control)}"
    assert rerun.submit(text, control_number=control, payer_id="SACME1") == receipt
    box.far.run_once()
    assert box.received() == [control]


def test_a_crash_before_the_rename_uploads_again_once(
    mailbox_under_test: SftpUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = mailbox_under_test
    text, control, content = _batch("TEMPONLY")
    monkeypatch.setattr("tasks.clearinghouse.sftp.uploads.crash_point", _crashing_at("sftp:uploaded-temporary"))
    with pytest.raises(Crash):
        box.client.submit(text, control_number=control, payer_id="SACME1")
    monkeypatch.undo()
    box.far.run_once()  # a temporary name is never taken
    assert box.client.was_received(control, expected=content) is None
    box.client.submit(text, control_number=control, payer_id="SACME1")
    box.far.run_once()
    assert box.received() == [control] and not list(box.folder("inbound").iterdir())
