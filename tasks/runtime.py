"""What a pipeline step needs at run time, built from settings once per process."""

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from config.settings import PLACEHOLDER_SECRETS, Settings, get_settings

if TYPE_CHECKING:
    from tasks.clearinghouse.protocol import Clearinghouse
    from tasks.submission.batching import Envelope


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """The engine for a database URL, its schema migrated to the newest revision (once per process and URL)."""
    if url not in _ENGINES:
        from models.db import make_engine
        from models.migrate import upgrade

        engine = make_engine(url)
        upgrade(engine)
        _ENGINES[url] = engine
    return _ENGINES[url]


def dispose_engines() -> None:
    """Close every cached engine's pooled connections and forget the engines (tests, shutdown)."""
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()


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

    return PacedClearinghouse(open_clearinghouse(_with_block_key(get_settings())), payer_slot)


def _with_block_key(settings: Settings) -> Settings:
    """The settings with the API key from the Prefect Secret block they name, when no key is set directly."""
    key = settings.clearinghouse_api_key.get_secret_value().strip().lower()
    if not settings.clearinghouse_api_key_block or key not in PLACEHOLDER_SECRETS:
        return settings
    from prefect.blocks.system import Secret
    from pydantic import SecretStr

    secret = Secret.load(settings.clearinghouse_api_key_block)
    return settings.model_copy(update={"clearinghouse_api_key": SecretStr(str(secret.get()))})  # type: ignore[union-attr]
