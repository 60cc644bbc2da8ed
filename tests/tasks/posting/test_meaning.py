"""What acknowledgements and remittances mean for a claim: pure, over hand-made X12 values."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from config.reference_data import x12_codes
from models.enums import ClaimStatus
from tasks.posting.meaning import REVIEW, adjudication, claim_acknowledgement, claim_status, set_rejection
from tasks.x12 import ack277 as a277
from tasks.x12 import ack999 as a999
from tasks.x12 import remit835_model as r

CODES = x12_codes()


def _payment(
    status: str, paid: str, patient: str, *adjustments: r.Adjustment, remarks: tuple[str, ...] = ()
) -> r.ClaimPayment:
    line = r.ServicePayment(
        "90853", D("75.00"), D(paid), D(1), (), date(2026, 11, 20), "GB0000000001L1", adjustments, remarks
    )
    return r.ClaimPayment("GB0000000001", status, D("75.00"), D(paid), D(patient), "12", "PCN1", lines=(line,))


def test_a_rejected_999_set_explains_where() -> None:
    ack = a999.SetAck(
        "837", "0001", "R", None, ("5",), (a999.SegmentError("NM1", 12, "2010BA", "8", (a999.ElementError(9, "7"),)),)
    )
    entry = set_rejection(ack)
    assert entry is not None and entry.queue == "FIX_AND_RESEND" and entry.codes == ("IK5-5",)
    assert "segment NM1 at 12" in entry.explanation and "element 9 error 7" in entry.explanation
    assert set_rejection(a999.SetAck("837", "0001", "A")) is None
    assert set_rejection(a999.SetAck("837", "0001", "E")) is None  # accepted with errors is accepted


@pytest.mark.parametrize(
    ("category", "accepted"),
    [("A1", True), ("A2", True), ("A3", False), ("A4", False), ("A6", False), ("A7", False), ("A8", False)],
)
def test_277ca_categories(category: str, accepted: bool) -> None:
    ok, entry = claim_status(a277.StatusInfo(category, "562", "85"), CODES)
    assert ok is accepted
    if not accepted:
        assert entry is not None and entry.queue == "FIX_AND_RESEND" and entry.codes == (f"{category}:562:85",)
        assert "National Provider Identifier" in entry.explanation and "billing provider" in entry.explanation


def test_paid_with_contractual_and_member_share_is_paid_not_a_denial() -> None:
    meaning = adjudication(
        _payment("1", "40.00", "20.00", r.Adjustment("CO", "45", D("15.00")), r.Adjustment("PR", "3", D("20.00"))),
        CODES,
    )
    assert meaning.status is ClaimStatus.PAID and meaning.entries == [] and meaning.allowed == D("60.00")


@pytest.mark.parametrize(
    ("group", "carc", "remarks", "queue", "returns"),
    [
        ("CO", "27", ("N30",), "ELIGIBILITY", True),
        ("CO", "197", ("M62",), "AUTHORIZATION", True),
        ("CO", "185", ("N290",), "CREDENTIALING", False),
        ("OA", "18", ("M86",), "DUPLICATE", True),
        ("CO", "97", ("M80", "N20"), "CODING", False),
        ("CO", "29", ("N211",), "TIMELY_FILING", True),
        ("CO", "119", ("N640",), "BENEFIT_LIMIT", True),
        ("CO", "50", (), "MEDICAL_NECESSITY", False),
        ("CO", "16", ("M62",), "AUTHORIZATION", True),  # a remark decides where CARC 16 goes
        ("CO", "16", ("MA130",), "FIX_AND_RESEND", False),
        ("CO", "999", (), REVIEW, False),
    ],
)
def test_denials_file_under_their_queue(
    group: str, carc: str, remarks: tuple[str, ...], queue: str, returns: bool
) -> None:
    meaning = adjudication(_payment("4", "0.00", "0.00", r.Adjustment(group, carc, D("75.00")), remarks=remarks), CODES)
    assert meaning.status is ClaimStatus.DENIED
    assert [e.queue for e in meaning.entries] == [queue]
    assert meaning.entries[0].codes[0] == f"{group}-{carc}"
    assert meaning.returns_units(CODES) is returns


def test_a_partial_denial_is_partially_paid() -> None:
    paid = r.ServicePayment(
        "90853", D("75.00"), D("50.00"), D(1), (), None, "L1", (r.Adjustment("CO", "45", D("25.00")),)
    )
    denied = r.ServicePayment(
        "90785", D("20.00"), D("0.00"), D(1), (), None, "L2", (r.Adjustment("CO", "97", D("20.00")),), ("N122",)
    )
    claim = r.ClaimPayment("GB1", "1", D("95.00"), D("50.00"), D("0.00"), "12", lines=(paid, denied))
    meaning = adjudication(claim, CODES)
    assert meaning.status is ClaimStatus.PARTIALLY_PAID and [e.queue for e in meaning.entries] == ["CODING"]
    assert not meaning.returns_units(CODES)


def test_a_reversal_changes_no_status_and_asks_for_review() -> None:
    meaning = adjudication(_payment("22", "-40.00", "0.00"), CODES)
    assert meaning.status is None and [e.queue for e in meaning.entries] == [REVIEW]


def test_a_277ca_rejection_lists_every_reason_and_its_lines() -> None:
    statuses = (
        a277.StatusInfo("A7", "562", "85"),
        a277.StatusInfo("A7", "21", "IL"),
        a277.StatusInfo("A8", "153", "QC"),
    )
    line = a277.LineAck("90853", D("75"), (a277.StatusInfo("A7", "453"),), line_control_number="GB1L1")
    ok_line = a277.LineAck("90785", D("20"), (a277.StatusInfo("A2", "20"),), line_control_number="GB1L2")
    ack = a277.ClaimAck("GB1", statuses, "RIVERBEND", "1234567893", "DOE", "JANE", lines=(line, ok_line))
    accepted, entry = claim_acknowledgement(ack, CODES)
    assert accepted is False and entry is not None and entry.queue == "FIX_AND_RESEND"
    assert entry.codes == ("A7:562:85", "A7:21:IL", "A8:153:QC", "A7:453")
    assert entry.explanation.count(" | ") == 3 and "line GB1L1: " in entry.explanation
    assert "GB1L2" not in entry.explanation
    assert claim_acknowledgement(replace(ack, statuses=(a277.StatusInfo("A1", "20"),)), CODES) == (True, None)
