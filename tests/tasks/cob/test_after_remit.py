"""What a posted 835 does for the service's other payers: the secondary's claim made from the primary's
835, nothing for a crossover until the next payer's own 835 posts to its claim, a CARC 22 denial
rebilled and held until the order changes, OA-23 on the secondary's 835 not a denial, the tertiary."""

from decimal import Decimal as D

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import ClaimEvent, ClaimLine
from models.enums import ClaimStatus, PayerSequence
from models.exchange import LinePayment, WorkItem
from tests.tasks.cob.world import MEDICARE_PAID, build, pay

P, S, T = PayerSequence.PRIMARY, PayerSequence.SECONDARY, PayerSequence.TERTIARY


def test_the_primary_s_835_leaving_coinsurance_makes_the_secondary_s_claim(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    posting = world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID, remarks=("MA01",)))
    assert posting.next_payer_claims == 1
    primary, secondary = world.claims()
    assert primary.status is ClaimStatus.PARTIALLY_PAID or primary.status is ClaimStatus.PAID
    assert (secondary.payer_sequence, secondary.status, secondary.prior_claim_id) == (S, ClaimStatus.DRAFT, primary.id)
    assert secondary.coverage_id == world.ids["coverage_MCD"] and secondary.payer_id == world.ids["payer_MCD"]
    assert secondary.attendance_id == primary.attendance_id and secondary.total_charge == D("75.00")
    assert secondary.coverage_order == [world.ids["coverage_MCR"], world.ids["coverage_MCD"]]
    with Session(engine) as s:
        lines = s.exec(select(ClaimLine).where(ClaimLine.claim_id == secondary.id)).all()
        kept = s.exec(select(LinePayment)).all()
    assert [(x.cpt_code, x.line_control_number) for x in lines] == [("90853", f"GB{secondary.id:010d}L1")]
    assert [(k.procedure_code, k.paid, k.line_control_number) for k in kept] == [
        ("90853", D("25.14"), "GB0000000001L1")
    ]


