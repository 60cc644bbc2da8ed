"""The claim status goldens (005010X212): a 276 asking about a subscriber's and a dependent's claims, and
a 277 answering one claim in each STC category family groupbill maps (A, P, F, R, E)."""

from datetime import date
from decimal import Decimal as D

from tasks.x12 import status_model as st
from tasks.x12.ack277_model import StatusInfo
from tasks.x12.claim837_model import Person
from tasks.x12.envelope import Header
from tests.tasks.x12.goldens import ACME, CREATED, DOS

JANE = Person("DOE", "JANE", date(1980, 1, 1), "F")  # a 276 names people and their birth dates, no addresses
PARENT = Person("ROE", "PAT")  # a dependent's subscriber is named, without demographics
CHILD = Person("ROE", "RILEY", date(2010, 7, 8), "F")

PROVIDER = st.Provider("RIVERBEND BEHAVIORAL HEALTH", "1234567893")
ASKED = date(2026, 12, 4)


def _inquiries() -> tuple[st.ClaimInquiry, ...]:
    jane = st.ClaimInquiry(
        "CS41",
        "GB0000000101",
        "W123456789",
        JANE,
        PROVIDER,
        D("95"),
        DOS,
        lines=(
            st.LineInquiry("90853", D("75"), DOS, line_control_number="GB0000000101L1"),
            st.LineInquiry("90785", D("20"), DOS, line_control_number="GB0000000101L2"),
        ),
    )
    riley = st.ClaimInquiry(
        "CS42",
        "GB0000000103",
        "W987654321",
        PARENT,
        PROVIDER,
        D("75"),
        DOS,
        patient=CHILD,
        payer_claim_number="ACM2026112700103",
    )
    return jane, riley


def _answer(trace: str, pcn: str, category: str, code: str, entity: str | None = None, **kw: object) -> st.ClaimStatus:
    status = StatusInfo(category, code, entity, ASKED)
    fields: dict[str, object] = {"patient_control_number": pcn, "charge": D("75.00"), "service_date": DOS}
    fields.update(kw)
    return st.ClaimStatus(trace, (status,), "W123456789", PROVIDER, "DOE", "JANE", **fields)  # type: ignore[arg-type]


def _answers() -> tuple[st.ClaimStatus, ...]:
    paid_line = st.LineStatus(
        "90853",
        D("75.00"),
        D("48.00"),
        (StatusInfo("F1", "65", None, ASKED),),
        line_control_number="GB1L1",
        service_date=DOS,
    )
    return (
        _answer(
            "CS51",
            "GB1",
            "F1",
            "65",
            paid=D("48.00"),
            adjudicated_on=date(2026, 11, 28),
            remitted_on=date(2026, 11, 30),
            remittance_trace="SACME1000000042",
            payer_claim_number="SACME1-GB1",
            lines=(paid_line,),
        ),
        _answer("CS52", "GB2", "F2", "88", "IL", paid=D("0.00"), adjudicated_on=date(2026, 11, 28)),
        _answer("CS53", "GB3", "A4", "35"),
        _answer("CS54", "GB4", "A7", "21", "IL"),
        _answer("CS55", "GB5", "A2", "20", "PR", payer_claim_number="SACME1-GB5"),
        _answer("CS56", "GB6", "P1", "20", "PR"),
        _answer("CS57", "GB7", "R4", "294", "1P"),
        _answer("CS58", "GB8", "E0", "21", "IL"),
        st.ClaimStatus(
            "CS59",
            (StatusInfo("P2", "46", None, ASKED),),
            "W987654321",
            PROVIDER,
            "ROE",
            "RILEY",
            "GB9",
            dependent=True,
            subscriber_last="ROE",
            subscriber_first="PAT",
        ),
    )


def claim_status() -> dict[str, object]:
    """The 276 and the 277 goldens."""
    request = st.StatusRequest(
        Header("GROUPBILL", "SACME1", 401, CREATED), "CSQ401", ACME, "RIVERBEND", "GROUPBILL", _inquiries()
    )
    response = st.StatusResponse(
        Header("SACME1", "GROUPBILL", 402, CREATED), "CSR402", ACME, "RIVERBEND", "GROUPBILL", _answers()
    )
    return {"276_status_request": request, "277_status_every_family": response}
