"""The stedi connector's reading of Stedi's answers, on canned answers (no server): a 999 to a 270, a
download URL that is not HTTPS, answers that are not JSON; and the `stedi` connection's validation."""

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from config.clearinghouses import ConnectionsFile, StediConnection
from models.clock import utcnow
from models.errors import ClaimsRefused, ClearinghouseRejected, ClearinghouseUnavailable
from tasks.clearinghouse.stedi.client import StediClearinghouse
from tasks.clearinghouse.stedi.journal import Sent
from tasks.x12.ack999 import Ack999, ElementError, GroupAck, SegmentError, SetAck, write_999
from tasks.x12.eligibility_reader import read_271
from tasks.x12.envelope import Header
from tests.tasks.clearinghouse.helpers import ask, batch_837, claim, inquiry_270

KEY = "unit-key-2b9e"


def _answer(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, json.dumps(body).encode()
    response.headers.update(headers or {})
    response.request = requests.Request("GET", "https://example.test/").prepare()
    return response


def _client(tmp_path: Path, answers: list[requests.Response], **settings: Any) -> StediClearinghouse:
    key = tmp_path / "key"
    key.write_text(KEY)
    key.chmod(0o600)
    client = StediClearinghouse(
        StediConnection(api_key_file=key, backoff=0, **settings), KEY, tmp_path / "state", sleep=lambda _: None
    )
    queue = list(answers)

    def request(method: str, url: str, **kw: Any) -> requests.Response:
        return queue.pop(0)

    client.transport.session.request = request  # type: ignore[method-assign]
    client.transport.downloads.request = request  # type: ignore[method-assign]
    return client


def _999_rejecting_270() -> str:
    errors = (SegmentError("NM1", 12, "2100C", "8", (ElementError(9, "7"),)),)
    group = GroupAck("HS", "7", "R", "005010X279A1", (SetAck("270", "0001", "R", "005010X279A1", ("5",), errors),))
    return write_999(Ack999(Header("STEDI", "GROUPBILL", 5, datetime(2026, 11, 27, 6)), (group,)))


def test_a_999_to_a_270_becomes_every_inquiry_rejected_in_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = _client(tmp_path, [_answer(200, {"x12": _999_rejecting_270()})])
    text = inquiry_270(ask("W100", "Paid"), ask("W101", "Twice"))
    answer = read_271(client.check_eligibility(text, payer_id="SACME1"))
    assert [(r.trace_number, [e.code for e in r.errors]) for r in answer.responses] == [
        ("TW100", ["15"]),
        ("TW101", ["15"]),
    ]
    assert "segment NM1 at 12 (error 8, element 9 error 7)" in caplog.text
    assert "PAID" not in caplog.text.upper().replace("SACME1", "")  # no patient names in the log


def test_an_eligibility_answer_without_x12_is_refused_with_stedis_errors(tmp_path: Path) -> None:
    body = {"errors": [{"code": "79", "description": "Invalid participant", "followupAction": "Resubmit"}]}
    client = _client(tmp_path, [_answer(200, body)])
    with pytest.raises(ClearinghouseRejected, match="79 Invalid participant"):
        client.check_eligibility(inquiry_270(ask("W100", "Paid")), payer_id="SACME1")


def test_a_claim_answer_that_is_not_json_is_transient_and_a_plain_400_is_permanent(tmp_path: Path) -> None:
    text, control = batch_837(claim("W100", "Paid", "CU1"))
    broken = _answer(200, {})
    broken._content = b"<html>gateway</html>"
    client = _client(tmp_path, [broken, _answer(400, {"message": "x12 is required", "code": "BAD_REQUEST"})])
    with pytest.raises(ClearinghouseUnavailable):
        client.submit(text, control_number=control, payer_id="SACME1")
    with pytest.raises(ClearinghouseRejected, match="x12 is required") as refused:
        client.submit(text, control_number=control, payer_id="SACME1")
    assert not isinstance(refused.value, ClaimsRefused)


def test_a_download_url_that_is_not_https_is_not_fetched(tmp_path: Path) -> None:
    item = {
        "transactionId": "t-1",
        "direction": "INBOUND",
        "mode": "test",
        "x12": {"metadata": {"transaction": {"transactionSetIdentifier": "835"}}},
    }
    answers = [
        _answer(200, {"items": [item], "nextPageToken": "n1"}),
        _answer(302, {}, {"Location": "http://files.example.test/t-1?X-Amz-Signature=s"}),
    ]
    with pytest.raises(ClearinghouseRejected, match="not HTTPS"):
        _client(tmp_path, answers).fetch_reports("n0")


def test_production_items_are_not_read_by_a_test_connection(tmp_path: Path) -> None:
    item = {"transactionId": "t-2", "direction": "INBOUND", "mode": "production"}
    item["x12"] = {"metadata": {"transaction": {"transactionSetIdentifier": "835"}}}
    page = _client(tmp_path, [_answer(200, {"items": [item], "nextPageToken": "n2"})] * 2).fetch_reports("n1")
    assert page.reports == () and page.next_cursor == "n2"


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({}, "exactly one of api_key_file"),
        ({"api_key_block": "b", "usage": "P"}, "STEDITEST"),
        ({"api_key_block": "b", "receiver_id": "STEDI"}, "test interchanges go to STEDITEST"),
        ({"api_key_block": "b", "claims_per_request": 0}, "greater than or equal to 1"),
        ({"api_key_block": "b", "api_key": "sk-live"}, "Extra inputs are not permitted"),
        ({"api_key_block": "b", "core_url": "ftp://x"}, "String should match pattern"),
    ],
)
def test_a_stedi_connection_is_validated(settings: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match=said):
        ConnectionsFile.model_validate({"connections": {"acme": {"kind": "stedi", **settings}}})