def test_the_same_835_twice_or_a_repayment_makes_one_secondary(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    again = world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    assert again.next_payer_claims == 0 and len(world.claims()) == 2


def test_nothing_left_makes_no_claim_where_the_payer_wants_none(engine: Engine) -> None:
    world = build(engine, "MCR", "ACME")
    posting = world.post("MCR", pay("GB0000000001", "1", "31.42", [("CO", "45", "43.58")]))
    assert posting.nothing_left == 1 and posting.next_payer_claims == 0 and len(world.claims()) == 1


def test_nothing_left_still_bills_a_payer_that_asks_for_zero_balance_claims(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    posting = world.post("MCR", pay("GB0000000001", "1", "31.42", [("CO", "45", "43.58")]))
    assert posting.next_payer_claims == 1 and world.claim(S).status is ClaimStatus.DRAFT


def test_a_crossover_makes_nothing_and_the_next_payer_s_835_posts_to_its_own_claim(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    forwarded = world.post("MCR", pay("GB0000000001", "19", "25.14", MEDICARE_PAID, remarks=("MA18",)))
    assert forwarded.crossovers == 1 and len(world.claims()) == 1
    medicaid = pay("GB0000000001", "2", "0", [("OA", "23", "68.72"), ("CO", "45", "6.28")], line="GB0000000001L1")
    posting = world.post("MCD", medicaid)
    assert posting.crossover_claims == 1 and posting.unmatched == 0
    primary, crossover = world.claims()
    assert primary.status is ClaimStatus.PAID  # Medicare's posting is not touched by Medicaid's 835
    assert (crossover.payer_sequence, crossover.crossover, crossover.batch_id) == (S, True, None)
    assert crossover.status is ClaimStatus.PAID and crossover.payer_id == world.ids["payer_MCD"]
    with Session(engine) as s:
        items = s.exec(select(WorkItem)).all()
        history = [e.to_status for e in s.exec(select(ClaimEvent).where(ClaimEvent.claim_id == crossover.id))]
    assert items == [] and history == [ClaimStatus.ACCEPTED, ClaimStatus.PAID]  # OA-23 is no denial


def test_carc_22_files_the_coordination_queue_and_rebills_in_the_order_as_it_stands(engine: Engine) -> None:
    world = build(engine, "ACME", "MCR")
    posting = world.post("ACME", pay("GB0000000001", "4", "0", [("CO", "22", "75")], line="GB0000000001L1"))
    assert posting.rebills == 1
    denied, rebill = world.claims()
    assert denied.status is ClaimStatus.CORRECTED and rebill.status is ClaimStatus.DRAFT
    assert (rebill.payer_sequence, rebill.original_claim_id, rebill.payer_id) == (P, denied.id, denied.payer_id)
    with Session(engine) as s:
        queues = {w.queue for w in s.exec(select(WorkItem).where(WorkItem.claim_id == denied.id))}
        moves = [
            (e.from_status, e.to_status)
            for e in s.exec(select(ClaimEvent).where(ClaimEvent.claim_id == denied.id).order_by(col(ClaimEvent.id)))
        ]
    assert queues == {"COORDINATION_OF_BENEFITS"}
    assert moves[-2:] == [(ClaimStatus.ACCEPTED, ClaimStatus.DENIED), (ClaimStatus.DENIED, ClaimStatus.CORRECTED)]


def test_the_secondary_s_835_then_makes_the_tertiary_s_claim(engine: Engine) -> None:
    world = build(engine, "ACME", "MCR", "MCD")
    world.post("ACME", pay("GB0000000001", "1", "28", [("CO", "45", "27"), ("PR", "3", "20")]))
    secondary = world.claim(S)
    with Session(engine) as s:  # as if sent: the next payer's 835 matches it by its own number
        row = s.get(type(secondary), secondary.id)
        assert row is not None
        row.status = ClaimStatus.ACCEPTED
        s.commit()
    pcn = secondary.patient_control_number or ""
    medicare = pay(pcn, "2", "3.42", [("OA", "23", "55"), ("PR", "3", "16.58")], line=f"{pcn}L1")
    posting = world.post("MCR", medicare)
    tertiary = world.claim(T)
    assert posting.next_payer_claims == 1 and tertiary.prior_claim_id == secondary.id
    assert tertiary.payer_id == world.ids["payer_MCD"] and world.claim(S).status is ClaimStatus.PAID


def _scrub(engine: Engine, claim_id: int) -> set[str]:
    from models.claims import Finding
    from models.db import session_scope
    from tasks.scrubbing.run import scrub_claims
    from tests.conftest import TODAY

    with session_scope(engine) as s:
        scrub_claims(s, [claim_id], today=TODAY, source="test")
    with Session(engine) as s:
        found = s.exec(select(Finding).where(Finding.claim_id == claim_id, col(Finding.resolved_at).is_(None)))
        return {f.rule_id for f in found}


def test_the_rebill_is_held_until_the_order_changes_then_bills_the_new_primary(engine: Engine) -> None:
    from models.db import session_scope
    from models.patients import Coverage

    world = build(engine, "ACME", "MCR")
    world.post("ACME", pay("GB0000000001", "4", "0", [("CO", "22", "75")], line="GB0000000001L1"))
    rebill = world.claim(P, ClaimStatus.DRAFT)
    assert "COB_ORDER_DISPUTED" in _scrub(engine, rebill.id or 0)
    with session_scope(engine) as s:  # the practice learns Medicare pays first (the patient retired)
        acme, medicare = s.get(Coverage, world.ids["coverage_ACME"]), s.get(Coverage, world.ids["coverage_MCR"])
        assert acme is not None and medicare is not None
        acme.priority, medicare.priority = 2, 1
    assert "COB_ORDER_DISPUTED" not in _scrub(engine, rebill.id or 0)
    moved = world.claim(P, ClaimStatus.ON_HOLD)  # held for what a fresh claim needs (eligibility), not the order
    assert moved.id == rebill.id and moved.payer_id == world.ids["payer_MCR"]
    assert moved.coverage_order == [world.ids["coverage_MCR"], world.ids["coverage_ACME"]]


@pytest.mark.parametrize("action", ["correct", "void"])
def test_correcting_or_voiding_the_primary_after_the_secondary_was_paid_queues_the_secondary(
    engine: Engine, action: str
) -> None:
    from models.db import session_scope
    from tasks.fixing import corrections
    from tests.conftest import TODAY

    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    secondary = world.claim(S)
    with session_scope(engine) as s:
        row = s.get(type(secondary), secondary.id)
        assert row is not None
        row.status = ClaimStatus.PAID  # sent and paid meanwhile
    with session_scope(engine) as s:
        getattr(corrections, action)(s, world.ids["claim"], today=TODAY, source="test")
    with Session(engine) as s:
        items = s.exec(select(WorkItem).where(WorkItem.claim_id == secondary.id)).all()
    code = {"correct": "PRIOR-CORRECTED", "void": "PRIOR-VOIDED"}[action]
    assert [(w.queue, w.codes) for w in items] == [("COORDINATION_OF_BENEFITS", [code])]
    verb = {"correct": "corrected", "void": "voided"}[action]
    assert f"claim {world.ids['claim']} to the primary payer is being {verb}" in items[0].explanation


def test_the_next_payer_s_denial_of_a_forwarded_claim_posts_to_its_own_claim(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "19", "25.14", MEDICARE_PAID, remarks=("MA18",)))
    posting = world.post("MCD", pay("GB0000000001", "4", "0", [("CO", "96", "75")]))
    primary, forwarded = world.claims()
    assert posting.crossover_claims == 1 and primary.status is ClaimStatus.PAID
    assert forwarded.crossover and forwarded.status is ClaimStatus.DENIED and forwarded.payer_sequence is S


def test_a_reversal_of_the_primary_s_payment_queues_the_secondary_already_sent(engine: Engine) -> None:
    from models.db import session_scope

    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    secondary = world.claim(S)
    with session_scope(engine) as s:
        row = s.get(type(secondary), secondary.id)
        assert row is not None
        row.status = ClaimStatus.PAID  # sent and paid meanwhile
    world.post("MCR", pay("GB0000000001", "22", "-25.14", [("CO", "45", "-43.58"), ("PR", "2", "-6.28")]))
    with Session(engine) as s:
        items = s.exec(select(WorkItem).where(WorkItem.claim_id == secondary.id)).all()
    assert [(w.queue, w.codes) for w in items] == [("COORDINATION_OF_BENEFITS", ["PRIOR-REVERSED"])]
    assert f"reversed its payment of claim {world.ids['claim']} (835 CLP02 22)" in items[0].explanation


def test_a_crossover_accepting_our_unsent_claim_counts_its_reserved_units_as_used(engine: Engine) -> None:
    from datetime import date

    from models.claims import Claim
    from models.db import session_scope
    from models.enums import LedgerKind
    from models.patients import AuthLedgerEntry, Authorization, Coverage
    from tasks.cob.next_claim import NextClaim, make_claim
    from tasks.preauth.accounting import record

    world = build(engine, "MCR", "MCD")
    with session_scope(engine) as s:  # our own secondary, drafted and scrubbed (one unit reserved), not sent
        primary, medicaid = s.get(Claim, world.ids["claim"]), s.get(Coverage, world.ids["coverage_MCD"])
        assert primary is not None and medicaid is not None
        auth = Authorization(
            practice_id=primary.practice_id,
            source_id="A1",
            patient_id=primary.patient_id,
            payer_id=medicaid.payer_id,
            number="PA1",
            cpt_codes=["90853"],
            units_authorized=10,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
        )
        s.add(auth)
        s.flush()
        spec = NextClaim(primary, medicaid, S, list(primary.coverage_order), prior_claim_id=primary.id)
        secondary = make_claim(s, spec, source="test")
        secondary.authorization_id = auth.id
        assert record(s, auth.id or 0, secondary.id or 0, LedgerKind.RESERVE, 1, "test")
    world.post("MCR", pay("GB0000000001", "19", "25.14", MEDICARE_PAID, remarks=("MA18",)))
    world.post("MCD", pay("GB0000000001", "2", "6.28", [("OA", "23", "68.72")]))
    assert world.claim(S).status is ClaimStatus.PAID and world.claim(S).crossover
    with Session(engine) as s:
        kinds = [e.kind for e in s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id)))]
    assert kinds == [LedgerKind.RESERVE, LedgerKind.CONSUME]
