"""A patient listed twice on one roster is a second roster row (occurrence 1), not a refused bundle

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 left the (session, patient) constraint unnamed: SQLite keeps it nameless, so batch mode names
# what it reflects by this convention to drop it; PostgreSQL named it itself (found by its columns).
_REFLECTED = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _roster_constraint() -> str:
    """The name of the old one-row-per-patient constraint."""
    for found in sa.inspect(op.get_bind()).get_unique_constraints("attendance"):
        if set(found["column_names"]) == {"session_id", "patient_id"}:
            return found["name"] or "uq_attendance_session_id"
    raise RuntimeError("attendance has no unique (session_id, patient_id) constraint to replace")


def upgrade() -> None:
    """Apply this revision."""
    old = _roster_constraint()
    with op.batch_alter_table("attendance", schema=None, naming_convention=_REFLECTED) as batch_op:
        batch_op.add_column(sa.Column("occurrence", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint(old, type_="unique")
        batch_op.create_unique_constraint("uq_attendance_roster_row", ["session_id", "patient_id", "occurrence"])


def downgrade() -> None:
    """Undo this revision (fails while a patient has a second row on a roster: delete those first)."""
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_constraint("uq_attendance_roster_row", type_="unique")
        batch_op.create_unique_constraint("uq_attendance_session_id", ["session_id", "patient_id"])
        batch_op.drop_column("occurrence")
