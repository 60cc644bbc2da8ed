"""Reader details the goldens do not pin down: splitting sets, plan status, balancing as data."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from tasks.x12.claim837_reader import read_837p
from tasks.x12.claim837_writer import MAX_CLAIMS_PER_SET, write_837p
from tasks.x12.eligibility_model import Benefit, EligibilityResponse
from tasks.x12.envelope import Header, read_interchange
from tasks.x12.remit835_model import claim_imbalances
from tests.tasks.x12.goldens import JANE, claims_837, remittances


def test_more_than_5000_claims_split_into_transaction_sets() -> None:
    template = claims_837()["837p_group_with_addon"]
    claim = template.claims[0]
    many = tuple(replace(claim, patient_control_number=f"GB{i:010d}") for i in range(MAX_CLAIMS_PER_SET + 1))
    batch = replace(template, header=Header("GROUPBILL", "SANDBOX", 9, datetime(2026, 11, 27)), claims=many)
    text = write_837p(batch)
    sets = read_interchange(text).groups[0].sets
    assert [len([s for s in t.segments if s[0] == "CLM"]) for t in sets] == [MAX_CLAIMS_PER_SET, 1]
    assert len(read_837p(text).claims) == MAX_CLAIMS_PER_SET + 1


def test_claims_are_grouped_under_one_subscriber_loop() -> None:
    template = claims_837()["837p_group_with_addon"]
    two = replace(template, claims=(template.claims[0], replace(template.claims[0], patient_control_number="GB2")))
    text = write_837p(two)
    assert text.count("HL*") == 2 and text.count("CLM*") == 2
    assert [c.patient_control_number for c in read_837p(text).claims] == ["GB0000000101", "GB2"]


def test_plan_active_follows_eb01() -> None:
    def response(*codes: str) -> EligibilityResponse:
        return EligibilityResponse("T", "M", JANE, benefits=tuple(Benefit(c) for c in codes))

    assert response("1", "B").plan_active is True
    assert response("6").plan_active is False
    assert response("B", "A").plan_active is None
    assert response("6", "1").plan_active is True  # an active plan for the service type wins


def test_imbalances_are_reported_as_data() -> None:
    payment = remittances()["835_partly_paid_pr_copay"].payments[0]
    assert payment.imbalances() == []
    claim = payment.claims[0]
    short = replace(claim, paid=claim.paid - Decimal("1"))
    assert claim_imbalances(short) == ["claim GB0000000102: charge 75.00 - adjustments 47.00 != paid 27.00"]
    off = replace(payment, payment_amount=Decimal("1"))
    assert off.imbalances() == ["trace EFT20261204: BPR02 1.00 != claims paid minus provider adjustments 28.00"]


def test_a_bad_birth_date_is_not_echoed_in_the_error() -> None:
    import pytest

    from models.errors import X12ParseError
    from tasks.x12.detect import parse_x12
    from tests.tasks.x12.goldens import render

    text = render(claims_837()["837p_group_with_addon"]).replace("DMG*D8*19800101", "DMG*D8*19801301")
    with pytest.raises(X12ParseError) as err:
        parse_x12(text)
    assert "DMG02 is not a real calendar date" in str(err.value) and "19801301" not in str(err.value)
