"""The teachers' public page ``/enseignants/<token>``: no account, no FAB chrome, phone first.

Everything hangs on the link: the cooperative, its school and the year come
from the token, never from the form. A posted class, action, theme or
request id is looked up within the school's own rows only (a foreign id is
refused). Every POST carries Flask-WTF's CSRF token, is rate limited per
address, and a filled honeypot field (« site_web », hidden from people) is
answered like a success while nothing is saved. A GET changes nothing but
the link's ``last_used_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.actions import service as registrations
from app.actions.models import CANCELLED as REG_CANCELLED
from app.actions.models import CLASS_AUDIENCE, REQUESTED, Action, Registration
from app.actions.models import STATUSES as REGISTRATION_STATUSES
from app.directory.models import Classroom, Person
from app.directory.rules import cycles_of, parse_levels
from app.extensions import db
from app.interventions.models import CANCELLED as INT_CANCELLED
from app.interventions.models import REQUESTED as INT_REQUESTED
from app.interventions.models import STATUSES as INTERVENTION_STATUSES
from app.interventions.models import InterventionRequest, InterventionTheme
from app.mail.recipients import valid_address
from app.teachers import service
from app.teachers.service import LinkProblem

bp = Blueprint(
    "teachers_public",
    __name__,
    url_prefix="/enseignants",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

HONEYPOT = "site_web"
NEW_CLASS = -1
RECEIVED = "Votre demande est bien enregistrée : l'OCCE vous répondra. Un courriel de confirmation vous est envoyé."
DEFAULT_POST_LIMIT = "30 per hour;10 per minute"
DEFAULT_GET_LIMIT = "120 per minute"


def post_limit() -> str:
    return current_app.config.get("OCCE_TEACHERS_POST_LIMIT", DEFAULT_POST_LIMIT)


def get_limit() -> str:
    return current_app.config.get("OCCE_TEACHERS_GET_LIMIT", DEFAULT_GET_LIMIT)


# --- forms ------------------------------------------------------------------------------------


class _TeacherFields(FlaskForm):
    teacher_name = StringField("Votre nom (enseignant·e)", validators=[DataRequired("Indiquez votre nom."), Length(max=150, message="150 caractères au plus.")])
    teacher_email = StringField("Votre adresse de courriel académique", validators=[DataRequired("Indiquez votre adresse de courriel."), Length(max=200, message="200 caractères au plus.")])
    site_web = StringField("Ne pas remplir ce champ")

    def validate_teacher_email(self, field):
        if field.data and not valid_address(field.data):
            from wtforms.validators import ValidationError

            raise ValidationError(f"Adresse de courriel invalide « {field.data} » : par exemple prenom.nom@ac-amiens.fr.")


class RegisterForm(_TeacherFields):
    action_id = SelectField("Action", coerce=int, validate_choice=False, validators=[DataRequired("Choisissez une action.")])
    classroom_id = SelectField("Classe", coerce=int, validate_choice=False, validators=[Optional()])
    new_class_name = StringField("Nom de la nouvelle classe", validators=[Optional(), Length(max=100, message="100 caractères au plus.")])
    new_class_levels = StringField("Niveau(x) de la nouvelle classe", validators=[Optional(), Length(max=60, message="60 caractères au plus.")])
    pupils = IntegerField(
        "Nombre d'élèves",
        validators=[InputRequired("Indiquez le nombre d'élèves de la classe."), NumberRange(min=1, max=60, message="Entre 1 et 60 élèves.")],
    )
    quantity = IntegerField("Quantité demandée", validators=[Optional(), NumberRange(min=1, max=10000, message="1 au moins.")])
    motivation = TextAreaField("Quelques mots de motivation", validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")])


class InterventionForm(_TeacherFields):
    theme_id = SelectField("Thème de l'intervention", coerce=int, validate_choice=False, validators=[DataRequired("Choisissez un thème.")])
    iclassroom_id = SelectField("Classe", coerce=int, validate_choice=False, validators=[DataRequired("Choisissez la classe.")])
    whole_team = BooleanField("Pour toute l'équipe de l'école")
    imotivation = TextAreaField("Votre projet en quelques mots", validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")])


class CancelForm(FlaskForm):
    kind = HiddenField()
    item_id = HiddenField()
    confirm = HiddenField()


# --- the page ---------------------------------------------------------------------------------


def _link_or_problem(token: str):
    try:
        return service.resolve(token)
    except LinkProblem as problem:
        db.session.rollback()
        return problem


def _problem_page(problem: LinkProblem):
    title = "Lien inconnu" if problem.kind == service.UNKNOWN else ("Lien expiré" if problem.kind == service.EXPIRED else "Lien désactivé")
    return render_template("teachers/problem.html", title=title, message=problem.message), problem.status


def _secured(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    return response


bp.after_request(_secured)


@bp.errorhandler(CSRFError)
def _csrf_refused(error):
    return render_template("teachers/problem.html", title="Formulaire expiré", message="Le formulaire a expiré : rechargez la page puis recommencez."), 400


@bp.errorhandler(429)
def _too_many(error):
    return render_template("teachers/problem.html", title="Trop de demandes", message="Trop de demandes en peu de temps : patientez quelques minutes puis recommencez."), 429


@bp.errorhandler(404)
def _not_found(error):
    return render_template("teachers/problem.html", title="Lien inconnu", message=service.UNKNOWN_MESSAGE), 404


def open_actions(year, today: date | None = None) -> list[Action]:
    """The year's actions open for registration today, of modules switched on for the year."""
    from app.plugins.switches import current_manager, plugins_on

    today = today or date.today()
    on = {plugin.code for plugin in plugins_on(current_manager(), year)}
    query = select(Action).filter(Action.school_year_id == year.id).order_by(Action.name)
    return [
        action
        for action in db.session.execute(query).scalars()
        if registrations.is_open(action, today) and (not action.plugin_code or action.plugin_code in on)
    ]


