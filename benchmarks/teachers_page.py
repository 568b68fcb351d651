"""Teachers' page benchmark at the department's scale (issue 11).

469 cooperatives (their schools and mandataires), 2,000 classes, 12 actions
of the year (8 open), 3,000 registrations, 300 intervention requests, the
catalogue of themes and one link per cooperative. Measures GET of
``/enseignants/<token>`` for a school with 8 classes and a dozen requests:
median time and SQL statements. Budget: under 100 ms, a handful of statements.

    .venv/bin/python benchmarks/teachers_page.py [--runs 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
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

from directory import counting  # noqa: E402

COOPERATIVES = 469
CLASSES = 2_000
REGISTRATIONS = 3_000
INTERVENTIONS = 300
BUDGET_MS = 100


def populate(app) -> None:
    """Bulk-insert the department's rows (Core executemany)."""
    from app.actions.models import Action, Registration
    from app.directory.models import Classroom, Cooperative, Person, School, Sector
    from app.directory.rules import uai_check_letter
    from app.extensions import db
    from app.interventions.models import InterventionRequest, InterventionTheme
    from app.interventions.service import ensure_default_themes
    from app.years.service import current_year

    rng = random.Random(11)
    today = date.today()
    with app.app_context():
        year_id = current_year().id
        ensure_default_themes()
        db.session.commit()
        themes = [row[0] for row in db.session.query(InterventionTheme.id)]
        communes = ["Laon", "Soissons", "Chauny", "Saint-Quentin", "Hirson", "Château-Thierry"]
        with db.engine.begin() as connection:
            connection.execute(Sector.__table__.insert(), [{"id": i, "name": name} for i, name in enumerate(communes, 1)])
            schools, people, coops = [], [], []
            for i in range(1, COOPERATIVES + 1):
                digits = f"002{i:04d}"
                sector = rng.randint(1, len(communes))
                schools.append({"id": i, "uai": digits + uai_check_letter(digits), "name": f"École {i}", "kind": "primaire",
                                "commune": communes[sector - 1], "postal_code": "02000", "sector_id": sector})
                people.append({"id": i, "first_name": "Prénom", "last_name": f"Nom{i}", "email": f"p{i}@example.org", "function": "mandataire", "school_id": i})
                coops.append({"id": i, "affiliation_number": f"02{i:04d}", "kind": "cooperative", "status": "active",
                              "school_id": i, "sector_id": sector, "mandataire_id": i})
            connection.execute(School.__table__.insert(), schools)
            connection.execute(Person.__table__.insert(), people)
            connection.execute(Cooperative.__table__.insert(), coops)
            classes = []
            for i in range(1, CLASSES + 1):
                school = 1 if i <= 8 else rng.randint(2, COOPERATIVES)
                classes.append({"id": i, "school_year_id": year_id, "school_id": school, "teacher_id": school,
                                "name": f"Classe {i}", "levels": "CE1-CE2", "cycles": "2", "pupils": rng.randint(15, 30)})
            connection.execute(Classroom.__table__.insert(), classes)
            actions = []
            for i in range(1, 13):
                is_open = i <= 8
                actions.append({"id": i, "school_year_id": year_id, "code": f"action{i}", "name": f"Action {i}", "audience": "classe",
                                "description": "Une action de l'année.", "opens_on": today - timedelta(days=20),
                                "closes_on": today + timedelta(days=30) if is_open else today - timedelta(days=1),
                                "asks_motivation": i % 3 == 0, "in_proposals": True, "repeat_next_year": True, "version": 1})
            connection.execute(Action.__table__.insert(), actions)
            registrations, seen = [], set()
            while len(registrations) < REGISTRATIONS:
                klass = classes[rng.randrange(CLASSES)] if len(registrations) >= 12 else classes[len(registrations) % 8]
                action = rng.randint(1, 12)
                if (klass["id"], action) in seen:
                    continue
                seen.add((klass["id"], action))
                registrations.append({"action_id": action, "school_year_id": year_id, "cooperative_id": klass["school_id"],
                                      "classroom_id": klass["id"], "status": "demandee", "requested_at": datetime(2025, 9, 1) + timedelta(minutes=len(registrations)),
                                      "pupils": klass["pupils"], "version": 1})
            connection.execute(Registration.__table__.insert(), registrations)
            connection.execute(InterventionRequest.__table__.insert(), [
                {"school_year_id": year_id, "cooperative_id": klass["school_id"], "classroom_id": klass["id"], "theme_id": rng.choice(themes),
                 "requested_at": datetime(2025, 9, 2), "whole_team": False, "status": "demandee", "override_points": 0, "booklet_given": False, "version": 1}
                for klass in rng.sample(classes, INTERVENTIONS)
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated database in this folder")
    args = parser.parse_args()

    from app.directory.models import Cooperative
    from app.extensions import db
    from app.teachers.service import issue_link, links_for
    from app.testing import build_test_app
    from app.years.service import current_year

    folder = args.keep or Path(tempfile.mkdtemp(prefix="occe-bench-teachers-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not (folder / "occe.db").exists()
    app = build_test_app(folder, name="bench_teachers", plugin_packages=["plain_plugins"], migrate=fresh,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'occe.db'}")
    with app.test_request_context():
        if fresh:
            start = time.perf_counter()
            populate(app)
            year = current_year()
            links_for(range(1, COOPERATIVES + 1), year)
            print(f"data generated in {time.perf_counter() - start:.1f} s ({COOPERATIVES} cooperatives and links, {CLASSES} classes, "
                  f"{REGISTRATIONS} registrations, {INTERVENTIONS} intervention requests)")
        path = issue_link(db.session.get(Cooperative, 1), current_year())
        engine = db.engine
    client = app.test_client()
    client.get(path)  # warm caches
    times, statements = [], 0
    for _ in range(args.runs):
        with counting(engine) as counter:
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        statements = counter["statements"]
    median = statistics.median(times) * 1000
    print("| page | median | min | max | SQL statements | budget |")
    print("|---|---|---|---|---|---|")
    print(f"| GET /enseignants/<token> (8 classes, 8 open actions) | {median:.0f} ms | {min(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | {statements} | {BUDGET_MS} ms |")


if __name__ == "__main__":
    main()
