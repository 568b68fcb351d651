"""The console's one place to render PDF documents: diplomas, certificates, covers, recaps, sheets.

Every module renders its PDFs here, with the same fonts, page format, footer
and French wording. A document is a :class:`PdfDocument` (an ``fpdf2`` page
set, A4, DejaVu Sans embedded so that é è à ç œ Œ € « » print anywhere,
nothing fetched at run time); a builder fills one and returns it::

    from app.documents import render
    from app.documents.response import pdf_response

    doc = render.diploma([render.DiplomaRecipient("CM1 B", "École Jean Macé (Laon)")],
                         action="DéfiMaths", year="2025-2026")
    return pdf_response(doc, render.pdf_filename("diplomes", "defimaths", "2025-2026"))

Batches are one document of many pages: the fonts are parsed once per
document (``add_font``), never per page, and a page costs a few text calls.
Tables (:meth:`PdfDocument.data_table`) are drawn with plain text and lines,
not fpdf2's ``table()``, which takes about 6 ms a row (12 s for a recap of
2,000 registrations, about 1 s here); they wrap long cells, break across
pages and repeat their header on every page.

Only regular and bold exist (``FONT``, style ``""`` or ``"B"``): no italic is shipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

#: Colours (RGB): titles, rules and table header, zebra rows, soft text.
INK = (33, 37, 41)
ACCENT = (0, 84, 147)
HEADER_FILL = (222, 232, 243)
ZEBRA_FILL = (245, 247, 250)
SOFT = (105, 110, 118)

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DEFAULT_ASSOCIATION = "OCCE"
DEFAULT_SIGNATORY = "La présidence"
#: Width (mm) of the empty column where each person signs an attendance sheet.
SIGNATURE_WIDTH = 50

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
#: No-break space: « and » stay with the words they quote when a line wraps.
NBSP = "\u00a0"
VOWELS = tuple("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü")
_FILENAME_UNSAFE = re.compile(r"[^a-z0-9]+")
#: Letters NFKD does not decompose into ASCII.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


# --- French wording -------------------------------------------------------------------------


def french_date(day: date | None, *, weekday: bool = False) -> str:
    """``date(2026, 6, 1)`` as « 1er juin 2026 » (« lundi 1er juin 2026 » with ``weekday``)."""
    if day is None:
        return ""
    text = f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_duration(value: str | float | int | timedelta | None) -> str:
    """A duration as staff write it: ``1.5`` hours or ``timedelta(minutes=90)`` → « 1 h 30 »."""
    if value is None or isinstance(value, str):
        return value or ""
    minutes = round(value.total_seconds() / 60) if isinstance(value, timedelta) else round(float(value) * 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def cell_text(value: Any) -> str:
    """A value as a table cell: dates dd/mm/yyyy, decimal comma, Oui/Non, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (float, Decimal)):
        return format(Decimal(repr(value)) if isinstance(value, float) else value, "f").replace(".", ",")
    return str(value)


def quoted(text: Any) -> str:
    """``text`` between French quotes, held to them by no-break spaces: « DéfiMaths »."""
    return f"«{NBSP}{text}{NBSP}»"


def elide(word: str, text: str) -> str:
    """« que » + « Élodie » → « qu'Élodie » (French elision before a vowel)."""
    return f"{word[:-1]}'{text}" if text.startswith(VOWELS) else f"{word} {text}"


