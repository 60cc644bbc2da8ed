"""The storage floor of the daily pipeline on SQLite: what writing its rows costs with nothing else.

    python -m benchmarks.write_floor FINISHED_DB STARTING_DB

FINISHED_DB is a billing database after a run (`pipeline_bench --floor` passes its direct run's) and
STARTING_DB the one that run began from. Every row the run added is written again into a copy of
STARTING_DB, twice, in the pipeline's order and transactions: the claims as drafts with their lines,
then for each status the claims moved through, one compare-and-set UPDATE per 5,000 claims and that
step's event rows, then the ledger, payments, adjustments and acknowledgements. Each claim is written
with its final columns (batch, payer claim number...), so the pipeline's other updates of claims are left
out: the floor can only be below the real cost. It expects the benchmark's practice, where every claim
takes the same path to `paid`; it checks that the copy ends with the run's rows and statuses, and fails
if not.
- `raw_s`: through the sqlite3 driver, values as stored (no conversion at all);
- `core_s`: through SQLAlchemy Core with the models' tables, values converted by their column types
  (Decimal, UTC datetimes, enums, JSON), which is how the pipeline writes.
Neither includes a read, a rule, an X12 byte or the clearinghouse, so the pipeline cannot finish faster
than this whatever else is made faster. Prints one JSON line.
"""

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Parents before children, as the foreign keys need.
TABLES = (
    "submissionbatch",
    "claim",
    "claimline",
    "claimevent",
    "authledgerentry",
    "remittance",
    "claimpayment",
    "paymentadjustment",
    "acknowledgement",
)
AFTER_EVENTS = TABLES[4:]
CHUNK = 5_000  # the pipeline's IN-list size (models.db.IN_CHUNK)

Rows = dict[str, list[dict[str, Any]]]


def added_rows(finished: Path, starting: Path, read: Callable[[Path, str, int], list[dict[str, Any]]]) -> Rows:
    """Per table, the rows `finished` has beyond the highest ID `starting` had."""
    with sqlite3.connect(starting) as start:
        highest = {t: start.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608
    return {table: read(finished, table, highest[table]) for table in TABLES}


def _read_raw(database: Path, table: str, above: int) -> list[dict[str, Any]]:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(f"SELECT * FROM {table} WHERE id > ? ORDER BY id", (above,))  # noqa: S608
        return [dict(row) for row in rows]


def _read_core(database: Path, table: str, above: int) -> list[dict[str, Any]]:
    from models.db import make_engine

    engine, model = make_engine(f"sqlite:///{database}"), _table(table)
    with engine.connect() as connection:
        rows = connection.execute(model.select().where(model.c.id > above).order_by(model.c.id))
        found = [dict(row._mapping) for row in rows]
    engine.dispose()
    return found


def _table(name: str) -> Any:
    from sqlmodel import SQLModel

    import models.db  # noqa: F401 (every table module)

    return SQLModel.metadata.tables[name]


def status_steps(rows: Rows) -> list[tuple[str, list[dict[str, Any]]]]:
    """The statuses the claims moved to, in the order first reached, each with its event rows."""
    steps: dict[str, list[dict[str, Any]]] = {}
    for event in rows["claimevent"]:
        steps.setdefault(str(getattr(event["to_status"], "value", event["to_status"])), []).append(event)
    return list(steps.items())


def replay_raw(database: Path, rows: Rows) -> None:
    """The rows through the sqlite3 driver, as stored."""
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):  # as models.db sets them
        connection.execute(f"PRAGMA {pragma}")

    def insert(table: str, values: list[dict[str, Any]]) -> None:
        if values:
            names = list(values[0])
            statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608
            connection.executemany(statement, [tuple(v[n] for n in names) for v in values])

    def move(ids: list[int], was: str, to: str) -> None:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            connection.execute(
                f"UPDATE claim SET status = ?, status_changed_at = ? WHERE status = ? AND id IN ({', '.join('?' * len(chunk))})",  # noqa: S608, E501
                [to, "2026-11-27 00:00:00.000000", was, *chunk],
            )

    _replay(rows, insert, move, lambda: connection.execute("COMMIT"), lambda: connection.execute("BEGIN"))
    connection.close()


def replay_core(database: Path, rows: Rows) -> None:
    """The rows through SQLAlchemy Core with the models' column types, as the pipeline writes."""
    from sqlalchemy import update

    from models.clock import utcnow
    from models.db import make_engine

    engine = make_engine(f"sqlite:///{database}")
    claim = _table("claim")
    with engine.connect() as connection:

        def insert(table: str, values: list[dict[str, Any]]) -> None:
            if values:
                connection.execute(_table(table).insert(), values)

        def move(ids: list[int], was: str, to: str) -> None:
            for start in range(0, len(ids), CHUNK):
                connection.execute(
                    update(claim)
                    .where(claim.c.id.in_(ids[start : start + CHUNK]), claim.c.status == was)
                    .values(status=to, status_changed_at=utcnow())
                )

        _replay(rows, insert, move, connection.commit, lambda: None)
    engine.dispose()


def _replay(
    rows: Rows,
    insert: Callable[[str, list[dict[str, Any]]], None],
    move: Callable[[list[int], str, str], None],
    commit: Callable[[], object],
    begin: Callable[[], object],
) -> None:
    """The pipeline's write pattern: draft, then one transaction per status step, then the rest."""
    steps = status_steps(rows)
    first = steps[0][0]
    begin()
    for table in ("submissionbatch", "claim", "claimline"):
        insert(table, [{**r, "status": first} for r in rows[table]] if table == "claim" else rows[table])
    commit()
    ids, was = [int(r["id"]) for r in rows["claim"]], first
    for status, events in steps:
        begin()
        if status != first:
            move(ids, was, status)
            was = status
        insert("claimevent", events)
        commit()
    begin()
    for table in AFTER_EVENTS:
        insert(table, rows[table])
    commit()


def measure(finished: Path, starting: Path) -> dict[str, Any]:
    """Seconds to write the run's rows raw and through Core, each into a fresh copy of `starting`."""
    result: dict[str, Any] = {}
    for name, read, replay in (("raw_s", _read_raw, replay_raw), ("core_s", _read_core, replay_core)):
        rows = added_rows(finished, starting, read)
        with tempfile.TemporaryDirectory(prefix="groupbill-floor-") as tmp:
            copy = Path(tmp) / "billing.db"
            _copy_database(starting, copy)
            started = time.perf_counter()
            replay(copy, rows)
            result[name] = round(time.perf_counter() - started, 2)
            _check_same(copy, finished)
    result["rows"] = sum(len(v) for v in rows.values())
    result["claims"] = len(rows["claim"])
    result["status_steps"] = len(status_steps(rows))
    return result


def _check_same(copy: Path, finished: Path) -> None:
    """The replay wrote what the run wrote: as many rows in every table, and the claims in the same statuses."""
    queries = [f"SELECT '{t}', count(*) FROM {t}" for t in TABLES]  # noqa: S608
    queries.append("SELECT status, count(*) FROM claim GROUP BY status")
    counts = []
    for database in (copy, finished):
        with sqlite3.connect(database) as connection:
            counts.append(sorted(row for query in queries for row in connection.execute(query)))
    if counts[0] != counts[1]:
        raise RuntimeError(f"the replay differs from the run: {counts[0]} != {counts[1]}")


def _copy_database(source: Path, to: Path) -> None:
    """A SQLite database with its write-ahead log, as a copy of the files."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{to}{suffix}")


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))  # noqa: T201
