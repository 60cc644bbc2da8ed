"""Reference data files load, and a broken one stops the program with one line naming the file."""

from pathlib import Path

import pytest

from config.reference_data import licence_titles
from models.enums import Credential
from models.errors import ConfigError


def test_shipped_licence_titles_map_to_credential_families() -> None:
    titles = licence_titles()
    assert titles["LCPC"] is Credential.LPC and titles["LISW"] is Credential.LCSW
    assert titles["LCMHC"] is Credential.LMHC and titles["LCADC"] is Credential.LADC
    assert not set(titles) & {c.value for c in Credential}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LCPC: COUNSELOR\n", "LCPC: Input should be 'MD', "),
        ("lcpc: LPC\n", "lcpc.[key]: String should match pattern"),
        ("LPC: LPC\n", "(top level): LPC is a credential itself, not a title to map"),
        ("- LCPC\n", "(top level): Input should be a valid dictionary"),
    ],
)
def test_broken_licence_titles_are_refused_when_loaded(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "licence_titles.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        licence_titles.__wrapped__(path)
    assert err.value.lines[0].startswith(f"{path}: ") and expected in err.value.lines[0]
