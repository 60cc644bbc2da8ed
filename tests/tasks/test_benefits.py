"""What a 271 means for group psychotherapy: the stored summary over the answers payers give."""

from decimal import Decimal
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


def test_a_dependents_summary_reads_the_dependents_own_loop() -> None:
    """A child's 271 from another system (PER, REF, N3/N4, INS*N*19 in 2100D, benefits in 2110D):
    the summary is the child's, not the parent's (the subscriber level says copay 40, the child's 25)."""
    text = (Path(__file__).resolve().parents[1] / "fixtures" / "x12" / "ext_271_dependent_situational.x12").read_text()
    answer = read_271(text).responses[0]
    summary = summarize(answer)
    assert summary["patient_level"] == "dependent" and answer.relationship == "19"
    assert summary["active"] is True and summary["copay"] == "25.00" and summary["coinsurance"] == "0.2"
    assert summary["deductible_remaining"] == "150.00" and summary["visit_limit"] == 20
    assert summary["auth_required"] is True and summary["plan_end"] == "2026-12-31"
    assert [b.amount for b in answer.subscriber_benefits if b.code == "B"] == [Decimal("40")]
