"""What a 271 means for group psychotherapy: the stored summary over the answers payers give."""

from pathlib import Path

import pytest

from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.state import SandboxState
from tasks.eligibility.benefits import summarize
from tasks.x12.eligibility_model import Inquiry
from tasks.x12.eligibility_reader import read_271
from tests.tasks.clearinghouse.helpers import ask, inquiry_270, roster


def _summary(tmp_path: Path, question: Inquiry, **payer: object) -> dict:
    sandbox = SandboxClearinghouse(roster(**payer), SandboxState(tmp_path / "state.db"))
    answer = read_271(sandbox.check_eligibility(inquiry_270(question), payer_id="SACME1")).responses[0]
    return summarize(answer)


def test_an_active_plan_with_mental_health_cost_sharing(tmp_path: Path) -> None:
    summary = _summary(tmp_path, ask("W100", "Paid"))
    assert summary["active"] is True and summary["mental_health_covered"] is True
    assert (summary["copay"], summary["coinsurance"], summary["deductible_remaining"]) == ("20.00", "0.1", "10.00")
    assert summary["in_network"] is True and summary["auth_required"] is None and summary["errors"] == []
    assert summary["carve_out_entity"] is None and summary["plan_begin"] == "2025-01-01"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (ask("W103", "Ended"), {"active": False, "plan_end": "2026-10-31"}),
        (ask("W104", "Carved"), {"active": True, "carve_out_entity": "MINDWELL BEHAVIORAL HEALTH"}),
        (ask("W105", "Excluded"), {"active": True, "mental_health_covered": False}),
        (ask("W102", "Limit"), {"active": True, "visit_limit": 2, "visits_remaining": 1}),
    ],
)
def test_inactive_carved_out_excluded_and_limited_plans(tmp_path: Path, question: Inquiry, expected: dict) -> None:
    summary = _summary(tmp_path, question)
    assert {key: summary[key] for key in expected} == expected


def test_authorization_required(tmp_path: Path) -> None:
    assert _summary(tmp_path, ask("W100", "Paid"), auth_required=True)["auth_required"] is True


@pytest.mark.parametrize(
    ("question", "code", "advice"),
    [
        (ask("W123", "Paid"), "72", "invalid member ID: correct the data and send again"),
        (ask(None, "Paid"), "75", "subscriber not found: correct the data and send again"),
    ],
)
def test_aaa_errors_with_their_follow_up_in_plain_words(
    tmp_path: Path, question: Inquiry, code: str, advice: str
) -> None:
    summary = _summary(tmp_path, question)
    assert summary["active"] is None
    assert [(e["code"], e["follow_up"], e["advice"]) for e in summary["errors"]] == [(code, "C", advice)]
