"""The directory's validation rules, as plain functions answering in French.

UAI (formerly RNE): 7 characters then a check letter. The letter is the
remainder of the 7-character number divided by 23, written with the 23
letters that remain once I, O and Q are left out.
"""

from __future__ import annotations

import re

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_PATTERN = re.compile(r"^(\d{7})([A-Z])$")

#: Levels in school order, with their cycle (cycle 4 = 5e to 3e).
LEVEL_CYCLES = {
    "TPS": 1, "PS": 1, "MS": 1, "GS": 1,
    "CP": 2, "CE1": 2, "CE2": 2,
    "CM1": 3, "CM2": 3, "6e": 3,
    "5e": 4, "4e": 4, "3e": 4,
}  # fmt: skip
LEVELS = tuple(LEVEL_CYCLES)


def uai_check_letter(digits: str) -> str:
    return UAI_LETTERS[int(digits) % 23]


def normalise_uai(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def uai_problem(value: str) -> str | None:
    """Why ``value`` is not a valid UAI (in French, naming the expected letter), or None."""
    uai = normalise_uai(value)
    match = UAI_PATTERN.match(uai)
    if not match:
        return f"Code UAI invalide « {value} » : 7 chiffres suivis d'une lettre, par exemple 0021234F."
    digits, letter = match.groups()
    expected = uai_check_letter(digits)
    if letter != expected:
        return f"Code UAI invalide « {uai} » : la lettre de contrôle doit être {expected} ({digits}{expected})."
    return None


def normalise_phone(value: str) -> str:
    """A French number as "03 23 45 67 89"; raises ValueError (French) when it is not one."""
    raw = re.sub(r"[\s.\-/()]", "", value or "")
    if raw.startswith("+33"):
        raw = "0" + raw[3:]
    elif raw.startswith("0033"):
        raw = "0" + raw[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", raw):
        raise ValueError(f"Numéro de téléphone invalide « {value} » : 10 chiffres, par exemple 03 23 45 67 89.")
    return " ".join(raw[i : i + 2] for i in range(0, 10, 2))


def parse_levels(value: str) -> list[str]:
    """"CE1-CE2", "ce1, ce2" or "CE1/CE2" → ["CE1", "CE2"]; raises ValueError (French)."""
    canonical = {level.upper(): level for level in LEVELS}
    found = []
    for part in re.split(r"[\s,;/+\-]+", value or ""):
        if not part:
            continue
        level = canonical.get(part.upper().replace("È", "E").replace("EME", "E"))
        if level is None:
            raise ValueError(f"Niveau inconnu « {part} » (niveaux possibles : {', '.join(LEVELS)}).")
        if level not in found:
            found.append(level)
    if not found:
        raise ValueError("Indiquez au moins un niveau, par exemple « CE1 » ou « CM1-CM2 ».")
    return sorted(found, key=LEVELS.index)


def cycles_of(levels: list[str]) -> str:
    """The cycles a class spans, e.g. ["GS", "CP"] → "1-2", ["CM1"] → "3"."""
    cycles = sorted({LEVEL_CYCLES[level] for level in levels})
    return "-".join(str(cycle) for cycle in cycles)
