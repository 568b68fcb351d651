"""The anthology (« ouvrage-recueil ») of a year as one PDF, drawn with the core's :class:`PdfDocument`.

Cover (title, year, association, publisher), table of contents with page
numbers (fpdf2's ``insert_toc_placeholder``: the pages are reserved first,
filled once every page number is known), then each chapter's title page and
each production on its own page(s): its title, its text (long poems wrap and
continue on the next page) or its image (PNG/JPEG drawn to fit the page),
and its credit « Classe de CE2 — École Jean Macé, Laon ». French typography
throughout (:mod:`.typography`); page numbers in the footer.

Only the productions placed in a chapter are printed: the others are still
waiting for the distribution.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from app.documents.render import ACCENT, FONT, INK, SOFT, PdfDocument, _clean, quoted

from .typography import typeset

TITLE = "La Picardie en Poésie"
TEXT_SIZE = 12
TEXT_LINE = 6.4


@dataclass
class Piece:
    """One production as the anthology prints it (no database object: the benchmark builds them too)."""

    title: str
    credit: str
    text: str = ""
    author_line: str = ""
    image: bytes | None = None
    #: for a file the anthology cannot draw (a PDF): its name, printed as a note
    original: str = ""


@dataclass
class Chapter:
    title: str
    pieces: list[Piece] = field(default_factory=list)


class AnthologyDocument(PdfDocument):
    """No footer on the cover; « page x » everywhere else."""

    def footer(self) -> None:
        if self.page_no() > 1:
            super().footer()


TOC_TOP = 15
TOC_HEADING = 14
TOC_CHAPTER = 7.1
TOC_ENTRY = 5.6
TOC_BOTTOM = 297 - 18 - 6


def _toc_pages_for(levels: list[int]) -> int:
    """How many pages the contents take: the same steps as :func:`_draw_toc`, without drawing."""
    pages, y = 1, TOC_TOP + TOC_HEADING
    for level in levels:
        step = TOC_CHAPTER if level == 0 else TOC_ENTRY
        if y + step > TOC_BOTTOM:
            pages, y = pages + 1, TOC_TOP
        y += step
    return pages


def _draw_toc(doc: AnthologyDocument, outline) -> None:
    doc.set_y(TOC_TOP)
    doc.set_font(FONT, "B", 18)
    doc.set_text_color(*ACCENT)
    doc.cell(0, 12, "Sommaire", new_x="LMARGIN", new_y="NEXT")
    doc.set_y(TOC_TOP + TOC_HEADING)
    for section in outline:
        level = section.level
        step = TOC_CHAPTER if level == 0 else TOC_ENTRY
        if doc.get_y() + step > TOC_BOTTOM:
            doc.add_page()
            doc.set_y(TOC_TOP)
        if level == 0:
            doc.set_y(doc.get_y() + step - TOC_ENTRY)
        doc.set_font(FONT, "B" if level == 0 else "", 11 if level == 0 else 10)
        colour = ACCENT if level == 0 else INK
        doc.set_text_color(*colour)
        indent = 0 if level == 0 else 8
        number = str(section.page_number)
        width = doc.epw - indent - 14
        label = doc._wrap(_clean(section.name), width, 1)[0]
        y = doc.get_y()
        doc.text(doc.l_margin + indent, y + 4, label)
        # dotted leader to the page number
        start = doc.l_margin + indent + doc.measure(label) + 2
        end = doc.w - doc.r_margin - doc.measure(number) - 2
        if end > start:
            doc.set_text_color(*SOFT)
            doc.text(start, y + 4, "." * int((end - start) / max(doc.measure("."), 0.1)))
            doc.set_text_color(*colour)
        doc.text(doc.w - doc.r_margin - doc.measure(number), y + 4, number)
        doc.set_y(y + TOC_ENTRY)
    doc.set_text_color(*INK)


def _cover(doc: AnthologyDocument, year_label: str, association: str, publishers: list[str]) -> None:
    doc.add_page()
    doc.set_fill_color(*ACCENT)
    doc.rect(0, 0, doc.w, 70, style="F")
    doc.set_y(24)
    doc.centred(TITLE, 32, bold=True, colour=(255, 255, 255), line=14)
    doc.centred("Ouvrage-recueil des classes", 14, colour=(255, 255, 255), line=8)
    doc.set_y(110)
    doc.centred(f"Année scolaire {year_label}", 16, colour=INK, line=9)
    doc.ln(6)
    doc.centred(typeset("Poèmes et illustrations écrits et dessinés par les classes des écoles de l'Aisne"), 12, colour=SOFT, line=7)
    doc.set_y(doc.h - 70)
    doc.set_draw_color(*ACCENT)
    doc.set_line_width(0.4)
    doc.line(40, doc.get_y(), doc.w - 40, doc.get_y())
    doc.ln(6)
    doc.centred(" — ".join(part for part in (association, doc.department) if part), 14, bold=True, colour=ACCENT, line=8)
    for publisher in publishers:
        doc.centred(typeset(f"avec les {publisher}" if publisher.startswith("Éditions") else f"avec {publisher}"), 12, colour=INK, line=7)


def _chapter_page(doc: AnthologyDocument, number: int, chapter: Chapter, *, new_page: bool = True) -> None:
    if new_page:
        doc.add_page()
    doc.start_section(typeset(chapter.title), level=0)
    doc.set_y(doc.h / 2 - 30)
    doc.centred(f"Chapitre {number}", 14, colour=SOFT, line=8)
    doc.ln(3)
    doc.centred(typeset(chapter.title), 28, bold=True, colour=ACCENT, line=13)
    doc.ln(4)
    doc.centred(f"{len(chapter.pieces)} production{'s' if len(chapter.pieces) > 1 else ''}", 11, colour=SOFT, line=6)


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Pixel size of a PNG or JPEG, read from its header (no decoding)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                index += 1
                continue
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                return int.from_bytes(data[index + 7 : index + 9], "big"), int.from_bytes(data[index + 5 : index + 7], "big")
            index += 2 + length
    return None


def _piece(doc: AnthologyDocument, piece: Piece) -> None:
    doc.add_page()
    title = typeset(piece.title)
    doc.start_section(title, level=1)
    doc.set_y(doc.t_margin + 6)
    doc.set_font(FONT, "B", 17)
    doc.set_text_color(*ACCENT)
    for line in doc._wrap(_clean(title), doc.epw, 3):
        doc.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
    if piece.author_line:
        doc.set_font(FONT, size=10.5)
        doc.set_text_color(*SOFT)
        for line in doc._wrap(_clean(typeset(piece.author_line)), doc.epw, 2):
            doc.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(*INK)
    doc.ln(6)
    bottom = doc.h - doc.b_margin - 10
    if piece.image is not None:
        size = _image_size(piece.image)
        room_w, room_h = doc.epw, bottom - doc.get_y() - 4
        if size and size[0] and size[1]:
            scale = min(room_w / size[0], room_h / size[1])
            width, height = size[0] * scale, size[1] * scale
            doc.image(io.BytesIO(piece.image), x=doc.l_margin + (room_w - width) / 2, y=doc.get_y(), w=width, h=height)
            doc.set_y(doc.get_y() + height + 4)
    if piece.text:
        doc.set_font(FONT, size=TEXT_SIZE)
        left = doc.l_margin + 12
        width = doc.epw - 24
        for verse in typeset(piece.text).split("\n"):
            lines = doc._wrap(_clean(verse), width, 200) if verse.strip() else [""]
            for number, line in enumerate(lines):
                if doc.get_y() + TEXT_LINE > bottom:
                    doc.add_page()
                    doc.set_y(doc.t_margin + 4)
                    doc.set_font(FONT, size=9)
                    doc.set_text_color(*SOFT)
                    doc.cell(0, 5, _clean(f"{title} (suite)"), new_x="LMARGIN", new_y="NEXT")
                    doc.ln(3)
                    doc.set_font(FONT, size=TEXT_SIZE)
                    doc.set_text_color(*INK)
                # a verse too long for the line continues indented
                doc.set_x(left + (6 if number else 0))
                doc.cell(width, TEXT_LINE, line, new_x="LMARGIN", new_y="NEXT")
    elif piece.image is None and piece.original:
        doc.set_font(FONT, size=10.5)
        doc.set_text_color(*SOFT)
        doc.multi_cell(0, 6, _clean(typeset(f"Production reçue au format PDF ({quoted(piece.original)}) : elle est jointe à l'ouvrage imprimé.")))
        doc.set_text_color(*INK)
    # the credit, under the production (on its last page)
    if doc.get_y() + 12 > doc.h - doc.b_margin:
        doc.add_page()
    doc.ln(6)
    doc.set_draw_color(*ACCENT)
    doc.set_line_width(0.3)
    doc.line(doc.w - doc.r_margin - 60, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
    doc.ln(2)
    doc.set_font(FONT, "B", 10)
    doc.set_text_color(*ACCENT)
    for line in doc._wrap(_clean(typeset(piece.credit)), doc.epw, 2):
        doc.cell(0, 5.5, line, align="R", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(*INK)


def toc_pages(chapters: list[Chapter]) -> int:
    return _toc_pages_for([level for chapter in chapters for level in [0] + [1] * len(chapter.pieces)])


def build(chapters: list[Chapter], year_label: str, *, association: str | None = None, publishers: list[str] | None = None) -> AnthologyDocument:
    """The whole anthology: cover, contents, chapters and their productions."""
    doc = AnthologyDocument(f"{TITLE} {year_label}", association=association)
    doc.set_auto_page_break(False)
    name = doc.association
    _cover(doc, year_label, name, publishers or [])
    doc.add_page()
    # reserves the contents' pages, then opens the page that follows them
    doc.insert_toc_placeholder(_draw_toc, pages=toc_pages(chapters))
    for number, chapter in enumerate(chapters, start=1):
        _chapter_page(doc, number, chapter, new_page=number > 1)
        for piece in chapter.pieces:
            _piece(doc, piece)
    return doc
