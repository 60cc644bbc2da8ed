"""Opening the billing database: a folder that cannot be made is one line naming it, not a traceback."""

from pathlib import Path

import pytest

from models.db import make_engine
from models.errors import InfrastructureError


def test_a_sqlite_folder_that_cannot_be_made_names_itself(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the folder should be")
    with pytest.raises(InfrastructureError) as err:
        make_engine(f"sqlite:///{tmp_path / 'blocker' / 'db' / 'billing.db'}")
    assert str(err.value) == (
        f"database folder {tmp_path / 'blocker' / 'db'}: cannot create it: Not a directory "
        "(check GROUPBILL_DATABASE_URL)"
    )
