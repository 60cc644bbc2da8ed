"""The sandbox payer's behaviours, each producing the expected 271 / 999 / 277CA / 835 content."""

import weakref
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.x12.ack277 import read_277ca
from tasks.x12.ack999 import read_999
from tasks.x12.eligibility_reader import read_271
from tasks.x12.remit835_model import ClaimPayment
from tasks.x12.remit835_reader import read_835
from tests.tasks.clearinghouse.helpers import OTHER_NPI, ask, batch_837, claim, inquiry_270

CURSORS: "weakref.WeakKeyDictionary[SandboxClearinghouse, str]" = weakref.WeakKeyDictionary()


def _run(sandbox: SandboxClearinghouse, *claims) -> dict[str, list]:
    """Submit one batch and collect what the next two polls release (the cursor carries over)."""
    text, control = batch_837(*claims)
    sandbox.submit(text, control_number=control, payer_id="SACME1")
    first = sandbox.fetch_reports(CURSORS.get(sandbox))
    second = sandbox.fetch_reports(first.next_cursor)
    CURSORS[sandbox] = second.next_cursor
    found: dict[str, list] = {"999": [], "277": [], "835": []}
    for report in (*first.reports, *second.reports):
        found[report.kind].append(report.text)
    assert [r.kind for r in second.reports] == ["835"] * len(found["835"])
    return found


def _payments(found: dict[str, list]) -> dict[str, ClaimPayment]:
    return {c.patient_control_number: c for text in found["835"] for c in read_835(text).payments[0].claims}


def _reasons(payment: ClaimPayment) -> list[tuple[str, str, str]]:
    return [(a.group, a.reason, f"{a.amount:.2f}") for line in payment.lines for a in line.adjustments]


def test_pays_with_contractual_and_patient_share(sandbox) -> None:
    found = _run(sandbox, claim("W100", "Paid", "P1", codes=(("90853", ()), ("90785", ()))))
    payment = _payments(found)["P1"]
    # 90853: allowed 48, copay 20, deductible 10 (all that is left), coinsurance 10% of 18 = 1.80
    # 90785: allowed 16.50, no copay left, no deductible left, coinsurance 1.65
    assert _reasons(payment) == [
        ("CO", "45", "27.00"),
        ("PR", "1", "10.00"),
        ("PR", "2", "1.80"),
        ("PR", "3", "20.00"),
        ("CO", "45", "3.50"),
        ("PR", "2", "1.65"),
    ]
    assert (payment.status_code, payment.paid, payment.patient_responsibility) == (
        "1",
        Decimal("31.05"),
        Decimal("33.45"),
    )
    assert payment.lines[0].allowed == Decimal("48") and read_835(found["835"][0]).imbalances() == []


@pytest.mark.parametrize(
    ("who", "kwargs", "expected"),
    [
        (("W103", "Ended"), {}, ("CO", "27", "N30")),
        (("W104", "Carved"), {}, ("CO", "109", "N418")),
        (("W105", "Excluded"), {}, ("CO", "96", "N130")),
        (("W100", "Paid"), {"rendering": OTHER_NPI}, ("CO", "185", "N290")),
        (("W100", "Paid"), {"codes": (("90853", ()), ("90834", ()))}, ("CO", "97", "M80 N20")),
    ],
)
def test_denials(sandbox, who, kwargs, expected) -> None:
    payment = _payments(_run(sandbox, claim(*who, "D1", **kwargs)))["D1"]
    group, carc, rarc = expected
    assert payment.status_code == "4" and payment.paid == 0
    assert {(a.group, a.reason) for line in payment.lines for a in line.adjustments} == {(group, carc)}
    assert payment.lines[0].remarks == tuple(rarc.split())


def test_same_day_individual_with_xe_is_paid(sandbox) -> None:
    payment = _payments(_run(sandbox, claim("W100", "Paid", "X1", codes=(("90853", ()), ("90834", ("XE",))))))["X1"]
    assert payment.status_code == "1"


def test_authorization_required(tmp_path) -> None:
    from tests.tasks.clearinghouse.conftest import SandboxClearinghouse as Sandbox
    from tests.tasks.clearinghouse.conftest import SandboxState
    from tests.tasks.clearinghouse.helpers import roster

    sandbox = Sandbox(roster(auth_required=True), SandboxState(tmp_path / "state.db"))
    found = _payments(_run(sandbox, claim("W100", "Paid", "A1"), claim("W101", "Twice", "A2", auth="PA55")))
    assert _reasons(found["A1"]) == [("CO", "197", "75.00")] and found["A1"].lines[0].remarks == ("M62",)
    assert found["A2"].status_code == "1"


