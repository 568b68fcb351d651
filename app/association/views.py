"""The associative life's French pages: board, meetings (attendance, decisions, minutes), working groups, partners."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import BaseFilter, FilterEqualFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import case, or_
from sqlalchemy.exc import SQLAlchemyError
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.association import service
from app.association.models import (
    FUNCTIONS, MEETING_KINDS, PARTNER_KINDS, PRESENCES, BoardMember, Decision, Meeting, Partner, PartnerAdvantage, PartnerContact,
    WorkingGroup, WorkingGroupMember,
)  # fmt: skip
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from app.uploads.kinds import WRITINGS
from app.uploads.views import UploadsMixin, file_link
from app.views import ExportableModelView, OcceModelView, choice_label, french_date, yes_no
from app.years.context import viewed_year
from app.years.service import get_or_create_year, label_for


def viewed_year_id() -> int | None:
    year = viewed_year()
    return year.id if year else None


def french_datetime(value) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def _not_before(other: str, message):
    """A form check: this date is not before the field ``other`` (when both are given)."""

    def check(form, field) -> None:
        start = form[other].data if other in form else None
        if field.data and start and field.data < start:
            raise ValidationError(str(message))

    return check


def minutes_cell(meeting: Meeting):
    """The minutes' download link for those who may download them, « déposé » for the others."""
    if meeting.minutes_file is None:
        return "—"
    if current_app.appbuilder.sm.has_access("can_download", "MeetingView"):
        return file_link("MeetingView", meeting, "minutes_file")
    return gettext("déposé")


class InViewedYearOrPermanent(BaseFilter):
    """Rows of the viewed school year, and those without a year (permanent working groups)."""

    name = "Année consultée ou permanent"
    arg_name = "vyp"

    def apply(self, query, value):
        column = getattr(self.model, self.column_name)
        return query.filter(or_(column == viewed_year_id(), column.is_(None)))


class MeetingInViewedYear(BaseFilter):
    """Decisions taken at a meeting of the viewed school year."""

    name = "Réunion de l'année consultée"
    arg_name = "myr"

    def apply(self, query, value):
        return query.filter(Decision.meeting.has(Meeting.school_year_id == viewed_year_id()))


class StillOpen(BaseFilter):
    """Decisions not done yet."""

    name = "À suivre"
    arg_name = "opn"

    def apply(self, query, value):
        return query.filter(Decision.done_on.is_(None))


# --- board -----------------------------------------------------------------------------------


class BoardMemberView(ExportableModelView):
    """The members of the board (personal data: phones and emails)."""

    datamodel = OcceSQLAInterface(BoardMember)
    personal_data = True
    list_title = _("Membres du conseil d'administration")
    show_title = _("Membre du conseil d'administration")
    add_title = _("Ajouter un membre du conseil")
    edit_title = _("Modifier un membre du conseil")
    label_columns = {
        "first_name": _("Prénom"),
        "last_name": _("Nom"),
        "email": _("Courriel"),
        "phone": _("Téléphone"),
        "function": _("Fonction"),
        "elected_on": _("Élu·e le"),
        "term_ends_on": _("Fin de mandat"),
        "active": _("En fonction"),
        "person": _("Fiche de l'annuaire"),
    }
    list_columns = ["last_name", "first_name", "function", "email", "phone", "elected_on", "term_ends_on", "active"]
    show_columns = ["first_name", "last_name", "function", "email", "phone", "elected_on", "term_ends_on", "active", "person"]
    add_columns = edit_columns = ["first_name", "last_name", "function", "email", "phone", "elected_on", "term_ends_on", "active"]
    search_columns = ["last_name", "first_name", "function", "email", "active", "term_ends_on"]
    choice_search_columns = {"function": FUNCTIONS}
    order_columns = ["last_name", "first_name", "function", "elected_on", "term_ends_on"]
    base_order = ("last_name", "asc")
    formatters_columns = {"function": choice_label(FUNCTIONS), "elected_on": french_date, "term_ends_on": french_date, "active": yes_no}
    validators_columns = {
        "first_name": [DataRequired(message=_("Indiquez le prénom."))],
        "last_name": [DataRequired(message=_("Indiquez le nom."))],
        "email": [Optional(), Email(message=_("Adresse électronique invalide."))],
        "term_ends_on": [_not_before("elected_on", _("La fin du mandat doit suivre l'élection."))],
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "function": SelectField(_("Fonction"), choices=list(FUNCTIONS.items()), default="membre", validators=[DataRequired()]),
        "active": BooleanField(_("En fonction"), default=True),
    }

    def pre_delete(self, item: BoardMember) -> None:
        # FAB flashes the message and deletes nothing; the history of meetings stays whole
        if service.member_has_history(item):
            raise service.AssociationRefused(
                gettext("« %(name)s » figure dans des présences ou des groupes de travail : décochez « En fonction » plutôt que de supprimer sa fiche.", name=item.full_name)
            )


