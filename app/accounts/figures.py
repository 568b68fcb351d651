"""The cooperative page's CRFS and account checks tabs, and the dashboard card."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _

from app.accounts import service
from app.accounts.models import ORIGINS, OUTCOMES, due_date_for
from app.money import money
from app.plugins.info import CooperativeTab, DashboardCard
from app.views import french_date


def _may(permission: str, view: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, view)


def cooperative_tabs(cooperative) -> list[CooperativeTab]:
    """The cooperative's CRFS over the years and its account checks; nothing for roles without access."""
    tabs = []
    if _may("can_list", "CrfsView"):
        reports = service.reports_of(cooperative)
        tabs.append(
            CooperativeTab(
                title=_("CRFS"),
                columns=(_("Exercice"), _("Attendu le"), _("Reçu le"), _("Statut"), _("Solde de fin"), _("Contrôle du solde")),
                rows=tuple(
                    (
                        report.school_year.label,
                        french_date(report.due_on),
                        french_date(report.received_on),
                        report.status_label,
                        money(report.closing_balance),
                        _("Écart") if report.balance_warning else _("Cohérent"),
                    )
                    for report in reports
                ),
                url=url_for("CrfsView.list", _flt_0_cooperative=cooperative.id),
                empty=_("Aucun CRFS enregistré."),
                action_url=url_for("CrfsReceptionView.form", cooperative_id=cooperative.id) if _may("can_receive", "CrfsReceptionView") else "",
                action_label=_("Enregistrer la réception du CRFS") if _may("can_receive", "CrfsReceptionView") else "",
            )
        )
    if _may("can_list", "AccountCheckView"):
        checks = service.checks_of(cooperative)
        may_add = _may("can_add", "AccountCheckView")
        tabs.append(
            CooperativeTab(
                title=_("Vérifications des comptes"),
                columns=(_("Année"), _("Origine"), _("Demandée le"), _("Visite le"), _("Vérifiée par"), _("Conclusion"), _("Close le")),
                rows=tuple(
                    (
                        check.school_year.label,
                        ORIGINS.get(check.origin, check.origin),
                        french_date(check.requested_on),
                        french_date(check.visit_on),
                        check.visited_by or "",
                        OUTCOMES.get(check.outcome, check.outcome),
                        french_date(check.closed_on),
                    )
                    for check in checks
                ),
                url=url_for("AccountCheckView.list", _flt_0_cooperative=cooperative.id),
                empty=_("Aucune vérification des comptes."),
                action_url=url_for("AccountCheckView.add", cooperative=cooperative.id) if may_add else "",
                action_label=_("Ajouter une vérification") if may_add else "",
            )
        )
    return tabs


def dashboard_cards(year) -> list[DashboardCard]:
    """CRFS received / expected for the year before ``year`` (the campaign run during ``year``)."""
    if not _may("can_list", "CrfsMissingView"):
        return []
    before = service.previous_year(year)
    if before is None:
        return []
    figures = service.counts(before)
    return [
        DashboardCard(
            title=_("CRFS %(year)s reçus", year=before.label),
            value=f"{figures['received']} / {figures['expected']}",
            detail=_(
                "%(late)s en retard ; %(missing)s non reçus (attendus le %(day)s)",
                late=figures["late"],
                missing=figures["missing"],
                day=french_date(due_date_for(before)),
            ),
            url=url_for("CrfsMissingView.page"),
            bars=((_("Reçus"), figures["received"]), (_("Non reçus"), figures["missing"])) if figures["expected"] else (),
        )
    ]
