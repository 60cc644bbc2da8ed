"""Write a checked bundle: insert what is new, update what changed, leave the rest untouched.

Records are matched by the source system's IDs (or a natural key for records that have none),
so importing the same file twice changes nothing. Nothing is deleted: an export may be partial.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Table
from sqlmodel import Session, SQLModel, col, select

from models.bundle import Bundle, PatientRecord, ProgramRecord, ProviderRecord, SessionRecord
from models.enums import SessionStatus
from models.patients import Authorization, Coverage, Patient, TreatmentPlan
from models.practice import Payer, PayerEnrollment, Practice, Provider, ProviderLicense
from models.sessions import Attendance, GroupProgram, GroupSession, OtherService, ProgressNote, SessionCoLeader
from tasks.importing import mapping as m
from tasks.importing.references import roster_occurrences


@dataclass
class TableCounts:
    """How many rows of one table the import created, updated or left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did, in IDs and counts only."""

    practice_id: int = 0
    counts: dict[str, TableCounts] = field(default_factory=dict)
    scheduled_session_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when any row was created or updated."""
        return any(c.created or c.updated for c in self.counts.values())


def import_bundle(session: Session, bundle: Bundle) -> ImportReport:
    """Upsert every record of `bundle` into the open session; the caller commits."""
    return _Importer(session).run(bundle)


class _Importer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.report = ImportReport()
        self.indexes: dict[type[SQLModel], dict[tuple[Any, ...], Any]] = {}
        self.ids: dict[str, dict[str, int]] = {}

    def run(self, bundle: Bundle) -> ImportReport:
        practice = self.upsert(Practice, {"source_id": bundle.practice.id}, m.practice_values(bundle.practice))
        self.session.flush()
        self.pid = self.report.practice_id = practice.id
        payers = {p.id: self.sourced(Payer, p.id, m.payer_values(p)) for p in bundle.payers}
        providers = {p.id: self.sourced(Provider, p.id, m.provider_values(p)) for p in bundle.providers}
        self.remember(payer=payers, provider=providers)
        for provider in bundle.providers:
            self.provider_children(provider)
        self.remember(patient={p.id: self.sourced(Patient, p.id, m.patient_values(p)) for p in bundle.patients})
        for patient in bundle.patients:
            self.patient_children(patient)
        self.remember(program={p.id: self.sourced(GroupProgram, p.id, m.program_values(p)) for p in bundle.programs})
        for auth in bundle.authorizations:
            self.sourced(Authorization, auth.id, m.authorization_values(auth, self.ids))
        programs = {p.id: p for p in bundle.programs}
        for record in bundle.sessions:
            self.group_session(record, programs[record.program_id])
        for svc in bundle.other_services:
            self.sourced(OtherService, svc.id, m.other_service_values(svc, self.ids))
        self.session.flush()
        return self.report

    def remember(self, **rows_by_kind: dict[str, Any]) -> None:
        """Flush new rows and note their database IDs by source ID."""
        self.session.flush()
        for kind, rows in rows_by_kind.items():
            self.ids[kind] = {source_id: row.id for source_id, row in rows.items()}

    def provider_children(self, record: ProviderRecord) -> None:
        provider_id = self.ids["provider"][record.id]
        for lic in record.licenses:
            key = {"provider_id": provider_id, "state": lic.state, "number": lic.number}
            self.upsert(ProviderLicense, key, {"valid_from": lic.valid_from, "valid_to": lic.valid_to})
        for enr in record.enrollments:
            payer_id = self.ids["payer"][enr.payer_id]
            key = {"provider_id": provider_id, "payer_id": payer_id, "valid_from": enr.valid_from}
            self.upsert(PayerEnrollment, key, {"valid_to": enr.valid_to})

    def patient_children(self, record: PatientRecord) -> None:
        patient_id = self.ids["patient"][record.id]
        for cov in record.coverages:
            self.sourced(Coverage, cov.id, m.coverage_values(cov, patient_id, self.ids))
        for plan in record.treatment_plans:
            self.sourced(TreatmentPlan, plan.id, m.treatment_plan_values(plan, patient_id))

    def group_session(self, record: SessionRecord, program: ProgramRecord) -> None:
        before = self.report.counts.get("groupsession", TableCounts())
        touched = before.created + before.updated
        row = self.sourced(GroupSession, record.id, m.session_values(record, program, self.ids))
        self.session.flush()
        after = self.report.counts["groupsession"]
        if row.status is SessionStatus.SCHEDULED and after.created + after.updated > touched:
            self.report.scheduled_session_ids.append(row.id)
        for provider_source_id in record.co_leader_ids:
            key = {"session_id": row.id, "provider_id": self.ids["provider"][provider_source_id]}
            self.upsert(SessionCoLeader, key, {})
        for att, occurrence in zip(record.attendance, roster_occurrences(record), strict=True):
            key = {"session_id": row.id, "patient_id": self.ids["patient"][att.patient_id], "occurrence": occurrence}
            attendance = self.upsert(Attendance, key, m.attendance_values(att, self.ids))
            if att.note is not None:
                self.session.flush()
                note_key = {"attendance_id": attendance.id}
                self.upsert(ProgressNote, note_key, m.note_values(att.note, self.ids))

    def sourced(self, model: type[SQLModel], source_id: str, values: Mapping[str, Any]) -> Any:
        """Upsert a record that carries the source system's ID."""
        return self.upsert(model, {"practice_id": self.pid, "source_id": source_id}, values)

    def upsert(self, model: type[SQLModel], key: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
        """Find the row by `key`; create it, update the fields that differ, or leave it."""
        counts = self.report.counts.setdefault(model.__tablename__, TableCounts())  # type: ignore[arg-type]
        index = self._index(model, tuple(key))
        row = index.get(tuple(key.values()))
        if row is None:
            row = model(**key, **values)
            self.session.add(row)
            index[tuple(key.values())] = row
            counts.created += 1
            return row
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        for name, value in changed.items():
            setattr(row, name, value)
        counts.updated += bool(changed)
        counts.unchanged += not changed
        return row

    def _index(self, model: type[SQLModel], key_fields: tuple[str, ...]) -> dict[tuple[Any, ...], Any]:
        """Existing rows of `model` in this practice, by key, loaded once per import."""
        if model not in self.indexes:
            query = select(model)
            scope = self._scope(model)
            if scope is not None:
                query = query.where(scope)
            rows = self.session.exec(query).all()
            self.indexes[model] = {tuple(getattr(r, f) for f in key_fields): r for r in rows}
        return self.indexes[model]

    def _scope(self, model: type[SQLModel]) -> ColumnElement[bool] | None:
        if model is Practice:
            return None
        table: Table = model.__table__  # type: ignore[attr-defined]
        if "practice_id" in table.c:
            in_practice: ColumnElement[bool] = table.c.practice_id == self.pid
            return in_practice
        provider_ids = select(Provider.id).where(Provider.practice_id == self.pid)
        session_ids = select(GroupSession.id).where(GroupSession.practice_id == self.pid)
        attendance_ids = select(Attendance.id).where(col(Attendance.session_id).in_(session_ids))
        scopes: dict[type[SQLModel], ColumnElement[bool]] = {
            ProviderLicense: col(ProviderLicense.provider_id).in_(provider_ids),
            PayerEnrollment: col(PayerEnrollment.provider_id).in_(provider_ids),
            SessionCoLeader: col(SessionCoLeader.session_id).in_(session_ids),
            Attendance: col(Attendance.session_id).in_(session_ids),
            ProgressNote: col(ProgressNote.attendance_id).in_(attendance_ids),
        }
        return scopes[model]