# --- decisions -------------------------------------------------------------------------------

DECISION_LABELS = {
    "meeting": _("Réunion"),
    "meeting.title": _("Réunion"),
    "meeting.starts_at": _("Date de la réunion"),
    "number": _("N°"),
    "text": _("Décision"),
    "votes_for": _("Pour"),
    "votes_against": _("Contre"),
    "votes_abstention": _("Abstentions"),
    "owner": _("Suivie par"),
    "due_on": _("Échéance"),
    "done_on": _("Réalisée le"),
}
VOTE_CHECK = [Optional(), NumberRange(min=0, message=_("Un nombre de voix ne peut pas être négatif."))]


class DecisionView(ExportableModelView):
    """Decisions taken at the viewed year's meetings."""

    datamodel = OcceSQLAInterface(Decision)
    list_title = _("Décisions de l'année")
    show_title = _("Décision")
    add_title = _("Ajouter une décision")
    edit_title = _("Modifier une décision")
    base_filters = [["meeting_id", MeetingInViewedYear, None]]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete", "can_export", "mark_done"]
    label_columns = DECISION_LABELS
    list_columns = ["meeting", "number", "text", "owner", "due_on", "done_on"]
    export_columns = ["meeting.starts_at", "meeting.title", "number", "text", "votes_for", "votes_against", "votes_abstention", "owner", "due_on", "done_on"]
    show_columns = ["meeting", "number", "text", "votes_for", "votes_against", "votes_abstention", "owner", "due_on", "done_on"]
    add_columns = ["meeting", "text", "votes_for", "votes_against", "votes_abstention", "owner", "due_on"]
    edit_columns = ["text", "votes_for", "votes_against", "votes_abstention", "owner", "due_on", "done_on"]
    search_columns = ["meeting", "text", "owner", "due_on", "done_on"]
    order_columns = ["number", "owner", "due_on", "done_on"]
    base_order = ("due_on", "asc")
    formatters_columns = {"due_on": french_date, "done_on": french_date, "meeting.starts_at": french_datetime}
    description_columns = {"owner": _("Qui suit la mise en œuvre (membre du conseil, salariée...)."), "done_on": _("Vide tant que la décision reste à suivre.")}
    validators_columns = {
        "text": [DataRequired(message=_("Écrivez la décision."))],
        "votes_for": VOTE_CHECK,
        "votes_against": VOTE_CHECK,
        "votes_abstention": VOTE_CHECK,
    }
    add_form_query_rel_fields = {"meeting": [["school_year_id", FilterEqualFunction, viewed_year_id]]}

    def pre_add(self, item: Decision) -> None:
        with db.session.no_autoflush:  # the decision is not in the session yet, only on its meeting's list
            item.number = service.next_decision_number(item.meeting.id if item.meeting is not None else item.meeting_id)

    def post_add_redirect(self):
        return self._back_to_meeting()

    def post_edit_redirect(self):
        return self._back_to_meeting()

    def _back_to_meeting(self):
        meeting_id = request.args.get("_flt_0_meeting", type=int) or request.args.get("reunion", type=int)
        if meeting_id:
            return redirect(url_for("MeetingView.show", pk=meeting_id))
        return redirect(self.get_redirect())

    @action("mark_done", _("Marquer réalisée"), _("Marquer les décisions choisies comme réalisées aujourd'hui ?"), "fa-check")
    def mark_done(self, items):
        items = items if isinstance(items, list) else [items]
        done = 0
        for decision in items:
            try:
                service.mark_done(decision)
                done += 1
            except service.AssociationRefused as exc:
                db.session.rollback()
                flash(str(exc), "warning")
        if done:
            flash(gettext("%(count)s décision(s) marquée(s) réalisée(s).", count=done), "success")
        self.update_redirect()
        return redirect(self.get_redirect())


