"""Revision 0001's tables: notes, the ledger, claim events and lines, payments, findings, work items."""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types


def create() -> None:
    """Create these tables and their indexes."""
    op.create_table(
        "progressnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("participation", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("goals_addressed", sa.JSON(), nullable=False),
        sa.Column("interventions", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("plan", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendance_id"],
            ["attendance.id"],
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["provider.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("attendance_id"),
    )
    op.create_table(
        "authledgerentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authorization_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("reserve", "consume", "release", name="ledgerkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("occurred_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["authorization.id"],
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("authledgerentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_authledgerentry_authorization_id"), ["authorization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_authledgerentry_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "claimevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "on_hold",
                "ready",
                "submitting",
                "submitted",
                "accepted",
                "rejected",
                "paid",
                "partially_paid",
                "denied",
                "corrected",
                "voided",
                name="claimstatus",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "on_hold",
                "ready",
                "submitting",
                "submitted",
                "accepted",
                "rejected",
                "paid",
                "partially_paid",
                "denied",
                "corrected",
                "voided",
                name="claimstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claimevent", schema=None) as batch_op:
        batch_op.create_index("ix_claimevent_claim_time", ["claim_id", "occurred_at"], unique=False)

    op.create_table(
        "claimline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("cpt_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("modifiers", sa.JSON(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("charge", models.types.Money(), nullable=False),
        sa.Column("diagnosis_pointers", sa.JSON(), nullable=False),
        sa.Column("line_control_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id", "line_number"),
        sa.UniqueConstraint("line_control_number"),
    )
    with op.batch_alter_table("claimline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claimline_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "claimpayment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("patient_control_number", sqlmodel.sql.sqltypes.AutoString(length=38), nullable=False),
        sa.Column("status_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("charge", models.types.Money(), nullable=False),
        sa.Column("paid", models.types.Money(), nullable=False),
        sa.Column("patient_responsibility", models.types.Money(), nullable=False),
        sa.Column("allowed", models.types.Money(), nullable=False),
        sa.Column("payer_claim_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("posted_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittance.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("claimpayment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claimpayment_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claimpayment_remittance_id"), ["remittance_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("severity", sa.Enum("error", "warn", name="severity", native_enum=False, length=16), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ruleset_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_rule_id"), ["rule_id"], unique=False)

    op.create_table(
        "paymentadjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_payment_id", sa.Integer(), nullable=False),
        sa.Column("line_control_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("group_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("reason_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("amount", models.types.Money(), nullable=False),
        sa.Column("remark_codes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_payment_id"],
            ["claimpayment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paymentadjustment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paymentadjustment_claim_payment_id"), ["claim_payment_id"], unique=False)

    op.create_table(
        "workitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("claim_payment_id", sa.Integer(), nullable=True),
        sa.Column("queue", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("explanation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("opened_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["claim_payment_id"],
            ["claimpayment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workitem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workitem_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_workitem_queue"), ["queue"], unique=False)
