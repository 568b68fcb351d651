"""The kinds of items lent, gathered from every module through ``occe_loan_item_kinds``."""

from __future__ import annotations

from app.plugins.info import LoanItemKind
from app.plugins.switches import current_manager

#: The core's own kinds (the activity plan's free loans).
CORE_KINDS = (
    LoanItemKind("malle_thematique", "Malles thématiques", "Malles d'outils et de jeux sur un thème (coopération, émotions, philosophie...)."),
    LoanItemKind("ouvrage_pedagogique", "Ouvrages pédagogiques", "Livres pour les enseignants : coopération, conseil de coopérative, messages clairs..."),
)


def item_kinds() -> dict[str, LoanItemKind]:
    """Every kind, in the order the modules declare them (core first)."""
    kinds: dict[str, LoanItemKind] = {}
    for _plugin, answer in current_manager().call("occe_loan_item_kinds"):
        for kind in answer or []:
            if isinstance(kind, LoanItemKind):
                kinds.setdefault(kind.code, kind)
    return kinds


def kind_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in item_kinds().items()]


def kind_label(code: str | None) -> str:
    kind = item_kinds().get(code or "")
    return kind.label if kind else (code or "")
