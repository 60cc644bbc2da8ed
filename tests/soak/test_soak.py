"""The short soak inside `make test`: one round, a SIGKILL at every crash point, sandbox faults on,
the invariants after every run (the long one is `make soak`). On PostgreSQL when the suite runs there."""

from pathlib import Path

from tests.databases import fresh_database
from tests.soak.run import CRASH_POINTS, soak


def test_killed_at_every_step_and_mid_batch_under_faults_nothing_lost_nothing_sent_twice(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        tally = soak(tmp_path, rounds=1, seed=11, random_kills=0, billing_url=url, say=False)
    assert tally.violations == []
    assert set(tally.kills) == set(CRASH_POINTS), sorted(set(CRASH_POINTS) - set(tally.kills))
    assert tally.checks == tally.runs >= len(CRASH_POINTS) + 1
    assert tally.counts["claims_received_by_clearinghouse"] > 0 and tally.counts["835s_posted"] > 0
    assert tally.counts["next_payer_claims"] > 0 and tally.counts["services_with_a_standing_835"] > 0
