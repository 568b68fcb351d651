"""The spreadsheet import: reading CSV and XLSX, French headers, the dry run, the one-transaction import, its cost."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from app.directory import importer
from app.directory.importer import (
    CREATE,
    MAX_LINES,
    UNCHANGED,
    UPDATE,
    HeaderMapping,
    ImportRefused,
    LineError,
    SpreadsheetError,
    apply_import,
    map_headers,
    plan_import,
    read_table,
)
from app.directory.models import Cooperative, Membership, Person, School, Sector
from app.directory.rules import uai_check_letter
from app.extensions import db
from app.testing import build_test_app
from app.years.service import get_or_create_year

# Two wordings of the same cooperatives file, as two staff members would write them.
HEADERS_A = ["N° affiliation", "UAI", "École", "Adresse", "CP", "Commune", "Secteur", "Civilité", "Mandataire", "Courriel", "Tél"]
HEADERS_B = [
    "Numéro d'affiliation", "Code RNE", "Nom de l'école", "Adresse de l'école", "Code postal", "Ville", "Circonscription",
    "Civilité", "Prénom du mandataire", "Nom du mandataire", "E-mail", "Téléphone",
]  # fmt: skip
MEMBERSHIP_HEADERS = ["N° coop", "Nombre d'élèves", "Nb adultes", "Cotisation", "Assurance", "Date d'adhésion"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_test_app(tmp_path_factory.mktemp("importer"), plugin_packages=[])


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


# --------------------------------------------------------------------------- fictional files


def uai(n: int) -> str:
    digits = f"002{n:04d}"
    return digits + uai_check_letter(digits)


def number(n: int) -> str:
    return f"02{n:05d}"


def cooperative(n: int, **changes) -> dict:
    """The fictional cooperative number ``n``, with its mandataire."""
    values = {
        "number": number(n),
        "uai": uai(n),
        "school": f"École des Tilleuls {n}",
        "address": f"{n} rue des Glycines",
        "postal_code": "02000",
        "commune": "Bellefontaine-sur-Ailette" if n % 2 else "Val-Fleuri",
        "sector": "Laon Nord" if n % 3 else "Soissons Est",
        "civility": "Mme",
        "first_name": "Camille",
        "last_name": f"MARTINOT{n}",
        "email": f"camille.martinot{n}@example.org",
        "phone": f"03 23 {n // 10000:02d} {n // 100 % 100:02d} {n % 100:02d}",
    }
    return values | changes


def row_a(values: dict) -> list[str]:
    return [
        values["number"], values["uai"], values["school"], values["address"], values["postal_code"], values["commune"],
        values["sector"], values["civility"], f"{values['first_name']} {values['last_name']}", values["email"], values["phone"],
    ]  # fmt: skip


def row_b(values: dict) -> list[str]:
    return [
        values["number"], values["uai"].lower(), values["school"], values["address"], values["postal_code"], values["commune"],
        values["sector"], values["civility"], values["first_name"], values["last_name"], values["email"].upper(),
        values["phone"].replace(" ", "."),
    ]  # fmt: skip


def csv_bytes(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cooperatives_table(values: list[dict], *, headers=HEADERS_A, row=row_a):
    return read_table(io.BytesIO(csv_bytes([headers, *[row(v) for v in values]])), "cooperatives.csv")


def import_cooperatives(values: list[dict], **kwargs):
    plan = plan_import("cooperatives", cooperatives_table(values, **kwargs))
    assert plan.errors == []
    return apply_import(plan)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in (Sector, School, Person, Cooperative, Membership)}


def by_number(n: int) -> Cooperative:
    return db.session.execute(select(Cooperative).filter_by(affiliation_number=number(n))).scalar_one()


class StatementCounter:
    """Counts the SQL statements sent to the database while it is active."""

    def __init__(self):
        self.statements: list[str] = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]


# --------------------------------------------------------------------------- reading files


ACCENTED = [["N° affiliation", "École", "Commune"], ["0200001", "École Hélène-Boucher", "Château-Thierry"], ["0200002", "Les Près", "Étréaupont"]]


@pytest.mark.parametrize(
    "encoding, delimiter",
    [
        ("utf-8-sig", ";"), ("utf-8", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", ","), ("cp1252", "\t"), ("utf-8-sig", "\t"),
        ("utf-16", "\t"),  # Excel's "Texte Unicode"
    ],
)  # fmt: skip
def test_csv_in_every_encoding_and_delimiter_reads_the_same(encoding, delimiter):
    data = csv_bytes(ACCENTED, delimiter=delimiter, encoding=encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    table = read_table(io.BytesIO(data), "export.csv")
    assert table.headers == ACCENTED[0]
    assert [(row.line, row.values) for row in table.rows] == [
        (2, {"N° affiliation": "0200001", "École": "École Hélène-Boucher", "Commune": "Château-Thierry"}),
        (3, {"N° affiliation": "0200002", "École": "Les Près", "Commune": "Étréaupont"}),
    ]


def test_csv_keeps_spreadsheet_line_numbers_across_blank_lines_and_quoted_cells():
    data = 'N° affiliation;École\r\n0200001;"École ""Les Tilleuls""; annexe"\r\n;\r\n\r\n0200002;La Prairie\r\n;;\r\n'.encode()
    table = read_table(data, "a.csv")
    assert [(row.line, row.values["École"]) for row in table.rows] == [(2, 'École "Les Tilleuls"; annexe'), (5, "La Prairie")]


def test_xlsx_numbers_dates_and_trailing_empty_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["N° affiliation", "Nb élèves", "Cotisation", "Date d'adhésion", "Assurance"])
    sheet.append([1234.0, 2.0, 2.05, datetime(2025, 9, 15), True])
    sheet.append([])
    sheet.append([1235, 12, "2,05", "15/09/2025", "non"])
    for line in range(5, 40):  # formatted but empty rows, as Excel leaves them
        sheet.cell(row=line, column=1).number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(io.BytesIO(buffer.getvalue()), "Adhésions 2025.xlsx")
    assert table.headers == ["N° affiliation", "Nb élèves", "Cotisation", "Date d'adhésion", "Assurance"]
    assert [(row.line, list(row.values.values())) for row in table.rows] == [
        (2, ["1234", "2", "2.05", "2025-09-15", "oui"]),
        (4, ["1235", "12", "2,05", "15/09/2025", "non"]),
    ]


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"PK\x03\x04 this is no workbook", "annuaire.xlsx", "n'est pas un classeur Excel (.xlsx) valide"),
        (b"\x00\x01\x02\x03garbage", "annuaire.xlsx", "n'est pas un classeur Excel (.xlsx) valide"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "annuaire.xls", "enregistrez-le au format Excel (.xlsx) ou CSV"),
        (b"\x00\x01\x02\x03garbage", "annuaire.csv", "ni un fichier CSV ni un classeur Excel"),
        (b"", "annuaire.csv", "est vide"),
        (b"\r\n;;\r\n", "annuaire.csv", "est vide"),
        (b"UAI;Ecole\r\n", "annuaire.csv", "aucune donnée à importer"),
    ],
)
def test_unreadable_files_are_refused_in_french(data, filename, message):
    with pytest.raises(SpreadsheetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(io.BytesIO(data), filename)


def test_files_over_the_line_limit_are_refused_in_french():
    header = "N° affiliation;Nb élèves;Nb adultes\n"
    at_limit = header + "0200001;10;2\n" * MAX_LINES
    assert len(read_table(at_limit.encode(), "limite.csv").rows) == MAX_LINES
    with pytest.raises(SpreadsheetError) as refused:
        read_table((at_limit + "0200001;10;2\n").encode(), "trop.csv")
    assert str(refused.value) == (
        "« trop.csv » compte plus de 20 000 lignes de données, la limite d'un import : découpez-le en plusieurs fichiers."
    )


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "kind, header, field",
    [
        ("cooperatives", "N° affiliation", "affiliation_number"),
        ("cooperatives", "Numéro d'affiliation", "affiliation_number"),
        ("cooperatives", "n°affiliation", "affiliation_number"),
        ("cooperatives", "Num. affiliation", "affiliation_number"),
        ("cooperatives", "AFFILIATION", "affiliation_number"),
        ("cooperatives", "N° coop", "affiliation_number"),
        ("cooperatives", "Numéro d'affiliation OCCE", "affiliation_number"),
        ("cooperatives", "RNE", "uai"),
        ("cooperatives", "Code UAI", "uai"),
        ("cooperatives", "Ecole", "school_name"),
        ("cooperatives", "Établissement", "school_name"),
        ("cooperatives", "Nom de l'école", "school_name"),
        ("cooperatives", "Type d'école", "school_kind"),
        ("cooperatives", "C.P.", "postal_code"),
        ("cooperatives", "Code postal de l'école", "postal_code"),
        ("cooperatives", "Ville", "commune"),
        ("cooperatives", "Circonscription", "sector"),
        ("cooperatives", "Statut", "status"),
        ("cooperatives", "Mandataire", "mandataire_name"),
        ("cooperatives", "Adresse électronique du mandataire", "email"),
        ("cooperatives", "Mail", "email"),
        ("cooperatives", "Tél.", "phone"),
        ("memberships", "Nb élèves", "pupils"),
        ("memberships", "Nombre d'élèves", "pupils"),
        ("memberships", "Élèves", "pupils"),
        ("memberships", "Nbre d'adultes", "adults"),
        ("memberships", "Cotisation", "fee_per_member"),
        ("memberships", "Assurance (oui/non)", "insurance"),
        ("memberships", "Date d'adhésion", "joined_on"),
    ],
)
def test_headers_are_recognised_in_their_usual_wordings(kind, header, field):
    assert map_headers([header], kind).columns == {field: header}


def test_missing_columns_are_named_and_the_headers_found_listed():
    mapping = map_headers(["UAI", "Ville", "Remarques"], "cooperatives")
    assert mapping.missing == ["affiliation_number", "school_name"]
    assert mapping.ignored == ["Remarques"]
    assert mapping.missing_message == (
        "Colonnes obligatoires introuvables : « N° d'affiliation », « Nom de l'école ». "
        "Intitulés lus dans le fichier : « UAI », « Ville », « Remarques »."
    )


def test_an_override_maps_an_unknown_header_and_can_leave_a_column_out():
    headers = ["Code adhérent OCCE", "UAI", "École", "Ville"]
    assert map_headers(headers, "cooperatives").missing == ["affiliation_number"]
    mapping = map_headers(headers, "cooperatives", {"Code adhérent OCCE": "affiliation_number", "Ville": None})
    assert mapping.ok and mapping.columns == {"affiliation_number": "Code adhérent OCCE", "uai": "UAI", "school_name": "École"}
    assert mapping.ignored == ["Ville"]
    with pytest.raises(ValueError, match="Champ inconnu"):
        map_headers(headers, "cooperatives", {"Ville": "pointure"})


def test_nom_beside_prenom_is_the_mandataire_and_a_repeated_column_is_reported():
    mapping = map_headers(["Affiliation", "UAI", "École", "Prénom", "Nom", "Tél", "Téléphone"], "cooperatives")
    assert mapping.columns["mandataire_first_name"] == "Prénom"
    assert mapping.columns["mandataire_last_name"] == "Nom"
    assert mapping.columns["phone"] == "Tél" and mapping.ignored == ["Téléphone"]
    assert mapping.warnings == ["Les colonnes « Tél » et « Téléphone » indiquent toutes deux « Téléphone » : seule « Tél » est lue."]


def test_two_wordings_of_the_same_file_give_the_same_plan(ctx):
    values = [cooperative(n) for n in range(100, 110)]
    plan_a = plan_import("cooperatives", cooperatives_table(values, headers=HEADERS_A, row=row_a))
    plan_b = plan_import("cooperatives", cooperatives_table(values, headers=HEADERS_B, row=row_b))
    assert plan_a.errors == plan_b.errors == []
    assert plan_a.mapping.ignored == plan_b.mapping.ignored == []
    assert plan_a.lines == plan_b.lines
    assert [line.action for line in plan_a.lines] == [CREATE] * 10

    def essentials(plan):
        return [(r.affiliation_number, r.uai, r.school, r.sector, r.cooperative, r.mandataire) for r in plan.records]

    assert essentials(plan_a) == essentials(plan_b)
    assert plan_a.records[0].mandataire == {
        "first_name": "Camille", "last_name": "MARTINOT100", "civility": "Mme",
        "email": "camille.martinot100@example.org", "phone": "03 23 00 01 00",
    }  # fmt: skip


# --------------------------------------------------------------------------- the dry run and its errors


def test_the_dry_run_writes_nothing(ctx):
    import_cooperatives([cooperative(200)])
    before = counts()
    file = [cooperative(200, commune="Montaigu-les-Bois", phone="03 23 99 99 99"), cooperative(201, sector="Secteur Tout Neuf")]
    with StatementCounter() as counter:
        plan = plan_import("cooperatives", cooperatives_table(file))
    assert counter.writes == []
    assert not db.session.new and not db.session.dirty
    assert [(line.line, line.action) for line in plan.lines] == [(2, UPDATE), (3, CREATE)]
    assert plan.lines[0].changes == ("école : commune", "mandataire : téléphone")
    assert plan.new_sectors == ["Secteur Tout Neuf"]
    assert plan.summary == "1 création, 1 mise à jour, 0 ligne inchangée, 0 erreur"
    db.session.rollback()
    db.session.expire_all()
    assert counts() == before
    assert by_number(200).school.commune == "Val-Fleuri"
    assert db.session.execute(select(Sector).filter_by(name="Secteur Tout Neuf")).first() is None


def test_line_errors_are_french_and_give_the_spreadsheet_line(ctx):
    wrong_uai = "0020001X"
    expected_letter = uai_check_letter("0020001")
    assert expected_letter != "X"
    rows = [
        HEADERS_A,
        row_a(cooperative(300)),  # 2: fine
        row_a(cooperative(301, uai=wrong_uai)),  # 3
        row_a(cooperative(302, phone="12 34")),  # 4
        row_a(cooperative(303, number="")),  # 5
        [""] * len(HEADERS_A),  # 6: blank, skipped but counted
        row_a(cooperative(304, number=number(300))),  # 7: same number as line 2
        row_a(cooperative(305, email="camille.martinot@")),  # 8
        row_a(cooperative(306, postal_code="2 0 0 0 0 0")),  # 9
        row_a(cooperative(307, school="", uai="")),  # 10: two errors
    ]
    plan = plan_import("cooperatives", read_table(csv_bytes(rows), "annuaire.csv"))
    assert plan.errors == [
        LineError(3, "UAI", f"Code UAI invalide « {wrong_uai} » : la lettre de contrôle doit être {expected_letter} (0020001{expected_letter})."),
        LineError(4, "Tél", "Numéro de téléphone invalide « 12 34 » : 10 chiffres, par exemple 03 23 45 67 89."),
        LineError(5, "N° affiliation", "Numéro d'affiliation manquant."),
        LineError(7, "N° affiliation", "Le numéro d'affiliation « 0200300 » figure déjà ligne 2."),
        LineError(8, "Courriel", "Adresse électronique invalide « camille.martinot@ » : par exemple prenom.nom@ac-amiens.fr."),
        LineError(9, "CP", "Code postal invalide « 2 0 0 0 0 0 » : 5 chiffres, par exemple 02000."),
        LineError(10, "UAI", "Code UAI manquant."),
        LineError(10, "École", "Nom de l'école manquant."),
    ]
    assert str(plan.errors[0]).startswith("Ligne 3, colonne « UAI » : Code UAI invalide")
    assert [line.line for line in plan.lines] == [2]  # the valid lines are still previewed
    with pytest.raises(ImportRefused, match="Le fichier contient 8 erreurs : corrigez-les"):
        apply_import(plan)
    assert db.session.execute(select(Cooperative).filter_by(affiliation_number=number(300))).first() is None


def test_value_errors_name_the_accepted_values(ctx):
    headers = ["N° affiliation", "UAI", "École", "Type d'école", "Statut", "Mandataire"]
    rows = [
        headers,
        [number(310), uai(310), "École A", "Maternelle", "Fermée", "Camille MARTINOT"],
        [number(311), uai(311), "École B", "Crèche", "Active", "Martinot"],
        [number(312), uai(312), "École C", "EEPU", "Endormie", ""],
    ]
    plan = plan_import("cooperatives", read_table(csv_bytes(rows), "a.csv"))
    assert [(error.line, error.column) for error in plan.errors] == [(3, "Type d'école"), (3, "Mandataire"), (4, "Statut")]
    assert "valeurs possibles École maternelle, École élémentaire" in plan.errors[0].message
    assert plan.errors[1].message == "Indiquez le prénom et le nom du mandataire (« Martinot » ne suffit pas)."
    assert plan.errors[2].message == "Valeur inconnue « Endormie » : valeurs possibles Active, Fermée."
    assert (plan.records[0].school["kind"], plan.records[0].cooperative["status"]) == ("maternelle", "fermee")


# --------------------------------------------------------------------------- applying


def test_import_then_reimport_updates_instead_of_duplicating(ctx):
    values = [cooperative(n) for n in range(400, 420)]
    before = counts()
    result = import_cooperatives(values)
    assert (result.created, result.updated, result.unchanged) == (20, 0, 0)
    after = counts()
    assert after["Cooperative"] == before["Cooperative"] + 20
    assert after["School"] == before["School"] + 20
    assert after["Person"] == before["Person"] + 20

    first = by_number(400)
    assert (first.school.uai, first.school.name, first.school.commune, first.sector.name) == (uai(400), "École des Tilleuls 400", "Val-Fleuri", "Laon Nord")
    assert first.school.sector is first.sector
    mandataire = first.mandataire
    assert (mandataire.first_name, mandataire.last_name, mandataire.function, mandataire.civility) == ("Camille", "MARTINOT400", "mandataire", "Mme")
    assert (mandataire.email, mandataire.phone, mandataire.school) == ("camille.martinot400@example.org", "03 23 00 04 00", first.school)

    # The same file again, in the other wording: nothing new.
    again = plan_import("cooperatives", cooperatives_table(values, headers=HEADERS_B, row=row_b))
    assert {line.action for line in again.lines} == {UNCHANGED}
    result = apply_import(again)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 20)
    assert counts() == after

    # One commune and one mandataire's name change: one update, still no duplicate.
    values[3] = cooperative(403, commune="Montaigu-les-Bois")
    values[5] = cooperative(405, last_name="MARTINOT-LEROY")
    plan = plan_import("cooperatives", cooperatives_table(values))
    assert [(line.line, line.changes) for line in plan.lines if line.action == UPDATE] == [
        (5, ("école : commune",)),
        (7, ("mandataire : nom",)),
    ]
    result = apply_import(plan)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 18)
    db.session.expire_all()
    assert counts() == after
    assert by_number(403).school.commune == "Montaigu-les-Bois"
    assert by_number(405).mandataire.last_name == "MARTINOT-LEROY"  # found by email, renamed


def test_the_mandataire_without_email_is_found_by_name_and_school(ctx):
    import_cooperatives([cooperative(430, email="")])
    person_id = by_number(430).mandataire_id
    result = import_cooperatives([cooperative(430, email="", phone="03 23 11 22 33")])
    assert (result.updated, by_number(430).mandataire_id) == (1, person_id)
    assert db.session.get(Person, person_id).phone == "03 23 11 22 33"
    # The same person heading two cooperatives is one person.
    before = counts()["Person"]
    import_cooperatives([cooperative(431, email="directrice.commune@example.org"), cooperative(432, email="Directrice.Commune@example.org")])
    assert counts()["Person"] == before + 1
    assert by_number(431).mandataire_id == by_number(432).mandataire_id


def test_two_cooperatives_of_one_school_share_it(ctx):
    headers = ["N° affiliation", "UAI", "École", "Type de coopérative"]
    rows = [
        headers,
        [number(450), uai(450), "Collège Les Marronniers", "Coopérative scolaire"],
        [number(451), uai(450).lower(), "COLLEGE LES MARRONNIERS", "Foyer coopératif"],
        [number(452), uai(450), "Lycée Les Marronniers", "Foyer"],
    ]
    plan = plan_import("cooperatives", read_table(csv_bytes(rows), "a.csv"))
    assert plan.errors == [LineError(4, "École", f"L'UAI {uai(450)} figure déjà ligne 2 avec une autre école, « Collège Les Marronniers ».")]
    del rows[3]
    before = counts()["School"]
    apply_import(plan_import("cooperatives", read_table(csv_bytes(rows), "a.csv")))
    assert counts()["School"] == before + 1
    assert by_number(450).school_id == by_number(451).school_id
    assert (by_number(450).kind, by_number(451).kind) == ("cooperative", "foyer")


def test_sectors_match_whatever_their_case_and_accents(ctx):
    db.session.add(Sector(name="Château-Thierry Sud"))
    db.session.commit()
    plan = plan_import(
        "cooperatives",
        cooperatives_table([cooperative(440, sector="CHATEAU-THIERRY  SUD"), cooperative(441, sector="Hirson Nord"), cooperative(442, sector="hirson nord")]),
    )
    assert plan.new_sectors == ["Hirson Nord"]
    apply_import(plan)
    assert by_number(440).sector.name == "Château-Thierry Sud"
    assert by_number(441).sector_id == by_number(442).sector_id
    assert by_number(442).sector.name == "Hirson Nord"


def failing_flush_at(failing_call: int):
    """The importer's flush, failing at its ``failing_call``-th call like a database that breaks halfway."""
    real_flush = importer._Workspace.flush
    calls = []

    def flush(workspace):
        calls.append(len(calls) + 1)
        if len(calls) == failing_call:
            raise RuntimeError("disque plein")
        real_flush(workspace)

    return flush, calls


