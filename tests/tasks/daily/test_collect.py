"""Reports back from the clearinghouse: applied once, never dropped, units released where due."""

import re
from collections import Counter

from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from models.claims import Claim
from models.enums import ClaimStatus, LedgerKind
from models.exchange import ClaimPayment, PaymentAdjustment, Remittance, WorkItem
from models.patients import AuthLedgerEntry
from tasks.clearinghouse.protocol import Report, ReportPage
from tasks.posting.collect import collect
from tasks.preauth.ledger import holdings
from tests.tasks.daily.conftest import Billing


class Redelivery:
    """A clearinghouse that hands over a fixed list of reports once (cursor = how many were taken)."""

    def __init__(self, reports: list[Report]) -> None:
        self.reports = reports

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        start = int(cursor[1:]) if cursor and cursor.startswith("R") else 0  # the sandbox's cursor is not ours
        return ReportPage(tuple(self.reports[start:]), f"R{len(self.reports)}")


def _sandbox_reports(billing: Billing) -> list[Report]:
    with billing.sandbox.state.transaction() as db:
        rows = db.execute("SELECT report_id, kind, text FROM report ORDER BY rowid").fetchall()
    return [Report(*row) for row in rows]


def _counts(billing: Billing) -> tuple[int, int, int, int]:
    with Session(billing.engine) as s:
        return (
            len(s.exec(select(Remittance)).all()),
            len(s.exec(select(ClaimPayment)).all()),
            len(s.exec(select(PaymentAdjustment)).all()),
            len(s.exec(select(WorkItem)).all()),
        )


def test_every_sent_claim_is_acknowledged_and_adjudicated_once(billing: Billing) -> None:
    prepared = billing.prepare()
    billing.submit()
    posting = billing.collect()
    # a payer that reverses, reprocesses or forwards a claim sends more claim payments than claims
    assert posting.accepted == prepared["ready"] <= posting.claim_payments
    assert posting.unreadable == posting.unmatched == 0 and posting.imbalanced == 1  # the 835 that drops its CO-45
    with Session(billing.engine) as s:
        sent = s.exec(select(Claim).where(col(Claim.batch_id).is_not(None))).all()
        answered = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED}
        assert {c.status for c in sent} <= answered  # corrected: a CARC 22 denial closed by its rebill
        assert all(c.payer_claim_number for c in sent)
        denied = [c for c in sent if c.status is ClaimStatus.DENIED]
        queues = {w.claim_id: w.queue for w in s.exec(select(WorkItem))}
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
    assert denied and all(queues.get(c.id) for c in denied)
    assert all(held[c.id].kind is LedgerKind.CONSUME for c in sent if c.authorization_id and c.id not in queues)
    before = _counts(billing)
    again = billing.collect()
    assert (again.reports, again.claim_payments) == (0, 0) and _counts(billing) == before


