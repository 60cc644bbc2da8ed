"""The sandbox plays every payer of a service: a secondary checked against what the primary (also the
sandbox) paid and paid after it, Medicaid's lesser-of, crossovers for configured payer pairs, CARC 22
when billed out of order, and the remittance habits the synthetic practice seeds."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from tasks.clearinghouse.roster import Benefits, Crossover, NextPayer, Roster, RosterPayer
from tasks.clearinghouse.sandbox.remits import crossover_claim
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.state import SandboxState
from tasks.x12 import claim837_model as x
from tasks.x12.ack277 import read_277ca
from tasks.x12.remit835_model import ClaimPayment, Payment
from tasks.x12.remit835_reader import read_835
from tests.tasks.clearinghouse.helpers import RENDERING_NPI, TODAY, batch_837, claim, member, write_roster


def _payer(source: str, x12: str, kind: str, allowed: str, **benefits: object) -> RosterPayer:
    return RosterPayer(
        source_id=source,
        x12_payer_id=x12,
        name=source,
        kind=kind,
        allowed_amounts={"90853": D(allowed)},
        benefits=Benefits.model_validate(benefits),
        rendering_npis=[RENDERING_NPI],
    )


def _roster(**medicare_member: object) -> Roster:
    medicare = _payer("MEDICARE", "SMCR01", "medicare", "31.42", coinsurance="0.20")
    medicaid = _payer("MEDICAID", "SMCD01", "medicaid", "24.10")
    acme = _payer("ACME", "SACME1", "commercial", "48.00", copay="20.00")
    medicare.members = [
        member("1EG4", "Otto", next_payer=NextPayer(payer_id="SMCD01", member_id="PSM1"), **medicare_member),
        member("1EG5", "Ann"),
    ]
    medicaid.members = [member("PSM1", "Otto", sequence="S")]
    acme.members = [member("W200", "Ann", sequence="S"), member("W300", "Bob", sequence="S")]
    crossovers = [Crossover(source="SMCR01", target="SMCD01")]
    return Roster(seed=1, today=TODAY, payers=[medicare, medicaid, acme], crossovers=crossovers)


@pytest.fixture
def cob(tmp_path: Path):  # noqa: ANN201
    return _sandbox(tmp_path, _roster())


def _sandbox(folder: Path, value: Roster) -> SandboxClearinghouse:
    return SandboxClearinghouse(value, SandboxState(write_roster(folder, value) / "state.db"))


def _to(c: x.Claim, payer: x.Payer, filing: str) -> x.Claim:
    return replace(c, subscriber=replace(c.subscriber, payer=payer, filing_indicator=filing))


MEDICARE = x.Payer("MEDICARE", "SMCR01")


class Feed:
    """Submit interchanges and read what each poll releases."""

    def __init__(self, sandbox: SandboxClearinghouse) -> None:
        self.sandbox, self.cursor = sandbox, None

    def send(self, *claims: x.Claim) -> None:
        text, control = batch_837(*claims)
        self.sandbox.submit(text, control_number=control, payer_id=claims[0].subscriber.payer.payer_id)

    def poll(self) -> list[tuple[str, str]]:
        page = self.sandbox.fetch_reports(self.cursor)
        self.cursor = page.next_cursor
        return [(r.kind, r.text) for r in page.reports]

    def payments(self) -> list[Payment]:
        return [p for kind, text in self.poll() if kind == "835" for p in read_835(text).payments]


def _paid(payments: list[Payment]) -> dict[tuple[str, str], ClaimPayment]:
    return {(p.payer_id, c.patient_control_number): c for p in payments for c in p.claims}


def _cas(payment: ClaimPayment) -> list[tuple[str, str, str]]:
    return [(a.group, a.reason, f"{a.amount:.2f}") for line in payment.lines for a in line.adjustments]


def test_medicare_forwards_to_medicaid_which_pays_its_lesser_of(cob: SandboxClearinghouse) -> None:
    feed = Feed(cob)
    feed.send(_to(claim("1EG4", "Otto", "GB1"), MEDICARE, "MB"))
    feed.poll()  # 999 and 277CA
    medicare = _paid(feed.payments())[("SMCR01", "GB1")]
    assert (medicare.status_code, medicare.remarks, medicare.paid) == ("19", ("MA18",), D("25.14"))
    medicaid = _paid(feed.payments())[("SMCD01", "GB1")]  # the next poll: Medicaid's own 835, our claim number
    assert (medicaid.status_code, medicaid.paid, medicaid.patient_responsibility) == ("2", D("0"), D("0"))
    assert _cas(medicaid) == [("OA", "23", "68.72"), ("CO", "45", "6.28")]  # 24.10 < 25.14: nothing; written off


def test_a_secondary_we_bill_is_paid_after_what_the_primary_paid(cob: SandboxClearinghouse) -> None:
    feed = Feed(cob)
    primary = _to(claim("1EG5", "Ann", "GB2"), MEDICARE, "MB")
    feed.send(primary)
    feed.poll()
    medicare = _paid(feed.payments())[("SMCR01", "GB2")]
    assert medicare.status_code == "1" and feed.poll() == []  # no crossover agreement with Acme
    acme = _payer("ACME", "SACME1", "commercial", "48.00")
    secondary = replace(crossover_claim(primary, medicare, acme, "W200", TODAY), patient_control_number="GB3")
    feed.send(secondary)
    kinds = feed.poll()
    assert read_277ca(next(t for k, t in kinds if k == "277")).claims[0].statuses[0].category == "A2"
    paid = _paid(feed.payments())[("SACME1", "GB3")]
    assert (paid.status_code, paid.paid, paid.patient_responsibility) == ("2", D("6.28"), D("0"))
    assert _cas(paid) == [("OA", "23", "68.72")]


@pytest.mark.parametrize(
    ("change", "category"),
    [("paid", "A7"), ("line", "A8"), ("number", "A7")],
    ids=["amt-d-differs-from-the-835", "line-does-not-balance", "unknown-prior-claim"],
)
def test_a_secondary_that_does_not_repeat_the_primary_exactly_is_rejected(
    cob: SandboxClearinghouse, change: str, category: str
) -> None:
    feed = Feed(cob)
    primary = _to(claim("1EG5", "Ann", "GB4"), MEDICARE, "MB")
    feed.send(primary)
    feed.poll()
    medicare = _paid(feed.payments())[("SMCR01", "GB4")]
    acme = _payer("ACME", "SACME1", "commercial", "48.00")
    secondary = replace(crossover_claim(primary, medicare, acme, "W200", TODAY), patient_control_number="GB5")
    other, line = secondary.other_payers[0], secondary.lines[0]
    if change == "paid":  # the claim and its line both say 25.00: balanced, but not what Medicare paid
        adjudication = replace(line.adjudications[0], paid=D("25.00"))
        adjusted = replace(adjudication, adjustments=(*adjudication.adjustments, x.Cas("CO", "45", D("0.14"))))
        secondary = replace(secondary, other_payers=(replace(other, paid=D("25.00")),))
        secondary = replace(secondary, lines=(replace(line, adjudications=(adjusted,)),))
    elif change == "line":
        secondary = replace(
            secondary, lines=(replace(line, adjudications=(replace(line.adjudications[0], adjustments=()),)),)
        )
    else:
        secondary = replace(secondary, other_payers=(replace(other, claim_number="SMCR01-GB999"),))
    feed.send(secondary)
    ack = read_277ca(next(t for k, t in feed.poll() if k == "277"))
    assert ack.claims[0].statuses[0].category == category


def test_billed_first_when_another_payer_pays_first_is_denied_carc_22(cob: SandboxClearinghouse) -> None:
    feed = Feed(cob)
    feed.send(_to(claim("W300", "Bob", "GB6"), x.Payer("ACME", "SACME1"), "CI"))
    feed.poll()
    denied = _paid(feed.payments())[("SACME1", "GB6")]
    assert (
        denied.status_code == "4" and _cas(denied) == [("CO", "22", "75.00")] and denied.lines[0].remarks == ("MA04",)
    )


@pytest.mark.parametrize("habit", ["reversed", "reprocessed_as_crossover", "late", "unbalanced"])
def test_a_payer_s_remittance_habits(tmp_path: Path, habit: str) -> None:
    feed = Feed(_sandbox(tmp_path, _roster(remittance=habit)))
    feed.send(_to(claim("1EG4", "Otto", "GB7"), MEDICARE, "MB"))
    feed.poll()
    first = feed.payments()
    then = feed.payments()
    later, medicare = _paid(then), _paid(first)[("SMCR01", "GB7")]
    if habit == "reversed":  # forwarded to Medicaid (whose 835 comes next poll), then taken back
        assert medicare.status_code == "19" and later[("SMCR01", "GB7")].status_code == "22"
        assert later[("SMCR01", "GB7")].paid == -medicare.paid and ("SMCD01", "GB7") in later
    elif habit == "reprocessed_as_crossover":  # paid as primary; next poll reversed and forwarded
        assert medicare.status_code == "1" and [c.status_code for p in then for c in p.claims] == ["22", "19"]
        assert ("SMCD01", "GB7") not in later and read_all(feed.poll()) == []  # Medicaid's 835 is weeks away
    elif habit == "late":
        assert first[0].payment_date == TODAY - timedelta(days=100)
    else:
        assert [(a.group, a.reason) for a in medicare.lines[0].adjustments] == [("PR", "2")]
        assert any("does not" in p or "!=" in p for p in first[0].imbalances())


def read_all(reports: list[tuple[str, str]]) -> list[ClaimPayment]:
    return [c for kind, text in reports if kind == "835" for p in read_835(text).payments for c in p.claims]


def test_a_secondary_counts_its_filing_limit_from_the_primary_s_remittance(cob: SandboxClearinghouse) -> None:
    feed = Feed(cob)
    day = date(2025, 11, 1)  # more than a year ago: past 365 days from service, not from Medicare's remittance
    primary = _to(claim("1EG5", "Ann", "GB8", day=day), MEDICARE, "MB")
    feed.send(primary)
    feed.poll()
    medicare = _paid(feed.payments())[("SMCR01", "GB8")]
    assert medicare.status_code == "4"  # Medicare itself: past its year from service
    acme = _payer("ACME", "SACME1", "commercial", "48.00")
    secondary = replace(crossover_claim(primary, medicare, acme, "W200", TODAY), patient_control_number="GB9")
    feed.send(secondary)
    feed.poll()
    assert _paid(feed.payments())[("SACME1", "GB9")].status_code == "2"  # not CO-29: counted from 2430 DTP*573
