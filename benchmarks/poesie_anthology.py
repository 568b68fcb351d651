"""La Picardie en Poésie benchmark (issue 10): the anthology of 60 productions as one PDF, budget under 10 s.

60 productions in 3 chapters: text poems of 8 to 40 lines (French, with
quotes, apostrophes and « : ; ! ? » to typeset) and one PNG illustration in
ten, drawn in memory. Measured twice: the renderer alone
(``plugins.poesie.anthology``, no database), and the download route end to
end (query, file contents, render, response) on a fresh SQLite console.

    .venv/bin/python benchmarks/poesie_anthology.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PRODUCTIONS = 60
CLASSES = 20
BUDGET_S = 10.0
WORDS = (
    "la neige", "le vent", "l'Oise", "les remparts de Laon", "un oiseau", "la lune", "mon village", "le marché", "les étoiles",
    "la forêt de Saint-Gobain", "un nuage", "la rivière", "le clocher", "les coquelicots", "l'hiver", "la pluie", "un rêve",
)
VERBS = ("chante", "danse", "s'endort", "murmure", "s'envole", "rêve", "attend", "sourit", "s'allume", "court")
ENDINGS = (" ;", " !", " ?", " :", ",", "", ".", " …")


def poem(rng: random.Random, lines: int) -> str:
    verses = []
    for number in range(lines):
        if number and number % 6 == 0:
            verses.append("")
        verse = f"{rng.choice(WORDS).capitalize()} {rng.choice(VERBS)} sur {rng.choice(WORDS)}{rng.choice(ENDINGS)}"
        if rng.random() < 0.15:
            verse += f" « {rng.choice(WORDS)} », dit {rng.choice(WORDS)}, et la classe l'écoute longtemps sans rien dire"
        verses.append(verse)
    return "\n".join(verses)


def productions() -> list[tuple[str, str, bytes | None]]:
    """(title, text, png) for the 60 productions, always the same."""
    from plugins.poesie.demo import _png

    rng = random.Random(10)
    result = []
    for number in range(1, PRODUCTIONS + 1):
        if number % 10 == 0:
            result.append((f"Dessin n° {number}", "", _png(rng.randint(200, 400), rng.randint(150, 300), number)))
        else:
            result.append((f"Poème n° {number} : {rng.choice(WORDS)}", poem(rng, rng.randint(8, 40)), None))
    return result


def render_only() -> tuple[float, int, int]:
    """The renderer alone: (seconds, pages, bytes)."""
    from pypdf import PdfReader

    from plugins.poesie.anthology import Chapter, Piece, build

    chapters = [Chapter(title) for title in ("Les saisons", "Mon village", "Rêves")]
    for index, (title, text, image) in enumerate(productions()):
        chapters[index % 3].pieces.append(Piece(title, f"Classe de CM1 n° {index % CLASSES + 1} — École Jean Macé, Laon", text=text, image=image))
    start = time.perf_counter()
    data = build(chapters, "2025-2026", association="OCCE 02", publishers=["Éditions L'ail des ours"]).to_bytes()
    seconds = time.perf_counter() - start
    return seconds, len(PdfReader(io.BytesIO(data)).pages), len(data)


def populate(app) -> None:
    """20 classes registered to the year's action, 3 chapters, 60 productions placed in them (one image in ten)."""
    from app.actions.models import ACCEPTED, Registration
    from app.directory.models import Classroom, Cooperative, School
    from app.extensions import db
    from app.plugins.switches import current_manager, is_on, set_switch
    from app.uploads.service import store_bytes
    from app.years.service import current_year
    from plugins.poesie.models import PoesieChapter, PoesieProduction
    from plugins.poesie.services import ensure_action

    with app.app_context():
        year = current_year()
        plugin = current_manager().get("poesie")
        if not is_on(plugin, year):
            set_switch(current_manager(), plugin, year, True)
        action = ensure_action(year)
        school = School(uai="0020001R", name="École Jean Macé", commune="Laon")
        coop = Cooperative(affiliation_number="020001", school=school, status="active")
        db.session.add_all([school, coop])
        db.session.flush()
        registrations = []
        for number in range(1, CLASSES + 1):
            classroom = Classroom(school_year_id=year.id, school_id=school.id, name=f"CM1 n° {number}", levels="CM1", cycles="3", pupils=24)
            db.session.add(classroom)
            db.session.flush()
            registration = Registration(action_id=action.id, school_year_id=year.id, cooperative_id=coop.id, classroom_id=classroom.id, status=ACCEPTED)
            db.session.add(registration)
            registrations.append(registration)
        chapters = [PoesieChapter(action_id=action.id, school_year_id=year.id, title=title, position=n) for n, title in enumerate(("Les saisons", "Mon village", "Rêves"), 1)]
        db.session.add_all(chapters)
        db.session.flush()
        for index, (title, text, image) in enumerate(productions()):
            stored = store_bytes(f"dessin-{index}.png", image, "png") if image else None
            db.session.add(
                PoesieProduction(
                    action_id=action.id, school_year_id=year.id, registration_id=registrations[index % CLASSES].id, title=title,
                    kind="illustration" if image else "poeme", text=text or None, file_id=stored.id if stored else None,
                    received_at=date(year.start_date.year + 1, 3, 1), chapter_id=chapters[index % 3].id, position=index // 3 + 1,
                )  # fmt: skip
            )
        db.session.commit()


def through_route(runs: int) -> tuple[float, int, int]:
    """``/poesie/ouvrage.pdf`` on a populated console: (median seconds, pages, bytes)."""
    from pypdf import PdfReader

    from app.testing import build_test_app, login

    others = [path.name for path in (ROOT / "plugins").iterdir() if path.is_dir() and path.name not in ("poesie", "__pycache__")]
    folder = Path(tempfile.mkdtemp(prefix="occe-bench-poesie-"))
    app = build_test_app(
        folder, name="bench_poesie", plugin_packages=["plugins"], OCCE_BLOCKED_PLUGINS=others, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'occe.db'}"
    )
    populate(app)
    client = app.test_client()
    login(client, "animation")
    times, data = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get("/poesie/ouvrage.pdf")
        data = response.get_data()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
    return statistics.median(times), len(PdfReader(io.BytesIO(data)).pages), len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print("| document | time | budget | pages | size |")
    print("|---|---|---|---|---|")
    seconds, pages, size = render_only()
    print(f"| anthology, {PRODUCTIONS} productions (renderer) | {seconds:.2f} s | {BUDGET_S:.0f} s | {pages} | {size / 1e3:.0f} kB |")
    seconds, pages, size = through_route(args.runs)
    print(f"| anthology, {PRODUCTIONS} productions (route) | {seconds:.2f} s | {BUDGET_S:.0f} s | {pages} | {size / 1e3:.0f} kB |")


if __name__ == "__main__":
    main()
