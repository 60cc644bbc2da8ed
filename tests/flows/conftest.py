"""One Prefect test harness for the whole session (it takes ~10 s to start), for flow tests only."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from config.settings import get_settings
from tasks.importing import import_bundle
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A temporary Prefect API (SQLite) for flow tests; heartbeats off so empty flows are fast."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90), temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@pytest.fixture
def billing_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Iterator[Callable[[SyntheticPractice], str]]:
    """Point the settings at a fresh database and sandbox and load a synthetic practice there; the URL."""
    from models.db import session_scope

    def load(practice: SyntheticPractice) -> str:
        monkeypatch.setenv("GROUPBILL_DATABASE_URL", database_url)
        monkeypatch.setenv("GROUPBILL_SANDBOX_DIR", str(tmp_path / "sandbox"))
        monkeypatch.setenv("GROUPBILL_OUTPUT_DIR", str(tmp_path / "out"))
        get_settings.cache_clear()
        install_roster(practice, tmp_path / "sandbox")
        with session_scope(engine_for(database_url)) as s:
            import_bundle(s, practice.bundle)
        return database_url

    yield load
    get_settings.cache_clear()


@pytest.fixture
def submissions_fail() -> Iterator[Callable[[], None]]:
    """Make the clearinghouse answer 500 to every submission (the daily run's retries without waiting);
    call the result to let it answer again (only these patches are undone, not the test's others)."""
    from models.errors import ClearinghouseUnavailable
    from tasks.daily import steps
    from tasks.runtime import clearinghouse

    class Down:
        def __init__(self) -> None:
            self.inner = clearinghouse().open("default")  # the practices' connection (routing itself refuses)

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def submit(self, *_args: object, **_kwargs: object) -> object:
            raise ClearinghouseUnavailable("clearinghouse answered 500")

    patch = pytest.MonkeyPatch()
    patch.setattr(steps, "clearinghouse", Down)
    patch.setattr(steps.submit_step, "retry_delay_seconds", [0, 0, 0])
    yield patch.undo
    patch.undo()


@pytest.fixture
def billing(billing_for: Callable[[SyntheticPractice], str], practice: SyntheticPractice) -> str:
    """Settings pointing at a fresh database and sandbox holding the synthetic practice."""
    return billing_for(practice)
