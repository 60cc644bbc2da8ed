"""What a pipeline step needs at run time, built from settings once per process."""

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from config.settings import PLACEHOLDER_SECRETS, Settings, get_settings

if TYPE_CHECKING:
    from config.clearinghouses import Connection
    from tasks.clearinghouse.protocol import Clearinghouse
    from tasks.clearinghouse.routing import Routed
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


def connections() -> dict[str, "Connection"]:
    """Every named connection (GROUPBILL_CLEARINGHOUSES_FILE), `default` from the settings; checked."""
    from config.clearinghouses import load_connections
    from tasks.clearinghouse.connect import settings_connection

    settings = get_settings()
    return load_connections(settings.clearinghouses_file, settings_connection(settings))


def practice_envelope(practice_id: int) -> "Envelope":
    """One practice's envelope: its connection's submitter and receiver IDs and test or production mode."""
    from tasks.submission.batching import CLAIMS_PER_FILE, Envelope

    settings = get_settings()
    name = clearinghouse().name_of(practice_id)
    connection = connections()[name]
    per_file = getattr(connection, "claims_per_request", CLAIMS_PER_FILE)
    return Envelope(
        connection.submitter_id, connection.receiver_id, settings.output_dir, connection.usage, per_file, name
    )


def clearinghouse(*, paced: bool = True) -> "Routed":
    """Each practice's clearinghouse by its connection, paced by the server's per-payer rate limits where
    they exist (unless not `paced`: no Prefect at all); called without a practice, the `default` connection."""
    from sqlmodel import select

    from models.db import session_scope
    from models.practice import Practice
    from tasks.clearinghouse.routing import Routed

    with session_scope(billing_engine()) as session:
        practices = {int(p or 0): name for p, name in session.exec(select(Practice.id, Practice.clearinghouse))}
    known = connections()

    def opener(name: str, connection: "Connection") -> "Clearinghouse":
        from tasks.clearinghouse.connect import open_connection

        settings = _with_block_key(get_settings()) if paced else get_settings()
        opened = open_connection(name, connection, settings, _block_value, lambda other: opener(other, known[other]))
        if not paced:
            return opened
        from tasks.clearinghouse.paced import PacedClearinghouse
        from tasks.retrying import payer_slot

        return PacedClearinghouse(opened, payer_slot)

    return Routed(known, practices, opener)


def _block_value(block: str) -> str:
    """A Prefect Secret block's value."""
    from prefect.blocks.system import Secret

    return str(Secret.load(block).get())  # type: ignore[union-attr]


def _with_block_key(settings: Settings) -> Settings:
    """The settings with the API key from the Prefect Secret block they name, when no key is set directly."""
    key = settings.clearinghouse_api_key.get_secret_value().strip().lower()
    if not settings.clearinghouse_api_key_block or key not in PLACEHOLDER_SECRETS:
        return settings
    from prefect.blocks.system import Secret
    from pydantic import SecretStr

    secret = Secret.load(settings.clearinghouse_api_key_block)
    return settings.model_copy(update={"clearinghouse_api_key": SecretStr(str(secret.get()))})  # type: ignore[union-attr]
