"""Keep patient data out of Prefect's logs: a logging filter on the Prefect run loggers that masks any
patient name, birth date or member ID (and SSN-shaped numbers) that reaches a log line.

Parameters, run names, events and artifacts carry IDs and counts by construction; this filter is the
net under that rule for log lines (an exception text, a third-party message). The values to mask are
read from the billing database and refreshed every few minutes; if the database cannot be read, the
pattern rules still apply and the filter never blocks or breaks logging.
"""

import logging
import re
import time
from collections.abc import Callable, Iterable

MASK = "***"
LOGGERS = ("prefect.flow_runs", "prefect.task_runs", "prefect", "groupbill")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-./]*[A-Za-z0-9]|[A-Za-z0-9]")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")


class PatientDataFilter(logging.Filter):
    """Rewrites a record's message with every known patient value masked; always lets the record through."""

    def __init__(self, load: Callable[[], Iterable[str]], refresh_seconds: float = 300) -> None:
        super().__init__()
        self.load, self.refresh_seconds = load, refresh_seconds
        self._values: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")

    def sensitive(self) -> frozenset[str]:
        """The values to mask (upper-cased), reloaded when stale."""
        if time.monotonic() - self._loaded_at > self.refresh_seconds:
            self._loaded_at = time.monotonic()
            try:
                self._values = frozenset(v.upper() for v in self.load() if v and len(v) > 1)
            except Exception:  # noqa: BLE001 - a logging filter must never fail; patterns still apply
                pass
        return self._values

    def mask(self, text: str) -> str:
        """`text` with patient values and SSN-shaped numbers replaced by ***."""
        values = self.sensitive()
        text = _SSN.sub(MASK, text)
        return _TOKEN.sub(lambda m: MASK if m.group(0).upper() in values else m.group(0), text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message in place (arguments are folded in first)."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is passed on untouched
            return True
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def patient_values(rows: Iterable[tuple[object, ...]]) -> set[str]:
    """Names (each word), birth dates (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY) and member IDs from rows."""
    found: set[str] = set()
    for row in rows:
        for value in row:
            if value is None:
                continue
            if hasattr(value, "strftime"):
                found |= {value.isoformat(), value.strftime("%Y%m%d"), value.strftime("%m/%d/%Y")}  # type: ignore[attr-defined]
            else:
                found |= set(str(value).split())
    return found


def install(filter_: logging.Filter) -> None:
    """Attach the filter to the Prefect run loggers, ours, and their handlers (records from child loggers
    reach the handlers without passing the parents' logger filters)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, type(filter_)) for f in target.filters):
                target.addFilter(filter_)


def _database_values() -> set[str]:
    """Every patient's and subscriber's names, birth dates and member IDs in the billing database."""
    from sqlmodel import Session, col, select

    from models.patients import Coverage, Patient
    from tasks.runtime import billing_engine

    with Session(billing_engine()) as session:
        people = session.exec(select(col(Patient.first_name), col(Patient.last_name), col(Patient.birth_date))).all()
        covered = session.exec(
            select(
                col(Coverage.member_id),
                col(Coverage.subscriber_first_name),
                col(Coverage.subscriber_last_name),
                col(Coverage.subscriber_birth_date),
            )
        ).all()
    return patient_values([*people, *covered])


_FILTER: PatientDataFilter | None = None


def protect_logs() -> PatientDataFilter:
    """Install the patient-data filter for this process (idempotent) and make what it creates owner-only
    (a flow run started by a worker inherits the worker's umask); flows call it first."""
    from models.private import owner_only_umask

    owner_only_umask()
    global _FILTER
    if _FILTER is None:
        _FILTER = PatientDataFilter(_database_values)
    install(_FILTER)
    return _FILTER
