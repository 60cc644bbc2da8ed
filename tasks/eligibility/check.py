"""Run 270/271 for coverages and dates: reuse fresh checks, batch the rest per payer, try the
payer's fallback service types when the answer says nothing, and store every check with its summary."""

import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from config.profiles import PayerProfile
from models.db import in_chunks
from models.enums import Relationship
from models.errors import ClearinghouseUnavailable
from models.exchange import EligibilityCheck
from models.patients import Coverage, Patient
from models.practice import Payer, Practice
from models.types import db_id
from tasks.clearinghouse.protocol import Clearinghouse
from tasks.clearinghouse.routing import route
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

# seeded from the system clock only to differ between processes: a control number, not a date
_controls = itertools.count(int(time.time()) % 900_000_000)
CHECK_CHUNK = 2_000  # coverages asked about per 270 batch and held as rows at once


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
    """A stored check for every (coverage, date of service); the caller commits.

    `now` is the practice's local time (Settings.now()): the 270's envelope carries its wall-clock date.

    Works in slices of coverages, so a night of 100,000 claims never holds them all as mapped rows."""
    report = CheckReport()
    wanted_set = set(wanted)
    coverage_ids = sorted({coverage_id for coverage_id, _ in wanted_set})
    payer_of = _payers_of(session, coverage_ids)
    fresh = _fresh_checks(session, coverage_ids, payer_of, profiles, now)
    todo: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for coverage_id, day in sorted(wanted_set):
        if (coverage_id, day) in fresh:
            report.reused += 1
        else:
            todo[payer_of[coverage_id]].append((coverage_id, day))
    for payer_id, items in todo.items():
        payer = session.get(Payer, payer_id)
        for chunk in in_chunks(items, CHECK_CHUNK):
            ids = sorted({coverage_id for coverage_id, _ in chunk})
            coverages = {db_id(c.id): c for c in session.exec(select(Coverage).where(col(Coverage.id).in_(ids)))}
            _check_payer(session, clearinghouse, payer, [(coverages[c], d) for c, d in chunk], profiles, now, report)
            session.flush()
    return report


def _payers_of(session: Session, coverage_ids: list[int]) -> dict[int, int]:
    """Each coverage's payer."""
    found: dict[int, int] = {}
    for ids in in_chunks(coverage_ids):
        query = select(col(Coverage.id), Coverage.payer_id).where(col(Coverage.id).in_(ids))
        found.update((db_id(i), payer_id) for i, payer_id in session.exec(query))
    return found


def _fresh_checks(
    session: Session,
    coverage_ids: list[int],
    payer_of: dict[int, int],
    profiles: dict[str, PayerProfile],
    now: datetime,
) -> set[tuple[int, date]]:
    """The (coverage, date) pairs with a check younger than the payer profile's max age."""
    payers = {db_id(p.id): p for p in session.exec(select(Payer))}
    fresh = set()
    for ids in in_chunks(coverage_ids):
        # Three columns, not the rows: a night's checks with their raw 271s were the run's memory peak.
        checks = session.exec(
            select(
                col(EligibilityCheck.coverage_id), col(EligibilityCheck.service_date), col(EligibilityCheck.checked_at)
            ).where(col(EligibilityCheck.coverage_id).in_(ids))
        )
        for coverage_id, service_date, checked_at in checks:
            profile = profiles.get(payers[payer_of[coverage_id]].profile) or profiles["_default"]
            if now - checked_at <= timedelta(days=profile.eligibility.max_age_days):
                fresh.add((coverage_id, service_date))
    return fresh


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
    try:
        asked = route(clearinghouse, payer.practice_id)  # the practice's own connection
        answer = read_271(asked.check_eligibility(write_270(batch), payer_id=payer.x12_payer_id))
    except ClearinghouseUnavailable as exc:  # say which payer the clearinghouse failed for
        said = f"{exc} checking {len(items)} coverages with payer {payer.source_id}"
        raise ClearinghouseUnavailable(said, retry_after=exc.retry_after) from exc
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

    pairs: set[tuple[int, date]] = set()
    for ids in in_chunks(claim_ids):
        pairs.update(
            session.exec(select(col(Claim.coverage_id), col(Claim.service_date)).where(col(Claim.id).in_(ids)))
        )
    return sorted(pairs)