class OpenDecisionView(DecisionView):
    """Decisions still to follow up, whatever the year of their meeting."""

    list_title = _("Décisions à suivre")
    base_filters = [["done_on", StillOpen, None]]
    add_form_query_rel_fields = {}


# --- meetings --------------------------------------------------------------------------------


class MeetingInterface(OcceSQLAInterface):
    """Orders by « upcoming first »: the next meetings in date order, then the past ones, latest first."""

    UPCOMING = "upcoming"

    def apply_order_by(self, query, order_column, order_direction, aliases_mapping=None, bypass_many_to_many=False, add_pk=False):
        if order_column != self.UPCOMING:
            return super().apply_order_by(query, order_column, order_direction, aliases_mapping, bypass_many_to_many, add_pk)
        now = datetime.now()
        past = case((Meeting.starts_at < now, 1), else_=0)
        return query.order_by(past, case((Meeting.starts_at >= now, Meeting.starts_at)), Meeting.starts_at.desc(), Meeting.id)


class MeetingView(UploadsMixin, ExportableModelView):
    """Meetings of the viewed year; a meeting's page shows its attendance, quorum, decisions and minutes."""

    datamodel = MeetingInterface(Meeting)
    list_title = _("Réunions de l'année")
    show_title = _("Réunion")
    add_title = _("Ajouter une réunion")
    edit_title = _("Modifier une réunion")
    show_template = "occe/association/meeting_show.html"
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete", "can_export", "can_download", "can_attendance", "can_attendance_sheet", "can_convene"]
    upload_fields = {"minutes_upload": ("minutes_file", _("Compte rendu (PDF, DOCX ou ODT)"), WRITINGS)}
    label_columns = {
        "kind": _("Instance"),
        "title": _("Intitulé"),
        "starts_at": _("Date et heure"),
        "place": _("Lieu"),
        "agenda": _("Ordre du jour"),
        "minutes_file": _("Compte rendu"),
        "minutes_link": _("Compte rendu"),
        "minutes_approved_on": _("Compte rendu approuvé le"),
        "working_group": _("Groupe de travail"),
        "school_year": _("Année scolaire"),
    }
    list_columns = ["starts_at", "kind", "title", "place", "minutes_link", "minutes_approved_on"]
    export_columns = ["starts_at", "kind", "title", "place", "minutes_approved_on"]
    show_columns = ["kind", "title", "starts_at", "place", "school_year", "working_group", "agenda", "minutes_approved_on"]
    add_columns = edit_columns = ["kind", "title", "starts_at", "place", "working_group", "agenda", "minutes_file", "minutes_approved_on"]
    search_columns = ["kind", "title", "place", "starts_at", "working_group"]
    choice_search_columns = {"kind": MEETING_KINDS}
    order_columns = ["starts_at", "kind", "title", "place", "minutes_approved_on"]
    base_order = (MeetingInterface.UPCOMING, "asc")
    formatters_columns = {
        "kind": choice_label(MEETING_KINDS),
        "starts_at": french_datetime,
        "minutes_approved_on": french_date,
        "minutes_link": lambda meeting: minutes_cell(meeting),
        "working_group": lambda group: str(group) if group is not None else "—",
    }
    description_columns = {
        "starts_at": _("Date et heure, par exemple 2026-01-15 18:00:00. La réunion est rangée dans l'année scolaire de cette date."),
        "working_group": _("Pour la réunion d'une commission ou d'un groupe de travail."),
    }
    validators_columns = {
        "title": [DataRequired(message=_("Indiquez l'intitulé de la réunion."))],
        "starts_at": [DataRequired(message=_("Indiquez la date et l'heure (AAAA-MM-JJ HH:MM:SS)."))],
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Instance"), choices=list(MEETING_KINDS.items()), validators=[DataRequired()]),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = search_form_query_rel_fields = {
        "working_group": [["school_year_id", InViewedYearOrPermanent, None]]
    }

    def _place_in_its_year(self, item: Meeting) -> None:
        if item.starts_at is not None:
            item.school_year_id = get_or_create_year(label_for(item.starts_at.date())).id

    def pre_add(self, item: Meeting) -> None:
        self._place_in_its_year(item)

    def pre_update(self, item: Meeting) -> None:
        self._place_in_its_year(item)

    def render_template(self, template, **kwargs):
        if template == self.show_template and kwargs.get("pk") is not None:
            meeting = self.datamodel.get(kwargs["pk"], self._base_filters)
            if meeting is not None:
                kwargs.update(
                    meeting=meeting,
                    quorum=service.quorum(meeting),
                    attendees=sorted(meeting.attendees, key=lambda attendee: (attendee.board_member_id is None, attendee.display_name.lower())),
                    presences=PRESENCES,
                    minutes=file_link("MeetingView", meeting, "minutes_file"),
                )
        return super().render_template(template, **kwargs)

    @expose("/convoquer/<int:pk>", methods=["POST"])
    @has_access
    def convene(self, pk: int):
        """Mail the convocation (date, place, agenda) to the active board members."""
        from app.association.convocation import send_convocation

        meeting = self.datamodel.get(pk, self._base_filters) or abort(404)
        try:
            queued, missing = send_convocation(meeting, g.user.id)
        except ValueError as exc:  # no address at all, or a template error (both in French): nothing queued
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(gettext("Convocation mise dans la file d'envoi pour %(count)s membre(s) du conseil.", count=queued), "success")
            for line in missing:
                flash(line, "warning")
        return redirect(url_for("MeetingView.show", pk=pk))

    @expose("/emargement/<int:pk>")
    @has_access
    def attendance_sheet(self, pk: int):
        """The sign-in sheet (PDF) to print for the meeting: the active board members, then blank lines for guests."""
        from app.documents.render import attendance_sheet
        from app.documents.response import pdf_response

        meeting = self.datamodel.get(pk, self._base_filters) or abort(404)
        rows = [(member.full_name, member.function_label) for member in service.active_members()] + [("", "")] * 5
        details = [meeting.kind_label, gettext("Heure : %(time)s", time=meeting.starts_at.strftime("%H:%M"))]
        document = attendance_sheet(meeting.title, meeting.starts_at.date(), meeting.place, rows, columns=[gettext("Nom"), gettext("Fonction")], details=details)
        return pdf_response(document, f"emargement {meeting.title} {meeting.starts_at:%Y-%m-%d}.pdf")

    @expose("/presences/<int:pk>", methods=["GET", "POST"])
    @has_access
    def attendance(self, pk: int):
        """Take the attendance in one form: a presence for every board member, plus free attendees."""
        meeting = self.datamodel.get(pk, self._base_filters) or abort(404)
        problem = None
        if request.method == "POST":
            members = {}
            for key, value in request.form.items():
                if key.startswith("presence_") and key[9:].isdigit():
                    members[int(key[9:])] = value
            names, chosen = request.form.getlist("guest_name"), request.form.getlist("guest_presence")
            free = list(zip(names, chosen + [""] * (len(names) - len(chosen))))
            try:
                service.save_attendance(meeting, members, free)
            except service.AssociationRefused as exc:
                db.session.rollback()
                problem = str(exc)
            except SQLAlchemyError:
                db.session.rollback()
                problem = gettext("Enregistrement impossible : quelqu'un a saisi les présences au même moment. Vos saisies sont conservées, enregistrez à nouveau.")
            else:
                quorum = service.quorum(meeting)
                flash(gettext("Présences enregistrées : %(counted)s présent(s) ou représenté(s) sur %(members)s membres en fonction.", counted=quorum.counted, members=quorum.members), "success")
                return redirect(url_for("MeetingView.show", pk=pk))
            rows = [(member, members.get(member.id, "")) for member, _presence in service.attendance_members(meeting)]
            guests = [(name, presence) for name, presence in free if name.strip()]
        else:
            rows = service.attendance_members(meeting)
            guests = [(guest.name, guest.presence) for guest in service.guests(meeting)]
        guests = guests + [("", "")] * 3
        return self.render_template(
            "occe/association/attendance.html", meeting=meeting, rows=rows, guests=guests, presences=PRESENCES, problem=problem, quorum=service.quorum(meeting)
        )


