"""Readers accept every segment the guide allows in each loop (situational ones too), keep reading
the loop after them, and read files written by other systems' conventions."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from tasks.x12.ack277 import read_277ca, write_277ca
from tasks.x12.ack999 import read_999
from tasks.x12.auth278 import Decision, read_278, read_278s
from tasks.x12.claim837_reader import read_837p
from tasks.x12.claim837_writer import write_837p
from tasks.x12.eligibility_reader import read_270, read_271
from tasks.x12.remit835_reader import read_835
from tests.tasks.x12.goldens import all_goldens

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"
GOLDENS = all_goldens()


def _fixture(name: str) -> str:
    return (FIXTURES / f"{name}.x12").read_text()


def _with_se(text: str, added: int) -> str:
    """`text` with SE01 raised by `added` segments (one transaction set)."""
    head, _, tail = text.partition("\nSE*")
    count, _, rest = tail.partition("*")
    return f"{head}\nSE*{int(count) + added}*{rest}"


def test_271_with_situational_segments_reads_like_without() -> None:
    text = (
        _fixture("271_mh_benefits")
        .replace("PI*SACME1~\n", "PI*SACME1~\nPER*IC*PROVIDER LINE*TE*8005550100~\n")
        .replace(
            "MI*W123456789~\n",
            "MI*W123456789~\nREF*6P*GRP4411~\nN3*1 ELM ST~\nN4*SPRINGFIELD*IL*627020000~\nAAA*Y**15*R~\n",
        )
        .replace("*F~\n", "*F~\nINS*Y*18~\nHI*ABK:F411~\n", 1)
        .replace("DTP*346*D8*20260101~\n", "DTP*346*D8*20260101~\nMPI*A*AO*A~\n")
        .replace("EB*B*", "HSD*VS*30~\nREF*G1*PA1~\nDTP*292*RD8*20260101-20261231~\nIII*ZZ*11~\nEB*B*", 1)
    )
    answer = read_271(_with_se(text, 12))
    expected = GOLDENS["271_mh_benefits"].responses[0]  # type: ignore[attr-defined]
    assert answer.responses[0].benefits == expected.benefits
    assert answer.responses[0].plan_begin == expected.plan_begin
    assert [e.code for e in answer.responses[0].errors] == ["15"]


def test_271_dependent_level_is_the_patient() -> None:
    answer = read_271(_fixture("ext_271_dependent_situational"))
    (response,) = answer.responses
    assert response.patient_level == "dependent" and response.dependent is not None
    assert (response.dependent.first_name, response.relationship, response.trace_number) == ("SAGE", "19", "TRC771A")
    assert (response.plan_begin, response.plan_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert [b.code for b in response.benefits] == ["1", "B", "A", "C", "F", "1", "U"]
    assert response.benefits[1].messages == ("COPAY APPLIES TO EACH GROUP SESSION",)
    assert response.benefits[-1].entity_name == "MINDBRIDGE BEHAVIORAL REVIEW"
    assert [b.amount for b in response.subscriber_benefits] == [None, Decimal("40")]
    assert answer.payer.payer_id == "GLHP01" and answer.receiver.npi == "1234567893"


def test_271_two_dependents_of_one_subscriber_are_two_answers() -> None:
    text = _fixture("ext_271_dependent_situational")
    first_dependent = text.index("HL*4*3*23*0")
    second = text[first_dependent : text.index("SE*")].replace("HL*4*3*23*0", "HL*5*3*23*0")
    second = second.replace("SAGE", "ROWAN").replace("TRN*2*", "TRN*2*")
    count = second.count("~")
    doubled = text.replace("SE*", second + "SE*", 1)
    head, _, tail = doubled.partition("SE*")
    number, _, rest = tail.partition("*")
    answers = read_271(f"{head}SE*{int(number) + count}*{rest}").responses
    assert [a.dependent.first_name for a in answers if a.dependent] == ["SAGE", "ROWAN"]
    assert all(a.patient_level == "dependent" and len(a.benefits) == 7 for a in answers)


def test_270_from_another_system() -> None:
    """| between elements, no line breaks, REF/N3/N4/PRV for the provider, a dependent with INS,
    two EQ loops, III, and a date range at the inquiry level."""
    batch = read_270(_fixture("ext_270_dependent_situational"))
    child, adult = batch.inquiries
    assert (child.trace_number, child.service_date, child.service_type) == ("TRC770B", date(2026, 11, 24), "MH")
    assert child.dependent is not None and child.dependent.first_name == "SAGE"
    assert (adult.trace_number, adult.service_date, adult.dependent) == ("TRC770C", date(2026, 11, 1), None)
    assert batch.originator == "9371234567" and batch.receiver.npi == "1234567893"


def test_999_with_context_segments_and_a_line_break_as_terminator() -> None:
    ack = read_999(_fixture("ext_999_ctx_situational"))
    (group,) = ack.groups
    rejected, accepted = group.sets
    assert (group.status, rejected.status, rejected.codes, accepted.status) == ("P", "R", ("5", "I5"), "A")
    assert [(e.segment, e.position, e.loop) for e in rejected.errors] == [("NM1", 17, "2010"), ("DTP", 31, "2400")]
    assert [(x.position, x.code, x.reference) for e in rejected.errors for x in e.element_errors] == [
        (9, "7", "67"),
        (3, "8", "1251"),
    ]


def test_999s_of_several_interchanges_are_read_together() -> None:
    ack = read_999(_fixture("999_accepted") + _fixture("ext_999_ctx_situational"))
    assert [(g.group_control_number, len(g.sets)) for g in ack.groups] == [("101", 1), ("101", 2)]


def test_277ca_keeps_every_status_and_the_lines_apart() -> None:
    """STC10/STC11 are the second and third reasons; line STCs (2220D) stay with their line; each
    2200D of a patient is its own claim; a claim's DTP*472 may be a range."""
    claims = {c.patient_control_number: c for c in read_277ca(_fixture("ext_277ca_multi_status_lines")).claims}
    assert list(claims) == ["GB0000000201", "GB0000000202", "GB0000000203"]
    rejected = claims["GB0000000202"]
    assert [(s.category, s.status, s.entity) for s in rejected.statuses] == [
        ("A7", "562", "85"),
        ("A7", "21", "IL"),
        ("A8", "153", "QC"),
    ]
    assert all(s.amount == Decimal("75") and s.action == "U" for s in rejected.statuses)
    assert [(x.procedure_code, x.line_control_number) for x in rejected.lines] == [
        ("90853", "GB0000000202L1"),
        ("90785", "GB0000000202L2"),
    ]
    assert [(s.category, s.status) for s in rejected.lines[0].statuses] == [("A7", "453")]
    accepted = claims["GB0000000201"]
    assert accepted.accepted and accepted.payer_claim_number == "ACM2026112700201"
    assert (accepted.service_date, accepted.service_date_end) == (date(2026, 11, 17), date(2026, 11, 24))
    assert claims["GB0000000203"].statuses[0].category == "A3" and claims["GB0000000203"].lines == ()


