"""The home page: the association, the viewed school year and the plugins' cards."""

from __future__ import annotations

from flask import has_request_context, redirect
from flask_appbuilder import IndexView, expose
from flask_login import current_user

from app.plugins.switches import current_manager, plugins_on
from app.years.context import viewed_year


def dashboard_cards(year) -> list:
    """Every card of the plugins on for ``year``, core first; a partner account gets only its own cards."""
    from app.partners.scope import is_partner_only

    if has_request_context() and is_partner_only(current_user):
        from app.partners.dashboard import partner_cards

        return partner_cards(year)
    manager = current_manager()
    cards = []
    for _plugin, answer in manager.call("occe_dashboard_cards", plugins_on(manager, year), year=year):
        cards.extend(answer or [])
    return cards


class HomeView(IndexView):
    route_base = ""
    index_template = "occe/home.html"

    @expose("/")
    def index(self):
        if not current_user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login)
        year = viewed_year()
        cards = dashboard_cards(year) if year else []
        return self.render_template(self.index_template, appbuilder=self.appbuilder, year=year, cards=cards)
