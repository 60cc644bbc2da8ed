"""What `make serve` sets up on the Prefect server besides the deployments: one rate limit per payer
(a global concurrency limit whose slots decay at the payer's calls per second), on top of the
client's own token bucket, so several workers together still respect the payer."""

import math

from prefect.client.orchestration import get_client
from sqlmodel import Session, select

from config.settings import get_settings
from models.practice import Payer
from tasks.clearinghouse.paced import DEFAULT_LIMIT, limit_name
from tasks.runtime import billing_engine


def create_payer_limits() -> int:
    """Create or update `payer-<X12 ID>` rate limits for every payer in the billing database; how many."""
    rate = get_settings().clearinghouse_rate_per_second
    with Session(billing_engine()) as session:
        payer_ids = sorted({p.x12_payer_id for p in session.exec(select(Payer))})
    names = [limit_name(p) for p in payer_ids] + [DEFAULT_LIMIT]
    with get_client(sync_client=True) as client:
        for name in names:
            client.upsert_global_concurrency_limit_by_name(name, max(1, math.ceil(rate)), slot_decay_per_second=rate)
    return len(names)