@pytest.mark.parametrize("failure", ["database", "progress"])
def test_the_import_is_all_or_nothing(ctx, monkeypatch, failure):
    first = 2000 if failure == "database" else 2300
    values = [cooperative(n, sector=f"Secteur Éphémère {failure}") for n in range(first, first + 250)]
    plan = plan_import("cooperatives", cooperatives_table(values))
    assert plan.ok and len(plan.lines) == 250
    before = counts()
    written_before_failure = []

    def progress(done, total):
        # The first hundred lines really are in the database (in the transaction) before the failure.
        written_before_failure.append(db.session.scalar(select(func.count()).select_from(Cooperative)) - before["Cooperative"])
        if failure == "progress" and done == 200:
            raise RuntimeError("disque plein")

    if failure == "database":
        flush, calls = failing_flush_at(2)
        monkeypatch.setattr(importer._Workspace, "flush", flush)
    with pytest.raises(RuntimeError, match="disque plein"):
        apply_import(plan, progress=progress)
    monkeypatch.undo()
    assert written_before_failure == ([100] if failure == "database" else [100, 200])
    db.session.expire_all()
    assert counts() == before
    assert db.session.execute(select(Sector).filter_by(name=f"Secteur Éphémère {failure}")).first() is None
    # After the failure, the same plan goes through whole.
    assert apply_import(plan).created == 250
    assert counts()["Cooperative"] == before["Cooperative"] + 250


