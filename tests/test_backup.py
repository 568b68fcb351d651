"""Backup and restore drill: what was saved comes back, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.directory.models import Sector
from app.extensions import db
from app.maintenance import row_counts
from app.testing import build_test_app


def test_backup_then_restore_brings_every_row_back(tmp_path):
    app = build_test_app(tmp_path, name="drill", plugin_packages=[])
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.add_all([Sector(name="Laon"), Sector(name="Soissons")])
        db.session.commit()
        before = row_counts()
    backup = Path(runner.invoke(args=["occe", "backup"]).output.split("Sauvegarde : ")[1].strip())
    assert backup.is_file()

    with app.app_context():  # an accident after the backup
        db.session.query(Sector).delete()
        db.session.add(Sector(name="Erreur"))
        db.session.commit()
        assert row_counts() != before

    refused = runner.invoke(args=["occe", "restore", str(backup)], input="n\n")
    assert refused.exit_code != 0
    result = runner.invoke(args=["occe", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde de l'état actuel" in result.output and "Base restaurée" in result.output
    with app.app_context():
        assert row_counts() == before
        assert sorted(sector.name for sector in db.session.query(Sector)) == ["Laon", "Soissons"]


def test_a_damaged_backup_is_refused(tmp_path):
    app = build_test_app(tmp_path, name="damaged", plugin_packages=[])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("checks SQLite's integrity check; pg_restore refuses a damaged dump by itself")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = app.test_cli_runner().invoke(args=["occe", "restore", str(damaged), "--yes"])
    assert result.exit_code != 0
    with app.app_context():
        assert row_counts()["occe_school_year"] >= 1  # the live database is untouched
