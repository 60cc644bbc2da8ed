"""Claims that go quiet at the payer, for the demo's claim status follow-up: four ordinary patients (one
coverage, no seeded defect) whose payer loses the claim, loses its 835, pends it, or waits for documents
(the roster's `remittance` habits, tasks/clearinghouse/roster.py). Chosen by their own seeded generator, so
the rest of the practice is the same with or without them."""

import random

from tasks.synthetic.draft import Draft

HABITS = ("claim_lost", "remittance_lost", "pended", "info_requested")


def go_quiet(draft: Draft, seed: int) -> dict[str, str]:
    """Give four billable patients' payer a habit that makes their claims go quiet; patient ID -> habit."""
    rng = random.Random(seed * 7919 + 19)
    candidates = sorted(
        p["id"]
        for p in draft.bundle["patients"]
        if len(p["coverages"]) == 1
        and p["id"] not in draft.used
        and p["id"] not in draft.scenarios
        and any(True for _ in draft.claims(p["id"]))
    )
    chosen = dict(zip(rng.sample(candidates, len(HABITS)), HABITS, strict=True))
    for patient_id, habit in chosen.items():
        coverage = draft.patient(patient_id)["coverages"][0]
        payer = next(p for p in draft.roster["payers"] if p["source_id"] == coverage["payer_id"])
        member = next(m for m in payer["members"] if m["member_id"] == coverage["member_id"])
        member["remittance"] = habit
    draft.used.update(chosen)
    return chosen