def school_classes(link) -> list[Classroom]:
    return list(
        db.session.execute(
            select(Classroom)
            .filter(Classroom.school_id == link.cooperative.school_id, Classroom.school_year_id == link.school_year_id)
            .order_by(Classroom.name)
        ).scalars()
    )


@dataclass(frozen=True)
class SchoolRequest:
    """One line of « Demandes de l'école » (plain columns: no ORM object, no eager joins)."""

    kind: str
    id: int
    what: str
    classroom: str | None
    pupils: int | None
    status: str
    requested_at: datetime

    @property
    def status_label(self) -> str:
        return (REGISTRATION_STATUSES if self.kind == "inscription" else INTERVENTION_STATUSES).get(self.status, self.status)


def school_requests(link) -> tuple[list[SchoolRequest], list[SchoolRequest]]:
    """The school's registrations and intervention requests of the link's year, newest first (two statements)."""
    regs = [
        SchoolRequest("inscription", row.id, row.action_name, row.class_name, row.pupils if row.pupils is not None else row.class_pupils, row.status, row.requested_at)
        for row in db.session.execute(
            select(
                Registration.id, Registration.status, Registration.requested_at, Registration.pupils,
                Action.name.label("action_name"), Classroom.name.label("class_name"), Classroom.pupils.label("class_pupils"),
            )
            .join(Action, Registration.action_id == Action.id)
            .outerjoin(Classroom, Registration.classroom_id == Classroom.id)
            .filter(Registration.cooperative_id == link.cooperative_id, Registration.school_year_id == link.school_year_id)
            .order_by(Registration.requested_at.desc(), Registration.id.desc())
        )
    ]  # fmt: skip
    interventions = [
        SchoolRequest("intervention", row.id, row.theme_name, row.class_name, None, row.status, row.requested_at)
        for row in db.session.execute(
            select(
                InterventionRequest.id, InterventionRequest.status, InterventionRequest.requested_at,
                InterventionTheme.name.label("theme_name"), Classroom.name.label("class_name"),
            )
            .join(InterventionTheme, InterventionRequest.theme_id == InterventionTheme.id)
            .outerjoin(Classroom, InterventionRequest.classroom_id == Classroom.id)
            .filter(InterventionRequest.cooperative_id == link.cooperative_id, InterventionRequest.school_year_id == link.school_year_id)
            .order_by(InterventionRequest.requested_at.desc(), InterventionRequest.id.desc())
        )
    ]  # fmt: skip
    return regs, interventions


