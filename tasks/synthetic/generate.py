"""Build the synthetic practice: the clean version first, then the seeded defects on top."""

import json
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from models.bundle import Bundle
from models.private import private_dir
from tasks.clearinghouse.roster import Roster
from tasks.synthetic import catalog as cat
from tasks.synthetic import identity as ident
from tasks.synthetic.cob import add_patients, tell_the_payers
from tasks.synthetic.defects import apply_defects
from tasks.synthetic.draft import Draft
from tasks.synthetic.manifest import Manifest
from tasks.synthetic.notes import PRACTICE_TZ, note_for
from tasks.synthetic.quiet import go_quiet

WINDOW_DAYS = 14
SCHEDULED_AHEAD_DAYS = 3


@dataclass(frozen=True)
class SyntheticPractice:
    """The three artefacts of a synthetic practice."""

    bundle: Bundle
    roster: Roster
    manifest: Manifest


def generate_practice(seed: int, today: date, *, quiet_claims: bool = False) -> SyntheticPractice:
    """The practice for `seed` as of `today`; the same inputs always give the same output. With `quiet_claims`,
    four ordinary patients' payer goes quiet on their claims (the demo's claim status follow-up finds them)."""
    rng = random.Random(seed)
    draft = Draft(rng=rng, today=today, bundle=_clean_bundle(rng, today), roster={})
    add_patients(draft, seed)  # patients with two or three coverages (their own generator)
    draft.roster = _roster(draft, seed)
    tell_the_payers(draft)
    manifest = apply_defects(draft, seed)
    if quiet_claims:
        go_quiet(draft, seed)
    return SyntheticPractice(
        bundle=Bundle.model_validate(draft.bundle),
        roster=Roster.model_validate(draft.roster),
        manifest=manifest,
    )


def write_practice(practice: SyntheticPractice, folder: Path) -> dict[str, Path]:
    """Write bundle.json, roster.json and manifest.json (owner-only: they hold patient data)."""
    private_dir(folder)
    files = {"bundle": folder / "bundle.json", "roster": folder / "roster.json", "manifest": folder / "manifest.json"}
    for name, model in (("bundle", practice.bundle), ("roster", practice.roster), ("manifest", practice.manifest)):
        _write_private(files[name], model)
    return files


def install_roster(practice: SyntheticPractice, sandbox_dir: Path) -> Path:
    """Give the sandbox clearinghouse this practice's payer roster (its truth about members)."""
    private_dir(sandbox_dir)
    return _write_private(sandbox_dir / "roster.json", practice.roster)


def _write_private(path: Path, model: BaseModel) -> Path:
    """JSON of `model` in a file only its owner can read, replaced whole."""
    text = json.dumps(model.model_dump(mode="json", exclude_none=True), indent=1) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def _clean_bundle(rng: random.Random, today: date) -> dict[str, Any]:
    providers = [_provider(rng, *c) for c in cat.CLINICIANS]
    patients, members = _patients(rng, today)
    return {
        "format_version": 1,
        "source_system": "synthetic-ehr",
        "exported_at": datetime.combine(today, time(5, 0), PRACTICE_TZ).isoformat(),
        "practice": _practice(rng),
        "payers": [
            {k: p[k] for k in ("id", "name", "x12_payer_id", "claim_filing_indicator", "profile")} for p in cat.PAYERS
        ],
        "providers": providers,
        "patients": patients,
        "authorizations": _authorizations(rng, patients, today),
        "programs": [
            {"id": p["id"], "name": p["name"], "modality": p["modality"], "place_of_service": p["pos"]}
            for p in cat.PROGRAMS
        ],
        "sessions": _sessions(rng, members, today),
        "other_services": _med_checks(rng, members, today),
    }


def _practice(rng: random.Random) -> dict[str, Any]:
    return {
        "id": "PRACTICE-1",
        "name": "Riverbend Behavioral Health",
        "npi": ident.make_npi(rng),
        "ein": "371234567",
        "taxonomy": "261QM0801X",
        "phone": "2175550100",
        "address": {"line1": "400 River Rd Ste 200", "city": "Springfield", "state": "IL", "zip": "627011234"},
    }


