"""The seeded defects about coding, place of service, payer policy and services that collide with a
group: the same rules as defects.py (picked with the seeded RNG from untouched claims; DEFECTS there
fixes the order)."""

from datetime import datetime, time, timedelta

from tasks.synthetic import catalog as cat
from tasks.synthetic.draft import Draft, came
from tasks.synthetic.notes import note_for


def same_day_individual(d: Draft) -> None:
    for modifiers, name in (([], "SVC-IND-1"), (["XE"], "SVC-IND-2")):
        session, att = d.pick(program="GRP-DBT")
        d.bundle["other_services"].append(
            {
                "id": name,
                "patient_id": att["patient_id"],
                "date": session["date"],
                "cpt_code": "90834",
                "modifiers": modifiers,
                "rendering_provider_id": session["leader_id"],
                "start_time": "08:00:00",
                "end_time": "08:45:00",
            }
        )
        if modifiers:
            d.control(session, att["patient_id"], "CODE_PTP_CONFLICT", "same-day 90834 carries XE")
        else:
            d.expect(session, att["patient_id"], ["CODE_PTP_CONFLICT"], "same-day 90834 by the leader, no XE")


def dx_not_billable(d: Draft) -> None:
    session, att = d.pick()
    att["diagnoses"] = ["F32"]
    d.expect(session, att["patient_id"], ["CODE_DX_INVALID"], "F32 is a category, not a billable code")


def telehealth_defects(d: Draft) -> None:
    session, att = d.pick(program="GRP-TEL", payer="ACME")
    att["modality"] = "audio_only"
    d.expect(session, att["patient_id"], ["POS_AUDIO_ONLY_NOT_ALLOWED"], "audio-only; this payer requires video")
    session, att = d.pick(program="GRP-TEL", payer="MCR")
    att["modality"] = "audio_only"
    d.control(session, att["patient_id"], "POS_AUDIO_ONLY_NOT_ALLOWED", "Medicare allows audio-only at home")
    session, att = d.pick(program="GRP-TEL")
    att["place_of_service"] = "11"
    d.expect(session, att["patient_id"], ["POS_TELEHEALTH_CODING"], "video session recorded as office POS 11")


def group_over_size(d: Draft) -> None:
    session = d.rng.choice(d.held("GRP-SUD"))
    limit = next(p["max_group"] for p in cat.PAYERS if p["id"] == "MCD")
    medicaid = [a for a in session["attendance"] if d.payer_of(a["patient_id"]) == "MCD"]
    others = [a for a in session["attendance"] if a not in medicaid]
    present = medicaid + d.rng.sample(others, limit + 1 - len(medicaid))
    for att in session["attendance"]:
        if att in present and not came(att):
            att.update(status="present", note=note_for(d.rng, session))
        elif att not in present:
            pid = att["patient_id"]
            att.clear()
            att.update(patient_id=pid, status="absent")
    session["participant_count"] = len(present)
    for att in medicaid:
        d.used.add(att["patient_id"])
        d.expect(session, att["patient_id"], ["PAYER_GROUP_SIZE_MAX"], f"{limit + 1} present; Medicaid allows {limit}")


def individual_during_the_group(d: Draft) -> None:
    """A 90834 with another clinician inside the group's time; one starting as the group ends is fine."""
    for inside in (True, False):
        session, att = d.pick()
        begins = datetime.combine(d.today, time.fromisoformat(session["start_time"] if inside else session["end_time"]))
        begins += timedelta(minutes=15 if inside else 0)
        leaders = {session["leader_id"], *session.get("co_leader_ids", [])}
        d.bundle["other_services"].append(
            {
                "id": f"SVC-IND-{3 if inside else 4}",
                "patient_id": att["patient_id"],
                "date": session["date"],
                "cpt_code": "90834",
                "rendering_provider_id": next(p["id"] for p in d.bundle["providers"] if p["id"] not in leaders),
                "start_time": begins.time().isoformat(),
                "end_time": (begins + timedelta(minutes=30)).time().isoformat(),
            }
        )
        if inside:
            d.expect(session, att["patient_id"], ["DUP_OVERLAPPING_SESSION"], "individual 90834 during the group")
        else:
            d.control(session, att["patient_id"], "DUP_OVERLAPPING_SESSION", "a 90834 starting as the group ends")


def addon_without_a_factor(d: Draft) -> None:
    """90785 flagged because an interpreter was there (that alone does not qualify); and one that qualifies."""
    session, att = d.pick()
    att.update(interactive_complexity=True, interactive_complexity_reason="Spanish interpreter present")
    att.pop("interactive_complexity_factors", None)
    d.expect(session, att["patient_id"], ["CODE_ADDON_REASON_MISSING"], "90785 with no complexity factor recorded")
    session, att = d.pick()
    att.update(
        interactive_complexity=True,
        interactive_complexity_factors=["communication_barrier"],
        interactive_complexity_reason="Picture cards and an interpreter: limited expressive language",
    )
    d.control(session, att["patient_id"], "CODE_ADDON_REASON_MISSING", "90785 with a communication barrier recorded")
