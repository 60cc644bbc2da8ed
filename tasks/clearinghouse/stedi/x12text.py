"""The little the connector reads from X12 text itself: what kind a document is, the envelope's control
number and mode, the billing provider (for the Idempotency-Key), and a 999 in words. Never patient data."""

import hashlib
from dataclasses import replace

from models.errors import X12ParseError
from tasks.clearinghouse.stedi.contract import MAX_IDEMPOTENCY_KEY
from tasks.x12.ack999 import read_999
from tasks.x12.eligibility_model import EligibilityResponse, RequestError, ResponseBatch
from tasks.x12.eligibility_reader import read_270
from tasks.x12.eligibility_writer import write_271
from tasks.x12.segments import split_segments

UNREADABLE = "unreadable"
INVALID_REQUEST = RequestError("15", "C", "2100C")  # AAA: required data missing; correct and send again


def kind_of(text: str) -> str:
    """ST01 of the first transaction set (`999`, `271`, `277`, `835`...), or `unreadable`."""
    try:
        segments = split_segments(text)[1]
    except X12ParseError:
        return UNREADABLE
    return next((s[1] for s in segments if s[0] == "ST" and len(s) > 1), UNREADABLE)


def isa(text: str, index: int) -> str:
    """One ISA element (ISA13 the control number, ISA15 the mode), trimmed; '' when unreadable."""
    try:
        segments = split_segments(text)[1]
    except X12ParseError:
        return ""
    return segments[0][index].strip() if segments and len(segments[0]) > index else ""


def claim_count(text: str) -> int:
    """How many claims (CLM segments) an 837P holds."""
    return sum(1 for s in split_segments(text)[1] if s[0] == "CLM")


def billing_provider(text: str) -> str:
    """The billing provider's ID in 2010AA (NM1*85, NM109: the practice's NPI), or '' if none."""
    found = next((s for s in split_segments(text)[1] if s[0] == "NM1" and len(s) > 9 and s[1] == "85"), None)
    return found[9] if found else ""


def idempotency_key(submitter_id: str, practice: str, control_number: str) -> str:
    """Stable for one interchange of one practice: the same on every retry, another for any other."""
    key = f"groupbill-{submitter_id.strip()}-{practice or 'none'}-{control_number}"
    if len(key) <= MAX_IDEMPOTENCY_KEY:
        return key
    return "groupbill-" + hashlib.sha256(key.encode()).hexdigest()  # pragma: no cover - IDs are short


def with_envelope(text: str, receiver_id: str, usage: str) -> str:
    """The interchange with ISA08 (receiver) and ISA15 (T or P) set to the connection's; the rest as is."""
    if len(text) < 106 or not text.startswith("ISA"):
        return text
    separator = text[3]
    fields = text[:105].split(separator)
    if len(fields) != 17:
        return text
    fields[8], fields[15] = receiver_id.ljust(15)[:15], usage
    return separator.join(fields) + text[105:]


def words_999(text: str) -> str:
    """What a rejecting 999 says, in words: which segments and elements are wrong (not their values)."""
    try:
        ack = read_999(text)
    except X12ParseError as exc:
        return f"an unreadable 999 ({exc.reason})"
    found = []
    for group in ack.groups:
        for s in group.sets:
            for e in s.errors:
                where = "".join(f", element {x.position} error {x.code}" for x in e.element_errors)
                found.append(f"segment {e.segment} at {e.position} (error {e.code}{where})")
        found.append(f"group {group.group_control_number} {'accepted' if group.status == 'A' else 'rejected'}")
    return "; ".join(found) or "no error location given"


def rejected_271(x12_270: str) -> str:
    """A 271 answering every inquiry of the 270 with AAA 15/C: Stedi answered with a 999, the request is wrong."""
    batch = read_270(x12_270)
    header = replace(batch.header, sender_id=batch.header.receiver_id, receiver_id=batch.header.sender_id)
    responses = tuple(
        EligibilityResponse(i.trace_number, i.member_id, i.subscriber, i.dependent, errors=(INVALID_REQUEST,))
        for i in batch.inquiries
    )
    return write_271(ResponseBatch(header, batch.reference, batch.payer, batch.receiver, responses))
