"""The synthetic practice drafted, verified with the sandbox payers and scrubbed."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from config.fees import load_fee_schedule
from models.db import session_scope
from tasks.claims.drafting import draft_claims
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.eligibility.check import claim_coverage_dates, run_checks
from tasks.importing import import_bundle, load_bundle
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.run import ScrubReport, scrub_claims, scrubbable_claims
from tasks.synthetic.generate import install_roster
from tests.conftest import TODAY

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def bill_bundle_data(engine: Engine, practice, bundle_data: dict, tmp_path: Path) -> None:
    """Write changed bundle data as a file and take it the way a night does: load and import it, draft,
    verify with the sandbox payers, scrub."""
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle_data))
    sandbox = SandboxClearinghouse.from_folder(install_roster(practice, tmp_path / "sandbox").parent)
    with session_scope(engine) as s:
        report = import_bundle(s, load_bundle(path))
        draft_claims(s, report.practice_id, load_fee_schedule(), source="test")
        ids = scrubbable_claims(s)
        run_checks(s, sandbox, claim_coverage_dates(s, ids), profiles=profiles(), now=NOW)
        scrub_claims(s, ids, today=TODAY, source="test")


@pytest.fixture
def verified(engine: Engine, practice, imported, tmp_path: Path) -> list[int]:
    """Claims drafted from attendance, each coverage checked with the sandbox payer; their IDs."""
    sandbox = SandboxClearinghouse.from_folder(install_roster(practice, tmp_path / "sandbox").parent)
    with session_scope(engine) as s:
        draft_claims(s, imported.practice_id, load_fee_schedule(), source="test")
        ids = scrubbable_claims(s)
        run_checks(s, sandbox, claim_coverage_dates(s, ids), profiles=profiles(), now=NOW)
    return ids


@pytest.fixture
def scrubbed(engine: Engine, verified: list[int]) -> ScrubReport:
    """The verified claims, scrubbed once."""
    with session_scope(engine) as s:
        return scrub_claims(s, verified, today=TODAY, source="test")
