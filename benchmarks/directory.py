"""Directory benchmark on national-scale data (issue 3).

50,000 cooperatives (with their schools and mandataires), 250,000 classes and
50,000 people. Measures the cooperative and class list pages (sorted,
filtered, searched) against a plain FAB ModelView over the same tables, the
SQL statements each page issues, and the streamed export of 50,000
cooperatives. Budgets: no slower than plain FAB, at most 8 statements a
page whatever the page size, export under 1 s.

    .venv/bin/python benchmarks/directory.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COOPERATIVES = 50_000
CLASSES = 250_000
SECTORS = 100


def populate(app) -> None:
    """Bulk-insert the national-scale rows with Core executemany (minutes with the ORM, seconds here)."""
    from app.directory.models import Classroom, Cooperative, Person, School, Sector
    from app.directory.rules import uai_check_letter
    from app.extensions import db
    from app.years.service import current_year

    rng = random.Random(3)
    with app.app_context():
        year_id = current_year().id
        with db.engine.begin() as connection:
            connection.execute(Sector.__table__.insert(), [{"id": i, "name": f"Secteur {i:03d}"} for i in range(1, SECTORS + 1)])
            schools, people, coops = [], [], []
            for i in range(1, COOPERATIVES + 1):
                digits = f"{i:07d}"
                sector = rng.randint(1, SECTORS)
                schools.append({"id": i, "uai": digits + uai_check_letter(digits), "name": f"École {i}", "kind": "primaire",
                                "commune": f"Commune {rng.randint(1, 20_000)}", "postal_code": "02000", "sector_id": sector})
                people.append({"id": i, "first_name": "Prénom", "last_name": f"Nom{i}", "email": f"p{i}@example.org", "function": "mandataire", "school_id": i})
                coops.append({"id": i, "affiliation_number": f"N{i:06d}", "kind": "cooperative", "status": "active" if i % 50 else "fermee",
                              "school_id": i, "sector_id": sector, "mandataire_id": i})
            connection.execute(School.__table__.insert(), schools)
            connection.execute(Person.__table__.insert(), people)
            connection.execute(Cooperative.__table__.insert(), coops)
            batch = []
            for i in range(1, CLASSES + 1):
                batch.append({"school_year_id": year_id, "school_id": rng.randint(1, COOPERATIVES), "teacher_id": rng.randint(1, COOPERATIVES),
                              "name": f"Classe {i}", "levels": "CE1-CE2", "cycles": "2", "pupils": rng.randint(15, 30)})
                if len(batch) == 50_000:
                    connection.execute(Classroom.__table__.insert(), batch)
                    batch = []
            if batch:
                connection.execute(Classroom.__table__.insert(), batch)


@contextmanager
def counting(engine):
    """Count the SQL statements sent while the block runs."""
    from sqlalchemy import event

    counter = {"statements": 0}

    def count(*args):
        counter["statements"] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", count)


def measure(client, engine, url: str, runs: int) -> tuple[float, int]:
    client.get(url)  # warm caches
    times, statements = [], 0
    for _ in range(runs):
        with counting(engine) as counter:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        statements = counter["statements"]
    return statistics.median(times), statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated database in this folder")
    args = parser.parse_args()

    from app.extensions import db
    from app.testing import build_test_app, login

    folder = args.keep or Path(tempfile.mkdtemp(prefix="occe-bench-directory-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not (folder / "occe.db").exists()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    app = build_test_app(folder, name="bench_directory", plugin_packages=["plain_plugins"], migrate=fresh,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'occe.db'}")
    if fresh:
        start = time.perf_counter()
        populate(app)
        print(f"data generated in {time.perf_counter() - start:.1f} s ({COOPERATIVES} cooperatives, {CLASSES} classes, {COOPERATIVES} people)")
    client = app.test_client()
    login(client, "admin")
    with app.app_context():
        engine = db.engine
    pages = {
        "cooperatives, sorted by commune": ("/cooperativeview/list/?_oc_CooperativeView=school.commune&_od_CooperativeView=asc",
                                            "/plaincooperativeview/list/?_oc_PlainCooperativeView=school.commune&_od_PlainCooperativeView=asc"),
        "cooperatives, filtered (status)": ("/cooperativeview/list/?_flt_0_status=fermee", "/plaincooperativeview/list/?_flt_0_status=fermee"),
        "cooperatives, searched (number)": ("/cooperativeview/list/?_flt_2_affiliation_number=N0123", "/plaincooperativeview/list/?_flt_2_affiliation_number=N0123"),
        "cooperatives, 100 a page": ("/cooperativeview/list/?psize_CooperativeView=100", "/plaincooperativeview/list/?psize_PlainCooperativeView=100"),
        "classes, sorted by pupils": ("/classroomview/list/?_oc_ClassroomView=pupils&_od_ClassroomView=desc",
                                      "/plainclassroomview/list/?_oc_PlainClassroomView=pupils&_od_PlainClassroomView=desc"),
        "classes, filtered (name)": ("/classroomview/list/?_flt_2_name=Classe 12", "/plainclassroomview/list/?_flt_2_name=Classe 12"),
        "classes, 100 a page": ("/classroomview/list/?psize_ClassroomView=100", "/plainclassroomview/list/?psize_PlainClassroomView=100"),
    }
    print("| page | console | plain FAB | ratio | SQL statements (console / plain) |")
    print("|---|---|---|---|---|")
    for name, (ours, plain) in pages.items():
        ours_time, ours_sql = measure(client, engine, ours, args.runs)
        plain_time, plain_sql = measure(client, engine, plain, args.runs)
        print(f"| {name} | {ours_time * 1000:.0f} ms | {plain_time * 1000:.0f} ms | {ours_time / plain_time:.2f} | {ours_sql} / {plain_sql} |")

    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get("/cooperativeview/export/csv")
        size = sum(len(chunk) for chunk in response.response)
        times.append(time.perf_counter() - start)
    print(f"| export of {COOPERATIVES} cooperatives (CSV, streamed) | {statistics.median(times) * 1000:.0f} ms | | | {size / 1e6:.1f} MB |")
    start = time.perf_counter()
    response = client.get("/cooperativeview/export/xlsx")
    size = sum(len(chunk) for chunk in response.response)
    print(f"| export of {COOPERATIVES} cooperatives (XLSX) | {(time.perf_counter() - start) * 1000:.0f} ms | | | {size / 1e6:.1f} MB |")


if __name__ == "__main__":
    main()
