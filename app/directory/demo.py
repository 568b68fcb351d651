"""Fictional but realistic directory for ``flask occe demo``: the Aisne's sectors, ~475 cooperatives.

Deterministic (seeded by the year's label) and idempotent. The memberships
reproduce the activity plan's totals: 469 cooperatives and 48,230 members in
2025-2026, 1,753 fewer than in 2024-2025. Any other year is a campaign in
progress. People are invented; their addresses use the reserved
``.example`` domain.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.directory import rules
from app.directory.models import Classroom, Cooperative, Membership, Person, School, Sector
from app.extensions import db

COOPERATIVES = 475
#: label → (member cooperatives, members); the plan's own figures.
PLAN_TOTALS = {"2025-2026": (469, 48_230), "2024-2025": (472, 49_983)}
IN_PROGRESS = (431, 44_120)

SECTORS = {
    "Laon": ["Laon", "Crépy", "Chambry", "Athies-sous-Laon", "Montcornet", "Sissonne", "Marle"],
    "Soissons": ["Soissons", "Belleu", "Vailly-sur-Aisne", "Crouy", "Cuffies", "Braine", "Vic-sur-Aisne"],
    "Chauny": ["Chauny", "Ognes", "Sinceny", "Viry-Noureuil", "Coucy-le-Château-Auffrique", "Folembray"],
    "Saint-Quentin Nord": ["Saint-Quentin", "Gauchy", "Fayet", "Holnon", "Vermand"],
    "Saint-Quentin Sud": ["Saint-Quentin", "Harly", "Homblières", "Ribemont", "Moy-de-l'Aisne"],
    "Château-Thierry": ["Château-Thierry", "Essômes-sur-Marne", "Brasles", "Charly-sur-Marne", "Fère-en-Tardenois", "Neuilly-Saint-Front"],
    "Hirson": ["Hirson", "Buire", "La Capelle", "Origny-en-Thiérache", "Wimy"],
    "Vervins": ["Vervins", "Sains-Richaumont", "Rozoy-sur-Serre", "Aubenton"],
    "Guise": ["Guise", "Flavigny-le-Grand-et-Beaurain", "Wassigny", "Origny-Sainte-Benoite"],
    "Villers-Cotterêts": ["Villers-Cotterêts", "La Ferté-Milon", "Vivières", "Oulchy-le-Château"],
    "Tergnier": ["Tergnier", "La Fère", "Beautor", "Vendeuil"],
    "Bohain": ["Bohain-en-Vermandois", "Fresnoy-le-Grand", "Seboncourt", "Étreux", "Le Nouvion-en-Thiérache"],
}
POSTAL_PREFIX = "02"
SCHOOL_NAMES = [
    "Jean Macé", "Louise Michel", "Jules Ferry", "Victor Hugo", "Jean de La Fontaine", "Les Tilleuls", "Paul Bert",
    "Pierre et Marie Curie", "Condorcet", "Les Marronniers", "Jacques Prévert", "George Sand", "Le Petit Prince",
    "Alexandre Dumas", "Jean Racine", "Les Coquelicots", "Robert Desnos", "Simone Veil", "Camille Claudel", "Jean Moulin",
]  # fmt: skip
FIRST_NAMES = [
    "Camille", "Julie", "Claire", "Sophie", "Nathalie", "Isabelle", "Aurélie", "Émilie", "Céline", "Sandrine", "Marion",
    "Laure", "Hélène", "Anne", "Chloé", "Thomas", "Nicolas", "Julien", "Pierre", "Mathieu", "Olivier", "Sébastien",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
    "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre",
    "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
]  # fmt: skip
KIND_WEIGHTS = {"maternelle": 25, "elementaire": 33, "primaire": 37, "college": 5}
KIND_LEVELS = {
    "maternelle": ["TPS", "PS", "MS", "GS"],
    "elementaire": ["CP", "CE1", "CE2", "CM1", "CM2"],
    "primaire": ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"],
    "college": ["6e", "5e", "4e", "3e"],
}
KIND_PUPILS = {"maternelle": (45, 120), "elementaire": (60, 230), "primaire": (40, 200), "college": (250, 520)}
PUPILS_PER_CLASS = 24


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() and c.isascii()).lower()


def _person(rng: random.Random, school: School, function: str) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Person(
        civility="Mme" if first in FIRST_NAMES[:15] else "M.",
        first_name=first,
        last_name=last,
        email=f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@ac-amiens.example",
        phone=rules.normalise_phone(f"03{rng.randint(10_000_000, 99_999_999)}"),
        function=function,
        school=school,
    )


def create_cooperatives() -> None:
    """Sectors, schools, mandataires and cooperatives, once."""
    rng = random.Random("occe02-directory")
    sectors = {name: Sector(name=name) for name in SECTORS}
    db.session.add_all(sectors.values())
    kinds = list(KIND_WEIGHTS)
    for index in range(1, COOPERATIVES + 1):
        sector_name = list(SECTORS)[index % len(SECTORS)]
        commune = rng.choice(SECTORS[sector_name])
        kind = rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0]
        digits = f"002{index:04d}"
        label = {"maternelle": "École maternelle", "elementaire": "École élémentaire", "primaire": "École primaire", "college": "Collège"}[kind]
        school = School(
            uai=digits + rules.uai_check_letter(digits),
            name=f"{label} {rng.choice(SCHOOL_NAMES)}",
            kind=kind,
            address=f"{rng.randint(1, 80)} rue {rng.choice(['de la République', 'des Écoles', 'Jean Jaurès', 'du Général de Gaulle', 'Pasteur'])}",
            postal_code=f"{POSTAL_PREFIX}{rng.randint(0, 9)}{rng.randint(0, 9)}0",
            commune=commune,
            sector=sectors[sector_name],
        )
        mandataire = _person(rng, school, "mandataire")
        cooperative = Cooperative(
            affiliation_number=f"02{index:04d}",
            kind="foyer" if kind == "college" else "cooperative",
            status="fermee" if index > COOPERATIVES - 3 else "active",
            school=school,
            sector=sectors[sector_name],
            mandataire=mandataire,
        )
        db.session.add_all([school, mandataire, cooperative])
    db.session.flush()


def _target(label: str) -> tuple[int, int]:
    return PLAN_TOTALS.get(label, IN_PROGRESS)


def _pupil_counts(cooperatives: list[Cooperative], rng: random.Random, target_members: int) -> list[tuple[int, int]]:
    """(pupils, adults) per cooperative, adding up exactly to ``target_members``."""
    drafts = []
    for cooperative in cooperatives:
        low, high = KIND_PUPILS[cooperative.school.kind]
        pupils = rng.randint(low, high)
        classes = max(1, round(pupils / PUPILS_PER_CLASS))
        drafts.append([pupils, classes + rng.randint(0, 3)])
    total = sum(pupils + adults for pupils, adults in drafts)
    scale = (target_members - sum(adults for _, adults in drafts)) / (total - sum(adults for _, adults in drafts))
    for draft in drafts:
        draft[0] = max(8, int(draft[0] * scale))
    gap = target_members - sum(pupils + adults for pupils, adults in drafts)
    step = 1 if gap > 0 else -1
    index = 0
    while gap:
        if drafts[index % len(drafts)][0] > 8 or step > 0:
            drafts[index % len(drafts)][0] += step
            gap -= step
        index += 1
    return [(pupils, adults) for pupils, adults in drafts]


def _classes(school: School, pupils: int, year, teachers: list[Person]) -> list[Classroom]:
    levels = KIND_LEVELS[school.kind]
    count = max(1, round(pupils / PUPILS_PER_CLASS))
    per_class, extra = divmod(pupils, count)
    result = []
    for index in range(count):
        span = levels[index * len(levels) // count : max(index * len(levels) // count + 1, (index + 1) * len(levels) // count)]
        span = span[:2]
        result.append(
            Classroom(
                school_year=year,
                school=school,
                teacher=teachers[index % len(teachers)],
                name=f"Classe {index + 1} ({'-'.join(span)})",
                levels="-".join(span),
                cycles=rules.cycles_of(span),
                pupils=per_class + (1 if index < extra else 0),
            )
        )
    return result


def load_directory_demo(year) -> None:
    """The directory for ``year``: cooperatives once, then this year's memberships and classes."""
    if not db.session.execute(select(func.count()).select_from(Cooperative)).scalar_one():
        create_cooperatives()
    if db.session.execute(select(func.count()).select_from(Membership).filter_by(school_year_id=year.id)).scalar_one():
        return
    rng = random.Random(f"occe02-{year.label}")
    members_target = _target(year.label)
    cooperatives = list(db.session.execute(select(Cooperative).order_by(Cooperative.id)).scalars())
    chosen = sorted(rng.sample(cooperatives, members_target[0]), key=lambda c: c.id)
    teachers_by_school = _teachers(chosen, rng)
    for cooperative, (pupils, adults) in zip(chosen, _pupil_counts(chosen, rng, members_target[1]), strict=True):
        joined = date(year.start_date.year, 9, 1).replace(day=rng.randint(5, 30))
        db.session.add(
            Membership(
                cooperative=cooperative,
                school_year=year,
                pupils=pupils,
                adults=adults,
                fee_per_member=Decimal("2.05"),
                insurance=True,
                joined_on=joined,
                validated_on=joined if year.label in PLAN_TOTALS else None,
                status="validee" if year.label in PLAN_TOTALS or rng.random() < 0.8 else "en_attente",
            )
        )
        db.session.add_all(_classes(cooperative.school, pupils, year, teachers_by_school[cooperative.school_id]))


def _teachers(cooperatives: list[Cooperative], rng: random.Random) -> dict[int, list[Person]]:
    """The teachers of each school, created the first time a year needs them."""
    school_ids = [cooperative.school_id for cooperative in cooperatives]
    existing: dict[int, list[Person]] = {school_id: [] for school_id in school_ids}
    for person in db.session.execute(select(Person).filter(Person.function == "enseignant", Person.school_id.in_(school_ids))).scalars():
        existing[person.school_id].append(person)
    for cooperative in cooperatives:
        if not existing[cooperative.school_id]:
            low, high = KIND_PUPILS[cooperative.school.kind]
            count = max(1, round((low + high) / 2 / PUPILS_PER_CLASS))
            existing[cooperative.school_id] = [_person(rng, cooperative.school, "enseignant") for _ in range(count)]
            db.session.add_all(existing[cooperative.school_id])
    return existing