def test_progress_is_reported_every_hundred_lines(ctx):
    calls = []
    plan = plan_import("cooperatives", cooperatives_table([cooperative(n) for n in range(3000, 3250)]))
    apply_import(plan, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(100, 250), (200, 250), (250, 250)]


def test_xlsx_file_with_excel_numbers_is_imported(ctx):
    rows = [
        ["Affiliation", "Code UAI", "Établissement", "Type d'école", "Code postal", "Commune", "Mandataire", "Téléphone"],
        [3300.0, uai(3300), "École Les Coquelicots", "École élémentaire", 2000, "Val-Fleuri", "DUBOIS-LENOIR Anne-Sophie", 323456789],
        [None] * 8,
        [3301, uai(3301), "Maternelle Les Hirondelles", "EMPU", "02100", "Bellefontaine-sur-Ailette", "Jean-Pierre LE GALL", "+33 3 23 45 67 80"],
    ]
    plan = plan_import("cooperatives", read_table(io.BytesIO(xlsx_bytes(rows)), "annuaire.xlsx"))
    assert plan.errors == []
    assert [line.line for line in plan.lines] == [2, 4]
    apply_import(plan)
    first, second = db.session.execute(select(Cooperative).filter(Cooperative.affiliation_number.in_(["3300", "3301"])).order_by(Cooperative.affiliation_number)).scalars()
    assert (first.school.postal_code, first.school.kind, first.mandataire.phone) == ("02000", "elementaire", "03 23 45 67 89")
    assert (first.mandataire.first_name, first.mandataire.last_name) == ("Anne-Sophie", "DUBOIS-LENOIR")
    assert (second.school.kind, second.mandataire.first_name, second.mandataire.last_name) == ("maternelle", "Jean-Pierre", "LE GALL")
    assert second.mandataire.phone == "03 23 45 67 80"


