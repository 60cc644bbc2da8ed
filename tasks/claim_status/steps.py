"""Prefect tasks of the claim_status flow: thin wrappers over the pure code that return IDs and counts only."""

from datetime import date

from tasks.retrying import network_task, step_task


@step_task("find-quiet-claims")
def find_quiet_claims(today: date) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """How many sent claims went quiet and their charges in cents, and those due for a question now: (claim
    ID, why)."""
    from config.settings import get_settings
    from models.db import session_scope
    from tasks.claim_status.quiet import due, quiet_claims
    from tasks.runtime import billing_engine
    from tasks.scrubbing.engine import profiles

    with session_scope(billing_engine()) as session:
        quiet = quiet_claims(session, profiles(), today, get_settings().timezone)
        asking = due(quiet, session, profiles(), today)
    found = {"quiet": len(quiet), "quiet_cents": int(sum(q.charge for q in quiet) * 100)}
    return found, [(q.claim_id, q.reason) for q in asking]


@network_task("ask-payers")
def ask_payers(due: list[tuple[int, str]], today: date, source: str) -> dict[str, int]:
    """A 276 per claim where the connection answers in real time, a 276 batch per payer for a mailbox."""
    from tasks.claim_status.now import asking_from_settings
    from tasks.claim_status.run import ask_about
    from tasks.runtime import billing_engine, clearinghouse

    return ask_about(billing_engine(), clearinghouse(), dict(due), asking_from_settings(today, source))


@step_task("publish-claim-status")
def publish_claim_status(counts: dict[str, int], day: date) -> None:
    """The run's summary: quiet claims found and asked about, what the payers said, what was filed (counts)."""
    from tasks.reporting.night import CLAIM_STATUS_LINES
    from tasks.reporting.publish import publish_summary

    publish_summary("claim-status", "Claim status follow-up", counts, day, spec=CLAIM_STATUS_LINES, queues=True)
