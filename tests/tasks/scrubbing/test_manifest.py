"""The synthetic practice's manifest, matched exactly: every seeded defect yields its rule on its
claim, every boundary control stays clean of its rule, and the clean claims have no error findings."""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import Claim, ClaimEvent, Finding
from models.enums import ClaimStatus, Severity
from models.patients import Patient
from models.sessions import GroupSession


def _findings(engine: Engine) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], set[str]], dict]:
    with Session(engine) as s:
        keys = {
            cid: (sid, pid)
            for cid, sid, pid in s.exec(
                select(Claim.id, GroupSession.source_id, Patient.source_id)
                .join(GroupSession, col(Claim.session_id) == GroupSession.id)
                .join(Patient, col(Claim.patient_id) == Patient.id)
            )
        }
        errors: dict = {k: set() for k in keys.values()}
        everything: dict = {k: set() for k in keys.values()}
        for f in s.exec(select(Finding).where(col(Finding.resolved_at).is_(None))):
            everything[keys[f.claim_id]].add(f.rule_id)
            if f.severity is Severity.ERROR:
                errors[keys[f.claim_id]].add(f.rule_id)
        statuses = {keys[c.id]: c.status for c in s.exec(select(Claim))}
    return errors, everything, statuses


def _before_sending(practice) -> list:  # noqa: ANN001
    """The expectations a first scrub can meet: the primary's claims, before any payer answered."""
    return [e for e in practice.manifest.expectations if e.sequence == "P" and not e.after_remittance]


def test_each_seeded_defect_trips_its_rule(engine: Engine, practice, scrubbed) -> None:
    _, everything, _ = _findings(engine)
    missing = {
        (e.session_id, e.patient_id): set(e.rules) - everything[(e.session_id, e.patient_id)]
        for e in _before_sending(practice)
    }
    assert {k: v for k, v in missing.items() if v} == {}


def test_clean_claims_have_no_error_findings_and_are_ready(engine: Engine, practice, scrubbed) -> None:
    errors, _, statuses = _findings(engine)
    listed = {(e.session_id, e.patient_id) for e in _before_sending(practice)}
    clean = set(errors) - listed
    assert {k: v for k, v in errors.items() if k in clean and v} == {}
    assert {statuses[k] for k in clean} == {ClaimStatus.READY}
    assert len(clean) > 60


def test_boundary_controls_do_not_fire(engine: Engine, practice, scrubbed) -> None:
    _, everything, _ = _findings(engine)
    fired = [c for c in practice.manifest.controls if c.rule in everything[(c.session_id, c.patient_id)]]
    assert fired == []


def test_held_claims_carry_their_rule_ids_in_history(engine: Engine, scrubbed) -> None:
    with Session(engine) as s:
        held = s.exec(select(Claim).where(Claim.status == ClaimStatus.ON_HOLD)).all()
        assert held and all(c.ruleset_hash for c in held)
        events = s.exec(select(ClaimEvent).where(ClaimEvent.to_status == ClaimStatus.ON_HOLD)).all()
        assert len(events) == len(held) and all(e.rule_ids and "ruleset" in e.details for e in events)
    assert scrubbed.on_hold == len(held) and scrubbed.holds_by_rule["DOC_NOTE_MISSING"] == 1


def test_rescrub_after_a_fix_resolves_the_finding_and_releases_the_hold(engine: Engine, scrubbed) -> None:
    from datetime import UTC, datetime

    from models.db import session_scope
    from models.sessions import ProgressNote
    from tasks.scrubbing.run import scrub_claims
    from tests.conftest import TODAY

    with session_scope(engine) as s:
        finding = s.exec(select(Finding).where(Finding.rule_id == "DOC_NOTE_UNSIGNED")).one()
        claim = s.get(Claim, finding.claim_id)
        note = s.exec(select(ProgressNote).where(ProgressNote.attendance_id == claim.attendance_id)).one()
        note.signer_id, note.signed_at = claim.rendering_provider_id, datetime(2026, 11, 26, 18, tzinfo=UTC)
        claim_id = claim.id
    with session_scope(engine) as s:
        report = scrub_claims(s, [claim_id], today=TODAY, source="test")
    assert report.ready == 1
    with Session(engine) as s:
        assert s.get(Claim, claim_id).status is ClaimStatus.READY
        history = s.exec(select(Finding).where(Finding.claim_id == claim_id)).all()
        assert [f.resolved_at is not None for f in history] == [True]
    with session_scope(engine) as s:
        again = scrub_claims(s, [claim_id], today=TODAY, source="test")
    assert again.ready == 1 and again.results[0].findings == []


