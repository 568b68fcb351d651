"""The activity report as a Word document (DOCX) the staff edit before the general assembly.

Written with python-docx in Word's own styles (Title, Heading 1, a grid
table style), so the staff restyle it with Word or LibreOffice as they like;
charts are the same PNGs as in the PDF, inserted as pictures they can move.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app.documents import render
from app.documents.render import ACCENT
from app.report import charts
from app.report.collect import Report
from app.report.helpers import cell_text

TABLE_STYLE = "Light Grid Accent 1"


def _french(document) -> None:
    """Mark the text French, so Word checks its spelling in French."""
    styles = document.styles.element
    for rpr in styles.iter(qn("w:rPr")):
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:val"), "fr-FR")
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")


def _table(document, table) -> None:
    if table.title:
        document.add_paragraph(table.title, style="Heading 3")
    rows = [list(row) for row in table.rows] + ([list(table.total)] if table.total else [])
    grid = document.add_table(rows=1 + max(len(rows), 1), cols=len(table.columns))
    grid.style = TABLE_STYLE
    for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = str(title)
    if not rows:
        grid.rows[1].cells[0].text = "Aucune ligne."
    for index, row in enumerate(rows, start=1):
        bold = table.total is not None and index == len(rows)
        for column, (cell, value) in enumerate(zip(grid.rows[index].cells, row, strict=True)):
            cell.text = cell_text(value)
            paragraph = cell.paragraphs[0]
            if column and not isinstance(value, str):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if bold:
                for run in paragraph.runs:
                    run.bold = True
    document.add_paragraph()


def write_docx(report: Report, target) -> None:
    """Write ``report`` into ``target`` (a path or a binary file)."""
    document = Document()
    _french(document)
    properties = document.core_properties
    properties.title = report.title
    properties.author = report.association
    properties.language = "fr-FR"
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)

    document.add_paragraph(report.association, style="Subtitle")
    document.add_paragraph(report.title, style="Title")
    if report.department:
        document.add_paragraph(report.department)
    document.add_paragraph(f"Établi le {render.french_date(report.generated_at.date())} à partir des données de la console ; à relire et compléter avant l'assemblée générale.")
    if report.missing:
        document.add_paragraph("Sections manquantes (erreur) : " + ", ".join(report.missing))
    document.add_paragraph("Sommaire", style="Heading 1")
    for section in report.sections:
        document.add_paragraph(section.title, style="List Bullet")

    accent = RGBColor(*ACCENT)
    for section in report.sections:
        document.add_page_break()
        document.add_heading(section.title, level=1)
        for label, value in section.figures:
            paragraph = document.add_paragraph()
            number = paragraph.add_run(str(value))
            number.bold = True
            number.font.size = Pt(16)
            number.font.color.rgb = accent
            paragraph.add_run(f"  {label}")
        for text in section.paragraphs:
            document.add_paragraph(text)
        for table in section.tables:
            _table(document, table)
        for chart in section.charts:
            document.add_picture(io.BytesIO(charts.render(chart)), width=Cm(16.5))
            caption = document.add_paragraph(chart.title)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(target)