def _provider(rng: random.Random, credential: str, taxonomy: str, source_id: str) -> dict[str, Any]:
    person = ident.person(rng, min_age=30, max_age=60, today=date(2026, 1, 1))
    enrollments = [{"payer_id": p["id"], "valid_from": "2019-01-01"} for p in cat.PAYERS]
    if credential == "LMFT":  # Medicare took MFTs from 2024-01-01 (CAA 2023)
        enrollments[0] = {"payer_id": "MCR", "valid_from": "2024-01-01"}
    return {
        "id": source_id,
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "npi": ident.make_npi(rng),
        "credential": credential,
        "taxonomy": taxonomy,
        "licenses": [
            {
                "state": "IL",
                "number": f"{credential}-{rng.randrange(10**5, 10**6)}",
                "valid_from": "2015-06-01",
                "valid_to": "2028-06-30",
            }
        ],
        "enrollments": enrollments,
    }


def _forced_payers(program_id: str) -> list[str]:
    """Payers the first members of a program must have, so every seeded defect has a host."""
    return {
        "GRP-SUD": ["MCD", "MCD", "BLUE", "ACME", "BLUE"],
        "GRP-TEL": ["MCR", "MCR", "MCR", "ACME", "ACME", "MCD"],
        "GRP-DBT": ["ACME-CHILD", "ACME", "BLUE", "MCD"],
        "GRP-DEP": ["MCD", "ACME"],
    }.get(program_id, [])


def _patients(rng: random.Random, today: date) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    patients: list[dict[str, Any]] = []
    members: dict[str, list[str]] = {}
    for program in cat.PROGRAMS:
        forced = _forced_payers(program["id"])
        members[program["id"]] = []
        for i in range(program["members"]):
            payer = forced[i] if i < len(forced) else _weighted_payer(rng)
            patient = _patient(rng, f"PAT-{len(patients) + 1:04d}", payer, program, today)
            patients.append(patient)
            members[program["id"]].append(patient["id"])
    return patients, members


def _weighted_payer(rng: random.Random) -> str:
    chosen: str = rng.choices([p["id"] for p in cat.PAYERS], weights=[p["share"] for p in cat.PAYERS])[0]
    return chosen


def _patient(rng: random.Random, pid: str, payer: str, program: dict[str, Any], today: date) -> dict[str, Any]:
    child = payer == "ACME-CHILD"
    payer = "ACME" if child else payer
    ages = (66, 86) if payer == "MCR" else ((16, 25) if child else (19, 64))
    person = ident.person(rng, min_age=ages[0], max_age=ages[1], today=today)
    coverage: dict[str, Any] = {
        "id": f"COV-{pid}-1",
        "payer_id": payer,
        "priority": 1,
        "member_id": ident.member_id(rng, next(p["prefix"] for p in cat.PAYERS if p["id"] == payer)),
        "group_number": None if payer in ("MCR", "MCD") else f"GRP{rng.randrange(1000, 9999)}",
        "effective_date": "2019-01-01" if payer == "MCR" else (today - timedelta(days=400)).isoformat(),
    }
    if child:
        parent = ident.person(rng, min_age=42, max_age=60, today=today)
        coverage["relationship"] = "child"
        coverage["subscriber"] = {**parent, "last_name": person["last_name"]}
    return {
        "id": pid,
        **person,
        "address": ident.address(rng),
        "coverages": [coverage],
        "treatment_plans": [_plan(rng, pid, program, today)],
    }


def _plan(rng: random.Random, pid: str, program: dict[str, Any], today: date) -> dict[str, Any]:
    return {
        "id": f"PLAN-{pid}-1",
        "start_date": (today - timedelta(days=120)).isoformat(),
        "end_date": (today + timedelta(days=245)).isoformat(),
        "goals": rng.sample(cat.GOALS, 2),
        "diagnoses": rng.sample(program["dx"], rng.choice((1, 2))),
    }


def _authorizations(
    rng: random.Random, patients: list[dict[str, Any]], today: date, payers: Sequence[dict[str, Any]] = cat.PAYERS
) -> list[dict[str, Any]]:
    needs_auth = {p["id"] for p in payers if p["auth_required"]}
    return [
        {
            "id": f"AUTH-{p['id']}",
            "patient_id": p["id"],
            "payer_id": p["coverages"][0]["payer_id"],
            "number": f"PA{rng.randrange(10**7, 10**8)}",
            "cpt_codes": ["90853"],
            "units_authorized": 30,
            "start_date": (today - timedelta(days=90)).isoformat(),
            "end_date": (today + timedelta(days=90)).isoformat(),
        }
        for p in patients
        if p["coverages"][0]["payer_id"] in needs_auth
    ]


