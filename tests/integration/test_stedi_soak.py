"""One round of the crash soak through a `stedi` connection to the local Stedi-contract server under the
sandbox's faults (`make soak SOAK_CLEARINGHOUSE=stedi` runs many): killed at every step boundary and mid
batch, nothing lost, no claim sent twice, every report applied once."""

from pathlib import Path

import pytest

from tests.soak.run import CRASH_POINTS, soak

pytestmark = pytest.mark.integration


def test_killed_at_every_crash_point_through_stedi_nothing_is_lost_or_sent_twice(tmp_path: Path) -> None:
    tally = soak(tmp_path, rounds=1, seed=23, random_kills=0, say=False, clearinghouse="stedi")
    assert tally.violations == [], sorted({v.split(":")[1].split()[0] for v in tally.violations})
    assert set(tally.kills) == set(CRASH_POINTS), sorted(set(CRASH_POINTS) - set(tally.kills))
    assert tally.counts["claims_received_by_clearinghouse"] > 0 and tally.counts["835s_posted"] > 0
