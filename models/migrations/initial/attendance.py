"""Revision 0001's tables: acknowledgements, attendance, eligibility checks, co-leaders and claims."""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types


def create() -> None:
    """Create these tables and their indexes."""
    op.create_table(
        "acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("received_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("raw", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["submissionbatch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id"),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "present",
                "absent",
                "late",
                "left_early",
                name="attendancestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("interactive_complexity", sa.Boolean(), nullable=False),
        sa.Column("interactive_complexity_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("rendering_provider_id", sa.Integer(), nullable=True),
        sa.Column("place_of_service", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column(
            "modality",
            sa.Enum("in_person", "video", "audio_only", name="modality", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("diagnoses", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["rendering_provider_id"],
            ["provider.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["groupsession.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "patient_id"),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "eligibilitycheck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coverage_id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("service_type", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("checked_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("raw_271", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coverage_id"],
            ["coverage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("eligibilitycheck", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibilitycheck_coverage_id"), ["coverage_id"], unique=False)

    op.create_table(
        "sessioncoleader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["groupsession.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "provider_id"),
    )
    with op.batch_alter_table("sessioncoleader", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessioncoleader_session_id"), ["session_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("coverage_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("rendering_provider_id", sa.Integer(), nullable=True),
        sa.Column("authorization_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("original_claim_id", sa.Integer(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column(
            "frequency", sa.Enum("1", "7", "8", name="claimfrequency", native_enum=False, length=16), nullable=False
        ),
        sa.Column("patient_control_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("payer_claim_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column(
            "status",
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
        sa.Column("status_changed_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place_of_service", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.Column("total_charge", models.types.Money(), nullable=False),
        sa.Column("ruleset_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_id"],
            ["attendance.id"],
        ),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["authorization.id"],
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["submissionbatch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["coverage_id"],
            ["coverage.id"],
        ),
        sa.ForeignKeyConstraint(
            ["original_claim_id"],
            ["claim.id"],
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["payer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.ForeignKeyConstraint(
            ["rendering_provider_id"],
            ["provider.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["groupsession.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_control_number"),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_attendance_id"), ["attendance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_coverage_id"), ["coverage_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_service_date"), ["service_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_claim_original_per_attendance",
            ["attendance_id"],
            unique=True,
            sqlite_where=sa.text("frequency = '1' AND status <> 'rejected'"),
            postgresql_where=sa.text("frequency = '1' AND status <> 'rejected'"),
        )
