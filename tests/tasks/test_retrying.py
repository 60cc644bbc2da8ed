"""Which failures the pipeline's tasks retry: the transient ones only."""

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from models.errors import ClearinghouseRejected, ClearinghouseUnavailable
from tasks.retrying import retry_if_transient


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def result(self, raise_on_failure: bool = True) -> BaseException:
        return self.error


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (ClearinghouseUnavailable("timed out"), True),
        (OperationalError("SELECT 1", {}, Exception("database is locked")), True),
        (ClearinghouseRejected("refused the request (400)"), False),
        (IntegrityError("INSERT", {}, Exception("unique")), False),
        (ValueError("bad input"), False),
    ],
)
def test_only_transient_failures_are_retried(error: BaseException, retried: bool) -> None:
    assert retry_if_transient(None, None, _Failed(error)) is retried
