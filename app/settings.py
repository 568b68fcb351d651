"""Completes the configuration with the values that depend on the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def finalize(app: Flask) -> None:
    """Fill in database URL, secret key, uploads and translations for ``app``."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = app.config

    url = config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = f"sqlite:///{instance / 'occe.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # sqlite3's timeout is SQLite's busy timeout: how long a writer waits for a lock.
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {**options.get("connect_args", {}), "timeout": float(config.get("SQLITE_BUSY_TIMEOUT", 5))}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = instance_secret_key(instance)

    config.setdefault("UPLOAD_FOLDER", str(instance / "uploads"))
    config.setdefault("IMG_UPLOAD_FOLDER", str(instance / "uploads" / "images"))
    config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = _password_validator(config)


def normalise_database_url(url: str) -> str:
    """Map ``postgres://`` and ``postgresql://`` to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance: Path) -> str:
    """Return the key kept in ``instance/secret_key``, creating it once (mode 0600)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _password_validator(config):
    from app.security.passwords import check_password_strength

    minimum = int(config.get("PASSWORD_MIN_LENGTH", 12))

    def validator(password: str) -> None:
        check_password_strength(password, minimum)

    return validator


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL and enforced foreign keys on every SQLite connection (the busy timeout is a connect argument)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