def test_277ca_lines_and_ranges_survive_our_writer() -> None:
    ack = read_277ca(_fixture("ext_277ca_multi_status_lines"))
    assert read_277ca(write_277ca(ack)).claims == ack.claims


def test_835_payee_ids_by_qualifier_and_date_ranges() -> None:
    """N1*PE*..*FI is a tax ID, not an NPI; REF*PQ is kept; DTM*150/151 is a line's range, DTM*232/233
    the claim's statement period; CUR, REF*EV, RDM, TS3, MOA, AMT, QTY and LQ are read past."""
    remittance = read_835(_fixture("ext_835_payee_fi_dtm_ranges"))
    (payment,) = remittance.payments
    assert (payment.payee_npi, payment.payee_tax_id, payment.payee_other_ids) == (
        None,
        "371234567",
        (("PQ", "RB0042"),),
    )
    assert (payment.payer_id, payment.payer_contact_phone) == ("SACME1", "8005550102")
    first, denied = payment.claims
    assert (first.statement_start, first.statement_end) == (date(2026, 11, 17), date(2026, 11, 24))
    assert [(x.service_date, x.service_date_end) for x in first.lines] == [
        (date(2026, 11, 17), date(2026, 11, 24)),
        (date(2026, 11, 24), None),
    ]
    assert first.lines[0].remarks == ("N520",) and first.lines[1].allowed == Decimal("16")
    assert denied.status_code == "4" and denied.lines == () and remittance.imbalances() == []
    assert [(p.reason, p.amount) for p in payment.provider_adjustments] == [
        ("WO", Decimal("12.5")),
        ("FB", Decimal("-5")),
    ]


