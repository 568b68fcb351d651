"""From the database to the anthology: the chapters' productions in order, with their texts and images."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.partners.models import ActionPartner
from app.uploads.service import content

from . import services
from .anthology import Chapter, Piece, build


def piece_of(production) -> Piece:
    stored = production.file
    image = content(stored) if stored is not None and stored.kind in ("png", "jpeg") else None
    original = stored.filename if stored is not None and stored.kind == "pdf" else ""
    return Piece(title=production.title, credit=production.credit, text=production.text or "", author_line=production.author_line or "", image=image, original=original)


def publishers_of(action_ids: list[int]) -> list[str]:
    query = select(ActionPartner).filter(ActionPartner.action_id.in_(action_ids)).order_by(ActionPartner.id)
    names = []
    for link in db.session.execute(query).scalars():
        if link.partner is not None and link.partner.name not in names:
            names.append(link.partner.name)
    return names


def anthology_of(action_ids: list[int], year):
    """The year's anthology (placed productions only), or None when no production is placed yet."""
    _waiting, chapters = services.distribution(action_ids)
    book = [Chapter(chapter.title, [piece_of(p) for p in productions]) for chapter, productions in chapters if productions]
    if not book:
        return None
    return build(book, year.label, publishers=publishers_of(action_ids))
