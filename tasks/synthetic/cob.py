"""Patients with more than one coverage, in two weekly groups of their own: each one plays a case of
coordination of benefits, clean (the next payer billed, crossed over, nothing left) or seeded with a
COB_ defect. A generator of its own (seed + 20) keeps every other patient and defect as it was.

The payer roster gets what the payers know: where each payer places itself for the member (the
practice can be wrong: a CARC 22), who Medicare forwards to (the crossover agreement with Medicaid,
and whether the member is on its file), and the member's remittance habit (tasks/clearinghouse/roster.py).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from tasks.synthetic import catalog as cat
from tasks.synthetic import identity as ident
from tasks.synthetic.draft import Draft, Record
from tasks.synthetic.notes import note_for

PROGRAMS: tuple[dict[str, Any], ...] = (
    {"id": "GRP-OA", "name": "Older Adults Process Group", "weekday": 2, "start": (10, 0), "leader": "PRV-LCSW"},
    {"id": "GRP-CIC", "name": "Chronic Illness Coping Group", "weekday": 4, "start": (13, 0), "leader": "PRV-PSYD"},
)
NEEDS_AUTH = ("MCD", "BLUE")


@dataclass(frozen=True)
class Case:
    """One patient's coverages (payer, extra coverage fields), what the payers know, and what it must trip."""

    name: str
    coverages: tuple[tuple[str, dict[str, Any]], ...]
    sequences: dict[str, str] = field(default_factory=dict)  # payer -> the payer's own place (default: ours)
    habit: str | None = None  # the primary payer's remittance habit
    forwards: bool = False  # the primary (Medicare) forwards to the next payer (it is on its crossover file)
    no_coinsurance: bool = False  # the primary leaves the member nothing
    rules: tuple[str, ...] = ()
    sequence: str = "P"  # which claim of the service trips them
    after_remittance: bool = False  # only once the prior payer's 835 is posted
    why: str = ""


CASES = (
    Case("Medicare, then Medicaid by crossover", (("MCR", {}), ("MCD", {})), forwards=True),
    Case("Medicare, then Medicaid billed by us (not on Medicare's crossover file)", (("MCR", {}), ("MCD", {}))),
    Case("Medicare, then a commercial supplement", (("MCR", {}), ("ACME", {}))),
    Case("two commercial plans", (("ACME", {}), ("BLUE", {}))),
    Case(
        "employer plan, Medicare second (disability), Medicaid third",
        (("ACME", {}), ("MCR", {"msp_type": "43"}), ("MCD", {})),
    ),
    Case(
        "the practice bills Acme first; Acme says Blue Meadow pays first",
        (("ACME", {}), ("BLUE", {})),
        sequences={"ACME": "S", "BLUE": "P"},
        rules=("COB_ORDER_DISPUTED",),
        after_remittance=True,
        why="Acme denied CARC 22 (Blue Meadow pays first); the rebill waits for the order to be corrected",
    ),
    Case(
        "Medicaid recorded before Acme",
        (("MCD", {}), ("ACME", {})),
        sequences={"MCD": "S", "ACME": "P"},
        rules=("COB_MEDICAID_NOT_LAST",),
        why="Medicaid is recorded as the primary coverage while Acme is in force",
    ),
    Case(
        "Medicare second without its MSP type",
        (("ACME", {}), ("MCR", {})),
        rules=("COB_MSP_TYPE_MISSING",),
        why="Medicare pays after Acme but the coverage has no Medicare Secondary Payer type",
    ),
    Case(
        "second coverage's subscriber unrecorded",
        (("BLUE", {}), ("ACME", {"relationship": "spouse", "subscriber": {}})),
        rules=("COB_OTHER_SUBSCRIBER_INCOMPLETE",),
        why="the spouse's Acme plan is recorded without the subscriber's name",
    ),
    Case(
        "Medicare's 835 does not balance",
        (("MCR", {}), ("ACME", {})),
        habit="unbalanced",
        rules=("COB_OUT_OF_BALANCE",),
        sequence="S",
        after_remittance=True,
        why="Medicare's 835 left out the contractual write-off: the secondary claim cannot balance",
    ),
    Case(
        "Medicare takes its payment back",
        (("MCR", {}), ("ACME", {})),
        habit="reversed",
        rules=("COB_PRIOR_NOT_ADJUDICATED",),
        sequence="S",
        after_remittance=True,
        why="Medicare reversed its payment: the supplement waits for it to adjudicate again",
    ),
    Case(
        "Medicare reprocesses and forwards to Medicaid",
        (("MCR", {}), ("MCD", {})),
        habit="reprocessed_as_crossover",
        forwards=True,
        rules=("COB_CROSSOVER_EXPECTED",),
        sequence="S",
        after_remittance=True,
        why="Medicare reprocessed the claim as forwarded to Medicaid (MA18): Medicaid's own 835 will come",
    ),
    Case(
        "Medicare's remittance reached the practice late",
        (("MCR", {}), ("ACME", {})),
        habit="late",
        rules=("COB_TIMELY_FILING",),
        sequence="S",
        after_remittance=True,
        why="Medicare's 835 is dated 100 days ago: Acme's 90 days from it are over",
    ),
    Case(
        "Medicare leaves nothing, Medicaid wants the claim anyway",
        (("MCR", {}), ("MCD", {})),
        no_coinsurance=True,
        rules=("COB_NOTHING_LEFT",),
        sequence="S",
        after_remittance=True,
        why="Medicare paid in full; Medicaid asks for zero-balance claims",
    ),
)