def test_835_payee_npi_is_read_only_from_an_xx_qualifier() -> None:
    ours = read_835(_fixture("835_paid")).payments[0]
    assert (ours.payee_npi, ours.payee_tax_id, ours.payee_other_ids) == ("1234567893", "371234567", ())


def test_837p_line_date_range_is_read_by_its_qualifier() -> None:
    """DTP*472*RD8 was refused ('not a CCYYMMDD date'): the start is the date of service, the end kept."""
    text = _fixture("837p_telehealth_95").replace("DTP*472*D8*20261124", "DTP*472*RD8*20261120-20261124")
    (line,) = read_837p(text).claims[0].lines
    assert (line.service_date, line.service_date_end) == (date(2026, 11, 20), date(2026, 11, 24))
    assert read_837p(write_837p(read_837p(text))).claims[0].lines == (line,)


def test_837p_from_another_system() -> None:
    """PWK, CN1, AMT, REF*9F/EA, K3, NTE, a condition-code HI, HCP, 2010AB, 2310A/C, 2320/2330, and
    PWK/CN1/K3/NTE/HCP/2420A on the line: the claim reads past them; only the ABK HI is diagnoses."""
    (claim,) = read_837p(_fixture("ext_837p_rd8_situational")).claims
    assert claim.diagnoses == ("F4310", "F909") and claim.prior_authorization == "PA55100999"
    assert claim.patient is not None and (claim.patient.relationship, claim.patient.person.first_name) == (
        "19",
        "JESSE",
    )
    assert claim.rendering is not None and claim.rendering.taxonomy == "1041C0700X"
    assert (claim.subscriber.member_id, claim.subscriber.group_number) == ("W445566778", "GRP5522")
    (line,) = claim.lines
    assert (line.procedure_code, line.modifiers, line.units, line.pointers) == ("90853", ("HQ",), 2, (1, 2))
    assert (line.service_date, line.service_date_end, line.control_number) == (
        date(2026, 11, 17),
        date(2026, 11, 24),
        "LC0000004401L1",
    )


def test_278_with_the_decision_at_the_service_level() -> None:
    """A payer deciding per service (HCR, DTP*AAH, HSD in 2000F), with PER, PRV, REF, HI, MSG and
    a second TRN: the decision is read from the service level, the request from the event level."""
    review = read_278(_fixture("ext_278_service_level_decision"))
    assert (review.trace_number, review.procedure, review.visits, review.provider_npi) == (
        "GBAUTH9",
        "90853",
        12,
        "1987654328",
    )
    assert review.decision == Decision("A2", "PA66200111", None, date(2027, 1, 1), date(2027, 2, 28), 8)


def test_our_278_puts_the_service_in_a_service_level() -> None:
    """SV1 belongs to 2000F (HL*SS); our writer once put it in the patient event level."""
    text = _fixture("278_renewal_request")
    assert "HL*5*4*SS*0~\nUM*HS*R~\nSV1*" in text and read_278(text) == GOLDENS["278_renewal_request"]
    assert read_278s(text + _fixture("278_partial_certification"))[1].decision is not None
