"""One contract, two implementations: the in-process sandbox and the HTTP client against the
sandbox server on loopback must behave the same."""

import uuid

import pytest

from models.errors import ClearinghouseRejected
from tasks.clearinghouse.http_client import HttpClearinghouse
from tasks.clearinghouse.protocol import AsksClaimStatus, Clearinghouse, Content, claim_status_channel
from tasks.x12.ack277 import read_277ca
from tasks.x12.eligibility_reader import read_271
from tasks.x12.remit835_reader import read_835
from tasks.x12.status277 import read_277
from tests.tasks.clearinghouse.conftest import API_KEY
from tests.tasks.clearinghouse.helpers import ask, batch_837, claim, inquiry_270, inquiry_276


@pytest.fixture(params=["sandbox", "http", "sftp"])
def clearinghouse(request: pytest.FixtureRequest) -> Clearinghouse:
    if request.param == "sandbox":
        return request.getfixturevalue("sandbox")
    if request.param == "sftp":
        return request.getfixturevalue("mailbox_under_test")
    server = request.getfixturevalue("server")
    return HttpClearinghouse(server.url, API_KEY, read_timeout=5, backoff=0.01)


def _pcn() -> str:
    return "C" + uuid.uuid4().hex[:12].upper()


def test_eligibility_round_trip(clearinghouse: Clearinghouse) -> None:
    answer = read_271(
        clearinghouse.check_eligibility(inquiry_270(ask("W100", "Paid"), ask("W123", "Paid")), payer_id="SACME1")
    )
    assert [r.plan_active for r in answer.responses] == [True, None]
    assert answer.responses[1].errors[0].code == "72"


def test_unknown_payer_is_a_permanent_error(clearinghouse: Clearinghouse) -> None:
    text = inquiry_270(ask("W100", "Paid")).replace("SACME1", "NOPAYR")
    with pytest.raises(ClearinghouseRejected):
        clearinghouse.check_eligibility(text, payer_id="NOPAYR")


def test_submit_is_idempotent_by_control_number(clearinghouse: Clearinghouse) -> None:
    text, control = batch_837(claim("W100", "Paid", _pcn()), claim("W101", "Twice", _pcn()))
    first = clearinghouse.submit(text, control_number=control, payer_id="SACME1")
    again = clearinghouse.submit(text, control_number=control, payer_id="SACME1")
    assert first == again and first.claim_count == 2 and first.control_number == control
    assert clearinghouse.was_received(control) == first
    assert clearinghouse.was_received(control, expected=Content.of(text.encode("ascii"))) == first
    assert clearinghouse.was_received("987654321") is None


def test_reports_arrive_in_order_and_a_cursor_can_be_replayed(clearinghouse: Clearinghouse) -> None:
    cursor = clearinghouse.fetch_reports(None).next_cursor
    pcn = _pcn()
    text, control = batch_837(claim("W100", "Paid", pcn))
    clearinghouse.submit(text, control_number=control, payer_id="SACME1")
    acks = clearinghouse.fetch_reports(cursor)
    mine = [r for r in acks.reports if pcn in r.text]
    assert [r.kind for r in mine] == ["277"] and any(r.kind == "999" for r in acks.reports)
    assert read_277ca(mine[0].text).claims[0].patient_control_number == pcn
    remits = clearinghouse.fetch_reports(acks.next_cursor)
    replay = clearinghouse.fetch_reports(acks.next_cursor)
    for page in (remits, replay):
        paid = [r for r in page.reports if r.kind == "835" and pcn in r.text]
        assert len(paid) == 1 and read_835(paid[0].text).payments[0].claims[0].patient_control_number == pcn
    assert int(remits.next_cursor) > int(acks.next_cursor) > int(cursor)
    assert len({r.report_id for r in acks.reports + remits.reports}) == len(acks.reports + remits.reports)


def test_claim_status_is_answered_at_once_or_by_a_later_report(clearinghouse: Clearinghouse) -> None:
    """A 276 about a claim the payer paid and one it never saw: a 277 each (F1 paid with the amount, A4 not
    found; the shared server may deny a repeat of the day's claim), at once where the connection answers in
    real time, else as a 277 report in the mailbox."""
    paid, lost = _pcn(), _pcn()
    cursor = clearinghouse.fetch_reports(None).next_cursor
    text, control = batch_837(claim("W100", "Paid", paid))
    clearinghouse.submit(text, control_number=control, payer_id="SACME1")
    for _ in range(3):
        cursor = clearinghouse.fetch_reports(cursor).next_cursor
    assert isinstance(clearinghouse, AsksClaimStatus)
    answer = clearinghouse.check_claim_status(
        inquiry_276(("W100", "Paid", paid), ("W100", "Paid", lost)), payer_id="SACME1"
    )
    if claim_status_channel(clearinghouse) == "real-time":
        assert answer is not None
    else:
        assert answer is None
        page = clearinghouse.fetch_reports(cursor)
        answer = next(r.text for r in page.reports if r.kind == "277" and paid in r.text)
    said = {c.patient_control_number: c for c in read_277(answer).claims}
    assert said[paid].category[0] == "F" and said[paid].paid is not None and said[paid].payer_claim_number
    assert (said[lost].category, said[lost].statuses[0].status, said[lost].payer_claim_number) == ("A4", "35", None)


def test_bad_cursor_is_rejected(clearinghouse: Clearinghouse) -> None:
    with pytest.raises(ClearinghouseRejected):
        clearinghouse.fetch_reports("not-a-cursor")


def test_the_report_feed_comes_in_pages_a_cursor_follows(sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tasks.clearinghouse.sandbox.state.REPORTS_PER_PAGE", 2)
    pcns = [_pcn() for _ in range(3)]
    for pcn in pcns:
        text, control = batch_837(claim("W100", "Paid", pcn))
        sandbox.submit(text, control_number=control, payer_id="SACME1")
    seen, cursor = [], None
    for _ in range(20):
        page = sandbox.fetch_reports(cursor)
        assert len(page.reports) <= 2
        seen += page.reports
        cursor = page.next_cursor
    ids = [r.report_id for r in seen]
    assert len(ids) == len(set(ids))
    for pcn in pcns:
        assert sorted(r.kind for r in seen if pcn in r.text) == ["277", "835"]
    assert sum(r.kind == "999" for r in seen) == 3
