"""The pages partner-led actions share: the artists' planning, hours per partner, closing events, the teachers' training.

- « Planning des artistes »: one table per artist, by date, clashes in red with
  a French sentence; the staff see every partner (filter ``?partenaire=<id>``
  and ``?artiste=<text>``), a partner only its own sessions (scoped like
  « Mes séances »).
- « Heures par partenaire »: held and planned hours per partner and action of
  the viewed year, totals per partner, per action, CSV/XLSX export.
- « Rencontres et bals » (staff) and « Mes rencontres » (partners, read only,
  their actions' events only).
- « Formation des enseignants »: one training session for several actions,
  a preview of who will be invited, then the confirmed POST.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterInFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import DateField, DecimalField, IntegerField, SelectField, SelectMultipleField, StringField, TimeField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.actions.models import Action, Registration
from app.actions.views import viewed_year_id
from app.association.models import Partner
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.partners.models import EVENT_KINDS, SESSION_STATUSES, PartnerEvent, PartnerSession
from app.partners.schedule import artist_key, artist_schedule
from app.partners.scope import current_partner_id, my_action_ids
from app.partners.service import (
    EVENT_STATUSES,
    clash_sentence,
    event_problems,
    hours_by_partner,
    hours_text,
    hours_totals,
    partner_led_action_ids,
)
from app.views import OcceModelView, choice_label, french_date, input_error
from app.years.context import viewed_year

# --- the artists' planning ---------------------------------------------------------------------


def planning_rows(sessions: list[PartnerSession]) -> list[tuple[str, list[tuple]]]:
    """Per artist, its rows as (ScheduledSession, [French clash sentences])."""
    by_id = {session.id: session for session in sessions}
    return [
        (artist, [(row, [clash_sentence(by_id[other]) for other in row.clashes_with]) for row in rows])
        for artist, rows in artist_schedule(sessions).items()
    ]


def year_sessions(year_id: int | None, partner_id: int | None = None) -> list[PartnerSession]:
    query = select(PartnerSession).where(PartnerSession.school_year_id == year_id)
    if partner_id is not None:
        query = query.where(PartnerSession.partner_id == partner_id)
    return list(db.session.execute(query.order_by(PartnerSession.starts_at, PartnerSession.id)).unique().scalars())


class _PlanningBase(BaseView):
    default_view = "page"
    base_permissions = ["can_list"]
    method_permission_name = {"page": "list"}
    staff = False

    def render_planning(self, sessions, **context):
        artist = (request.args.get("artiste") or "").strip()
        if artist:
            wanted = artist_key(artist)
            sessions = [session for session in sessions if wanted in artist_key(session.artist)]
        groups = planning_rows(sessions)
        clash_count = sum(1 for _artist, rows in groups for row, _sentences in rows if row.clashes_with)
        return self.render_template(
            "occe/partners/planning.html",
            groups=groups,
            artist=artist,
            staff=self.staff,
            statuses=SESSION_STATUSES,
            hours_text=hours_text,
            clash_count=clash_count,
            year=viewed_year(),
            **context,
        )


class ArtistPlanningView(_PlanningBase):
    """« Planning des artistes » for the staff: every partner's sessions of the viewed year."""

    route_base = "/partenaires/planning"
    staff = True

    @expose("/")
    @has_access
    def page(self):
        partners = list(db.session.execute(select(Partner).where(Partner.id.in_(select(PartnerSession.partner_id).where(PartnerSession.school_year_id == viewed_year_id()))).order_by(Partner.name)).scalars())
        chosen = request.args.get("partenaire", "")
        partner_id = int(chosen) if chosen.isdigit() else None
        return self.render_planning(year_sessions(viewed_year_id(), partner_id), partners=partners, partner_id=partner_id)


class PartnerPlanningView(_PlanningBase):
    """« Mon planning » for a partner: only its organisation's sessions (an account tied to none sees nothing)."""

    route_base = "/partenaire/planning"

    @expose("/")
    @has_access
    def page(self):
        partner_id = current_partner_id()
        sessions = [] if partner_id is None else year_sessions(viewed_year_id(), partner_id)
        return self.render_planning(sessions, partners=[], partner_id=None)


# --- hours per partner -------------------------------------------------------------------------


class PartnerHoursView(BaseView):
    """« Heures par partenaire »: what each company gave (held) and has planned per action, the viewed year."""

    route_base = "/partenaires/heures"
    default_view = "page"
    base_permissions = ["can_list", "can_export"]
    method_permission_name = {"page": "list", "export": "export"}

    @expose("/")
    @has_access
    def page(self):
        rows = hours_by_partner(viewed_year_id())
        partners, actions, overall = hours_totals(rows)
        return self.render_template(
            "occe/partners/hours.html", rows=rows, partners=partners, actions=actions, overall=overall, hours_text=hours_text, year=viewed_year(),
            can_export=self.appbuilder.sm.has_access("can_export", self.class_permission_name),
        )  # fmt: skip

    @expose("/export/<string:fmt>")
    @has_access
    def export(self, fmt: str):
        from app.exports import EXPORT_FORMATS, export_filename, export_response

        if fmt not in EXPORT_FORMATS:
            abort(404)
        header = [gettext("Partenaire"), gettext("Action"), gettext("Heures tenues"), gettext("Heures prévues"), gettext("Séances")]
        rows = [[row.partner.name, row.action.name, row.held_hours, row.planned_hours, row.sessions] for row in hours_by_partner(viewed_year_id())]
        return export_response(export_filename("heures-partenaires"), fmt, header, rows, sheet_title=gettext("Heures par partenaire"))