def add_patients(draft: Draft, seed: int) -> None:
    """The cases' patients, their plans and authorizations, and the two groups' held sessions (all present)."""
    rng = random.Random(seed + 20)
    members: dict[str, list[str]] = {p["id"]: [] for p in PROGRAMS}
    for n, case in enumerate(CASES):
        pid = f"PAT-C{n + 1:03d}"
        draft.bundle["patients"].append(_patient(rng, pid, case, draft))
        draft.bundle["authorizations"] += _authorizations(rng, pid, case, draft)
        members[PROGRAMS[n % len(PROGRAMS)]["id"]].append(pid)
        draft.scenarios[pid] = n
        draft.used.add(pid)
    for program in PROGRAMS:
        draft.bundle["programs"].append(
            {"id": program["id"], "name": program["name"], "modality": "in_person", "place_of_service": "11"}
        )
        for offset in range(-14, 0):
            day = draft.today + timedelta(days=offset)
            if day.weekday() == program["weekday"]:
                draft.bundle["sessions"].append(_session(rng, program, members[program["id"]], day))


def _patient(rng: random.Random, pid: str, case: Case, draft: Draft) -> Record:
    medicare_first = case.coverages[0][0] == "MCR"
    person = ident.person(
        rng, min_age=66 if medicare_first else 40, max_age=84 if medicare_first else 62, today=draft.today
    )
    coverages = []
    for priority, (payer, extra) in enumerate(case.coverages, start=1):
        prefix = next(p["prefix"] for p in cat.PAYERS if p["id"] == payer)
        coverage: Record = {
            "id": f"COV-{pid}-{priority}",
            "payer_id": payer,
            "priority": priority,
            "member_id": ident.member_id(rng, prefix),
            "group_number": None if payer in ("MCR", "MCD") else f"GRP{rng.randrange(1000, 9999)}",
            "effective_date": (draft.today - timedelta(days=400)).isoformat(),
        }
        coverages.append(coverage | extra)
    plan = {
        "id": f"PLAN-{pid}-1",
        "start_date": (draft.today - timedelta(days=120)).isoformat(),
        "end_date": (draft.today + timedelta(days=245)).isoformat(),
        "goals": rng.sample(cat.GOALS, 2),
        "diagnoses": ["F33.1", "F41.1"],
    }
    return {"id": pid, **person, "address": ident.address(rng), "coverages": coverages, "treatment_plans": [plan]}


def _authorizations(rng: random.Random, pid: str, case: Case, draft: Draft) -> list[Record]:
    """One authorization per coverage whose payer requires one (a secondary payer needs its own)."""
    return [
        {
            "id": f"AUTH-{pid}-{payer}",
            "patient_id": pid,
            "payer_id": payer,
            "number": f"PA{rng.randrange(10**7, 10**8)}",
            "cpt_codes": ["90853"],
            "units_authorized": 30,
            "start_date": (draft.today - timedelta(days=90)).isoformat(),
            "end_date": (draft.today + timedelta(days=90)).isoformat(),
        }
        for payer, _ in case.coverages
        if payer in NEEDS_AUTH
    ]


def _session(rng: random.Random, program: dict[str, Any], roster: list[str], day: Any) -> Record:
    start = time(*program["start"])
    session: Record = {
        "id": f"{program['id']}-{day:%Y%m%d}",
        "program_id": program["id"],
        "date": day.isoformat(),
        "start_time": start.isoformat(),
        "end_time": (datetime.combine(day, start) + timedelta(minutes=90)).time().isoformat(),
        "leader_id": program["leader"],
        "co_leader_ids": [],
        "status": "held",
        "focus": "Coping with change and loss",
        "goals": ["Practise the week's skill", "Apply it to a personal situation"],
        "participant_count": len(roster),
    }
    session["attendance"] = [{"patient_id": pid, "status": "present", "note": note_for(rng, session)} for pid in roster]
    return session


def tell_the_payers(draft: Draft) -> None:
    """Each case's payer truth in the roster, and Medicare's crossover agreement with Medicaid."""
    payers = {p["source_id"]: p for p in draft.roster["payers"]}
    draft.roster["crossovers"] = [{"source": payers["MCR"]["x12_payer_id"], "target": payers["MCD"]["x12_payer_id"]}]
    for pid, n in draft.scenarios.items():
        case, coverages = CASES[n], draft.patient(pid)["coverages"]
        members = {c["payer_id"]: _member(payers[c["payer_id"]], c["member_id"]) for c in coverages}
        for coverage in coverages:
            default = "PST"[coverage["priority"] - 1]
            members[coverage["payer_id"]]["sequence"] = case.sequences.get(coverage["payer_id"], default)
        first, second = coverages[0], coverages[1]
        primary = members[first["payer_id"]]
        if case.habit:
            primary["remittance"] = case.habit
        if case.forwards:
            target = payers[second["payer_id"]]["x12_payer_id"]
            primary["next_payer"] = {"payer_id": target, "member_id": second["member_id"]}
        if case.no_coinsurance:
            primary["benefits"] = {"coinsurance": "0.00"}


def _member(payer: Record, member_id: str) -> Record:
    return next(m for m in payer["members"] if m["member_id"] == member_id)


def coordination_of_benefits(d: Draft) -> None:
    """The seeded COB_ defects: every claim of the case's patient trips its rule on the named payer's claim."""
    for pid, n in d.scenarios.items():
        case = CASES[n]
        if not case.rules:
            continue
        for session, _ in d.claims(pid):
            d.expect(
                session, pid, list(case.rules), case.why, sequence=case.sequence, after_remittance=case.after_remittance
            )
