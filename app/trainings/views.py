"""The trainings' French pages: catalogue, sessions of the viewed year, registrations, attendance, cancellation, certificates."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import BaseFilter, FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from app.datamodel import OcceSQLAInterface
from app.directory.models import Cooperative, Person
from app.documents.render import pdf_filename
from app.documents.response import pdf_response
from app.extensions import db
from app.mail.rendering import MailTemplateError
from app.trainings import service
from app.trainings.models import (
    AUDIENCES,
    OTHER_PLACE,
    PLACES,
    REGISTERED,
    REGISTRATION_STATUSES,
    SESSION_STATUSES,
    Training,
    TrainingRegistration,
    TrainingSession,
)
from app.views import ExportableModelView, choice_label, french_date, input_error, yes_no
from app.years.context import viewed_year
from app.years.service import get_or_create_year, label_for

VIEW = "TrainingSessionView"


def viewed_year_id() -> int | None:
    year = viewed_year()
    return year.id if year else None


def french_datetime(value) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def hours_label(value) -> str:
    from app.documents.render import french_duration

    return french_duration(float(value)) if value is not None else ""


def attendance_label(value) -> str:
    if value is None:
        return gettext("Non noté")
    return gettext("Présent·e") if value else gettext("Absent·e")


def minimum_badge(alert: str | None) -> Markup:
    """The badge of ``TrainingSession.minimum_alert``: « Sous le minimum » (« à décider » from the decision date)."""
    if alert == "a_decider":
        return Markup('<span class="label label-danger occe-under-minimum">%s</span>') % gettext("Sous le minimum : à décider")
    if alert == "sous_minimum":
        return Markup('<span class="label label-warning occe-under-minimum">%s</span>') % gettext("Sous le minimum")
    return Markup("")


# --- catalogue ---------------------------------------------------------------------------------


class TrainingView(ExportableModelView):
    datamodel = OcceSQLAInterface(Training)
    list_title = _("Catalogue des formations")
    show_title = _("Formation")
    add_title = _("Ajouter une formation au catalogue")
    edit_title = _("Modifier une formation")
    label_columns = {
        "title": _("Intitulé"),
        "audience": _("Public"),
        "description": _("Description"),
        "default_hours": _("Durée habituelle (heures)"),
        "active": _("Proposée"),
    }
    list_columns = ["title", "audience", "default_hours", "active"]
    show_columns = ["title", "audience", "description", "default_hours", "active"]
    add_columns = edit_columns = ["title", "audience", "description", "default_hours", "active"]
    search_columns = ["title", "audience", "active"]
    choice_search_columns = {"audience": AUDIENCES}
    order_columns = ["title", "audience", "default_hours"]
    base_order = ("title", "asc")
    formatters_columns = {"audience": choice_label(AUDIENCES), "active": yes_no, "default_hours": hours_label}
    description_columns = {"default_hours": _("En heures, par exemple 1,5 pour 1 h 30 ; proposée par défaut pour chaque nouvelle session.")}
    validators_columns = {"title": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {
        "audience": SelectField(_("Public"), choices=list(AUDIENCES.items()), validators=[DataRequired()]),
        "default_hours": DecimalField(_("Durée habituelle (heures)"), places=2, validators=[Optional(), NumberRange(min=0.25, max=100, message=_("Entre 0,25 et 100 heures."))]),
        "active": BooleanField(_("Proposée"), default=True),
    }

    def pre_delete(self, item: Training) -> None:
        used = db.session.execute(select(TrainingSession.id).filter(TrainingSession.training_id == item.id).limit(1)).first()
        if used:
            raise ValueError(gettext("« %(title)s » a des sessions : décochez « Proposée » plutôt que de la supprimer.", title=item.title))


# --- sessions ----------------------------------------------------------------------------------


def _field(form, name):
    return form[name].data if name in form else None


def _minimum_within_capacity(form, field) -> None:
    capacity = _field(form, "capacity")
    if field.data is not None and capacity is not None and field.data > capacity:
        raise ValidationError(gettext("Le minimum (%(minimum)s) ne peut pas dépasser la capacité (%(capacity)s).", minimum=field.data, capacity=capacity))


def _decision_before_session(form, field) -> None:
    starts_at = _field(form, "starts_at")
    if field.data and starts_at and field.data > starts_at.date():
        raise ValidationError(gettext("La date de décision (%(decision)s) doit précéder la session (%(day)s).", decision=french_date(field.data), day=french_date(starts_at.date())))


def _detail_for_other(form, field) -> None:
    # on the place itself: FAB makes the empty detail Optional(), which stops its validators
    if field.data == OTHER_PLACE and not (_field(form, "place_detail") or "").strip():
        raise ValidationError(gettext("Lieu « Autre » : précisez lequel."))


def _hours_or_default(form, field) -> None:
    # on the training: FAB's Optional() on the empty duration stops its own validators
    if field.data is not None and field.data.default_hours is None and _field(form, "hours") is None:
        raise ValidationError(gettext("Indiquez la durée de la session (en heures) : cette formation n'a pas de durée habituelle."))


def _active_trainings():
    return db.session.query(Training).filter(Training.active.is_(True)).order_by(Training.title)


class ViewedYearSessions(BaseFilter):
    """Registrations whose session belongs to the viewed school year."""

    name = "Année consultée"

    def apply(self, query, value):
        return query.filter(TrainingRegistration.session.has(TrainingSession.school_year_id == viewed_year_id()))


class TrainingSessionView(ExportableModelView):
    """The sessions of the year being viewed; the session page registers, records attendance, cancels, prints."""

    datamodel = OcceSQLAInterface(TrainingSession)
    list_title = _("Sessions de formation de l'année")
    show_title = _("Session de formation")
    add_title = _("Programmer une session de formation")
    edit_title = _("Modifier une session de formation")
    show_template = "occe/trainings/session_show.html"
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    method_permission_name = {
        "register": "register",
        "unregister": "register",
        "attendance": "attendance",
        "cancel_session": "cancel_session",
        "invite": "invite",
        "certificates": "certificates",
        "certificate": "certificates",
        "sheet": "certificates",
    }
    label_columns = {
        "training": _("Formation"),
        "training.title": _("Formation"),
        "school_year": _("Année scolaire"),
        "place": _("Lieu"),
        "place_detail": _("Précision du lieu (adresse, salle, lien visio)"),
        "place_label": _("Lieu"),
        "starts_at": _("Date et heure"),
        "hours": _("Durée (heures)"),
        "capacity": _("Capacité"),
        "minimum": _("Minimum"),
        "registered": _("Inscrits"),
        "decision_on": _("Décision le"),
        "animator": _("Animation"),
        "status": _("Statut"),
        "minimum_alert": _("Alerte"),
        "cancelled_reason": _("Motif d'annulation"),
        "cancelled_at": _("Annulée le"),
        "cancelled_by": _("Annulée par"),
        "plugin_code": _("Module"),
        "notes": _("Notes"),
    }
    list_columns = ["starts_at", "training.title", "place", "hours", "registered", "capacity", "minimum", "decision_on", "status", "minimum_alert"]
    show_columns = [
        "training", "school_year", "starts_at", "place_label", "hours", "capacity", "minimum", "registered", "decision_on", "animator", "status",
        "cancelled_reason", "cancelled_at", "plugin_code", "notes",
    ]  # fmt: skip
    add_columns = edit_columns = ["training", "starts_at", "place", "place_detail", "hours", "capacity", "minimum", "decision_on", "animator", "notes"]
    search_columns = ["training", "place", "status", "starts_at", "plugin_code"]
    # searched by the title's text: a drop-down of the catalogue would cost two more queries a page
    text_search_relations = {"training": "title"}
    choice_search_columns = {"place": PLACES, "status": SESSION_STATUSES}
    order_columns = ["starts_at", "place", "capacity", "minimum", "decision_on", "status"]
    base_order = ("starts_at", "asc")
    formatters_columns = {
        "starts_at": french_datetime,
        "decision_on": french_date,
        "cancelled_at": french_datetime,
        "place": choice_label(PLACES),
        "status": choice_label(SESSION_STATUSES),
        "hours": hours_label,
        "plugin_code": lambda code: code or "—",
        "minimum_alert": minimum_badge,
    }
    description_columns = {
        "hours": _("Vide : la durée habituelle de la formation."),
        "minimum": _("En dessous de ce nombre d'inscrits à la date de décision, la console propose d'annuler la session et de prévenir les inscrits."),
        "decision_on": _("Date à laquelle le minimum doit être atteint."),
    }
    validators_columns = {
        "training": [DataRequired(message=_("Choisissez la formation.")), _hours_or_default],
        "starts_at": [DataRequired(message=_("Indiquez la date et l'heure de la session."))],
        "capacity": [DataRequired(message=_("Indiquez la capacité.")), NumberRange(min=1, message=_("La capacité doit être d'au moins 1 place."))],
        "minimum": [Optional(), NumberRange(min=0, message=_("Le minimum ne peut pas être négatif.")), _minimum_within_capacity],
        "decision_on": [Optional(), _decision_before_session],
    }
    add_form_query_rel_fields = {"training": [["active", FilterEqualFunction, lambda: True]]}
    add_form_extra_fields = edit_form_extra_fields = {
        "place": SelectField(_("Lieu"), choices=list(PLACES.items()), validators=[DataRequired(), _detail_for_other]),
        "hours": DecimalField(_("Durée (heures)"), places=2, validators=[Optional(), NumberRange(min=0.25, max=100, message=_("Entre 0,25 et 100 heures."))]),
    }

    @property
    def export_columns(self) -> list[str]:
        return [column for column in self.list_columns if column != "minimum_alert"]

    def _set_year(self, item: TrainingSession) -> None:
        item.school_year_id = get_or_create_year(label_for(item.starts_at.date())).id
        if item.hours is None and item.training is not None:
            item.hours = item.training.default_hours
        if item.minimum is None:
            item.minimum = 0
        if item.place != OTHER_PLACE and not (item.place_detail or "").strip():
            item.place_detail = None

    def pre_add(self, item: TrainingSession) -> None:
        self._set_year(item)

    def pre_update(self, item: TrainingSession) -> None:
        self._set_year(item)

    def pre_delete(self, item: TrainingSession) -> None:
        if db.session.execute(select(TrainingRegistration.id).filter(TrainingRegistration.session_id == item.id).limit(1)).first():
            raise ValueError(gettext("Cette session a des inscriptions : annulez-la plutôt que de la supprimer."))

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            session = self.datamodel.get(kwargs["pk"], self._base_filters)
            if session is not None:
                kwargs.update(self.session_extra(session))
        return super().render_template(template, **kwargs)

    def session_extra(self, session: TrainingSession) -> dict:
        sm = current_app.appbuilder.sm
        rows = service.registrations(session, live_only=False)
        live = [row for row in rows if row.status == REGISTERED]
        return {
            "tsession": session,
            "registrations": rows,
            "live_count": len(live),
            "present_count": sum(1 for row in live if row.attended),
            "under_minimum": service.under_minimum(session, count=len(live)),
            "to_decide": service.to_decide(session, count=len(live)),
            "attendance_labels": attendance_label,
            "registration_statuses": REGISTRATION_STATUSES,
            "today": date.today(),
            "may": {name: sm.has_access(f"can_{name}", VIEW) for name in ("register", "attendance", "cancel_session", "certificates", "invite")},
        }

    def _session_or_404(self, pk) -> TrainingSession:
        return self.datamodel.get(pk, self._base_filters) or abort(404)

    def _registration_or_404(self, pk) -> TrainingRegistration:
        registration = db.session.get(TrainingRegistration, pk) or abort(404)
        self._session_or_404(registration.session_id)
        return registration

    # --- registering ---

    @expose("/inscrire/<int:pk>", methods=["GET", "POST"])
    @has_access
    def register(self, pk):
        session = self._session_or_404(pk)
        form = RegistrantForm()
        problem = None
        if request.method == "POST" and form.validate():
            cooperative = form.found_cooperative
            first, last, email = form.first_name.data, form.last_name.data, form.email.data
            person = None
            if cooperative is not None and not (first or last or email):
                person = cooperative.mandataire  # the form's check made sure there is one
                first, last, email = person.first_name, person.last_name, person.email
            elif email:
                person = db.session.execute(select(Person).filter(Person.email.ilike(email.strip())).limit(1)).scalar_one_or_none()
            try:
                registration = service.register(session, first_name=first, last_name=last, email=email, person=person, cooperative=cooperative)
            except service.TrainingRefused as exc:
                db.session.rollback()
                problem = str(exc)
            else:
                flash(gettext("%(name)s est inscrit·e.", name=registration.name), "success")
                return redirect(url_for(f"{VIEW}.show", pk=pk))
        return self.render_template("occe/trainings/register_form.html", form=form, tsession=session, problem=problem)

    @expose("/desinscrire/<int:pk>", methods=["POST"])
    @has_access
    def unregister(self, pk):
        registration = self._registration_or_404(pk)
        try:
            service.cancel_registration(registration)
        except service.TrainingRefused as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(gettext("Inscription de %(name)s annulée.", name=registration.name), "success")
        return redirect(url_for(f"{VIEW}.show", pk=registration.session_id))

    # --- attendance ---

    @expose("/presences/<int:pk>", methods=["POST"])
    @has_access
    def attendance(self, pk):
        session = self._session_or_404(pk)
        ids = [int(value) for value in request.form.getlist("present") if value.isdigit()]
        try:
            present, absent = service.record_attendance(session, ids)
        except service.TrainingRefused as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(gettext("Présences enregistrées : %(present)s présent·e(s), %(absent)s absent·e(s).", present=present, absent=absent), "success")
        return redirect(url_for(f"{VIEW}.show", pk=pk))

    # --- cancelling ---

    @expose("/annulation/<int:pk>", methods=["GET", "POST"])
    @has_access
    def cancel_session(self, pk):
        """Preview the mail to the registrants (GET, or POST « Mettre à jour l'aperçu »), then cancel on the confirmed POST."""
        session = self._session_or_404(pk)
        if session.status != "prevue":
            flash(gettext("Annulation impossible : la session est « %(status)s ».", status=session.status_label), "warning")
            return redirect(url_for(f"{VIEW}.show", pk=pk))
        form = CancelForm()
        if request.method == "GET":
            form.reason.data = service.DEFAULT_REASON
        problem = None
        if request.method == "POST" and form.validate() and request.form.get("confirm") == "1":
            try:
                batch = service.cancel_session(session, form.reason.data, g.user.id)
            except (service.TrainingRefused, MailTemplateError, ValueError) as exc:
                db.session.rollback()
                problem = str(exc)
            else:
                if batch is not None:
                    flash(gettext("Session annulée ; %(count)s courriel(s) d'annulation mis en file d'attente (Courriels › Boîte d'envoi).", count=batch.queued_count), "success")
                else:
                    flash(gettext("Session annulée ; aucun inscrit à prévenir par courriel."), "success")
                return redirect(url_for(f"{VIEW}.show", pk=pk))
        count = service.registered_count(session)
        try:
            preview = service.cancellation_preview(session, form.reason.data)
        except MailTemplateError as exc:
            preview, problem = None, problem or str(exc)
        return self.render_template(
            "occe/trainings/cancel_session.html",
            form=form,
            tsession=session,
            preview=preview,
            problem=problem,
            count=count,
            under_minimum=service.under_minimum(session, count=count),
            to_decide=service.to_decide(session, count=count),
        )

    # --- inviting ---

    @expose("/inviter/<int:pk>", methods=["GET", "POST"])
    @has_access
    def invite(self, pk):
        """Invite the mandataires of the affiliated cooperatives: preview, then queue on the confirmed POST."""
        from app.mail.recipients import affiliated_recipients

        session = self._session_or_404(pk)
        if session.status != "prevue":
            flash(gettext("Invitation impossible : la session est « %(status)s ».", status=session.status_label), "warning")
            return redirect(url_for(f"{VIEW}.show", pk=pk))
        form = InviteForm()
        recipients = affiliated_recipients(session.school_year)
        problem = None
        if request.method == "POST" and form.validate() and request.form.get("confirm") == "1":
            try:
                batch = service.invite(session, recipients, message=form.message.data, user_id=g.user.id)
                db.session.commit()
            except (service.TrainingRefused, MailTemplateError, ValueError) as exc:
                db.session.rollback()
                problem = str(exc)
            else:
                flash(gettext("%(count)s invitation(s) mise(s) en file d'attente (Courriels › Boîte d'envoi).", count=batch.queued_count), "success")
                return redirect(url_for(f"{VIEW}.show", pk=pk))
        preview = None
        try:
            from app.mail import service as mail

            preview = mail.preview(f"{service.MODULE}:invitation", recipients, {"session": service.session_fields(session), "message": form.message.data or ""},
                                   year=session.school_year)
        except MailTemplateError as exc:
            problem = problem or str(exc)
        return self.render_template("occe/trainings/invite.html", form=form, tsession=session, preview=preview, problem=problem)

    # --- documents ---

    @expose("/attestations/<int:pk>")
    @has_access
    def certificates(self, pk):
        session = self._session_or_404(pk)
        try:
            document = service.certificates(session, service.attendees(session))
        except service.TrainingRefused as exc:
            flash(str(exc), "warning")
            return redirect(url_for(f"{VIEW}.show", pk=pk))
        return pdf_response(document, pdf_filename("attestations", session.training.title, f"{session.starts_at:%Y-%m-%d}"))

    @expose("/attestation/<int:pk>")
    @has_access
    def certificate(self, pk):
        registration = self._registration_or_404(pk)
        if registration.status != REGISTERED or not registration.attended:
            flash(gettext("Pas d'attestation pour %(name)s : sa présence n'est pas notée.", name=registration.name), "warning")
            return redirect(url_for(f"{VIEW}.show", pk=registration.session_id))
        document = service.certificates(registration.session, [registration])
        return pdf_response(document, pdf_filename("attestation", registration.last_name, registration.first_name, f"{registration.session.starts_at:%Y-%m-%d}"))

    @expose("/emargement/<int:pk>")
    @has_access
    def sheet(self, pk):
        session = self._session_or_404(pk)
        return pdf_response(service.attendance_sheet(session), pdf_filename("emargement", session.training.title, f"{session.starts_at:%Y-%m-%d}"))


class RegistrantForm(FlaskForm):
    first_name = StringField(_("Prénom"))
    last_name = StringField(_("Nom"))
    email = StringField(_("Courriel"))
    cooperative = StringField(_("Coopérative (n° d'affiliation)"))

    found_cooperative = None

    def validate_cooperative(self, field) -> None:
        number = (field.data or "").strip()
        if not number:
            return
        found = db.session.execute(select(Cooperative).filter(Cooperative.affiliation_number == number)).scalar_one_or_none()
        if found is None:
            raise ValidationError(gettext("Aucune coopérative n° « %(number)s ».", number=number))
        self.found_cooperative = found

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.first_name.data or self.last_name.data or self.email.data):
            if self.found_cooperative is None:
                self.first_name.errors.append(gettext("Indiquez le prénom, le nom et le courriel de la personne, ou seulement le n° de sa coopérative pour inscrire son ou sa mandataire."))
                return False
            mandataire = self.found_cooperative.mandataire
            if mandataire is None or not mandataire.email:
                self.cooperative.errors.append(gettext("La coopérative %(number)s n'a pas de mandataire avec une adresse de courriel : indiquez la personne.", number=self.found_cooperative.affiliation_number))
                return False
        return True


