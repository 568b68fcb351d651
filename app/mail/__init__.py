"""The mail service, a core area on the plugin contract (always on).

Templates per module (``occe_mail_templates``, the core's own in
``core_templates.py``), personalised per recipient and previewed before
anything is queued; an outbox table so that nothing is lost when the server
is down; a file backend (``<instance>/mail/*.eml``) by default, SMTP by
configuration. See ``service.py`` for the rules and ``flask occe mail send``
for the scheduled sending.
"""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, GESTION, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="mail",
    label="Courriels",
    version="1.0.0",
    description="Modèles de courriels par module, envois personnalisés prévisualisés, boîte d'envoi.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Mail"
MENU = ("NewMailing", "Outbox", "MailBatches")


@hookimpl
def occe_role_permissions():
    """Animation and Gestion prepare and send mailings; Conseil and Partenaire see none of it (addresses are personal data)."""
    staff = [
        grant("MailingView", ("can_prepare", "can_send")),
        grant("OutboxView", ("can_list", "can_show", "can_export", "cancel", "retry")),
        grant("MailBatchView", ("can_list", "can_show", "can_export")),
        menu_access(CATEGORY, *MENU),
    ]
    return {ANIMATION: staff, GESTION: list(staff)}


@hookimpl
def occe_views(menu):
    from app.mail.views import MailBatchView, MailingView, OutboxView

    common = {"category": CATEGORY, "category_label": _("Courriels"), "category_icon": "fa-envelope"}
    menu.add_view(MailingView, "NewMailing", label=_("Nouvel envoi"), icon="fa-paper-plane", **common)
    menu.add_view(OutboxView, "Outbox", label=_("Boîte d'envoi"), icon="fa-inbox", **common)
    menu.add_view(MailBatchView, "MailBatches", label=_("Envois groupés"), icon="fa-layer-group", **common)


@hookimpl
def occe_mail_templates():
    from app.mail.core_templates import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_cli_commands(cli):
    import click

    @cli.command("send")
    @click.option("--limit", type=int, default=None, help="Nombre maximal de courriels à envoyer.")
    def send(limit):
        """Envoie les courriels en attente (à planifier, par exemple toutes les 5 minutes)."""
        from app.mail.service import send_pending

        report = send_pending(limit)
        click.echo(report.summary())
        for line in report.errors[:20]:
            click.echo(f"  {line}", err=True)
        if report.error:
            raise click.ClickException("le serveur de courriel est injoignable ; les courriels restent en attente.")

    @cli.command("status")
    def status():
        """Compte les courriels de la boîte d'envoi par statut."""
        from app.mail.models import STATUSES
        from app.mail.service import counts_by_status

        for code, count in counts_by_status().items():
            click.echo(f"{STATUSES[code]} : {count}")


@hookimpl
def occe_dashboard_cards(year):
    """Messages waiting or failed, for the staff who send them (nothing when the outbox is clear)."""
    from flask import current_app, url_for

    from app.mail.models import FAILED, PENDING
    from app.mail.service import counts_by_status

    if not current_app.appbuilder.sm.has_access("can_list", "OutboxView"):
        return []
    counts = counts_by_status()
    if not counts[PENDING] and not counts[FAILED]:
        return []
    return [
        DashboardCard(
            title=_("Courriels en attente d'envoi"),
            value=str(counts[PENDING]),
            detail=_("%(failed)s en échec", failed=counts[FAILED]),
            url=url_for("OutboxView.list"),
        )
    ]
