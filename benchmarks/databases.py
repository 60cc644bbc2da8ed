"""The benchmark runs' billing databases: a SQLite file in each run's folder, or a PostgreSQL database
per run copied from a built template (CREATE DATABASE ... TEMPLATE)."""

import os
import shutil
from pathlib import Path


class BenchDatabases:
    """The runs' billing databases: SQLite files in their folders, or PostgreSQL databases made from
    the template's (named `gb_bench_<pid>_<folder>`, dropped on exit)."""

    def __init__(self, admin_url: str | None) -> None:
        self.admin_url = admin_url
        self.made: list[str] = []
        self.tag = f"gb_bench_{os.getpid()}"  # two benchmarks on one server keep apart

    def __enter__(self) -> "BenchDatabases":
        return self

    def __exit__(self, *_: object) -> None:
        for database in reversed(self.made):
            self._sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def name(self, folder: Path, template: str | None = None) -> None:
        """Create the folder's PostgreSQL database (empty, or copied from `template`'s) and name it there."""
        if not self.admin_url:
            return
        from sqlalchemy.engine import make_url

        database = f"{self.tag}_{folder.name}"
        self._sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{self.tag}_{template}"' if template else ""))
        self.made.append(database)
        url = make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)
        (folder / "database_url").write_text(url)

    def copy(self, template: Path, to: Path) -> Path:
        """A run's folder (and database) copied from the built template."""
        shutil.copytree(template, to)
        if self.admin_url:
            self.name(to, template.name)
        return to

    def _sql(self, statement: str) -> None:
        from sqlalchemy import create_engine, text

        admin = create_engine(self.admin_url or "", isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()
