"""Importing a practice bundle: all or nothing, idempotent, and exact about what is wrong."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from models.bundle import Bundle
from models.claims import Claim
from models.db import session_scope
from models.errors import BundleError
from models.patients import Coverage, Patient
from models.sessions import Attendance, GroupSession, ProgressNote
from tasks.importing import import_bundle, load_bundle
from tasks.synthetic import SyntheticPractice
from tests.databases import every_row


def _write(tmp_path: Path, data: object, name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_valid_bundle_imports_every_record(engine: Engine, practice: SyntheticPractice, imported) -> None:
    bundle = practice.bundle
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Patient)).one() == len(bundle.patients)
        assert s.exec(select(func.count()).select_from(GroupSession)).one() == len(bundle.sessions)
        assert s.exec(select(func.count()).select_from(Attendance)).one() == sum(
            len(x.attendance) for x in bundle.sessions
        )
        notes = sum(1 for x in bundle.sessions for a in x.attendance if a.note)
        assert s.exec(select(func.count()).select_from(ProgressNote)).one() == notes
    assert imported.counts["patient"].created == len(bundle.patients)
    assert imported.changed
    assert len(imported.scheduled_session_ids) == sum(x.status == "scheduled" for x in bundle.sessions)


def test_reimporting_the_same_bundle_changes_nothing(engine: Engine, practice: SyntheticPractice, imported) -> None:
    before = every_row(engine)
    with session_scope(engine) as s:
        again = import_bundle(s, practice.bundle)
    assert not again.changed
    assert again.scheduled_session_ids == []
    assert every_row(engine) == before


def test_a_changed_record_is_updated_in_place(engine: Engine, bundle_data: dict, imported) -> None:
    bundle_data["patients"][0]["coverages"][0]["member_id"] = "NEWID123"
    bundle_data["sessions"][0]["attendance"][0]["status"] = "absent"
    with session_scope(engine) as s:
        report = import_bundle(s, Bundle.model_validate(bundle_data))
    assert (report.counts["coverage"].updated, report.counts["attendance"].updated) == (1, 1)
    assert report.counts["coverage"].created == 0
    with Session(engine) as s:
        cov = s.exec(
            select(Coverage).where(Coverage.source_id == bundle_data["patients"][0]["coverages"][0]["id"])
        ).one()
        assert cov.member_id == "NEWID123"


def test_load_bundle_reads_what_the_generator_wrote(tmp_path: Path, practice: SyntheticPractice) -> None:
    path = _write(tmp_path, practice.bundle.model_dump(mode="json"))
    assert load_bundle(path) == practice.bundle


BROKEN = {
    "unknown patient reference": (
        lambda b: b["sessions"][3]["attendance"][1].update(patient_id="PAT-9999"),
        "sessions[3].attendance[1].patient_id: unknown patient 'PAT-9999'",
    ),
    "bad date": (
        lambda b: b["patients"][2].update(birth_date="1980-02-31"),
        "patients[2].birth_date: Input should be a valid date",
    ),
    "missing field": (lambda b: b["payers"][1].pop("x12_payer_id"), "payers[1].x12_payer_id: Field required"),
    "unknown field": (
        lambda b: b["programs"][0].update(colour="blue"),
        "programs[0].colour: Extra inputs are not permitted",
    ),
    "bad enum": (
        lambda b: b["sessions"][0]["attendance"][0].update(status="asleep"),
        "sessions[0].attendance[0].status: Input should be",
    ),
    "duplicate id": (
        lambda b: b["programs"].append(dict(b["programs"][0], name="Copy")),
        "programs[6].id: duplicate programs id 'GRP-DBT' (first at programs[0])",  # four groups, two COB groups
    ),
    "dates out of order": (
        lambda b: b["authorizations"][0].update(end_date="2020-01-01"),
        "authorizations[0].end_date: authorization ends (2020-01-01) before it starts",
    ),
    "service times out of order": (
        lambda b: b["other_services"][0].update(start_time="09:00:00", end_time="08:00:00"),
        "other_services[0].end_time: service ends (08:00:00) before it starts (09:00:00)",
    ),
    "lower-case sex": (
        lambda b: b["patients"][0].update(sex="f"),
        "patients[0].sex: Input should be 'F', 'M' or 'U' (got 'f')",
    ),
    "lower-case state": (
        lambda b: b["practice"]["address"].update(state="il"),
        "practice.address.state: String should match pattern '^[A-Z]{2}$' (got 'il')",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_each_kind_of_broken_bundle_is_one_clear_line(tmp_path: Path, bundle_data: dict, kind: str) -> None:
    breaks, expected = BROKEN[kind]
    breaks(bundle_data)
    path = _write(tmp_path, bundle_data)
    with pytest.raises(BundleError) as err:
        load_bundle(path)
    assert len(err.value.lines) == 1, err.value.lines
    assert err.value.lines[0].startswith(f"{path}: ")
    assert expected in err.value.lines[0]


SCHEMA_KINDS = ("bad date", "missing field", "unknown field", "bad enum")
REFERENCE_KINDS = ("unknown patient reference", "duplicate id", "dates out of order")


@pytest.mark.parametrize("kinds", [SCHEMA_KINDS, REFERENCE_KINDS])
def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, bundle_data: dict, kinds) -> None:
    """Structure is checked first (all of it), then cross-references (all of them)."""
    for kind in kinds:
        BROKEN[kind][0](bundle_data)
    with pytest.raises(BundleError) as err:
        load_bundle(_write(tmp_path, bundle_data))
    assert len(err.value.lines) == len(kinds)
    for kind in kinds:
        assert sum(BROKEN[kind][1] in line for line in err.value.lines) == 1, kind


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"practice": ', "line 1 column 14: not valid JSON"),
        ("", "line 1 column 1: not valid JSON"),
        ("[1, 2]", "(top level): Input should be a valid dictionary"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
    ],
)
def test_unreadable_files_are_one_line(tmp_path: Path, content: str | bytes, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BundleError) as err:
        load_bundle(path)
    assert err.value.lines == [f"{path}: {expected}"] or expected in err.value.lines[0]
    assert len(err.value.lines) == 1


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BundleError) as err:
        load_bundle(tmp_path / "nope.json")
    assert err.value.lines == [f"{tmp_path / 'nope.json'}: file not found"]


def test_a_failing_import_leaves_the_database_unchanged(
    engine: Engine, practice: SyntheticPractice, imported, monkeypatch
) -> None:
    before = every_row(engine)
    from tasks.importing import write

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full halfway")

    changed = json.loads(practice.bundle.model_dump_json())
    changed["patients"][0]["last_name"] = "Changed"
    monkeypatch.setattr(write._Importer, "group_session", explode)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        import_bundle(s, Bundle.model_validate(changed))
    assert every_row(engine) == before


def test_timestamps_without_an_offset_are_the_practice_s_local_time(
    engine: Engine, tmp_path: Path, bundle_data: dict, monkeypatch
) -> None:
    """EHRs export wall-clock times (2026-11-21T15:20:00): read them where the practice is."""
    from datetime import UTC, datetime

    from config.settings import get_settings

    bundle_data["exported_at"] = "2026-11-27T05:00:00"
    session = next(s for s in bundle_data["sessions"] if any("note" in a for a in s["attendance"]))
    attendee = next(a for a in session["attendance"] if "note" in a)
    attendee["note"]["signed_at"] = "2026-11-21T15:20:00"
    path = _write(tmp_path, bundle_data)
    new_york = load_bundle(path)
    assert new_york.exported_at == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    monkeypatch.setenv("GROUPBILL_PRACTICE_TIMEZONE", "America/Chicago")
    get_settings.cache_clear()
    try:
        chicago = load_bundle(path)
    finally:
        monkeypatch.delenv("GROUPBILL_PRACTICE_TIMEZONE")
        get_settings.cache_clear()
    with session_scope(engine) as s:
        import_bundle(s, chicago)
    with Session(engine) as s:
        stored = {n.signed_at for n in s.exec(select(ProgressNote))}
    assert datetime(2026, 11, 21, 21, 20, tzinfo=UTC) in stored


def test_a_local_timestamp_needs_a_time_zone_to_be_read_in(bundle_data: dict) -> None:
    from pydantic import ValidationError

    bundle_data["exported_at"] = "2026-11-27T05:00:00"
    with pytest.raises(ValidationError, match="no UTC offset and no practice time zone"):
        Bundle.model_validate(bundle_data)


def test_a_no_show_imports_as_an_absence(engine: Engine, tmp_path: Path, bundle_data: dict) -> None:
    """EHRs say `no_show`: nothing to bill, nothing to verify, kept as the EHR said it."""
    from config.fees import load_fee_schedule
    from models.enums import AttendanceStatus
    from tasks.claims.drafting import draft_claims
    from tasks.eligibility.roster import roster_coverage_dates

    held = next(s for s in bundle_data["sessions"] if s["status"] == "held" and s["program_id"] != "GRP-TEL")
    attendee = next(a for a in held["attendance"] if a["status"] == "present")
    attendee.update(status="no_show")
    attendee.pop("note", None)
    with session_scope(engine) as s:
        report = import_bundle(s, load_bundle(_write(tmp_path, bundle_data)))
        draft_claims(s, report.practice_id, load_fee_schedule(), source="test")
    with Session(engine) as s:
        session_id = s.exec(select(GroupSession.id).where(GroupSession.source_id == held["id"])).one()
        no_show = s.exec(select(Attendance).where(Attendance.status == AttendanceStatus.NO_SHOW)).all()
        on_roster = roster_coverage_dates(s, [session_id])
        claimed = s.exec(select(Claim.attendance_id)).all()
    assert [a.session_id for a in no_show if a.session_id == session_id]
    mine = next(a.id for a in no_show if a.session_id == session_id)
    assert mine not in on_roster and mine not in claimed


def test_a_state_licence_title_imports_as_its_credential_family(
    engine: Engine, tmp_path: Path, bundle_data: dict
) -> None:
    """Illinois licenses counsellors as LCPC; payers and the taxonomy map know them as LPC."""
    from models.enums import Credential
    from models.practice import Provider

    titles = {"LCPC": Credential.LPC, "LISW": Credential.LCSW, "LPCC": Credential.LPC, "LCADC": Credential.LADC}
    for provider, title in zip(bundle_data["providers"], titles, strict=False):
        provider["credential"] = title
    with session_scope(engine) as s:
        import_bundle(s, load_bundle(_write(tmp_path, bundle_data)))
    with Session(engine) as s:
        stored = {p.source_id: p.credential for p in s.exec(select(Provider))}
    assert [stored[p["id"]] for p in bundle_data["providers"][:4]] == list(titles.values())


def test_an_unknown_credential_is_one_line_listing_what_is_known(tmp_path: Path, bundle_data: dict) -> None:
    bundle_data["providers"][1]["credential"] = "LXYZ"
    path = _write(tmp_path, bundle_data)
    with pytest.raises(BundleError) as err:
        load_bundle(path)
    (line,) = err.value.lines
    assert line.startswith(f"{path}: providers[1].credential: unknown credential or licence title 'LXYZ'; known: MD, ")
    assert "LCPC" in line and "(got 'LXYZ')" in line


def test_a_patient_listed_twice_on_a_roster_is_imported_as_two_rows_with_a_warning(
    engine: Engine, tmp_path: Path, bundle_data: dict
) -> None:
    """EHR exports do this; refusing the practice's whole bundle for it stopped every claim."""
    from tasks.importing import roster_warnings

    roster = bundle_data["sessions"][1]["attendance"]
    roster.append(dict(roster[0]))
    bundle = load_bundle(_write(tmp_path, bundle_data))
    assert roster_warnings(bundle) == [
        (
            f"sessions[1].attendance[{len(roster) - 1}].patient_id",
            f"patient {roster[0]['patient_id']!r} is already on this roster at [0]: imported as another row; "
            "if both attended, the scrubber holds the second claim (DUP_ rules)",
        )
    ]
    for _ in range(2):  # again: the same two rows, nothing new
        with session_scope(engine) as s:
            import_bundle(s, bundle)
    with Session(engine) as s:
        rows = s.exec(
            select(Attendance.occurrence)
            .join(GroupSession, Attendance.session_id == GroupSession.id)
            .join(Patient, Attendance.patient_id == Patient.id)
            .where(GroupSession.source_id == bundle_data["sessions"][1]["id"])
            .where(Patient.source_id == roster[0]["patient_id"])
        ).all()
    assert sorted(rows) == [0, 1]


def test_a_practice_names_its_clearinghouse_connection(engine: Engine, bundle_data: dict, imported, tmp_path) -> None:
    from models.practice import Practice

    bundle_data["practice"]["clearinghouse"] = "acme-mailbox"
    with session_scope(engine) as s:
        import_bundle(s, Bundle.model_validate(bundle_data))
    with Session(engine) as s:
        assert s.exec(select(Practice)).one().clearinghouse == "acme-mailbox"
    bundle_data["practice"]["clearinghouse"] = "Acme Mailbox!"
    with pytest.raises(BundleError) as err:
        load_bundle(_write(tmp_path, bundle_data))
    assert err.value.lines[0].split(": ", 1)[1].startswith("practice.clearinghouse: String should match pattern")
