"""The value objects behind the golden X12 files in tests/fixtures/x12/ (synthetic people only).

Regenerate the files after a deliberate format change with:
    GROUPBILL_REGENERATE_GOLDENS=1 pytest tests/tasks/x12/test_goldens.py
and review the diff: every byte of these files is a promise about what goes on the wire.
"""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D

from tasks.x12 import ack277 as a277
from tasks.x12 import ack999 as a999
from tasks.x12 import auth278 as au
from tasks.x12 import claim837_model as x
from tasks.x12 import eligibility_model as el
from tasks.x12 import remit835_model as r
from tasks.x12.ack277 import write_277ca
from tasks.x12.ack999 import write_999
from tasks.x12.claim837_writer import write_837p
from tasks.x12.eligibility_writer import write_270, write_271
from tasks.x12.envelope import Header
from tasks.x12.remit835_writer import write_835
from tasks.x12.status276 import write_276
from tasks.x12.status277 import write_277
from tasks.x12.status_model import StatusRequest, StatusResponse

CREATED = datetime(2026, 11, 27, 6, 0)
DOS = date(2026, 11, 24)
BILLING = x.BillingProvider(
    "RIVERBEND BEHAVIORAL HEALTH",
    "1234567893",
    "371234567",
    "261QM0801X",
    x.Address("400 RIVER RD STE 200", "SPRINGFIELD", "IL", "627011234"),
)
SUBMITTER = x.Submitter("RIVERBEND BEHAVIORAL HEALTH", "GROUPBILL", "BILLING DESK", "2175550100")
RECEIVER = x.Receiver("SANDBOX CLEARINGHOUSE", "SANDBOX")
ACME = x.Payer("ACME HEALTH PLAN", "SACME1")
MEDICARE = x.Payer("MEDICARE PART B", "SMCR01")
LEADER = x.Rendering("SMITH", "ALEX", "1987654328", "1041C0700X")
JANE = x.Person("DOE", "JANE", date(1980, 1, 1), "F", x.Address("1 ELM ST", "SPRINGFIELD", "IL", "627020000"))
OTTO = x.Person("OAK", "OTTO", date(1950, 3, 4), "M", x.Address("9 BIRCH RD", "SPRINGFIELD", "IL", "627030000"))
PARENT = x.Person("ROE", "PAT", date(1975, 5, 6), "M")
CHILD = x.Person("ROE", "RILEY", date(2010, 7, 8), "F", x.Address("5 ASH CT", "SPRINGFIELD", "IL", "627040000"))


def _line(code: str, charge: str, pcn: str, n: int, modifiers: tuple[str, ...] = ()) -> x.ServiceLine:
    return x.ServiceLine(code, D(charge), 1, (1, 2) if code == "90853" else (1,), DOS, f"{pcn}L{n}", modifiers)


def _claim(pcn: str, subscriber: x.Subscriber, **kw: object) -> x.Claim:
    lines = kw.pop("lines", (_line("90853", "75", pcn, 1),))
    fields = {"place_of_service": "11", "frequency": "1", "diagnoses": ("F331", "F411"), "rendering": LEADER}
    fields.update(kw)
    charge = sum((line.charge for line in lines), D(0))  # type: ignore[attr-defined]
    return x.Claim(pcn, charge, lines=lines, billing=BILLING, subscriber=subscriber, **fields)  # type: ignore[arg-type]


def _batch(control: int, *claims: x.Claim) -> x.Batch:
    return x.Batch(Header("GROUPBILL", "SANDBOX", control, CREATED), SUBMITTER, RECEIVER, f"BATCH{control}", claims)


JANE_ACME = x.Subscriber("W123456789", JANE, ACME, "CI", "GRP4411")
OTTO_MCR = x.Subscriber("1EG4TE5MK72", OTTO, MEDICARE, "MB")
PARENT_ACME = x.Subscriber("W987654321", PARENT, ACME, "CI", "GRP4411")


def claims_837() -> dict[str, x.Batch]:
    """Group claim with 90785, telehealth with 95, patient not subscriber, replacement with REF*F8."""
    pcn = "GB0000000101"
    return {
        "837p_group_with_addon": _batch(
            101,
            _claim(
                pcn,
                JANE_ACME,
                prior_authorization="PA44100231",
                lines=(_line("90853", "75", pcn, 1), _line("90785", "20", pcn, 2)),
            ),
        ),
        "837p_telehealth_95": _batch(
            102,
            _claim(
                "GB0000000102",
                OTTO_MCR,
                place_of_service="10",
                lines=(_line("90853", "75", "GB0000000102", 1, ("95",)),),
            ),
        ),
        "837p_patient_not_subscriber": _batch(
            103, _claim("GB0000000103", PARENT_ACME, patient=x.Dependent("19", CHILD))
        ),
        "837p_replacement": _batch(
            104, _claim("GB0000000104", JANE_ACME, frequency="7", payer_claim_number="ACM2026112400017")
        ),
    }


