"""A clean practice of any size for the benchmark: N present attendees on one service day, spread over
copies of the four catalogue payers (so there are many payers), groups of eight, every note signed.

It reuses the synthetic practice's building blocks (generate.py) but seeds no defects: the benchmark
measures the pipeline's speed on claims that go all the way to payment.
"""

import random
from datetime import date, timedelta
from typing import Any

from models.bundle import Bundle
from tasks.clearinghouse.roster import Roster
from tasks.synthetic import catalog as cat
from tasks.synthetic import generate as gen
from tasks.synthetic.draft import Draft, came

GROUP = 8


def scaled_practice(attendees: int, *, seed: int = 1, today: date, payer_copies: int = 5) -> tuple[Bundle, Roster]:
    """The bundle and the sandbox roster of a practice with `attendees` claims on the day before `today`."""
    rng = random.Random(seed)
    payers = _payers(payer_copies)
    bundle = gen._clean_bundle(rng, today)  # practice, providers, programs; patients and sessions replaced
    bundle["payers"] = [
        {k: p[k] for k in ("id", "name", "x12_payer_id", "claim_filing_indicator", "profile")} for p in payers
    ]
    for provider in bundle["providers"]:
        provider["enrollments"] = [{"payer_id": p["id"], "valid_from": "2019-01-01"} for p in payers]
    patients, sessions = _patients_and_sessions(rng, payers, attendees, today - timedelta(days=1))
    bundle |= {"patients": patients, "sessions": sessions, "other_services": []}
    bundle["authorizations"] = gen._authorizations(rng, patients, today, payers)
    draft = Draft(rng=rng, today=today, bundle=bundle, roster={})
    return Bundle.model_validate(bundle), Roster.model_validate(_roster(draft, payers, seed))


def _payers(copies: int) -> list[dict[str, Any]]:
    """Each catalogue payer `copies` times, under its own ID and X12 payer ID."""
    return [
        {**p, "id": f"{p['id']}{n}", "x12_payer_id": f"{p['x12_payer_id']}{n}", "name": f"{p['name']} {n}"}
        for n in range(1, copies + 1)
        for p in cat.PAYERS
    ]


def _patients_and_sessions(
    rng: random.Random, payers: list[dict[str, Any]], attendees: int, day: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    patients: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    programs = [p for p in cat.PROGRAMS if p["id"] != "GRP-TEL"]  # in person: no telehealth coding noise
    while len(patients) < attendees:
        program = programs[len(sessions) % len(programs)]
        roster = []
        for _ in range(min(GROUP, attendees - len(patients))):
            payer = rng.choices(payers, weights=[p["share"] for p in payers])[0]
            patient = gen._patient(rng, f"PAT-{len(patients) + 1:07d}", "MCD", program, day)
            patient["coverages"][0] |= {
                "payer_id": payer["id"],
                "member_id": f"{payer['prefix']}{len(patients) + 1:09d}",
                "group_number": None if payer["kind"] in ("medicare", "medicaid") else "GRP1000",
                "effective_date": "2019-01-01",
            }
            patients.append(patient)
            roster.append(patient["id"])
        sessions.append(_session(rng, program, roster, day, len(sessions)))
    return patients, sessions


def _session(rng: random.Random, program: dict[str, Any], roster: list[str], day: date, n: int) -> dict[str, Any]:
    session = gen._session(rng, program, roster, day, held=True)
    session["id"] = f"{program['id']}-{day:%Y%m%d}-{n:06d}"
    present = [a for a in session["attendance"] if came(a)]
    for attendance in session["attendance"]:
        if not came(attendance):  # everyone came: one claim per attendee
            attendance |= {"status": "present", "note": present[0]["note"] if present else None}
    session["participant_count"] = len(roster)
    return session


def _roster(draft: Draft, payers: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    npis = [p["npi"] for p in draft.bundle["providers"]]
    by_payer: dict[str, list[dict[str, Any]]] = {p["id"]: [] for p in payers}
    for patient in draft.bundle["patients"]:
        for coverage in patient["coverages"]:
            by_payer[coverage["payer_id"]].append(gen._member(patient, coverage))
    return {
        "seed": seed,
        "today": draft.today.isoformat(),
        "payers": [
            {
                "source_id": p["id"],
                "x12_payer_id": p["x12_payer_id"],
                "name": p["name"],
                "kind": p["kind"],
                "allowed_amounts": {k: str(v) for k, v in p["allowed"].items()},
                "rendering_npis": npis,
                "rendering_from": {},
                "timely_filing_days": p["timely_filing_days"],
                "benefits": {
                    "copay": str(p["copay"]),
                    "coinsurance": str(p["coinsurance"]),
                    "auth_required": p["auth_required"],
                },
                "members": by_payer[p["id"]],
            }
            for p in payers
        ],
    }
