"""Activity report benchmark on a national-scale year.

The data of ``actions.py`` (50,000 cooperatives, 250,000 classes, 20 actions
with 1,000,000 registrations, 8,000 intervention requests) plus the
memberships of the year and of the year before (100,000 rows), with every
plugin of the project on. Measures the report of the year: collecting every
section (SQL aggregates), then writing the DOCX and the PDF with their charts.
Budget (issue 11): the whole report under 10 s.

    .venv/bin/python benchmarks/report.py [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchmarks.actions import _count, _insert, populate_actions, populate_interventions  # noqa: E402
from benchmarks.directory import COOPERATIVES, populate  # noqa: E402

BUDGET = 10.0


def populate_memberships(app) -> None:
    """Each open cooperative's membership this year and the year before (slightly more members then)."""
    from app.directory.models import Membership
    from app.extensions import db
    from app.years.service import current_year, get_or_create_year, previous_label

    rng = random.Random(11)
    with app.app_context():
        year = current_year()
        previous = get_or_create_year(previous_label(year.label))
        db.session.commit()
        rows = []
        for cooperative_id in range(1, COOPERATIVES + 1):
            pupils = rng.randint(40, 250)
            for year_id, extra in ((year.id, 0), (previous.id, rng.randint(0, 8))):
                rows.append({"cooperative_id": cooperative_id, "school_year_id": year_id, "pupils": pupils + extra, "adults": rng.randint(3, 15), "status": "validee"})
        with db.engine.begin() as connection:
            _insert(connection, Membership.__table__, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated database in this folder")
    args = parser.parse_args()

    from app.testing import build_test_app

    folder = args.keep or Path(tempfile.mkdtemp(prefix="occe-bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not (folder / "occe.db").exists()
    app = build_test_app(folder, name="bench_report", plugin_packages=["plugins"], migrate=fresh,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'occe.db'}")  # fmt: skip
    from app.actions.models import Registration
    from app.directory.models import Membership
    from app.extensions import db
    from app.interventions.models import InterventionRequest
    from app.report import charts
    from app.report.collect import build_report
    from app.report.docx_writer import write_docx
    from app.report.pdf_writer import write_pdf
    from app.years.service import current_year

    start = time.perf_counter()
    generated = []
    if fresh:
        populate(app)
        generated.append("directory")
    if not _count(app, Registration):
        populate_actions(app)
        generated.append("registrations")
    if not _count(app, InterventionRequest):
        populate_interventions(app)
        generated.append("intervention requests")
    if not _count(app, Membership):
        populate_memberships(app)
        generated.append("memberships")
    if generated:
        print(f"data generated in {time.perf_counter() - start:.1f} s ({', '.join(generated)})")
        print()

    timings: dict[str, list[float]] = {"sections (SQL)": [], "DOCX": [], "PDF": [], "whole report": []}
    try:
        for _ in range(args.runs):
            charts.render.cache_clear()
            with app.test_request_context():
                year = current_year()
                began = time.perf_counter()
                report = build_report(year)
                collected = time.perf_counter()
                write_docx(report, folder / "rapport.docx")
                written = time.perf_counter()
                write_pdf(report, folder / "rapport.pdf")
                done = time.perf_counter()
                db.session.rollback()
            timings["sections (SQL)"].append(collected - began)
            timings["DOCX"].append(written - collected)
            timings["PDF"].append(done - written)
            timings["whole report"].append(done - began)
        print(f"{len(report.sections)} sections, {sum(len(s.charts) for s in report.sections)} charts; missing: {', '.join(report.missing) or 'none'}")
        print("| activity report, national scale | median | min | max | budget |")
        print("|---|---|---|---|---|")
        for name, values in timings.items():
            budget = f"{BUDGET:.0f} s" if name == "whole report" else ""
            print(f"| {name} | {statistics.median(values):.2f} s | {min(values):.2f} s | {max(values):.2f} s | {budget} |")
    finally:
        if not args.keep:
            with app.app_context():
                db.engine.dispose()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
