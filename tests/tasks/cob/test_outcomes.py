"""What coordination of benefits came to, service by service: the outcome of each payer-to-payer step,
the money of the second and third payers, and what the patient owes once every payer answered."""

from decimal import Decimal as D

from models.enums import PayerSequence
from tasks.cob.outcomes import Answer, Link, Service, tally

P, S, T = PayerSequence.PRIMARY, PayerSequence.SECONDARY, PayerSequence.TERTIARY
CHARGE = D("75.00")


def _link(sequence: PayerSequence, answer: Answer | None, *, sent: bool = True, crossover: bool = False) -> Link:
    return Link(sequence, CHARGE, sent, crossover, answer)


def test_each_step_has_one_outcome() -> None:
    medicare = Answer("1", D("25.14"), D("6.28"))
    services = [
        (
            2,
            [
                _link(P, Answer("19", D("25.14"), D("6.28"), crossed_over=True)),
                _link(S, Answer("2", D("0"), D("0")), sent=False, crossover=True),
            ],
        ),
        (2, [_link(P, medicare), _link(S, Answer("2", D("6.28"), D("0")))]),
        (2, [_link(P, Answer("1", D("31.42"), D("0")))]),
        (2, [_link(P, Answer("4", D("0"), D("0"), denied_for_order=True)), _link(P, None, sent=False)]),
        (
            3,
            [
                _link(P, Answer("1", D("28"), D("20"))),
                _link(S, Answer("2", D("3.42"), D("16.58"))),
                _link(T, Answer("3", D("0"), D("0"))),
            ],
        ),
        (2, [_link(P, None)]),  # held, not sent yet
        (1, [_link(P, Answer("1", D("28"), D("20")))]),  # one coverage: what it left is the patient's
    ]
    found = tally(Service(payers, links) for payers, links in services)
    assert (found.crossed_over, found.billed, found.nothing_left, found.order_disputed, found.waiting) == (
        1,
        3,
        1,
        1,
        1,
    )
    assert found.recovered == D("9.70") and found.crossover_paid == 0
    assert found.next_payers_billed == D("225.00")  # the secondaries and the tertiary groupbill sent
    assert found.services_settled == 5 and found.patient_after_all == D("20.00")


def test_what_the_payers_leave_a_medicaid_member_is_written_off_not_billed() -> None:
    medicare = _link(P, Answer("1", D("25.14"), D("6.28")))
    medicaid_paid_nothing_and_left_a_copay = _link(S, Answer("2", D("0"), D("1.00")))
    found = tally([Service(2, [medicare, medicaid_paid_nothing_and_left_a_copay], medicaid=True)])
    assert (found.patient_after_all, found.written_off, found.services_settled) == (D("0"), D("1.00"), 1)
