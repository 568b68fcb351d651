"""DéfiMaths: the maths challenge the Picardy departments share, solved by whole classes.

Each year has one edition (theme, online resource dossier) whose classes
register to a core ``Action`` (so the registration page, statuses, waiting
list and recap export work unchanged). The plugin adds three rounds of 2 or 3
problems per cycle (cycle 1 written by the Somme, cycle 2 by the Oise, cycle 3
by the Aisne), the personalised mail of each round, the answers and scores,
the ranking and the diplomas.

Mixed classes: a class of cycles « 2-3 » works the problems of its highest
cycle (3); a class with no cycle 1, 2 or 3 (collège, « 4 ») is refused.
"""

from app.plugins import DEPARTMENTAL, MailTemplate, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="defimaths",
    label="DéfiMaths",
    version="1.0.0",
    description="Le défi mathématique des départements picards : manches, épreuves par cycle, réponses, classement et diplômes.",
    kind=DEPARTMENTAL,
    yearly=True,
)

MENU_CATEGORY = "DefiMaths"
MENU = {
    "DefimathsEditions": "DefimathsEditionView",
    "DefimathsRounds": "DefimathsRoundView",
    "DefimathsProblems": "DefimathsProblemView",
    "DefimathsAnswers": "DefimathsAnswerView",
    "DefimathsResults": "DefimathsResultsView",
}
MODEL_VIEWS = ("DefimathsEditionView", "DefimathsRoundView", "DefimathsProblemView", "DefimathsAnswerView")
#: the rounds' mailing and the results page (custom routes)
ROUND_SEND = ("can_send",)
RESULTS = ("can_list", "can_diplomas")


@hookimpl
def occe_role_permissions():
    """Animation runs the challenge (rounds, problems, answers, mailings, diplomas); Gestion and Conseil read."""
    menus = menu_access(MENU_CATEGORY, *MENU)
    readers = [grant(view, READ) for view in MODEL_VIEWS] + [grant("DefimathsResultsView", ("can_list",)), menus]
    return {
        ANIMATION: [grant(view, WRITE) for view in MODEL_VIEWS]
        + [grant("DefimathsRoundView", WRITE + ROUND_SEND), grant("DefimathsResultsView", RESULTS), menus],
        GESTION: readers,
        CONSEIL: readers,
    }


@hookimpl
def occe_views(menu):
    from flask import Blueprint

    from .views import DefimathsAnswerView, DefimathsEditionView, DefimathsProblemView, DefimathsResultsView, DefimathsRoundView

    from flask import current_app as app
    if "defimaths_templates" not in app.blueprints:
        app.register_blueprint(Blueprint("defimaths_templates", __name__, template_folder="templates"))
    common = {"category": MENU_CATEGORY, "category_label": "DéfiMaths", "category_icon": "fa-calculator"}
    menu.add_view(DefimathsEditionView, "DefimathsEditions", label="Édition de l'année", icon="fa-star", **common)
    menu.add_view(DefimathsRoundView, "DefimathsRounds", label="Manches", icon="fa-flag-checkered", **common)
    menu.add_view(DefimathsProblemView, "DefimathsProblems", label="Épreuves", icon="fa-puzzle-piece", **common)
    menu.add_view(DefimathsAnswerView, "DefimathsAnswers", label="Réponses et points", icon="fa-check-square", **common)
    menu.add_view(DefimathsResultsView, "DefimathsResults", label="Classement et diplômes", icon="fa-trophy", **common)


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.actions.figures import registrations_card

    return [registrations_card(PLUGIN.code, "DéfiMaths : classes inscrites", year, url_for("DefimathsResultsView.page"))]


@hookimpl
def occe_mail_templates():
    return [
        MailTemplate(
            code="manche",
            label="DéfiMaths : épreuves de la manche",
            subject="DéfiMaths {{ year }} : manche {{ manche.number }}{% if classrooms|length == 1 %} pour la classe {{ classrooms[0].name }}{% endif %}",
            body=(
                "{{ greeting }}\n\n"
                "Voici les épreuves de la manche {{ manche.number }} du DéfiMaths {{ year }}"
                "{% if manche.theme %} (thème : « {{ manche.theme }} »){% endif %}"
                "{% if classrooms %}, pour {% for c in classrooms %}la classe {{ c.name }} ({{ c.levels }}){% if not loop.last %} et {% endif %}{% endfor %}{% endif %}.\n"
                "{% for group in cycles %}\n"
                "=== {{ group.label }} (épreuves inventées par l'OCCE {{ group.department }}) ===\n"
                "{% for p in group.problems %}\n"
                "Épreuve {{ p.number }} : {{ p.title }} ({{ p.max_points }} points)\n{{ p.statement }}\n"
                "{% endfor %}{% endfor %}\n"
                "{% if manche.answers_due %}Merci de nous envoyer les réponses de la classe avant le {{ manche.answers_due }}.\n{% endif %}"
                "{% if manche.resource_url %}Le dossier ressource est en ligne : {{ manche.resource_url }}\n{% endif %}\n"
                "Bonnes recherches coopératives !\n{{ association.name }}\n"
            ),
            description="Envoyé depuis DéfiMaths › Manches : chaque classe reçoit les épreuves de son cycle.",
        )
    ]


@hookimpl
def occe_registration_eligibility(action, cooperative, classroom):
    from .services import eligibility_problem

    problem = eligibility_problem(classroom)
    return [problem] if problem else []


@hookimpl
def occe_plugin_switched(year, enabled):
    from app.extensions import db

    from .services import ensure_edition

    if enabled:
        ensure_edition(year)
        db.session.commit()


@hookimpl
def occe_year_opened(year, previous):
    from .services import carry_edition

    carry_edition(previous, year)


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
