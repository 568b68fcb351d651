"""The activity report as a PDF, through the console's one PDF renderer (fonts, footer, tables).

A cover, a table of contents with page numbers (fpdf2's placeholder, filled
once every section is drawn), then each section: its key figures in boxes,
its paragraphs, tables and charts. Charts are the PNGs of :mod:`app.report.charts`.
"""

from __future__ import annotations

import io

from app.documents import render
from app.documents.render import ACCENT, FONT, INK, SOFT, PdfDocument
from app.report import charts
from app.report.collect import Report
from app.report.helpers import cell_text, is_number

FIGURE_FILL = (235, 242, 249)


def _toc(doc: PdfDocument, outline) -> None:
    doc.set_xy(doc.l_margin, doc.t_margin)
    doc.set_font(FONT, "B", 16)
    doc.set_text_color(*ACCENT)
    doc.cell(0, 10, "Sommaire", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_text_color(*INK)
    doc.set_font(FONT, size=11)
    for entry in outline:
        number = str(entry.page_number)
        title = doc._wrap(entry.name, doc.epw - 20, 1)[0]
        doc.cell(doc.epw - 15, 8, title, link=doc.add_link(page=entry.page_number))
        doc.cell(15, 8, number, align="R", new_x="LMARGIN", new_y="NEXT")


def _cover(doc: PdfDocument, report: Report) -> None:
    doc.add_page()
    doc.set_y(80)
    doc.centred(report.association, 14, colour=SOFT)
    doc.ln(6)
    doc.centred("Rapport d'activité", 30, bold=True, colour=ACCENT, line=14)
    doc.centred(report.year_label, 22, bold=True, colour=ACCENT, line=12)
    doc.ln(10)
    if report.department:
        doc.centred(report.department, 12, colour=SOFT)
    doc.set_y(250)
    doc.centred(f"Établi le {render.french_date(report.generated_at.date())} à partir des données de la console.", 9.5, colour=SOFT)
    if report.missing:
        doc.centred("Sections manquantes (erreur) : " + ", ".join(report.missing), 9.5, colour=SOFT)


def _figures(doc: PdfDocument, figures) -> None:
    per_row = 3
    gap = 4
    width = (doc.epw - gap * (per_row - 1)) / per_row
    for start in range(0, len(figures), per_row):
        if doc.get_y() + 24 > doc.page_break_trigger:
            doc.add_page()
        y = doc.get_y()
        for offset, (label, value) in enumerate(figures[start : start + per_row]):
            x = doc.l_margin + offset * (width + gap)
            doc.set_fill_color(*FIGURE_FILL)
            doc.rect(x, y, width, 20, style="F")
            doc.set_xy(x, y + 2)
            doc.centred(str(value), 14, bold=True, colour=ACCENT, line=8, x=x, width=width)
            doc.set_xy(x, y + 11)
            doc.centred(str(label), 8, colour=INK, line=4, x=x, width=width)
        doc.set_xy(doc.l_margin, y + 24)


def _chart(doc: PdfDocument, chart) -> None:
    png = charts.render(chart)
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    width = doc.epw
    height = width * ratio
    if doc.get_y() + height > doc.page_break_trigger:
        doc.add_page()
    doc.image(io.BytesIO(png), x=doc.l_margin, w=width)
    doc.ln(4)


def write_pdf(report: Report, target) -> None:
    """Draw ``report`` into ``target`` (a path or a binary file)."""
    doc = PdfDocument(report.title, association=report.association, department=report.department)
    _cover(doc, report)
    doc.add_page()
    lines = max(1, len(report.sections))
    doc.insert_toc_placeholder(_toc, pages=1 + lines // 28)
    for index, section in enumerate(report.sections):
        if index:  # fpdf2 opens a page after the table of contents' placeholder: the first section starts there
            doc.add_page()
        doc.start_section(section.title)
        doc.set_font(FONT, "B", 16)
        doc.set_text_color(*ACCENT)
        doc.multi_cell(0, 8, section.title, new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(*INK)
        doc.ln(3)
        _figures(doc, list(section.figures))
        doc.set_font(FONT, size=10)
        for paragraph in section.paragraphs:
            doc.multi_cell(0, 5.2, paragraph, new_x="LMARGIN", new_y="NEXT")
            doc.ln(2)
        for table in section.tables:
            if table.title:
                if doc.get_y() + 20 > doc.page_break_trigger:
                    doc.add_page()
                doc.set_font(FONT, "B", 11)
                doc.cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
            raw = [list(row) for row in table.rows] + ([list(table.total)] if table.total else [])
            align = ["R" if any(is_number(row[index]) for row in raw if index < len(row)) else "L" for index in range(len(table.columns))]
            doc.data_table(table.columns, [[cell_text(value) for value in row] for row in raw], align=align, font_size=8.5, empty="Aucune ligne.")
            doc.ln(4)
        for chart in section.charts:
            _chart(doc, chart)
    doc.write_to(target)
