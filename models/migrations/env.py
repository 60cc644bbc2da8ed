"""Alembic environment: the models' metadata, the connection handed over by models/migrate.py."""

from typing import Any, Literal

from alembic import context
from sqlmodel import SQLModel

import models.db  # noqa: F401  (imports every table module)

target_metadata = SQLModel.metadata


def render_item(kind: str, obj: Any, _context: Any) -> str | Literal[False]:
    """Column types in generated revisions: sqlmodel's and ours by their full module path."""
    if kind == "type":
        module = type(obj).__module__
        if module.startswith("sqlmodel"):
            return f"sqlmodel.sql.sqltypes.{obj!r}"
        if module == "models.types":
            return f"models.types.{obj!r}"
    return False


def run_migrations() -> None:
    """Migrate over the connection the caller opened (online mode only: we always have a database)."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
