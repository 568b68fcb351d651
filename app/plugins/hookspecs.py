"""The plugin contract: every hook a plugin may implement, grouped by phase.

This module is the one place a plugin developer reads. A plugin is a Python
package (a folder under ``plugins/`` or an installed distribution declaring
the ``occe.plugins`` entry point) whose ``__init__.py`` holds a ``PLUGIN``
:class:`~app.plugins.PluginInfo` and functions decorated with
``@hookimpl`` named after the hooks below. An implementation may take any
subset of a hook's arguments, by name.

Each implementation is called on its own: when one raises, the error is
recorded against its plugin (shown on the Plugins page and by
``flask occe plugins``) and the other plugins' implementations still run.
Per-year hooks are only called for the plugins switched on for that year.
Every hook is documented with an example in ``docs/plugin_hooks.md``.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "occe"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


# --- Start-up: called once per ``create_app`` -----------------------------


@hookspec
def occe_role_permissions():
    """Return the permissions this plugin gives to the staff roles.

    A dict ``{role name: [grant, ...]}`` where each grant is built with
    ``app.security.grant(view, READ or WRITE)`` or ``menu_access(name, ...)``.
    Roles: Animation, Gestion, Conseil, Partenaire (Admin already has every
    permission). Called before the views are registered.
    """


@hookspec
def occe_views(menu):
    """Register this plugin's views and menu entries.

    ``menu`` is a :class:`~app.plugins.menu.PluginMenu` bound to this plugin:
    call ``menu.add_view(...)``, ``menu.add_view_no_menu(...)`` or
    ``menu.add_link(...)``. For a plugin switched per year, the entries it
    adds are hidden in the years where the plugin is off, while its views
    stay registered (permissions and past data remain reachable).
    """


@hookspec
def occe_cli_commands(cli):
    """Add ``click`` commands to ``cli``, the group ``flask occe <code>``."""


# --- Per request: pages ----------------------------------------------------


@hookspec
def occe_dashboard_cards(year):
    """Return a list of :class:`~app.plugins.DashboardCard` for the home page.

    ``year`` is the :class:`~app.years.models.SchoolYear` being viewed.
    Called only when the plugin is on for that year.
    """


@hookspec
def occe_report_sections(year):
    """Return a list of :class:`~app.plugins.ReportSection` for the year's activity report.

    ``year`` is the :class:`~app.years.models.SchoolYear` reported on
    (``flask occe report 2025-2026`` or Administration › Rapport d'activité).
    Called only when the plugin is on for that year: a plugin off that year
    contributes nothing. The figures must be those of the console's lists.
    """

@hookspec
def occe_cooperative_tabs(cooperative):
    """Return a list of :class:`~app.plugins.CooperativeTab` for the cooperative's page.

    ``cooperative`` is a :class:`~app.directory.models.Cooperative`. Called for
    every loaded plugin, on or off this year: a cooperative's history stays readable.
    """


@hookspec
def occe_loan_item_kinds():
    """Return the kinds of items this plugin lends, a list of :class:`~app.plugins.LoanItemKind`.

    The loans service (reservations, calendar, check-out and return with the
    contents checklist, overdue reminders) serves every kind alike. Called for
    every loaded plugin, on or off this year: items and loan history outlive
    the action that brought them.
    """


@hookspec
def occe_mail_templates():
    """Return the mails this plugin sends, a list of :class:`~app.plugins.MailTemplate`.

    French Jinja sources (subject, plain-text body, optional HTML) rendered per
    recipient in a sandbox when staff prepare a mailing (Courriels › Nouvel
    envoi) or when the plugin queues one with ``app.mail.service.queue``.
    Called only for the plugins switched on for the year being viewed.
    """


# --- Registrations: called on the plugin that owns the action only --------


@hookspec
def occe_registration_eligibility(action, cooperative, classroom):
    """Return the French reasons to refuse this registration (an empty list: eligible).

    Called only on the plugin owning ``action`` (``action.plugin_code``), when it
    is on for the action's year, after the core's rules (window, duplicates,
    class of the cooperative's school and year). ``classroom`` is None for an
    action that cooperatives join as a whole.
    """


@hookspec
def occe_registration_quota(action, cooperative, classroom):
    """Return the most this class (or cooperative) may ask for ``action``, or None for no cap.

    Only for actions with a ``quantity_label`` (copies of a book, kits...):
    a request above the quota is refused with a French message naming it.
    Called only on the plugin owning ``action``.
    """


# --- Per school year ------------------------------------------------------


@hookspec
def occe_plugin_switched(year, enabled):
    """Called after this plugin was switched on (``enabled=True``) or off for ``year``.

    Nothing is deleted when a plugin is switched off; use this hook to prepare
    the year's data (for instance a default round) when it is switched on.
    """


@hookspec
def occe_year_opened(year, previous):
    """Called by the year rollover after ``year`` was opened from ``previous``.

    Switches and repeatable actions are already carried over; prepare what
    else the new year needs. Called only when the plugin is on for ``year``;
    the rollover may run twice, so an implementation must not duplicate rows.
    """


@hookspec
def occe_demo_data(year):
    """Add fictional demonstration rows for ``year`` (``flask occe demo``).

    Called only when the plugin is on for ``year``; must be deterministic and
    must not duplicate rows when ``flask occe demo`` runs twice.
    """
