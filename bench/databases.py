"""Fresh databases for the benchmark: made on a PostgreSQL server (or as SQLite files), cloned from a
migrated one so that migrations run once, and dropped at the end."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@dataclass
class Server:
    url: str
    work: Path

    @classmethod
    def from_url(cls, url: str, work: Path) -> Server:
        return cls(url, work)

    @property
    def sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def describe(self) -> str:
        if self.sqlite:
            return "SQLite"
        parts = urlsplit(self.url)
        return f"PostgreSQL {self._version()} at {parts.hostname}:{parts.port or 5432}"

    def url_for(self, name: str) -> str:
        if self.sqlite:
            return f"sqlite:///{self._file(name)}"
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))

    def _file(self, name: str) -> Path:
        if name.endswith((".sqlite3", ".db")) or "/" in name:
            return Path(name)
        return self.work / f"{name}.sqlite3"

    def _connect(self, dbname: str = "postgres"):
        import psycopg2

        parts = urlsplit(self.url)
        connection = psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname=dbname,
        )
        connection.autocommit = True
        return connection

    def _execute(self, sql: str) -> None:
        connection = self._connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def _version(self) -> str:
        connection = self._connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                return str(cursor.fetchone()[0]).split()[0]
        finally:
            connection.close()

    @staticmethod
    def _quote(name: str) -> str:
        if not name.replace("_", "").isalnum():
            raise ValueError(f"unexpected database name {name!r}")
        return f'"{name}"'

    def create(self, name: str) -> str:
        if self.sqlite:
            self._file(name).unlink(missing_ok=True)
        else:
            self._execute(f"CREATE DATABASE {self._quote(name)}")
        return name

    def clone(self, template: str, name: str) -> str:
        """A copy of ``template``, which must have no one connected to it (PostgreSQL's rule)."""
        if self.sqlite:
            shutil.copyfile(self._file(template), self._file(name))
        else:
            self._execute(f"CREATE DATABASE {self._quote(name)} TEMPLATE {self._quote(template)}")
        return name

    def vacuum(self, name: str) -> None:
        """Planner statistics and the visibility map as autovacuum leaves them after a migration rewrote rows."""
        if self.sqlite:
            return
        connection = self._connect(name)
        try:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        finally:
            connection.close()

    def drop(self, name: str) -> None:
        if self.sqlite:
            self._file(name).unlink(missing_ok=True)
        else:
            self._execute(f"DROP DATABASE IF EXISTS {self._quote(name)} WITH (FORCE)")
