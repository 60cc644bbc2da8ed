"""Authorization alerts: ending soon, few units left, booked sessions the units or dates do not cover."""

from dataclasses import dataclass
from datetime import date, timedelta

from models.patients import Authorization
from tasks.preauth.ledger import Balance


@dataclass(frozen=True)
class Alert:
    """One reason to act on an authorization (IDs, dates and counts only)."""

    authorization_id: int
    kind: str
    detail: str


def alerts_for(
    auth: Authorization, bal: Balance, booked: list[date], today: date, *, within_days: int = 14, low_units: int = 2
) -> list[Alert]:
    """The alerts of one authorization given the patient's booked (future) session dates."""
    found, auth_id = [], auth.id or 0
    if today <= auth.end_date <= today + timedelta(days=within_days):
        found.append(Alert(auth_id, "ending_soon", f"ends {auth.end_date} ({(auth.end_date - today).days} days)"))
    if bal.remaining <= low_units:
        found.append(Alert(auth_id, "low_units", f"{bal.remaining} of {bal.authorized} units left"))
    inside = [d for d in booked if auth.start_date <= d <= auth.end_date]
    after = [d for d in booked if d > auth.end_date]
    if len(inside) > bal.remaining:
        found.append(
            Alert(auth_id, "booked_beyond_units", f"{len(inside)} sessions booked, {bal.remaining} units left")
        )
    if after:
        found.append(Alert(auth_id, "booked_after_end", f"{len(after)} sessions booked after {auth.end_date}"))
    return found
