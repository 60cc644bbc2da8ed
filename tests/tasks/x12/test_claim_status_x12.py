"""The 276 writer and the 277 claim status reader (005010X212): read back, told apart from a 277CA, shown by
`x12 parse`, judged by groupbill's reader (pyx12 indexes no X212 map), and refused where the guide says no."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from models.errors import X12ParseError
from tasks.x12.ack277 import read_277ca
from tasks.x12.detect import parse_each, parse_file
from tasks.x12.status276 import read_276
from tasks.x12.status277 import read_277

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
REQUEST = (FIXTURES / "276_status_request.x12").read_text()
ANSWER = (FIXTURES / "277_status_every_family.x12").read_text()


def test_the_277_gives_every_family_with_payment_and_dates() -> None:
    claims = read_277(ANSWER).claims
    assert [c.category for c in claims] == ["F1", "F2", "A4", "A7", "A2", "P1", "R4", "E0", "P2"]
    paid = claims[0]
    assert (paid.paid, paid.adjudicated_on, paid.remitted_on) == (
        Decimal("48.00"),
        date(2026, 11, 28),
        date(2026, 11, 30),
    )
    assert paid.remittance_trace == "SACME1000000042" and paid.payer_claim_number == "SACME1-GB1"
    assert paid.lines[0].paid == Decimal("48.00") and paid.lines[0].statuses[0].status == "65"
    assert claims[1].statuses[0].entity == "IL" and claims[-1].dependent and claims[-1].patient_first == "RILEY"


def test_a_277_claim_status_is_not_read_as_a_277ca_nor_the_other_way() -> None:
    with pytest.raises(X12ParseError, match="not a 277 claim status response"):
        read_277((FIXTURES / "277ca_accepted.x12").read_text())
    assert parse_file(ANSWER)[0][1].as_json()["guide"] == "005010X212"
    assert parse_file((FIXTURES / "277ca_accepted.x12").read_text())[0][1].as_json().get("guide") is None
    with pytest.raises(X12ParseError):
        read_277ca(ANSWER)


def test_a_file_mixing_a_277ca_and_a_claim_status_answer_reads_each_set_on_its_own() -> None:
    mixed = (FIXTURES / "277ca_accepted.x12").read_text() + ANSWER
    readings = parse_file(mixed)
    assert [kind for kind, _ in readings] == ["277", "277"]
    assert [d.as_json().get("guide") for _, d in readings] == [None, "005010X212"]
    assert len(parse_each(mixed)) == 2


def test_the_276_names_the_claim_its_trace_and_the_dependent() -> None:
    request = read_276(REQUEST)
    jane, riley = request.inquiries
    assert (jane.trace_number, jane.patient_control_number, jane.charge) == ("CS41", "GB0000000101", Decimal("95"))
    assert [line.procedure_code for line in jane.lines] == ["90853", "90785"]
    assert riley.patient is not None and riley.payer_claim_number == "ACM2026112700103"


def test_a_276_without_the_claim_charge_is_refused_with_its_position() -> None:
    text = REQUEST.replace("AMT*T3*75~\n", "").replace("SE*32*", "SE*31*")
    with pytest.raises(X12ParseError, match=r"segment \d+: loop 2200E \(claim status tracking number\) has no AMT\*T3"):
        read_276(text)


def test_a_segment_the_guide_puts_nowhere_is_refused() -> None:
    text = ANSWER.replace("TRN*2*CS53~\n", "TRN*2*CS53~\nCLM*X*1~\n").replace("SE*70*", "SE*71*")
    with pytest.raises(X12ParseError, match="unexpected CLM in loop 2200D"):
        read_277(text)


def test_x12_parse_shows_the_claim_status_answer_and_the_question(cli) -> None:
    code, out, err = cli("x12", "parse", str(FIXTURES / "277_status_every_family.x12"))
    assert (code, err) == (0, "") and "F1:65" in out and "48.00" in out and "A4:35" in out
    code, out, _ = cli("x12", "parse", str(FIXTURES / "277_status_every_family.x12"), "--format", "json")
    claim = json.loads(out)["claims"][0]
    assert claim["paid"] == "48.00" and claim["statuses"][0]["category"] == "F1"
    code, out, _ = cli("x12", "parse", str(FIXTURES / "276_status_request.x12"))
    assert code == 0 and "X12 276" in out and "GB0000000101" in out


def test_x12_validate_judges_the_276_with_groupbills_reader(cli) -> None:
    path = FIXTURES / "276_status_request.x12"
    assert cli("x12", "validate", str(path)) == (
        0,
        f"{path}: valid; judged by groupbill's reader because pyx12 has no map for 005010X212 276\n",
        "",
    )
