"""A billing database with the synthetic practice whose payers go quiet on four patients' claims, sent and
collected through the in-process sandbox; and how to ask about quiet claims on a given day."""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from config.reference_data import x12_codes
from config.settings import get_settings
from models.db import session_scope
from tasks.claim_status.quiet import QuietClaim, due, quiet_claims
from tasks.claim_status.run import Asking, ask_about
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.importing import import_bundle
from tasks.scrubbing.engine import profiles
from tasks.submission.batching import Envelope
from tasks.synthetic import generate_practice
from tasks.synthetic.generate import install_roster
from tests.conftest import NOW, TODAY
from tests.tasks.daily.conftest import Billing


class Quiet(Billing):
    """The daily steps, plus the claim status follow-up on any day after."""

    def quiet(self, days: int) -> list[QuietClaim]:
        with session_scope(self.engine) as session:
            return quiet_claims(session, profiles(), TODAY + timedelta(days=days), get_settings().timezone)

    def ask(self, days: int, clearinghouse: object = None) -> dict[str, int]:
        """Ask about the claims due `days` after today; the counts."""
        day = TODAY + timedelta(days=days)
        with session_scope(self.engine) as session:
            asking = due(self.quiet(days), session, profiles(), day)
        envelope = self.envelope
        round_ = Asking(day, NOW + timedelta(days=days), lambda _p: envelope, x12_codes(), profiles(), "test")
        return ask_about(self.engine, clearinghouse or self.sandbox, {q.claim_id: q.reason for q in asking}, round_)


@pytest.fixture
def quiet(engine: Engine, tmp_path: Path) -> Iterator[Quiet]:
    """The quiet practice billed today: prepared, sent, every report collected."""
    practice = generate_practice(7, TODAY, quiet_claims=True)
    install_roster(practice, tmp_path / "sandbox")
    with session_scope(engine) as session:
        import_bundle(session, practice.bundle)
    sandbox = SandboxClearinghouse.from_folder(tmp_path / "sandbox", get_settings().timezone)
    billing = Quiet(engine, sandbox, Envelope("GROUPBILL", "SANDBOX", tmp_path / "out"))
    billing.prepare()
    billing.submit()
    for _ in range(4):
        billing.collect()
    yield billing
    sandbox.state.close()


def day(days: int) -> date:
    """Today plus `days`."""
    return TODAY + timedelta(days=days)
