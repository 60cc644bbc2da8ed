"""Tell Prefect that sessions were scheduled, so the deployment trigger verifies their rosters.

The event names the session by record ID only; Prefect stores and shows events, so nothing about
the attendees goes in. Posting to `/api/events` (not the background events worker) makes the
command line wait until the server has the events, so a short-lived process loses none.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from uuid import uuid4

SESSION_SCHEDULED = "groupbill.session.scheduled"
RESOURCE_PREFIX = "groupbill.session."


def session_scheduled(session_id: int, service_date: date, occurred: datetime) -> dict[str, object]:
    """The event for one scheduled session, as the events API takes it (IDs and the date only)."""
    return {
        "id": str(uuid4()),
        "occurred": occurred.astimezone(UTC).isoformat(),
        "event": SESSION_SCHEDULED,
        "resource": {"prefect.resource.id": f"{RESOURCE_PREFIX}{session_id}"},
        "payload": {"session_id": session_id, "service_date": service_date.isoformat()},
    }


def prefect_api_configured() -> bool:
    """Whether a Prefect server is configured (an ephemeral API has no triggers to fire)."""
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def announce_scheduled(sessions: Sequence[tuple[int, date]], occurred: datetime) -> int:
    """Post one `groupbill.session.scheduled` event per session; the number posted."""
    import httpx
    from prefect.client.orchestration import get_client

    from models.errors import InfrastructureError

    if not sessions:
        return 0
    events = [session_scheduled(sid, day, occurred) for sid, day in sessions]
    try:
        with get_client(sync_client=True) as client:
            response = client.request("POST", "/events", json=events)
    except httpx.HTTPError as exc:
        raise InfrastructureError(f"Prefect API unreachable for session events: {type(exc).__name__}") from None
    if response.status_code >= 300:
        raise InfrastructureError(f"Prefect API refused the session events: HTTP {response.status_code}")
    return len(events)