# --- working groups --------------------------------------------------------------------------


def _member_or_name(form, field) -> None:
    member = form.board_member.data if "board_member" in form else None
    if member is None and not (field.data or "").strip():
        raise ValidationError(gettext("Choisissez un membre du conseil ou écrivez un nom."))


class WorkingGroupMemberView(OcceModelView):
    """The members of a working group, listed on the group's page."""

    datamodel = OcceSQLAInterface(WorkingGroupMember)
    list_title = _("Membres du groupe")
    add_title = _("Ajouter un membre au groupe")
    edit_title = _("Modifier un membre du groupe")
    show_title = _("Membre du groupe")
    label_columns = {"working_group": _("Groupe de travail"), "board_member": _("Membre du conseil"), "name": _("Autre personne"), "role": _("Rôle dans le groupe"), "display_name": _("Membre")}
    list_columns = ["display_name", "role"]
    show_columns = ["working_group", "board_member", "name", "role"]
    add_columns = edit_columns = ["working_group", "board_member", "name", "role"]
    search_columns = ["working_group", "name", "role"]
    base_order = ("id", "asc")
    description_columns = {"name": _("Si la personne n'est pas au conseil (enseignant·e, collègue de la fédération...).")}
    add_form_extra_fields = edit_form_extra_fields = {
        # FAB's own field for a nullable column starts with Optional(), which would skip the check
        "name": StringField(_("Autre personne"), validators=[_member_or_name, Length(max=200)], filters=[lambda value: value.strip() if value else None]),
    }
    add_form_query_rel_fields = edit_form_query_rel_fields = {"working_group": [["school_year_id", InViewedYearOrPermanent, None]]}


