"""Payer rate limits: every clearinghouse call takes a slot of the payer's Prefect limit when one exists."""

import pytest

from tasks.clearinghouse.paced import DEFAULT_LIMIT, PacedClearinghouse, limit_name
from tasks.clearinghouse.protocol import ReportPage


class Quiet:
    """A clearinghouse that answers without doing anything."""

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        return "271"

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        return ReportPage((), "0")


def test_calls_are_paced_per_payer() -> None:
    taken: list[str] = []
    paced = PacedClearinghouse(Quiet(), taken.append)  # type: ignore[arg-type]
    paced.check_eligibility("270", payer_id="SACME1")
    paced.fetch_reports(None)
    assert taken == [limit_name("SACME1"), DEFAULT_LIMIT] == ["payer-SACME1", "payer-any"]


def test_a_slot_is_taken_only_where_the_server_has_the_limit(prefect_harness, monkeypatch: pytest.MonkeyPatch) -> None:
    import prefect.concurrency.sync as sync
    from prefect.client.orchestration import get_client

    from tasks import retrying

    taken: list[str] = []
    monkeypatch.setattr(sync, "rate_limit", lambda name, **_: taken.append(name))
    monkeypatch.setattr(retrying, "_EXISTING_LIMITS", {})
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name("payer-SLIMIT1", 5, slot_decay_per_second=5.0)
    retrying.payer_slot("payer-SLIMIT1")
    retrying.payer_slot("payer-NOLIMIT")
    retrying.payer_slot("payer-SLIMIT1")
    assert taken == ["payer-SLIMIT1", "payer-SLIMIT1"]


def test_make_serve_creates_a_rate_limit_per_payer(prefect_harness, billing: str, practice) -> None:
    from prefect.client.orchestration import get_client

    from config.settings import get_settings
    from deployments.setup import create_payer_limits

    assert create_payer_limits() == len({p.x12_payer_id for p in practice.bundle.payers}) + 1
    with get_client(sync_client=True) as client:
        limits = {limit.name: limit for limit in client.read_global_concurrency_limits(limit=100)}
    rate = get_settings().clearinghouse_rate_per_second
    for payer in practice.bundle.payers:
        assert limits[limit_name(payer.x12_payer_id)].slot_decay_per_second == rate