# --------------------------------------------------------------------------- memberships


def membership_table(rows: list[list], filename: str = "adhesions.csv"):
    return read_table(csv_bytes([MEMBERSHIP_HEADERS, *rows]), filename)


def test_memberships_of_a_year_are_linked_to_their_cooperatives(ctx):
    import_cooperatives([cooperative(n) for n in range(500, 503)])
    year = get_or_create_year("2031-2032")
    other_year = get_or_create_year("2032-2033")
    db.session.commit()
    rows = [
        [number(500), "25", "2", "2,05", "oui", "15/09/2031"],
        [number(501), "0", "3", "", "non", ""],
        [number(502), "118", "6", "2.10 €", "", "48111"],  # a date cell saved as its day number,
    ]
    plan = plan_import("memberships", membership_table(rows), year="2031-2032")
    assert plan.errors == [] and plan.year_label == "2031-2032"
    assert [line.action for line in plan.lines] == [CREATE] * 3
    assert apply_import(plan).created == 3

    def membership(n, of_year=year):
        return db.session.execute(select(Membership).filter_by(cooperative_id=by_number(n).id, school_year_id=of_year.id)).scalar_one()

    first = membership(500)
    assert (first.pupils, first.adults, first.fee_per_member, first.insurance, first.joined_on) == (25, 2, Decimal("2.05"), True, date(2031, 9, 15))
    assert first.members == 27 and first.status == "en_attente"
    assert (membership(501).insurance, membership(501).fee_per_member) == (False, Decimal("2.05"))
    assert (membership(502).fee_per_member, membership(502).joined_on) == (Decimal("2.10"), date(2031, 9, 20))

    # Re-importing with one change updates that membership, for that year only.
    before = counts()["Membership"]
    rows[1][1] = "22"
    plan = plan_import("memberships", membership_table(rows), year=year)
    assert [(line.action, line.changes) for line in plan.lines] == [(UNCHANGED, ()), (UPDATE, ("élèves",)), (UNCHANGED, ())]
    apply_import(plan)
    assert counts()["Membership"] == before
    assert membership(501).pupils == 22
    assert apply_import(plan_import("memberships", membership_table(rows), year=other_year)).created == 3
    assert membership(501, other_year).pupils == 22 and counts()["Membership"] == before + 3


