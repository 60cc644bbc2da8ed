"""A secondary's claim through the scrubber: its payer's own authorization (the primary's never counts,
and the service draws units once per payer), and its 837P with the primary's adjudication."""

from datetime import date
from decimal import Decimal as D

from sqlalchemy import Engine
from sqlmodel import Session, select

from models.claims import Finding
from models.db import session_scope
from models.enums import PayerSequence
from models.patients import AuthLedgerEntry, Authorization
from tasks.scrubbing.loader import load_contexts
from tasks.scrubbing.rules.authorization import covering
from tasks.scrubbing.run import scrub_claims
from tasks.submission.build837 import Parties, build_batch
from tasks.x12 import claim837_model as x
from tasks.x12.claim837_writer import write_837p
from tasks.x12.cob_balance import other_payer_imbalances
from tasks.x12.envelope import Header
from tests.conftest import TODAY
from tests.tasks.cob.world import MEDICARE_PAID, World, build, pay


def _authorize(world: World, payer: str, number: str) -> int:
    with session_scope(world.engine) as s:
        auth = Authorization(
            practice_id=1,
            source_id=f"A-{payer}",
            patient_id=world.ids["patient"],
            payer_id=world.ids[f"payer_{payer}"],
            number=number,
            cpt_codes=["90853"],
            units_authorized=10,
            start_date=date(2026, 9, 1),
            end_date=date(2026, 12, 31),
        )
        s.add(auth)
        s.flush()
        return auth.id or 0


def _scrub(world: World, claim_id: int) -> set[str]:
    with session_scope(world.engine) as s:
        scrub_claims(s, [claim_id], today=TODAY, source="test")
    with Session(world.engine) as s:
        return {f.rule_id for f in s.exec(select(Finding).where(Finding.claim_id == claim_id)) if not f.resolved_at}


def test_medicaid_second_needs_its_own_authorization_and_never_draws_on_medicare_s(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    medicare_auth = _authorize(world, "MCR", "PA-MCR")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID))
    secondary = world.claim(PayerSequence.SECONDARY).id or 0
    assert "AUTH_REQUIRED_MISSING" in _scrub(world, secondary)  # Medicaid requires one; Medicare's does not count
    medicaid_auth = _authorize(world, "MCD", "PA-MCD")
    found = _scrub(world, secondary)
    assert "AUTH_REQUIRED_MISSING" not in found and not {r for r in found if r.startswith("COB_")}
    with Session(engine) as s:  # the claim draws (once it is ready) on its own payer's authorization only
        drawn = covering(load_contexts(s, [secondary], today=TODAY)[0])
        entries = {e.authorization_id for e in s.exec(select(AuthLedgerEntry))}
    assert drawn is not None and drawn.id == medicaid_auth and medicare_auth not in entries


def test_the_secondary_s_837p_repeats_the_primary_s_835_and_balances(engine: Engine) -> None:
    world = build(engine, "MCR", "MCD")
    world.post("MCR", pay("GB0000000001", "1", "25.14", MEDICARE_PAID, remarks=("MA01",)))
    secondary = world.claim(PayerSequence.SECONDARY)
    parties = Parties(x.Submitter("RIVERBEND", "GROUPBILL", "DESK", "2175550100"), x.Receiver("SANDBOX", "SANDBOX"))
    with Session(engine) as s:
        batch = build_batch(
            s, [secondary.id or 0], header=Header("GROUPBILL", "SANDBOX", 9, TODAY), parties=parties, reference="B9"
        )  # type: ignore[arg-type]
    claim = batch.claims[0]
    medicare = claim.other_payers[0]
    assert (claim.subscriber.responsibility, claim.subscriber.payer.payer_id) == ("S", "SMCD01")
    assert (medicare.sequence, medicare.payer.payer_id, medicare.paid, medicare.remaining_liability) == (
        "P",
        "SMCR01",
        D("25.14"),
        None,  # Medicare answered line by line: what it left the patient goes in 2430, not 2320 (X222A1)
    )
    assert medicare.remarks == ("MA01",) and medicare.claim_number == "X-GB0000000001"
    line = claim.lines[0].adjudications[0]
    assert (line.payer_id, line.paid, [(c.group, c.reason, c.amount) for c in line.adjustments]) == (
        "SMCR01",
        D("25.14"),
        [("CO", "45", D("43.58")), ("PR", "2", D("6.28"))],
    )
    assert line.remaining_liability == D("6.28") and "DTP*573*D8*20261204~\nAMT*EAF*6.28~" in write_837p(batch)
    assert other_payer_imbalances(claim) == [] and "SVD*SMCR01*25.14*HC:90853**1~" in write_837p(batch)
