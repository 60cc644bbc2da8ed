"""batches name the clearinghouse connection they were assembled for

A batch's envelope (ISA06/ISA08, test or production) is its connection's, so it is sent, asked about
and collected from through that connection even after its practice moves to another one. Batches made
before this revision get their practice's connection (`default` where the practice names none).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 06:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("submissionbatch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("connection", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True))
    op.execute(
        "UPDATE submissionbatch SET connection = COALESCE("
        "(SELECT practice.clearinghouse FROM practice WHERE practice.id = submissionbatch.practice_id), 'default')"
    )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("submissionbatch", schema=None) as batch_op:
        batch_op.drop_column("connection")
