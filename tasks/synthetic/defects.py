"""The real-world defects RULES.md names, seeded into a clean practice and written down.

Each defect picks its host claims with the seeded RNG from claims no other defect touched, so
every expectation is about one cause. Order matters for determinism: never reorder DEFECTS.
"""

from collections.abc import Callable
from datetime import date, timedelta

from tasks.synthetic.cob import coordination_of_benefits
from tasks.synthetic.coding_defects import (
    addon_without_a_factor,
    dx_not_billable,
    group_over_size,
    individual_during_the_group,
    same_day_individual,
    telehealth_defects,
)
from tasks.synthetic.draft import Draft, Record, came
from tasks.synthetic.manifest import Manifest
from tasks.synthetic.notes import note_for


def apply_defects(draft: Draft, seed: int) -> Manifest:
    """Seed every defect into `draft` and return the manifest that records them."""
    for defect in DEFECTS:
        before = sum(len(e.defects) for e in draft.expectations.values())
        defect(draft)
        if sum(len(e.defects) for e in draft.expectations.values()) == before:
            raise ValueError(f"defect {defect.__name__} found no claim to land on")
    expectations = sorted(draft.expectations.values(), key=lambda e: (e.session_id, e.patient_id, e.sequence))
    return Manifest(seed=seed, today=draft.today, expectations=expectations, controls=draft.controls)


def _iso(day: date) -> str:
    return day.isoformat()


# --- documentation -------------------------------------------------------------------------------


def note_unsigned(d: Draft) -> None:
    session, att = d.pick()
    att["note"].update(signer_id=None, signed_at=None)
    d.expect(session, att["patient_id"], ["DOC_NOTE_UNSIGNED"], "note never signed")


def note_missing(d: Draft) -> None:
    session, att = d.pick()
    del att["note"]
    d.expect(session, att["patient_id"], ["DOC_NOTE_MISSING"], "present attendee has no progress note")


def participation_copied(d: Draft) -> None:
    session, att = d.pick()
    att["note"].update(participation=session["focus"], response=None)
    d.expect(session, att["patient_id"], ["DOC_PARTICIPATION_MISSING"], "note only repeats the group's topic")


def signed_late_and_on_time(d: Draft) -> None:
    early = _iso(d.today - timedelta(days=10))
    session, att = d.pick(when=lambda s: s["date"] <= early)
    att["note"] = note_for(d.rng, session, signed_days_after=9)
    d.expect(session, att["patient_id"], ["DOC_SIGNED_LATE"], "note signed 9 days after the session")
    session, att = d.pick(when=lambda s: s["date"] <= early)
    att["note"] = note_for(d.rng, session, signed_days_after=7)
    d.control(session, att["patient_id"], "DOC_SIGNED_LATE", "signed on day 7, the last allowed day")


def plan_expired(d: Draft) -> None:
    pid = d.pick_patient()
    plan = d.patient(pid)["treatment_plans"][0]
    plan.update(start_date=_iso(d.today - timedelta(days=400)), end_date=_iso(d.today - timedelta(days=30)))
    for session, _ in d.claims(pid):
        d.expect(session, pid, ["DOC_TREATMENT_PLAN_MISSING"], "treatment plan ended 30 days ago")


# --- authorization -------------------------------------------------------------------------------


def auth_expired(d: Draft) -> None:
    cutoff = d.today - timedelta(days=8)
    pid = d.pick_patient(payer="MCD", after=cutoff)
    auth = next(a for a in d.bundle["authorizations"] if a["patient_id"] == pid)
    auth.update(start_date=_iso(d.today - timedelta(days=180)), end_date=_iso(cutoff))
    for session, _ in d.claims(pid):
        if session["date"] > _iso(cutoff):
            d.expect(session, pid, ["AUTH_EXPIRED"], "authorization ended 8 days ago")
        elif session["date"] == _iso(cutoff):
            d.control(session, pid, "AUTH_EXPIRED", "authorization ends on the date of service")


def auth_exhausted(d: Draft) -> None:
    pid = d.pick_patient(payer="BLUE", min_claims=3)
    auth = next(a for a in d.bundle["authorizations"] if a["patient_id"] == pid)
    auth["units_authorized"] = 2
    for session, _ in list(d.claims(pid))[2:]:
        d.expect(session, pid, ["AUTH_EXHAUSTED"], "only 2 units authorized; earlier sessions used them")


# --- eligibility (the payer's truth differs from the practice's) ---------------------------------


def coverage_terminated(d: Draft) -> None:
    pid = d.pick_patient(payer="ACME")
    d.roster_member(pid)["plan_end"] = _iso(d.today - timedelta(days=30))
    for session, _ in d.claims(pid):
        d.expect(session, pid, ["ELIG_INACTIVE"], "payer ended the plan 30 days ago; the practice does not know")


def member_id_mistyped(d: Draft) -> None:
    pid = d.pick_patient(payer="BLUE")
    coverage = d.patient(pid)["coverages"][0]
    digits = coverage["member_id"]
    coverage["member_id"] = digits[:-2] + digits[-1] + digits[-2] if digits[-1] != digits[-2] else digits[:-1] + "0"
    for session, _ in d.claims(pid):
        d.expect(session, pid, ["ELIG_REJECTED"], "member ID mistyped (payer answers AAA 72)")


