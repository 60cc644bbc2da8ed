"""Run `groupbill` in-process on a fresh copy of a practice database and judge how it met bad input."""

import contextlib
import io
import os
import shutil
import sqlite3
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from config.settings import get_settings
from tasks.runtime import dispose_engines
from tasks.scrubbing import engine as scrub_engine


class _ThisThread(io.TextIOBase):
    """A stream that keeps what the creating thread writes and passes other threads' writes through."""

    def __init__(self, mine: io.StringIO, others: TextIO) -> None:
        self.mine, self.others, self.owner = mine, others, threading.get_ident()

    def write(self, text: str) -> int:
        """Keep or pass on `text`, by the writing thread."""
        return (self.mine if threading.get_ident() == self.owner else self.others).write(text)

    def flush(self) -> None:
        """Flush the passed-through stream."""
        self.others.flush()


def dump(path: Path) -> str:
    """The database as SQL text (schema and every row), to compare byte for byte."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return "\n".join(connection.iterdump())


@dataclass
class Groupbill:
    """The CLI on a copy of `template`, run as a user would but in this process (fast)."""

    folder: Path
    template: Path
    stats: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.original = dump(self.template)
        self.database = self.folder / "case.db"

    def run(self, kind: str, path: Path, *args: str, env: dict[str, str] | None = None) -> None:
        """`groupbill ARGS` on bad input `path`: exit 0 (it was fine after all) or exit 2 with one line
        per problem naming the file and the database unchanged; anything else fails the test."""
        self._fresh_copy()
        code, out, err = self._invoke(args, {"GROUPBILL_DATABASE_URL": f"sqlite:///{self.database}", **(env or {})})
        assert "Traceback" not in out + err, f"{kind}: traceback\n{err[-3000:]}"
        assert code in (0, 2), f"{kind}: exit {code}\n{out[-1500:]}\n{err[-1500:]}"
        self.stats[f"{kind}:cases"] += 1
        if code == 0:
            self.stats[f"{kind}:accepted"] += 1
            return
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and all(line.startswith(f"error: {path}") for line in lines), f"{kind}: {err[-2000:]}"
        assert dump(self.database) == self.original, f"{kind}: the database changed on bad input"
        self.stats[f"{kind}:rejected"] += 1

    def _fresh_copy(self) -> None:
        dispose_engines()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, self.database)

    def _invoke(self, args: tuple[str, ...], env: dict[str, str]) -> tuple[int, str, str]:
        from flows.cli import main

        out, err = io.StringIO(), io.StringIO()
        # Only this thread's output is the command's: the session's Prefect harness has threads of its own
        # that may log to stderr meanwhile (they did on a loaded CI machine, failing a case that was fine).
        with _environment(env), _argv(["groupbill", *args]), contextlib.redirect_stdout(_ThisThread(out, sys.stdout)):
            with contextlib.redirect_stderr(_ThisThread(err, sys.stderr)):
                try:
                    main()
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
        dispose_engines()
        return code, out.getvalue(), err.getvalue()

    def summary(self) -> list[str]:
        """One line per input kind: cases, accepted, rejected properly (escapes fail the test instead)."""
        kinds = sorted({key.split(":")[0] for key in self.stats})
        return [
            f"fuzz {k}: {self.stats[k + ':cases']} cases, {self.stats[k + ':rejected']} rejected with one line "
            f"per problem and the database unchanged, {self.stats[k + ':accepted']} still valid, 0 escapes"
            for k in kinds
        ]


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    scrub_engine.profiles.cache_clear()
    scrub_engine.ruleset.cache_clear()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()
        scrub_engine.profiles.cache_clear()
        scrub_engine.ruleset.cache_clear()


@contextlib.contextmanager
def _argv(argv: list[str]) -> Iterator[None]:
    saved, sys.argv = sys.argv, argv
    try:
        yield
    finally:
        sys.argv = saved
