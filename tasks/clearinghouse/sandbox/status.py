"""The sandbox payer's answer to a 276, from what it knows: a claim it never took in (or lost) is not found
(A4:35); one its front door rejected is said so again (A3/A6/A7/A8 as the 277CA said); one it holds is
pended (P1:20) or waits for documents (R4:294); one it adjudicated is paid (F1:65, with the amount and
date) or denied (F2, the status code standing for the denial's reason); one not yet adjudicated is in
process (P1:20)."""

import sqlite3
from dataclasses import replace
from datetime import date

from tasks.clearinghouse.roster import RosterPayer
from tasks.clearinghouse.sandbox.adjudicate import PAID_STATUSES
from tasks.clearinghouse.sandbox.state import front_door
from tasks.clearinghouse.sandbox.stored import Adjudicated, read_adjudicated
from tasks.x12 import ack999 as a999
from tasks.x12 import claim837_model as x
from tasks.x12.ack277_model import ACCEPTED_CATEGORIES, StatusInfo
from tasks.x12.ack999 import write_999
from tasks.x12.envelope import Header
from tasks.x12.status_model import ClaimInquiry, ClaimStatus, StatusRequest, StatusResponse

# The status code a payer gives a denial (code list 508), by the denial's reason (CARC); else "see the 835".
DENIAL_STATUS = {
    "26": ("88", "IL"),
    "27": ("88", "IL"),
    "109": ("109", "IL"),
    "22": ("85", "PR"),
    "197": ("84", None),
    "18": ("54", None),
    "185": ("96", "82"),
}
SEE_REMITTANCE = ("1", None)


def answer_status(db: sqlite3.Connection, payer: RosterPayer, request: StatusRequest, header: Header) -> StatusResponse:
    """The payer's 277 answering every claim of a 276."""
    today = header.created.date()
    numbers = [f"{payer.x12_payer_id}-{q.patient_control_number}" for q in request.inquiries]
    adjudicated = read_adjudicated(db, numbers)
    claims = tuple(
        _answer(q, payer, front_door(db, q.patient_control_number, payer.x12_payer_id), adjudicated.get(n), today)
        for q, n in zip(request.inquiries, numbers, strict=True)
    )
    return StatusResponse(
        header,
        f"CSR{header.control_number}",
        x.Payer(payer.name.upper(), payer.x12_payer_id),
        request.receiver_name,
        request.receiver_id,
        claims,
    )


def _answer(
    q: ClaimInquiry, payer: RosterPayer, seen: str | None, done: Adjudicated | None, today: date
) -> ClaimStatus:
    member = payer.member(q.member_id)
    habit = member.remittance if member else "as_adjudicated"
    patient = q.patient or q.subscriber
    base = ClaimStatus(
        q.trace_number,
        (),
        q.member_id,
        q.provider,
        patient.last_name,
        patient.first_name,
        q.patient_control_number,
        charge=q.charge,
        service_date=q.service_date,
        service_date_end=q.service_date_end,
        dependent=q.patient is not None,
        subscriber_last=q.subscriber.last_name if q.patient else "",
        subscriber_first=q.subscriber.first_name if q.patient else "",
    )
    if seen is None:
        return _with(base, ("A4", "35", None), today)
    category, code, *entity = seen.split(":")
    if category not in ACCEPTED_CATEGORIES | {"A0"}:
        return _with(base, (category, code, entity[0] if entity and entity[0] else None), today)
    number = f"{payer.x12_payer_id}-{q.patient_control_number}"
    if habit == "pended" or done is None:
        return _with(base, ("P1", "20", "PR"), today, number)
    if habit == "info_requested":
        return _with(base, ("R4", "294", "1P"), today, number)
    return _adjudicated(base, done, today, number)


def _adjudicated(base: ClaimStatus, done: Adjudicated, today: date, number: str) -> ClaimStatus:
    payment = done.payment
    if payment.status_code in PAID_STATUSES:
        found = _with(base, ("F1", "65", None), today, number)
    elif payment.status_code == "4":
        reason = next((a.reason for line in payment.lines for a in line.adjustments if a.group != "PR"), "")
        code, entity = DENIAL_STATUS.get(reason, SEE_REMITTANCE)
        found = _with(base, ("F2", code, entity), today, number)
    else:
        found = _with(base, ("F3", "1", None), today, number)
    return replace(found, paid=payment.paid, adjudicated_on=done.paid_on, remitted_on=done.paid_on)


def _with(
    base: ClaimStatus, status: tuple[str, str, str | None], today: date, number: str | None = None
) -> ClaimStatus:
    return replace(base, statuses=(StatusInfo(*status, today),), payer_claim_number=number)


def refused(set_id: str, version: str, group_control: str, header: Header) -> str:
    """A 999 rejecting a transaction set the payer cannot read (e.g. a 276 that is not valid X12)."""
    rejected = a999.SetAck(set_id, "0001", "R", version, ("5",), ())
    group = a999.GroupAck("HR" if set_id == "276" else "HS", group_control, "R", version, (rejected,))
    return write_999(a999.Ack999(header, (group,)))
