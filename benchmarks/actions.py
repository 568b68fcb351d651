"""Actions and interventions benchmark on national-scale data.

The directory of ``directory.py`` (50,000 cooperatives, 250,000 classes), plus
20 actions of the current year with 1,000,000 registrations, and 5,000
waiting intervention requests with 3,000 realised ones of an earlier year.
Measures the registration list pages (sorted, filtered, 100 a page) against a
plain FAB ModelView over the same table, the SQL statements each page issues,
the streamed export of one action's registrations (about 50,000 rows), the
ranking of the 5,000 requests from the database and the selection page.
Budgets: no slower than plain FAB, at most 8 statements a page, export of
50,000 rows under 1 s, ranking under 200 ms.

    .venv/bin/python benchmarks/actions.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchmarks.directory import CLASSES, COOPERATIVES, counting, measure, populate  # noqa: E402

ACTIONS = 20
COOPERATIVE_ACTIONS = 2  # the last ones: a cooperative registers, not a class
REGISTRATIONS = 1_000_000
REQUESTS = 5_000
HISTORY = 3_000
BATCH = 50_000
#: A realistic mix: most requests are retained or still waiting for a decision.
STATUS_MIX = {"demandee": 30, "retenue": 35, "liste_attente": 10, "refusee": 5, "realisee": 15, "annulee": 5}


def _insert(connection, table, rows) -> None:
    """Core executemany, 50,000 rows at a time."""
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])


def _directory_rows(connection, year_id: int) -> tuple[list[tuple[int, int, int | None]], dict[int, int]]:
    """The year's classes as (id, school_id, teacher_id), and each school's cooperative."""
    from sqlalchemy import select

    from app.directory.models import Classroom, Cooperative

    classes = [tuple(row) for row in connection.execute(
        select(Classroom.id, Classroom.school_id, Classroom.teacher_id).filter(Classroom.school_year_id == year_id).order_by(Classroom.id)
    )]  # fmt: skip
    cooperative_of = dict(connection.execute(select(Cooperative.school_id, Cooperative.id)).all())
    return classes, cooperative_of


def populate_actions(app) -> None:
    """20 actions of the current year and 1,000,000 registrations to them (Core executemany)."""
    from app.actions.models import AUDIENCES, Action, Registration
    from app.extensions import db
    from app.years.service import current_year

    rng = random.Random(5)
    audiences = list(AUDIENCES)
    statuses, weights = list(STATUS_MIX), list(STATUS_MIX.values())
    with app.app_context():
        year = current_year()
        start = datetime.combine(year.start_date, datetime.min.time()) + timedelta(hours=8)
        span = int((datetime.combine(year.end_date, datetime.min.time()) - start).total_seconds())
        with db.engine.begin() as connection:
            classes, cooperative_of = _directory_rows(connection, year.id)
            cooperative_ids = sorted(set(cooperative_of.values()))
            actions = []
            for number in range(1, ACTIONS + 1):
                audience = audiences[1] if number > ACTIONS - COOPERATIVE_ACTIONS else audiences[0]
                actions.append({"school_year_id": year.id, "code": f"action-{number:02d}", "name": f"Action {number:02d}", "audience": audience,
                                "opens_on": year.start_date, "closes_on": year.end_date, "asks_motivation": False, "in_proposals": True,
                                "repeat_next_year": True, "version": 1})  # fmt: skip
            connection.execute(Action.__table__.insert(), actions)
            action_ids = [row.id for row in connection.execute(Action.__table__.select().filter_by(school_year_id=year.id).order_by("id"))]
            per_action = REGISTRATIONS // len(action_ids)
            rows = []
            for number, action_id in enumerate(action_ids, 1):
                chosen = rng.choices(statuses, weights, k=per_action)
                if number > ACTIONS - COOPERATIVE_ACTIONS:
                    who = [(cooperative, None) for cooperative in rng.sample(cooperative_ids, min(per_action, len(cooperative_ids)))]
                else:
                    who = [(cooperative_of[school_id], class_id) for class_id, school_id, _ in rng.sample(classes, per_action)]
                for (cooperative_id, classroom_id), status in zip(who, chosen, strict=False):
                    rows.append({"school_year_id": year.id, "action_id": action_id, "cooperative_id": cooperative_id, "classroom_id": classroom_id,
                                 "status": status, "requested_at": start + timedelta(seconds=rng.randrange(span)),
                                 "pupils": rng.randint(15, 30) if classroom_id else None, "quantity": None, "version": 1})  # fmt: skip
                if len(rows) >= BATCH:
                    _insert(connection, Registration.__table__, rows)
                    rows = []
            _insert(connection, Registration.__table__, rows)


def populate_interventions(app) -> None:
    """5,000 waiting requests of the current year, 3,000 realised ones of the year before (the history)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.interventions.models import DONE, REQUESTED, InterventionRequest, InterventionTheme
    from app.years.service import current_year, get_or_create_year, previous_label

    rng = random.Random(7)
    with app.app_context():
        year = current_year()
        earlier = get_or_create_year(previous_label(year.label))
        db.session.commit()
        start = datetime.combine(year.start_date, datetime.min.time()) + timedelta(hours=8)
        earlier_start = datetime.combine(earlier.start_date, datetime.min.time()) + timedelta(hours=8)
        span = 200 * 24 * 3600
        with db.engine.begin() as connection:
            themes = list(connection.execute(select(InterventionTheme.id)).scalars())
            classes, cooperative_of = _directory_rows(connection, year.id)
            by_school: dict[int, list[tuple[int, int, int | None]]] = {}
            for row in classes:
                by_school.setdefault(row[1], []).append(row)
            # a hundred schools where every class asks (the whole-team rule), random classes for the rest
            asking = [row for school_id in rng.sample(sorted(school for school, rows in by_school.items() if len(rows) >= 2), 100) for row in by_school[school_id]]
            asking += rng.sample(classes, REQUESTS - len(asking))
            requests = []
            for class_id, school_id, teacher_id in asking[:REQUESTS]:
                override = rng.random() < 0.01
                requests.append({"school_year_id": year.id, "cooperative_id": cooperative_of[school_id], "classroom_id": class_id, "teacher_id": teacher_id,
                                 "theme_id": rng.choice(themes), "requested_at": start + timedelta(seconds=rng.randrange(span)),
                                 "whole_team": rng.random() < 0.03, "status": REQUESTED, "override_points": rng.choice((-50, 25, 60)) if override else 0,
                                 "override_reason": "Décision du bureau" if override else None, "booklet_given": False, "version": 1})  # fmt: skip
            history = []
            # a tenth of the history helped a teacher who asks again for the same theme: those requests are excluded
            for request in rng.sample(requests, HISTORY // 10):
                history.append((request["cooperative_id"], request["teacher_id"], request["theme_id"]))
            for _, school_id, teacher_id in rng.sample(classes, HISTORY - len(history)):
                history.append((cooperative_of[school_id], teacher_id, rng.choice(themes)))
            done = []
            for cooperative_id, teacher_id, theme_id in history:
                at = earlier_start + timedelta(seconds=rng.randrange(span))
                done.append({"school_year_id": earlier.id, "cooperative_id": cooperative_id, "classroom_id": None, "teacher_id": teacher_id,
                             "theme_id": theme_id, "requested_at": at, "whole_team": False, "status": DONE, "override_points": 0,
                             "done_on": (at + timedelta(days=30)).date(), "booklet_given": True, "version": 1})  # fmt: skip
            _insert(connection, InterventionRequest.__table__, requests)
            _insert(connection, InterventionRequest.__table__, done)


def _count(app, model) -> int:
    from sqlalchemy import func, select

    from app.extensions import db

    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _export(client, url: str) -> tuple[float, int, int]:
    """Time of a full streamed download, its size in bytes and its number of data rows."""
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    chunks = [chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in response.response]
    elapsed = time.perf_counter() - start
    body = b"".join(chunks)
    return elapsed, len(body), body.count(b"\n") - 1


def registration_pages(client, engine, action_id: int, runs: int) -> None:
    print("### Registrations: list pages and export (budgets: no slower than plain FAB, at most 8 statements a page, export of 50,000 rows under 1 s)")
    print()
    pages = {
        "registrations, sorted by request date (default)": ("/registrationview/list/",
                                                            "/plainregistrationview/list/?_oc_PlainRegistrationView=requested_at&_od_PlainRegistrationView=asc"),
        "registrations, filtered (status)": ("/registrationview/list/?_flt_0_status=retenue", "/plainregistrationview/list/?_flt_0_status=retenue"),
        "registrations, filtered (action)": (f"/registrationview/list/?_flt_0_action={action_id}", f"/plainregistrationview/list/?_flt_0_action={action_id}"),
        "registrations, 100 a page": ("/registrationview/list/?psize_RegistrationView=100", "/plainregistrationview/list/?psize_PlainRegistrationView=100"),
    }  # fmt: skip
    print("| page | console | plain FAB | ratio | SQL statements (console / plain) |")
    print("|---|---|---|---|---|")
    for name, (ours, plain) in pages.items():
        ours_time, ours_sql = measure(client, engine, ours, runs)
        plain_time, plain_sql = measure(client, engine, plain, runs)
        print(f"| {name} | {ours_time * 1000:.0f} ms | {plain_time * 1000:.0f} ms | {ours_time / plain_time:.2f} | {ours_sql} / {plain_sql} |")
    url = f"/registrationview/export/csv?_flt_0_action={action_id}"
    times, statements = [], 0
    for _ in range(runs):
        with counting(engine) as counter:
            elapsed, size, rows = _export(client, url)
        times.append(elapsed)
        statements = counter["statements"]
    print(f"| export of one action's {rows} registrations (CSV, streamed) | {statistics.median(times) * 1000:.0f} ms | | | "
          f"{size / 1e6:.1f} MB, {statements} statements |")  # fmt: skip


def selection(app, client, engine, runs: int) -> None:
    from app.interventions import service
    from app.years.service import current_year

    print(f"### Interventions: ranking of {REQUESTS} requests from the database (budget: under 200 ms)")
    print()
    with app.app_context():
        year = current_year()
        ranked = service.ranking(year)  # warm caches
        times, statements = [], 0
        for _ in range(runs):
            with counting(engine) as counter:
                start = time.perf_counter()
                ranked = service.ranking(year)
                times.append(time.perf_counter() - start)
            statements = counter["statements"]
    excluded = sum(1 for item in ranked if item.excluded)
    print("| measure | median | min | max | budget |")
    print("|---|---|---|---|---|")
    print(f"| ranking(year): {len(ranked)} requests ({excluded} excluded), {HISTORY} realised before, {statements} statements | "
          f"{statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | 200 ms |")  # fmt: skip
    client.get("/interventions/selection/")  # warm caches
    times, statements = [], 0
    for _ in range(runs):
        with counting(engine) as counter:
            start = time.perf_counter()
            response = client.get("/interventions/selection/")
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        statements = counter["statements"]
    print(f"| selection page /interventions/selection/ (top 300 rows shown), {statements} statements | "
          f"{statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms | |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated database in this folder")
    args = parser.parse_args()

    from sqlalchemy import select

    from app.extensions import db
    from app.testing import build_test_app, login

    folder = args.keep or Path(tempfile.mkdtemp(prefix="occe-bench-actions-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not (folder / "occe.db").exists()
    app = build_test_app(folder, name="bench_actions", plugin_packages=["plain_plugins"], migrate=fresh,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'occe.db'}")  # fmt: skip
    # the models, once the app has mapped them all
    from app.actions.models import Action, Registration
    from app.interventions.models import InterventionRequest
    from app.years.service import current_year

    # a folder kept by directory.py has the directory only: add what is missing
    start = time.perf_counter()
    generated = []
    if fresh:
        populate(app)
        generated.append(f"{COOPERATIVES} cooperatives, {CLASSES} classes, {COOPERATIVES} people")
    if not _count(app, Registration):
        populate_actions(app)
        generated.append(f"{ACTIONS} actions, {REGISTRATIONS} registrations")
    if not _count(app, InterventionRequest):
        populate_interventions(app)
        generated.append(f"{REQUESTS} intervention requests, {HISTORY} realised the year before")
    if generated:
        print(f"data generated in {time.perf_counter() - start:.1f} s ({'; '.join(generated)})")
        print()
    client = app.test_client()
    login(client, "admin")
    with app.app_context():
        engine = db.engine
        action_id = db.session.execute(select(Action.id).filter_by(school_year_id=current_year().id).order_by(Action.id)).scalars().first()

    try:
        registration_pages(client, engine, action_id, args.runs)
        print()
        selection(app, client, engine, args.runs)
    finally:
        if not args.keep:  # about 300 MB of SQLite
            with app.app_context():
                db.engine.dispose()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
