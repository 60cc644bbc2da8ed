"""One round of the crash soak over an SFTP mailbox behind a real sshd (`make soak SOAK_CLEARINGHOUSE=sftp`
runs many): killed at every step boundary and at every point of an upload and a download, nothing lost,
nothing uploaded twice, every outbound file applied once."""

from pathlib import Path

import pytest

from tests.sftp_server import unavailable
from tests.soak.run import soak
from tests.soak.sftp import SFTP_CRASH_POINTS

pytestmark = pytest.mark.integration


def test_killed_at_every_sftp_crash_point_each_interchange_arrives_once_and_each_report_file_applies_once(
    tmp_path: Path,
) -> None:
    if unavailable():
        pytest.skip(unavailable())
    tally = soak(tmp_path, rounds=1, seed=21, random_kills=0, say=False, clearinghouse="sftp")
    assert tally.violations == []
    assert set(tally.kills) == set(SFTP_CRASH_POINTS), sorted(set(SFTP_CRASH_POINTS) - set(tally.kills))
    assert tally.counts["interchanges_taken_by_mailbox"] > 0 and tally.counts["outbound_files_applied"] > 0
