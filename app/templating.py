"""Values every page template can use, FAB's views or ours."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from app.years.context import viewed_year
from app.years.service import all_years


def template_context() -> dict:
    context = {"appbuilder": current_app.appbuilder}
    if current_user and current_user.is_authenticated:
        years = all_years()
        context["occe_years"] = years
        context["occe_viewed_year"] = viewed_year(years)
    return context