def member_id_missing(d: Draft) -> None:
    pid = d.pick_patient(payer="ACME")
    d.patient(pid)["coverages"][0]["member_id"] = None
    for session, _ in d.claims(pid):
        d.expect(session, pid, ["PAT_MEMBER_ID_MISSING"], "coverage has no member ID")


def carve_out(d: Draft) -> None:
    pid = d.pick_patient(payer="ACME")
    d.roster_member(pid)["benefits"] = {"carve_out_entity": "Mindwell Behavioral Health"}
    for session, _ in d.claims(pid):
        d.expect(session, pid, ["ELIG_CARVE_OUT"], "behavioral health carved out to another entity")


def subscriber_incomplete(d: Draft) -> None:
    child = d.pick_patient(payer="ACME")
    d.patient(child)["coverages"][0].update(relationship="child", subscriber={})
    for session, _ in d.claims(child):
        d.expect(session, child, ["PAT_SUBSCRIBER_INCOMPLETE"], "dependent patient, subscriber not recorded")


# --- whole sessions ------------------------------------------------------------------------------


def mft_billing_medicare_2023(d: Draft) -> None:
    day = date(2023, 12, 28)
    template = d.held("GRP-TEL")[0]
    medicare = [
        p["id"]
        for p in d.bundle["patients"]
        if p["coverages"][0]["payer_id"] == "MCR" and any(a["patient_id"] == p["id"] for a in template["attendance"])
    ][:3]
    session = {**template, "id": f"GRP-TEL-{day:%Y%m%d}", "date": day.isoformat(), "participant_count": len(medicare)}
    session["attendance"] = [
        {"patient_id": pid, "status": "present", "note": note_for(d.rng, session)} for pid in medicare
    ]
    d.bundle["sessions"].append(session)
    for pid in medicare:
        plans = d.patient(pid)["treatment_plans"]
        plans.append({**plans[0], "id": f"PLAN-{pid}-0", "start_date": "2023-06-01", "end_date": "2024-05-31"})
        d.expect(
            session,
            pid,
            ["PROV_CREDENTIAL_NOT_ALLOWED", "PROV_NOT_ENROLLED", "PAYER_TIMELY_FILING"],
            "LMFT billed Medicare for 2023-12-28, before MFTs could bill Medicare (2024-01-01)",
        )


def support_group_not_psychotherapy(d: Draft) -> None:
    saturday = next(d.today - timedelta(days=n) for n in range(2, 15) if (d.today - timedelta(days=n)).weekday() == 5)
    template = d.held("GRP-SUD")[0]
    session = {
        **template,
        "id": f"GRP-SUD-SUPPORT-{saturday:%Y%m%d}",
        "date": saturday.isoformat(),
        "session_type": "support",
        "focus": "Peer support and family night",
        "participant_count": 4,
    }
    patients = d.rng.sample([a["patient_id"] for a in template["attendance"]], 4)
    session["attendance"] = [
        {"patient_id": pid, "status": "present", "note": note_for(d.rng, session)} for pid in patients
    ]
    d.bundle["sessions"].append(session)
    for pid in patients:
        d.expect(session, pid, ["DOC_NOT_PSYCHOTHERAPY"], "peer-support night is not group psychotherapy")


def double_entered_session(d: Draft) -> None:
    sessions = d.held("GRP-DEP")
    fewest = min(_present_count(s) for s in sessions)
    session = d.rng.choice([s for s in sessions if _present_count(s) == fewest])
    copy = {
        **session,
        "id": session["id"] + "-DUP",
        "attendance": [{**a, "note": dict(a["note"])} if "note" in a else dict(a) for a in session["attendance"]],
    }
    d.bundle["sessions"].append(copy)
    for att in session["attendance"]:
        if came(att):
            d.used.add(att["patient_id"])
            d.expect(session, att["patient_id"], ["DUP_OVERLAPPING_SESSION"], "session entered twice in the EHR")
            d.expect(
                copy,
                att["patient_id"],
                ["DUP_CLAIM", "DUP_OVERLAPPING_SESSION"],
                "second entry of the same session bills the same service again",
            )


def _present_count(session: Record) -> int:
    return sum(came(a) for a in session["attendance"])


# Defects with the fewest possible hosts go first.
DEFECTS: tuple[Callable[[Draft], None], ...] = (
    double_entered_session,
    group_over_size,
    telehealth_defects,
    subscriber_incomplete,
    same_day_individual,
    auth_exhausted,
    auth_expired,
    member_id_mistyped,
    coverage_terminated,
    member_id_missing,
    carve_out,
    note_unsigned,
    note_missing,
    participation_copied,
    signed_late_and_on_time,
    plan_expired,
    dx_not_billable,
    mft_billing_medicare_2023,
    support_group_not_psychotherapy,
    individual_during_the_group,
    addon_without_a_factor,
    coordination_of_benefits,  # its own patients (tasks/synthetic/cob.py), last: every other pick stays as it was
)
