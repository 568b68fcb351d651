"""The confirmation mail a teacher receives after an online request (module « teachers »)."""

from __future__ import annotations

from app.plugins.info import MailTemplate

CONFIRMATION = "confirmation_enseignant"

TEMPLATES = (
    MailTemplate(
        code=CONFIRMATION,
        label="Confirmation d'une demande en ligne (enseignant·e)",
        description="Envoyé automatiquement à l'enseignant·e qui inscrit une classe ou demande une intervention par le lien de son école.",
        subject="{{ association.name }} : votre demande{% if demande is defined and demande %} « {{ demande.what }} »{% endif %} est bien reçue",
        body=(
            "Bonjour{% if recipient.name %} {{ recipient.name }}{% endif %},\n"
            "\n"
            "L'{{ association.name }} a bien reçu votre demande"
            "{% if school %} pour l'école {{ school.name }}{% endif %} ({{ year }}) :\n"
            "{% if demande is defined and demande %}"
            "- {{ demande.what }}{% if demande.classroom %}, classe « {{ demande.classroom }} »{% endif %}"
            "{% if demande.pupils %}, {{ demande.pupils }} élèves{% endif %}\n"
            "{% endif %}"
            "\n"
            "Elle est enregistrée comme « demandée » : l'équipe de l'association l'étudiera et vous répondra. "
            "Tant qu'elle n'est pas traitée, vous pouvez l'annuler depuis le lien de votre école.\n"
            "\n"
            "Bien coopérativement,\nL'équipe de l'{{ association.name }}\n"
        ),
    ),
)
