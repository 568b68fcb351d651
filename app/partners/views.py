"""The partners' own pages (« Espace partenaire ») and the staff's pages that tie partners to accounts and actions.

Every partner page is row-scoped by ``base_filters`` built on
:mod:`app.partners.scope`; that covers list, show, edit, delete and, since
:class:`app.views.OcceModelView`, the ``@action`` endpoints. Inserts are
checked twice: the form offers only the partner's classes, and
:meth:`PartnerSessionView.pre_add` refuses any other (a forged POST).
"""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterInFunction
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from wtforms import SelectField
from wtforms.validators import NumberRange

from app.actions.models import Action, Registration
from app.actions.views import viewed_year_id
from app.datamodel import OcceSQLAInterface
from app.extensions import db
from sqlalchemy import select
from app.partners.models import HELD, SESSION_STATUSES, ActionPartner, PartnerAccount, PartnerSession
from app.partners.scope import VISIBLE_STATUSES, action_ids_of, current_partner_id, my_action_ids, my_partner_id, visible_statuses
from app.views import OcceModelView, choice_label

MY_CLASSES = [
    ["action_id", FilterInFunction, my_action_ids],
    ["school_year_id", FilterEqualFunction, viewed_year_id],
    ["status", FilterInFunction, visible_statuses],
]

CLASS_LABELS = {
    "action": _("Action"),
    "action.name": _("Action"),
    "school_name": _("École"),
    "classroom": _("Classe"),
    "classroom.name": _("Classe"),
    "classroom.levels": _("Niveaux"),
    "class_pupils": _("Élèves"),
    "teacher_name": _("Enseignant·e"),
    "teacher_email": _("Courriel de l'enseignant·e"),
}


def actions_of_year(year_id: int | None) -> list[int]:
    return list(db.session.execute(select(Action.id).where(Action.school_year_id == year_id)).scalars())


class SessionRefused(Exception):
    """A partner's session that cannot be saved; the message is French (FAB flashes it)."""


class PartnerRegistrationView(OcceModelView):
    """« Mes classes »: the retained registrations of the partner's actions, with what an artist needs and nothing more."""

    route_base = "/partenaire/classes"
    datamodel = OcceSQLAInterface(Registration)
    list_title = show_title = _("Mes classes")
    base_filters = MY_CLASSES
    base_permissions = ["can_list", "can_show"]
    label_columns = CLASS_LABELS
    list_columns = ["action.name", "school_name", "classroom.name", "classroom.levels", "class_pupils", "teacher_name", "teacher_email"]
    show_columns = list_columns
    search_columns = ["classroom"]
    text_search_relations = {"classroom": "name"}
    base_order = ("requested_at", "asc")


