"""The bad-input corpus: damaged import bundles, payer profiles and X12 files, each fed to the command
that reads it. Every one is either still valid or refused with one line per problem naming the file,
exit 2, and the database unchanged (its SQL dump compared). GROUPBILL_FUZZ_EXAMPLES sets the cases per
kind (`make fuzz`: 1,000; `make test`: a short run)."""

import copy
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.profiles import PAYERS_DIR
from tasks.daily.pipeline import Window, draft
from tasks.importing import import_bundle
from tasks.runtime import dispose_engines, engine_for
from tasks.synthetic import generate_practice
from tests.conftest import TODAY
from tests.fuzz.harness import Groupbill
from tests.fuzz.mutate import damaged_json, damaged_x12, damaged_yaml

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("GROUPBILL_TEST_POSTGRES_URL")),
    reason="input handling, not the database engine: the SQLite run covers it (the dump is SQLite's)",
)
EXAMPLES = int(os.environ.get("GROUPBILL_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
X12_FILES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "x12").glob("*.x12"))
PRACTICE = generate_practice(seed=7, today=TODAY)


def _as_real_exports_write_it(bundle: dict) -> dict:
    """The generator's bundle with shapes real EHR exports have: local timestamps without an offset, state
    licence titles, a patient listed twice on a roster, no-shows and interactive-complexity factors."""
    data = copy.deepcopy(bundle)
    data["exported_at"] = "2026-11-27T05:00:00"
    titles = {"LPC": "LCPC", "LCSW": "LISW"}
    for provider in data["providers"]:
        provider["credential"] = titles.get(provider["credential"], provider["credential"])
    held = [s for s in data["sessions"] if s["status"] == "held"]
    attended = [a for s in held for a in s["attendance"] if a.get("note")]
    attended[0]["note"]["signed_at"] = "2026-11-21T15:20:00"
    attended[1].update(interactive_complexity=True, interactive_complexity_factors=["sentinel_event"])
    held[0]["attendance"].append(copy.deepcopy(held[0]["attendance"][0]))
    held[1]["attendance"][-1] = {"patient_id": held[1]["attendance"][-1]["patient_id"], "status": "no_show"}
    return data


BUNDLE = _as_real_exports_write_it(PRACTICE.bundle.model_dump(mode="json"))
PROFILES = sorted(p.name for p in PAYERS_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def groupbill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Groupbill]:
    """A practice database with the synthetic practice imported and its claims drafted."""
    from models.db import session_scope

    folder = tmp_path_factory.mktemp("fuzz")
    template = folder / "template.db"
    engine = engine_for(f"sqlite:///{template}")
    with session_scope(engine) as session:
        import_bundle(session, PRACTICE.bundle)
    draft(engine, Window(None, None, TODAY), source="fuzz")
    dispose_engines()
    runner = Groupbill(folder, template)
    yield runner
    print("\n" + "\n".join(runner.summary()))  # noqa: T201 (the counts are what `make fuzz` reports)


@FUZZ
@given(data=damaged_json(BUNDLE))
def test_damaged_bundles(groupbill: Groupbill, data: bytes) -> None:
    path = groupbill.folder / "bundle.json"
    path.write_bytes(data)
    groupbill.run("bundle", path, "import", str(path))


@FUZZ
@given(data=st.data())
def test_damaged_payer_profiles(groupbill: Groupbill, data: st.DataObject) -> None:
    folder = groupbill.folder / "payers"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(PAYERS_DIR, folder)
    name = data.draw(st.sampled_from(PROFILES))
    (folder / name).write_bytes(data.draw(damaged_yaml((PAYERS_DIR / name).read_text())))
    # scrub writes findings and statuses when the profiles are good: a bad one must stop it first
    groupbill.run(
        "profile", folder, "scrub", "--session", "GRP-SUD-20261125", env={"GROUPBILL_PAYERS_DIR": str(folder)}
    )


@FUZZ
@given(data=st.data())
def test_damaged_x12_files(groupbill: Groupbill, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(X12_FILES))
    path = groupbill.folder / source.name
    path.write_bytes(data.draw(damaged_x12(source.read_text())))
    if source.name.startswith("278_partial"):
        groupbill.run("x12", path, "auths", "apply-278", str(path))
    else:
        groupbill.run("x12", path, "x12", "parse", str(path))


def test_the_corpus_is_not_trivially_valid(groupbill: Groupbill) -> None:
    """Most damaged inputs must be refused, or the fuzzer is not exercising the error paths."""
    for kind in ("bundle", "profile", "x12"):
        cases = groupbill.stats[f"{kind}:cases"]
        assert cases >= EXAMPLES * 0.8, (kind, cases)
        assert groupbill.stats[f"{kind}:rejected"] >= cases * 0.3, (kind, dict(groupbill.stats))


def test_valid_json_sanity() -> None:
    assert json.loads(json.dumps(BUNDLE))["practice"]["id"] == "PRACTICE-1"


def test_the_real_export_shapes_import_before_they_are_damaged(groupbill: Groupbill) -> None:
    path = groupbill.folder / "undamaged.json"
    path.write_text(json.dumps(BUNDLE))
    before = groupbill.stats["bundle:accepted"]
    groupbill.run("bundle", path, "import", str(path))
    assert groupbill.stats["bundle:accepted"] == before + 1
    shapes = json.dumps(BUNDLE)
    assert all(s in shapes for s in ('"LCPC"', '"LISW"', '"no_show"', '"sentinel_event"', '"2026-11-21T15:20:00"'))


def test_only_the_command_s_own_thread_is_captured() -> None:
    import io
    import threading

    from tests.fuzz.harness import _ThisThread

    mine, others = io.StringIO(), io.StringIO()
    stream = _ThisThread(mine, others)  # type: ignore[arg-type]
    stream.write("error: bundle.json: bad\n")
    worker = threading.Thread(target=lambda: stream.write("a Prefect service's warning\n"))
    worker.start()
    worker.join()
    assert mine.getvalue() == "error: bundle.json: bad\n" and others.getvalue() == "a Prefect service's warning\n"
