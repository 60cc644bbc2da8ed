"""Revision 0001's tables: the practice, its patients, payers and providers, the report cursors and alerts."""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types


def create() -> None:
    """Create these tables and their indexes."""
    op.create_table(
        "opsalert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_run_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("run_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("opsalert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opsalert_flow_run_id"), ["flow_run_id"], unique=False)

    op.create_table(
        "practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("npi", sqlmodel.sql.sqltypes.AutoString(length=15), nullable=False),
        sa.Column("ein", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
        sa.Column("taxonomy", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("address_line1", sqlmodel.sql.sqltypes.AutoString(length=55), nullable=False),
        sa.Column("address_line2", sqlmodel.sql.sqltypes.AutoString(length=55), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("zip_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id"),
    )
    op.create_table(
        "reportcursor",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "groupprogram",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
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
            "modality",
            sa.Enum("in_person", "video", "audio_only", name="modality", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("place_of_service", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("groupprogram", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groupprogram_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.Enum("F", "M", "U", name="sex", native_enum=False, length=16), nullable=True),
        sa.Column("address_line1", sqlmodel.sql.sqltypes.AutoString(length=55), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("zip_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "payer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("x12_payer_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("claim_filing_indicator", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("profile", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payer_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("npi", sqlmodel.sql.sqltypes.AutoString(length=15), nullable=False),
        sa.Column(
            "credential",
            sa.Enum(
                "MD",
                "DO",
                "PhD",
                "PsyD",
                "LCSW",
                "LICSW",
                "LMSW",
                "LPC",
                "LMHC",
                "LMFT",
                "LADC",
                "PMHNP",
                "CNS",
                "PA",
                "ASSOCIATE",
                name="credential",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("taxonomy", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "source_id"),
    )
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_practice_id"), ["practice_id"], unique=False)