def test_visit_limit_and_exact_duplicate_across_submissions(sandbox) -> None:
    first = _payments(_run(sandbox, claim("W102", "Limit", "V1"), claim("W101", "Twice", "T1")))
    next_week = date(2026, 12, 1)  # another session: the limit, not a duplicate, must stop it
    later = _payments(_run(sandbox, claim("W102", "Limit", "V2", day=next_week), claim("W101", "Twice", "T2")))
    assert first["V1"].status_code == "1" and first["T1"].status_code == "1"
    assert _reasons(later["V2"])[0][:2] == ("CO", "119")
    assert _reasons(later["T2"])[0][:2] == ("OA", "18") and later["T2"].lines[0].remarks == ("M86",)


def test_front_door_rejects_unknown_member_and_bad_npi(sandbox) -> None:
    found = _run(
        sandbox,
        claim("W999", "Nobody", "F1"),
        claim("W100", "Paid", "F2", rendering="1987654320"),
        claim("W100", "Paid", "F3"),
    )
    statuses = {c.patient_control_number: c.statuses[0] for c in read_277ca(found["277"][0]).claims}
    assert (statuses["F1"].category, statuses["F1"].status, statuses["F1"].entity) == ("A7", "97", "IL")
    assert (statuses["F2"].category, statuses["F2"].status, statuses["F2"].entity) == ("A7", "562", "82")
    assert (statuses["F3"].category, statuses["F3"].action) == ("A2", "WQ")
    assert set(_payments(found)) == {"F3"}
    assert read_277ca(found["277"][0]).claims[2].payer_claim_number == "SACME1-F3"


def test_broken_x12_gets_a_999_rejection_and_nothing_else(sandbox) -> None:
    text, control = batch_837(claim("W100", "Paid", "B1"))
    sandbox.submit(text.replace("SV1*HC:90853*75", "SV1*HC:90853*70"), control_number=control, payer_id="SACME1")
    first = sandbox.fetch_reports(None)
    reports = first.reports + sandbox.fetch_reports(first.next_cursor).reports
    kinds = [r.kind for r in reports]
    assert kinds == ["999"]
    ack = read_999(reports[0].text)
    assert ack.groups[0].status == "R" and ack.groups[0].sets[0].errors


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (ask("W100", "Paid"), {"active": True, "codes": ["1", "B", "A", "C", "C"], "errors": []}),
        (ask("W103", "Ended"), {"active": False, "codes": ["6"], "errors": []}),
        (ask("W104", "Carved"), {"active": True, "codes": ["1", "U"], "errors": []}),
        (ask("W105", "Excluded"), {"active": True, "codes": ["1", "I"], "errors": []}),
        (ask("W123", "Paid"), {"active": None, "codes": [], "errors": [("72", "C")]}),
        (ask(None, "Paid"), {"active": None, "codes": [], "errors": [("75", "C")]}),
        (ask("W100", "Paid", born=date(1981, 1, 1)), {"active": None, "codes": [], "errors": [("71", "C")]}),
    ],
)
def test_eligibility_answers(sandbox, question, expected) -> None:
    answer = read_271(sandbox.check_eligibility(inquiry_270(question), payer_id="SACME1")).responses[0]
    assert answer.plan_active is expected["active"]
    assert [b.code for b in answer.benefits] == expected["codes"]
    assert [(e.code, e.follow_up) for e in answer.errors] == expected["errors"]
    if answer.benefits and answer.benefits[0].code == "1" and expected["codes"][1:2] == ["B"]:
        assert answer.benefits[1].amount == Decimal("20") and answer.benefits[0].service_types == ("30", "MH")
    if "U" in expected["codes"]:
        assert answer.benefits[1].entity_name == "MINDWELL BEHAVIORAL HEALTH"


def test_adjudication_is_deterministic(tmp_path) -> None:
    from tests.tasks.clearinghouse.conftest import SandboxClearinghouse as Sandbox
    from tests.tasks.clearinghouse.conftest import SandboxState
    from tests.tasks.clearinghouse.helpers import roster

    texts = []
    for run in ("a", "b"):
        sandbox = Sandbox(
            roster(), SandboxState(tmp_path / run / "state.db"), lambda: datetime(2026, 11, 27, 12, tzinfo=UTC)
        )
        found = _run(sandbox, claim("W100", "Paid", "Z1"), claim("W103", "Ended", "Z2"))
        texts.append(found["835"])
    assert texts[0] == texts[1]
