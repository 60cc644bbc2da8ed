"""Every rule of RULES.md: one context that trips it and one that narrowly does not."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from models.claims import ClaimLine
from models.enums import ClaimFrequency, ClaimStatus, Credential, Modality, Relationship, SessionType, Severity
from models.exchange import EligibilityCheck
from models.patients import Coverage
from models.practice import PayerEnrollment, ProviderLicense
from models.sessions import OtherService
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.engine import profiles, scrub_context
from tasks.scrubbing.registry import all_rules
from tests.tasks.scrubbing.cob_cases import COB_CASES, secondary_context
from tests.tasks.scrubbing.factory import CO_LEADER, DOS, LEADER, PATIENT, PAYER, auth, context, other, summary


def fired(ctx: ClaimContext) -> dict[str, Severity]:
    found, _ = scrub_context(ctx)
    return {f.rule_id: f.severity for f in found}


def _set(obj: object, **values: object) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _days(n: int) -> date:
    return DOS + timedelta(days=n)


def _signed(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, tzinfo=UTC)


def _elig(**changes: object) -> EligibilityCheck:
    return EligibilityCheck(
        id=1,
        coverage_id=41,
        service_date=DOS,
        outcome="x",
        checked_at=datetime(2026, 11, 20, tzinfo=UTC),
        summary=summary(**changes),
    )


def _lines(*codes: tuple[str, list[str]], charge: str = "75.00", pointers: list[int] | None = None) -> list[ClaimLine]:
    return [
        ClaimLine(
            id=n,
            claim_id=100,
            line_number=n,
            cpt_code=code,
            units=1,
            charge=Decimal(charge),
            diagnosis_pointers=pointers or [1],
            modifiers=mods,
        )
        for n, (code, mods) in enumerate(codes, 1)
    ]


def _mft(day: date) -> dict:
    ctx = context()
    ctx.claim.service_date = day
    _set(ctx.rendering, credential=Credential.LMFT, taxonomy="106H00000X")
    ctx.eligibility = EligibilityCheck(
        id=1, coverage_id=41, service_date=day, outcome="x", checked_at=_signed(day), summary=summary()
    )
    ctx.plans[0].start_date = date(2023, 1, 1)
    return {"ctx": ctx}


def _addon(ctx: ClaimContext, factors: list[str]) -> None:
    """90853 with 90785 for an attendee flagged for interactive complexity with these factors recorded."""
    _set(ctx, lines=_lines(("90853", []), ("90785", []), charge="20.00"))
    _set(ctx.claim, total_charge=Decimal("40"))
    _set(ctx.attendance, interactive_complexity=True, interactive_complexity_factors=factors)


def _service(code: str, mods: list[str], rendering: int = LEADER) -> list[OtherService]:
    return [
        OtherService(
            id=1,
            practice_id=1,
            source_id="O",
            patient_id=PATIENT,
            service_date=DOS,
            cpt_code=code,
            modifiers=mods,
            rendering_provider_id=rendering,
        )
    ]


def _last_week() -> object:
    return other(day=_days(-7))


def _secondary(ctx: ClaimContext, primary_ends: date | None) -> None:
    """Bill the coverage as secondary while a primary exists (ending on `primary_ends`)."""
    ctx.coverage.priority = 2
    ctx.coverages.append(
        Coverage(
            id=42,
            practice_id=1,
            source_id="C42",
            patient_id=PATIENT,
            payer_id=99,
            member_id="X",
            priority=1,
            termination_date=primary_ends,
        )
    )


def _earlier_week(count: int) -> list:
    monday = DOS - timedelta(days=DOS.weekday())
    return [other(80 + i, day=monday, start=time(8 + i), end=time(8 + i, 30), session_id=60 + i) for i in range(count)]


CASES: dict[str, tuple] = {
    "DOC_NOTE_MISSING": (lambda c: _set(c, note=None), lambda c: None),
    "DOC_NOTE_UNSIGNED": (lambda c: _set(c.note, signer_id=None), lambda c: _set(c.note, signer_id=LEADER)),
    "DOC_PARTICIPATION_MISSING": (
        lambda c: _set(c.note, participation=c.session.focus),
        lambda c: _set(c.note, participation="Shared a conflict and role-played a reply."),
    ),
    "DOC_GOALS_MISSING": (
        lambda c: (_set(c.session, focus=None, goals=[]), _set(c.note, goals_addressed=[])),
        lambda c: _set(c.session, focus=None, goals=[]),
    ),
    "DOC_TIMES_MISSING": (lambda c: _set(c.session, end_time=None), lambda c: None),
    "DOC_PARTICIPANT_COUNT_MISSING": (lambda c: _set(c.session, participant_count=None), lambda c: None),
    "DOC_TREATMENT_PLAN_MISSING": (
        lambda c: _set(c.plans[0], end_date=_days(-1)),
        lambda c: _set(c.plans[0], end_date=DOS),
    ),
    "DOC_SIGNED_LATE": (
        lambda c: _set(c.note, signed_at=_signed(_days(8))),
        lambda c: _set(c.note, signed_at=_signed(_days(7))),
    ),
    "DOC_NOT_PSYCHOTHERAPY": (lambda c: _set(c.session, session_type=SessionType.SUPPORT), lambda c: None),
    "ELIG_NOT_VERIFIED": (  # a check about another day speaks for this one only if received in the 30 days before
        lambda c: _set(c.eligibility, service_date=_days(-40), checked_at=_signed(_days(-31))),
        lambda c: _set(c.eligibility, service_date=_days(-40), checked_at=_signed(_days(-30))),
    ),
    "ELIG_INACTIVE": (lambda c: _set(c, eligibility=_elig(active=False)), lambda c: None),
    "ELIG_REJECTED": (
        lambda c: _set(c, eligibility=_elig(active=None, errors=[{"code": "72", "advice": "x"}])),
        lambda c: None,
    ),
    "ELIG_MH_NOT_COVERED": (
        lambda c: _set(c, eligibility=_elig(mental_health_covered=False)),
        lambda c: _set(c, eligibility=_elig(mental_health_covered=None)),
    ),
    "ELIG_CARVE_OUT": (lambda c: _set(c, eligibility=_elig(carve_out_entity="MINDWELL")), lambda c: None),
    "ELIG_VISIT_LIMIT": (
        lambda c: _set(c, eligibility=_elig(visits_remaining=1), other_claims=[other(day=_days(-7))]),
        lambda c: _set(c, eligibility=_elig(visits_remaining=2), other_claims=[other(day=_days(-7))]),
    ),
    "AUTH_REQUIRED_MISSING": (
        lambda c: _set(c, eligibility=_elig(auth_required=True)),
        lambda c: _set(c, eligibility=_elig(auth_required=True), authorizations=[auth()]),
    ),
    "AUTH_EXPIRED": (
        lambda c: _set(c, authorizations=[auth(end_date=_days(-1))]),
        lambda c: _set(c, authorizations=[auth(end_date=DOS)]),
    ),
    "AUTH_EXHAUSTED": (  # units count as the ledger holds them (reserved or consumed), as `auths list` shows
        lambda c: _set(c, authorizations=[auth(units_authorized=1)], auth_holdings={1: {90: 1}}),
        lambda c: _set(c, authorizations=[auth(units_authorized=2)], auth_holdings={1: {90: 1}}),
    ),
    "AUTH_PROVIDER_MISMATCH": (
        lambda c: _set(c, authorizations=[auth(rendering_provider_id=CO_LEADER)]),
        lambda c: _set(c, authorizations=[auth(rendering_provider_id=LEADER)]),
    ),
    "PROV_NPI_INVALID": (lambda c: _set(c.rendering, npi="1987654320"), lambda c: _set(c.rendering, npi="1456789019")),
    "PROV_TAXONOMY_INVALID": (
        lambda c: _set(c.rendering, taxonomy="101YP2500X"),
        lambda c: _set(c.rendering, taxonomy="104100000X"),
    ),
    "PROV_CREDENTIAL_NOT_ALLOWED": ("mft", date(2023, 12, 31), date(2024, 1, 1)),
    "PROV_LICENSE_INACTIVE": (
        lambda c: _set(c.licenses[0], valid_to=_days(-1)),
        lambda c: _set(c.licenses[0], valid_to=DOS),
    ),
    "PROV_NOT_ENROLLED": (
        lambda c: _set(c.enrollments[0], valid_from=_days(1)),
        lambda c: _set(c.enrollments[0], valid_from=DOS),
    ),
    "PROV_BILLING_ADDRESS": (
        lambda c: _set(c.practice, address_line1="PO Box 12"),
        lambda c: _set(c.practice, address_line1="12 Box Elder Rd"),
    ),
    "PROV_TAX_ID_MISSING": (lambda c: _set(c.practice, ein=None), lambda c: None),
    "PAT_MEMBER_ID_MISSING": (lambda c: _set(c.coverage, member_id=" "), lambda c: None),
    "PAT_DEMOGRAPHICS_INVALID": (
        lambda c: _set(c.patient, birth_date=_days(1)),
        lambda c: _set(c.patient, birth_date=DOS),
    ),
    "PAT_SUBSCRIBER_INCOMPLETE": (
        lambda c: _set(c.coverage, relationship=Relationship.CHILD),
        lambda c: _set(
            c.coverage,
            relationship=Relationship.CHILD,
            subscriber_first_name="Pat",
            subscriber_last_name="Doe",
            subscriber_birth_date=date(1970, 1, 1),
        ),
    ),
    "PAT_PAYER_UNKNOWN": (lambda c: _set(c, profile=None), lambda c: None),
    "PAT_COVERAGE_NOT_PRIMARY": (lambda c: _secondary(c, None), lambda c: _secondary(c, _days(-1))),
    "CODE_DX_MISSING": (lambda c: _set(c.claim, diagnoses=[]), lambda c: None),
    "CODE_DX_INVALID": (
        lambda c: _set(c.claim, diagnoses=["F32", "F41.1"]),
        lambda c: _set(c.claim, diagnoses=["F32.1", "F41.1"]),
    ),
    "CODE_DX_PRIMARY_NOT_ALLOWED": (
        lambda c: _set(c.claim, diagnoses=["F02.80", "G30.9"]),
        lambda c: _set(c.claim, diagnoses=["G30.9", "F02.80"]),
    ),
    "CODE_DX_NOT_BEHAVIORAL": (
        lambda c: _set(c.claim, diagnoses=["Z63.0", "F43.10"]),
        lambda c: _set(c.claim, diagnoses=["F43.10", "Z63.0"]),
    ),
    "CODE_POINTER_INVALID": (
        lambda c: _set(c.lines[0], diagnosis_pointers=[1, 3]),
        lambda c: _set(c.lines[0], diagnosis_pointers=[2, 1]),
    ),
    "CODE_UNITS_EXCEEDED": (
        lambda c: _set(c, other_claims=[other(day=DOS, start=time(14), end=time(15))]),
        lambda c: _set(c, other_claims=[other(day=_days(-1))]),
    ),
    "CODE_ADDON_WITHOUT_PRIMARY": (
        lambda c: (_set(c, lines=_lines(("90785", []), charge="20.00")), _set(c.claim, total_charge=Decimal("20"))),
        lambda c: (
            _set(c, lines=_lines(("90853", []), ("90785", []), charge="20.00")),
            _set(c.claim, total_charge=Decimal("40")),
        ),
    ),
    "CODE_ADDON_REASON_MISSING": (
        lambda c: _addon(c, []),
        lambda c: _addon(c, ["communication_barrier"]),
    ),
    "CODE_PTP_CONFLICT": (
        lambda c: _set(c, other_services=_service("90834", [])),
        lambda c: _set(c, other_services=_service("90834", ["XE"])),
    ),
    "CODE_MODIFIER_INVALID": (
        lambda c: _set(c.lines[0], modifiers=["ZZ"]),
        lambda c: _set(c.lines[0], modifiers=["59"]),
    ),
    "CODE_CHARGE_INVALID": (lambda c: _set(c.claim, total_charge=Decimal("70.00")), lambda c: None),
    "POS_TELEHEALTH_CODING": (
        lambda c: _set(c.session, modality=Modality.VIDEO),
        lambda c: (_set(c.session, modality=Modality.VIDEO, place_of_service="10"), _set(c.lines[0], modifiers=["95"])),
    ),
    "POS_NOT_ALLOWED": (lambda c: _set(c.claim, place_of_service="21"), lambda c: _set(c.claim, place_of_service="53")),
    "POS_AUDIO_ONLY_NOT_ALLOWED": (
        lambda c: _set(c.session, modality=Modality.AUDIO_ONLY, place_of_service="02"),
        lambda c: _set(c.session, modality=Modality.AUDIO_ONLY, place_of_service="10"),
    ),
    "PAYER_GROUP_SIZE_MAX": (lambda c: _set(c, attended_count=13), lambda c: _set(c, attended_count=12)),
    "PAYER_GROUP_SIZE_MIN": (lambda c: _set(c, attended_count=1), lambda c: _set(c, attended_count=2)),
    "PAYER_FREQUENCY_LIMIT": (
        "medicaid",
        lambda c: _set(c, other_claims=_earlier_week(4)),
        lambda c: _set(c, other_claims=_earlier_week(3)),
    ),
    "PAYER_REQUIRED_MODIFIER": (
        "medicaid",
        lambda c: _set(c.lines[0], modifiers=["HQ"]),
        lambda c: _set(c.lines[0], modifiers=["HQ", "AJ"]),
    ),
    "PAYER_TIMELY_FILING": (
        lambda c: _set(c, today=DOS + timedelta(days=366)),
        lambda c: _set(c, today=DOS + timedelta(days=365)),
    ),
    "DUP_CLAIM": (
        lambda c: _set(c, other_claims=[other(start=time(10), end=time(11, 30))]),
        lambda c: _set(c, other_claims=[other(start=time(10), end=time(11, 30), rendering=CO_LEADER)]),
    ),
    "DUP_OVERLAPPING_SESSION": (
        lambda c: _set(c, other_claims=[other(start=time(11), end=time(12), rendering=CO_LEADER)]),
        lambda c: _set(c, other_claims=[other(start=time(11, 30), end=time(12, 30), rendering=CO_LEADER)]),
    ),
    "DUP_CO_LEADER_BILLED": (
        lambda c: (
            _set(c, leader_ids=frozenset({LEADER, CO_LEADER})),
            _set(c, other_services=_service("90853", [], CO_LEADER)),
        ),
        lambda c: _set(c, other_services=_service("90853", [], CO_LEADER)),
    ),
    "CLM_X12_INVALID": (lambda c: _set(c.rendering, npi="123"), lambda c: None),
    "CLM_CORRECTION_NO_ORIGINAL": (
        lambda c: _set(c.claim, frequency=ClaimFrequency.REPLACEMENT),
        lambda c: (
            _set(c.claim, frequency=ClaimFrequency.REPLACEMENT, original_claim_id=50),
            _set(c, original_payer_claim_number="PCN-50"),
        ),
    ),
}


CASES.update(COB_CASES)
WARNS_NEAR_THE_DEADLINE = ("PAYER_TIMELY_FILING", "COB_TIMELY_FILING")  # a warning inside the window's last fifth


def _make(case: tuple, which: int) -> ClaimContext:
    if case[0] == "secondary":
        ctx = secondary_context()
        case[which](ctx)
        return ctx
    if case[0] == "mft":
        return _mft(case[which])["ctx"]
    if case[0] == "medicaid":
        ctx = context("state_medicaid", authorizations=[auth()])
        ctx.lines[0].modifiers = ["HQ", "AJ"]
        case[which](ctx)
        return ctx
    ctx = context()
    case[which - 1](ctx)
    return ctx


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(all_rules())


def test_the_clean_context_fires_nothing() -> None:
    assert fired(context()) == {}
    ctx = context("state_medicaid", authorizations=[auth()])
    ctx.lines[0].modifiers = ["HQ", "AJ"]
    assert fired(ctx) == {}
    assert fired(secondary_context()) == {}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_trips(rule_id: str) -> None:
    found = fired(_make(CASES[rule_id], 1))
    assert rule_id in found, found


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_narrowly_does_not_trip(rule_id: str) -> None:
    found = fired(_make(CASES[rule_id], 2))
    if rule_id in WARNS_NEAR_THE_DEADLINE:  # inside the window's last fifth: a warning, not a hold
        assert found.get(rule_id) is Severity.WARN
    else:
        assert rule_id not in found, found


def test_same_day_individual_needs_the_modifier_on_the_individual_code() -> None:
    ctx = context(other_services=_service("90834", []))
    ctx.lines[0].modifiers = ["XE"]  # on 90853, the wrong code
    assert "CODE_PTP_CONFLICT" in fired(ctx)
    never = context(other_services=_service("90839", ["XE"]))
    assert "CODE_PTP_CONFLICT" in fired(never)


def test_severity_follows_the_profile_override() -> None:
    acme = context("commercial_acme", eligibility=_elig(carve_out_entity="MINDWELL"))
    assert fired(acme)["ELIG_CARVE_OUT"] is Severity.WARN
    assert profiles()["commercial_acme"].override("ELIG_CARVE_OUT").severity == "warn"


def test_messages_name_the_fix() -> None:
    ctx = context(note=None)
    found, digest = scrub_context(ctx)
    assert found[0].message.startswith("No progress note") and len(digest) == 16
    assert replace(found[0], message="x").rule_id == "DOC_NOTE_MISSING"


def test_a_sent_claim_counts_for_duplicates_even_if_later() -> None:
    later_sent = other(claim_id=500, status=ClaimStatus.PAID, start=time(10), end=time(11, 30))
    assert "DUP_CLAIM" in fired(context(other_claims=[later_sent]))
    later_draft = replace(later_sent, status=ClaimStatus.DRAFT)
    assert "DUP_CLAIM" not in fired(context(other_claims=[later_draft]))


def test_enrollment_for_another_payer_does_not_count() -> None:
    ctx = context()
    ctx.enrollments = [PayerEnrollment(id=2, provider_id=LEADER, payer_id=PAYER + 1, valid_from=date(2019, 1, 1))]
    ctx.licenses = [ProviderLicense(id=1, provider_id=LEADER, state="IL", number="1", valid_from=date(2015, 1, 1))]
    assert "PROV_NOT_ENROLLED" in fired(ctx)


@pytest.mark.parametrize("asked_after", [0, 31, 200])
def test_a_271_about_the_date_of_service_verifies_it_however_late_it_was_asked(asked_after: int) -> None:
    """Backlogs, late-reported coverage and a failed night still bill (RULES.md, ELIG_NOT_VERIFIED)."""
    ctx = context(eligibility=_elig())
    _set(ctx.eligibility, service_date=DOS, checked_at=_signed(_days(asked_after)))
    _set(ctx, today=_days(asked_after))
    assert "ELIG_NOT_VERIFIED" not in fired(ctx)


def test_a_271_about_another_day_received_after_the_session_does_not_speak_for_it() -> None:
    ctx = context(eligibility=_elig())
    _set(ctx.eligibility, service_date=_days(5), checked_at=_signed(_days(5)))
    assert "ELIG_NOT_VERIFIED" in fired(ctx)


def test_a_second_claim_for_the_session_under_another_clinician_is_held_not_the_first() -> None:
    """A patient on the roster twice, the second row rendered by the co-leader: the later claim is the extra."""
    earlier = other(claim_id=90, session_id=7, status=ClaimStatus.DRAFT, rendering=CO_LEADER, start=time(10))
    assert "DUP_CO_LEADER_BILLED" in fired(context(other_claims=[earlier]))
    later = replace(earlier, claim_id=500)
    assert "DUP_CO_LEADER_BILLED" not in fired(context(other_claims=[later]))
    assert "DUP_CO_LEADER_BILLED" in fired(context(other_claims=[replace(later, status=ClaimStatus.SUBMITTED)]))
    another_session = replace(earlier, session_id=8, start=time(14), end=time(15))
    assert "DUP_CO_LEADER_BILLED" not in fired(context(other_claims=[another_session]))
    rejected = replace(earlier, status=ClaimStatus.REJECTED)
    assert "DUP_CO_LEADER_BILLED" not in fired(context(other_claims=[rejected]))


def test_an_earlier_claim_holding_no_units_uses_none() -> None:
    """A claim held (say, for a missing note) reserved nothing: the ledger and `auths list` show the unit free."""
    held = other(claim_id=90, day=_days(-7), status=ClaimStatus.ON_HOLD)
    ctx = context(authorizations=[auth(units_authorized=1)], other_claims=[held], auth_holdings={1: {}})
    assert "AUTH_EXHAUSTED" not in fired(ctx)
    mine = context(authorizations=[auth(units_authorized=1)], auth_holdings={1: {100: 1}})
    assert "AUTH_EXHAUSTED" not in fired(mine)  # a ready claim scrubbed again keeps its own reservation


def _at(code: str, start: time | None, end: time | None, rendering: int = CO_LEADER) -> list[OtherService]:
    services = _service(code, [], rendering)
    _set(services[0], start_time=start, end_time=end)
    return services


def test_a_service_by_any_clinician_during_the_group_is_an_overlap() -> None:
    """RULES.md: one person cannot attend two services at once (the group meets 10:00-11:30)."""
    found = fired(context(other_services=_at("90834", time(10, 30), time(11, 15))))
    assert "DUP_OVERLAPPING_SESSION" in found and "CODE_PTP_CONFLICT" not in found  # another clinician: no PTP
    by_the_leader = fired(context(other_services=_at("90834", time(11), time(11, 45), rendering=LEADER)))
    assert {"DUP_OVERLAPPING_SESSION", "CODE_PTP_CONFLICT"} <= set(by_the_leader)
    for start, end in ((time(11, 30), time(12, 15)), (time(9, 15), time(10)), (None, time(11)), (time(10), None)):
        assert "DUP_OVERLAPPING_SESSION" not in fired(context(other_services=_at("90834", start, end))), (start, end)
    another_day = _at("90834", time(10, 30), time(11, 15))
    another_day[0].service_date = _days(-1)
    assert "DUP_OVERLAPPING_SESSION" not in fired(context(other_services=another_day))
