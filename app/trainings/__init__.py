"""Formations, a core area on the plugin contract (always on).

The catalogue of trainings, their sessions each school year (place, date,
duration, capacity, a minimum to reach by a decision date), registrations,
attendance, the cancellation of a session under its minimum (with a mail to
its registrants) and attendance certificates. Action plugins create sessions
and invite their teachers through :mod:`app.trainings.service`.
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="trainings",
    label="Formations",
    version="1.0.0",
    description="Catalogue des formations, sessions, inscriptions, présences, annulation sous le minimum, attestations.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Trainings"
MENU = {"TrainingSessions": "TrainingSessionView", "TrainingRegistrations": "TrainingRegistrationView", "TrainingCatalogue": "TrainingView"}
SESSION_RUN = ("can_register", "can_attendance", "can_cancel_session", "can_certificates", "can_invite")
REGISTRATION_RUN = ("can_list", "can_show", "can_edit", "can_export", "cancel_registrations")


@hookimpl
def occe_role_permissions():
    """Animation runs the trainings; Gestion reads them and registers people (new mandataires); Conseil reads."""
    return {
        ANIMATION: [
            grant("TrainingView", WRITE + ("can_export",)),
            grant("TrainingSessionView", WRITE + ("can_export",) + SESSION_RUN),
            grant("TrainingRegistrationView", REGISTRATION_RUN),
            menu_access(CATEGORY, *MENU),
        ],
        GESTION: [
            grant("TrainingView", READ + ("can_export",)),
            grant("TrainingSessionView", READ + ("can_export", "can_register", "can_certificates")),
            grant("TrainingRegistrationView", REGISTRATION_RUN),
            menu_access(CATEGORY, *MENU),
        ],
        CONSEIL: [
            grant("TrainingView", READ + ("can_export",)),
            grant("TrainingSessionView", READ + ("can_export",)),
            menu_access(CATEGORY, "TrainingSessions", "TrainingCatalogue"),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.trainings import views

    common = {"category": CATEGORY, "category_label": _("Formations"), "category_icon": "fa-chalkboard-teacher"}
    menu.add_view(views.TrainingSessionView, "TrainingSessions", label=_("Sessions de formation"), icon="fa-calendar-check", **common)
    menu.add_view(views.TrainingRegistrationView, "TrainingRegistrations", label=_("Inscriptions aux formations"), icon="fa-user-check", **common)
    menu.add_view(views.TrainingView, "TrainingCatalogue", label=_("Catalogue des formations"), icon="fa-book-open", **common)


@hookimpl
def occe_mail_templates():
    from app.trainings.mails import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_dashboard_cards(year):
    from app.trainings.figures import dashboard_card

    card = dashboard_card(year)
    return [card] if card is not None else []


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.trainings.figures import trained_tab

    return [trained_tab(cooperative)]


@hookimpl
def occe_demo_data(year):
    from app.trainings.demo import load_trainings_demo

    load_trainings_demo(year)



@hookimpl
def occe_report_sections(year):
    from app.trainings.report import report_sections

    return report_sections(year)
