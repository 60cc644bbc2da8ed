"""The stedi connector against the local server that follows Stedi's published contract: our requests
have the published shapes (paths, headers, bodies), the key never reaches a download URL, the
Idempotency-Key is the same on every retry, and each answer means what Stedi says it means."""

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from models.clock import utcnow
from models.errors import (
    ClaimsRefused,
    ClearinghouseAuthFailed,
    ClearinghouseRejected,
    ClearinghouseUnavailable,
    ControlNumberReused,
)
from tasks.clearinghouse.protocol import Content, Report
from tasks.x12.ack277 import read_277ca
from tasks.x12.eligibility_reader import read_271
from tasks.x12.remit835_reader import read_835
from tasks.x12.status277 import read_277
from tests.stedi_server import STEDI_KEY, Recorder, StediServer
from tests.stedi_server import stedi_server as stedi_server  # noqa: F401 (fixture)
from tests.tasks.clearinghouse.helpers import BILLING_NPI, ask, batch_837, claim, inquiry_270, inquiry_276

HEALTHCARE = "/2024-04-01/change/medicalnetwork/"


def _pcn() -> str:
    return "C" + uuid.uuid4().hex[:12].upper()


def test_eligibility_sends_the_270_as_x12_in_json_with_the_key_and_reads_the_payers_271(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    calls = Recorder(client)
    answer = read_271(client.check_eligibility(inquiry_270(ask("W100", "Paid"), ask("W123", "Paid")), payer_id="S"))
    assert [r.plan_active for r in answer.responses] == [True, None] and answer.responses[1].errors[0].code == "72"
    (call,) = calls.calls
    assert call["method"] == "POST" and call["url"].endswith(HEALTHCARE + "eligibility/v3/raw-x12")
    assert call["headers"]["Authorization"] == STEDI_KEY and call["sent"]["Content-Type"] == "application/json"
    assert set(call["json"]) == {"x12"} and "Idempotency-Key" not in call["headers"]
    isa = call["json"]["x12"][:106].split("*")
    assert (isa[8].strip(), isa[15]) == ("STEDITEST", "T")  # the connection's test receiver and mode
    assert call["timeout"] == (2, 5)


def test_a_270_the_far_side_cannot_read_is_refused_in_words_not_a_crash(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    broken = inquiry_270(ask("W100", "Paid")).replace("HL*1**20*1", "HL*1**99*1")
    with pytest.raises(ClearinghouseRejected, match="999"):
        stedi_server.client(tmp_path).check_eligibility(broken, payer_id="SACME1")


def test_an_unknown_payer_is_a_permanent_refusal(stedi_server: StediServer, tmp_path: Path) -> None:
    text = inquiry_270(ask("W100", "Paid")).replace("SACME1", "NOPAYR")
    with pytest.raises(ClearinghouseRejected, match="unknown payer"):
        stedi_server.client(tmp_path).check_eligibility(text, payer_id="NOPAYR")


def test_a_claim_goes_once_under_an_idempotency_key_that_is_the_same_on_every_retry(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    calls = Recorder(client)
    text, control = batch_837(claim("W100", "Paid", _pcn()))
    stedi_server.fault(drop_next=1)  # the first answer is lost after the server took the claim
    first = client.submit(text, control_number=control, payer_id="SACME1")
    sent = calls.to("professionalclaims/v3/raw-x12-submission")
    keys = {c["headers"]["Idempotency-Key"] for c in sent}
    assert len(sent) == 2 and len(keys) == 1 and all(set(c["json"]) == {"x12"} for c in sent)
    (key,) = keys
    assert control in key and BILLING_NPI in key and len(key) <= 255
    assert stedi_server.received().count(control) == 1
    assert client.submit(text, control_number=control, payer_id="SACME1") == first  # the journal's receipt
    assert len(calls.to("professionalclaims")) == 2
    assert first.claim_count == 1 and first.receipt_id.startswith("stedi:SBX")


def test_a_connector_that_lost_its_journal_gets_the_first_answer_for_the_same_key(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    text, control = batch_837(claim("W100", "Paid", _pcn()))
    first = stedi_server.client(tmp_path / "a").submit(text, control_number=control, payer_id="SACME1")
    again = stedi_server.client(tmp_path / "b").submit(text, control_number=control, payer_id="SACME1")
    assert again.receipt_id == first.receipt_id and stedi_server.received().count(control) == 1


def test_status_error_is_a_refusal_with_codes_in_words_and_its_277ca_is_applied_as_a_report(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    pcn = _pcn()
    text, control = batch_837(claim("W999", "Nobody", pcn))
    with pytest.raises(ClaimsRefused) as refused:
        client.submit(text, control_number=control, payer_id="SACME1")
    assert refused.value.codes and all(c.startswith("STEDI-") for c in refused.value.codes)
    assert "follow-up: Please Correct and Resubmit" in str(refused.value)
    page = client.fetch_reports(None)
    answer = [r for r in page.reports if r.report_id == f"stedi-answer-{control}"]
    assert [r.kind for r in answer] == ["277"]
    assert read_277ca(answer[0].text).claims[0].patient_control_number == pcn
    client.reports_applied(page)
    assert not [r for r in client.fetch_reports(page.next_cursor).reports if r.report_id.startswith("stedi-answer")]


def test_reports_are_polled_inbound_only_each_fetched_through_its_download_url_without_the_key(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    calls = Recorder(client)
    pcn = _pcn()
    text, control = batch_837(claim("W100", "Paid", pcn))
    client.submit(text, control_number=control, payer_id="SACME1")
    acks = client.fetch_reports(None)
    client.reports_applied(acks)
    remits = client.fetch_reports(acks.next_cursor)
    kinds = [r.kind for r in acks.reports + remits.reports]
    assert sorted(kinds) == ["277", "835", "999"]  # our own 837 (OUTBOUND) is in the feed, not here
    paid = next(r for r in remits.reports if r.kind == "835")
    assert read_835(paid.text).payments[0].claims[0].patient_control_number == pcn
    polls = calls.to("/2023-08-01/polling/transactions")
    start = datetime.fromisoformat(polls[0]["params"]["startDateTime"].replace("Z", "+00:00"))
    assert start <= utcnow() - timedelta(minutes=1) and "pageToken" not in polls[0]["params"]
    assert all(p["params"]["pageToken"] for p in polls[1:]) and all(p["method"] == "GET" for p in polls)
    inputs, downloads = calls.to("/input"), calls.to("/stedi-files/")
    assert len(inputs) == len(downloads) == 2 and all(c["status"] == 302 for c in inputs)
    assert all("Authorization" not in c["headers"] and c["status"] == 200 for c in downloads)
    assert all(c["headers"]["Authorization"] == STEDI_KEY for c in calls.calls if c not in downloads)
    assert all("Idempotency-Key" not in c["headers"] for c in polls + inputs + downloads)


def test_claim_status_goes_as_raw_x12_with_the_key_and_the_payers_277_comes_back_at_once(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    paid, lost = _pcn(), _pcn()
    text, control = batch_837(claim("W100", "Paid", paid))
    client.submit(text, control_number=control, payer_id="SACME1")
    client.reports_applied(client.fetch_reports(None))  # the payer adjudicates what it was sent
    calls = Recorder(client)
    answer = client.check_claim_status(inquiry_276(("W100", "Paid", paid), ("W100", "Paid", lost)), payer_id="SACME1")
    (call,) = calls.calls
    assert call["url"].endswith(HEALTHCARE + "claimstatus/v2/raw-x12") and set(call["json"]) == {"x12"}
    assert call["headers"]["Authorization"] == STEDI_KEY and "Idempotency-Key" not in call["headers"]
    isa = call["json"]["x12"][:106].split("*")
    assert (isa[8].strip(), isa[15]) == ("STEDITEST", "T")
    said = {c.patient_control_number: c for c in read_277(answer).claims}
    assert said[paid].category[0] == "F" and said[paid].paid is not None
    assert (said[lost].category, said[lost].statuses[0].status) == ("A4", "35")


def test_a_page_of_only_other_traffic_is_walked_through_to_the_next(stedi_server: StediServer, tmp_path: Path) -> None:
    client = stedi_server.client(tmp_path, page_size=1)
    for _ in range(2):
        text, control = batch_837(claim("W100", "Paid", _pcn()))
        client.submit(text, control_number=control, payer_id="SACME1")
    page = client.fetch_reports(None)
    assert any(r.kind == "999" for r in page.reports)  # past the OUTBOUND 837s, one item a page


def test_429_is_honoured_with_its_retry_after(stedi_server: StediServer, tmp_path: Path) -> None:
    slept: list[float] = []
    client = stedi_server.client(tmp_path, sleep=slept.append)
    stedi_server.fault(rate_limit_next=1, retry_after=0.25)
    client.check_eligibility(inquiry_270(ask("W100", "Paid")), payer_id="SACME1")
    assert 0.25 in slept


def test_5xx_is_retried_with_backoff_then_said_to_be_transient(stedi_server: StediServer, tmp_path: Path) -> None:
    slept: list[float] = []
    client = stedi_server.client(tmp_path, sleep=slept.append, attempts=3)
    calls = Recorder(client)
    stedi_server.fault(error_next=5)
    with pytest.raises(ClearinghouseUnavailable, match="500"):
        client.fetch_reports(None)
    assert len(calls.calls) == 3 and len([s for s in slept if s > 0]) == 2


def test_a_timeout_is_retried(stedi_server: StediServer, tmp_path: Path) -> None:
    client = stedi_server.client(tmp_path, timeout=0.3)
    calls = Recorder(client)
    stedi_server.fault(slow_next=1, slow_seconds=1.0)
    read_271(client.check_eligibility(inquiry_270(ask("W100", "Paid")), payer_id="SACME1"))
    assert [c["status"] for c in calls.to("eligibility")] == [None, 200]  # timed out, then answered


def test_a_wrong_key_is_an_authentication_failure(stedi_server: StediServer, tmp_path: Path) -> None:
    client = stedi_server.client(tmp_path, key="not-the-key")
    with pytest.raises(ClearinghouseAuthFailed):
        client.fetch_reports(None)
    with pytest.raises(ClearinghouseAuthFailed):
        client.check()


def _age_journal(tmp_path: Path, control: str, state: str = "sending", days: int = 2) -> None:
    journal = tmp_path / "stedi-state" / "sent.jsonl"
    rows = [json.loads(line) for line in journal.read_text().splitlines()]
    last = [r for r in rows if r["control"] == control][-1]
    old = (utcnow() - timedelta(days=days)).isoformat()
    with journal.open("a") as handle:
        handle.write(json.dumps(last | {"state": state, "at": old, "receipt_id": ""}) + "\n")


def test_was_received_past_the_idempotency_window_looks_the_interchange_up_in_the_feed(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    text, control = batch_837(claim("W100", "Paid", _pcn()))
    client.submit(text, control_number=control, payer_id="SACME1")
    _age_journal(tmp_path, control)  # a send whose answer was never recorded, two days ago
    found = client.was_received(control)
    assert found is not None and found.control_number == control and found.receipt_id.startswith("stedi:")
    assert client.was_received(control) == found  # stored now: asked again, no lookup


def test_a_send_without_an_answer_inside_the_window_is_resent_under_its_key(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    text, control = batch_837(claim("W100", "Paid", _pcn()))
    first = client.submit(text, control_number=control, payer_id="SACME1")
    _age_journal(tmp_path, control, days=0)
    assert client.was_received(control) is None
    assert client.submit(text, control_number=control, payer_id="SACME1").receipt_id == first.receipt_id
    assert stedi_server.received().count(control) == 1


def test_was_received_knows_nothing_it_never_sent_and_refuses_other_content(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    assert client.was_received("000000000") is None
    text, control = batch_837(claim("W100", "Paid", _pcn()))
    client.submit(text, control_number=control, payer_id="SACME1")
    assert client.was_received(control, expected=Content.of(text.encode("ascii"))) is not None
    with pytest.raises(ControlNumberReused, match="other content"):
        client.was_received(control, expected=Content(10, "0" * 64))


def test_an_interchange_with_more_claims_than_the_connection_sends_is_refused_before_sending(
    stedi_server: StediServer, tmp_path: Path
) -> None:
    client = stedi_server.client(tmp_path)
    calls = Recorder(client)
    text, control = batch_837(claim("W100", "Paid", _pcn()), claim("W101", "Twice", _pcn()))
    with pytest.raises(ClearinghouseRejected, match="holds 2 claims"):
        client.submit(text, control_number=control, payer_id="SACME1")
    assert calls.calls == [] and control not in stedi_server.received()


def test_check_polls_once_with_the_key(stedi_server: StediServer, tmp_path: Path) -> None:
    (line,) = stedi_server.client(tmp_path).check()
    assert line[0] == "authentication" and line[1] is True


def test_the_journal_and_kept_answers_are_owner_only(stedi_server: StediServer, tmp_path: Path) -> None:
    client = stedi_server.client(tmp_path)
    text, control = batch_837(claim("W100", "Paid", _pcn()))
    client.submit(text, control_number=control, payer_id="SACME1")
    state = tmp_path / "stedi-state"
    for path in [state, state / "sent.jsonl", state / "answers", *(state / "answers").iterdir()]:
        assert path.stat().st_mode & 0o077 == 0, path
    assert client.journal.pending() == [Report(f"stedi-answer-{control}", "277", client.journal.pending()[0].text)]


def test_a_stedi_exchange_and_its_far_side_log_no_patient_data(
    stedi_server: StediServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tests.tasks.clearinghouse.helpers import roster

    caplog.set_level(logging.DEBUG)
    client = stedi_server.client(tmp_path, sleep=lambda _: None)
    stedi_server.fault(error_next=1, drop_next=1)
    client.check_eligibility(inquiry_270(ask("W100", "Paid"), ask("W103", "Ended")), payer_id="SACME1")
    for member, last in (("W100", "Paid"), ("W999", "Nobody")):
        text, control = batch_837(claim(member, last, _pcn()))
        try:
            client.submit(text, control_number=control, payer_id="SACME1")
        except ClaimsRefused:
            pass
    page = client.fetch_reports(None)
    client.fetch_reports(page.next_cursor)
    assert "failed (attempt 1" in caplog.text
    secrets = {
        s
        for m in roster().payers[0].members
        for s in (m.member_id, m.last_name, m.last_name.upper(), m.birth_date.strftime("%Y%m%d"))
    } | {"W999", "NOBODY", STEDI_KEY}
    assert [s for s in secrets if s in caplog.text] == []
