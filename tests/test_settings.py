"""Configuration: the embedded SQLite default, secrets, PostgreSQL URLs, the association's identity."""

from __future__ import annotations

import html
import stat

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.settings import instance_secret_key, normalise_database_url
from app.testing import build_test_app, login


def test_default_database_is_a_sqlite_file_in_the_instance_folder_with_wal(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "SQLALCHEMY_DATABASE_URI": None, "SECRET_KEY": None})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'occe.db'}"
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    # the generated secret key is kept, private, and reused by the next start
    key_file = tmp_path / "instance" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "SQLALCHEMY_DATABASE_URI": None, "SECRET_KEY": None})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"] == key_file.read_text()
    assert len(app.config["SECRET_KEY"]) == 64


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "cle-de-production")
    import importlib

    import config

    importlib.reload(config)
    try:
        app = create_app({"INSTANCE_PATH": str(tmp_path / "i")})
        assert app.config["SECRET_KEY"] == "cle-de-production"
        assert not (tmp_path / "i" / "secret_key").exists()
    finally:
        monkeypatch.delenv("SECRET_KEY")
        importlib.reload(config)


def test_instance_secret_key_is_created_once(tmp_path):
    first = instance_secret_key(tmp_path)
    assert instance_secret_key(tmp_path) == first


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_psycopg_3(url, expected):
    assert normalise_database_url(url) == expected


def test_the_association_is_configuration(tmp_path):
    app = build_test_app(tmp_path, name="identity", plugin_packages=[], ASSOCIATION_NAME="OCCE 80", DEPARTMENT_NAME="Somme",
                         DEPARTMENT_NUMBER="80", APP_NAME="Console OCCE 80")
    client = app.test_client()
    login(client, "admin")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "OCCE 80" in page and "Somme (80)" in page and "<title>Console OCCE 80</title>" in page
    assert "OCCE 02" not in page


def test_hardened_defaults():
    import config

    assert config.AUTH_USER_REGISTRATION is False
    assert config.FAB_ADD_SECURITY_API is False and config.FAB_API_SWAGGER_UI is False
    assert config.FAB_CREATE_DB is False and config.FAB_UPDATE_PERMS is False
    assert config.AUTH_RATE_LIMITED and config.RATELIMIT_ENABLED
    assert config.SESSION_COOKIE_HTTPONLY and config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True
    assert config.BABEL_DEFAULT_LOCALE == "fr"