def _sessions(rng: random.Random, members: dict[str, list[str]], today: date) -> list[dict[str, Any]]:
    sessions = []
    for offset in range(-WINDOW_DAYS, SCHEDULED_AHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        for program in cat.PROGRAMS:
            if offset != 0 and day.weekday() in program["days"]:
                sessions.append(_session(rng, program, members[program["id"]], day, held=offset < 0))
    return sessions


def _session(rng: random.Random, program: dict[str, Any], roster: list[str], day: date, held: bool) -> dict[str, Any]:
    start = time(*program["start"])
    end = (datetime.combine(day, start) + timedelta(minutes=program["minutes"])).time()
    present = set(rng.sample(roster, rng.randint(min(5, len(roster)), min(8, len(roster))))) if held else set()
    session = {
        "id": f"{program['id']}-{day:%Y%m%d}",
        "program_id": program["id"],
        "date": day.isoformat(),
        "start_time": start.isoformat(),
        "end_time": end.isoformat(),
        "leader_id": program["leader"],
        "co_leader_ids": [program["co_leader"]] if program["co_leader"] else [],
        "status": "held" if held else "scheduled",
        "focus": cat.FOCUS[program["id"]],
        "goals": ["Practise the week's skill", "Apply it to a personal situation"],
        "participant_count": len(present) if held else None,
    }
    session["attendance"] = [_attendance(rng, session, pid, pid in present, held) for pid in roster]
    return session


def _attendance(rng: random.Random, session: dict[str, Any], pid: str, present: bool, held: bool) -> dict[str, Any]:
    if not held:
        return {"patient_id": pid, "status": "scheduled"}
    if not present:  # the telehealth group's EHR records a missed session as a no-show
        return {"patient_id": pid, "status": "no_show" if session["program_id"] == "GRP-TEL" else "absent"}
    record: dict[str, Any] = {
        "patient_id": pid,
        "status": "late" if rng.random() < 0.06 else "present",
        "note": note_for(rng, session),
    }
    if rng.random() < 0.08:
        record["interactive_complexity"] = True
        record["interactive_complexity_factors"] = ["caregiver_interference"]
        record["interactive_complexity_reason"] = "Caregiver present; communication managed between parties"
    return record


def _med_checks(rng: random.Random, members: dict[str, list[str]], today: date) -> list[dict[str, Any]]:
    """Psychiatrist medication visits (E/M): same-day services that are not psychotherapy."""
    everyone = [pid for roster in members.values() for pid in roster]
    return [
        {
            "id": f"SVC-MED-{i + 1}",
            "patient_id": pid,
            "date": (today - timedelta(days=rng.randrange(1, 14))).isoformat(),
            "cpt_code": "99214",
            "rendering_provider_id": "PRV-MD",
            "start_time": "08:00:00",
            "end_time": "08:25:00",
        }
        for i, pid in enumerate(rng.sample(everyone, 6))
    ]


def _roster(draft: Draft, seed: int) -> dict[str, Any]:
    npis = [p["npi"] for p in draft.bundle["providers"]]
    mft = next(p["npi"] for p in draft.bundle["providers"] if p["credential"] == "LMFT")
    payers = []
    for p in cat.PAYERS:
        members = [
            _member(pat, cov)
            for pat in draft.bundle["patients"]
            for cov in pat["coverages"]
            if cov["payer_id"] == p["id"]
        ]
        payers.append(
            {
                "source_id": p["id"],
                "x12_payer_id": p["x12_payer_id"],
                "name": p["name"],
                "kind": p["kind"],
                "allowed_amounts": {k: str(v) for k, v in p["allowed"].items()},
                "rendering_npis": npis,
                "rendering_from": {mft: "2024-01-01"} if p["id"] == "MCR" else {},
                "timely_filing_days": p["timely_filing_days"],
                "benefits": {
                    "copay": str(p["copay"]),
                    "coinsurance": str(p["coinsurance"]),
                    "auth_required": p["auth_required"],
                },
                "members": members,
            }
        )
    return {"seed": seed, "today": draft.today.isoformat(), "payers": payers}


def _member(patient: dict[str, Any], coverage: dict[str, Any]) -> dict[str, Any]:
    holder = coverage.get("subscriber") or patient
    return {
        "member_id": coverage["member_id"],
        "first_name": holder["first_name"],
        "last_name": holder["last_name"],
        "birth_date": holder["birth_date"],
        "plan_begin": coverage["effective_date"],
        "group_number": coverage.get("group_number"),
    }
