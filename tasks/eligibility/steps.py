"""Prefect tasks of the eligibility flow: thin wrappers that open the database, call the pure code,
persist, and return IDs and counts only (Prefect stores and shows what tasks return)."""

from datetime import date

from prefect.artifacts import create_table_artifact

from tasks.retrying import network_task, step_task

# The database models, the rules and the X12 codec are imported inside the steps, not here: a run
# triggered by an event is Running as soon as this module loads, and they take a second to import.


@step_task("find-sessions")
def find_sessions(session_id: int | str | None, date_from: date | None, date_to: date | None, today: date) -> list[int]:
    """The sessions to verify: one session (by record ID or bundle ID), a date window, or the next three days."""
    from models.db import session_scope
    from tasks.claims.listing import resolve_session
    from tasks.eligibility.roster import sessions_between, upcoming_sessions
    from tasks.runtime import billing_engine

    with session_scope(billing_engine()) as session:
        if session_id is not None:  # an event or REST call about nothing fails and says so, never runs green
            return [resolve_session(session, session_id).record_id]
        if date_from is not None:
            return sessions_between(session, date_from, date_to or date_from)
        return upcoming_sessions(session, today)


@network_task("verify-coverages")
def verify_coverages(session_ids: list[int]) -> dict[str, int]:
    """270/271 for every attendee's coverage on these sessions (batched per payer; fresh checks reused)."""
    from config.settings import get_settings
    from models.db import session_scope
    from tasks.eligibility.check import run_checks
    from tasks.eligibility.roster import roster_coverage_dates
    from tasks.runtime import billing_engine, clearinghouse
    from tasks.scrubbing.engine import profiles

    with session_scope(billing_engine()) as session:
        pairs = sorted({p for p in roster_coverage_dates(session, session_ids).values() if p})
        report = run_checks(session, clearinghouse(), pairs, profiles=profiles(), now=get_settings().now())
    return {"coverages": len(pairs), "checked": report.checked, "reused": report.reused, **report.outcomes}


@step_task("publish-eligibility")
def publish_eligibility(session_ids: list[int], counts: dict[str, int], day: date) -> int:
    """The run's summary (what the payers said, per coverage, beside the previous run) and a table
    artifact per session: attendee record IDs, status, copay, auth required, problem."""
    from models.db import session_scope
    from models.sessions import GroupSession
    from tasks.eligibility.roster import eligibility_rows
    from tasks.reporting.night import ELIGIBILITY_LINES
    from tasks.reporting.publish import publish_summary
    from tasks.runtime import billing_engine

    with session_scope(billing_engine()) as session:
        for session_id in session_ids:
            group = session.get(GroupSession, session_id)
            known_as = f" (bundle ID {group.source_id})" if group is not None else ""
            create_table_artifact(
                key=f"eligibility-session-{session_id}",
                table=eligibility_rows(session, session_id),
                description=f"Eligibility of session {session_id}{known_as} (record IDs only)",
            )
    publish_summary("eligibility", "Eligibility", counts, day, spec=ELIGIBILITY_LINES, unit="coverages")
    return len(session_ids)
