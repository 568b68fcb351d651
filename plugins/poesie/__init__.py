"""« La Picardie en Poésie »: classes write poems with a publisher (Michel Fiévet, Éditions L'ail des ours).

The classes register to the year's core ``Action`` (the core's registration
pages, statuses and recap work unchanged). The plugin adds:

- the online resource dossiers of the year (links and files);
- the teachers' 3 h training, created as a core training session, its
  registered teachers registered and invited by mail;
- the productions received from the classes (uploaded PDF, images or text,
  checked by the core), with a receipt mail to the class;
- their distribution into the anthology's chapters, in an order the staff and
  the publisher change;
- the anthology (« ouvrage-recueil ») as one PDF.

The publisher signs in with the Partenaire role (see ``app/partners``) and sees
only the rows of the actions its organisation works on.
"""

from app.plugins import PARTNER, MailTemplate, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, PARTENAIRE, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="poesie",
    label="La Picardie en Poésie",
    version="1.0.0",
    description="Dossiers ressources, formation des enseignants, productions des classes, répartition en chapitres et ouvrage-recueil.",
    kind=PARTNER,
    yearly=True,
)

MENU_CATEGORY = "Poesie"
MENU = {
    "PoesieHub": "PoesieHubView",
    "PoesieDossiers": "PoesieDossierView",
    "PoesieResources": "PoesieResourceView",
    "PoesieProductions": "PoesieProductionView",
    "PoesieChapters": "PoesieChapterView",
}
DOWNLOAD = ("can_download",)
HUB_STAFF = ("can_list", "can_arrange", "can_anthology", "can_training")


@hookimpl
def occe_role_permissions():
    """Animation runs the action; the publisher reads the dossiers, records productions and arranges the book; Gestion and Conseil read."""
    menus = menu_access(MENU_CATEGORY, *MENU)
    readers = [grant(view, READ) for view in ("PoesieDossierView", "PoesieResourceView", "PoesieChapterView", "PoesieProductionView")]
    return {
        ANIMATION: [
            grant("PoesieDossierView", WRITE),
            grant("PoesieResourceView", WRITE + DOWNLOAD),
            grant("PoesieChapterView", WRITE),
            grant("PoesieProductionView", WRITE + DOWNLOAD + ("can_export",)),
            grant("PoesieHubView", HUB_STAFF),
            menus,
        ],
        PARTENAIRE: [
            grant("PoesieDossierView", READ),
            grant("PoesieResourceView", READ + DOWNLOAD),
            grant("PoesieChapterView", READ),
            grant("PoesieProductionView", READ + ("can_add", "can_edit") + DOWNLOAD),
            grant("PoesieHubView", ("can_list", "can_arrange", "can_anthology")),
            menus,
        ],
        GESTION: readers + [grant("PoesieHubView", ("can_list",)), menus],
        CONSEIL: readers + [grant("PoesieHubView", ("can_list",)), menus],
    }


@hookimpl
def occe_views(menu):
    from flask import Blueprint
    from flask import current_app as app

    from .views import PoesieChapterView, PoesieDossierView, PoesieHubView, PoesieProductionView, PoesieResourceView

    if "poesie_templates" not in app.blueprints:
        app.register_blueprint(Blueprint("poesie_templates", __name__, template_folder="templates"))
    common = {"category": MENU_CATEGORY, "category_label": "La Picardie en Poésie", "category_icon": "fa-feather"}
    menu.add_view(PoesieHubView, "PoesieHub", label="Répartition et ouvrage", icon="fa-book", **common)
    menu.add_view(PoesieProductionView, "PoesieProductions", label="Productions reçues", icon="fa-inbox", **common)
    menu.add_view(PoesieChapterView, "PoesieChapters", label="Chapitres", icon="fa-list-ol", **common)
    menu.add_view(PoesieDossierView, "PoesieDossiers", label="Dossiers ressources", icon="fa-folder-open", **common)
    menu.add_view(PoesieResourceView, "PoesieResources", label="Ressources des dossiers", icon="fa-link", **common)


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.plugins import DashboardCard

    from .services import figures

    found = figures(year)
    return [
        DashboardCard(
            title="La Picardie en Poésie : productions reçues",
            value=str(found["received"]),
            detail=f"{found['classes']} classe(s) inscrite(s), {found['placed']} production(s) placée(s) dans les chapitres",
            url=url_for("PoesieHubView.page"),
            bars=(("Classes inscrites", found["classes"]), ("Productions reçues", found["received"]), ("Placées", found["placed"])),
        )
    ]


@hookimpl
def occe_mail_templates():
    return [
        MailTemplate(
            code="accuse_reception",
            label="La Picardie en Poésie : accusé de réception d'une production",
            description="Envoyé à l'enseignant·e de la classe (à défaut au ou à la mandataire) quand sa production est enregistrée.",
            subject="La Picardie en Poésie : nous avons bien reçu « {{ production.title }} »",
            body=(
                "{{ greeting }}\n\n"
                "Nous avons bien reçu la production « {{ production.title }} » ({{ production.kind }}) "
                "de la {{ production.credit }}, le {{ production.received_at }}"
                "{% if production.filename %} (fichier « {{ production.filename }} »){% endif %}.\n\n"
                "Elle rejoindra l'ouvrage-recueil de La Picardie en Poésie {{ year }}, réalisé avec les Éditions L'ail des ours. "
                "Merci à la classe pour sa participation !\n\n"
                "Bien coopérativement,\nL'équipe de l'{{ association.name }}\n"
            ),
        )
    ]


@hookimpl
def occe_plugin_switched(year, enabled):
    from app.extensions import db

    from .services import ensure_action

    if enabled:
        ensure_action(year)
        db.session.commit()


@hookimpl
def occe_demo_data(year):
    from .demo import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
