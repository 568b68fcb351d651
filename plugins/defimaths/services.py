"""Business rules of DéfiMaths, as plain functions over the session."""

from __future__ import annotations

import random
import re
from datetime import date

from sqlalchemy import case, func, select

from app.actions import service as registrations
from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, CLASS_AUDIENCE, PLACE_STATUSES, Action, Registration
from app.directory.models import Classroom, Cooperative, School
from app.actions.figures import plugin_registrations
from app.extensions import db

from .models import CYCLES, DEFAULT_DEPARTMENT, DefimathsAnswer, DefimathsEdition, DefimathsProblem, DefimathsRound

CODE = "defimaths"
ROUNDS = (1, 2, 3)
TEMPLATE = f"{CODE}:manche"


# --- cycles ------------------------------------------------------------------------------------


def class_cycle(cycles: str | None) -> int | None:
    """The cycle whose problems a class works: the highest of 1, 2, 3 among its cycles ("2-3" → 3), or None.

    A mixed class (« 1-2 », « 2-3 ») works the problems of its older pupils'
    cycle, as the three departments advise; a collège class (« 4 ») has none.
    """
    found = [int(part) for part in re.findall(r"\d", cycles or "") if part in "123"]
    return max(found) if found else None


def eligibility_problem(classroom) -> str | None:
    """DéfiMaths is for classes of cycles 1, 2 and 3 (French reason, or None)."""
    if classroom is None:
        return "Le DéfiMaths s'adresse aux classes : inscrivez une classe, pas la coopérative entière."
    if class_cycle(classroom.cycles) is None:
        return f"La classe « {classroom.name} » est de cycle {classroom.cycles} : le DéfiMaths s'adresse aux cycles 1, 2 et 3."
    return None


# --- the edition -------------------------------------------------------------------------------


def edition_of(year) -> DefimathsEdition | None:
    if year is None:
        return None
    return db.session.execute(select(DefimathsEdition).filter_by(school_year_id=year.id)).scalar_one_or_none()


def ensure_edition(year, theme: str | None = None, resource_url: str | None = None) -> DefimathsEdition:
    """The edition of ``year`` with its core action and its three rounds, created when missing. The caller commits."""
    start = year.start_date.year
    action = ensure_action(
        year, CODE, "DéfiMaths", plugin_code=CODE, audience=CLASS_AUDIENCE,
        description="Défi mathématique coopératif : 3 manches de 2 ou 3 épreuves par cycle, résolues par toute la classe.",
        opens_on=date(start, 9, 1), closes_on=date(start, 11, 30),
    )  # fmt: skip
    edition = edition_of(year)
    if edition is None:
        edition = DefimathsEdition(school_year_id=year.id, action_id=action.id, theme=theme, resource_url=resource_url)
        db.session.add(edition)
        db.session.flush()
    existing = set(db.session.execute(select(DefimathsRound.number).filter_by(edition_id=edition.id)).scalars())
    for number in ROUNDS:
        if number not in existing:
            db.session.add(DefimathsRound(edition_id=edition.id, school_year_id=year.id, number=number))
    db.session.flush()
    return edition


def carry_edition(previous, year) -> DefimathsEdition:
    """The new year's edition shell: empty theme, the resource dossier's address kept. The caller commits."""
    before = edition_of(previous)
    edition = ensure_edition(year)
    if before is not None and not edition.resource_url:
        edition.resource_url = before.resource_url
    return edition


# --- sending a round ---------------------------------------------------------------------------


def problems_by_cycle(round_: DefimathsRound) -> dict[int, list[DefimathsProblem]]:
    found: dict[int, list[DefimathsProblem]] = {cycle: [] for cycle in CYCLES}
    query = select(DefimathsProblem).filter_by(round_id=round_.id).order_by(DefimathsProblem.cycle, DefimathsProblem.number)
    for problem in db.session.execute(query).scalars():
        found.setdefault(problem.cycle, []).append(problem)
    return found