def test_checks_and_scrub_in_one_transaction_see_each_other(engine: Engine, practice, imported, tmp_path) -> None:
    """The demo and the daily run verify and scrub in one session: the scrub must see the new checks."""
    from config.fees import load_fee_schedule
    from models.db import session_scope
    from tasks.claims.drafting import draft_claims
    from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
    from tasks.eligibility.check import claim_coverage_dates, run_checks
    from tasks.scrubbing.engine import profiles
    from tasks.scrubbing.run import scrub_claims, scrubbable_claims
    from tasks.synthetic.generate import install_roster
    from tests.conftest import TODAY
    from tests.tasks.scrubbing.conftest import NOW

    sandbox = SandboxClearinghouse.from_folder(install_roster(practice, tmp_path / "sbx").parent)
    with session_scope(engine) as s:
        draft_claims(s, imported.practice_id, load_fee_schedule(), source="test")
        ids = scrubbable_claims(s)
        run_checks(s, sandbox, claim_coverage_dates(s, ids), profiles=profiles(), now=NOW)
        report = scrub_claims(s, ids, today=TODAY, source="test")
    # every claim's own date was asked about (the 2023 ones years late, which still counts): none unverified
    assert "ELIG_NOT_VERIFIED" not in report.holds_by_rule and report.ready > 0


def test_ready_claims_reserve_their_authorization_units_once(engine: Engine, scrubbed, verified) -> None:
    from models.db import session_scope
    from models.patients import AuthLedgerEntry, Authorization
    from tasks.preauth.accounting import balances
    from tasks.scrubbing.run import scrub_claims
    from tests.conftest import TODAY

    with Session(engine) as s:
        auths = s.exec(select(Authorization)).all()
        before = balances(s, list(auths))
        entries = len(s.exec(select(AuthLedgerEntry)).all())
        ready_with_auth = s.exec(
            select(Claim).where(Claim.status == ClaimStatus.READY, col(Claim.authorization_id).is_not(None))
        ).all()
        small = next(a for a in auths if a.units_authorized == 2)
    assert ready_with_auth and sum(b.reserved for b in before.values()) == len(ready_with_auth)
    assert before[small.id].remaining == 0 and before[small.id].reserved == 2
    assert all(b.remaining >= 0 for b in before.values())
    with session_scope(engine) as s:
        scrub_claims(s, verified, today=TODAY, source="again")
    with Session(engine) as s:
        assert len(s.exec(select(AuthLedgerEntry)).all()) == entries
        assert balances(s, list(s.exec(select(Authorization)).all())) == before


def test_a_claim_put_on_hold_gives_its_units_back(engine: Engine, scrubbed) -> None:
    from models.db import session_scope
    from models.patients import Authorization
    from models.sessions import ProgressNote
    from tasks.preauth.accounting import balances
    from tasks.scrubbing.run import scrub_claims
    from tests.conftest import TODAY

    with session_scope(engine) as s:
        claim = s.exec(
            select(Claim).where(Claim.status == ClaimStatus.READY, col(Claim.authorization_id).is_not(None))
        ).first()
        auth_id, claim_id = claim.authorization_id, claim.id
        note = s.exec(select(ProgressNote).where(ProgressNote.attendance_id == claim.attendance_id)).one()
        note.signer_id, note.signed_at = None, None
    with Session(engine) as s:
        held_before = balances(s, [s.get(Authorization, auth_id)])[auth_id].reserved
    with session_scope(engine) as s:
        report = scrub_claims(s, [claim_id], today=TODAY, source="test")
    assert report.on_hold == 1
    with Session(engine) as s:
        assert balances(s, [s.get(Authorization, auth_id)])[auth_id].reserved == held_before - 1
        assert s.get(Claim, claim_id).authorization_id is None


