"""Dump and restore the whole desk: pg_dump/pg_restore for PostgreSQL, the SQLite backup API for
the embedded default. Both are consistent snapshots taken while the desk runs."""

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.db import connection, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupFailed(Exception):
    pass


def backup_create(*, path: Path) -> dict:
    """Writes a snapshot of the configured database to `path`; returns what it wrote."""
    started = time.monotonic()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(tmp)])
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(tmp)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupFailed(f"no backup for {connection.vendor}")
    os.replace(tmp, path)
    return {
        "action": "backup",
        "database": connection.vendor,
        "path": str(path),
        "bytes": path.stat().st_size,
        "rows": table_rows(),
        "seconds": round(time.monotonic() - started, 2),
    }


def backup_restore(*, path: Path) -> dict:
    """Replaces the configured database's contents with the snapshot at `path`.

    Stop the web server and the workers first: restoring under them loses what they write.
    """
    started = time.monotonic()
    head = path.read_bytes()[:16]
    connections.close_all()
    if connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupFailed(f"{path} is not a pg_dump custom-format file")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            dbname_flag=True,
        )
    elif connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupFailed(f"{path} is not an SQLite database")
        source = sqlite3.connect(path)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupFailed(f"no restore for {connection.vendor}")
    return {
        "action": "restore",
        "database": connection.vendor,
        "path": str(path),
        "rows": table_rows(),
        "seconds": round(time.monotonic() - started, 2),
    }


def table_rows() -> dict[str, int]:
    """Rows per table of the desk's own apps (what a round trip must keep)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(("claims_", "reviews_", "auth_user", "authtoken_", "factdesk_")):
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def _run(command: list[str], *, dbname_flag: bool = False) -> None:
    """Runs a PostgreSQL client with the connection in the environment, not on the command line."""
    if shutil.which(command[0]) is None:
        raise BackupFailed(f"{command[0]} is not installed (Debian: postgresql-client)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": str(db.get("HOST") or ""),
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": str(db.get("USER") or ""),
        "PGPASSWORD": str(db.get("PASSWORD") or ""),
        "PGDATABASE": str(db["NAME"]),
    }
    if dbname_flag:
        command = [*command[:-1], "--dbname", str(db["NAME"]), command[-1]]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupFailed(f"{command[0]} failed: {done.stderr.strip()[:2000]}")
