"""The tables of « La Picardie en Poésie » (every table name starts with ``poesie_``).

The classes taking part are the core's ``Registration`` rows of the year's
action (``plugin_code = "poesie"``). The plugin adds the online resource
dossiers, the classes' productions (an uploaded file and/or the poem's text),
and the chapters of the anthology (« ouvrage-recueil ») they are placed in.

Every table carries the action it belongs to, so that the publisher's
account (a partner, see ``app/partners``) is scoped by one filter on
``action_id`` everywhere, and the school year, so that lists follow the
viewed year.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db
from app.uploads.models import StoredFile

POEM, ILLUSTRATION, POEM_ILLUSTRATED, OTHER = "poeme", "illustration", "poeme_illustre", "autre"
KINDS = {POEM: "Poème", ILLUSTRATION: "Illustration", POEM_ILLUSTRATED: "Poème illustré", OTHER: "Autre production"}


class PoesieDossier(Versioned, db.Model):
    """A resource dossier of one year, put online for the registered teachers."""

    __tablename__ = "poesie_dossier"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    description = Column(Text)
    position = Column(Integer, nullable=False, default=1)

    action = relationship("Action", lazy="joined")
    resources = relationship("PoesieResource", back_populates="dossier", order_by="PoesieResource.title")

    def __str__(self) -> str:
        return self.title


class PoesieResource(Versioned, db.Model):
    """One item of a dossier: a web link or an uploaded file."""

    __tablename__ = "poesie_resource"

    id = Column(Integer, primary_key=True)
    dossier_id = Column(Integer, ForeignKey("poesie_dossier.id", ondelete="CASCADE"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    url = Column(String(500))
    file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)

    dossier = relationship("PoesieDossier", back_populates="resources", lazy="joined")
    file = relationship(StoredFile, lazy="joined")

    @property
    def link(self):
        """The list's cell: the web link (opened in a new tab) or the file's download link."""
        from markupsafe import Markup

        from app.uploads.views import file_link

        if self.url:
            return Markup('<a href="{}" rel="noopener noreferrer" target="_blank"><i class="fa fa-external-link"></i> {}</a>').format(self.url, self.url)
        return file_link("PoesieResourceView", self, "file")

    def __str__(self) -> str:
        return self.title


class PoesieChapter(Versioned, db.Model):
    """A chapter of the year's anthology (« Les saisons », « Mon village »...)."""

    __tablename__ = "poesie_chapter"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    position = Column(Integer, nullable=False, default=1)

    def __str__(self) -> str:
        return self.title


class PoesieProduction(Versioned, db.Model):
    """A class's production received for the anthology: a file, the poem's text, its place in a chapter."""

    __tablename__ = "poesie_production"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    author_line = Column(String(250))
    kind = Column(String(20), nullable=False, default=POEM)
    file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    text = Column(Text)
    received_at = Column(Date, nullable=False, default=date.today)
    chapter_id = Column(Integer, ForeignKey("poesie_chapter.id", ondelete="SET NULL"), index=True)
    position = Column(Integer)

    registration = relationship("Registration", lazy="joined")
    file = relationship(StoredFile, lazy="joined")
    chapter = relationship("PoesieChapter", lazy="joined")

    @property
    def credit(self) -> str:
        """« Classe de CE2 — École Jean Macé, Laon »."""
        from .typography import credit_of

        return credit_of(self.registration)

    @property
    def download(self):
        from app.uploads.views import file_link

        return file_link("PoesieProductionView", self, "file")

    def __str__(self) -> str:
        return self.title
