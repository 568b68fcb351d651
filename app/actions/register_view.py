"""Registering a class to an action: find the cooperative, then choose the action and the class.

A plain two-step page rather than FAB's add form: the class list depends on
the cooperative (FAB has no dependent drop-downs), and a refusal must show
the service's French reasons while keeping everything typed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import NumberRange, Optional

from app.actions import service
from app.actions.catalogue import actions_of
from app.actions.models import Action
from app.directory.models import Classroom, Cooperative
from app.directory.search import SEARCH_LIMIT, find_cooperatives
from app.extensions import db
from app.years.context import viewed_year


class RegistrationForm(FlaskForm):
    action_id = SelectField(_l("Action"), coerce=int)
    classroom_id = SelectField(_l("Classe"), coerce=int)
    pupils = IntegerField(_l("Élèves"), validators=[Optional(), NumberRange(min=0, max=100, message=_l("Entre 0 et 100 élèves."))])
    quantity = IntegerField(_l("Quantité demandée"), validators=[Optional(), NumberRange(min=1, message=_l("Au moins 1."))])
    motivation = TextAreaField(_l("Motivation"))
    notes = TextAreaField(_l("Notes"))


class RegisterView(BaseView):
    route_base = "/inscriptions/nouvelle"
    default_view = "choose"
    base_permissions = ["can_register"]
    method_permission_name = {"choose": "register", "form": "register"}

    @expose("/")
    @has_access
    def choose(self):
        text = (request.args.get("q") or "").strip()
        found = find_cooperatives(text) if text else []
        return self.render_template(
            "occe/choose_cooperative.html",
            title=_("Inscrire une classe à une action"),
            target="RegisterView.form",
            keep={},
            text=text,
            found=found,
            limit=SEARCH_LIMIT,
        )

    def _form(self, cooperative: Cooperative, year) -> RegistrationForm:
        form = RegistrationForm()
        form.action_id.choices = [(action.id, action.name) for action in actions_of(year)]
        classes = db.session.execute(
            select(Classroom).filter_by(school_id=cooperative.school_id, school_year_id=year.id).order_by(Classroom.name)
        ).scalars()
        form.classroom_id.choices = [(0, _("— toute la coopérative —"))] + [(c.id, f"{c.name} ({c.levels}, {c.pupils} élèves)") for c in classes]
        if request.method == "GET" and request.args.get("action", type=int):
            form.action_id.data = request.args.get("action", type=int)
        return form

    @expose("/<int:cooperative_id>", methods=["GET", "POST"])
    @has_access
    def form(self, cooperative_id: int):
        cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
        year = viewed_year()
        form = self._form(cooperative, year)
        reasons: list[str] = []
        if not form.action_id.choices:
            flash(_("Aucune action n'est enregistrée pour %(year)s : ajoutez-la d'abord.", year=year.label), "warning")
        elif request.method == "POST" and form.validate():
            reasons = self._register(form, cooperative)
            if not reasons:
                return redirect(url_for("CooperativeView.show", pk=cooperative.id))
        return self.render_template("occe/register_form.html", form=form, cooperative=cooperative, year=year, reasons=reasons)

    def _register(self, form: RegistrationForm, cooperative: Cooperative) -> list[str]:
        action = db.session.get(Action, form.action_id.data)
        classroom = db.session.get(Classroom, form.classroom_id.data) if form.classroom_id.data else None
        if action is None or action.school_year_id != viewed_year().id:
            return [_("Choisissez une action de l'année consultée.")]
        try:
            registration = service.register(
                action,
                cooperative,
                classroom,
                quantity=form.quantity.data,
                pupils=form.pupils.data,
                motivation=form.motivation.data or None,
                notes=form.notes.data or None,
            )
        except service.RegistrationRefused as refused:
            db.session.rollback()
            return refused.reasons
        flash(_("Inscription enregistrée : %(what)s (statut : Demandée).", what=str(registration)), "success")
        return []
