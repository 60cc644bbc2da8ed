"""The synthetic practice: deterministic, realistic in shape, and honest about its defects."""

import json
import re
import stat
from datetime import date
from pathlib import Path

from models.identifiers import npi_check_digit
from tasks.synthetic import generate_practice, write_practice

RULE_ID = re.compile(r"^(DOC|ELIG|AUTH|PROV|PAT|CODE|POS|PAYER|DUP|CLM|COB)_[A-Z0-9_]+$")
SEEDED_RULES = {
    "DOC_NOTE_UNSIGNED",
    "DOC_NOTE_MISSING",
    "DOC_PARTICIPATION_MISSING",
    "DOC_SIGNED_LATE",
    "DOC_TREATMENT_PLAN_MISSING",
    "DOC_NOT_PSYCHOTHERAPY",
    "AUTH_EXPIRED",
    "AUTH_EXHAUSTED",
    "ELIG_INACTIVE",
    "ELIG_REJECTED",
    "ELIG_CARVE_OUT",
    "PAT_MEMBER_ID_MISSING",
    "PAT_SUBSCRIBER_INCOMPLETE",
    "PAYER_GROUP_SIZE_MAX",
    "CODE_PTP_CONFLICT",
    "CODE_DX_INVALID",
    "POS_AUDIO_ONLY_NOT_ALLOWED",
    "POS_TELEHEALTH_CODING",
    "PROV_CREDENTIAL_NOT_ALLOWED",
    "PROV_NOT_ENROLLED",
    "PAYER_TIMELY_FILING",
    "DUP_CLAIM",
    "DUP_OVERLAPPING_SESSION",
    "CODE_ADDON_REASON_MISSING",
    "COB_MEDICAID_NOT_LAST",
    "COB_MSP_TYPE_MISSING",
    "COB_OTHER_SUBSCRIBER_INCOMPLETE",
    "COB_ORDER_DISPUTED",
    "COB_OUT_OF_BALANCE",
    "COB_PRIOR_NOT_ADJUDICATED",
    "COB_CROSSOVER_EXPECTED",
    "COB_TIMELY_FILING",
    "COB_NOTHING_LEFT",
}


def _files(folder: Path, seed: int, today: date) -> dict[str, bytes]:
    paths = write_practice(generate_practice(seed, today), folder)
    return {name: path.read_bytes() for name, path in paths.items()}


def test_same_seed_same_bytes_other_seed_other_practice(tmp_path: Path) -> None:
    today = date(2026, 11, 27)
    first, again = _files(tmp_path / "a", 11, today), _files(tmp_path / "b", 11, today)
    assert first == again
    assert _files(tmp_path / "c", 12, today)["bundle"] != first["bundle"]


def test_files_are_owner_only(tmp_path: Path, practice) -> None:
    for path in write_practice(practice, tmp_path).values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_shape_of_the_practice(practice) -> None:
    bundle = practice.bundle
    assert len(bundle.programs) >= 4
    assert {p.claim_filing_indicator for p in bundle.payers} >= {"MB", "MC", "CI", "BL"}
    assert len({p.credential for p in bundle.providers}) >= 5
    held = [s for s in bundle.sessions if s.status == "held" and s.date >= date(2026, 11, 13)]
    assert {s.date for s in held} >= {date(2026, 11, 13), date(2026, 11, 26)}
    assert all(4 <= len(s.attendance) <= 14 for s in held)
    assert any(s.modality == "video" or s.program_id == "GRP-TEL" for s in held)
    assert any(s.status == "scheduled" for s in bundle.sessions)
    assert all(npi_check_digit(p.npi[:9]) == p.npi[9] for p in bundle.providers)


def test_manifest_names_every_seeded_defect_on_real_claims(practice) -> None:
    manifest, bundle = practice.manifest, practice.bundle
    rules = {r for e in manifest.expectations for r in e.rules}
    assert rules == SEEDED_RULES
    assert all(RULE_ID.match(r) for r in rules | {c.rule for c in manifest.controls})
    attended = {(s.id, a.patient_id) for s in bundle.sessions for a in s.attendance if a.status.attended}
    assert all((e.session_id, e.patient_id) in attended for e in manifest.expectations)
    assert all((c.session_id, c.patient_id) in attended for c in manifest.controls)
    assert all(not (practice.manifest.rules_for(c.session_id, c.patient_id) & {c.rule}) for c in manifest.controls)
    clean = attended - {(e.session_id, e.patient_id) for e in manifest.expectations}
    assert len(clean) > len(manifest.expectations)


def test_every_cob_rule_is_seeded_on_a_patient_with_more_than_one_coverage(practice) -> None:
    covered = {p.id: [c.payer_id for c in p.coverages] for p in practice.bundle.patients}
    cob = [e for e in practice.manifest.expectations if e.rules[0].startswith("COB_")]
    assert {r for e in cob for r in e.rules} == {r for r in SEEDED_RULES if r.startswith("COB_")}
    assert all(len(covered[e.patient_id]) >= 2 for e in cob)
    later = {e.rules[0]: e.sequence for e in cob if e.after_remittance}
    assert later == {
        "COB_ORDER_DISPUTED": "P",  # the rebill
        "COB_OUT_OF_BALANCE": "S",
        "COB_PRIOR_NOT_ADJUDICATED": "S",
        "COB_CROSSOVER_EXPECTED": "S",
        "COB_TIMELY_FILING": "S",
        "COB_NOTHING_LEFT": "S",
    }
    dual = [payers for payers in covered.values() if len(payers) > 1]
    assert ["MCR", "MCD"] in dual and ["MCR", "ACME"] in dual and ["ACME", "BLUE"] in dual
    assert ["ACME", "MCR", "MCD"] in dual and practice.roster.forwards("SMCR01", "SMCD01")


def test_the_payer_roster_disagrees_with_the_practice_where_a_defect_says_so(practice) -> None:
    roster_ids = {m.member_id for p in practice.roster.payers for m in p.members}
    practice_ids = {c.member_id for p in practice.bundle.patients for c in p.coverages}
    assert None in practice_ids
    assert len(practice_ids - roster_ids - {None}) == 1
    assert any(m.plan_end for p in practice.roster.payers for m in p.members)
    assert json.loads(practice.roster.model_dump_json())["payers"][0]["allowed_amounts"]["90853"]


def test_generation_is_robust_across_seeds_and_days() -> None:
    for seed in range(12):
        # ordinary days, New Year's Eve and Day, a leap day, both daylight-saving days
        edges = (date(2026, 12, 31), date(2027, 1, 1), date(2028, 2, 29), date(2027, 3, 14), date(2026, 11, 1))
        for today in (date(2026, 3, 2), date(2027, 1, 10), *edges):
            assert generate_practice(seed, today).manifest.expectations


def test_quiet_claims_give_four_patients_a_quiet_payer_and_change_nothing_else() -> None:
    plain, quiet = generate_practice(7, date(2026, 11, 27)), generate_practice(7, date(2026, 11, 27), quiet_claims=True)
    assert quiet.bundle == plain.bundle and quiet.manifest == plain.manifest
    habits = {(p.source_id, m.member_id): m.remittance for p in quiet.roster.payers for m in p.members if m.remittance}
    before = {(p.source_id, m.member_id): m.remittance for p in plain.roster.payers for m in p.members}
    changed = {k: v for k, v in habits.items() if before.get(k) != v}
    assert sorted(changed.values()) == ["claim_lost", "info_requested", "pended", "remittance_lost"]
