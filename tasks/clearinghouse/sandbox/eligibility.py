"""The sandbox payer answers a 270 from its roster: a 271 per inquiry, or AAA when it cannot."""

from datetime import date
from decimal import Decimal

from tasks.clearinghouse.roster import Benefits, Member, RosterPayer
from tasks.x12.claim837_model import Person
from tasks.x12.eligibility_model import Benefit, EligibilityResponse, Inquiry, InquiryBatch, RequestError, ResponseBatch
from tasks.x12.envelope import Header


def answer_inquiries(payer: RosterPayer, batch: InquiryBatch, header: Header) -> ResponseBatch:
    """The 271 for every inquiry of a 270 sent to `payer`."""
    responses = tuple(_answer(payer, inquiry) for inquiry in batch.inquiries)
    return ResponseBatch(header, batch.reference, batch.payer, batch.receiver, responses)


def _answer(payer: RosterPayer, inquiry: Inquiry) -> EligibilityResponse:
    member = payer.member(inquiry.member_id)
    problem = _identity_problem(inquiry, member)
    if problem is not None or member is None:
        return EligibilityResponse(
            inquiry.trace_number,
            inquiry.member_id,
            inquiry.subscriber,
            inquiry.dependent,
            errors=(problem or RequestError("75", "C", "2100C"),),
        )
    subscriber = Person(member.last_name.upper(), member.first_name.upper(), member.birth_date, inquiry.subscriber.sex)
    benefits = _benefits(payer, member, inquiry.service_type, inquiry.service_date)
    return EligibilityResponse(
        inquiry.trace_number,
        member.member_id,
        subscriber,
        inquiry.dependent,
        member.plan_begin,
        member.plan_end,
        benefits,
    )


def _identity_problem(inquiry: Inquiry, member: Member | None) -> RequestError | None:
    """AAA when the payer cannot match the member: unknown ID 72, not found 75, DOB 71, name 73."""
    if not inquiry.member_id:
        return RequestError("75", "C", "2100C")
    if member is None:
        return RequestError("72", "C", "2100C")
    asked = inquiry.subscriber
    if asked.birth_date is not None and asked.birth_date != member.birth_date:
        return RequestError("71", "C", "2100C")
    if asked.last_name and asked.last_name.upper() != member.last_name.upper():
        return RequestError("73", "C", "2100C")
    return None


def _benefits(payer: RosterPayer, member: Member, service_type: str, day: date) -> tuple[Benefit, ...]:
    """EB segments for the asked service type on `day`."""
    if not member.covers(day):
        return (Benefit("6", ("30",), "IND"),)
    b = payer.benefits_of(member)
    active = Benefit(
        "1",
        ("30", service_type),
        "IND",
        plan_name=f"{payer.name.upper()} PLAN",
        auth_required="Y" if b.auth_required else None,
    )
    if not b.mental_health_covered:
        return (
            Benefit("1", ("30",), "IND"),
            Benefit("I", (service_type,), "IND", messages=("MENTAL HEALTH SERVICES NOT COVERED",)),
        )
    if b.carve_out_entity:
        return (
            Benefit("1", ("30",), "IND"),
            Benefit(
                "U",
                (service_type,),
                "IND",
                messages=("BEHAVIORAL HEALTH MANAGED BY ANOTHER ENTITY",),
                entity_name=b.carve_out_entity.upper(),
            ),
        )
    return (active, *_cost_sharing(b, service_type))


def _cost_sharing(b: Benefits, service_type: str) -> list[Benefit]:
    found = []
    if b.copay:
        found.append(Benefit("B", (service_type,), "IND", time_period="27", amount=b.copay, in_network="Y"))
    if b.coinsurance:
        found.append(Benefit("A", (service_type,), "IND", time_period="27", percent=b.coinsurance, in_network="Y"))
    if b.deductible:
        found.append(Benefit("C", (service_type,), "IND", time_period="23", amount=b.deductible, in_network="Y"))
        found.append(
            Benefit("C", (service_type,), "IND", time_period="29", amount=b.deductible_remaining, in_network="Y")
        )
    if b.visit_limit is not None:
        found.append(
            Benefit(
                "F", (service_type,), "IND", time_period="23", quantity_qualifier="VS", quantity=Decimal(b.visit_limit)
            )
        )
        found.append(
            Benefit(
                "F",
                (service_type,),
                "IND",
                time_period="29",
                quantity_qualifier="VS",
                quantity=Decimal(max(b.visit_limit - b.visits_used, 0)),
            )
        )
    return found