def test_membership_file_errors(ctx):
    import_cooperatives([cooperative(510)])
    rows = [
        [number(510), "25", "2", "", "", ""],  # 2: fine
        ["0299999", "25", "2", "", "", ""],  # 3: no such cooperative
        [number(510), "12", "1", "", "", ""],  # 4: twice in the file
        ["0200511", "-3", "douze", "", "peut-être", "31/02/2031"],  # 5
        ["", "", "1", "abc", "", ""],  # 6
    ]
    plan = plan_import("memberships", membership_table(rows), year="2031-2032")
    assert plan.errors == [
        LineError(3, "N° coop", "Aucune coopérative n'a le numéro d'affiliation « 0299999 » : corrigez-le, ou importez d'abord la coopérative."),
        LineError(4, "N° coop", "Le numéro d'affiliation « 0200510 » figure déjà ligne 2."),
        LineError(5, "Nombre d'élèves", "Nombre d'élèves négatif « -3 » : 0 au moins."),
        LineError(5, "Nb adultes", "Nombre d'adultes invalide « douze » : un nombre entier est attendu."),
        LineError(5, "Assurance", "Valeur inconnue « peut-être » : oui ou non."),
        LineError(5, "Date d'adhésion", "Date invalide « 31/02/2031 » : jj/mm/aaaa attendu, par exemple 15/09/2025."),
        LineError(6, "N° coop", "Numéro d'affiliation manquant."),
        LineError(6, "Nombre d'élèves", "Nombre d'élèves manquant (écrivez 0 s'il n'y en a pas)."),
        LineError(6, "Cotisation", "Cotisation invalide « abc » : un montant en euros, par exemple 2,05."),
    ]
    with pytest.raises(ImportRefused):
        apply_import(plan)


