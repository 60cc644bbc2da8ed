"""Run 270/271 for coverages and dates: reuse fresh checks, batch the rest per payer, try the
payer's fallback service types when the answer says nothing, and store every check with its summary."""

import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from config.profiles import PayerProfile
from models.enums import Relationship
from models.exchange import EligibilityCheck
from models.patients import Coverage, Patient
from models.practice import Payer, Practice
from models.types import db_id
from tasks.clearinghouse.protocol import Clearinghouse
from tasks.eligibility.benefits import summarize
from tasks.submission.build837 import x12_text
from tasks.x12 import claim837_model as x
from tasks.x12.eligibility_model import (
    EligibilityResponse,
    InformationReceiver,
    Inquiry,
    InquiryBatch,
    ResponseBatch,
)
from tasks.x12.eligibility_reader import read_271
from tasks.x12.eligibility_writer import write_270, write_271
from tasks.x12.envelope import Header

_controls = itertools.count(int(time.time()) % 900_000_000)


@dataclass
class CheckReport:
    """Counts of an eligibility run (IDs and counts only)."""

    checked: int = 0
    reused: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


def run_checks(
    session: Session,
    clearinghouse: Clearinghouse,
    wanted: list[tuple[int, date]],
    *,
    profiles: dict[str, PayerProfile],
    now: datetime,
) -> CheckReport:
    """A stored check for every (coverage, date of service); the caller commits."""
    report = CheckReport()
    coverages = {
        db_id(c.id): c for c in session.exec(select(Coverage).where(col(Coverage.id).in_({cid for cid, _ in wanted})))
    }
    fresh = _fresh_checks(session, wanted, coverages, profiles, now)
    todo: dict[int, list[tuple[Coverage, date]]] = defaultdict(list)
    for coverage_id, day in sorted(set(wanted)):
        if (coverage_id, day) in fresh:
            report.reused += 1
        else:
            todo[coverages[coverage_id].payer_id].append((coverages[coverage_id], day))
    for payer_id, items in todo.items():
        _check_payer(session, clearinghouse, session.get(Payer, payer_id), items, profiles, now, report)
    session.flush()
    return report


def _fresh_checks(
    session: Session,
    wanted: list[tuple[int, date]],
    coverages: dict[int, Coverage],
    profiles: dict[str, PayerProfile],
    now: datetime,
) -> set[tuple[int, date]]:
    # Three columns, not the rows: a night's checks with their raw 271s were the run's memory peak.
    checks = session.exec(
        select(
            col(EligibilityCheck.coverage_id), col(EligibilityCheck.service_date), col(EligibilityCheck.checked_at)
        ).where(col(EligibilityCheck.coverage_id).in_(list(coverages)))
    )
    payers = {db_id(p.id): p for p in session.exec(select(Payer))}
    fresh = set()
    for coverage_id, service_date, checked_at in checks:
        profile = profiles.get(payers[coverages[coverage_id].payer_id].profile) or profiles["_default"]
        if now - checked_at <= timedelta(days=profile.eligibility.max_age_days):
            fresh.add((coverage_id, service_date))
    return fresh & set(wanted)


def _check_payer(
    session: Session,
    clearinghouse: Clearinghouse,
    payer: Payer | None,
    items: list[tuple[Coverage, date]],
    profiles: dict[str, PayerProfile],
    now: datetime,
    report: CheckReport,
) -> None:
    if payer is None:
        return
    profile = profiles.get(payer.profile) or profiles["_default"]
    service_types = [profile.eligibility.service_type, *profile.eligibility.fallback_service_types]
    pending = items
    for i, service_type in enumerate(service_types):
        last, still = i == len(service_types) - 1, []
        answers = _ask(session, clearinghouse, payer, pending, service_type, now)
        for item in pending:
            response, raw = answers[(db_id(item[0].id), item[1])]
            if _useful(response) or last:
                _store(session, item[0], item[1], service_type, response, raw, now, report)
            else:
                still.append(item)
        pending = still
        if not pending:
            return