def test_a_production_stedi_connection_says_stedi() -> None:
    parsed = ConnectionsFile.model_validate(
        {"connections": {"acme": {"kind": "stedi", "api_key_block": "b", "usage": "P", "receiver_id": "STEDI"}}}
    )
    connection = parsed.connections["acme"]
    assert isinstance(connection, StediConnection) and connection.claims_per_request == 1
    assert connection.healthcare_url == "https://healthcare.us.stedi.com/2024-04-01"


def test_claim_status_returns_the_payers_277_and_refuses_anything_else(tmp_path: Path) -> None:
    answer_277 = (
        "ISA*00*          *00*          *ZZ*SACME1         *ZZ*GROUPBILL      *261127*0600*^*00501*000000009*0*T*:~"
        "GS*HN*SACME1*GROUPBILL*20261127*0600*9*X*005010X212~ST*277*0001*005010X212~SE*2*0001~GE*1*9~IEA*1*000000009~"
    )
    client = _client(tmp_path, [_answer(200, {"x12": answer_277}), _answer(200, {"message": "payer timeout"})])
    text = inquiry_270(ask("W100", "Paid"))  # any interchange: the connector does not read the 276
    assert client.check_claim_status(text, payer_id="") == answer_277
    with pytest.raises(ClearinghouseRejected, match="no 277: payer timeout"):
        client.check_claim_status(text, payer_id="")


def test_past_the_idempotency_window_an_837_of_the_other_mode_is_not_taken_for_ours(tmp_path: Path) -> None:
    """A test-mode install numbers its batches from 1 too: its 837 under our ISA13 must not mark ours received."""
    text, control = batch_837(claim("W100", "Paid", "CLOSTANSWER1"))
    client = _client(tmp_path, [], usage="P", receiver_id="STEDI")
    client.journal.record(Sent.planned(control, "key", text, 1))
    _age(tmp_path / "state" / "sent.jsonl", days=2)
    theirs = {
        "direction": "OUTBOUND",
        "mode": "test",
        "transactionId": "t-1",
        "processedAt": "2026-11-25T12:00:00Z",
        "x12": {
            "metadata": {"interchange": {"controlNumber": control}, "transaction": {"transactionSetIdentifier": "837"}}
        },
    }
    queue = [_answer(200, {"items": [theirs], "nextPageToken": None})]
    client.transport.session.request = lambda method, url, **kw: queue.pop(0)  # type: ignore[method-assign]
    assert client.was_received(control) is None
    assert queue == []  # the feed was asked


def _age(journal: Path, days: int) -> None:
    rows = [json.loads(line) for line in journal.read_text().splitlines()]
    old = (utcnow() - timedelta(days=days)).isoformat()
    journal.write_text("".join(json.dumps(r | {"at": old}) + "\n" for r in rows))
