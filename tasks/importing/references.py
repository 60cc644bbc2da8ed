"""Cross-record checks a schema cannot make: unique IDs, references that resolve, date order; and
what is imported with a warning (a patient listed twice on one roster)."""

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from models.bundle import Bundle, SessionRecord

Problem = tuple[str, str]  # (record path, what is wrong)


def reference_problems(bundle: Bundle) -> list[Problem]:
    """Every cross-record problem in `bundle`, in file order."""
    ids = _known_ids(bundle)
    checks = (
        _duplicate_ids(bundle),
        _provider_refs(bundle, ids),
        _patient_refs(bundle, ids),
        _authorization_refs(bundle, ids),
        _session_refs(bundle, ids),
        _other_service_refs(bundle, ids),
    )
    return [problem for check in checks for problem in check]


def _known_ids(bundle: Bundle) -> dict[str, set[str]]:
    return {
        "payer": {p.id for p in bundle.payers},
        "provider": {p.id for p in bundle.providers},
        "patient": {p.id for p in bundle.patients},
        "program": {p.id for p in bundle.programs},
    }


def _duplicate_ids(bundle: Bundle) -> Iterator[Problem]:
    coverages = [
        (f"patients[{i}].coverages[{j}]", c) for i, p in enumerate(bundle.patients) for j, c in enumerate(p.coverages)
    ]
    plans = [
        (f"patients[{i}].treatment_plans[{j}]", t)
        for i, p in enumerate(bundle.patients)
        for j, t in enumerate(p.treatment_plans)
    ]
    for name in ("payers", "providers", "patients", "authorizations", "programs", "sessions", "other_services"):
        yield from _first_wins(((f"{name}[{i}]", r) for i, r in enumerate(getattr(bundle, name))), name)
    yield from _first_wins(coverages, "coverages")
    yield from _first_wins(plans, "treatment plans")


def _first_wins(records: Iterable[tuple[str, Any]], kind: str) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for path, record in records:
        if record.id in seen:
            yield f"{path}.id", f"duplicate {kind} id {record.id!r} (first at {seen[record.id]})"
        else:
            seen[record.id] = path


def _ref(path: str, value: str | None, kind: str, ids: dict[str, set[str]]) -> Iterator[Problem]:
    if value is not None and value not in ids[kind]:
        yield path, f"unknown {kind} {value!r}"


def _dates_in_order(path: str, start: Any, end: Any, names: str) -> Iterator[Problem]:
    if start is not None and end is not None and end < start:
        yield path, f"{names} ends ({end}) before it starts ({start})"


def _provider_refs(bundle: Bundle, ids: dict[str, set[str]]) -> Iterator[Problem]:
    for i, provider in enumerate(bundle.providers):
        for j, lic in enumerate(provider.licenses):
            yield from _dates_in_order(
                f"providers[{i}].licenses[{j}].valid_to", lic.valid_from, lic.valid_to, "licence"
            )
        for j, enr in enumerate(provider.enrollments):
            path = f"providers[{i}].enrollments[{j}]"
            yield from _ref(f"{path}.payer_id", enr.payer_id, "payer", ids)
            yield from _dates_in_order(f"{path}.valid_to", enr.valid_from, enr.valid_to, "enrollment")


def _patient_refs(bundle: Bundle, ids: dict[str, set[str]]) -> Iterator[Problem]:
    for i, patient in enumerate(bundle.patients):
        for j, cov in enumerate(patient.coverages):
            path = f"patients[{i}].coverages[{j}]"
            yield from _ref(f"{path}.payer_id", cov.payer_id, "payer", ids)
            yield from _dates_in_order(f"{path}.termination_date", cov.effective_date, cov.termination_date, "coverage")
        for j, plan in enumerate(patient.treatment_plans):
            path = f"patients[{i}].treatment_plans[{j}].end_date"
            yield from _dates_in_order(path, plan.start_date, plan.end_date, "treatment plan")


def _authorization_refs(bundle: Bundle, ids: dict[str, set[str]]) -> Iterator[Problem]:
    for i, auth in enumerate(bundle.authorizations):
        path = f"authorizations[{i}]"
        yield from _ref(f"{path}.patient_id", auth.patient_id, "patient", ids)
        yield from _ref(f"{path}.payer_id", auth.payer_id, "payer", ids)
        yield from _ref(f"{path}.rendering_provider_id", auth.rendering_provider_id, "provider", ids)
        yield from _dates_in_order(f"{path}.end_date", auth.start_date, auth.end_date, "authorization")


def _session_refs(bundle: Bundle, ids: dict[str, set[str]]) -> Iterator[Problem]:
    for i, sess in enumerate(bundle.sessions):
        path = f"sessions[{i}]"
        yield from _ref(f"{path}.program_id", sess.program_id, "program", ids)
        yield from _ref(f"{path}.leader_id", sess.leader_id, "provider", ids)
        for j, co_leader in enumerate(sess.co_leader_ids):
            yield from _ref(f"{path}.co_leader_ids[{j}]", co_leader, "provider", ids)
        yield from _dates_in_order(f"{path}.end_time", sess.start_time, sess.end_time, "session")
        yield from _attendance_refs(path, sess.attendance, ids)


def _attendance_refs(session_path: str, attendance: list[Any], ids: dict[str, set[str]]) -> Iterator[Problem]:
    for j, att in enumerate(attendance):
        path = f"{session_path}.attendance[{j}]"
        yield from _ref(f"{path}.patient_id", att.patient_id, "patient", ids)
        yield from _ref(f"{path}.rendering_provider_id", att.rendering_provider_id, "provider", ids)
        if att.note is not None:
            yield from _ref(f"{path}.note.author_id", att.note.author_id, "provider", ids)
            yield from _ref(f"{path}.note.signer_id", att.note.signer_id, "provider", ids)


def _other_service_refs(bundle: Bundle, ids: dict[str, set[str]]) -> Iterator[Problem]:
    for i, svc in enumerate(bundle.other_services):
        path = f"other_services[{i}]"
        yield from _ref(f"{path}.patient_id", svc.patient_id, "patient", ids)
        yield from _ref(f"{path}.rendering_provider_id", svc.rendering_provider_id, "provider", ids)
        yield from _dates_in_order(f"{path}.end_time", svc.start_time, svc.end_time, "service")


def roster_occurrences(session: SessionRecord) -> list[int]:
    """For each roster row, how many earlier rows list the same patient (0 unless listed twice)."""
    seen: Counter[str] = Counter()
    occurrences = []
    for att in session.attendance:
        occurrences.append(seen[att.patient_id])
        seen[att.patient_id] += 1
    return occurrences


def roster_warnings(bundle: Bundle) -> list[Problem]:
    """A patient listed again on a roster: imported as a second row, whose claim the DUP_ rules hold."""
    found = []
    for i, sess in enumerate(bundle.sessions):
        first: dict[str, int] = {}
        for j, (att, occurrence) in enumerate(zip(sess.attendance, roster_occurrences(sess), strict=True)):
            first.setdefault(att.patient_id, j)
            if occurrence:
                found.append(
                    (
                        f"sessions[{i}].attendance[{j}].patient_id",
                        f"patient {att.patient_id!r} is already on this roster at [{first[att.patient_id]}]: "
                        "imported as another row; if both attended, the scrubber holds the second claim (DUP_ rules)",
                    )
                )
    return found
