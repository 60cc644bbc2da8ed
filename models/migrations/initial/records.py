"""Revision 0001's tables: authorizations, coverages, sessions, enrollments, licences, remittances, batches, plans."""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types


def create() -> None:
    """Create these tables and their indexes."""
    op.create_table(
        "authorization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("cpt_codes", sa.JSON(), nullable=False),
        sa.Column(
            "unit_kind", sa.Enum("units", "visits", name="unitkind", native_enum=False, length=16), nullable=False
        ),
        sa.Column("units_authorized", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("rendering_provider_id", sa.Integer(), nullable=True),
        sa.Column("per_week_limit", sa.Integer(), nullable=True),
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
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("authorization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_authorization_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_authorization_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_authorization_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("group_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column(
            "relationship",
            sa.Enum("18", "01", "19", "G8", name="relationship", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("subscriber_first_name", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=True),
        sa.Column("subscriber_last_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("subscriber_birth_date", sa.Date(), nullable=True),
        sa.Column("subscriber_sex", sa.Enum("F", "M", "U", name="sex", native_enum=False, length=16), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
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
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "groupsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("place_of_service", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column(
            "modality",
            sa.Enum("in_person", "video", "audio_only", name="modality", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "session_type",
            sa.Enum(
                "psychotherapy",
                "support",
                "educational",
                "social",
                "recreational",
                name="sessiontype",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("scheduled", "held", "cancelled", name="sessionstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("focus", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["provider.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["groupprogram.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("groupsession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groupsession_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_groupsession_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_groupsession_service_date"), ["service_date"], unique=False)

    op.create_table(
        "otherservice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("cpt_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("modifiers", sa.JSON(), nullable=False),
        sa.Column("rendering_provider_id", sa.Integer(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.ForeignKeyConstraint(
            ["rendering_provider_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("otherservice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_otherservice_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_otherservice_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_otherservice_service_date"), ["service_date"], unique=False)

    op.create_table(
        "payerenrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["payer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", "payer_id", "valid_from"),
    )
    with op.batch_alter_table("payerenrollment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payerenrollment_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payerenrollment_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "providerlicense",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", "state", "number"),
    )
    with op.batch_alter_table("providerlicense", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_providerlicense_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "remittance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=True),
        sa.Column("payer_identifier", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("trace_number", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("payment_amount", models.types.Money(), nullable=False),
        sa.Column("payment_method", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("received_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("report_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("imbalances", sa.JSON(), nullable=False),
        sa.Column("raw", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["payer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("payer_identifier", "trace_number"),
    )
    op.create_table(
        "submissionbatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("interchange_control_number", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column(
            "status",
            sa.Enum("built", "submitting", "submitted", "rejected", name="batchstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("file_path", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("receipt_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["payer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("interchange_control_number"),
    )
    with op.batch_alter_table("submissionbatch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissionbatch_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submissionbatch_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "treatmentplan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("treatmentplan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatmentplan_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatmentplan_practice_id"), ["practice_id"], unique=False)
