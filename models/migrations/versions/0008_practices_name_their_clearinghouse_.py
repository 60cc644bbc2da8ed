"""practices name their clearinghouse connection; batches keep their file's size and hash

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:08:39.300487
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clearinghouse", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True))

    with op.batch_alter_table("submissionbatch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("file_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("submissionbatch", schema=None) as batch_op:
        batch_op.drop_column("file_sha256")
        batch_op.drop_column("file_size")

    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("clearinghouse")