def _responses(*responses: el.EligibilityResponse) -> el.ResponseBatch:
    return el.ResponseBatch(
        Header("SACME1", "GROUPBILL", 201, CREATED),
        "ELIG201",
        ACME,
        el.InformationReceiver("RIVERBEND BEHAVIORAL HEALTH", "1234567893"),
        responses,
    )


def eligibility() -> dict[str, object]:
    """A 270 and three 271s: MH benefits, inactive coverage, AAA rejection."""
    jane = x.Person("DOE", "JANE", date(1980, 1, 1), "F")
    mh = (
        el.Benefit("1", ("30", "MH"), "IND", "C1", "ACME GOLD PPO"),
        el.Benefit("B", ("MH",), "IND", time_period="27", amount=D("20"), in_network="Y"),
        el.Benefit("A", ("MH",), "IND", time_period="27", percent=D("0.1"), in_network="Y"),
        el.Benefit("C", ("MH",), "IND", time_period="29", amount=D("250"), in_network="Y"),
        el.Benefit(
            "F",
            ("MH",),
            "IND",
            time_period="23",
            quantity_qualifier="VS",
            quantity=D("30"),
            messages=("GROUP THERAPY COUNTS TOWARD VISIT LIMIT",),
        ),
        el.Benefit("1", ("A6",), "IND", auth_required="Y"),
    )
    inquiry = el.InquiryBatch(
        Header("GROUPBILL", "SACME1", 200, CREATED),
        "ELIG200",
        ACME,
        el.InformationReceiver("RIVERBEND BEHAVIORAL HEALTH", "1234567893"),
        "9371234567",
        (
            el.Inquiry("TRC200A", "W123456789", jane, DOS),
            el.Inquiry(
                "TRC200B",
                "W987654321",
                x.Person("ROE", "PAT", date(1975, 5, 6), "M"),
                DOS,
                "MH",
                x.Person("ROE", "RILEY", date(2010, 7, 8), "F"),
            ),
        ),
    )
    return {
        "270_inquiry": inquiry,
        "271_mh_benefits": _responses(
            el.EligibilityResponse("TRC200A", "W123456789", jane, None, date(2026, 1, 1), None, mh)
        ),
        "271_inactive": _responses(
            el.EligibilityResponse(
                "TRC200A",
                "W123456789",
                jane,
                None,
                date(2024, 1, 1),
                date(2026, 10, 31),
                (el.Benefit("6", ("30",), "IND"),),
            )
        ),
        "271_aaa_rejected": _responses(
            el.EligibilityResponse("TRC200A", "W123456780", jane, errors=(el.RequestError("72", "C", "2100C"),)),
            el.EligibilityResponse("TRC200B", "W111111111", PARENT, errors=(el.RequestError("75", "N", "2100C"),)),
        ),
    }


def acknowledgments() -> dict[str, object]:
    """999 accepted and rejected; 277CA accepted and rejected."""
    header = Header("SANDBOX", "GROUPBILL", 301, CREATED)
    ok = a999.SetAck("837", "0001", "A", "005010X222A1")
    bad = a999.SetAck(
        "837",
        "0001",
        "R",
        "005010X222A1",
        ("5",),
        (a999.SegmentError("NM1", 17, "2010", "8", (a999.ElementError(9, "7", "67", "W12"),)),),
    )
    claim = a277.ClaimAck(
        "GB0000000101",
        (a277.StatusInfo("A2", "20", "PR", date(2026, 11, 27), "WQ", D("95")),),
        "RIVERBEND BEHAVIORAL HEALTH",
        "1234567893",
        "DOE",
        "JANE",
        "W123456789",
        "ACM2026112700101",
        DOS,
    )
    rejected = a277.ClaimAck(
        "GB0000000103",
        (
            a277.StatusInfo("A7", "562", "85", date(2026, 11, 27), "U", D("75")),
            a277.StatusInfo("A7", "21", "IL", date(2026, 11, 27), "U", D("75")),
        ),
        "RIVERBEND BEHAVIORAL HEALTH",
        "1234567893",
        "ROE",
        "RILEY",
        "W987654321",
        None,
        DOS,
    )

    def ack277(*claims: a277.ClaimAck) -> a277.Ack277:
        return a277.Ack277(
            Header("SANDBOX", "GROUPBILL", 302, CREATED),
            "ACK302",
            "SANDBOX CLEARINGHOUSE",
            "SANDBOX",
            "RIVERBEND BEHAVIORAL HEALTH",
            "GROUPBILL",
            date(2026, 11, 26),
            claims,
        )

    return {
        "999_accepted": a999.Ack999(header, (a999.GroupAck("HC", "101", "A", "005010X222A1", (ok,)),)),
        "999_rejected": a999.Ack999(header, (a999.GroupAck("HC", "101", "R", "005010X222A1", (bad,)),)),
        "277ca_accepted": ack277(claim),
        "277ca_rejected": ack277(rejected),
    }