def _themes() -> list[InterventionTheme]:
    return list(db.session.execute(select(InterventionTheme).filter(InterventionTheme.active.is_(True)).order_by(InterventionTheme.name)).scalars())


def _fill_choices(register_form, intervention_form, actions, classes, themes) -> None:
    register_form.action_id.choices = [(0, "— choisir une action —")] + [(a.id, a.name) for a in actions]
    class_choices = [(c.id, f"{c.name} ({c.levels}, {c.pupils} élèves)") for c in classes]
    register_form.classroom_id.choices = [(0, "— choisir la classe —")] + class_choices + [(NEW_CLASS, "Ma classe n'est pas dans la liste : la créer")]
    intervention_form.iclassroom_id.choices = [(0, "— choisir la classe —")] + class_choices
    intervention_form.theme_id.choices = [(0, "— choisir un thème —")] + [(t.id, t.name) for t in themes]


def _render(token, link, *, register_form=None, intervention_form=None, problems=None, problem_form=None, status=200):
    year = link.school_year
    actions = open_actions(year)
    classes = school_classes(link)
    themes = _themes()
    register_form = register_form or RegisterForm(formdata=None)
    intervention_form = intervention_form or InterventionForm(formdata=None)
    _fill_choices(register_form, intervention_form, actions, classes, themes)
    regs, interventions = school_requests(link)
    return (
        render_template(
            "teachers/page.html",
            token=token,
            link=link,
            school=link.cooperative.school,
            year=year,
            actions=actions,
            classes=classes,
            themes=themes,
            register_form=register_form,
            intervention_form=intervention_form,
            cancel_form=CancelForm(formdata=None),
            registrations=regs,
            interventions=interventions,
            problems=problems or [],
            problem_form=problem_form,
            REQUESTED=REQUESTED,
            INT_REQUESTED=INT_REQUESTED,
            NEW_CLASS=NEW_CLASS,
            association=current_app.config.get("ASSOCIATION_NAME", "OCCE"),
        ),
        status,
    )


@bp.get("/<token>")
def page(token: str):
    link = _link_or_problem(token)
    if isinstance(link, LinkProblem):
        return _problem_page(link)
    service.touch(link)
    return _render(token, link)


def _honeypot_filled() -> bool:
    return bool((request.form.get(HONEYPOT) or "").strip())


def _silently_discarded(token):
    flash(RECEIVED, "success")
    return redirect(url_for(".page", token=token) + "#demandes")


def _form_errors(form) -> list[str]:
    return [message for field in form for message in field.errors]


def _teacher_note(form) -> str:
    return f"Demande en ligne de {form.teacher_name.data.strip()} <{form.teacher_email.data.strip()}>"