def _hours_column(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " h" if value is not None else ""


SESSION_LABELS = {
    "registration": _("Classe"),
    "registration.classroom.name": _("Classe"),
    "partner": _("Partenaire"),
    "action": _("Action"),
    "artist": _("Artiste"),
    "starts_at": _("Date et heure"),
    "hours": _("Heures"),
    "status": _("Statut"),
    "report": _("Compte rendu"),
}
SESSION_FORMATTERS = {"status": choice_label(SESSION_STATUSES), "hours": _hours_column, "starts_at": lambda value: value.strftime("%d/%m/%Y %H:%M") if value else ""}


def warn_clashes(session: PartnerSession, *, partner_id: int | None = None) -> int:
    """Flash a French warning for each of the artist's other sessions overlapping ``session`` (saved anyway).

    ``partner_id`` limits the check to that organisation's sessions (a partner
    never learns about another company's sessions). Returns the number of clashes.
    """
    from app.partners.service import clash_sentence, session_clashes

    others = session_clashes(session, partner_id=partner_id)
    for other in others:
        flash(gettext("Attention, %(artist)s a déjà une séance à ce moment-là. %(sentence)s.", artist=session.artist, sentence=clash_sentence(other)), "warning")
    return len(others)


class ClashWarningMixin:
    """After a session is saved, warn (never refuse) when its artist is already busy then.

    For the ModelViews of :class:`PartnerSession` (a plugin's own session views
    too); set ``clash_scope_to_partner = True`` on views a partner uses.
    """

    clash_scope_to_partner = False

    def _clash_partner(self) -> int | None:
        return current_partner_id() if self.clash_scope_to_partner else None

    def post_add(self, item) -> None:
        super().post_add(item)
        warn_clashes(item, partner_id=self._clash_partner())

    def post_update(self, item) -> None:
        super().post_update(item)
        warn_clashes(item, partner_id=self._clash_partner())


class PartnerSessionView(ClashWarningMixin, OcceModelView):
    """« Mes séances »: the partner's sessions in its classes; it records what it did, nothing of anyone else."""

    route_base = "/partenaire/seances"
    datamodel = OcceSQLAInterface(PartnerSession)
    list_title = _("Mes séances")
    add_title = _("Ajouter une séance")
    edit_title = _("Modifier une séance")
    show_title = _("Séance")
    base_filters = [["partner_id", FilterEqualFunction, my_partner_id], ["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "mark_held"]
    clash_scope_to_partner = True
    base_order = ("starts_at", "asc")
    label_columns = SESSION_LABELS
    formatters_columns = SESSION_FORMATTERS
    list_columns = ["starts_at", "action", "registration", "artist", "hours", "status"]
    show_columns = ["action", "registration", "artist", "starts_at", "hours", "status", "report"]
    add_columns = ["registration", "artist", "starts_at", "hours", "report"]
    edit_columns = ["artist", "starts_at", "hours", "status", "report"]
    search_columns = ["artist", "starts_at", "status"]
    choice_search_columns = {"status": SESSION_STATUSES}
    add_form_query_rel_fields = {"registration": MY_CLASSES}
    validators_columns = {"hours": [NumberRange(min=Decimal("0.25"), max=Decimal("12"), message=_("Une séance dure entre 0,25 et 12 heures."))]}
    edit_form_extra_fields = {"status": SelectField(_("Statut"), choices=list(SESSION_STATUSES.items()))}

    def pre_add(self, item: PartnerSession) -> None:
        partner_id = current_partner_id()
        if partner_id is None:
            raise SessionRefused(gettext("Ce compte n'est rattaché à aucun partenaire : demandez à l'association de le rattacher."))
        registration = item.registration
        if registration is None or registration.action_id not in action_ids_of(partner_id) or registration.status not in VISIBLE_STATUSES:
            raise SessionRefused(gettext("Cette classe ne fait pas partie des actions de votre organisation."))
        item.partner_id = partner_id
        item.action_id = registration.action_id
        item.school_year_id = registration.school_year_id

    @action("mark_held", _("Marquer tenue"), _("Marquer ces séances comme tenues ?"), "fa-check", single=False)
    def mark_held(self, items):
        sessions = items if isinstance(items, list) else [items]
        for session in sessions:
            session.status = HELD
        db.session.commit()
        flash(gettext("%(count)s séance(s) marquée(s) comme tenue(s).", count=len(sessions)), "success")
        return redirect(self.get_redirect())


class PartnerSessionStaffView(ClashWarningMixin, OcceModelView):
    """Every partner's sessions of the viewed year, for the staff (read only: the partners record them)."""

    route_base = "/partenaires/seances"
    datamodel = OcceSQLAInterface(PartnerSession)
    list_title = _("Séances des partenaires")
    show_title = _("Séance")
    base_filters = [["school_year_id", FilterEqualFunction, viewed_year_id]]
    base_permissions = ["can_list", "can_show"]
    base_order = ("starts_at", "asc")
    label_columns = SESSION_LABELS
    formatters_columns = SESSION_FORMATTERS
    list_columns = ["starts_at", "partner", "action", "registration", "artist", "hours", "status"]
    show_columns = ["partner", "action", "registration", "artist", "starts_at", "hours", "status", "report"]
    search_columns = ["partner", "artist", "starts_at", "status"]
    choice_search_columns = {"status": SESSION_STATUSES}


class PartnerAccountView(OcceModelView):
    """Which user account acts for which partner organisation (give the account the Partenaire role too)."""

    route_base = "/partenaires/comptes"
    datamodel = OcceSQLAInterface(PartnerAccount)
    list_title = _("Comptes des partenaires")
    add_title = _("Rattacher un compte à un partenaire")
    edit_title = _("Modifier le rattachement")
    show_title = _("Compte de partenaire")
    label_columns = {"user": _("Compte"), "partner": _("Partenaire")}
    list_columns = ["user", "partner"]
    add_columns = edit_columns = show_columns = ["user", "partner"]
    search_columns = ["partner"]


class ActionPartnerView(OcceModelView):
    """Which partner organisations work on which actions of the viewed year."""

    route_base = "/partenaires/actions"
    datamodel = OcceSQLAInterface(ActionPartner)
    list_title = _("Partenaires des actions")
    add_title = _("Associer un partenaire à une action")
    show_title = edit_title = _("Partenaire d'une action")
    label_columns = {"action": _("Action"), "partner": _("Partenaire")}
    list_columns = ["action", "partner"]
    add_columns = edit_columns = show_columns = ["action", "partner"]
    search_columns = ["partner"]
    base_filters = [["action_id", FilterInFunction, lambda: actions_of_year(viewed_year_id())]]
    add_form_query_rel_fields = edit_form_query_rel_fields = {"action": [["school_year_id", FilterEqualFunction, viewed_year_id]]}

