"""Database backups: SQLite's online backup API, or pg_dump for PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from flask import current_app

from app.extensions import db


def backup_database(destination: Path | None = None) -> Path:
    """Write a consistent copy of the database into ``instance/backups`` and return its path."""
    folder = destination or Path(current_app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        target = folder / f"occe-{stamp}.db"
        source = sqlite3.connect(url.database)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        target = folder / f"occe-{stamp}.dump"
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_dump", "--format=custom", f"--file={target}", dsn], check=True)
        return target
    raise RuntimeError(f"Sauvegarde non prise en charge pour {url.get_backend_name()}.")
