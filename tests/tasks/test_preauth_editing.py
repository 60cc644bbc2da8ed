"""Authorizations edited by hand are checked like an import: one line per problem, in the input's own case."""

import pytest
from sqlalchemy import Engine

from models.db import session_scope
from models.errors import InputError
from tasks.preauth.editing import save_authorization


def test_a_bad_field_is_one_line_that_quotes_the_input_as_given(engine: Engine, imported) -> None:
    fields = {
        "patient_id": "PAT-0001",
        "payer_id": "ACME",
        "number": "PA1",
        "units_authorized": 4,
        "start_date": "2026-11-01",
        "end_date": "2026-12-31",
        "cpt_codes": ["9085a"],
    }
    with pytest.raises(InputError) as err, session_scope(engine) as session:
        save_authorization(session, fields)
    assert err.value.lines == [
        "authorization: cpt_codes[0]: String should match pattern '^[0-9]{4}[0-9A-Z]$' (got '9085a')"
    ]
