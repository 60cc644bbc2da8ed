"""The README's examples work as written."""

import json
import re
from pathlib import Path

from sqlalchemy import Engine

from models.db import session_scope
from tasks.claims.drafting import draft_claims
from tasks.importing import import_bundle, load_bundle

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_bundle_example_imports_and_drafts_a_claim(tmp_path: Path, engine: Engine) -> None:
    from config.fees import load_fee_schedule

    example = re.search(r"```json\n(.*?)\n```", README.read_text(), re.S).group(1)
    path = tmp_path / "example.json"
    path.write_text(json.dumps(json.loads(example)))
    with session_scope(engine) as session:
        report = import_bundle(session, load_bundle(path))
        drafted = draft_claims(session, report.practice_id, load_fee_schedule(), source="test")
    assert drafted.created == 1


def test_readme_names_every_setting() -> None:
    from config.settings import Settings

    text = README.read_text()
    assert all(f"GROUPBILL_{name.upper()}" in text for name in Settings.model_fields)


def test_the_env_file_the_readme_suggests_for_secrets_is_never_committed() -> None:
    import subprocess

    root = README.parent
    for name in (".env", ".env.production"):
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=root, check=False)
        assert ignored.returncode == 0, f"{name} is not in .gitignore"
