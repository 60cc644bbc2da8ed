"""Clean per-attendee notes for the synthetic practice."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tasks.synthetic import catalog as cat

PRACTICE_TZ = ZoneInfo("America/Chicago")


def note_for(rng: random.Random, session: dict[str, Any], signed_days_after: int = 0) -> dict[str, Any]:
    """A complete, signed per-attendee note for `session`."""
    end = datetime.combine(date.fromisoformat(session["date"]), time.fromisoformat(session["end_time"]), PRACTICE_TZ)
    signed = end + timedelta(days=signed_days_after, minutes=rng.randrange(20, 180))
    return {
        "author_id": session["leader_id"],
        "signer_id": session["leader_id"],
        "signed_at": signed.isoformat(),
        "participation": rng.choice(cat.PARTICIPATION),
        "response": rng.choice(cat.RESPONSES),
        "goals_addressed": ["Treatment-plan goal 1"],
        "interventions": "Skills teaching, role-play, process",
        "plan": "Continue weekly group; practise skill daily",
    }