class WorkingGroupView(ExportableModelView):
    """Working groups of the viewed year, and the permanent ones."""

    datamodel = OcceSQLAInterface(WorkingGroup)
    list_title = _("Groupes de travail")
    show_title = _("Groupe de travail")
    add_title = _("Ajouter un groupe de travail")
    edit_title = _("Modifier un groupe de travail")
    base_filters = [["school_year_id", InViewedYearOrPermanent, None]]
    related_views = [WorkingGroupMemberView]
    label_columns = {"name": _("Groupe"), "purpose": _("Objet"), "school_year": _("Année scolaire"), "active": _("Actif")}
    list_columns = ["name", "school_year", "active"]
    export_columns = ["name", "purpose", "active"]
    show_columns = ["name", "purpose", "school_year", "active"]
    add_columns = edit_columns = ["name", "purpose", "school_year", "active"]
    search_columns = ["name", "purpose", "active"]
    order_columns = ["name"]
    base_order = ("name", "asc")
    formatters_columns = {"active": yes_no, "school_year": lambda year: year.label if year is not None else gettext("Permanent")}
    description_columns = {"school_year": _("Vide : groupe permanent, affiché chaque année.")}
    validators_columns = {"name": [DataRequired(message=_("Indiquez le nom du groupe."))]}
    add_form_extra_fields = edit_form_extra_fields = {"active": BooleanField(_("Actif"), default=True)}

    def pre_delete(self, item: WorkingGroup) -> None:
        if service.group_has_meetings(item):
            raise service.AssociationRefused(gettext("Le groupe « %(name)s » a des réunions : décochez « Actif » plutôt que de le supprimer.", name=item.name))


# --- partners --------------------------------------------------------------------------------


