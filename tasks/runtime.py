"""What a pipeline step needs at run time, built from settings once per process."""

from functools import lru_cache

from sqlalchemy import Engine

from config.settings import get_settings
from models.db import create_schema, make_engine


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """The engine for a database URL, with its schema in place (one per process and URL)."""
    engine = make_engine(url)
    create_schema(engine)
    return engine


def billing_engine() -> Engine:
    """The billing database named by the settings."""
    return engine_for(get_settings().database_url)
