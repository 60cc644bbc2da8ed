"""What a pipeline step needs at run time, built from settings once per process."""

from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from config.settings import get_settings
from models.db import create_schema, make_engine

if TYPE_CHECKING:
    from tasks.clearinghouse.protocol import Clearinghouse
    from tasks.submission.batching import Envelope


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """The engine for a database URL, with its schema in place (one per process and URL)."""
    engine = make_engine(url)
    create_schema(engine)
    return engine


def billing_engine() -> Engine:
    """The billing database named by the settings."""
    return engine_for(get_settings().database_url)


def envelope() -> "Envelope":
    """Our submitter ID, the clearinghouse's receiver ID, and where 837P files go, from settings."""
    from tasks.submission.batching import Envelope

    settings = get_settings()
    return Envelope(settings.submitter_id, settings.clearinghouse_receiver_id, settings.output_dir)


def clearinghouse() -> "Clearinghouse":
    """The clearinghouse the settings name, paced by the server's per-payer rate limits where they exist."""
    from tasks.clearinghouse import open_clearinghouse
    from tasks.clearinghouse.paced import PacedClearinghouse
    from tasks.retrying import payer_slot

    return PacedClearinghouse(open_clearinghouse(get_settings()), payer_slot)
