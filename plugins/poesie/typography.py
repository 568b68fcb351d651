"""French typography for the anthology: no-break spaces, typographic apostrophes, credits.

The core's :mod:`app.documents.render` gives the no-break space (``NBSP``) and
:func:`~app.documents.render.quoted`; what a poem typed by a class needs on
top of it lives here, in the plugin:

- a no-break space before « : ; ! ? » (the space typed before them becomes
  one, a missing one is added) and inside « », so that they never start a line;
- the typographic apostrophe ’ instead of ' ;
- an ellipsis … instead of three dots.

Addresses (``https://…``) and times (``14:30``) are left alone.
"""

from __future__ import annotations

import re

from app.documents.render import NBSP

APOSTROPHE = "\u2019"
#: the first of « ; ! ? » after a word (« ?! » stays together)
_BEFORE_HIGH = re.compile(r"(?<=[^\s;!?])[ \u00a0\u202f]*([;!?])")
#: a colon ending a word (« 14:30 » is a time, not a colon to space)
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_URL = re.compile(r"https?://\S+")


def _typeset_words(text: str) -> str:
    text = text.replace("'", APOSTROPHE).replace("...", "…")
    text = _BEFORE_HIGH.sub(lambda m: NBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def typeset(text: str | None) -> str:
    """``text`` with French typography, line by line (a poem's line breaks are kept)."""
    if not text:
        return ""
    lines = []
    for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parts, last = [], 0
        for match in _URL.finditer(line):
            parts.append(_typeset_words(line[last : match.start()]))
            parts.append(match.group(0))
            last = match.end()
        parts.append(_typeset_words(line[last:]))
        lines.append("".join(parts).rstrip())
    return "\n".join(lines)


def credit_of(registration) -> str:
    """« Classe de CE2 — École Jean Macé, Laon » for a registration (its class, school and commune)."""
    if registration is None:
        return ""
    classroom = registration.classroom
    school = registration.cooperative.school if registration.cooperative is not None else None
    if classroom is None:
        who = f"Coopérative {registration.cooperative.affiliation_number}"
    else:
        # the levels read best in a book (« Classe de CM1-CM2 »); a class's name is often « Classe 3 » or a teacher's
        who = f"Classe de {classroom.levels or classroom.name}"
    if school is None:
        return who
    place = f"{school.name}, {school.commune}" if school.commune else school.name
    return f"{who} — {place}"