def _svc(
    pcn: str,
    paid: str,
    adjustments: tuple[r.Adjustment, ...],
    remarks: tuple[str, ...] = (),
    allowed: str | None = None,
) -> r.ServicePayment:
    return r.ServicePayment(
        "90853", D("75"), D(paid), D("1"), (), DOS, f"{pcn}L1", adjustments, remarks, D(allowed) if allowed else None
    )


def _pay(*claims: r.ClaimPayment, plb: tuple[r.ProviderAdjustment, ...] = ()) -> r.Remittance:
    total = sum((c.paid for c in claims), D(0)) - sum((p.amount for p in plb), D(0))
    payment = r.Payment(
        "ACME HEALTH PLAN",
        "SACME1",
        x.Address("1 PAYER WAY", "HARTFORD", "CT", "061010000"),
        "8005550100",
        "RIVERBEND BEHAVIORAL HEALTH",
        "1234567893",
        "EFT20261204",
        "1999999999",
        total,
        "CHK" if total else "NON",
        date(2026, 12, 4),
        claims,
        plb,
        "371234567",
    )
    return r.Remittance(Header("SACME1", "GROUPBILL", 401, CREATED), (payment,))


def remittances() -> dict[str, r.Remittance]:
    """835: paid, partly paid with a PR copay, denied CO-197, and a PLB."""
    co, pr = "CO", "PR"
    paid = r.ClaimPayment(
        "GB0000000101",
        "1",
        D("75"),
        D("48"),
        D("0"),
        "12",
        "ACM2026112700101",
        "11",
        "1",
        "DOE",
        "JANE",
        "W123456789",
        (),
        (_svc("GB0000000101", "48", (r.Adjustment(co, "45", D("27")),), allowed="48"),),
    )
    partly = r.ClaimPayment(
        "GB0000000102",
        "1",
        D("75"),
        D("28"),
        D("20"),
        "12",
        "ACM2026112700102",
        "11",
        "1",
        "OAK",
        "OTTO",
        "W555000111",
        (),
        (_svc("GB0000000102", "28", (r.Adjustment(co, "45", D("27")), r.Adjustment(pr, "3", D("20")))),),
    )
    denied = r.ClaimPayment(
        "GB0000000103",
        "4",
        D("75"),
        D("0"),
        D("0"),
        "12",
        "ACM2026112700103",
        "11",
        "1",
        "ROE",
        "RILEY",
        "W987654321",
        (),
        (_svc("GB0000000103", "0", (r.Adjustment(co, "197", D("75")),), ("N54",)),),
    )
    return {
        "835_paid": _pay(paid),
        "835_partly_paid_pr_copay": _pay(partly),
        "835_denied_co197": _pay(denied),
        "835_plb": _pay(
            paid, partly, plb=(r.ProviderAdjustment("1234567893", date(2026, 12, 31), "WO", D("12.5"), "OVERPAY2026"),)
        ),
    }


WRITERS = {
    x.Batch: write_837p,
    el.InquiryBatch: write_270,
    el.ResponseBatch: write_271,
    a999.Ack999: write_999,
    a277.Ack277: write_277ca,
    r.Remittance: write_835,
    au.Review: au.write_278,
    StatusRequest: write_276,
    StatusResponse: write_277,
}


def reviews_278() -> dict[str, object]:
    """A renewal request and the payer's partial certification of it."""
    request = au.Review(
        Header("GROUPBILL", "ACME01", 301, CREATED),
        "RENEW7",
        "ACME HEALTH",
        "ACME01",
        "RIVERBEND BEHAVIORAL HEALTH",
        "1234567893",
        x.Person("DOE", "JANE", date(1980, 1, 1), "F"),
        "W123456789",
        "GBAUTH7",
        "R",
        "MH",
        "11",
        "90853",
        date(2026, 12, 15),
        date(2027, 3, 14),
        12,
        "1987654328",
    )
    decision = au.Decision("A6", "PA55100999", None, date(2026, 12, 15), date(2027, 2, 28), 8)
    response = replace(request, header=Header("ACME01", "GROUPBILL", 302, CREATED), decision=decision)
    return {"278_renewal_request": request, "278_partial_certification": response}


def all_goldens() -> dict[str, object]:
    """Every golden file's name and its object."""
    from tests.tasks.x12.goldens_cob import claims_837_cob, remittance_secondary
    from tests.tasks.x12.goldens_status import claim_status

    found = {**claims_837(), **eligibility(), **acknowledgments(), **remittances(), **reviews_278()}
    return found | claims_837_cob() | remittance_secondary() | claim_status()


def render(obj: object) -> str:
    """The X12 text of a golden object."""
    return WRITERS[type(obj)](obj)  # type: ignore[operator]