def test_the_import_checks_the_lines_again_against_the_database(ctx):
    import_cooperatives([cooperative(520)])
    plan = plan_import("memberships", membership_table([[number(520), "10", "1", "", "", ""]]), year="2031-2032")
    assert plan.ok
    db.session.delete(by_number(520))  # removed by a colleague between the preview and the import
    db.session.commit()
    with pytest.raises(ImportRefused, match="Les données ont changé depuis la vérification du fichier ; rien n'a été enregistré. Ligne 2"):
        apply_import(plan)
    assert db.session.execute(select(Membership).join(Membership.cooperative).filter(Cooperative.affiliation_number == number(520))).first() is None


def test_a_membership_file_needs_an_existing_year(ctx):
    with pytest.raises(ImportRefused, match="L'année scolaire « 2099-2100 » n'existe pas."):
        plan_import("memberships", membership_table([[number(510), "1", "1", "", "", ""]]), year="2099-2100")


def test_missing_required_columns_make_a_plan_that_cannot_be_applied(ctx):
    table = read_table(csv_bytes([["N° coop", "Élèves"], [number(510), "3"]]), "a.csv")
    plan = plan_import("memberships", table)
    assert isinstance(plan.mapping, HeaderMapping) and plan.mapping.missing == ["adults"]
    assert plan.errors == [
        LineError(1, None, "Colonne obligatoire introuvable : « Nombre d'adultes ». Intitulés lus dans le fichier : « N° coop », « Élèves ».")
    ]
    with pytest.raises(ImportRefused):
        apply_import(plan)


