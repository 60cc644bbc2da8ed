"""Fetch reports since the stored cursor and apply each once, in the order the clearinghouse gives them.

Each page is one transaction with the cursor, so a crash re-reads the page and a report already
applied (same report ID) is skipped. A report we cannot read is kept and filed for review rather
than blocking the cursor.
"""

import logging

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config.reference_data import X12Codes
from models.claims import Claim
from models.clock import utcnow
from models.db import lock_billing, session_scope
from models.enums import ClaimStatus
from models.errors import ClearinghouseUnavailable, ConfigError, X12ParseError
from models.exchange import Acknowledgement, Remittance, ReportCursor, SubmissionBatch
from tasks.clearinghouse.protocol import Clearinghouse, Report
from tasks.clearinghouse.routing import DEFAULT_CURSOR, Routed, cursor_name, reports_applied
from tasks.crash import crash_point
from tasks.posting.acks import apply_277, apply_999
from tasks.posting.common import Poster, Posting
from tasks.posting.meaning import REVIEW, QueueEntry
from tasks.posting.remits import apply_835
from tasks.posting.ta1 import apply_ta1
from tasks.x12.ack277 import read_277ca
from tasks.x12.ack999 import read_999
from tasks.x12.interchanges import transaction_sets
from tasks.x12.remit835_reader import read_835
from tasks.x12.status277 import is_claim_status, read_277
from tasks.x12.ta1 import read_ta1

log = logging.getLogger("groupbill.posting")
CURSOR = DEFAULT_CURSOR
MAX_PAGES = 100
AWAITING = (ClaimStatus.SUBMITTING, ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)  # reports still due for these


def collect(engine: Engine, clearinghouse: Clearinghouse, codes: X12Codes, *, source: str) -> Posting:
    """Poll each connection a practice bills through or a batch awaits reports from until it has nothing new
    (at most MAX_PAGES pages each); what was applied."""
    posting = Posting()
    if not isinstance(clearinghouse, Routed):
        _collect_from(engine, clearinghouse, CURSOR, codes, source, posting)
        return posting
    names = set(clearinghouse.in_use()) | awaiting_connections(engine)
    unknown = sorted(names - set(clearinghouse.connections))
    for name in sorted(names - set(unknown)):
        _collect_from(engine, clearinghouse.open(name), cursor_name(name), codes, source, posting)
    if unknown:  # the others are collected first: one connection removed too early blocks no one else
        where = clearinghouse.source
        raise ConfigError(
            [f"clearinghouse {n!r} has batches awaiting reports but is not a connection in {where}" for n in unknown]
        )
    return posting


def awaiting_connections(engine: Engine) -> set[str]:
    """The connections of batches whose claims still wait for an acknowledgement or a remittance."""
    query = (
        select(SubmissionBatch.connection)
        .distinct()
        .join(Claim, col(Claim.batch_id) == SubmissionBatch.id)
        .where(col(Claim.status).in_(AWAITING), col(SubmissionBatch.connection).is_not(None))
    )
    with session_scope(engine) as session:
        return {str(name) for name in session.exec(query)}


def _collect_from(
    engine: Engine, clearinghouse: Clearinghouse, name: str, codes: X12Codes, source: str, posting: Posting
) -> None:
    """One connection's reports after its own cursor, a page per transaction; the files settled after commit."""
    for _ in range(MAX_PAGES):
        with session_scope(engine) as session:
            cursor = session.get(ReportCursor, name)
            after = cursor.value if cursor else None
        try:
            page = clearinghouse.fetch_reports(after)
        except ClearinghouseUnavailable as exc:  # the pages applied so far stay applied, the cursor with them
            said = f"{exc} fetching reports ({posting.reports} applied before it, kept)"
            raise ClearinghouseUnavailable(said, retry_after=exc.retry_after) from exc
        with session_scope(engine) as session:
            lock_billing(session)  # an overlapping collection waits, then finds these reports applied
            poster = Poster(session, codes, source, posting)
            for report in page.reports:
                apply_report(poster, report)
            poster.finish()  # what an unreadable report filed
            _store_cursor(session, name, page.next_cursor)
            crash_point("collect:page-applied")
        if page.reports:
            crash_point("collect:committed-not-settled")
        reports_applied(clearinghouse, page)  # only now may a mailbox delete or archive the files
        if not page.reports:
            break
    else:
        log.warning(
            "collecting reports (cursor %s) stopped after %d pages: the rest waits for the next collection",
            name,
            MAX_PAGES,
        )


def apply_report(poster: Poster, report: Report) -> None:
    """Apply one 999, 277CA or 835 unless it was applied before."""
    poster.posting.reports += 1
    if _seen(poster.session, report.report_id):
        poster.posting.already_applied += 1
        return
    try:
        if report.kind == "999":
            apply_999(poster, read_999(report.text), report.report_id, report.text)
        elif report.kind == "277" and _claim_status(report.text):  # a payer's answer to our 276 (X212)
            _apply_claim_status(poster, report)
        elif report.kind == "277":
            apply_277(poster, read_277ca(report.text), report.report_id, report.text)
        elif report.kind == "835":
            apply_835(poster, read_835(report.text), report.report_id, report.text)
        elif report.kind == "TA1":
            apply_ta1(poster, read_ta1(report.text), report.report_id, report.text)
        else:
            raise X12ParseError(f"report kind {report.kind!r} is not one groupbill reads", segment=1)
        poster.finish()
    except X12ParseError as exc:
        poster.posting.unreadable += 1
        poster.session.add(Acknowledgement(document_id=report.report_id, kind="bad", raw=report.text))
        said = f"report {report.report_id} ({report.kind}) could not be read: {exc}"
        poster.file(QueueEntry(REVIEW, ("X12",), said), None)


def _claim_status(text: str) -> bool:
    units = transaction_sets(text)
    return bool(units) and is_claim_status(units[0])


def _apply_claim_status(poster: Poster, report: Report) -> None:
    from config.settings import get_settings
    from tasks.claim_status.record import apply_status_report, grace_by_payer
    from tasks.scrubbing.engine import profiles

    today, grace = get_settings().today(), grace_by_payer(poster.session, profiles())
    apply_status_report(poster, read_277(report.text), report.report_id, report.text, today, grace)


def _seen(session: Session, report_id: str) -> bool:
    ack = session.exec(select(Acknowledgement.id).where(Acknowledgement.document_id == report_id)).first()
    remit = session.exec(select(Remittance.id).where(Remittance.report_id == report_id)).first()
    return ack is not None or remit is not None


def _store_cursor(session: Session, name: str, value: str) -> None:
    row = session.get(ReportCursor, name)
    if row is None:
        session.add(ReportCursor(name=name, value=value))
    else:
        row.value, row.updated_at = value, utcnow()
