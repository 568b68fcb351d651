"""Counts and the cooperative tab of the interventions area."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.interventions.models import STATUSES, InterventionRequest
from app.plugins.info import CooperativeTab
from app.views import french_date, yes_no
from app.years.models import SchoolYear


def status_counts(year) -> dict[str, int]:
    rows = dict(
        db.session.execute(
            select(InterventionRequest.status, func.count(InterventionRequest.id))
            .filter(InterventionRequest.school_year_id == year.id)
            .group_by(InterventionRequest.status)
        ).all()
    )
    return {status: rows.get(status, 0) for status in STATUSES}


def interventions_tab(cooperative) -> CooperativeTab:
    rows = db.session.execute(
        select(InterventionRequest)
        .join(SchoolYear, InterventionRequest.school_year_id == SchoolYear.id)
        .filter(InterventionRequest.cooperative_id == cooperative.id)
        .order_by(SchoolYear.start_date.desc(), InterventionRequest.requested_at.desc())
        .limit(100)
    ).scalars()
    return CooperativeTab(
        title=_("Interventions en classe"),
        columns=(_("Année"), _("Thème"), _("Classe"), _("Statut"), _("Réalisée le"), _("Livret remis")),
        rows=tuple(
            (r.school_year.label, r.theme.name, r.classroom.name if r.classroom else "", r.status_label, french_date(r.done_on), yes_no(r.booklet_given))
            for r in rows
        ),
        empty=_("Aucune intervention demandée."),
    )