def _confirm_by_mail(link, form, what: str, classroom: str | None, pupils: int | None) -> None:
    from app.mail import service as mail
    from app.mail.recipients import Recipient
    from app.mail.rendering import RegisteredTemplate
    from app.teachers import PLUGIN
    from app.teachers.mails import TEMPLATES

    school = link.cooperative.school
    email = form.teacher_email.data.strip()
    name = form.teacher_name.data.strip()
    context = {
        "school": {"name": school.name, "uai": school.uai, "commune": school.commune or ""},
        "cooperative": {"id": link.cooperative_id, "affiliation_number": link.cooperative.affiliation_number},
        "recipient": {"name": name, "email": email},
        "demande": {"what": what, "classroom": classroom or "", "pupils": pupils or ""},
    }
    recipient = Recipient(email=email, name=name, cooperative_id=link.cooperative_id, context=context)
    mail.queue(
        RegisteredTemplate(PLUGIN.code, PLUGIN.label, TEMPLATES[0]),
        [recipient],
        label=f"Confirmation en ligne — {link.cooperative.affiliation_number}",
        module=PLUGIN.code,
        year=link.school_year,
        user_id=None,
        commit=False,
    )


def _school_classroom(link, classroom_id: int) -> Classroom | None:
    """A class of the link's school and year, or None (another school's id is never reached)."""
    return db.session.execute(
        select(Classroom).filter(
            Classroom.id == classroom_id,
            Classroom.school_id == link.cooperative.school_id,
            Classroom.school_year_id == link.school_year_id,
        )
    ).scalar_one_or_none()


@bp.post("/<token>/inscrire")
def register(token: str):
    link = _link_or_problem(token)
    if isinstance(link, LinkProblem):
        return _problem_page(link)
    form = RegisterForm()
    if _honeypot_filled():
        return _silently_discarded(token)
    if not form.validate():
        return _render(token, link, register_form=form, problems=_form_errors(form), problem_form="register", status=422)
    year = link.school_year
    action = db.session.execute(select(Action).filter(Action.id == form.action_id.data, Action.school_year_id == year.id)).scalar_one_or_none()
    if action is None or action not in open_actions(year):
        return _render(token, link, register_form=form, problems=["Choisissez une des actions ouvertes aux inscriptions."], problem_form="register", status=422)
    classroom, new_class = None, None
    if form.classroom_id.data == NEW_CLASS:
        name = (form.new_class_name.data or "").strip()
        problems = [] if name else ["Indiquez le nom de la nouvelle classe (par exemple « CM1-CM2 de Mme Martin »)."]
        try:
            levels = parse_levels(form.new_class_levels.data or "")
        except ValueError as exc:
            problems.append(str(exc))
            levels = []
        if problems:
            return _render(token, link, register_form=form, problems=problems, problem_form="register", status=422)
        new_class = Classroom(
            school_year_id=year.id,
            school_id=link.cooperative.school_id,
            name=name,
            levels="-".join(levels),
            cycles=cycles_of(levels),
            pupils=form.pupils.data,
        )
        db.session.add(new_class)
        db.session.flush()
        classroom = new_class
    elif form.classroom_id.data:
        classroom = _school_classroom(link, form.classroom_id.data)
        if classroom is None:
            return _render(token, link, register_form=form, problems=["Cette classe n'est pas une classe de votre école cette année."], problem_form="register", status=422)
    elif action.audience == CLASS_AUDIENCE:
        return _render(token, link, register_form=form, problems=[f"Choisissez la classe inscrite : « {action.name} » s'adresse aux classes."], problem_form="register", status=422)
    try:
        registrations.register(
            action,
            link.cooperative,
            classroom,
            quantity=form.quantity.data if action.quantity_label else None,
            pupils=form.pupils.data,
            motivation=(form.motivation.data or "").strip() or None,
            notes=_teacher_note(form),
            user_id=None,
            commit=False,
        )
    except registrations.RegistrationRefused as refused:
        db.session.rollback()
        return _render(token, link, register_form=form, problems=refused.reasons, problem_form="register", status=422)
    _confirm_by_mail(link, form, action.name, classroom.name if classroom else None, form.pupils.data)
    db.session.commit()
    flash(RECEIVED, "success")
    return redirect(url_for(".page", token=token) + "#demandes")


