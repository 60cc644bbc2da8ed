"""The log filter that keeps patient data out of Prefect's logs."""

import logging
from datetime import date

import pytest

from tasks.privacy import MASK, PatientDataFilter, install, patient_values

VALUES = patient_values([("Maria Luisa", "O'Neil-Park", date(1980, 1, 2)), ("W123456789", None, None, None)])


def _logged(caplog: pytest.LogCaptureFixture, message: str, *args: object) -> str:
    logger = logging.getLogger("groupbill.test-privacy")
    logger.addFilter(PatientDataFilter(lambda: VALUES))
    with caplog.at_level(logging.INFO, logger="groupbill.test-privacy"):
        logger.info(message, *args)
    return caplog.records[-1].getMessage()


def test_names_birth_dates_member_ids_and_ssns_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    line = _logged(
        caplog,
        "member %s (%s O'Neil-Park, born %s / 19800102 / 01/02/1980) ssn 123-45-6789",
        "W123456789",
        "Maria",
        "1980-01-02",
    )
    assert line == f"member {MASK} ({MASK} {MASK}, born {MASK} / {MASK} / {MASK}) ssn {MASK}"


def test_other_text_is_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    line = _logged(caplog, "claim %d of session %s on %s: 3 ready", 42, "GRP-DEP-20261125", "2026-11-25")
    assert line == "claim 42 of session GRP-DEP-20261125 on 2026-11-25: 3 ready"


def test_a_broken_loader_never_breaks_logging() -> None:
    def broken() -> list[str]:
        raise RuntimeError("database down")

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "ssn 123-45-6789 of %s", ("Maria",), None)
    assert PatientDataFilter(broken).filter(record) and record.getMessage() == f"ssn {MASK} of Maria"


def test_install_reaches_handlers_of_the_prefect_loggers() -> None:
    handler = logging.NullHandler()
    logger = logging.getLogger("prefect.flow_runs")
    logger.addHandler(handler)
    try:
        install(PatientDataFilter(lambda: VALUES))
        assert any(isinstance(f, PatientDataFilter) for f in logger.filters)
        assert any(isinstance(f, PatientDataFilter) for f in handler.filters)
    finally:
        logger.removeHandler(handler)
        for target in (logger, handler):
            target.filters = [f for f in target.filters if not isinstance(f, PatientDataFilter)]
