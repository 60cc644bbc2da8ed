"""An 835 whose next claim has no room under the schema's uniqueness (one live original per attendance and
payer sequence, one live successor per claim) is filed, never crashes the collection; an 835 the claim
cannot take (it was voided) makes no next payer's claim."""

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.claims import Claim
from models.db import session_scope
from models.enums import ClaimFrequency, ClaimStatus, PayerSequence
from models.exchange import WorkItem
from models.patients import Coverage
from tasks.cob.next_claim import NextClaim, make_claim
from tests.tasks.cob.world import MEDICARE_PAID, World, build, pay

P, S = PayerSequence.PRIMARY, PayerSequence.SECONDARY


def _items(engine: Engine, claim_id: int) -> list[tuple[str, list[str]]]:
    with Session(engine) as s:
        return [(w.queue, w.codes) for w in s.exec(select(WorkItem).where(WorkItem.claim_id == claim_id))]


def _secondary_to(world: World, key: str) -> int:
    """A live secondary claim of the service billed to the coverage `key` (drafted before the order changed)."""
    with session_scope(world.engine) as s:
        primary, coverage = s.get(Claim, world.ids["claim"]), s.get(Coverage, world.ids[f"coverage_{key}"])
        assert primary is not None and coverage is not None
        spec = NextClaim(primary, coverage, S, list(primary.coverage_order), prior_claim_id=primary.id)
        return make_claim(s, spec, source="test").id or 0


def test_a_crossover_835_for_a_sequence_another_live_claim_holds_is_filed_not_a_crash(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD", "ACME")
    other = _secondary_to(world, "ACME")
    world.post("MCR", pay("GB0000000001", "19", "25.14", MEDICARE_PAID, remarks=("MA18",)))
    posting = world.post("MCD", pay("GB0000000001", "2", "6.28", [("OA", "23", "68.72")]))
    assert posting.crossover_claims == 0 and posting.unmatched == 1
    assert [c.id for c in world.claims() if c.payer_sequence is S] == [other]
    assert _items(engine, other) == [("COORDINATION_OF_BENEFITS", ["CROSSOVER-BLOCKED"])]


def test_a_carc_22_rebill_of_a_claim_already_being_corrected_is_filed_not_a_crash(engine: Engine) -> None:
    world = build(engine, "ACME", "MCR")
    with session_scope(engine) as s:  # a correction (frequency 7) of the primary is under way
        primary = s.get(Claim, world.ids["claim"])
        assert primary is not None
        fields = primary.model_dump(exclude={"id", "patient_control_number"})
        fields |= {"frequency": ClaimFrequency.REPLACEMENT, "original_claim_id": primary.id}
        s.add(Claim(**fields | {"status": ClaimStatus.DRAFT}))
    posting = world.post("ACME", pay("GB0000000001", "4", "0", [("CO", "22", "75")], line="GB0000000001L1"))
    assert posting.rebills == 0 and len(world.claims()) == 2
    denied = world.claims()[0]
    assert denied.status is ClaimStatus.DENIED  # left open: the correction under way answers for it
    assert ("COORDINATION_OF_BENEFITS", ["REBILL-BLOCKED"]) in _items(engine, world.claims()[1].id or 0)


def test_an_835_for_a_voided_claim_makes_no_next_payer_s_claim(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD", status=ClaimStatus.VOIDED)
    posting = world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    assert posting.next_payer_claims == 0 and len(world.claims()) == 1
    assert ("REVIEW", ["voided->paid"]) in _items(engine, world.ids["claim"])
