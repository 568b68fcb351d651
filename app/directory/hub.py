"""The core's own tabs of the cooperative page: classes, memberships, support contacts."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.directory.models import CHANNELS, MEMBERSHIP_STATUSES, Classroom, Membership, SupportContact
from app.extensions import db
from app.plugins.info import CooperativeTab
from app.views import french_date, yes_no
from app.years.context import viewed_year
from app.years.models import SchoolYear


def _filter_url(endpoint: str, column: str, value) -> str:
    """A link to a list filtered on a relation (FAB's ``_flt_0_<column>=<id>``)."""
    return url_for(endpoint, **{f"_flt_0_{column}": value})


def classes_tab(cooperative) -> CooperativeTab:
    year = viewed_year()
    rows = db.session.execute(
        select(Classroom).filter_by(school_id=cooperative.school_id, school_year_id=year.id if year else None).order_by(Classroom.name)
    ).scalars()
    return CooperativeTab(
        title=_("Classes %(year)s", year=year.label if year else ""),
        columns=(_("Classe"), _("Niveaux"), _("Cycle"), _("Élèves"), _("Enseignant·e")),
        rows=tuple((c.name, c.levels, c.cycles, c.pupils, str(c.teacher) if c.teacher else "") for c in rows),
        url=_filter_url("ClassroomView.list", "school", cooperative.school_id),
        empty=_("Aucune classe enregistrée pour cette année."),
    )


def memberships_tab(cooperative) -> CooperativeTab:
    rows = db.session.execute(
        select(Membership).join(SchoolYear).filter(Membership.cooperative_id == cooperative.id).order_by(SchoolYear.start_date.desc())
    ).scalars()
    return CooperativeTab(
        title=_("Adhésions"),
        columns=(_("Année"), _("Élèves"), _("Adultes"), _("Adhérents"), _("Cotisation (€)"), _("Assurance"), _("Statut")),
        rows=tuple(
            (str(m.school_year), m.pupils, m.adults, m.members, f"{m.total_fee:.2f}".replace(".", ","), yes_no(m.insurance), MEMBERSHIP_STATUSES.get(m.status, m.status))
            for m in rows
        ),
        url=_filter_url("MembershipView.list", "cooperative", cooperative.id),
        empty=_("Aucune adhésion enregistrée."),
    )


def support_tab(cooperative) -> CooperativeTab:
    rows = db.session.execute(
        select(SupportContact).filter_by(cooperative_id=cooperative.id).order_by(SupportContact.contact_date.desc()).limit(50)
    ).scalars()
    return CooperativeTab(
        title=_("Accompagnement"),
        columns=(_("Date"), _("Canal"), _("Objet"), _("Suivi par"), _("À relancer le")),
        rows=tuple(
            (french_date(c.contact_date), CHANNELS.get(c.channel, c.channel), c.subject, c.staff.username if c.staff else "", french_date(c.follow_up_on))
            for c in rows
        ),
        url=_filter_url("SupportContactView.list", "cooperative", cooperative.id),
        empty=_("Aucun échange noté."),
    )


def core_tabs(cooperative) -> list[CooperativeTab]:
    return [classes_tab(cooperative), memberships_tab(cooperative), support_tab(cooperative)]
