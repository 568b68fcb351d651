"""The activity report's machinery: sections collected, charts drawn, DOCX and PDF written, command and page.

The figures of each core area's section are checked against the console's
lists in tests/test_report_sections.py; here the fixture plugin « Action
modèle » brings one section of each kind (figures, paragraph, table, chart).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from app.extensions import db
from app.plugins import ReportChart, ReportSection, ReportTable
from app.report import charts
from app.report.collect import Report, build_report
from app.report.docx_writer import write_docx
from app.report.pdf_writer import write_pdf
from app.testing import login, post_form
from app.years.service import current_year
from tests.fixture_plugins.good_action.models import GoodActionParticipation


@pytest.fixture(scope="module")
def year_label(app):
    with app.app_context():
        year = current_year()
        db.session.add_all(GoodActionParticipation(school_year_id=year.id, school_name=f"École {n}", class_name="CM1", pupils=20 + n) for n in range(7))
        db.session.commit()
        return year.label


def _sample_report() -> Report:
    from datetime import datetime

    long_table = ReportTable(columns=("Secteur", "Coopératives", "Adhérents"), rows=tuple((f"Secteur {n}", n, Decimal(n * 1000)) for n in range(60)), title="Par secteur", total=("Total", 1770, Decimal(1770000)))
    sections = [
        ReportSection(
            title="Coopératives et adhérents", order=10, figures=(("coopératives", "469"), ("adhérents", "48\u202f230"), ("par rapport à 2024-2025", "1\u202f753 de moins")),
            paragraphs=("469 coopératives ou foyers coopératifs scolaires, soit 48\u202f230 adhérents pour 2025-2026 (1\u202f753 de moins).",),
            tables=(long_table,),
            charts=(ReportChart(title="Adhérents au fil des années", labels=("2023-2024", "2024-2025", "2025-2026"), values=(51012, 49983, 48230), kind="line"),),
        ),
        ReportSection(title="Actions", order=20, charts=(ReportChart(title="Classes par action", labels=tuple(f"Action {n}" for n in range(30)), values=tuple(range(30)), unit="classes"),)),
    ]
    return Report("2025-2026", "OCCE de l'Aisne", "Aisne", datetime(2026, 6, 20, 10, 0), sections, missing=["Crochets en panne"])


def test_numbers_are_written_the_french_way():
    assert charts.french_value(48230) == "48\u202f230"
    assert charts.french_value(Decimal("1200.50"), "€") == "1\u202f200,5\u00a0€"
    assert charts.french_value(3.0) == "3" and charts.french_value(Decimal("0.25"), "h") == "0,25\u00a0h"


def test_charts_are_png_images_sized_by_their_content():
    few = Image.open(io.BytesIO(charts.render(ReportChart("Classes par action", ("THEA", "Bals"), (12, 8)))))
    many = Image.open(io.BytesIO(charts.render(ReportChart("Classes par action", tuple(f"A{n}" for n in range(40)), tuple(range(40))))))
    line = Image.open(io.BytesIO(charts.render(ReportChart("Adhérents", ("2024-2025", "2025-2026"), (49983, 48230), kind="line"))))
    assert few.format == many.format == line.format == "PNG"
    assert many.height > few.height and many.height == 90 + 30 + 56 * charts.MAX_BARS  # cut at MAX_BARS rows, « … et 16 autres »
    with pytest.raises(ValueError, match="inconnu"):
        charts.render(ReportChart("?", (), (), kind="camembert"))


def test_the_pdf_has_a_cover_a_table_of_contents_with_pages_and_every_section(tmp_path):
    path = tmp_path / "rapport.pdf"
    write_pdf(_sample_report(), path)
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    assert "Rapport d'activité" in pages[0] and "2025-2026" in pages[0] and "Crochets en panne" in pages[0]
    toc = pages[1]
    assert "Sommaire" in toc
    found = dict(re.findall(r"(Coopératives et adhérents|Actions)\s*(\d+)", toc))
    assert set(found) == {"Coopératives et adhérents", "Actions"}
    assert "Coopératives et adhérents" in pages[int(found["Coopératives et adhérents"]) - 1]
    assert "Classes par action" not in pages[int(found["Coopératives et adhérents"]) - 1] and pages[int(found["Actions"]) - 1].startswith("Actions")
    text = "\n".join(pages)
    assert "Secteur 59" in text and "1\u202f753 de moins" in text and f"page {len(pages)} / {len(pages)}" in pages[-1]
    assert sum(len(page.images) for page in reader.pages) == 2
    assert all(page.strip() and not re.fullmatch(r"\s*OCCE de l'Aisne — Rapport d'activité 2025-2026\s*page \d+ / \d+\s*", page) for page in pages)  # no blank page


def test_the_docx_is_french_with_headings_tables_and_pictures(tmp_path):
    path = tmp_path / "rapport.docx"
    write_docx(_sample_report(), path)
    document = Document(path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Sommaire", "Coopératives et adhérents", "Actions"]
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Secteur", "Coopératives", "Adhérents"]
    assert [cell.text for cell in table.rows[-1].cells] == ["Total", "1\u202f770", "1\u202f770\u202f000"]
    assert all(run.bold for cell in table.rows[-1].cells for run in cell.paragraphs[0].runs)
    assert len(document.inline_shapes) == 2
    assert document.core_properties.title == "Rapport d'activité 2025-2026" and document.core_properties.language == "fr-FR"


def test_the_command_writes_both_files_where_asked_and_refuses_an_unknown_year(app, year_label, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["occe", "report", year_label, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    docx_path, pdf_path = tmp_path / f"rapport-activite-{year_label}.docx", tmp_path / f"rapport-activite-{year_label}.pdf"
    assert f"Écrit : {docx_path}" in result.output and f"Écrit : {pdf_path}" in result.output
    assert "Action modèle" in "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert "Action modèle" in [p.text for p in Document(docx_path).paragraphs]
    assert not list(tmp_path.glob("*.part"))
    unknown = runner.invoke(args=["occe", "report", "1990-1991"])
    assert unknown.exit_code != 0 and "L'année 1990-1991 n'existe pas dans la console" in unknown.output
    malformed = runner.invoke(args=["occe", "report", "2025"])
    assert malformed.exit_code != 0 and "« AAAA-AAAA »" in malformed.output


def test_the_page_writes_the_report_and_serves_only_report_files(app, year_label):
    client = app.test_client()
    login(client, "animation")
    page = client.get("/rapport-activite/")
    assert page.status_code == 200 and "Écrire le rapport (DOCX et PDF)" in page.get_data(as_text=True)
    done = post_form(client, "/rapport-activite/ecrire", {"year": year_label}, token_from="/rapport-activite/", follow_redirects=True)
    body = done.get_data(as_text=True)
    assert f"Rapport d&#39;activité {year_label} écrit" in body and f"rapport-activite-{year_label}.pdf" in body
    download = client.get(f"/rapport-activite/fichier/rapport-activite-{year_label}.docx")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    assert download.data[:2] == b"PK"
    for name in ("..%2Fadmin-password.txt", "admin-password.txt", f"rapport-activite-{year_label}.docx.part"):
        assert client.get(f"/rapport-activite/fichier/{name}").status_code == 404
    refused = post_form(client, "/rapport-activite/ecrire", {"year": "1990-1991"}, token_from="/rapport-activite/", follow_redirects=True)
    assert "Choisissez une année scolaire de la liste." in refused.get_data(as_text=True)


def test_the_board_reads_the_reports_but_does_not_write_them(app, year_label):
    client = app.test_client()
    login(client, "conseil")
    page = client.get("/rapport-activite/")
    assert page.status_code == 200 and "Écrire le rapport" not in page.get_data(as_text=True)
    folder = Path(app.instance_path, "rapports")

    def written():
        return {path.name: path.stat().st_mtime_ns for path in folder.glob("*")}

    before = written()
    refused = post_form(client, "/rapport-activite/ecrire", {"year": year_label}, token_from="/rapport-activite/")
    assert refused.status_code in (302, 403) and written() == before
    partner = app.test_client()
    login(partner, "partenaire")
    assert partner.get("/rapport-activite/").status_code in (302, 403)


def test_the_report_of_the_year_holds_the_fixture_plugins_section(app, year_label):
    with app.test_request_context():
        report = build_report(current_year())
        section = next(section for section in report.sections if section.title == "Action modèle")
        assert section.figures == (("classes inscrites", "7"),)
