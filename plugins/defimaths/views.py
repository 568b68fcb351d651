"""The French pages of DéfiMaths: edition, rounds (and their mailing), problems, answers, ranking and diplomas."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterInFunction
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired, NumberRange, Optional, URL

from app.actions.models import ACCEPTED, PLACE_STATUSES
from app.actions.views import viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.views import ExportableModelView, OcceModelView, french_date, input_error
from app.years.context import viewed_year

from . import services
from .models import CYCLES, DEFAULT_DEPARTMENT, DEPARTMENTS, DefimathsAnswer, DefimathsEdition, DefimathsProblem, DefimathsRound

YEAR_FILTER = [["school_year_id", FilterEqualFunction, viewed_year_id]]


def _viewed_action_id() -> int | None:
    edition = services.edition_of(viewed_year())
    return edition.action_id if edition else None


class DefimathsEditionView(OcceModelView):
    """The edition of the viewed year (created when the module is switched on): theme and resource dossier."""

    datamodel = OcceSQLAInterface(DefimathsEdition)
    base_permissions = ["can_list", "can_show", "can_edit"]
    list_title = show_title = _("DéfiMaths de l'année")
    edit_title = _("Modifier le DéfiMaths de l'année")
    base_filters = YEAR_FILTER
    label_columns = {"school_year": _("Année scolaire"), "action": _("Action"), "theme": _("Thème de l'année"), "resource_url": _("Dossier ressource en ligne")}
    list_columns = ["school_year", "theme", "resource_url"]
    show_columns = ["school_year", "action", "theme", "resource_url"]
    edit_columns = ["theme", "resource_url"]
    validators_columns = {"resource_url": [Optional(), URL(message=_("Adresse web invalide (https://…)."))]}


class DefimathsRoundView(OcceModelView):
    """The three rounds of the viewed year; « Envoyer la manche » previews then queues the personalised mails."""

    datamodel = OcceSQLAInterface(DefimathsRound)
    base_permissions = ["can_list", "can_show", "can_edit", "can_send"]
    list_title = _("Manches du DéfiMaths")
    show_title = _("Manche")
    edit_title = _("Modifier la manche")
    base_filters = YEAR_FILTER
    label_columns = {"number": _("Manche"), "sent_on": _("Envoyée le"), "answers_due": _("Réponses attendues pour le"), "edition": _("Édition")}
    list_columns = ["number", "answers_due", "sent_on"]
    show_columns = ["edition", "number", "answers_due", "sent_on"]
    edit_columns = ["answers_due"]
    base_order = ("number", "asc")
    formatters_columns = {"sent_on": lambda day: french_date(day) or "pas encore envoyée", "answers_due": french_date}

    def _round_of_viewed_year(self, pk: int) -> DefimathsRound:
        round_ = db.session.get(DefimathsRound, pk)
        if round_ is None or round_.school_year_id != viewed_year_id():
            abort(404)
        return round_

    @expose("/envoyer/<int:pk>", methods=["GET", "POST"])
    @has_access
    def send(self, pk: int):
        """GET: the preview of the first messages; POST (CSRF-checked by the app): queue them all."""
        from app.mail.rendering import MailTemplateError

        round_ = self._round_of_viewed_year(pk)
        problems = services.missing_problems(round_)
        if request.method == "POST" and not problems:
            try:
                batch = services.send_round(round_, g.user.id)
                db.session.commit()
            except (MailTemplateError, ValueError) as exc:
                db.session.rollback()
                flash(f"Rien n'a été envoyé : {exc}", "danger")
                return redirect(url_for("DefimathsRoundView.send", pk=pk))
            flash(f"Manche {round_.number} : {batch.queued_count} courriel(s) personnalisé(s) mis en file d'attente (Courriels › Boîte d'envoi).", "success")
            if batch.missing_count:
                flash(f"{batch.missing_count} classe(s) sans adresse de courriel ne le recevront pas.", "warning")
            return redirect(url_for("DefimathsResultsView.page"))
        preview, error = None, None
        if not problems:
            try:
                preview = services.preview_round(round_)
            except (MailTemplateError, ValueError) as exc:
                error = str(exc)
        return self.render_template("defimaths/send.html", round=round_, problems=problems, preview=preview, error=error, french_date=french_date)


def _problem_number_unique(form, field) -> None:
    round_, cycle = form["round"].data, form["cycle"].data
    if round_ is None or cycle is None or field.data is None:
        return
    query = select(DefimathsProblem.id).filter_by(round_id=round_.id, cycle=int(cycle), number=field.data)
    if getattr(form, "_id", None) is not None:
        query = query.filter(DefimathsProblem.id != int(form._id))
    if db.session.execute(query).first():
        raise input_error(f"La manche {round_.number} a déjà une épreuve n° {field.data} pour le cycle {cycle}.")


class DefimathsProblemView(ExportableModelView):
    """The problems of each round and cycle; the author department defaults to the cycle's (1 Somme, 2 Oise, 3 Aisne)."""

    datamodel = OcceSQLAInterface(DefimathsProblem)
    list_title = _("Épreuves du DéfiMaths")
    show_title = _("Épreuve")
    add_title = _("Ajouter une épreuve")
    edit_title = _("Modifier une épreuve")
    base_filters = YEAR_FILTER
    label_columns = {
        "round": _("Manche"),
        "cycle": _("Cycle"),
        "number": _("N° d'épreuve"),
        "title": _("Titre"),
        "statement": _("Énoncé"),
        "author_department": _("Département auteur"),
        "max_points": _("Points maximum"),
    }
    list_columns = ["round", "cycle", "number", "title", "author_department", "max_points"]
    export_columns = ["round", "cycle", "number", "title", "statement", "author_department", "max_points"]
    show_columns = ["round", "cycle", "number", "title", "statement", "author_department", "max_points"]
    add_columns = ["round", "cycle", "number", "title", "statement", "author_department", "max_points"]
    edit_columns = ["round", "cycle", "number", "title", "statement", "author_department", "max_points"]
    search_columns = ["round", "cycle", "title", "author_department"]
    order_columns = ["cycle", "number", "title"]
    base_order = ("cycle", "asc")
    formatters_columns = {"cycle": lambda value: CYCLES.get(value, value)}
    validators_columns = {
        "title": [DataRequired()],
        "number": [DataRequired(), NumberRange(min=1, max=3, message="Une manche compte 2 ou 3 épreuves par cycle : numérotez-les de 1 à 3."), _problem_number_unique],
        "max_points": [DataRequired(), NumberRange(min=1, max=100, message="Les points maximum vont de 1 à 100.")],
    }
    _fields = {
        "cycle": SelectField(_("Cycle"), choices=[(str(k), v) for k, v in CYCLES.items()], validators=[DataRequired()]),
        "author_department": SelectField(
            _("Département auteur"),
            choices=[("", "Selon le cycle (1 Somme, 2 Oise, 3 Aisne)")] + list(DEPARTMENTS.items()),
            validators=[Optional()],
        ),
    }
    add_form_extra_fields = edit_form_extra_fields = _fields
    add_form_query_rel_fields = edit_form_query_rel_fields = {"round": YEAR_FILTER}

    def _complete(self, item: DefimathsProblem) -> None:
        item.cycle = int(item.cycle)
        item.school_year_id = item.round.school_year_id
        if not item.author_department:
            item.author_department = DEFAULT_DEPARTMENT[item.cycle]

    def pre_add(self, item: DefimathsProblem) -> None:
        self._complete(item)

    def pre_update(self, item: DefimathsProblem) -> None:
        self._complete(item)


