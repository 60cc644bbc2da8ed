"""A small billing database for coordination of benefits: one patient with Medicare first and Medicaid
second (optionally a commercial plan), one attended session, the primary's claim at the payer; and
835s written by our own writer, delivered through a stub clearinghouse."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal as D

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from models.claims import Claim, ClaimEvent, ClaimLine
from models.db import session_scope
from models.enums import AttendanceStatus, ClaimStatus, Credential, Modality, PayerSequence, SessionType, Sex
from models.patients import Coverage, Patient
from models.practice import Payer, Practice, Provider
from models.sessions import Attendance, GroupProgram, GroupSession
from tasks.clearinghouse.protocol import Report, ReportPage
from tasks.posting.collect import collect
from tasks.posting.common import Posting
from tasks.x12 import claim837_model as x
from tasks.x12 import remit835_model as r
from tasks.x12.envelope import Header
from tasks.x12.remit835_writer import write_835

DOS = date(2026, 11, 24)
PAYERS = {
    "MCR": ("Medicare Part B", "SMCR01", "MB", "medicare_part_b"),
    "MCD": ("Prairie State Medicaid", "SMCD01", "MC", "state_medicaid"),
    "ACME": ("Acme Health Plan", "SACME1", "CI", "commercial_acme"),
}


class Stub:
    """A clearinghouse that hands over each report once, in the order they were added."""

    def __init__(self) -> None:
        self.reports: list[Report] = []

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        start = int(cursor[1:]) if cursor and cursor.startswith("R") else 0
        return ReportPage(tuple(self.reports[start:]), f"R{len(self.reports)}")


@dataclass
class World:
    """The database, the stub, and the IDs of what was made."""

    engine: Engine
    ids: dict[str, int] = field(default_factory=dict)
    stub: Stub = field(default_factory=Stub)

    def post(self, payer: str, *claims: r.ClaimPayment, paid_on: date = date(2026, 12, 4)) -> Posting:
        """Deliver one 835 from `payer` with these claim payments and apply it."""
        name, payer_id, _, _ = PAYERS[payer]
        total = sum((c.paid for c in claims), D(0))
        n = len(self.stub.reports) + 1
        payment = r.Payment(
            name.upper(),
            payer_id,
            x.Address("1 PAYER WAY", "HARTFORD", "CT", "061010000"),
            "8005550100",
            "RIVERBEND",
            "1234567893",
            f"{payer_id}T{n}",
            "1999999999",
            total,
            "CHK" if total else "NON",
            paid_on,
            claims,
        )
        text = write_835(r.Remittance(Header(payer_id, "GROUPBILL", 500 + n, datetime(2026, 12, 4, 9)), (payment,)))
        self.stub.reports.append(Report(f"RPT{n}", "835", text))
        return collect(self.engine, self.stub, x12_codes(), source="test")  # type: ignore[arg-type]

    def claims(self) -> list[Claim]:
        """Every claim, oldest first."""
        with Session(self.engine) as s:
            return list(s.exec(select(Claim).order_by(col(Claim.id))))

    def claim(self, sequence: PayerSequence, status: ClaimStatus | None = None) -> Claim:
        """The newest claim at this sequence (in this status)."""
        found = [c for c in self.claims() if c.payer_sequence is sequence and (status is None or c.status is status)]
        return found[-1]


def pay(pcn: str, status: str, paid: str, adjustments: list[tuple[str, str, str]], **kw: object) -> r.ClaimPayment:
    """An 835 claim payment of one 90853 line charged 75.00, with these line adjustments."""
    cas = tuple(r.Adjustment(g, reason, D(a)) for g, reason, a in adjustments)
    patient = sum((D(a) for g, _, a in adjustments if g == "PR"), D(0))
    line = r.ServicePayment("90853", D("75"), D(paid), D(1), (), DOS, str(kw.pop("line", f"{pcn}L1")), cas)
    fields: dict[str, object] = {"remarks": (), "payer_claim_number": f"X-{pcn}"}
    fields.update(kw)
    return r.ClaimPayment(
        pcn,
        status,
        D("75"),
        D(paid),
        patient,
        "MB",
        fields["payer_claim_number"],  # type: ignore[arg-type]
        "11",
        "1",
        "OAK",
        "OTTO",
        None,
        (),
        (line,),
        remarks=fields["remarks"],  # type: ignore[arg-type]
    )


MEDICARE_PAID = [("CO", "45", "43.58"), ("PR", "2", "6.28")]


def build(engine: Engine, *coverages: str, status: ClaimStatus = ClaimStatus.ACCEPTED) -> World:
    """A patient covered by `coverages` in this order (payer keys of PAYERS), and the primary's claim."""
    world = World(engine)
    with session_scope(engine) as s:
        practice = Practice(
            source_id="P",
            name="Riverbend",
            npi="1234567893",
            ein="371234567",
            taxonomy="261QM0801X",
            address_line1="400 River Rd",
            city="Springfield",
            state="IL",
            zip_code="627011234",
        )
        s.add(practice)
        s.flush()
        pid = practice.id or 0
        payers = {}
        for key, (name, x12_id, filing, profile) in PAYERS.items():
            payers[key] = Payer(
                practice_id=pid,
                source_id=key,
                name=name,
                x12_payer_id=x12_id,
                claim_filing_indicator=filing,
                profile=profile,
            )
        patient = Patient(
            practice_id=pid,
            source_id="PAT",
            first_name="Otto",
            last_name="Oak",
            birth_date=date(1950, 3, 4),
            sex=Sex.MALE,
        )
        provider = Provider(
            practice_id=pid,
            source_id="DR",
            first_name="Alex",
            last_name="Smith",
            npi="1987654328",
            credential=Credential.LCSW,
            taxonomy="1041C0700X",
        )
        program = GroupProgram(
            practice_id=pid,
            source_id="G",
            name="Group",
            session_type=SessionType.PSYCHOTHERAPY,
            modality=Modality.IN_PERSON,
            place_of_service="11",
        )
        s.add_all([*payers.values(), patient, provider, program])
        s.flush()
        covs = [
            Coverage(
                practice_id=pid,
                source_id=f"C{n}",
                patient_id=patient.id or 0,
                payer_id=payers[key].id or 0,
                member_id=f"M{key}",
                priority=n,
            )
            for n, key in enumerate(coverages, start=1)
        ]
        group = GroupSession(
            practice_id=pid,
            source_id="S",
            program_id=program.id or 0,
            service_date=DOS,
            start_time=time(10),
            end_time=time(11),
            place_of_service="11",
            modality=Modality.IN_PERSON,
            session_type=SessionType.PSYCHOTHERAPY,
            leader_id=provider.id,
        )
        s.add_all([*covs, group])
        s.flush()
        attendance = Attendance(session_id=group.id or 0, patient_id=patient.id or 0, status=AttendanceStatus.PRESENT)
        s.add(attendance)
        s.flush()
        claim = Claim(
            practice_id=pid,
            attendance_id=attendance.id or 0,
            session_id=group.id or 0,
            patient_id=patient.id or 0,
            coverage_id=covs[0].id or 0,
            payer_id=covs[0].payer_id,
            rendering_provider_id=provider.id,
            service_date=DOS,
            patient_control_number="GB0000000001",
            status=status,
            place_of_service="11",
            diagnoses=["F33.1"],
            total_charge=D("75.00"),
            coverage_order=[c.id or 0 for c in covs],
        )
        s.add(claim)
        s.flush()
        s.add(
            ClaimLine(
                claim_id=claim.id or 0,
                line_number=1,
                cpt_code="90853",
                charge=D("75.00"),
                diagnosis_pointers=[1],
                line_control_number="GB0000000001L1",
            )
        )
        s.add(ClaimEvent(claim_id=claim.id or 0, to_status=status, source="test"))
        world.ids = {
            "claim": claim.id or 0,
            "patient": patient.id or 0,
            **{f"coverage_{key}": c.id or 0 for key, c in zip(coverages, covs, strict=True)},
            **{f"payer_{k}": p.id or 0 for k, p in payers.items()},
        }
    return world