def round_recipients(round_: DefimathsRound):
    """One recipient per address (the core's ``action_recipients``, classes « retenue »), each with its cycles' problems.

    Each recipient's context gains ``cycles``: a list of ``{cycle, label,
    department, problems}`` for the cycles of its classes (a teacher with a
    cycle 2 and a cycle 3 class gets both), and each class gains ``cycle``.
    """
    from app.mail.recipients import action_recipients

    action = db.session.get(Action, round_.edition.action_id)
    recipients = action_recipients(action, (ACCEPTED,))
    rows = db.session.execute(
        select(Cooperative.affiliation_number, Classroom.name, Classroom.levels, Classroom.cycles)
        .select_from(Registration)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .join(Classroom, Registration.classroom_id == Classroom.id)
        .filter(Registration.action_id == action.id, Registration.status == ACCEPTED)
    )
    cycle_of = {(number, name, levels): class_cycle(cycles) for number, name, levels, cycles in rows}
    problems = problems_by_cycle(round_)
    for recipient in recipients.recipients:
        number = (recipient.context.get("cooperative") or {}).get("affiliation_number")
        cycles: list[int] = []
        for classroom in recipient.context.get("classrooms") or []:
            classroom["cycle"] = cycle_of.get((number, classroom["name"], classroom["levels"]))
            if classroom["cycle"] and classroom["cycle"] not in cycles:
                cycles.append(classroom["cycle"])
        recipient.context["cycles"] = [
            {
                "cycle": cycle,
                "label": CYCLES[cycle],
                "department": DEFAULT_DEPARTMENT[cycle],
                "problems": [
                    {"number": p.number, "title": p.title, "statement": p.statement or "", "max_points": p.max_points, "department": p.author_department}
                    for p in problems.get(cycle, [])
                ],
            }
            for cycle in sorted(cycles)
        ]
    return recipients


def round_extras(round_: DefimathsRound) -> dict:
    edition = round_.edition
    due = round_.answers_due.strftime("%d/%m/%Y") if round_.answers_due else ""
    return {"manche": {"number": round_.number, "answers_due": due, "theme": edition.theme or "", "resource_url": edition.resource_url or ""}}


def missing_problems(round_: DefimathsRound) -> list[str]:
    """French lines naming the cycles with fewer than 2 problems (a round has 2 or 3 per cycle)."""
    return [
        f"{CYCLES[cycle]} : {len(found)} épreuve(s) saisie(s) pour la manche {round_.number} (il en faut 2 ou 3)."
        for cycle, found in problems_by_cycle(round_).items()
        if cycle in CYCLES and len(found) not in (2, 3)
    ]


def preview_round(round_: DefimathsRound, count: int = 3):
    from app.mail import service as mail_service

    return mail_service.preview(TEMPLATE, round_recipients(round_), round_extras(round_), year=round_.edition.school_year, count=count)


def send_round(round_: DefimathsRound, user_id: int | None = None, today: date | None = None):
    """Queue one personalised mail per registered address with its cycles' problems, mark the round sent. The caller commits."""
    from app.mail import service as mail_service

    batch = mail_service.queue(
        TEMPLATE, round_recipients(round_), round_extras(round_),
        label=f"DéfiMaths {round_.edition.school_year.label} : manche {round_.number}",
        module=CODE, year=round_.edition.school_year, user_id=user_id, commit=False,
    )  # fmt: skip
    round_.sent_on = today or date.today()
    return batch


# --- scores ------------------------------------------------------------------------------------


def totals(year) -> list[dict]:
    """Each class taking part (retenue or réalisée): points per round and overall, ranked; one grouped query."""
    edition = edition_of(year)
    if edition is None:
        return []
    per_round = [func.coalesce(func.sum(case((DefimathsRound.number == n, DefimathsAnswer.points), else_=0)), 0).label(f"r{n}") for n in ROUNDS]
    total = func.coalesce(func.sum(DefimathsAnswer.points), 0).label("total")
    query = (
        select(Registration.id, Classroom.name, Classroom.cycles, School.name.label("school"), School.commune, *per_round, total)
        .select_from(Registration)
        .join(Classroom, Registration.classroom_id == Classroom.id)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .join(School, Cooperative.school_id == School.id)
        .outerjoin(DefimathsAnswer, DefimathsAnswer.registration_id == Registration.id)
        .outerjoin(DefimathsProblem, DefimathsAnswer.problem_id == DefimathsProblem.id)
        .outerjoin(DefimathsRound, DefimathsProblem.round_id == DefimathsRound.id)
        .filter(Registration.action_id == edition.action_id, Registration.status.in_(PLACE_STATUSES))
        .group_by(Registration.id, Classroom.name, Classroom.cycles, School.name, School.commune)
        .order_by(total.desc(), School.name, Classroom.name)
    )
    rows, rank, previous = [], 0, None
    for index, row in enumerate(db.session.execute(query), start=1):
        if row.total != previous:
            rank, previous = index, row.total
        rows.append({
            "rank": rank, "registration_id": row.id, "classroom": row.name, "cycle": class_cycle(row.cycles),
            "school": row.school, "commune": row.commune, "rounds": [row.r1, row.r2, row.r3], "total": row.total,
        })  # fmt: skip
    return rows


