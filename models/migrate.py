"""The billing schema under Alembic, configured in code (no alembic.ini): `groupbill db upgrade`,
and the same on every start of the command line and the pipeline.

A database made with `create_all` (tables, no alembic_version) is stamped at the newest revision
when its schema already is the models' (tests make theirs so), else at the first revision, which is
the schema an older groupbill made that way, and then upgraded.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"


def alembic_config() -> Config:
    """An Alembic config pointing at models/migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to `revision` (default: the newest); the revision it is at afterwards."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        if _created_without_alembic(connection):
            command.stamp(config, "head" if _is_models_schema(connection) else FIRST_REVISION)
        command.upgrade(config, revision)
    return current(engine)


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: not under migrations yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str | None:
    """The newest revision in models/migrations."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _is_models_schema(connection: Connection) -> bool:
    """True when the database's schema already matches the models (nothing for a migration to do)."""
    from alembic.autogenerate import compare_metadata
    from sqlmodel import SQLModel

    import models.db  # noqa: F401  (every table registered on the metadata)

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return not compare_metadata(context, SQLModel.metadata)


def _created_without_alembic(connection: object) -> bool:
    tables = set(inspect(connection).get_table_names())
    return bool(tables) and "alembic_version" not in tables


def new_revision(engine: Engine, message: str) -> None:
    """Write the next revision, generated from the difference between `engine`'s schema (at head) and the models."""
    upgrade(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        number = int(head() or "0") + 1
        command.revision(config, message=message, autogenerate=True, rev_id=f"{number:04d}")
