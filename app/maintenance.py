"""Database backups and restores: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, table

from app.extensions import db


def _pg_dsn() -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup_database(destination: Path | None = None) -> Path:
    """Write a consistent copy of the database into ``instance/backups`` and return its path."""
    folder = destination or Path(current_app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backend = db.engine.url.get_backend_name()
    if backend == "sqlite":
        target = folder / f"occe-{stamp}.db"
        source = sqlite3.connect(db.engine.url.database)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return target
    if backend == "postgresql":
        target = folder / f"occe-{stamp}.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={target}", _pg_dsn()], check=True)
        return target
    raise RuntimeError(f"Sauvegarde non prise en charge pour {backend}.")


def restore_database(backup: Path) -> None:
    """Replace the whole database by ``backup`` (a file written by :func:`backup_database`)."""
    backup = Path(backup)
    if not backup.is_file():
        raise FileNotFoundError(f"Sauvegarde introuvable : {backup}")
    db.session.remove()
    db.engine.dispose()
    backend = db.engine.url.get_backend_name()
    if backend == "sqlite":
        source = sqlite3.connect(backup)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValueError(f"La sauvegarde {backup} est endommagée : restauration refusée.")
            live = sqlite3.connect(db.engine.url.database)
            with live:
                source.backup(live)
            live.close()
        finally:
            source.close()
    elif backend == "postgresql":
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_pg_dsn()}", str(backup)], check=True)
    else:
        raise RuntimeError(f"Restauration non prise en charge pour {backend}.")
    db.engine.dispose()


def row_counts() -> dict[str, int]:
    """Rows per table: what a restore drill compares."""
    names = sorted(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table(name))).scalar_one() for name in names}
