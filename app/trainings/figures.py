"""The trainings' dashboard card and the cooperative page's tab (the people it had trained)."""

from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.plugins.info import CooperativeTab, DashboardCard
from app.trainings import service
from app.trainings.models import REGISTERED, TrainingRegistration, TrainingSession


def dashboard_card(year, today: date | None = None) -> DashboardCard | None:
    """Next sessions of the viewed year, and how many are under their minimum with the decision due."""
    if year is None:
        return None
    today = today or date.today()
    upcoming = service.year_sessions(year, upcoming_from=today)
    to_decide = [session for session, count in upcoming if service.to_decide(session, today, count=count)]
    under = [session for session, count in upcoming if service.under_minimum(session, today, count=count)]
    following = ", ".join(f"{session.starts_at:%d/%m} {session.place_label}" for session, _count in upcoming[:3])
    detail = _("%(decide)s sous le minimum à décider, %(under)s sous le minimum", decide=len(to_decide), under=len(under))
    if following:
        detail += " — " + _("prochaines : %(list)s", list=following)
    url = url_for("TrainingSessionView.list")
    if to_decide:
        url = url_for("TrainingSessionView.show", pk=to_decide[0].id)
    return DashboardCard(title=_("Formations à venir"), value=str(len(upcoming)), detail=detail, url=url)


def trained_tab(cooperative) -> CooperativeTab:
    """The cooperative's people registered to trainings, every year, with their attendance."""
    rows = db.session.execute(
        select(TrainingRegistration, TrainingSession)
        .join(TrainingSession, TrainingRegistration.session_id == TrainingSession.id)
        .filter(TrainingRegistration.cooperative_id == cooperative.id, TrainingRegistration.status == REGISTERED)
        .order_by(TrainingSession.starts_at.desc())
        .limit(100)
    ).all()

    may_list = current_app.appbuilder.sm.has_access("can_list", "TrainingRegistrationView")

    def presence(value):
        return _("Non notée") if value is None else (_("Présent·e") if value else _("Absent·e"))

    return CooperativeTab(
        title=_("Formations"),
        columns=(_("Personne"), _("Formation"), _("Date"), _("Lieu"), _("Présence")),
        rows=tuple(
            (registration.name, session.training.title, f"{session.starts_at:%d/%m/%Y}", session.place_label,
             _("Session annulée") if session.status == "annulee" else presence(registration.attended))
            for registration, session in rows
        ),
        url=url_for("TrainingRegistrationView.list", _flt_0_cooperative=cooperative.id) if may_list else "",
        empty=_("Personne de cette coopérative n'a suivi de formation."),
    )