def test_each_stored_271_holds_only_its_own_member(engine: Engine, verified) -> None:
    from models.exchange import EligibilityCheck
    from models.patients import Coverage
    from tasks.x12.eligibility_reader import read_271

    with Session(engine) as s:
        checks = s.exec(select(EligibilityCheck)).all()
        assert len(checks) > 20
        for check in checks:
            answer = read_271(check.raw_271)
            coverage = s.get(Coverage, check.coverage_id)
            assert len(answer.responses) == 1
            assert answer.responses[0].trace_number == f"C{coverage.id}D{check.service_date:%Y%m%d}"


def test_a_run_that_keeps_counts_only_counts_the_same(engine: Engine, verified: list[int]) -> None:
    from models.db import session_scope
    from tasks.scrubbing.run import scrub_claims
    from tests.tasks.scrubbing.conftest import TODAY

    with session_scope(engine) as s:
        report = scrub_claims(s, verified, today=TODAY, source="test", keep_results=False)
    with Session(engine) as s:
        statuses = [c.status for c in s.exec(select(Claim).where(col(Claim.id).in_(verified)))]
    assert report.results == []
    assert report.ready == statuses.count(ClaimStatus.READY) > 0
    assert report.on_hold == statuses.count(ClaimStatus.ON_HOLD) > 0
    assert report.ready + report.on_hold == len(verified)
    assert sum(report.holds_by_rule.values()) >= report.on_hold


def test_the_coding_is_written_to_the_claims_and_lines(engine: Engine, verified: list[int], scrubbed) -> None:
    """What coding decided is in the database, also when the caller had the claims loaded beforehand."""
    from models.claims import ClaimLine
    from tasks.scrubbing.coding import payer_coding
    from tasks.scrubbing.loader import load_contexts
    from tests.tasks.scrubbing.conftest import TODAY

    with Session(engine) as s:
        contexts = load_contexts(s, verified, today=TODAY)
        claims = {c.id: c for c in s.exec(select(Claim))}
        lines = {(line.claim_id, line.line_number): line for line in s.exec(select(ClaimLine))}
        for ctx in contexts:
            coding = payer_coding(ctx)
            assert claims[ctx.claim.id].place_of_service == coding.place_of_service
            for number, modifiers in coding.modifiers.items():
                assert lines[(ctx.claim.id, number)].modifiers == modifiers
    assert any(line.modifiers for line in lines.values())
    assert len({c.place_of_service for c in claims.values()}) > 1


def test_a_claim_loaded_before_the_scrub_reads_what_it_wrote(engine: Engine, verified: list[int]) -> None:
    from models.db import session_scope
    from tasks.scrubbing.run import scrub_claims
    from tests.tasks.scrubbing.conftest import TODAY

    with session_scope(engine) as s:
        loaded = [s.get(Claim, i) for i in verified]
        scrub_claims(s, verified, today=TODAY, source="test")
        assert {c.status for c in loaded if c} == {ClaimStatus.READY, ClaimStatus.ON_HOLD}
        assert all(c.ruleset_hash and c.place_of_service for c in loaded if c)


def test_every_copy_of_a_finding_that_no_longer_holds_is_resolved(engine: Engine, verified: list[int]) -> None:
    from models.db import session_scope
    from tasks.scrubbing.run import scrub_claims
    from tests.tasks.scrubbing.conftest import TODAY

    claim_id = verified[0]
    with session_scope(engine) as s:
        for _ in range(2):
            s.add(
                Finding(
                    claim_id=claim_id,
                    rule_id="CODE_DX_MISSING",
                    severity=Severity.ERROR,
                    message="old",
                    ruleset_hash="x",
                )
            )
    with session_scope(engine) as s:
        scrub_claims(s, [claim_id], today=TODAY, source="test")
    with Session(engine) as s:
        stale = s.exec(select(Finding).where(Finding.claim_id == claim_id, Finding.message == "old")).all()
    assert len(stale) == 2 and all(f.resolved_at is not None for f in stale)
