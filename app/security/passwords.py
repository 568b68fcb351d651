"""The password policy: long passwords rather than composition rules (ASVS 5, V6.2)."""

from __future__ import annotations

from flask_appbuilder.exceptions import PasswordComplexityValidationError

# The handful of passwords that staff actually try first; a long list adds little.
COMMON_PASSWORDS = frozenset(
    {
        "motdepasse123",
        "motdepasse1234",
        "azertyuiop123",
        "azertyuiopqsd",
        "password1234",
        "123456789012",
        "occe02occe02",
        "cooperative02",
        "administrateur",
    }
)


def password_problem(password: str, minimum: int = 12) -> str | None:
    """Return the French reason why ``password`` is refused, or None when it is fine."""
    if len(password) < minimum:
        return f"Le mot de passe doit contenir au moins {minimum} caractères."
    if len(set(password)) < 4:
        return "Le mot de passe est trop répétitif : variez les caractères."
    if password.lower() in COMMON_PASSWORDS:
        return "Ce mot de passe est trop courant : choisissez-en un autre."
    return None


def check_password_strength(password: str, minimum: int = 12) -> None:
    """FAB's complexity validator: raise with a French message when refused."""
    problem = password_problem(password, minimum)
    if problem:
        raise PasswordComplexityValidationError(problem)