@bp.post("/<token>/intervention")
def intervention(token: str):
    link = _link_or_problem(token)
    if isinstance(link, LinkProblem):
        return _problem_page(link)
    form = InterventionForm()
    if _honeypot_filled():
        return _silently_discarded(token)
    if not form.validate():
        return _render(token, link, intervention_form=form, problems=_form_errors(form), problem_form="intervention", status=422)
    theme = db.session.execute(
        select(InterventionTheme).filter(InterventionTheme.id == form.theme_id.data, InterventionTheme.active.is_(True))
    ).scalar_one_or_none()
    classroom = _school_classroom(link, form.iclassroom_id.data)
    problems = []
    if theme is None:
        problems.append("Choisissez un des thèmes proposés.")
    if classroom is None:
        problems.append("Cette classe n'est pas une classe de votre école cette année.")
    if not problems:
        live = db.session.execute(
            select(InterventionRequest.id).filter(
                InterventionRequest.classroom_id == classroom.id,
                InterventionRequest.theme_id == theme.id,
                InterventionRequest.school_year_id == link.school_year_id,
                InterventionRequest.status != INT_CANCELLED,
            )
        ).first()
        if live is not None:
            problems.append(f"La classe « {classroom.name} » a déjà demandé une intervention « {theme.name} » cette année.")
    if problems:
        return _render(token, link, intervention_form=form, problems=problems, problem_form="intervention", status=422)
    email = form.teacher_email.data.strip()
    teacher = db.session.execute(
        select(Person).filter(Person.school_id == link.cooperative.school_id, Person.email.ilike(email)).limit(1)
    ).scalar_one_or_none()
    motivation = (form.imotivation.data or "").strip()
    db.session.add(
        InterventionRequest(
            school_year_id=link.school_year_id,
            cooperative_id=link.cooperative_id,
            classroom_id=classroom.id,
            teacher_id=teacher.id if teacher else None,
            theme_id=theme.id,
            whole_team=bool(form.whole_team.data),
            motivation="\n".join(part for part in (motivation, f"({_teacher_note(form)})") if part),
            status=INT_REQUESTED,
        )
    )
    _confirm_by_mail(link, form, f"Intervention en classe : {theme.name}", classroom.name, classroom.pupils)
    db.session.commit()
    flash(RECEIVED, "success")
    return redirect(url_for(".page", token=token) + "#demandes")


def _own_request(link, kind: str, item_id: str):
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        return None
    model = Registration if kind == "inscription" else InterventionRequest if kind == "intervention" else None
    if model is None:
        return None
    return db.session.execute(
        select(model).filter(model.id == pk, model.cooperative_id == link.cooperative_id, model.school_year_id == link.school_year_id)
    ).scalar_one_or_none()


@bp.post("/<token>/annuler")
def cancel(token: str):
    """First POST: the confirmation page (nothing changes); with ``confirm=oui``: the cancellation."""
    link = _link_or_problem(token)
    if isinstance(link, LinkProblem):
        return _problem_page(link)
    form = CancelForm()
    if not form.validate():
        abort(400)
    item = _own_request(link, form.kind.data, form.item_id.data)
    if item is None:
        abort(404)
    if item.status != REQUESTED:
        flash(f"Cette demande est « {item.status_label} » : seule une demande encore « Demandée » s'annule ici. Écrivez à l'association.", "warning")
        return redirect(url_for(".page", token=token) + "#demandes")
    if form.confirm.data != "oui":
        return render_template("teachers/confirm.html", token=token, item=item, kind=form.kind.data, form=CancelForm(formdata=None), school=link.cooperative.school, association=current_app.config.get("ASSOCIATION_NAME", "OCCE"))
    if isinstance(item, Registration):
        registrations.change_status(item, REG_CANCELLED, user_id=None, reason="Annulée en ligne par l'école.", commit=False)
    else:
        item.status = INT_CANCELLED
    db.session.commit()
    flash("La demande est annulée.", "success")
    return redirect(url_for(".page", token=token) + "#demandes")