def _useful(response: EligibilityResponse) -> bool:
    return response.plan_active is not None or bool(response.errors)


def _ask(
    session: Session,
    clearinghouse: Clearinghouse,
    payer: Payer,
    items: list[tuple[Coverage, date]],
    service_type: str,
    now: datetime,
) -> dict[tuple[int, date], tuple[EligibilityResponse, str]]:
    patients = {
        db_id(p.id): p
        for p in session.exec(select(Patient).where(col(Patient.id).in_({c.patient_id for c, _ in items})))
    }
    practice = session.exec(select(Practice).where(Practice.id == payer.practice_id)).one()
    inquiries = [_inquiry(c, patients[c.patient_id], day, service_type) for c, day in items]
    header = Header(practice.npi, payer.x12_payer_id, next(_controls) + 1, now.replace(tzinfo=None))
    batch = InquiryBatch(
        header,
        f"E{header.control_number}",
        x.Payer(x12_text(payer.name), payer.x12_payer_id),
        InformationReceiver(x12_text(practice.name), practice.npi),
        f"9{(practice.ein or '000000000')[:9]}",
        tuple(inquiries),
    )
    answer = read_271(clearinghouse.check_eligibility(write_270(batch), payer_id=payer.x12_payer_id))
    by_trace = {r.trace_number: r for r in answer.responses}
    found = {}
    for item, inq in zip(items, inquiries, strict=True):
        response = by_trace.get(inq.trace_number) or EligibilityResponse(
            inq.trace_number, inq.member_id, inq.subscriber
        )
        found[(db_id(item[0].id), item[1])] = (response, _own_271(answer, response))
    return found


def _own_271(answer: ResponseBatch, response: EligibilityResponse) -> str:
    """The 271 of one member: the payer's envelope and answer for them alone.

    A payer batch answers many members; storing the whole text on every check would copy each
    member's data into every other member's record.
    """
    return write_271(replace(answer, responses=(response,)))


def _inquiry(coverage: Coverage, patient: Patient, day: date, service_type: str) -> Inquiry:
    person = x.Person(
        x12_text(patient.last_name),
        x12_text(patient.first_name, 35),
        patient.birth_date,
        patient.sex.value if patient.sex else None,
    )
    trace = f"C{coverage.id}D{day:%Y%m%d}"
    if coverage.relationship is Relationship.SELF:
        return Inquiry(trace, coverage.member_id, person, day, service_type)
    subscriber = x.Person(
        x12_text(coverage.subscriber_last_name),
        x12_text(coverage.subscriber_first_name, 35),
        coverage.subscriber_birth_date,
        coverage.subscriber_sex.value if coverage.subscriber_sex else None,
    )
    return Inquiry(trace, coverage.member_id, subscriber, day, service_type, person)


def _store(
    session: Session,
    coverage: Coverage,
    day: date,
    service_type: str,
    response: EligibilityResponse,
    raw: str,
    now: datetime,
    report: CheckReport,
) -> None:
    summary = summarize(response)
    outcome = "rejected" if response.errors else {True: "active", False: "inactive", None: "unknown"}[summary["active"]]
    session.add(
        EligibilityCheck(
            coverage_id=db_id(coverage.id),
            service_date=day,
            service_type=service_type,
            checked_at=now,
            outcome=outcome,
            raw_271=raw,
            summary=summary,
        )
    )
    report.checked += 1
    report.outcomes[outcome] += 1


def claim_coverage_dates(session: Session, claim_ids: list[int]) -> list[tuple[int, date]]:
    """The (coverage, date of service) pairs a set of claims needs verified."""
    from models.claims import Claim

    query = select(col(Claim.coverage_id), col(Claim.service_date)).where(col(Claim.id).in_(claim_ids))
    rows = session.exec(query).all()
    return sorted({(coverage_id, day) for coverage_id, day in rows})