def _answer_problem(form):
    if "problem" in form:
        return form["problem"].data
    answer = db.session.get(DefimathsAnswer, int(form._id)) if getattr(form, "_id", None) is not None else None
    return answer.problem if answer else None


def _points_within_maximum(form, field) -> None:
    problem = _answer_problem(form)
    if problem is not None and field.data is not None and field.data > problem.max_points:
        raise input_error(f"{field.data} points : l'épreuve « {problem.title} » est notée sur {problem.max_points} au plus.")
    if field.data is not None and field.data < 0:
        raise input_error("Les points ne peuvent pas être négatifs.")


def _answer_fits_the_class(form, field) -> None:
    problem, registration = field.data, form["registration"].data if "registration" in form else None
    if problem is None or registration is None:
        return
    cycle = services.class_cycle(registration.classroom.cycles if registration.classroom else None)
    if cycle is not None and problem.cycle != cycle:
        raise input_error(f"Cette épreuve est du cycle {problem.cycle} ; la classe « {registration.classroom.name} » travaille celles du cycle {cycle}.")
    if db.session.execute(select(DefimathsAnswer.id).filter_by(registration_id=registration.id, problem_id=problem.id)).first():
        raise input_error("La classe a déjà une réponse à cette épreuve : modifiez-la dans la liste.")