class PartnerContactView(ExportableModelView):
    """A partner's contacts (personal data)."""

    datamodel = OcceSQLAInterface(PartnerContact)
    personal_data = True
    list_title = _("Contacts des partenaires")
    show_title = _("Contact")
    add_title = _("Ajouter un contact")
    edit_title = _("Modifier un contact")
    label_columns = {
        "partner": _("Partenaire"),
        "partner.name": _("Partenaire"),
        "first_name": _("Prénom"),
        "last_name": _("Nom"),
        "function": _("Fonction"),
        "email": _("Courriel"),
        "phone": _("Téléphone"),
    }
    list_columns = ["partner.name", "last_name", "first_name", "function", "email", "phone"]
    show_columns = ["partner", "first_name", "last_name", "function", "email", "phone"]
    add_columns = edit_columns = ["partner", "first_name", "last_name", "function", "email", "phone"]
    search_columns = ["partner", "last_name", "first_name", "function", "email"]
    order_columns = ["partner.name", "last_name", "first_name"]
    base_order = ("last_name", "asc")
    validators_columns = {
        "last_name": [DataRequired(message=_("Indiquez le nom."))],
        "email": [Optional(), Email(message=_("Adresse électronique invalide."))],
    }


class PartnerAdvantageView(ExportableModelView):
    """What partners offer member classes."""

    datamodel = OcceSQLAInterface(PartnerAdvantage)
    list_title = _("Avantages des partenaires")
    show_title = _("Avantage")
    add_title = _("Ajouter un avantage")
    edit_title = _("Modifier un avantage")
    label_columns = {
        "partner": _("Partenaire"),
        "partner.name": _("Partenaire"),
        "description": _("Avantage"),
        "valid_from": _("Valable du"),
        "valid_until": _("Valable jusqu'au"),
    }
    list_columns = ["partner.name", "description", "valid_from", "valid_until"]
    show_columns = ["partner", "description", "valid_from", "valid_until"]
    add_columns = edit_columns = ["partner", "description", "valid_from", "valid_until"]
    search_columns = ["partner", "description", "valid_from", "valid_until"]
    order_columns = ["partner.name", "valid_from", "valid_until"]
    base_order = ("valid_from", "desc")
    formatters_columns = {"valid_from": french_date, "valid_until": lambda value: french_date(value) or gettext("sans limite")}
    description_columns = {
        "description": _("Par exemple « Entrée gratuite pour les classes adhérentes »."),
        "valid_until": _("Vide : sans date de fin."),
    }
    validators_columns = {
        "description": [DataRequired(message=_("Décrivez l'avantage."))],
        "valid_until": [_not_before("valid_from", _("La fin de validité doit suivre son début."))],
    }


class PartnerView(ExportableModelView):
    """Partners; a partner's page lists its contacts and its advantages."""

    datamodel = OcceSQLAInterface(Partner)
    list_title = _("Partenaires")
    show_title = _("Partenaire")
    add_title = _("Ajouter un partenaire")
    edit_title = _("Modifier un partenaire")
    related_views = [PartnerContactView, PartnerAdvantageView]
    label_columns = {
        "name": _("Nom"),
        "kind": _("Type"),
        "address": _("Adresse"),
        "website": _("Site internet"),
        "notes": _("Notes"),
        "active": _("Partenariat en cours"),
    }
    list_columns = ["name", "kind", "website", "active"]
    show_columns = ["name", "kind", "address", "website", "notes", "active"]
    add_columns = edit_columns = ["name", "kind", "address", "website", "notes", "active"]
    search_columns = ["name", "kind", "address", "active"]
    choice_search_columns = {"kind": PARTNER_KINDS}
    order_columns = ["name", "kind"]
    base_order = ("name", "asc")
    formatters_columns = {"kind": choice_label(PARTNER_KINDS), "active": yes_no}
    validators_columns = {"name": [DataRequired(message=_("Indiquez le nom du partenaire."))]}
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Type"), choices=list(PARTNER_KINDS.items()), validators=[DataRequired()]),
        "active": BooleanField(_("Partenariat en cours"), default=True),
    }