def pdf_filename(*parts: Any) -> str:
    """An ASCII-safe file name: ``pdf_filename("Diplômes", "DéfiMaths", "2025-2026")`` → ``diplomes-defimaths-2025-2026.pdf``."""
    words = []
    for part in parts:
        ascii_text = unicodedata.normalize("NFKD", str(part or "").translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii")
        word = _FILENAME_UNSAFE.sub("-", ascii_text.lower()).strip("-")
        if word:
            words.append(word)
    return "-".join(words)[:120].strip("-") + ".pdf" if words else "document.pdf"


def _clean(text: Any) -> str:
    """Text fpdf2 may write on one line: control characters and line ends become spaces."""
    return _CONTROL.sub(" ", str(text)).replace("\n", " ").strip() if text is not None else ""


def _config(key: str) -> str | None:
    from flask import current_app, has_app_context

    return current_app.config.get(key) if has_app_context() else None


# --- The document ---------------------------------------------------------------------------


class PdfDocument(FPDF):
    """An A4 document with DejaVu Sans embedded and a French footer « page x / n ».

    ``association`` defaults to the configuration's ``ASSOCIATION_NAME`` (and
    ``department`` to ``DEPARTMENT_NAME``) within the app; outside it, to
    « OCCE ». ``page_footer=False`` for pages handed out one by one (a
    diploma does not say « page 17 / 300 »).
    """

    def __init__(
        self,
        title: str = "",
        *,
        landscape: bool = False,
        association: str | None = None,
        department: str | None = None,
        page_footer: bool = True,
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        for style, filename in FONT_FILES.items():
            self.add_font(FONT, style, FONT_DIR / filename)
        self.association = association or _config("ASSOCIATION_NAME") or DEFAULT_ASSOCIATION
        self.department = department if department is not None else (_config("DEPARTMENT_NAME") or "")
        self.doc_title = title
        self.page_footer = page_footer
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title or self.association)
        self.set_author(self.association)
        self.set_creator(f"Console {self.association}")
        self.set_lang("fr-FR")
        self.set_text_color(*INK)
        self.set_font(FONT, size=10)

    # -- page furniture ---------------------------------------------------------------------

    def footer(self) -> None:
        if not self.page_footer:
            return
        self.set_y(-12)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*SOFT)
        left = " — ".join(part for part in (self.association, self.doc_title) if part)
        self.cell(self.epw * 0.75, 5, self._wrap(_clean(left), self.epw * 0.72, 1)[0])
        self.cell(0, 5, f"page {self.page_no()} / {{nb}}", align="R")
        self.set_text_color(*INK)

    def heading(self, title: str, subtitle: str | None = None, *, details: Iterable[str] = ()) -> None:
        """A document's title block: association, title, subtitle, then one line per detail."""
        self.set_font(FONT, size=9)
        self.set_text_color(*SOFT)
        self.cell(0, 5, _clean(" — ".join(part for part in (self.association, self.department) if part)), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*ACCENT)
        self.set_font(FONT, "B", 16)
        self.multi_cell(0, 8, _clean(title), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        if subtitle:
            self.set_font(FONT, size=11)
            self.multi_cell(0, 6, _clean(subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=9.5)
        for detail in details:
            self.multi_cell(0, 5, _clean(detail), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)

    def centred(
        self, text: str, size: float, *, bold: bool = False, colour: tuple[int, int, int] = INK, line: float | None = None,
        x: float | None = None, width: float | None = None,
    ) -> None:
        """A centred paragraph (across the page, or ``width`` from ``x``), wrapped when too long; the position moves below it.

        Drawn with ``text()`` rather than ``multi_cell()``, whose line breaking
        costs about 1 ms a call (a 300-page diploma batch took 4 s with it, 0.5 s without).
        """
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        left = self.l_margin if x is None else x
        width = self.epw if width is None else width
        line = line or size * 0.5
        y = self.get_y()
        for text_line in self._wrap(_clean(text), width, 6):
            y += line
            self.text(left + (width - self.measure(text_line)) / 2, y - line * 0.28, text_line)
        self.set_text_color(*INK)
        self.set_xy(left, y)

    def signature_block(self, x: float, y: float, width: float, *, signatory: str | None = None, dated: str = "") -> None:
        """« Fait à ..., le ... », « Pour l'association ... », the signatory, and room to sign."""
        self.set_xy(x, y)
        if dated:
            self.centred(dated, 10.5, line=5.5, x=x, width=width)
        self.centred(f"Pour l'association {self.association},", 10.5, line=5.5, x=x, width=width)
        self.centred(signatory or DEFAULT_SIGNATORY, 10.5, bold=True, line=5.5, x=x, width=width)
        self.set_draw_color(*SOFT)
        self.set_line_width(0.2)
        bottom = self.get_y() + 16
        self.line(x + width * 0.15, bottom, x + width * 0.85, bottom)

    # -- tables -----------------------------------------------------------------------------

    def data_table(
        self,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        fixed_widths: dict[int, float] | None = None,
        align: Sequence[str] | None = None,
        min_row_height: float = 0,
        font_size: float = 8,
        max_lines: int = 8,
        empty: str = "",
        header: bool = True,
    ) -> int:
        """Draw a table from the current position; return the number of rows drawn.

        Columns get their natural width (header and first rows), shrunk in
        proportion when the page is too narrow; ``widths`` (relative) override
        them all, ``fixed_widths`` (``{column index: mm}``) some. Long cells wrap (at most ``max_lines`` lines, then « … »); a row
        never splits; on each new page the header row is drawn again. Numbers
        (int, float, Decimal values; not digits in text) align right unless ``align`` (``"L"``, ``"C"``, ``"R"`` per column) says otherwise.
        """
        if not columns:
            return 0
        raw = [list(row) for row in rows]
        show_header = header
        header = [_clean(title) for title in columns]
        if align is None:
            align = ["R" if _numeric_column(raw, i) else "L" for i in range(len(header))]
        rows = [[cell_text(value) for value in row] for row in raw]
        self.set_font(FONT, size=font_size)
        col_widths = self._column_widths(header, rows, widths, fixed_widths or {}, font_size)
        line = font_size * 0.45
        pad = 1.2
        state = {"top": self.get_y()}

        def draw_header() -> None:
            if not show_header:
                return
            self.set_font(FONT, "B", font_size)
            lines = [self._wrap(title, width - 2 * pad, 3) for title, width in zip(header, col_widths)]
            height = max(len(cell) for cell in lines) * line + 2 * pad
            self._row(lines, col_widths, ["L"] * len(header), height, line, pad, fill=HEADER_FILL)
            self.set_font(FONT, size=font_size)

        def close_segment() -> None:
            # vertical rules for the part of the table on this page, drawn once per page
            self.set_draw_color(*SOFT)
            self.set_line_width(0.15)
            x, bottom = self.l_margin, self.get_y()
            self.line(x, state["top"], x, bottom)
            for width in col_widths:
                x += width
                self.line(x, state["top"], x, bottom)

        limit = self.page_break_trigger
        if self.get_y() + 25 > limit:  # never a header alone at the bottom of a page
            self.add_page()
        state["top"] = self.get_y()
        self.set_draw_color(*SOFT)
        self.set_line_width(0.15)
        self.line(self.l_margin, self.get_y(), self.l_margin + sum(col_widths), self.get_y())
        draw_header()
        for index, row in enumerate(rows):
            lines = [self._wrap(row[i] if i < len(row) else "", width - 2 * pad, max_lines) for i, width in enumerate(col_widths)]
            height = max(min_row_height, max(len(cell) for cell in lines) * line + 2 * pad)
            if self.get_y() + height > limit:
                close_segment()
                self.add_page()
                state["top"] = self.get_y()
                self.set_draw_color(*SOFT)
                self.line(self.l_margin, self.get_y(), self.l_margin + sum(col_widths), self.get_y())
                draw_header()
            self._row(lines, col_widths, align, height, line, pad, fill=ZEBRA_FILL if index % 2 else None)
        if not rows and empty:
            self.set_font(FONT, size=font_size)
            self._row([[empty]], [sum(col_widths)], ["L"], line + 2 * pad, line, pad, fill=None)
        close_segment()
        self.set_font(FONT, size=10)
        return len(rows)

    def _row(self, lines, widths, align, height, line, pad, *, fill) -> None:
        x, y = self.l_margin, self.get_y()
        if fill is not None:
            self.set_fill_color(*fill)
            self.rect(x, y, sum(widths), height, style="F")
        for cell, width, side in zip(lines, widths, align):
            top = y + (height - len(cell) * line) / 2 + line * 0.78
            for number, text in enumerate(cell):
                if not text:
                    continue
                if side == "L":
                    left = x + pad
                else:
                    room = width - 2 * pad - self.measure(text)
                    left = x + pad + (room if side == "R" else room / 2)
                self.text(left, top + number * line, text)
            x += width
        self.set_draw_color(*SOFT)
        self.set_line_width(0.15)
        self.line(self.l_margin, y + height, x, y + height)
        self.set_y(y + height)

    def _wrap(self, text: str, width: float, max_lines: int) -> list[str]:
        """``text`` cut into lines no wider than ``width`` (words kept whole when they fit)."""
        text = _CONTROL.sub(" ", text)
        if "\n" not in text and self.measure(text) <= width:
            return [text]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in (part for part in paragraph.split(" ") if part):
                candidate = f"{current} {word}" if current else word
                if self.measure(candidate) <= width:
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                while self.measure(word) > width and len(word) > 1 and len(lines) <= max_lines:
                    cut = _fitting_prefix(word, width, self.measure)
                    lines.append(word[:cut])
                    word = word[cut:]
                current = word
            lines.append(current)
            if len(lines) > max_lines:
                break
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while last and self.measure(last + " …") > width:
                last = last[:-1]
            lines[-1] = last.rstrip() + " …"
        return lines

    def _column_widths(self, header, rows, widths, fixed_widths, font_size) -> list[float]:
        count = len(header)
        if widths:
            total = float(sum(widths))
            return [self.epw * w / total for w in widths]
        auto = [i for i in range(count) if i not in fixed_widths]
        available = self.epw - sum(fixed_widths.values())
        computed = self._auto_widths([header[i] for i in auto], [[row[i] if i < len(row) else "" for i in auto] for row in rows[:300]], available, font_size)
        result = dict(fixed_widths)
        result.update(zip(auto, computed))
        return [result[i] for i in range(count)]

    def _auto_widths(self, header, sample, available, font_size) -> list[float]:
        count = len(header)
        natural, least = [], []
        for i, title in enumerate(header):
            self.set_font(FONT, "B", font_size)
            words = title.split() or [""]
            title_word = max(self.measure(word) for word in words)
            title_full = self.measure(title)
            self.set_font(FONT, size=font_size)
            longest = max((self.measure(row[i]) for row in sample if row[i]), default=0)
            natural.append(max(title_full, longest) + 3)
            least.append(max(title_word + 3, 10))
        if sum(natural) <= available:
            extra = (available - sum(natural)) / count
            return [width + extra for width in natural]
        # too wide: narrow columns keep their width, the wide ones share what is left
        fixed: dict[int, float] = {}
        while True:
            flexible = [i for i in range(count) if i not in fixed]
            share = (available - sum(fixed.values())) / max(len(flexible), 1)
            newly = {i: natural[i] for i in flexible if natural[i] <= share}
            if not newly:
                break
            fixed.update(newly)
        flexible = [i for i in range(count) if i not in fixed]
        room = available - sum(fixed.values())
        total = sum(natural[i] for i in flexible) or 1
        result = [fixed.get(i, 0.0) for i in range(count)]
        for i in flexible:
            result[i] = max(least[i], room * natural[i] / total)
        scale = available / sum(result)
        return [width * scale for width in result]

    def measure(self, text: str) -> float:
        """The width of ``text`` in the current font, in mm.

        ``get_string_width`` gives the same figure but copies the graphics state
        at each call (about 80 µs): a 2,000-row recap measures tens of
        thousands of cells. Kerning and text shaping are not used here.
        """
        widths = self.current_font.cw
        return sum(widths[ord(char)] for char in text) * self.font_size_pt * 0.001 / self.k

    # -- output -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())

    def write_to(self, target: str | Path | IO[bytes]) -> None:
        """Write the finished PDF to a path or a binary file (a mail attachment, a batch on disk)."""
        self.output(target)


def _fitting_prefix(word: str, width: float, measure: Callable[[str], float]) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _numeric_column(rows: list[list[Any]], index: int) -> bool:
    """Whether every filled cell of the column holds a number (then aligned right).

    Only numbers count: text made of digits (« 020801 », an affiliation number) is an identifier.
    """
    values = [row[index] for row in rows if index < len(row) and row[index] is not None and row[index] != ""]
    return bool(values) and all(isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) for value in values)


# --- Builders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiplomaRecipient:
    """Who a diploma is for: a class (or a cooperative) and its school."""

    name: str
    school: str = ""
    detail: str = ""
    lead: str = "décerné à la classe"


def _label(value: Any) -> str:
    """A year, theme or action given as a model (``label``, ``name``) or as text."""
    for attribute in ("label", "name"):
        text = getattr(value, attribute, None)
        if isinstance(text, str):
            return text
    return str(value or "")


def diploma(
    recipients: Iterable[DiplomaRecipient | tuple | str],
    *,
    action: Any,
    year: Any,
    text: str | None = None,
    day: date | None = None,
    place: str | None = None,
    signatory: str | None = None,
    title: str = "Diplôme",
    association: str | None = None,
) -> PdfDocument:
    """One landscape page per class: the class, its school, the action, the year, a line of text, the date, the signature.

    ``recipients`` are :class:`DiplomaRecipient` (or ``(name, school)`` tuples, or names).
    """
    action_name, year_label = _label(action), _label(year)
    doc = PdfDocument(f"{title} — {action_name} {year_label}", landscape=True, association=association, page_footer=False)
    doc.set_auto_page_break(False)
    dated = f"Fait à {place}, le {french_date(day or date.today())}" if place else f"Le {french_date(day or date.today())}"
    line = text if text is not None else "Bravo à toutes et à tous pour ce beau travail coopératif !"
    for recipient in recipients:
        if not isinstance(recipient, DiplomaRecipient):
            recipient = DiplomaRecipient(*recipient) if isinstance(recipient, tuple) else DiplomaRecipient(str(recipient))
        doc.add_page()
        _diploma_page(doc, recipient, action_name, year_label, line, dated, signatory, title)
    return doc


SCHOOL_ARTICLES = (("école ", "de l'école "), ("ecole ", "de l'école "), ("collège ", "du collège "), ("lycée ", "du lycée "), ("groupe scolaire ", "du groupe scolaire "))


def of_school(name: str) -> str:
    """« École Paul Bert » → « de l'école Paul Bert »; « Jean Macé » → « de l'école Jean Macé »."""
    lowered = name.lower()
    for prefix, words in SCHOOL_ARTICLES:
        if lowered.startswith(prefix):
            return words + name[len(prefix):]
    return f"de l'école {name}"


def _frame(doc: PdfDocument) -> None:
    doc.set_draw_color(*ACCENT)
    doc.set_line_width(1.2)
    doc.rect(8, 8, doc.w - 16, doc.h - 16)
    doc.set_line_width(0.3)
    doc.rect(11, 11, doc.w - 22, doc.h - 22)


def _diploma_page(doc: PdfDocument, recipient: DiplomaRecipient, action: str, year: str, line: str, dated: str, signatory, title: str) -> None:
    _frame(doc)
    doc.set_y(22)
    doc.centred(" — ".join(part for part in (doc.association, doc.department) if part), 13, bold=True, colour=ACCENT, line=6)
    doc.ln(7)
    doc.centred(title, 44, bold=True, colour=ACCENT, line=18)
    doc.ln(5)
    doc.centred(recipient.lead, 15, line=8)
    doc.ln(1)
    doc.centred(recipient.name, 30, bold=True, line=14)
    if recipient.detail:
        doc.centred(recipient.detail, 12, colour=SOFT, line=6.5)
    if recipient.school:
        doc.centred(of_school(recipient.school), 15, line=8)
    doc.ln(7)
    doc.centred("pour sa participation à l'action", 14, line=7.5)
    doc.centred(quoted(action), 22, bold=True, colour=ACCENT, line=11)
    doc.centred(f"année scolaire {year}", 14, line=7.5)
    if line:
        doc.ln(5)
        doc.centred(line, 13, line=6.5)
    doc.signature_block(doc.w - 20 - 100, doc.h - 52, 100, signatory=signatory, dated=dated)


def certificate(
    people: str | Iterable[str],
    event: str,
    day: date,
    duration: str | float | timedelta | None = None,
    *,
    kind: str = "la formation",
    place: str | None = None,
    issued_on: date | None = None,
    signatory: str | None = None,
    association: str | None = None,
) -> PdfDocument:
    """An attendance certificate, one portrait page per person: the training or event, its date, its duration."""
    names = [people] if isinstance(people, str) else list(people)
    doc = PdfDocument(f"Attestation de présence — {event}", association=association, page_footer=False)
    doc.set_auto_page_break(False)
    issued = french_date(issued_on or date.today())
    dated = f"Fait à {place}, le {issued}" if place else f"Le {issued}"
    for name in names:
        doc.add_page()
        doc.heading("Attestation de présence")
        doc.ln(10)
        doc.set_font(FONT, size=12)
        body = f"L'association {doc.association} atteste {elide('que', _clean(name))} a participé à {kind} {quoted(event)} le {french_date(day, weekday=True)}"
        body += f", d'une durée de {french_duration(duration)}." if duration else "."
        doc.multi_cell(0, 7, _clean(body), align="J", new_x="LMARGIN", new_y="NEXT")
        doc.ln(6)
        facts = [("Participant·e", name), ("Intitulé", event), ("Date", french_date(day, weekday=True))]
        if duration:
            facts.append(("Durée", french_duration(duration)))
        if place:
            facts.append(("Lieu", place))
        doc.data_table(["", ""], [[label, value] for label, value in facts], widths=[1, 3], font_size=10, align=["L", "L"], header=False)
        doc.ln(6)
        doc.set_font(FONT, size=12)
        doc.multi_cell(0, 7, "Cette attestation est délivrée pour servir et valoir ce que de droit.", align="J", new_x="LMARGIN", new_y="NEXT")
        doc.signature_block(doc.w - 15 - 95, doc.get_y() + 16, 95, signatory=signatory, dated=dated)
    return doc


def booklet_cover(theme: Any, year: Any, *, association: str | None = None, doc: PdfDocument | None = None) -> PdfDocument:
    """The cover of the booklet handed over after an in-class intervention on ``theme`` (a model or a name)."""
    name = _label(theme)
    description = getattr(theme, "description", None) or ""
    contents = getattr(theme, "booklet", None) or ""
    doc = doc or PdfDocument(f"Livret — {name}", association=association, page_footer=False)
    doc.set_auto_page_break(False)
    doc.add_page()
    doc.set_fill_color(*ACCENT)
    doc.rect(0, 0, doc.w, 48, style="F")
    doc.set_y(16)
    doc.centred(doc.association, 20, bold=True, colour=(255, 255, 255), line=9)
    if doc.department:
        doc.centred(doc.department, 12, colour=(255, 255, 255), line=6)
    doc.set_y(72)
    doc.centred("Livret de la classe", 16, colour=SOFT, line=8)
    doc.ln(4)
    doc.centred(name, 30, bold=True, colour=ACCENT, line=13)
    if description:
        doc.ln(4)
        doc.centred(description, 12, line=6)
    doc.ln(4)
    doc.centred(f"Année scolaire {_label(year)}", 13, line=7)
    if contents:
        doc.set_xy(30, 150)
        doc.set_font(FONT, "B", 11)
        doc.cell(0, 6, "Dans ce livret", new_x="LMARGIN", new_y="NEXT")
        doc.set_x(30)
        doc.set_font(FONT, size=10.5)
        lines = doc._wrap(contents, doc.w - 60, 10)
        for text in lines:
            doc.set_x(30)
            doc.cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    top = doc.h - 62
    doc.set_draw_color(*ACCENT)
    doc.set_line_width(0.4)
    doc.rect(30, top, doc.w - 60, 34)
    doc.set_font(FONT, size=11)
    for number, label in enumerate(("Classe :", "École :", "Enseignant·e :")):
        y = top + 9 + number * 9
        doc.text(35, y, label)
        doc.set_draw_color(*SOFT)
        doc.set_line_width(0.2)
        doc.line(68, y + 1, doc.w - 36, y + 1)
    doc.set_y(doc.h - 20)
    doc.centred("Intervention en classe de l'animation départementale", 9, colour=SOFT, line=5)
    return doc


def recap(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    subtitle: str | None = None,
    details: Iterable[str] = (),
    landscape: bool | None = None,
    widths: Sequence[float] | None = None,
    association: str | None = None,
) -> PdfDocument:
    """A table over as many pages as it needs, its header repeated on each (landscape from 6 columns)."""
    doc = PdfDocument(title, landscape=len(columns) > 5 if landscape is None else landscape, association=association)
    doc.add_page()
    rows = list(rows)
    doc.heading(title, subtitle, details=[*details, f"{len(rows)} ligne(s) — édité le {date.today():%d/%m/%Y}"])
    doc.data_table(columns, rows, widths=widths, empty="Aucune ligne.")
    return doc


def attendance_sheet(
    title: str,
    day: date | None,
    place: str | None,
    names_or_classes: Iterable[str | Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    details: Iterable[str] = (),
    association: str | None = None,
) -> PdfDocument:
    """A sign-in sheet: one row per person or class (``columns`` name the fields of each), and an empty « Signature » column."""
    entries = [[entry] if isinstance(entry, str) else list(entry) for entry in names_or_classes]
    columns = list(columns or ["Nom"])
    doc = PdfDocument(f"Feuille d'émargement — {title}", association=association)
    doc.add_page()
    lines = [f"Date : {french_date(day, weekday=True)}" if day else "Date :", f"Lieu : {place or ''}", *details]
    doc.heading(f"Feuille d'émargement — {title}", details=lines)
    doc.data_table([*columns, "Signature"], [[*entry, ""] for entry in entries], fixed_widths={len(columns): SIGNATURE_WIDTH},
                   min_row_height=13, font_size=9, max_lines=4, empty="Personne n'est inscrit.")
    return doc