class DefimathsAnswerView(ExportableModelView):
    """Each class's answers and points, problem by problem (points ≤ the problem's maximum)."""

    datamodel = OcceSQLAInterface(DefimathsAnswer)
    list_title = _("Réponses et points du DéfiMaths")
    show_title = _("Réponse")
    add_title = _("Saisir une réponse")
    edit_title = _("Modifier une réponse")
    base_filters = YEAR_FILTER
    label_columns = {"registration": _("Classe"), "problem": _("Épreuve"), "answer": _("Réponse de la classe"), "points": _("Points")}
    list_columns = ["registration", "problem", "answer", "points"]
    show_columns = ["registration", "problem", "answer", "points"]
    add_columns = ["registration", "problem", "answer", "points"]
    edit_columns = ["answer", "points"]
    search_columns = ["registration", "problem", "points"]
    order_columns = ["points"]
    base_order = ("id", "asc")
    validators_columns = {"points": [Optional(), _points_within_maximum], "problem": [DataRequired(), _answer_fits_the_class]}
    add_form_query_rel_fields = {
        "registration": [["action_id", FilterEqualFunction, _viewed_action_id], ["status", FilterInFunction, lambda: list(PLACE_STATUSES)]],
        "problem": YEAR_FILTER,
    }

    def _complete(self, item: DefimathsAnswer) -> None:
        item.points = item.points or 0
        item.school_year_id = item.problem.school_year_id

    def pre_add(self, item: DefimathsAnswer) -> None:
        self._complete(item)

    def pre_update(self, item: DefimathsAnswer) -> None:
        self._complete(item)


class DefimathsResultsView(BaseView):
    """The year's hub: rounds and their mailing, the ranking of the classes, the diplomas."""

    route_base = "/defimaths"
    default_view = "page"
    base_permissions = ["can_list", "can_diplomas"]
    method_permission_name = {"page": "list", "diplomas": "diplomas"}

    @expose("/")
    @has_access
    def page(self):
        year = viewed_year()
        edition = services.edition_of(year)
        rounds = []
        if edition is not None:
            rounds = db.session.execute(select(DefimathsRound).filter_by(edition_id=edition.id).order_by(DefimathsRound.number)).scalars().all()
        return self.render_template(
            "defimaths/results.html", year=year, edition=edition, rounds=rounds, rows=services.totals(year), french_date=french_date, cycles=CYCLES, accepted=ACCEPTED,
        )  # fmt: skip

    @expose("/diplomes")
    @has_access
    def diplomas(self):
        from app.documents.response import pdf_response

        year = viewed_year()
        made = services.diplomas(year)
        if made is None:
            flash(f"Aucune classe retenue au DéfiMaths {year.label} : pas de diplôme à imprimer.", "warning")
            return redirect(url_for("DefimathsResultsView.page"))
        document, _count = made
        return pdf_response(document, f"Diplômes DéfiMaths {year.label}.pdf")