def diplomas(year):
    """One diploma page per class taking part (retenue or réalisée), in one PDF; None when there is none."""
    from app.documents.render import DiplomaRecipient, diploma

    edition = edition_of(year)
    if edition is None:
        return None
    query = (
        select(Classroom.name, Classroom.levels, School.name)
        .select_from(Registration)
        .join(Classroom, Registration.classroom_id == Classroom.id)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .join(School, Cooperative.school_id == School.id)
        .filter(Registration.action_id == edition.action_id, Registration.status.in_(PLACE_STATUSES))
        .order_by(School.name, Classroom.name)
    )
    recipients = [DiplomaRecipient(name, school, levels) for name, levels, school in db.session.execute(query)]
    if not recipients:
        return None
    theme = f" sur le thème « {edition.theme} »" if edition.theme else ""
    text = f"pour avoir relevé les trois manches du DéfiMaths{theme}, en cherchant ensemble. Bravo !"
    return diploma(recipients, action="DéfiMaths", year=year, text=text), len(recipients)


def count_for(year) -> int:
    """Classes (or cooperatives) registered to this plugin's actions in ``year``, refusals and cancellations left out."""
    return plugin_registrations(CODE, year)


# --- demo --------------------------------------------------------------------------------------

DEMO_PROBLEMS = {
    1: (
        ("Les couleurs du peintre", "Le peintre a 3 pots de peinture rouge et 2 pots bleus. Combien de pots a-t-il en tout ? Montrez-le avec des jetons."),
        ("Le collier de perles", "Continuez le collier : perle rouge, perle jaune, perle rouge, perle jaune… Quelle est la 8e perle ?"),
    ),
    2: (
        ("Le musée des tableaux", "Dans la salle du musée, 4 murs portent chacun 6 tableaux. Combien de tableaux y a-t-il dans la salle ?"),
        ("La mosaïque", "Une mosaïque carrée mesure 5 carreaux de côté. Combien de carreaux faut-il pour la remplir ?"),
    ),
    3: (
        ("L'orchestre", "Un orchestre de 48 musiciens se range en rangées égales de plus de 5 musiciens. Trouvez toutes les façons possibles."),
        ("La frise de Vasarely", "Une frise répète un motif de 7 cm. Combien de motifs complets tiennent sur une bande de 1,5 m ? Quelle longueur reste-t-il ?"),
    ),
}


def add_demo(year) -> None:
    """The 2025-2026-style edition « Les arts »: 3 rounds × 3 cycles × 2 problems, ~40 classes, scores of rounds 1-2; once."""
    if edition_of(year) is not None and db.session.execute(select(DefimathsProblem.id).filter_by(school_year_id=year.id).limit(1)).first():
        return
    edition = ensure_edition(year, theme="Les arts", resource_url="https://www.occe02.fr/defimaths")
    edition.theme = edition.theme or "Les arts"
    start = year.start_date.year
    rounds = db.session.execute(select(DefimathsRound).filter_by(edition_id=edition.id).order_by(DefimathsRound.number)).scalars().all()
    problems: dict[tuple[int, int], list[DefimathsProblem]] = {}
    for round_ in rounds:
        round_.answers_due = date(start + 1, 2 * round_.number, 15)
        if round_.number <= 2:
            round_.sent_on = date(start + 1, 2 * round_.number - 1, 5)
        for cycle, texts in DEMO_PROBLEMS.items():
            for number, (title, statement) in enumerate(texts, start=1):
                problem = DefimathsProblem(
                    round_id=round_.id, school_year_id=year.id, cycle=cycle, number=number, title=f"{title} ({round_.number})",
                    statement=statement, author_department=DEFAULT_DEPARTMENT[cycle], max_points=10,
                )  # fmt: skip
                db.session.add(problem)
                problems.setdefault((round_.number, cycle), []).append(problem)
    db.session.flush()
    rng = random.Random(f"defimaths-{year.label}")
    classes = db.session.execute(
        select(Classroom).filter(Classroom.school_year_id == year.id).order_by(Classroom.id)
    ).scalars().all()
    eligible = [c for c in classes if class_cycle(c.cycles) is not None]
    coops = {school_id: coop for school_id, coop in db.session.execute(select(Cooperative.school_id, Cooperative).order_by(Cooperative.id)).all()}
    chosen = [c for c in rng.sample(eligible, min(40, len(eligible))) if c.school_id in coops]
    action = db.session.get(Action, edition.action_id)
    opens_on = action.opens_on or date(start, 9, 1)
    for classroom in sorted(chosen, key=lambda c: c.id):
        try:
            registration = registrations.register(action, coops[classroom.school_id], classroom, today=opens_on, commit=False)
        except registrations.RegistrationRefused:
            continue
        db.session.flush()
        registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
        for number in (1, 2):
            for problem in problems[(number, class_cycle(classroom.cycles))]:
                points = rng.randint(3, problem.max_points)
                db.session.add(DefimathsAnswer(registration_id=registration.id, problem_id=problem.id, school_year_id=year.id, answer="Réponse de la classe", points=points))
    db.session.flush()