def test_the_same_835_delivered_again_posts_once(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    billing.collect()
    before = _counts(billing)
    remits = [r for r in _sandbox_reports(billing) if r.kind == "835"]
    again = [Report(f"AGAIN-{r.report_id}", r.kind, r.text) for r in remits]
    posting = collect(billing.engine, Redelivery(again), x12_codes(), source="test")  # type: ignore[arg-type]
    assert posting.duplicate_remittances == len(remits) and posting.claim_payments == 0
    assert _counts(billing) == before


def test_an_835_claim_we_never_sent_goes_to_the_unmatched_queue(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    billing.collect()
    text = next(r.text for r in _sandbox_reports(billing) if r.kind == "835")
    stranger = re.sub(r"CLP\*GB\d{10}\*", "CLP*GB9999999999*", text, count=1)
    stranger = re.sub(r"TRN\*1\*([^*~]+)", r"TRN*1*\g<1>X", stranger)
    posting = collect(billing.engine, Redelivery([Report("STRANGER", "835", stranger)]), x12_codes(), source="test")  # type: ignore[arg-type]
    assert posting.unmatched == 1 and posting.remittances == 1
    with Session(billing.engine) as s:
        items = s.exec(select(WorkItem).where(WorkItem.queue == "UNMATCHED_REMITTANCE")).all()
        payment = s.get(ClaimPayment, items[0].claim_payment_id)
    assert len(items) == 1 and payment is not None and payment.claim_id is None
    assert payment.patient_control_number == "GB9999999999"


def test_an_unreadable_report_is_kept_for_review_and_does_not_block_the_rest(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    reports = [*_sandbox_reports(billing), Report("BROKEN", "835", "ISA*00*garbage~")]  # last on its page
    posting = collect(billing.engine, Redelivery(reports), x12_codes(), source="test")  # type: ignore[arg-type]
    assert posting.unreadable == 1 and posting.claim_payments > 0
    with Session(billing.engine) as s:  # besides the payers' reversals (CLP02 22), which are reviewed too
        review = [w for w in s.exec(select(WorkItem).where(WorkItem.queue == "REVIEW")) if w.codes != ["CLP02-22"]]
    assert len(review) == 1 and "BROKEN" in review[0].explanation


def test_a_rejected_999_rejects_the_batch_and_releases_its_units(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    with Session(billing.engine) as s:
        first = s.exec(select(Claim).where(col(Claim.batch_id) == 1)).all()
    rejection = (
        "ISA*00*          *00*          *ZZ*SANDBOX        *ZZ*GROUPBILL      *261127*1100*^*00501*000000991*0*P*:~"
        "GS*FA*SANDBOX*GROUPBILL*20261127*1100*991*X*005010X231A1~ST*999*0001*005010X231A1~AK1*HC*1*005010X222A1~"
        "AK2*837*0001*005010X222A1~IK3*NM1*12*2010BA*8~IK5*R*5~AK9*R*1*1*0~SE*7*0001~GE*1*991~IEA*1*000000991~"
    )
    posting = collect(billing.engine, Redelivery([Report("R999", "999", rejection)]), x12_codes(), source="test")  # type: ignore[arg-type]
    assert posting.rejected_sets == 1 and posting.rejected == len(first)
    with Session(billing.engine) as s:
        claims = s.exec(select(Claim).where(col(Claim.batch_id) == 1)).all()
        items = Counter(w.queue for w in s.exec(select(WorkItem)))
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
    assert {c.status for c in claims} == {ClaimStatus.REJECTED} and items == {"FIX_AND_RESEND": len(first)}
    assert not any(c.id in held for c in claims)


def test_a_claim_twice_in_one_835_moves_on_from_where_the_first_left_it(billing: Billing) -> None:
    """A payer's denial and its reversal-and-pay in one remittance: the second move starts from denied."""
    from dataclasses import replace
    from decimal import Decimal

    from models.claims import ClaimEvent
    from tasks.x12.remit835_reader import read_835
    from tasks.x12.remit835_writer import write_835

    billing.prepare()
    billing.submit()
    reports = _sandbox_reports(billing)
    remit = next(r for r in reports if r.kind == "835")
    parsed = read_835(remit.text)
    payment = parsed.payments[0]
    paid = next(c for c in payment.claims if c.status_code == "1")
    denied = replace(paid, status_code="4", paid=Decimal("0.00"), lines=())
    twice = replace(payment, claims=(denied, *payment.claims))
    text = write_835(replace(parsed, payments=(twice, *parsed.payments[1:])))
    acks = [r for r in reports if r.kind != "835"]
    collect(billing.engine, Redelivery([*acks, Report("TWICE", "835", text)]), x12_codes(), source="test")
    with Session(billing.engine) as s:
        claim = s.exec(select(Claim).where(Claim.patient_control_number == paid.patient_control_number)).one()
        moves = [
            (e.from_status, e.to_status)
            for e in s.exec(select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(col(ClaimEvent.id)))
        ]
    assert claim.status is ClaimStatus.PAID
    assert moves[-2:] == [(ClaimStatus.ACCEPTED, ClaimStatus.DENIED), (ClaimStatus.DENIED, ClaimStatus.PAID)]


def test_a_claim_in_two_payments_of_one_835_moves_on_from_the_first(billing: Billing) -> None:
    """Denied under one check (BPR/TRN), paid under another of the same 835: no status conflict."""
    from dataclasses import replace
    from decimal import Decimal

    from tasks.x12.remit835_reader import read_835
    from tasks.x12.remit835_writer import write_835

    billing.prepare()
    billing.submit()
    reports = _sandbox_reports(billing)
    parsed = read_835(next(r for r in reports if r.kind == "835").text)
    payment = parsed.payments[0]
    paid = next(c for c in payment.claims if c.status_code == "1")
    denied = replace(paid, status_code="4", paid=Decimal("0.00"), lines=())
    first = replace(payment, claims=(denied,), payment_amount=Decimal("0.00"))
    second = replace(payment, trace_number=payment.trace_number + "2", claims=(paid,))
    text = write_835(replace(parsed, payments=(first, second)))
    acks = [r for r in reports if r.kind != "835"]
    posting = collect(billing.engine, Redelivery([*acks, Report("SPLIT", "835", text)]), x12_codes(), source="t")
    assert posting.remittances == 2
    with Session(billing.engine) as s:
        claim = s.exec(select(Claim).where(Claim.patient_control_number == paid.patient_control_number)).one()
    assert claim.status is ClaimStatus.PAID


def test_a_277ca_rejection_for_several_reasons_records_them_all(billing: Billing) -> None:
    """STC01, STC10 and STC11 are three reasons to fix before resending: the work item has all three."""
    from pathlib import Path

    billing.prepare()
    billing.submit()
    with Session(billing.engine) as s:
        claim = s.exec(select(Claim).where(col(Claim.batch_id) == 1).order_by(col(Claim.id))).first()
    assert claim is not None and claim.patient_control_number
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "x12" / "ext_277ca_multi_status_lines.x12"
    text = fixture.read_text().replace("GB0000000202", claim.patient_control_number)
    posting = collect(billing.engine, Redelivery([Report("R277", "277", text)]), x12_codes(), source="test")  # type: ignore[arg-type]
    assert posting.rejected == 1
    with Session(billing.engine) as s:
        item = s.exec(select(WorkItem).where(WorkItem.claim_id == claim.id)).one()
        assert s.get(Claim, claim.id).status is ClaimStatus.REJECTED  # type: ignore[union-attr]
    assert item.queue == "FIX_AND_RESEND" and item.codes == ["A7:562:85", "A7:21:IL", "A8:153:QC", "A7:453"]