# --------------------------------------------------------------------------- cost


def test_the_dry_run_costs_a_bounded_number_of_queries(ctx):
    import_cooperatives([cooperative(n) for n in range(1000, 1150)])  # half the file already known
    values = [cooperative(n, commune="Montaigu-les-Bois") if n % 10 == 0 else cooperative(n) for n in range(1000, 1300)]
    table = cooperatives_table(values)
    with StatementCounter() as counter:
        plan = plan_import("cooperatives", table)
    assert plan.ok and len(plan.lines) == 300
    assert (plan.count(CREATE), plan.count(UPDATE), plan.count(UNCHANGED)) == (150, 15, 135)
    assert len(counter.statements) <= 10, counter.statements

    with StatementCounter() as counter:
        apply_import(plan)
    # No read per line; SQLite inserts row by row (it cannot return ids in order), PostgreSQL by batches.
    reads = [s for s in counter.statements if s.lstrip().upper().startswith("SELECT")]
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE")]
    inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT")]
    assert len(reads) <= 10 and len(updates) <= 3 * 2, counter.statements
    assert len(inserts) <= (3 * 150 if db.engine.dialect.name == "sqlite" else 3 * 2)

    year = get_or_create_year("2033-2034")
    db.session.commit()
    rows = [[number(n), str(n % 30), "2", "", "", ""] for n in range(1000, 1300)]
    with StatementCounter() as counter:
        plan = plan_import("memberships", membership_table(rows), year=year)
    assert plan.ok and len(counter.statements) <= 5, counter.statements
