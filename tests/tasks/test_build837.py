"""Every 837P the project produces from the synthetic practice passes pyx12 and our validator."""

from collections import defaultdict
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from config.fees import load_fee_schedule
from models.claims import Claim
from models.db import session_scope
from models.patients import Patient
from models.sessions import GroupSession
from tasks.claims.drafting import draft_claims
from tasks.submission.build837 import Parties, build_batch, x12_text
from tasks.x12 import claim837_model as x
from tasks.x12.claim837_reader import read_837p
from tasks.x12.claim837_writer import write_837p
from tasks.x12.envelope import Header
from tasks.x12.referee import pyx12_problems
from tasks.x12.validate837 import validate_837p

PARTIES = Parties(
    x.Submitter("RIVERBEND BEHAVIORAL HEALTH", "GROUPBILL", "BILLING DESK", "2175550100"),
    x.Receiver("SANDBOX CLEARINGHOUSE", "SANDBOX"),
)
# Seeded defects that make a claim structurally unsendable; the scrubber holds these claims.
UNSENDABLE = {"PAT_MEMBER_ID_MISSING", "PAT_SUBSCRIBER_INCOMPLETE", "COB_OTHER_SUBSCRIBER_INCOMPLETE"}


@pytest.fixture
def drafted(engine: Engine, imported) -> dict[int, list[int]]:
    with session_scope(engine) as s:
        draft_claims(s, imported.practice_id, load_fee_schedule(), source="test")
    with Session(engine) as s:
        by_payer: dict[int, list[int]] = defaultdict(list)
        for claim in s.exec(select(Claim).order_by(Claim.id)):
            by_payer[claim.payer_id].append(claim.id)
        return by_payer


def _unsendable_claim_ids(engine: Engine, practice) -> set[int]:
    keys = {(e.session_id, e.patient_id) for e in practice.manifest.expectations if set(e.rules) & UNSENDABLE}
    with Session(engine) as s:
        rows = s.exec(
            select(Claim.id, GroupSession.source_id, Patient.source_id)
            .join(GroupSession, Claim.session_id == GroupSession.id)
            .join(Patient, Claim.patient_id == Patient.id)
        ).all()
    return {claim_id for claim_id, session_id, patient_id in rows if (session_id, patient_id) in keys}


def _render(engine: Engine, claim_ids: list[int], control: int) -> str:
    with Session(engine) as s:
        batch = build_batch(
            s,
            claim_ids,
            header=Header("GROUPBILL", "SANDBOX", control, datetime(2026, 11, 27, 6)),
            parties=PARTIES,
            reference=f"B{control}",
        )
    return write_837p(batch)


def test_every_sendable_claim_renders_to_a_valid_837p(engine: Engine, practice, drafted) -> None:
    unsendable = _unsendable_claim_ids(engine, practice)
    assert unsendable
    rendered = 0
    for control, (payer_id, claim_ids) in enumerate(sorted(drafted.items()), start=1):
        sendable = [c for c in claim_ids if c not in unsendable]
        text = _render(engine, sendable, control)
        assert validate_837p(text) == [], payer_id
        assert pyx12_problems(text) == [], payer_id
        assert len(read_837p(text).claims) == len(sendable)
        rendered += len(sendable)
    assert rendered == sum(len(ids) for ids in drafted.values()) - len(unsendable)


def test_the_unsendable_claims_are_caught_by_both_validators(engine: Engine, practice, drafted) -> None:
    unsendable = sorted(_unsendable_claim_ids(engine, practice))
    text = _render(engine, unsendable, 99)
    assert validate_837p(text) and pyx12_problems(text)


def test_free_text_cannot_break_the_file(engine: Engine, drafted) -> None:
    claim_ids = drafted[min(drafted)]
    with session_scope(engine) as s:
        patient = s.get(Patient, s.get(Claim, claim_ids[0]).patient_id)
        patient.last_name, patient.first_name = "O'Brien*~Smith", "Ann:Marie^"
    text = _render(engine, claim_ids, 7)
    assert "NM1*IL*1*O'BRIEN SMITH*ANN MARIE****MI*" in text
    assert validate_837p(text) == [] and pyx12_problems(text) == []
    assert x12_text("a*b~c:d^e|f\ng", 60) == "A B C D E F G"


def test_replacement_carries_the_original_payer_claim_number(engine: Engine, drafted) -> None:
    from models.enums import ClaimFrequency, ClaimStatus

    original_id = drafted[min(drafted)][0]
    with session_scope(engine) as s:
        original = s.get(Claim, original_id)
        original.payer_claim_number, original.status = "ACM2026112400017", ClaimStatus.PAID
        fields = original.model_dump(
            exclude={"id", "patient_control_number", "status", "payer_claim_number", "frequency", "original_claim_id"}
        )
        replacement = Claim(
            **fields,
            frequency=ClaimFrequency.REPLACEMENT,
            original_claim_id=original_id,
            patient_control_number="GB-R1",
        )
        s.add(replacement)
        s.flush()
        replacement_id = replacement.id
    text = _render(engine, [replacement_id], 8)
    assert "CLM*GB-R1*" in text and ":B:7*" in text and "REF*F8*ACM2026112400017~" in text
