"""A billing database holding the synthetic practice, its sandbox clearinghouse, and the daily steps."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from config.reference_data import x12_codes
from models.db import session_scope
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.daily import pipeline
from tasks.daily.pipeline import Window
from tasks.importing import import_bundle
from tasks.posting.collect import collect
from tasks.posting.common import Posting
from tasks.submission.batching import Envelope
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster
from tests.conftest import TODAY

NOW = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


@dataclass
class Billing:
    """The steps of a daily run against one database and one sandbox."""

    engine: Engine
    sandbox: SandboxClearinghouse
    envelope: Envelope
    window: Window = Window(None, None, TODAY)

    def prepare(self) -> dict[str, int]:
        """Draft, verify and scrub: everything before sending."""
        counts = pipeline.draft(self.engine, self.window, source="test")
        counts |= pipeline.refresh_eligibility(self.engine, self.sandbox, self.window, NOW)
        return counts | pipeline.scrub(self.engine, self.window, source="test")

    def submit(self) -> dict[str, int]:
        """Assemble and send every ready claim."""
        pipeline.assemble(self.engine, self.envelope, NOW, source="test")
        return pipeline.send(self.engine, self.sandbox, source="test")

    def collect(self) -> Posting:
        """Apply every report the sandbox has released (and poll until it has no more)."""
        return collect(self.engine, self.sandbox, x12_codes(), source="test")


@pytest.fixture
def billing(engine: Engine, practice: SyntheticPractice, tmp_path: Path) -> Iterator[Billing]:
    """The synthetic practice imported, with a fresh sandbox and output folder."""
    install_roster(practice, tmp_path / "sandbox")
    with session_scope(engine) as session:
        import_bundle(session, practice.bundle)
    sandbox = SandboxClearinghouse.from_folder(tmp_path / "sandbox")
    yield Billing(engine, sandbox, Envelope("GROUPBILL", "SANDBOX", tmp_path / "out"))
    sandbox.state.close()