class InviteForm(FlaskForm):
    message = TextAreaField(_("Message ajouté à l'invitation (facultatif)"))


class CancelForm(FlaskForm):
    reason = TextAreaField(_("Motif (repris dans le courriel)"), validators=[DataRequired(message=_("Indiquez le motif de l'annulation : il figure dans le courriel aux inscrits."))])


# --- registrations -----------------------------------------------------------------------------


def _valid_email(form, field) -> None:
    from app.mail.recipients import valid_address

    if field.data and not valid_address(field.data):
        raise input_error(gettext("Adresse de courriel invalide « %(email)s ».", email=field.data.strip()))


class TrainingRegistrationView(ExportableModelView):
    """Registrations to the sessions of the viewed year (personal data: names and addresses)."""

    datamodel = OcceSQLAInterface(TrainingRegistration)
    personal_data = True
    list_title = _("Inscriptions aux formations")
    show_title = _("Inscription à une formation")
    edit_title = _("Corriger une inscription")
    base_permissions = ["can_list", "can_show", "can_edit", "can_export", "cancel_registrations"]
    base_filters = [["session", ViewedYearSessions, None]]
    label_columns = {
        "session": _("Session"),
        "session.starts_at": _("Date"),
        "last_name": _("Nom"),
        "first_name": _("Prénom"),
        "email": _("Courriel"),
        "cooperative": _("Coopérative"),
        "cooperative.affiliation_number": _("Coopérative"),
        "registered_at": _("Inscrit·e le"),
        "status": _("Statut"),
        "attended": _("Présence"),
    }
    list_columns = ["session", "last_name", "first_name", "email", "cooperative.affiliation_number", "status", "attended"]
    show_columns = ["session", "last_name", "first_name", "email", "cooperative", "registered_at", "status", "attended"]
    edit_columns = ["first_name", "last_name", "email"]
    search_columns = ["last_name", "email", "status", "attended", "cooperative"]
    text_search_relations = {"cooperative": "affiliation_number"}
    choice_search_columns = {"status": REGISTRATION_STATUSES}
    order_columns = ["last_name", "first_name", "email", "status"]
    base_order = ("last_name", "asc")
    formatters_columns = {"status": choice_label(REGISTRATION_STATUSES), "attended": attendance_label, "registered_at": french_datetime}
    validators_columns = {"first_name": [DataRequired()], "last_name": [DataRequired()], "email": [DataRequired(), _valid_email]}

    @property
    def export_columns(self) -> list[str]:
        return ["session.starts_at", "last_name", "first_name", "email", "cooperative.affiliation_number", "status", "attended"]

    def pre_update(self, item: TrainingRegistration) -> None:
        item.email = (item.email or "").strip().lower()

    @action("cancel_registrations", _("Annuler l'inscription"), _("Annuler les inscriptions choisies ?"), "fa-ban")
    def cancel_registrations(self, items):
        items = items if isinstance(items, list) else [items]
        allowed = viewed_year_id()
        done = 0
        for registration in items:
            if registration.session.school_year_id != allowed:
                continue  # actions ignore base_filters: only the viewed year's rows
            try:
                service.cancel_registration(registration)
                done += 1
            except service.TrainingRefused as exc:
                db.session.rollback()
                flash(str(exc), "warning")
        if done:
            flash(gettext("%(count)s inscription(s) annulée(s).", count=done), "success")
        self.update_redirect()
        return redirect(self.get_redirect())


__all__ = ["TrainingRegistrationView", "TrainingSessionView", "TrainingView"]
