"""The payer order changed after a payer adjudicated the service: the later claim never moves to that same
payer (it would bill it twice); it is held and a COORDINATION_OF_BENEFITS work item asks for the earlier
claim's void or correction first, once however often the pipeline runs."""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import Finding
from models.db import session_scope
from models.enums import ClaimStatus, PayerSequence
from models.exchange import WorkItem
from models.patients import Coverage
from tasks.cob.sequencing import follow_payer_order
from tasks.scrubbing.run import scrub_claims
from tests.conftest import TODAY
from tests.tasks.cob.world import MEDICARE_PAID, World, build, pay

S = PayerSequence.SECONDARY


def _swap(world: World, first: str, second: str) -> None:
    """The practice learns `first` pays first, then `second`."""
    with session_scope(world.engine) as s:
        for key, priority in ((first, 1), (second, 2)):
            coverage = s.get(Coverage, world.ids[f"coverage_{key}"])
            assert coverage is not None
            coverage.priority = priority


def _scrub(world: World, claim_id: int) -> set[str]:
    with session_scope(world.engine) as s:
        scrub_claims(s, [claim_id], today=TODAY, source="test")
    with Session(world.engine) as s:
        found = s.exec(select(Finding).where(Finding.claim_id == claim_id, col(Finding.resolved_at).is_(None)))
        return {f.rule_id for f in found}


def _items(engine: Engine, claim_id: int) -> list[WorkItem]:
    with Session(engine) as s:
        return list(s.exec(select(WorkItem).where(WorkItem.claim_id == claim_id)))


def test_an_order_swap_after_the_primary_adjudicated_holds_the_secondary_instead_of_billing_it_twice(
    engine: Engine,
) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    secondary = world.claim(S)
    _swap(world, "MCD", "MCR")
    rules = _scrub(world, secondary.id or 0)
    held = world.claim(S)
    assert held.id == secondary.id and held.payer_id == world.ids["payer_MCD"]  # not Medicare again
    assert held.status is ClaimStatus.ON_HOLD and "COB_PRIOR_NOT_ADJUDICATED" in rules
    medicare = [c for c in world.claims() if c.payer_id == world.ids["payer_MCR"]]
    assert [c.id for c in medicare] == [world.ids["claim"]]
    items = _items(engine, secondary.id or 0)
    assert [(w.queue, w.codes) for w in items] == [("COORDINATION_OF_BENEFITS", ["ORDER-CHANGED"])]
    assert f"Void or correct claim {world.ids['claim']} first" in items[0].explanation


def test_the_held_claim_gets_one_work_item_however_often_the_pipeline_runs(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    secondary = world.claim(S)
    _swap(world, "MCD", "MCR")
    for _ in range(3):
        with session_scope(engine) as s:
            assert follow_payer_order(s, [secondary.id or 0]) == 0
        _scrub(world, secondary.id or 0)
    assert len(_items(engine, secondary.id or 0)) == 1 and world.claim(S).payer_id == world.ids["payer_MCD"]


def test_a_void_of_the_earlier_claim_lets_the_later_claim_follow_the_order(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    secondary = world.claim(S)
    _swap(world, "MCD", "MCR")
    with session_scope(engine) as s:
        primary = s.get(type(secondary), world.ids["claim"])
        assert primary is not None
        primary.status = ClaimStatus.VOIDED  # as if the practice voided it after the work item
    with session_scope(engine) as s:
        assert follow_payer_order(s, [secondary.id or 0]) == 1
    assert world.claim(S).payer_id == world.ids["payer_MCR"]


def test_an_order_swap_before_the_primary_s_835_makes_no_claim_to_the_same_payer_as_secondary(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    _swap(world, "MCD", "MCR")  # Medicare, billed as primary, is now second
    for _ in range(2):  # the 835, then a repayment of it under another trace number
        posting = world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    assert posting.next_payer_claims == 0 and [c.id for c in world.claims()] == [world.ids["claim"]]
    items = _items(engine, world.ids["claim"])
    assert [(w.queue, w.codes) for w in items] == [("COORDINATION_OF_BENEFITS", ["ORDER-CHANGED"])]
