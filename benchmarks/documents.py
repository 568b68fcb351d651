"""Documents benchmark (issue 5): a diploma batch for 300 classes and a 2,000-row recap, as PDF.

Each document is measured twice: the renderer alone (``app.documents.render``,
no database), and the download route end to end (query, render, response)
on a fresh SQLite console holding 2,000 classes, an action with 300 classes
whose registration is « réalisée » and an action with 2,000 registrations.
Budgets: the diploma batch for 300 classes under 10 s (issue 5); the recap
has none of its own in the issue and is held to the same 10 s.

    .venv/bin/python benchmarks/documents.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchmarks.directory import counting  # noqa: E402

DIPLOMAS = 300
RECAP_ROWS = 2_000
SCHOOLS = 500
BUDGET_S = 10.0
STATUS_MIX = {"demandee": 30, "retenue": 35, "liste_attente": 10, "refusee": 5, "realisee": 15, "annulee": 5}


def populate(app) -> dict[str, int]:
    """2,000 classes in 500 schools; action « diplomes » (300 realised), action « recap » (2,000 registrations)."""
    from app.actions.models import Action, Registration
    from app.directory.models import Classroom, Cooperative, School, Sector
    from app.directory.rules import uai_check_letter
    from app.extensions import db
    from app.years.service import current_year

    rng = random.Random(5)
    with app.app_context():
        year_id = current_year().id
        with db.engine.begin() as connection:
            connection.execute(Sector.__table__.insert(), [{"id": 1, "name": "Secteur de Laon"}])
            schools, coops = [], []
            for i in range(1, SCHOOLS + 1):
                digits = f"{i:07d}"
                schools.append({"id": i, "uai": digits + uai_check_letter(digits), "name": f"École élémentaire Jean de La Fontaine n° {i}",
                                "kind": "primaire", "commune": f"Château-Thierry {i}", "sector_id": 1})
                coops.append({"id": i, "affiliation_number": f"02{i:04d}", "kind": "cooperative", "status": "active", "school_id": i, "sector_id": 1})
            connection.execute(School.__table__.insert(), schools)
            connection.execute(Cooperative.__table__.insert(), coops)
            connection.execute(Classroom.__table__.insert(), [
                {"id": i, "school_year_id": year_id, "school_id": (i - 1) % SCHOOLS + 1, "name": f"CM1-CM2 Mme Œillet {i}", "levels": "CM1, CM2",
                 "cycles": "3", "pupils": rng.randint(15, 30)}
                for i in range(1, RECAP_ROWS + 1)
            ])  # fmt: skip
            connection.execute(Action.__table__.insert(), [
                {"id": 1, "school_year_id": year_id, "code": "diplomes", "name": "DéfiMaths", "audience": "classe"},
                {"id": 2, "school_year_id": year_id, "code": "recap", "name": "Consom'acteur", "audience": "classe"},
            ])  # fmt: skip
            start = datetime(2025, 9, 15, 8)
            statuses = [status for status, weight in STATUS_MIX.items() for _ in range(weight)]
            rows = []
            for i in range(1, RECAP_ROWS + 1):
                common = {"school_year_id": year_id, "cooperative_id": (i - 1) % SCHOOLS + 1, "classroom_id": i, "pupils": 24,
                          "requested_at": start + timedelta(minutes=i)}
                if i <= DIPLOMAS:
                    rows.append({**common, "action_id": 1, "status": "realisee"})
                rows.append({**common, "action_id": 2, "status": rng.choice(statuses),
                             "motivation": "Toute l'équipe s'y met : projet « coopérer » en cœur." if i % 4 == 0 else None})
            connection.execute(Registration.__table__.insert(), rows)
    return {"diplomas": 1, "recap": 2}


def render_only() -> list[tuple[str, float, int, int]]:
    """The renderer alone: (name, seconds, pages, bytes)."""
    from pypdf import PdfReader

    from app.documents import render

    results = []
    recipients = [render.DiplomaRecipient(f"CM1-CM2 Mme Œillet {i}", f"École Jean de La Fontaine n° {i} (Château-Thierry)", "CM1, CM2 — cycle 3")
                  for i in range(1, DIPLOMAS + 1)]  # fmt: skip
    start = time.perf_counter()
    data = render.diploma(recipients, action="DéfiMaths", year="2025-2026", day=date(2026, 6, 19), place="Laon").to_bytes()
    results.append((f"diplomas, {DIPLOMAS} classes (renderer)", time.perf_counter() - start, len(PdfReader(io.BytesIO(data)).pages), len(data)))
    columns = ["Action", "Coopérative", "Classe", "Niveaux", "Cycle", "Élèves", "Quantité", "Statut", "Demandée le", "Motivation"]
    rows = [["Consom'acteur", f"02{i % SCHOOLS:04d}", f"CM1-CM2 Mme Œillet {i}", "CM1, CM2", "3", 24, None, "Retenue", datetime(2025, 9, 15, 8),
             "Toute l'équipe s'y met : projet « coopérer » en cœur." if i % 4 == 0 else None] for i in range(RECAP_ROWS)]  # fmt: skip
    start = time.perf_counter()
    data = render.recap("Récapitulatif des inscriptions — Consom'acteur", columns, rows, subtitle="Année scolaire 2025-2026").to_bytes()
    results.append((f"recap, {RECAP_ROWS} rows (renderer)", time.perf_counter() - start, len(PdfReader(io.BytesIO(data)).pages), len(data)))
    return results


def through_routes(runs: int) -> list[tuple[str, float, int, int, int]]:
    """The download routes on a populated console: (name, median seconds, pages, bytes, SQL statements)."""
    from pypdf import PdfReader

    from app.extensions import db
    from app.testing import build_test_app, login

    folder = Path(tempfile.mkdtemp(prefix="occe-bench-documents-"))
    app = build_test_app(folder, name="bench_documents", plugin_packages=["plain_plugins"], SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'occe.db'}")
    ids = populate(app)
    client = app.test_client()
    login(client, "animation")
    with app.app_context():
        engine = db.engine
    urls = {
        f"diplomas, {DIPLOMAS} classes (route)": f"/documents/action/{ids['diplomas']}/diplomes.pdf",
        f"recap, {RECAP_ROWS} registrations (route)": f"/documents/action/{ids['recap']}/recapitulatif.pdf",
    }
    results = []
    for name, url in urls.items():
        times, statements, data = [], 0, b""
        for _ in range(runs):
            with counting(engine) as counter:
                start = time.perf_counter()
                response = client.get(url)
                data = response.get_data()
                times.append(time.perf_counter() - start)
            assert response.status_code == 200 and response.mimetype == "application/pdf", (url, response.status_code)
            statements = counter["statements"]
        results.append((name, statistics.median(times), len(PdfReader(io.BytesIO(data)).pages), len(data), statements))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print("| document | time | budget | pages | size | SQL statements |")
    print("|---|---|---|---|---|---|")
    for name, seconds, pages, size in render_only():
        print(f"| {name} | {seconds:.2f} s | {BUDGET_S:.0f} s | {pages} | {size / 1e3:.0f} kB | |")
    for name, seconds, pages, size, statements in through_routes(args.runs):
        print(f"| {name} | {seconds:.2f} s | {BUDGET_S:.0f} s | {pages} | {size / 1e3:.0f} kB | {statements} |")


if __name__ == "__main__":
    main()