# --- closing events ----------------------------------------------------------------------------


def _registration_label(registration: Registration) -> str:
    who = registration.classroom.name if registration.classroom is not None else str(registration.cooperative)
    return f"{registration.action.name} — {who} ({registration.school_name})"


def event_class_choices() -> list[tuple[int, str]]:
    """The retained classes of the viewed year's partner-led actions (the form checks they are the event's action's)."""
    action_ids = partner_led_action_ids(viewed_year_id())
    if not action_ids:
        return []
    query = select(Registration).where(Registration.action_id.in_(action_ids), Registration.status.in_(list(EVENT_STATUSES))).order_by(Registration.action_id, Registration.id)
    return [(registration.id, _registration_label(registration)) for registration in db.session.execute(query).unique().scalars()]


class ClassesField(SelectMultipleField):
    """The classes taking part: ids of registrations; a forged id is refused in French (FAB keeps the form)."""

    def pre_validate(self, form):
        offered = {value for value, _label in self.choices or []}
        for value in self.data or []:
            if value not in offered:
                raise input_error(gettext("La classe n° %(id)s n'est pas une classe retenue d'une action avec partenaire de cette année.", id=value))


def _same_action(form, field) -> None:
    """Every class chosen is registered to the event's action (and retained)."""
    action = form.action.data if hasattr(form, "action") else None
    ids = field.data or []
    if not ids:
        return
    registrations = list(db.session.execute(select(Registration).where(Registration.id.in_(ids))).unique().scalars())
    problems = event_problems(action, registrations)
    if problems:
        raise ValidationError(" ".join(problems))


def _classes_table(registrations) -> Markup:
    if not registrations:
        return Markup(escape(gettext("Aucune classe pour l'instant.")))
    head = "".join(f"<th>{escape(label)}</th>" for label in (gettext("Classe"), gettext("Niveaux"), gettext("École"), gettext("Élèves")))
    body = "".join(
        "<tr>"
        f"<td>{escape(registration.classroom.name if registration.classroom else str(registration.cooperative))}</td>"
        f"<td>{escape(registration.classroom.levels if registration.classroom and registration.classroom.levels else '')}</td>"
        f"<td>{escape(registration.school_name)}</td>"
        f"<td>{registration.class_pupils if registration.class_pupils is not None else ''}</td>"
        "</tr>"
        for registration in registrations
    )
    return Markup(f'<table class="table table-condensed occe-event-classes"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


EVENT_LABELS = {
    "action": _("Action"),
    "kind": _("Type"),
    "title": _("Titre"),
    "held_on": _("Date"),
    "starts_at": _("Heure"),
    "venue": _("Lieu"),
    "notes": _("Notes"),
    "registrations": _("Classes participantes"),
    "class_ids": _("Classes participantes"),
    "class_count": _("Classes"),
    "total_pupils": _("Total des élèves"),
}
EVENT_FORMATTERS = {
    "kind": choice_label(EVENT_KINDS),
    "held_on": french_date,
    "starts_at": lambda value: value.strftime("%H:%M") if value else "",
    "registrations": _classes_table,
}


class PartnerEventView(OcceModelView):
    """« Rencontres et bals »: the closing events of the viewed year's partner-led actions and the classes taking part."""

    route_base = "/partenaires/rencontres"
    datamodel = OcceSQLAInterface(PartnerEvent)
    list_title = _("Rencontres et bals")
    add_title = _("Ajouter une rencontre")
    edit_title = _("Modifier une rencontre")
    show_title = _("Rencontre")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_order = ("held_on", "asc")
    label_columns = EVENT_LABELS
    formatters_columns = EVENT_FORMATTERS
    list_columns = ["held_on", "kind", "title", "action", "venue", "class_count", "total_pupils"]
    show_columns = ["action", "kind", "title", "held_on", "starts_at", "venue", "notes", "registrations", "total_pupils"]
    add_columns = edit_columns = ["action", "kind", "title", "held_on", "starts_at", "venue", "class_ids", "notes"]
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Type"), choices=list(EVENT_KINDS.items())),
        "starts_at": TimeField(_("Heure (facultatif)"), validators=[Optional()], format="%H:%M"),
        "class_ids": ClassesField(_("Classes participantes"), choices=event_class_choices, coerce=int, validators=[_same_action], widget=Select2ManyWidget()),
    }
    search_columns = ["title", "kind", "held_on", "venue"]
    choice_search_columns = {"kind": EVENT_KINDS}
    add_form_query_rel_fields = edit_form_query_rel_fields = {"action": [["id", FilterInFunction, lambda: partner_led_action_ids(viewed_year_id())]]}
    description_columns = {"class_ids": _("Seules les classes retenues de l'action choisie peuvent participer.")}

    def pre_add(self, item: PartnerEvent) -> None:
        # the form checked the action (offered list) and the classes (_same_action): only derived columns here
        item.school_year_id = item.action.school_year_id

    def pre_update(self, item: PartnerEvent) -> None:
        item.school_year_id = item.action.school_year_id


