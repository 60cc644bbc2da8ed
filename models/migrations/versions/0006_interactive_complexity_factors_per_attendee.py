"""Interactive-complexity factors per attendee: which of the four CPT factors justify a 90785 (none for existing rows)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:14:14.741883
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("interactive_complexity_factors", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_column("interactive_complexity_factors")
