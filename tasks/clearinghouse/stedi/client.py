"""The Clearinghouse protocol over Stedi's raw-X12 API.

- check_eligibility: the 270 (ISA08 and ISA15 set to the connection's receiver and mode) to the raw-X12
  eligibility call; the answer's `x12` is the payer's 271, or a 999 that becomes a rejected inquiry.
- submit: the 837P to the raw-X12 professional-claims call with an Idempotency-Key made of the submitter,
  the practice (billing provider NPI) and the interchange control number, the same on every retry.
  `status` ERROR raises ClaimsRefused with Stedi's codes in words; the answer's `x12` (Stedi's 277CA) is
  kept and handed to the next collection as a report, accepted or rejected.
- was_received: the journal's stored receipt; a send with no recorded answer is resent under its key while
  Stedi's idempotency window is open (it answers the first answer), and past it looked up in the feed.
- fetch_reports: kept answers first, then the feed after the stored `nextPageToken` (feed.py).
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from config.clearinghouses import StediConnection
from models.clock import utcnow
from models.errors import ClearinghouseRejected, ControlNumberReused
from tasks.clearinghouse.protocol import Content, Receipt, ReportPage
from tasks.clearinghouse.stedi import answers
from tasks.clearinghouse.stedi.contract import CLAIM_STATUS, ELIGIBILITY, PROFESSIONAL_CLAIMS
from tasks.clearinghouse.stedi.feed import Feed
from tasks.clearinghouse.stedi.journal import Journal, Sent
from tasks.clearinghouse.stedi.transport import Policy, Transport, json_of, message_of
from tasks.clearinghouse.stedi.x12text import billing_provider, claim_count, idempotency_key, with_envelope

CLAIM_ANSWERS = frozenset({400})  # a claim Stedi's edits refuse comes back 400 with `status` ERROR


class StediClearinghouse:
    """One `stedi` connection."""

    def __init__(
        self,
        connection: StediConnection,
        api_key: str,
        state_dir: Path,
        *,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connection, self.journal = connection, Journal(state_dir)
        self.transport = transport or Transport(api_key, policy_of(connection), sleep=sleep)
        self.healthcare = connection.healthcare_url.rstrip("/")
        self.feed = Feed(
            self.transport,
            connection.core_url,
            usage=connection.usage,
            page_size=connection.page_size,
            first_hours=connection.first_poll_hours,
        )

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """A 270 in real time; the payer's 271 (a 999 answer: every inquiry rejected, AAA 15)."""
        text = with_envelope(x12_270, self.connection.receiver_id, self.connection.usage)
        response = self.transport.call("POST", self.healthcare + ELIGIBILITY, json={"x12": text}, inquiry=True)
        return answers.eligibility_271(json_of(response), x12_270)

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str:
        """A 276 in real time; the payer's 277 (005010X212). The payer is named inside the 276."""
        text = with_envelope(x12_276, self.connection.receiver_id, self.connection.usage)
        response = self.transport.call("POST", self.healthcare + CLAIM_STATUS, json={"x12": text}, inquiry=True)
        return answers.claim_status_277(json_of(response))

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """Send once under the interchange's Idempotency-Key; the receipt names Stedi's correlation ID."""
        known = self.journal.lookup(control_number)
        if known is not None and known.state == "answered":
            return known.receipt()  # answered before: the first receipt, nothing sent
        sent = known if known is not None and known.state == "sending" else self._plan(x12_837, control_number)
        response = self.transport.call(
            "POST",
            self.healthcare + PROFESSIONAL_CLAIMS,
            json={"x12": x12_837},
            idempotency_key=sent.key,
            answers=CLAIM_ANSWERS,
        )
        return self._answered(sent, json_of(response) if response.status_code < 300 else _error_body(response))

    def _plan(self, x12_837: str, control: str) -> Sent:
        claims, most = claim_count(x12_837), self.connection.claims_per_request
        if claims > most:
            raise ClearinghouseRejected(f"interchange {control} holds {claims} claims; this connection sends {most}")
        key = idempotency_key(self.connection.submitter_id, billing_provider(x12_837), control)
        return self.journal.record(Sent.planned(control, key, x12_837, claims))

    def _answered(self, sent: Sent, body: dict[str, Any]) -> Receipt:
        report = answers.answer_report(sent.control, body)
        if report is not None:
            self.journal.keep_answer(report)
        if str(body.get("status", "")).upper() == "ERROR" or body.get("errors") and not body.get("status"):
            raise answers.refusal(sent.control, body)
        receipt_id = f"stedi:{answers.correlation_id(body) or sent.key}"[:80]
        fields = {"state": "answered", "receipt_id": receipt_id, "at": utcnow().isoformat()}
        return self.journal.record(Sent(**{**_fields(sent), **fields})).receipt()

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """The stored receipt; a send without one: None while its key is fresh, else the feed's word."""
        known = self.journal.lookup(control_number)
        if known is None:
            return None
        if expected is not None and (expected.size, expected.sha256) != (known.size, known.sha256):
            raise ControlNumberReused(
                f"interchange {control_number} was sent with other content ({known.size} bytes) than this batch's "
                f"({expected}): control numbers reused (a database restored or replaced?); nothing was sent"
            )
        if known.state == "answered":
            return known.receipt()
        if (utcnow() - known.when).total_seconds() < self.connection.idempotency_hours * 3600:
            return None  # resent under the same key, Stedi answers with its first answer
        found = self.feed.find_interchange(control_number, known.when, known.claims)
        if found is None:
            return None
        fields = {"state": "answered", "receipt_id": found.receipt_id[:80], "at": found.received_at.isoformat()}
        return self.journal.record(Sent(**{**_fields(known), **fields})).receipt()

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """Kept claim answers, then the INBOUND 277/835/999 after `cursor` (Stedi's nextPageToken)."""
        kept = self.journal.pending()
        found, token = self.feed.reports(cursor)
        return ReportPage(tuple(kept + found), token)

    def reports_applied(self, page: ReportPage) -> None:
        """After the caller committed: the kept answers in `page` are done."""
        self.journal.settle([r.report_id for r in page.reports if r.report_id.startswith("stedi-answer-")])

    def check(self) -> list[tuple[str, bool, str]]:
        """(check, passed, what was found): one poll proves the URL and the key."""
        items, _ = self.feed.page(None)
        where = self.feed.core_url
        return [("authentication", True, f"{where}: key accepted ({len(items)} recent transactions)")]


def policy_of(connection: StediConnection) -> Policy:
    """The connection's timeouts and retries."""
    return Policy(
        connection.connect_timeout,
        connection.timeout,
        connection.attempts,
        connection.backoff,
        rate_per_second=connection.rate_per_second,
    )


def _fields(sent: Sent) -> dict[str, Any]:
    return {k: getattr(sent, k) for k in Sent.__dataclass_fields__}


def _error_body(response: Any) -> dict[str, Any]:
    """A 400's JSON: a claim answer with `status` ERROR, or Stedi's plain `{"message"}` refusal."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ("status" in body or "errors" in body):
        return body
    raise ClearinghouseRejected(f"Stedi refused the request (400): {message_of(response)}")
