"""The soak's coordination-of-benefits invariants catch what they are for."""

from datetime import date
from decimal import Decimal as D

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.claims import Claim
from models.db import session_scope
from models.enums import ClaimStatus, PayerSequence
from models.exchange import ClaimPayment
from tests.soak.invariants import (
    Verdict,
    _each_payer_billed_once_per_service_and_sequence,
    _patient_share_after_all_payers,
)
from tests.tasks.cob.world import MEDICARE_PAID, build, pay


def _claim(claim_id: int, sequence: PayerSequence, payer_id: int, **kw: object) -> Claim:
    fields: dict[str, object] = {
        "id": claim_id,
        "practice_id": 1,
        "attendance_id": 5,
        "session_id": 1,
        "patient_id": 1,
        "coverage_id": payer_id,
        "payer_id": payer_id,
        "service_date": date(2026, 11, 24),
        "place_of_service": "11",
        "payer_sequence": sequence,
        "status": ClaimStatus.PAID,
        "batch_id": 1,
    }
    fields.update(kw)
    return Claim(**fields)  # type: ignore[arg-type]


def test_a_payer_billed_by_us_after_a_crossover_is_billed_twice() -> None:
    verdict = Verdict()
    forwarded = _claim(2, PayerSequence.SECONDARY, 9, batch_id=None, crossover=True)
    ours = _claim(3, PayerSequence.SECONDARY, 9, status=ClaimStatus.SUBMITTED)
    _each_payer_billed_once_per_service_and_sequence([_claim(1, PayerSequence.PRIMARY, 8), forwarded], verdict)
    assert verdict.violations == [] and verdict.counts["next_payer_claims"] == 1
    _each_payer_billed_once_per_service_and_sequence([forwarded, ours], verdict)
    assert verdict.violations == ["attendance 5: payer 9 billed 2 times as S"]


def test_the_patient_s_share_after_all_payers_must_add_up(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "19", "25.14", MEDICARE_PAID, remarks=("MA18",)))
    world.post("MCD", pay("GB0000000001", "2", "0", [("OA", "23", "68.72"), ("CO", "45", "6.28")]))
    with Session(engine) as s:
        claims = list(s.exec(select(Claim)))
        verdict = Verdict()
        _patient_share_after_all_payers(s, claims, verdict)
    assert verdict.violations == [] and verdict.counts["services_with_a_standing_835"] == 1
    with session_scope(engine) as s:  # a posting that left the patient a share nobody adjusted
        last = max(s.exec(select(ClaimPayment)), key=lambda p: p.id or 0)
        last.patient_responsibility = D("6.28")
    with Session(engine) as s:
        verdict = Verdict()
        _patient_share_after_all_payers(s, list(s.exec(select(Claim))), verdict)
    assert verdict.violations == [
        "attendance 1: patient owes 6.28 after all payers, not 75.00 - 25.14 paid - 49.86 contractual"
    ]
