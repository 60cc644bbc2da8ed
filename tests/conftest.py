"""Shared fixtures: a fresh SQLite database per test, and one synthetic practice per session."""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from config.settings import CLOCK_SHIFT_VARIABLE, get_settings, move_clock_to
from models.clock import clock_shift, set_clock_shift
from models.db import create_schema, make_engine, session_scope
from tasks.importing import ImportReport, import_bundle
from tasks.synthetic import SyntheticPractice, generate_practice
from tests.databases import fresh_database
from tests.sftp_server import sshd  # noqa: F401 (the real OpenSSH server fixture, for every folder)

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # 07:00 in New York, the practice's zone


def pytest_configure(config: pytest.Config) -> None:
    """The suite's one clock: it reads NOW when the session starts, in every test and in every process a
    test starts (GROUPBILL_CLOCK_SHIFT), whatever the calendar says. TODAY is its date."""
    move_clock_to(NOW)
    # A test that forgets to name its database fails loudly instead of writing the working folder's.
    os.environ.setdefault("GROUPBILL_DATABASE_URL", "sqlite:////dev/null/set-GROUPBILL_DATABASE_URL-in-the-test.db")


@contextmanager
def clock_restored() -> Iterator[None]:
    """Whatever moves the clock inside (a test, `groupbill demo --today`), it reads as before afterwards."""
    saved_variable, saved_shift = os.environ.get(CLOCK_SHIFT_VARIABLE), clock_shift()
    try:
        yield
    finally:
        if saved_variable is None:
            os.environ.pop(CLOCK_SHIFT_VARIABLE, None)
        else:
            os.environ[CLOCK_SHIFT_VARIABLE] = saved_variable
        set_clock_shift(saved_shift)
        get_settings.cache_clear()


@pytest.fixture
def clock_at() -> Iterator[Callable[[datetime], None]]:
    """Move the clock for one test (and the processes it starts); the suite's clock again afterwards."""
    with clock_restored():
        yield move_clock_to


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the test's own: a SQLite file, or PostgreSQL (see tests/databases.py)."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An empty billing database with the schema in place (SQLite: WAL, foreign keys on)."""
    db = make_engine(database_url)
    create_schema(db)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def practice() -> SyntheticPractice:
    """The default synthetic practice as of a fixed day."""
    return generate_practice(seed=7, today=TODAY)


@pytest.fixture
def bundle_data(practice: SyntheticPractice) -> dict:
    """The practice bundle as plain JSON data, safe to mutate."""
    return json.loads(practice.bundle.model_dump_json(exclude_none=True))


@pytest.fixture
def imported(engine: Engine, practice: SyntheticPractice) -> ImportReport:
    """The synthetic practice imported into the test database."""
    with session_scope(engine) as session:
        return import_bundle(session, practice.bundle)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on the test database (the test commits what it wants kept)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run `groupbill ARGS` in-process against a database of its own; returns (code, out, err)."""
    monkeypatch.setenv("GROUPBILL_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()

    from flows.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["groupbill", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    with clock_restored():
        yield run
