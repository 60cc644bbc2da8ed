"""The run summary: lines from a run's counts, and the markdown a billing lead reads first."""

from datetime import date

from models.ops import RunReport
from tasks.reporting.night import ELIGIBILITY_LINES, HoldRow, RunSummary, run_lines
from tasks.reporting.night_md import dollars, summary_markdown

DAILY = {
    "drafted": 4,
    "drafted_cents": 30000,
    "already_drafted": 2,
    "on_hold": 1,
    "on_hold_cents": 7500,
    "ready": 3,
    "claims_sent": 3,
    "claims_sent_cents": 22500,
    "reports_accepted": 3,
    "reports_rejected": 0,
    "reports_status_paid": 2,
    "reports_status_partially_paid": 1,
    "reports_paid_cents": 14401,
    "reports_status_denied": 0,
    "reports_denied_cents": 0,
    "hold_DOC_NOTE_MISSING": 1,
}


def test_lines_add_up_what_the_run_moved() -> None:
    lines = run_lines(DAILY)
    assert lines["drafted"] == (4, 30000) and lines["sent"] == (3, 22500) and lines["held"] == (1, 7500)
    assert lines["paid"] == (3, 14401) and lines["denied"] == (0, 0) and lines["accepted"] == (3, None)
    assert "refused" not in lines  # nothing the run speaks of


def test_a_collection_s_counts_read_as_reports() -> None:
    collected = {"accepted": 5, "rejected": 1, "status_denied": 2, "denied_cents": 15000, "paid_cents": 0}
    lines = run_lines(collected)
    assert lines["accepted"] == (5, None) and lines["rejected"] == (1, None) and lines["denied"] == (2, 15000)
    assert lines["paid"] == (0, 0) and "drafted" not in lines


def test_the_markdown_puts_money_beside_counts_and_the_previous_run_beside_this_one() -> None:
    summary = RunSummary(
        "Daily claims", "daily-claims-2026-11-27T06:00:04-schedule", date(2026, 11, 27), run_lines(DAILY)
    )
    summary.holds = [HoldRow("DOC_NOTE_MISSING", "No note.", "Write the note.", 1, 7500)]
    summary.queues = {"ELIGIBILITY": 3}
    summary.previous = RunReport(
        flow_name="daily-claims",
        flow_run_id="x",
        run_name="y",
        practice_date=date(2026, 11, 26),
        figures={"lines": {"drafted": [10, 75000], "refused": [2, 15000]}},
    )
    text = summary_markdown(summary)
    assert "| | claims | amount | previous run (2026-11-26) |" in text
    assert "| new claims drafted | 4 | $300.00 | 10 / $750.00 |" in text
    assert "| refused by the clearinghouse | 0 | $0.00 | 2 / $150.00 |" in text  # shown: last night had some
    assert "| paid (835) | 3 | $144.01 | – |" in text
    assert "| `DOC_NOTE_MISSING` | No note. | Write the note. | 1 | $75.00 |" in text
    assert "| ELIGIBILITY | 3 | `groupbill claims queue --queue ELIGIBILITY` |" in text


def test_an_eligibility_summary_has_no_money_column() -> None:
    counts = {"sessions": 2, "coverages": 9, "checked": 7, "reused": 2, "active": 6, "rejected": 1}
    summary = RunSummary("Eligibility", "eligibility-x", date(2026, 11, 27), run_lines(counts, ELIGIBILITY_LINES))
    summary.spec, summary.unit, summary.holds, summary.queues = ELIGIBILITY_LINES, "coverages", None, None
    text = summary_markdown(summary)
    assert "| | coverages | previous run |" in text and "amount" not in text
    assert "| rejected by the payer: correct member ID, name or birth date | 1 | – |" in text
    assert "On hold" not in text and "Work queues" not in text


def test_dollars() -> None:
    assert (dollars(123456789), dollars(5), dollars(None)) == ("$1,234,567.89", "$0.05", "–")
