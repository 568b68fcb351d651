"""The core's own mails (module « mail »): the end-of-August proposals, the relay of a federal mail, a message to an action's classes."""

from __future__ import annotations

from app.plugins.info import MailTemplate

AUGUST_PROPOSALS = "propositions_fin_aout"
FEDERAL_RELAY = "relais_federal"
ACTION_MESSAGE = "message_action"

SIGNATURE = "Bien coopérativement,\nL'équipe de l'{{ association.name }}\n"

TEMPLATES = (
    MailTemplate(
        code=AUGUST_PROPOSALS,
        label="Propositions de fin août",
        description="Les actions ouvertes aux inscriptions, envoyées aux mandataires des coopératives affiliées.",
        subject="{{ association.name }} : les actions proposées aux classes en {{ year }}",
        body=(
            "{{ greeting }}\n"
            "\n"
            "Voici les actions que l'{{ association.name }} propose aux classes"
            "{% if school %} de votre école ({{ school.name }}){% endif %} pour l'année scolaire {{ year }} :\n"
            "\n"
            "{% for p in proposals %}- {{ p.name }}{% if p.closes_on %} (inscriptions jusqu'au {{ p.closes_on }}){% endif %}\n"
            "{% if p.description %}  {{ p.description }}\n{% endif %}"
            "{% else %}(aucune action n'est encore ouverte aux inscriptions)\n{% endfor %}"
            "{% if message %}\n{{ message }}\n{% endif %}"
            "\n"
            "{% if lien_enseignant is defined and lien_enseignant %}"
            "Pour inscrire une classe, demander une intervention en classe ou suivre les demandes de l'école"
            "{% if cooperative %} (coopérative n° {{ cooperative.affiliation_number }}){% endif %}, "
            "utilisez ce lien personnel (à ne pas diffuser hors de l'équipe de l'école) :\n{{ lien_enseignant }}\n"
            "{% else %}"
            "Pour inscrire une classe, répondez à ce courriel en indiquant l'action, la classe et son effectif"
            "{% if cooperative %} (coopérative n° {{ cooperative.affiliation_number }}){% endif %}.\n"
            "{% endif %}"
            "\n" + SIGNATURE
        ),
    ),
    MailTemplate(
        code=FEDERAL_RELAY,
        label="Relais d'un courriel de la fédération",
        description="Un courriel de la fédération OCCE relayé aux classes (ou coopératives) inscrites à une action.",
        subject="{% if action %}[{{ action.name }}] {% endif %}{{ title }}",
        body=(
            "{{ greeting }}\n"
            "\n"
            "La fédération OCCE nous a transmis le message ci-dessous"
            "{% if action %}, pour l'action « {{ action.name }} » à laquelle "
            "{% if classrooms %}votre classe ({{ classrooms | map(attribute='name') | join(', ') }}) participe"
            "{% else %}votre coopérative participe{% endif %}{% endif %}.\n"
            "\n"
            "{{ title }}\n"
            "\n"
            "{{ message }}\n"
            "{% if federation_url is defined and federation_url %}\nPlus d'informations : {{ federation_url }}\n{% endif %}"
            "\n" + SIGNATURE
        ),
        asks=("title", "message"),
    ),
    MailTemplate(
        code=ACTION_MESSAGE,
        label="Message aux classes inscrites à une action",
        description="Un message libre, personnalisé, aux classes inscrites (enseignant·e, à défaut le ou la mandataire).",
        subject="{% if action %}[{{ action.name }}] {% endif %}{{ title }}",
        body=(
            "{{ greeting }}\n"
            "\n"
            "{{ message }}\n"
            "{% if action %}\nVous recevez ce message parce que "
            "{% if classrooms %}votre classe ({{ classrooms | map(attribute='name') | join(', ') }}) est inscrite"
            "{% else %}votre coopérative est inscrite{% endif %} à « {{ action.name }} » ({{ year }}).\n{% endif %}"
            "\n" + SIGNATURE
        ),
        asks=("title", "message"),
    ),
)
