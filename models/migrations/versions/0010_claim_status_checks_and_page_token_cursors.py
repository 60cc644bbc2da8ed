"""claim status checks; report cursors hold an API page token

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:22:58.587365

A cursor of an API clearinghouse is its page token (Stedi: up to 1024 characters). A downgrade forgets the
cursors that do not fit: their next collection starts over, and reports applied before are skipped by ID.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "claimstatuscheck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("asked_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("trace_number", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("answered_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("status_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("payer_claim_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("paid", models.types.Money(), nullable=True),
        sa.Column("adjudicated_on", sa.Date(), nullable=True),
        sa.Column("raw", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trace_number"),
    )
    with op.batch_alter_table("claimstatuscheck", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claimstatuscheck_claim_id"), ["claim_id"], unique=False)

    with op.batch_alter_table("reportcursor", schema=None) as batch_op:
        batch_op.alter_column(
            "value",
            existing_type=sa.VARCHAR(length=80),
            type_=sqlmodel.sql.sqltypes.AutoString(length=1024),
            existing_nullable=False,
        )


def downgrade() -> None:
    """Undo this revision."""
    op.execute("DELETE FROM reportcursor WHERE length(value) > 80")
    with op.batch_alter_table("reportcursor", schema=None) as batch_op:
        batch_op.alter_column(
            "value",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=1024),
            type_=sa.VARCHAR(length=80),
            existing_nullable=False,
        )

    with op.batch_alter_table("claimstatuscheck", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claimstatuscheck_claim_id"))

    op.drop_table("claimstatuscheck")
