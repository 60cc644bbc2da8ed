"""Alembic migrations: the migrated schema is the models' schema, and older databases come along."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from models.db import create_schema, make_engine
from models.migrate import FIRST_REVISION, current, head, upgrade


def _differences(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_models_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    engine = make_engine(url)
    assert current(engine) is None
    assert upgrade(engine) == head() == "0011"
    assert _differences(url) == []
    assert upgrade(engine) == head()  # again: nothing to do
    engine.dispose()


def test_a_database_made_before_migrations_is_stamped_and_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, FIRST_REVISION)  # the schema an older groupbill's create_all made, without the record
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text("INSERT INTO reportcursor (name, value, updated_at) VALUES ('x', '7', '2026-11-27')"))
    assert upgrade(engine) == head()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM reportcursor")).scalar() == "7"
    assert _differences(url) == []
    engine.dispose()


def test_db_commands(cli) -> None:
    code, out, _ = cli("db", "current")
    assert code == 0 and "newest 0011" in out
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and "revision 0011" in out


def test_a_database_made_from_the_models_is_stamped_at_the_newest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    engine = make_engine(url)
    create_schema(engine)
    assert upgrade(engine) == head()
    assert _differences(url) == []
    engine.dispose()


def test_upgrading_to_one_alert_per_run_keeps_the_first_of_duplicates(tmp_path: Path) -> None:
    """Before 0004 two workers handling one failure event could each add an alert row."""
    engine = make_engine(f"sqlite:///{tmp_path / 'alerts.db'}")
    upgrade(engine, "0003")
    with engine.begin() as connection:
        for run, state in (("r1", "Failed"), ("r1", "Failed"), ("r1", "Crashed"), ("r2", "Failed")):
            connection.execute(
                text(
                    "INSERT INTO opsalert (flow_run_id, run_name, state, created_at) VALUES (:r, 'n', :s, '2026-11-27')"
                ),
                {"r": run, "s": state},
            )
    assert upgrade(engine) == head()
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT id, flow_run_id, state FROM opsalert ORDER BY id")).all()
    assert [tuple(row) for row in kept] == [(1, "r1", "Failed"), (3, "r1", "Crashed"), (4, "r2", "Failed")]
    engine.dispose()


def test_upgrading_to_roster_rows_keeps_attendance_and_allows_a_second_row(tmp_path: Path) -> None:
    """Before 0005 one (session, patient) pair was unique; an EHR's second roster row refused the bundle."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(f"sqlite:///{tmp_path / 'roster.db'}")
    upgrade(engine, "0004")
    rows = [
        "INSERT INTO practice (id, source_id, name, npi, taxonomy, address_line1, city, state, zip_code)"
        " VALUES (1, 'P', 'P', '1', 'T', 'L', 'C', 'IL', '62701')",
        "INSERT INTO groupprogram (id, practice_id, source_id, name, session_type, modality, place_of_service)"
        " VALUES (1, 1, 'G', 'G', 'psychotherapy', 'in_person', '11')",
        "INSERT INTO groupsession (id, practice_id, source_id, program_id, service_date, place_of_service, modality,"
        " session_type, status, goals) VALUES (1, 1, 'S', 1, '2026-11-24', '11', 'in_person', 'psychotherapy',"
        " 'held', '[]')",
        "INSERT INTO patient (id, practice_id, source_id, first_name, last_name) VALUES (1, 1, 'A', 'A', 'B')",
        "INSERT INTO attendance (id, session_id, patient_id, status, interactive_complexity)"
        " VALUES (1, 1, 1, 'present', 0)",
    ]
    with engine.begin() as connection:
        for row in rows:
            connection.execute(text(row))
    assert upgrade(engine) == head()
    second = "INSERT INTO attendance (session_id, patient_id, status, interactive_complexity, occurrence)"
    with engine.begin() as connection:
        assert connection.execute(text("SELECT occurrence FROM attendance")).scalar() == 0
        connection.execute(text(f"{second} VALUES (1, 1, 'present', 0, 1)"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(f"{second} VALUES (1, 1, 'present', 0, 1)"))
    engine.dispose()


def test_upgrading_to_batches_naming_their_connection_gives_old_batches_their_practice_s(tmp_path: Path) -> None:
    """Before 0011 a batch went to (and was collected from) its practice's connection, whatever it was then."""
    engine = make_engine(f"sqlite:///{tmp_path / 'batches.db'}")
    upgrade(engine, "0009")
    practice = (
        "INSERT INTO practice (id, source_id, name, npi, taxonomy, address_line1, city, state, zip_code, clearinghouse)"
        " VALUES ({0}, 'P{0}', 'P', '1', 'T', 'L', 'C', 'IL', '62701', {1})"
    )
    rows = [
        practice.format(1, "NULL"),
        practice.format(2, "'mailbox'"),
        "INSERT INTO payer (id, practice_id, source_id, name, x12_payer_id, claim_filing_indicator, profile)"
        " VALUES (1, 1, 'Y', 'Y', 'Y', 'CI', 'default')",
        "INSERT INTO submissionbatch (id, practice_id, payer_id, interchange_control_number, status, claim_count,"
        " created_at) VALUES (1, 1, 1, '000000001', 'submitted', 1, '2026-11-27'),"
        " (2, 2, 1, '000000002', 'submitting', 1, '2026-11-27')",
    ]
    with engine.begin() as connection:
        for row in rows:
            connection.execute(text(row))
    assert upgrade(engine) == head()
    with engine.connect() as connection:
        named = connection.execute(text("SELECT id, connection FROM submissionbatch ORDER BY id")).all()
    assert [tuple(row) for row in named] == [(1, "default"), (2, "mailbox")]
    engine.dispose()