class MyPartnerEventView(OcceModelView):
    """« Mes rencontres »: the closing events of the partner's own actions, read only."""

    route_base = "/partenaire/rencontres"
    datamodel = OcceSQLAInterface(PartnerEvent)
    list_title = _("Mes rencontres")
    show_title = _("Rencontre")
    base_filters = [["action_id", FilterInFunction, my_action_ids], ["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show"]
    base_order = ("held_on", "asc")
    label_columns = EVENT_LABELS
    formatters_columns = EVENT_FORMATTERS
    list_columns = ["held_on", "kind", "title", "action", "venue", "class_count", "total_pupils"]
    show_columns = ["action", "kind", "title", "held_on", "starts_at", "venue", "registrations", "total_pupils"]
    search_columns = ["title", "held_on"]


# --- the teachers' (in)formation ---------------------------------------------------------------


class TeachersTrainingForm(FlaskForm):
    actions = SelectMultipleField(_("Actions"), coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    day = DateField(_("Date"), validators=[DataRequired(message=_("Indiquez la date de la formation."))])
    time = TimeField(_("Heure"), format="%H:%M", validators=[DataRequired(message=_("Indiquez l'heure de la formation."))])
    place = SelectField(_("Lieu"))
    place_detail = StringField(_("Précision du lieu (facultatif)"))
    hours = DecimalField(_("Durée en heures (facultatif, 2 h par défaut)"), places=2, validators=[Optional(), NumberRange(min=0.25, max=12, message=_("La durée doit être comprise entre 0,25 et 12 heures."))])
    capacity = IntegerField(_("Capacité (facultatif)"), validators=[Optional(), NumberRange(min=1, message=_("La capacité doit être d'au moins 1 place."))])

    def validate_actions(self, field) -> None:
        if not field.data:
            raise ValidationError(gettext("Cochez au moins une action."))


class TeachersTrainingView(BaseView):
    """« Formation des enseignants »: one (in)formation session for the teachers of several partner-led actions."""

    route_base = "/partenaires/formation-enseignants"
    default_view = "page"
    base_permissions = ["can_list", "can_organise"]
    method_permission_name = {"page": "list", "organise": "organise"}

    def _form(self) -> TeachersTrainingForm:
        from app.trainings.models import PLACES

        form = TeachersTrainingForm()
        actions = self._actions()
        form.actions.choices = [(action.id, action.name) for action in actions]
        form.place.choices = list(PLACES.items())
        if request.method == "GET" and not form.actions.data:
            form.actions.data = [action.id for action in actions]
        return form

    def _actions(self) -> list[Action]:
        ids = partner_led_action_ids(viewed_year_id())
        if not ids:
            return []
        return list(db.session.execute(select(Action).where(Action.id.in_(ids)).order_by(Action.name)).scalars())

    def _render(self, form, preview=None, problem=None):
        return self.render_template("occe/partners/teachers_training.html", form=form, preview=preview, problem=problem, year=viewed_year())

    @expose("/", methods=["GET"])
    @has_access
    def page(self):
        return self._render(self._form())

    @expose("/", methods=["POST"])
    @has_access
    def organise(self):
        from app.partners.teachers_training import find_session, known_addresses, organise_teachers_training, teachers_of, training_for
        from app.trainings.service import TrainingRefused

        form = self._form()
        if not form.validate():
            return self._render(form)
        actions = [action for action in self._actions() if action.id in form.actions.data]
        starts_at = datetime.combine(form.day.data, form.time.data)
        try:
            training = training_for(_default_title())
        except TrainingRefused as refused:
            return self._render(form, problem=str(refused))
        existing = find_session(training, viewed_year(), starts_at) if viewed_year() else None
        teachers = teachers_of(actions)
        known = known_addresses(existing)
        preview = {
            "new": [teacher for teacher in teachers.teachers if teacher.email not in known],
            "already": [teacher for teacher in teachers.teachers if teacher.email in known],
            "missing": teachers.missing,
            "existing": existing,
        }
        if request.form.get("confirm") != "1":
            return self._render(form, preview=preview)
        try:
            session, invited = organise_teachers_training(
                actions, starts_at=starts_at, place=form.place.data, hours=form.hours.data, capacity=form.capacity.data,
                place_detail=form.place_detail.data, user_id=g.user.id,
            )  # fmt: skip
        except (TrainingRefused, ValueError) as refused:
            db.session.rollback()
            return self._render(form, preview=preview, problem=str(refused))
        flash(gettext("Session « %(session)s » : %(count)s enseignant·e(s) inscrit·e(s) et invité·e(s) par courriel.", session=str(session), count=invited), "success")
        return redirect(url_for("TeachersTrainingView.page"))


def _default_title() -> str:
    from app.partners.teachers_training import DEFAULT_TITLE

    return DEFAULT_TITLE
