"""Stedi's transaction feed: GET /polling/transactions from a stored `nextPageToken` (the first call with a
`startDateTime`), INBOUND 277/835/999 kept, each one's raw X12 fetched through its input document's
pre-signed download URL (a 302 to it), page after page until a page has no items. Results lag about 15
seconds behind real time: that is normal, the next collection continues from the same token."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from models.clock import utcnow
from models.errors import ClearinghouseRejected, ClearinghouseUnavailable
from tasks.clearinghouse.protocol import Receipt, Report
from tasks.clearinghouse.stedi.contract import INPUT, POLLING, READ_KINDS
from tasks.clearinghouse.stedi.transport import Transport, json_of

MAX_EMPTY_PAGES = 50  # pages of only other traffic (our own 837s, 271s) walked through in one call
MODES = {"T": "test", "P": "production"}


def _utc(moment: datetime) -> str:
    """An ISO-8601 UTC time as Stedi takes it (`2026-11-27T06:00:00Z`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Feed:
    """The polling calls of one connection."""

    def __init__(self, transport: Transport, core_url: str, *, usage: str, page_size: int, first_hours: float) -> None:
        self.transport, self.core_url = transport, core_url.rstrip("/")
        self.mode, self.page_size, self.first_hours = MODES[usage], page_size, first_hours

    def page(self, cursor: str | None) -> tuple[list[dict[str, Any]], str]:
        """(items, next token) of one poll: after `cursor`, or the first one from `first_hours` ago."""
        params: dict[str, str] = {"pageSize": str(self.page_size)}
        if cursor:
            params["pageToken"] = cursor
        else:  # the first poll of a connection: at least a minute in the past, as Stedi asks
            params["startDateTime"] = _utc(utcnow() - timedelta(hours=self.first_hours, minutes=1))
        body = json_of(self.transport.call("GET", self.core_url + POLLING, params=params))
        items = body.get("items")
        if not isinstance(items, list):
            raise ClearinghouseUnavailable("Stedi's poll answer has no `items` list")
        return [i for i in items if isinstance(i, dict)], str(body.get("nextPageToken") or cursor or "")

    def reports(self, cursor: str | None) -> tuple[list[Report], str]:
        """The responses of the next page that has any (or of the last page), and the token after it."""
        for _ in range(MAX_EMPTY_PAGES):
            items, token = self.page(cursor)
            kept = [self.report(i) for i in items if self.wanted(i)]
            if kept or not items or token == cursor:
                return kept, token
            cursor = token
        return [], cursor or ""

    def wanted(self, item: dict[str, Any]) -> bool:
        """An INBOUND 277, 835 or 999 of this connection's mode."""
        mode = item.get("mode")
        return item.get("direction") == "INBOUND" and set_id(item) in READ_KINDS and mode in (None, self.mode)

    def report(self, item: dict[str, Any]) -> Report:
        """One response: its raw X12 through the pre-signed URL the input call redirects to."""
        transaction = str(item.get("transactionId") or "")
        if not transaction or "/" in transaction:
            raise ClearinghouseUnavailable("Stedi's poll answer has an item without a usable transactionId")
        return Report(f"stedi-{transaction}", set_id(item), self.transport.download(self.download_url(transaction)))

    def download_url(self, transaction: str) -> str:
        """Where the input document is: the 302's `documentDownloadUrl` (or Location)."""
        response = self.transport.call("GET", self.core_url + INPUT.format(transaction_id=transaction))
        try:
            url = str(response.json().get("documentDownloadUrl") or "")
        except (ValueError, AttributeError):
            url = ""
        url = url or response.headers.get("Location", "")
        if not url.startswith(("https://", "http://")):
            raise ClearinghouseUnavailable(f"Stedi gave no download URL for transaction {transaction}")
        if self.core_url.startswith("https://") and not url.startswith("https://"):
            raise ClearinghouseRejected(f"Stedi's download URL for transaction {transaction} is not HTTPS; not fetched")
        return url

    def find_interchange(self, control: str, since: datetime, claims: int) -> Receipt | None:
        """Our 837 with this ISA13 in the feed since `since` (the lookup past the idempotency window)."""
        for item in self._since(since):
            if _is_our_837(item, control) and item.get("mode") in (None, self.mode):  # a test 837 is not ours
                at = _when(item.get("processedAt")) or since
                return Receipt(control, f"stedi:{item.get('transactionId')}", at, claims)
        return None

    def _since(self, since: datetime) -> Iterator[dict[str, Any]]:
        params = {"pageSize": str(self.page_size), "startDateTime": _utc(since - timedelta(minutes=1))}
        for _ in range(MAX_EMPTY_PAGES * 20):
            body = json_of(self.transport.call("GET", self.core_url + POLLING, params=params))
            items = [i for i in body.get("items") or [] if isinstance(i, dict)]
            yield from items
            if not items or not body.get("nextPageToken"):
                return
            params = {"pageSize": str(self.page_size), "pageToken": str(body["nextPageToken"])}


def set_id(item: dict[str, Any]) -> str:
    """x12.metadata.transaction.transactionSetIdentifier, or ''."""
    transaction = _dig(item, "x12", "metadata", "transaction")
    return str(transaction.get("transactionSetIdentifier", "")) if isinstance(transaction, dict) else ""


def _is_our_837(item: dict[str, Any], control: str) -> bool:
    interchange = _dig(item, "x12", "metadata", "interchange")
    number = interchange.get("controlNumber") if isinstance(interchange, dict) else None
    return (
        item.get("direction") == "OUTBOUND" and set_id(item) == "837" and str(number).lstrip("0") == control.lstrip("0")
    )


def _dig(item: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        item = item.get(key) if isinstance(item, dict) else None  # type: ignore[assignment]
    return item


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
