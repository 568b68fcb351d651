"""Demonstration rows of « La Picardie en Poésie »: deterministic, and never doubled when run again."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, timedelta

from sqlalchemy import select

from app.actions import service as registrations
from app.actions.models import ACCEPTED, Registration
from app.association.models import Partner
from app.directory.models import Classroom, Cooperative
from app.extensions import db
from app.partners.models import ActionPartner
from app.uploads.service import store_bytes

from . import services
from .models import ILLUSTRATION, POEM, PoesieChapter, PoesieDossier, PoesieProduction, PoesieResource

DOSSIERS = (
    ("Entrer en poésie", "Pistes pour lancer l'écriture poétique en classe, du cycle 1 au cycle 3.", (
        ("Le Printemps des Poètes : ressources pour la classe", "https://www.printempsdespoetes.com/"),
        ("Jeux d'écriture poétique (Eduscol)", "https://eduscol.education.fr/"),
    )),
    ("Poètes de Picardie", "Des poètes de la région et leurs textes, pour lire avant d'écrire.", (
        ("Textes de classes des années passées", "https://www.occe02.fr/picardie-en-poesie/"),
        ("La poésie à l'école : textes choisis (BnF Gallica)", "https://gallica.bnf.fr/"),
    )),
)

CHAPTERS = ("Les saisons", "Mon village", "Rêves")

POEMS = (
    ("L'hiver à Laon", 0, "La ville dort sous la neige,\nles remparts ont mis leur manteau ;\nau pied de la cathédrale\nles pigeons font le gros dos.\n\nQui a volé le soleil ?\nLe vent du nord, sans un mot !"),
    ("Le printemps des cerisiers", 0, "Un cerisier s'est réveillé\ndans la cour de l'école :\nil a mis sa robe blanche\net des abeilles dans ses cheveux.\n\nMaîtresse, on sort ?\nC'est le printemps qui nous appelle !"),
    ("Automne en Thiérache", 0, "Les pommes tombent dans l'herbe,\nles vaches regardent passer l'automne ;\nà Hirson le ciel est gris\nmais nos bottes font des flaques de joie."),
    ("L'été au bord de l'Oise", 0, "L'eau chante sous le pont de Chauny,\nles libellules font des ronds ;\nnous comptons les nuages :\nun lapin, un bateau, un dragon."),
    ("Ma rue", 1, "Dans ma rue il y a\nune boulangerie qui sent le matin,\nun chat roux sur une fenêtre,\net la voisine qui dit « bonjour ! »\nà tout le monde, même aux pigeons."),
    ("Le marché de Soissons", 1, "Des tomates rondes comme des joues,\ndes fromages qui racontent des histoires,\ndes fleurs qui se tiennent par la main :\nle samedi, la place est un poème."),
    ("Mon école", 1, "Mon école a trois fenêtres\net mille mots dans ses cahiers ;\nà la récréation\nles marelles vont jusqu'au ciel."),
    ("Saint-Quentin la nuit", 1, "La basilique allume ses étoiles,\nles rues se parlent tout bas ;\nmoi, à ma fenêtre,\nj'écoute la ville respirer."),
    ("Si j'étais un nuage", 2, "Si j'étais un nuage\nje pleuvrais du chocolat,\nje ferais de l'ombre aux lézards\net des bisous aux montagnes."),
    ("Le rêve du dragon", 2, "Le dragon de Château-Thierry\nrêve qu'il est un papillon ;\nil vole au-dessus de la Marne\net n'ose plus cracher de feu."),
    ("La lune dans ma poche", 2, "J'ai mis la lune dans ma poche\npour qu'elle ne se perde pas ;\nle soir, je la sors doucement :\nelle éclaire mes rêves."),
    ("Les mots qui dansent", None, "Les mots dansent sur la page,\nils font la ronde, ils font des vagues ;\nquand le maître les attrape\nils s'envolent en riant."),
)


def _png(width: int, height: int, seed: int) -> bytes:
    """A small PNG drawn in memory (bands of colour: a child's landscape), no imaging library needed."""
    rng = random.Random(seed)
    bands = [(rng.randint(60, 250), rng.randint(60, 250), rng.randint(60, 250)) for _ in range(5)]
    rows = []
    for y in range(height):
        colour = bands[min(len(bands) - 1, y * len(bands) // height)]
        rows.append(b"\x00" + bytes(colour) * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")


def _publisher(action) -> None:
    partner = db.session.execute(select(Partner).filter_by(name=services.PUBLISHER)).scalar_one_or_none()
    if partner is None:
        partner = Partner(name=services.PUBLISHER, kind="editeur", notes="La Picardie en poésie, avec Michel Fiévet.", active=True)
        db.session.add(partner)
        db.session.flush()
    if db.session.execute(select(ActionPartner.id).filter_by(action_id=action.id, partner_id=partner.id)).first() is None:
        db.session.add(ActionPartner(action_id=action.id, partner_id=partner.id))


def _classes(year, action) -> list[Registration]:
    existing = services.live_registrations([action.id])
    if existing:
        return existing
    classes = db.session.execute(
        select(Classroom).filter(Classroom.school_year_id == year.id, Classroom.cycles.in_(("2", "3", "2-3"))).order_by(Classroom.id)
    ).scalars().all()
    coops = dict(db.session.execute(select(Cooperative.school_id, Cooperative).order_by(Cooperative.id)).all())
    rng = random.Random(f"poesie-{year.label}")
    # primary classes only (cycle 3 also holds the 6e of the collèges)
    eligible = [c for c in classes if c.school_id in coops and not any(level in (c.levels or "") for level in ("6e", "5e", "4e", "3e"))]
    chosen = sorted(rng.sample(eligible, min(8, len(eligible))), key=lambda c: c.id)
    for classroom in chosen:
        try:
            registration = registrations.register(action, coops[classroom.school_id], classroom, today=action.opens_on, commit=False)
        except registrations.RegistrationRefused:
            continue
        db.session.flush()
        registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
    db.session.flush()
    return services.live_registrations([action.id])


def add_demo(year) -> None:
    """Dossiers with links, the chapters « Les saisons », « Mon village », « Rêves », ~12 productions (one illustrated)."""
    action = services.ensure_action(year)
    _publisher(action)
    for position, (title, description, links) in enumerate(DOSSIERS, start=1):
        dossier = db.session.execute(select(PoesieDossier).filter_by(action_id=action.id, title=title)).scalar_one_or_none()
        if dossier is None:
            dossier = PoesieDossier(action_id=action.id, school_year_id=year.id, title=title, description=description, position=position)
            db.session.add(dossier)
            db.session.flush()
            for link_title, url in links:
                db.session.add(PoesieResource(dossier_id=dossier.id, action_id=action.id, title=link_title, url=url))
    chapters = []
    for position, title in enumerate(CHAPTERS, start=1):
        chapter = db.session.execute(select(PoesieChapter).filter_by(action_id=action.id, title=title)).scalar_one_or_none()
        if chapter is None:
            chapter = PoesieChapter(action_id=action.id, school_year_id=year.id, title=title, position=position)
            db.session.add(chapter)
            db.session.flush()
        chapters.append(chapter)
    classes = _classes(year, action)
    if not classes or db.session.execute(select(PoesieProduction.id).filter_by(action_id=action.id).limit(1)).first():
        return
    received = date(year.start_date.year + 1, 3, 2)
    positions = {chapter.id: 0 for chapter in chapters}
    for number, (title, chapter_index, text) in enumerate(POEMS):
        registration = classes[number % len(classes)]
        chapter = chapters[chapter_index] if chapter_index is not None and number != 7 else None
        production = PoesieProduction(
            action_id=action.id, school_year_id=year.id, registration_id=registration.id, title=title, kind=POEM, text=text,
            author_line=f"Les élèves de {registration.classroom.levels}" if registration.classroom else None,
            received_at=received + timedelta(days=number * 3),
        )  # fmt: skip
        if chapter is not None:
            positions[chapter.id] += 1
            production.chapter_id, production.position = chapter.id, positions[chapter.id]
        db.session.add(production)
    # one illustration, drawn by a class, in « Rêves »
    registration = classes[-1]
    image = store_bytes("reve-illustre.png", _png(240, 160, 2), "png")
    positions[chapters[2].id] += 1
    db.session.add(
        PoesieProduction(
            action_id=action.id, school_year_id=year.id, registration_id=registration.id, title="Le pays des rêves", kind=ILLUSTRATION,
            file_id=image.id, received_at=received + timedelta(days=40), chapter_id=chapters[2].id, position=positions[chapters[2].id],
        )  # fmt: skip
    )
    db.session.flush()
