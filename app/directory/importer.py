"""Imports the association's own spreadsheets (cooperatives, yearly memberships) into the directory.

Three steps, so that the pages built on top can show a preview before anything
is written:

1. :func:`read_table` turns a CSV or XLSX upload into a :class:`Table` of text
   cells, each row keeping its spreadsheet line number;
2. :func:`plan_import` is a dry run: it maps the file's own French headers to
   fields (:func:`map_headers`), validates every line and computes what would
   happen to each one, without writing anything;
3. :func:`apply_import` writes a plan without errors in one transaction: all of
   it, or nothing.

Steps 2 and 3 run the same code on detached copies of the rows
(:class:`_Workspace`); only the import then writes what changed, so the
preview and the import cannot disagree. Existing rows are loaded for the whole
file in a few ``IN`` queries, never one query per line.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from app.directory.models import (
    COOPERATIVE_KINDS,
    COOPERATIVE_STATUSES,
    MEMBERSHIP_STATUSES,
    SCHOOL_KINDS,
    Cooperative,
    Membership,
    Person,
    School,
    Sector,
)
from app.directory.rules import normalise_phone, normalise_uai, uai_problem
from app.extensions import db
from app.years.models import SchoolYear

#: Beyond this many data lines a file is refused: split it.
MAX_LINES = 20_000
#: Lines written between two flushes, and between two calls of ``progress``.
BATCH_SIZE = 100
#: Keys per ``IN (...)`` query: well under SQLite's and PostgreSQL's parameter limits.
IN_CHUNK = 900

COOPERATIVES = "cooperatives"
MEMBERSHIPS = "memberships"
KINDS = {COOPERATIVES: "Coopératives", MEMBERSHIPS: "Adhésions d'une année scolaire"}

CREATE, UPDATE, UNCHANGED = "création", "mise à jour", "inchangé"


class SpreadsheetError(Exception):
    """The file cannot be read as a table; the message is in French, for the user."""


class ImportRefused(Exception):
    """The import cannot be carried out (errors in the plan, unknown year); French message."""


# --------------------------------------------------------------------------- tables


@dataclass
class Row:
    """One line of the spreadsheet: its number as the spreadsheet shows it (header = 1), and its cells by header."""

    line: int
    values: dict[str, str]


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]


def read_table(stream: Any, filename: str, *, max_lines: int = MAX_LINES) -> Table:
    """Read a CSV (UTF-8 with or without BOM, or cp1252; ``;``, ``,`` or tab) or XLSX upload.

    ``stream`` is a binary file object (an upload, an open file) or bytes. Every
    cell becomes stripped text; blank lines are skipped but keep their numbers.
    Raises :class:`SpreadsheetError` (French) when the file cannot be read,
    holds no data or has more than ``max_lines`` data lines.
    """
    data = stream if isinstance(stream, (bytes, bytearray, str)) else stream.read()
    name = filename or "fichier"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if isinstance(data, (bytes, bytearray)) and data[:4] == b"PK\x03\x04":
        lines = _xlsx_lines(bytes(data), name)
    elif extension in ("xlsx", "xlsm"):
        raise SpreadsheetError(f"Impossible de lire « {name} » : ce n'est pas un classeur Excel (.xlsx) valide.")
    elif extension in ("xls", "ods") or (isinstance(data, (bytes, bytearray)) and data[:4] == b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            f"Le format de « {name} » n'est pas pris en charge : enregistrez-le au format Excel (.xlsx) ou CSV, puis importez-le à nouveau."
        )
    else:
        lines = _csv_lines(data if isinstance(data, str) else _decode(bytes(data), name), name)
    return _build_table(lines, name, max_lines)


def _decode(data: bytes, name: str) -> str:
    unreadable = f"Impossible de lire « {name} » : ce n'est ni un fichier CSV ni un classeur Excel (.xlsx)."
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "texte Unicode"
            return data.decode("utf-16")
    except UnicodeDecodeError:
        raise SpreadsheetError(unreadable) from None
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(unreadable)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(unreadable)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns (``;`` wins ties: French Excel's choice)."""
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    if not sample:
        return ";"
    widths = {}
    for delimiter in (";", "\t", ","):
        try:
            header = next(csv.reader(sample[:1], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        widths[delimiter] = len(header)
    return max(widths, key=lambda d: (widths[d], -(";\t,".index(d)))) if widths else ";"


def _csv_lines(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        # A spreadsheet line is a CSV record, even when a quoted cell spans several text lines.
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise SpreadsheetError(f"Impossible de lire « {name} » ligne {reader.line_num} : fichier CSV mal formé ({error}).") from None


def _xlsx_lines(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, KeyError) on a damaged file
        raise SpreadsheetError(f"Impossible de lire « {name} » : ce n'est pas un classeur Excel (.xlsx) valide.") from None
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(f"Le classeur « {name} » ne contient aucune feuille.")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some producers write a wrong size: read every row there is
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(value) for value in values]
        except SpreadsheetError:
            raise
        except Exception:
            raise SpreadsheetError(f"Impossible de lire « {name} » : le classeur est endommagé.") from None
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A cell as the text a person would type: 2.0 → "2", a date → "2025-09-15", True → "oui"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _build_table(lines: Iterable[tuple[int, list[str]]], name: str, max_lines: int) -> Table:
    headers: list[str] | None = None
    rows: list[Row] = []
    for number, cells in lines:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if headers is None:
            headers = _header_names(cells)
            continue
        if len(rows) >= max_lines:
            raise SpreadsheetError(
                f"« {name} » compte plus de {_thousands(max_lines)} lignes de données, la limite d'un import : découpez-le en plusieurs fichiers."
            )
        rows.append(Row(number, {header: (cells[i] if i < len(cells) else "") for i, header in enumerate(headers)}))
    if headers is None:
        raise SpreadsheetError(f"Le fichier « {name} » est vide.")
    if not rows:
        raise SpreadsheetError(f"Le fichier « {name} » ne contient que la ligne des intitulés : aucune donnée à importer.")
    return Table(headers, rows)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _header_names(cells: list[str]) -> list[str]:
    """The header line's texts, made unique: an empty header becomes "Colonne C", a repeated one "Nom (2)"."""
    names: list[str] = []
    for index, cell in enumerate(cells):
        name = re.sub(r"\s+", " ", cell) or f"Colonne {_column_letter(index)}"
        candidate, count = name, 1
        while candidate in names:
            count += 1
            candidate = f"{name} ({count})"
        names.append(candidate)
    while names and names[-1].startswith("Colonne ") and not cells[len(names) - 1]:
        names.pop()  # trailing empty header cells carry nothing
    return names


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class Field:
    """A value an import reads, with its French label and the header wordings that name it."""

    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


_AFFILIATION_SYNONYMS = (
    "N° affiliation", "Numéro d'affiliation", "Affiliation", "N° coop", "N° coopérative", "Numéro de coopérative",
    "N° adhérent", "Numéro d'adhérent", "N° OCCE", "Numéro OCCE", "Code coop", "Code coopérative",
)  # fmt: skip

FIELDS: dict[str, tuple[Field, ...]] = {
    COOPERATIVES: (
        Field("affiliation_number", "N° d'affiliation", True, _AFFILIATION_SYNONYMS),
        Field("uai", "Code UAI", True, ("UAI", "RNE", "Code UAI", "Code RNE", "N° UAI", "N° RNE", "UAI école", "Code établissement")),
        Field("school_name", "Nom de l'école", True, (
            "École", "Ecole", "Nom de l'école", "Nom école", "Établissement", "Nom de l'établissement", "Dénomination",
            "Dénomination de l'école",
        )),
        Field("school_kind", "Type d'école", False, ("Type d'école", "Type d'établissement", "Nature de l'école", "Nature", "Catégorie d'école")),
        Field("address", "Adresse", False, ("Adresse", "Adresse de l'école", "Adresse postale", "Rue", "Voie")),
        Field("postal_code", "Code postal", False, ("CP", "C.P.", "Code postal")),
        Field("commune", "Commune", False, ("Commune", "Ville", "Localité", "Commune de l'école")),
        Field("sector", "Secteur", False, ("Secteur", "Circonscription", "Circo", "Secteur OCCE")),
        Field("cooperative_kind", "Type de coopérative", False, (
            "Type de coopérative", "Type coop", "Nature de la coopérative", "Type de structure",
        )),
        Field("status", "Statut", False, ("Statut", "État", "Statut de la coopérative", "Situation")),
        Field("mandataire_name", "Mandataire (prénom et nom)", False, (
            "Mandataire", "Nom et prénom du mandataire", "Prénom et nom du mandataire", "Mandataire (prénom nom)",
            "Prénom NOM du mandataire", "Identité du mandataire",
        )),
        Field("mandataire_last_name", "Nom du mandataire", False, ("Nom du mandataire", "Nom mandataire", "Nom de famille")),
        Field("mandataire_first_name", "Prénom du mandataire", False, ("Prénom du mandataire", "Prénom mandataire", "Prénom")),
        Field("civility", "Civilité", False, ("Civilité", "Civilité du mandataire", "Titre")),
        Field("email", "Courriel", False, (
            "Courriel", "Email", "E-mail", "Mail", "Mél", "Adresse mail", "Adresse électronique", "Adresse e-mail",
            "Courriel du mandataire", "Email du mandataire", "Mail du mandataire",
        )),
        Field("phone", "Téléphone", False, (
            "Téléphone", "Tél", "Tel", "N° de téléphone", "Téléphone du mandataire", "Tél mandataire", "Portable", "Mobile",
        )),
    ),
    MEMBERSHIPS: (
        Field("affiliation_number", "N° d'affiliation", True, _AFFILIATION_SYNONYMS),
        Field("pupils", "Nombre d'élèves", True, ("Nb élèves", "Élèves", "Nombre d'élèves", "Effectif élèves", "Nb enfants", "Enfants")),
        Field("adults", "Nombre d'adultes", True, ("Nb adultes", "Adultes", "Nombre d'adultes", "Effectif adultes")),
        Field("fee_per_member", "Cotisation par membre", False, (
            "Cotisation", "Cotisation par membre", "Cotisation unitaire", "Cotisation par adhérent", "Montant par membre", "Tarif",
        )),
        Field("insurance", "Assurance", False, ("Assurance", "Assuré", "Assurée", "Avec assurance")),
        Field("joined_on", "Date d'adhésion", False, ("Date d'adhésion", "Date d'affiliation", "Date d'inscription")),
        Field("status", "Statut", False, ("Statut", "État", "Statut de l'adhésion", "Situation")),
    ),
}  # fmt: skip

_NUMBER_WORDS = {"n", "no", "num", "numero", "nr", "nro"}
_COUNT_WORDS = {"nb", "nbr", "nbre", "nombre"}
_STOP_WORDS = {"de", "d", "du", "des", "l", "la", "le", "les", "a", "au", "aux"}


@functools.lru_cache(maxsize=65_536)  # communes, sectors and first names come back on every other line
def fold(text: str) -> str:
    """Lowercase, accents removed, spaces collapsed: how names are compared ("Château-Thierry" = "CHATEAU-THIERRY")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split()).lower()


def normalise_header(header: str) -> str:
    """A header reduced to its words: "N° d'affiliation" and "Numéro affiliation" both give "numero affiliation"."""
    words = []
    for word in re.findall(r"[a-z0-9]+", fold(header).replace("°", "o ")):
        if word in _NUMBER_WORDS:
            word = "numero"
        elif word in _COUNT_WORDS:
            word = "nombre"
        elif word in _STOP_WORDS:
            continue
        words.append(word)
    return " ".join(words)


def _synonym_index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS[kind]:
        for wording in (spec.label, *spec.synonyms):
            key = normalise_header(wording)
            if index.setdefault(key, spec.name) != spec.name:  # a wording may name only one field
                raise AssertionError(f"{kind}: {wording!r} names both {index[key]} and {spec.name}")
    return index


_SYNONYMS = {kind: _synonym_index(kind) for kind in FIELDS}


@dataclass
class HeaderMapping:
    """Which column of the file feeds which field, what is missing and what is left aside."""

    kind: str
    headers: list[str]
    columns: dict[str, str]  # field name → header, as written in the file
    missing: list[str]  # required field names without a column
    ignored: list[str]  # headers that feed no field
    warnings: list[str] = field(default_factory=list)  # French

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def missing_message(self) -> str | None:
        """In French: the missing columns by their labels, and the headers found in the file."""
        if not self.missing:
            return None
        labels = {spec.name: spec.label for spec in FIELDS[self.kind]}
        names = ", ".join(f"« {labels[name]} »" for name in self.missing)
        found = ", ".join(f"« {header} »" for header in self.headers) or "aucun"
        plural = "s" if len(self.missing) > 1 else ""
        return f"Colonne{plural} obligatoire{plural} introuvable{plural} : {names}. Intitulés lus dans le fichier : {found}."


def field_labels(kind: str) -> dict[str, str]:
    """Field name → French label, for a page letting the user choose the field of an unknown header."""
    _check_kind(kind)
    return {spec.name: spec.label for spec in FIELDS[kind]}


def map_headers(headers: list[str], kind: str, overrides: dict[str, str | None] | None = None) -> HeaderMapping:
    """Map the file's headers to the fields of ``kind`` by their usual wordings.

    ``overrides`` (header → field name, or None to leave a column out) wins over
    the wordings: a mapping step in the interface uses it to fix an unknown header.
    """
    _check_kind(kind)
    names = {spec.name for spec in FIELDS[kind]}
    labels = field_labels(kind)
    columns: dict[str, str] = {}
    decided: set[str] = set()
    warnings: list[str] = []
    for header, name in (overrides or {}).items():
        if header not in headers:
            continue
        decided.add(header)
        if not name:
            continue
        if name not in names:
            raise ValueError(f"Champ inconnu « {name} » pour cet import.")
        if name in columns:
            raise ValueError(f"Les colonnes « {columns[name]} » et « {header} » ne peuvent pas toutes deux fournir « {labels[name]} ».")
        columns[name] = header
    index = _SYNONYMS[kind]
    # Exact wordings first, then headers that begin with a known wording ("Code postal de l'école").
    for header in headers:
        name = index.get(normalise_header(header))
        if header in decided or name is None:
            continue
        decided.add(header)
        if name in columns:
            warnings.append(
                f"Les colonnes « {columns[name]} » et « {header} » indiquent toutes deux « {labels[name]} » : seule « {columns[name]} » est lue."
            )
        else:
            columns[name] = header
    for header in headers:
        if header in decided:
            continue
        name, ambiguous = _best_prefix_match(normalise_header(header), index)
        if ambiguous:
            warnings.append(f"La colonne « {header} » peut désigner plusieurs données : elle est ignorée.")
        elif name is not None and name not in columns:
            columns[name] = header
            decided.add(header)
    # "Nom" alone is the mandataire's last name beside a "Prénom" column, else the school's name.
    for header in headers:
        if header not in decided and kind == COOPERATIVES and normalise_header(header) == "nom":
            name = "mandataire_last_name" if "mandataire_first_name" in columns else "school_name"
            if name not in columns:
                columns[name] = header
                decided.add(header)
    missing = [spec.name for spec in FIELDS[kind] if spec.required and spec.name not in columns]
    used = set(columns.values())
    ignored = [header for header in headers if header not in used]
    return HeaderMapping(kind, list(headers), columns, missing, ignored, warnings)


def _best_prefix_match(words: str, index: dict[str, str]) -> tuple[str | None, bool]:
    """The field whose longest wording begins ``words`` (whole words), and whether two fields tie."""
    best_length, best = 0, set()
    for wording, name in index.items():
        if wording and (words + " ").startswith(wording + " "):
            length = len(wording.split())
            if length > best_length:
                best_length, best = length, {name}
            elif length == best_length:
                best.add(name)
    if len(best) > 1:
        return None, True
    return (next(iter(best)) if best else None), False


def _check_kind(kind: str) -> None:
    if kind not in FIELDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {sorted(FIELDS)}")


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class LineError:
    """A problem on one line (``column`` is the file's header, or None for the whole line), in French."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.message}"


@dataclass(frozen=True)
class PlannedLine:
    """What the import does with one line: ``action`` is "création", "mise à jour" or "inchangé"."""

    line: int
    key: str  # the affiliation number
    action: str
    changes: tuple[str, ...] = ()  # French, e.g. "école : commune"


@dataclass
class ImportPlan:
    """The dry run of an import. It holds plain values only (no database row): it can be pickled between two requests."""

    kind: str
    mapping: HeaderMapping
    year_id: int | None = None
    year_label: str | None = None
    lines: list[PlannedLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    new_sectors: list[str] = field(default_factory=list)
    records: list[Any] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def summary(self) -> str:
        """In French, e.g. "3 créations, 1 mise à jour, 12 lignes inchangées, 2 erreurs"."""
        return _summary(self.count(CREATE), self.count(UPDATE), self.count(UNCHANGED), len(self.errors))


@dataclass
class ImportResult:
    """What an import did, counted in lines of the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_sectors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return _summary(self.created, self.updated, self.unchanged)


def _summary(created: int, updated: int, unchanged: int, errors: int | None = None) -> str:
    def words(count: int, singular: str, plural: str) -> str:
        return f"{count} {singular if count < 2 else plural}"

    parts = [
        words(created, "création", "créations"),
        words(updated, "mise à jour", "mises à jour"),
        words(unchanged, "ligne inchangée", "lignes inchangées"),
    ]
    if errors is not None:
        parts.append(words(errors, "erreur", "erreurs"))
    return ", ".join(parts)


@dataclass
class _CooperativeRecord:
    line: int
    affiliation_number: str
    uai: str
    school: dict[str, Any]
    sector: str | None
    cooperative: dict[str, Any]
    mandataire: dict[str, Any] | None
    columns: dict[str, str]  # field → header, to name the column of an error found against the database


@dataclass
class _MembershipRecord:
    line: int
    affiliation_number: str
    values: dict[str, Any]
    columns: dict[str, str]


def plan_import(
    kind: str,
    table: Table,
    *,
    year: SchoolYear | str | None = None,
    mapping: HeaderMapping | dict[str, str | None] | None = None,
) -> ImportPlan:
    """Validate every line and compute what importing ``table`` would do, writing nothing.

    ``year`` (a SchoolYear or its label; the current year when None) is the
    school year of a memberships file. ``mapping`` is a HeaderMapping or
    overrides for :func:`map_headers`.
    """
    _check_kind(kind)
    header_mapping = mapping if isinstance(mapping, HeaderMapping) else map_headers(table.headers, kind, mapping)
    plan = ImportPlan(kind=kind, mapping=header_mapping)
    if kind == MEMBERSHIPS:
        resolved = _resolve_year(year)
        plan.year_id, plan.year_label = resolved.id, resolved.label
    if not header_mapping.ok:
        plan.errors.append(LineError(1, None, header_mapping.missing_message))
        return plan
    parse = _parse_cooperative if kind == COOPERATIVES else _parse_membership
    seen: dict[str, int] = {}
    number_column = header_mapping.columns["affiliation_number"]
    for row in table.rows:
        record, errors = parse(row, header_mapping.columns)
        if record is not None and record.affiliation_number in seen:
            errors.append(
                LineError(row.line, number_column, f"Le numéro d'affiliation « {record.affiliation_number} » figure déjà ligne {seen[record.affiliation_number]}.")
            )
        if errors:
            plan.errors.extend(errors)
            continue
        seen[record.affiliation_number] = row.line
        plan.records.append(record)
    outcome = _run(plan, write=False)
    plan.lines, plan.new_sectors = outcome.lines, outcome.new_sectors
    plan.errors.extend(outcome.errors)
    plan.errors.sort(key=lambda error: error.line)
    return plan


def apply_import(plan: ImportPlan, *, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Carry out ``plan`` in one transaction, committed at the end; on any failure nothing is kept.

    Refuses (:class:`ImportRefused`, French) a plan with errors. The lines are
    checked again against the database as it is now. ``progress(done, total)``
    is called every 100 lines and at the end.
    """
    if plan.errors:
        raise ImportRefused(
            f"Le fichier contient {len(plan.errors)} erreur{'s' if len(plan.errors) > 1 else ''} : corrigez-les puis importez-le à nouveau. Rien n'a été enregistré."
        )
    try:
        if plan.kind == MEMBERSHIPS and db.session.get(SchoolYear, plan.year_id) is None:
            raise ImportRefused(f"L'année scolaire « {plan.year_label} » n'existe plus ; rien n'a été enregistré.")
        outcome = _run(plan, write=True, progress=progress)
        if outcome.errors:
            raise ImportRefused(
                "Les données ont changé depuis la vérification du fichier ; rien n'a été enregistré. "
                + " ".join(str(error) for error in outcome.errors[:5])
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return ImportResult(
        created=sum(1 for line in outcome.lines if line.action == CREATE),
        updated=sum(1 for line in outcome.lines if line.action == UPDATE),
        unchanged=sum(1 for line in outcome.lines if line.action == UNCHANGED),
        new_sectors=outcome.new_sectors,
    )


def _resolve_year(year: SchoolYear | str | None) -> SimpleNamespace:
    if isinstance(year, SchoolYear):
        return SimpleNamespace(id=year.id, label=year.label)
    statement = select(SchoolYear.id, SchoolYear.label)
    statement = statement.where(SchoolYear.is_current.is_(True)) if year is None else statement.where(SchoolYear.label == year)
    found = db.session.execute(statement).first()
    if found is None:
        raise ImportRefused("Aucune année scolaire n'est marquée comme courante." if year is None else f"L'année scolaire « {year} » n'existe pas.")
    return SimpleNamespace(id=found.id, label=found.label)


# --------------------------------------------------------------------------- line parsing


_SCHOOL_KIND_WORDS = {
    "maternelle": "maternelle", "elementaire": "elementaire", "primaire": "primaire", "college": "college", "lycee": "lycee",
    "autre": "autre", "empu": "maternelle", "empr": "maternelle", "eepu": "elementaire", "eepr": "elementaire",
    "eppu": "primaire", "eppr": "primaire", "clg": "college",
}  # fmt: skip
_COOPERATIVE_KIND_WORDS = {"cooperative": "cooperative", "coop": "cooperative", "foyer": "foyer", "fse": "foyer"}
_COOPERATIVE_STATUS_WORDS = {
    "active": "active", "actif": "active", "ouverte": "active", "ouvert": "active",
    "fermee": "fermee", "ferme": "fermee", "close": "fermee", "closed": "fermee",
}  # fmt: skip
_MEMBERSHIP_STATUS_WORDS = {"attente": "en_attente", "cours": "en_attente", "validee": "validee", "valide": "validee"}
_CIVILITY_WORDS = {"mme": "Mme", "madame": "Mme", "mlle": "Mme", "mademoiselle": "Mme", "m": "M.", "mr": "M.", "monsieur": "M."}
_YES = {"oui", "o", "yes", "y", "vrai", "x", "1", "avec"}
_NO = {"non", "n", "no", "faux", "0", "sans"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LENGTHS = {"school_name": 200, "address": 250, "commune": 120, "sector": 100, "first_name": 100, "last_name": 100, "email": 200}


class _Line:
    """Reads one row's cells by field and gathers its errors."""

    def __init__(self, row: Row, columns: dict[str, str]):
        self.row, self.columns, self.errors = row, columns, []

    def text(self, name: str) -> str | None:
        """The cell's text with spaces collapsed; None when the column is absent or the cell empty."""
        header = self.columns.get(name)
        if header is None:
            return None
        return " ".join(self.row.values.get(header, "").split()) or None

    def error(self, name: str | None, message: str) -> None:
        self.errors.append(LineError(self.row.line, self.columns.get(name) if name else None, message))

    def required(self, name: str, message: str) -> str | None:
        value = self.text(name)
        if value is None:
            self.error(name, message)
        return value

    def bounded(self, name: str, value: str | None, limit_key: str | None = None) -> str | None:
        limit = _LENGTHS[limit_key or name]
        if value is not None and len(value) > limit:
            self.error(name, f"Texte trop long ({len(value)} caractères) : {limit} caractères au plus.")
            return None
        return value

    def choice(self, name: str, words: dict[str, str], choices: dict[str, str]) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        for word in re.findall(r"[a-z0-9]+", fold(value)):
            if word in words:
                return words[word]
        self.error(name, f"Valeur inconnue « {value} » : valeurs possibles {', '.join(choices.values())}.")
        return None


def _parse_cooperative(row: Row, columns: dict[str, str]) -> tuple[_CooperativeRecord | None, list[LineError]]:
    line = _Line(row, columns)
    number = _affiliation_number(line)
    uai = line.required("uai", "Code UAI manquant.")
    if uai is not None:
        problem = uai_problem(uai)
        if problem:
            line.error("uai", problem)
            uai = None
        else:
            uai = normalise_uai(uai)
    school = {
        "name": line.bounded("school_name", line.required("school_name", "Nom de l'école manquant.")),
        "kind": line.choice("school_kind", _SCHOOL_KIND_WORDS, SCHOOL_KINDS),
        "address": line.bounded("address", line.text("address")),
        "postal_code": _postal_code(line),
        "commune": line.bounded("commune", line.text("commune")),
    }
    cooperative = {
        "kind": line.choice("cooperative_kind", _COOPERATIVE_KIND_WORDS, COOPERATIVE_KINDS),
        "status": line.choice("status", _COOPERATIVE_STATUS_WORDS, COOPERATIVE_STATUSES),
    }
    sector = line.bounded("sector", line.text("sector"))
    mandataire = _mandataire(line)
    if line.errors:
        return None, line.errors
    return _CooperativeRecord(row.line, number, uai, school, sector, cooperative, mandataire, dict(columns)), []


def _affiliation_number(line: _Line) -> str | None:
    value = line.required("affiliation_number", "Numéro d'affiliation manquant.")
    if value is None:
        return None
    value = "".join(value.split()).upper()
    if len(value) > 20:
        line.error("affiliation_number", f"Numéro d'affiliation trop long « {value} » : 20 caractères au plus.")
        return None
    return value


def _postal_code(line: _Line) -> str | None:
    value = line.text("postal_code")
    if value is None:
        return None
    digits = value.replace(" ", "")
    if re.fullmatch(r"\d{4}", digits):  # Excel drops the leading zero of 02000
        digits = "0" + digits
    if not re.fullmatch(r"\d{5}", digits):
        line.error("postal_code", f"Code postal invalide « {value} » : 5 chiffres, par exemple 02000.")
        return None
    return digits


def _mandataire(line: _Line) -> dict[str, Any] | None:
    """The mandataire's name, civility, email and phone; None when the line names no one."""
    first = line.text("mandataire_first_name")
    last = line.text("mandataire_last_name")
    full = line.text("mandataire_name")
    if full and not (first and last):
        first, last = _split_name(full)
    elif last and not first and "mandataire_first_name" not in line.columns and " " in last:
        first, last = _split_name(last)  # a "Nom du mandataire" column holding "Prénom NOM"
    civility = line.choice("civility", _CIVILITY_WORDS, {"Mme": "Mme", "M.": "M."})
    email = line.text("email")
    if email is not None:
        email = email.lower()
        if not _EMAIL.match(email):
            line.error("email", f"Adresse électronique invalide « {line.text('email')} » : par exemple prenom.nom@ac-amiens.fr.")
            email = None
        else:
            email = line.bounded("email", email)
    phone = line.text("phone")
    if phone is not None:
        if re.fullmatch(r"[1-9]\d{8}", phone):  # a number typed into Excel loses its leading zero
            phone = "0" + phone
        try:
            phone = normalise_phone(phone)
        except ValueError as error:
            line.error("phone", str(error))
            phone = None
    if not (first or last or email or phone or civility):
        return None
    name_column = next((name for name in ("mandataire_name", "mandataire_last_name", "mandataire_first_name") if name in line.columns), None)
    if (first or last) and not (first and last):
        line.error(name_column, f"Indiquez le prénom et le nom du mandataire (« {first or last} » ne suffit pas).")
    return {
        "first_name": line.bounded(name_column, first, "first_name"),
        "last_name": line.bounded(name_column, last, "last_name"),
        "civility": civility,
        "email": email,
        "phone": phone,
    }


def _split_name(full: str) -> tuple[str | None, str | None]:
    """"Marie DUPONT-LEROY" or "DUPONT Marie" → ("Marie", "DUPONT-LEROY"): the words in capitals are the last name."""
    words = full.split()
    if len(words) < 2:
        return None, full
    capitals = [word for word in words if word.isupper() and len(word.strip(".-'")) > 1]
    if capitals and len(capitals) < len(words):
        return " ".join(word for word in words if word not in capitals), " ".join(capitals)
    return words[0], " ".join(words[1:])


def _parse_membership(row: Row, columns: dict[str, str]) -> tuple[_MembershipRecord | None, list[LineError]]:
    line = _Line(row, columns)
    number = _affiliation_number(line)
    values = {
        "pupils": _count(line, "pupils", "élèves"),
        "adults": _count(line, "adults", "adultes"),
        "fee_per_member": _fee(line),
        "insurance": _yes_no(line, "insurance"),
        "joined_on": _date(line, "joined_on"),
        "status": line.choice("status", _MEMBERSHIP_STATUS_WORDS, MEMBERSHIP_STATUSES),
    }
    if line.errors:
        return None, line.errors
    return _MembershipRecord(row.line, number, values, dict(columns)), []


def _number(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _count(line: _Line, name: str, what: str) -> int | None:
    text = line.text(name)
    if text is None:
        line.error(name, f"Nombre d'{what} manquant (écrivez 0 s'il n'y en a pas).")
        return None
    value = _number(text)
    if value is None or value != value.to_integral_value():
        line.error(name, f"Nombre d'{what} invalide « {text} » : un nombre entier est attendu.")
        return None
    if value < 0:
        line.error(name, f"Nombre d'{what} négatif « {text} » : 0 au moins.")
        return None
    if value > 99_999:
        line.error(name, f"Nombre d'{what} invraisemblable « {text} ».")
        return None
    return int(value)


def _fee(line: _Line) -> Decimal | None:
    text = line.text("fee_per_member")
    if text is None:
        return None
    value = _number(text)
    if value is None or not Decimal(0) <= value < Decimal(10_000):
        line.error("fee_per_member", f"Cotisation invalide « {text} » : un montant en euros, par exemple 2,05.")
        return None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _yes_no(line: _Line, name: str) -> bool | None:
    text = line.text(name)
    if text is None:
        return None
    word = fold(text)
    if word in _YES:
        return True
    if word in _NO:
        return False
    line.error(name, f"Valeur inconnue « {text} » : oui ou non.")
    return None


def _date(line: _Line, name: str) -> date | None:
    text = line.text(name)
    if text is None:
        return None
    try:
        if match := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?: \d{2}:\d{2}:\d{2})?", text):  # a date cell of a workbook
            return date(*(int(part) for part in match.groups()))
        if re.fullmatch(r"\d{5}", text) and 20_000 <= int(text) <= 80_000:  # Excel's day number (1954-2119)
            return date(1899, 12, 30) + timedelta(days=int(text))
    except ValueError:
        pass  # an impossible date (31/02): reported below like any text that is not a date
    line.error(name, f"Date invalide « {text} » : jj/mm/aaaa attendu, par exemple 15/09/2025.")
    return None


# --------------------------------------------------------------------------- running a plan


@dataclass
class _Outcome:
    lines: list[PlannedLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    new_sectors: list[str] = field(default_factory=list)


class _Draft(SimpleNamespace):
    """A detached copy of a row, or a row to be created, that the import changes freely before writing it."""


_WRITE_ORDER = (Sector, School, Person, Cooperative, Membership)  # parents before the rows pointing at them
_RELATIONS = {Sector: (), School: ("sector",), Person: ("school",), Cooperative: ("school", "sector", "mandataire"), Membership: ()}


class _Workspace:
    """The rows an import reads and changes, as drafts; :meth:`flush` writes what changed.

    The dry run and the import run the same code on these drafts; only the
    import flushes. Writing with plain INSERT and UPDATE statements, in batches,
    keeps a 50,000-line import to seconds where ORM objects would take minutes.
    """

    def __init__(self):
        self.drafts: dict[tuple[type, int], _Draft] = {}
        self.created: list[_Draft] = []
        self.changed: dict[int, tuple[_Draft, set[str]]] = {}  # id(draft) → (draft, changed attributes)
        self.links: dict[tuple[int, str], _Draft] = {}  # (id(draft), relation) → target linked during this run

    def load(self, model: type, *criteria) -> list[_Draft]:
        table = model.__table__
        found = []
        for row in db.session.execute(select(*table.columns).where(*criteria)):
            key = (model, row.id)
            if key not in self.drafts:
                self.drafts[key] = _Draft(_model=model, _new=False, **row._asdict())
            found.append(self.drafts[key])
        return found

    def load_in(self, model: type, column, keys: Iterable[Any], *criteria) -> list[_Draft]:
        """Rows whose ``column`` is one of ``keys``, in a few ``IN`` queries."""
        keys = sorted(set(keys))
        found = []
        for start in range(0, len(keys), IN_CHUNK):
            found.extend(self.load(model, column.in_(keys[start : start + IN_CHUNK]), *criteria))
        return found

    def new(self, model: type, **values: Any) -> _Draft:
        draft = _Draft(_model=model, _new=True, **(_column_defaults(model) | values))
        self.created.append(draft)
        return draft

    def _touch(self, draft: _Draft, attribute: str) -> None:
        if not draft._new:  # a new row is written whole, with its latest values
            self.changed.setdefault(id(draft), (draft, set()))[1].add(attribute)

    def assign(self, draft: _Draft, values: dict[str, Any], labels: dict[str, str], changes: list[str]) -> None:
        """Set each given value (None means "not given": the current value stays)."""
        for name, value in values.items():
            if value is not None and getattr(draft, name) != value:
                setattr(draft, name, value)
                self._touch(draft, name)
                changes.append(labels[name])

    def link(self, draft: _Draft, relation: str, target: _Draft, label: str, changes: list[str]) -> None:
        """Point ``draft.relation`` at ``target``, which may not have an id yet."""
        linked = self.links.get((id(draft), relation))
        if linked is not None:
            changed = linked is not target
        else:
            changed = target.id is None or getattr(draft, f"{relation}_id") != target.id
        if changed:
            self.links[(id(draft), relation)] = target
            setattr(draft, f"{relation}_id", target.id)
            self._touch(draft, f"{relation}_id")
            changes.append(label)

    def flush(self) -> None:
        """Write the rows created and changed since the last flush, parents first."""
        for model in _WRITE_ORDER:
            table = model.__table__
            created = [draft for draft in self.created if draft._model is model]
            if created:
                names = [column.key for column in table.columns if column.key != "id"]
                statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                rows = [{name: getattr(draft, name) for name in names} for draft in map(self._resolved, created)]
                for draft, new_id in zip(created, db.session.execute(statement, rows).scalars().all(), strict=True):
                    draft.id, draft._new = new_id, False
            updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for draft, attributes in self.changed.values():
                if draft._model is model:
                    self._resolved(draft)
                    names = tuple(sorted(attributes))
                    updates.setdefault(names, []).append({"row_id": draft.id, **{name: getattr(draft, name) for name in names}})
            for rows in updates.values():
                db.session.execute(update(table).where(table.c.id == bindparam("row_id")), rows)
        self.created.clear()
        self.changed.clear()

    def _resolved(self, draft: _Draft) -> _Draft:
        """``draft`` with the ids of the rows it was linked to, now that they are written."""
        for relation in _RELATIONS[draft._model]:
            target = self.links.get((id(draft), relation))
            if target is not None:
                setattr(draft, f"{relation}_id", target.id)
        return draft


@functools.cache
def _column_defaults(model: type) -> dict[str, Any]:
    """What a new row holds before the file's values: None, or the column's default ("primaire", "active"...)."""
    defaults = {}
    for column in model.__table__.columns:
        default = column.default
        defaults[column.key] = default.arg if default is not None and default.is_scalar else None
    return defaults


def _run(plan: ImportPlan, *, write: bool, progress: Callable[[int, int], None] | None = None) -> _Outcome:
    """Go through the plan's lines on drafts; when ``write``, flush every BATCH_SIZE lines."""
    workspace = _Workspace()
    run = _run_cooperatives if plan.kind == COOPERATIVES else _run_memberships
    outcome = _Outcome()
    total = len(plan.records)
    done = 0
    for planned in run(plan, workspace, outcome):
        if write and outcome.errors:
            return outcome  # the caller refuses the whole import
        outcome.lines.append(planned)
        done += 1
        if write and (done % BATCH_SIZE == 0 or done == total):
            workspace.flush()
            if progress is not None:
                progress(done, total)
    if write:
        workspace.flush()
    return outcome


_SCHOOL_LABELS = {
    "name": "école : nom", "kind": "école : type", "address": "école : adresse", "postal_code": "école : code postal",
    "commune": "école : commune",
}  # fmt: skip
_COOPERATIVE_LABELS = {"kind": "type de coopérative", "status": "statut"}
_PERSON_LABELS = {
    "first_name": "mandataire : prénom", "last_name": "mandataire : nom", "civility": "mandataire : civilité",
    "email": "mandataire : courriel", "phone": "mandataire : téléphone", "function": "mandataire : fonction",
}  # fmt: skip
_MEMBERSHIP_LABELS = {
    "pupils": "élèves", "adults": "adultes", "fee_per_member": "cotisation", "insurance": "assurance",
    "joined_on": "date d'adhésion", "status": "statut",
}  # fmt: skip


def _person_key(first: str, last: str, uai: str) -> tuple[str, str, str]:
    return fold(first), fold(last), uai


def _run_cooperatives(plan: ImportPlan, workspace: _Workspace, outcome: _Outcome) -> Iterator[PlannedLine]:
    records: list[_CooperativeRecord] = plan.records
    # Everything the file refers to, loaded up front: a handful of queries whatever the length of the file.
    sectors = {fold(sector.name): sector for sector in workspace.load(Sector)}
    schools = {school.uai: school for school in workspace.load_in(School, School.uai, {r.uai for r in records})}
    cooperatives = {
        cooperative.affiliation_number: cooperative
        for cooperative in workspace.load_in(Cooperative, Cooperative.affiliation_number, {r.affiliation_number for r in records})
    }
    emails = {r.mandataire["email"] for r in records if r.mandataire and r.mandataire["email"]}
    people_by_email = {
        person.email.lower(): person
        for person in workspace.load_in(Person, func.lower(Person.email), emails, Person.anonymised_on.is_(None))
    }
    uai_of = {school.id: uai for uai, school in schools.items()}
    people_by_name = {
        _person_key(person.first_name, person.last_name, uai_of[person.school_id]): person
        for person in workspace.load_in(Person, Person.school_id, uai_of, Person.anonymised_on.is_(None))
    }
    school_lines: dict[str, tuple[int, str]] = {}  # UAI → first line naming it, and the name it gives

    for record in records:
        first = school_lines.setdefault(record.uai, (record.line, record.school["name"]))
        if first[0] != record.line and fold(first[1]) != fold(record.school["name"]):
            outcome.errors.append(
                LineError(
                    record.line,
                    record.columns.get("school_name"),
                    f"L'UAI {record.uai} figure déjà ligne {first[0]} avec une autre école, « {first[1]} ».",
                )
            )
            continue
        person, person_is_new = None, False
        if record.mandataire:
            person = _find_mandataire(record, people_by_email, people_by_name)
            if person is None and not (record.mandataire["first_name"] and record.mandataire["last_name"]):
                column = next((record.columns[name] for name in ("mandataire_name", "mandataire_last_name", "email", "phone") if name in record.columns), None)
                outcome.errors.append(
                    LineError(record.line, column, "Ces coordonnées sont celles du mandataire : indiquez aussi son prénom et son nom.")
                )
                continue

        changes: list[str] = []
        school = schools.get(record.uai)
        if school is None:
            school = schools[record.uai] = workspace.new(School, uai=record.uai)
            changes.append("nouvelle école")
        workspace.assign(school, record.school, _SCHOOL_LABELS, changes)

        sector = None
        if record.sector:
            sector = sectors.get(fold(record.sector))
            if sector is None:
                sector = sectors[fold(record.sector)] = workspace.new(Sector, name=record.sector)
                outcome.new_sectors.append(record.sector)
                changes.append(f"nouveau secteur « {record.sector} »")
            workspace.link(school, "sector", sector, "école : secteur", changes)

        cooperative = cooperatives.get(record.affiliation_number)
        created = cooperative is None
        if created:
            cooperative = cooperatives[record.affiliation_number] = workspace.new(Cooperative, affiliation_number=record.affiliation_number)
        workspace.link(cooperative, "school", school, "école", changes)
        workspace.assign(cooperative, record.cooperative, _COOPERATIVE_LABELS, changes)
        if sector is not None:
            workspace.link(cooperative, "sector", sector, "secteur", changes)

        if record.mandataire:
            if person is None:
                person_is_new = True
                person = workspace.new(Person, first_name=record.mandataire["first_name"], last_name=record.mandataire["last_name"])
                changes.append("nouveau mandataire")
            details = [] if person_is_new else changes  # a new person's every field is news, not worth listing
            if person.school_id is None and (id(person), "school") not in workspace.links:
                workspace.link(person, "school", school, "mandataire : école", details)
            workspace.assign(person, record.mandataire | {"function": "mandataire"}, _PERSON_LABELS, details)
            if person.email:
                people_by_email[person.email.lower()] = person
            people_by_name[_person_key(person.first_name, person.last_name, record.uai)] = person
            workspace.link(cooperative, "mandataire", person, "mandataire", changes)

        action = CREATE if created else UPDATE if changes else UNCHANGED
        yield PlannedLine(record.line, record.affiliation_number, action, () if created else tuple(dict.fromkeys(changes)))


def _find_mandataire(record: _CooperativeRecord, by_email: dict, by_name: dict) -> Any:
    """The person the line names: by email first, else by first name, last name and school."""
    values = record.mandataire
    if values["email"] and values["email"] in by_email:
        return by_email[values["email"]]
    if values["first_name"] and values["last_name"]:
        person = by_name.get(_person_key(values["first_name"], values["last_name"], record.uai))
        # A namesake with another address is another person.
        if person is not None and (not values["email"] or not person.email or person.email.lower() == values["email"]):
            return person
    return None


def _run_memberships(plan: ImportPlan, workspace: _Workspace, outcome: _Outcome) -> Iterator[PlannedLine]:
    records: list[_MembershipRecord] = plan.records
    numbers = sorted({record.affiliation_number for record in records})
    cooperative_ids: dict[str, int] = {}
    for start in range(0, len(numbers), IN_CHUNK):
        chunk = numbers[start : start + IN_CHUNK]
        statement = select(Cooperative.affiliation_number, Cooperative.id).where(Cooperative.affiliation_number.in_(chunk))
        cooperative_ids.update((found_number, found_id) for found_number, found_id in db.session.execute(statement))
    memberships = {
        membership.cooperative_id: membership
        for membership in workspace.load_in(
            Membership, Membership.cooperative_id, cooperative_ids.values(), Membership.school_year_id == plan.year_id
        )
    }
    for record in records:
        cooperative_id = cooperative_ids.get(record.affiliation_number)
        if cooperative_id is None:
            outcome.errors.append(
                LineError(
                    record.line,
                    record.columns.get("affiliation_number"),
                    f"Aucune coopérative n'a le numéro d'affiliation « {record.affiliation_number} » : "
                    "corrigez-le, ou importez d'abord la coopérative.",
                )
            )
            continue
        changes: list[str] = []
        membership = memberships.get(cooperative_id)
        created = membership is None
        if created:
            membership = memberships[cooperative_id] = workspace.new(Membership, cooperative_id=cooperative_id, school_year_id=plan.year_id)
        workspace.assign(membership, record.values, _MEMBERSHIP_LABELS, changes)
        action = CREATE if created else UPDATE if changes else UNCHANGED
        yield PlannedLine(record.line, record.affiliation_number, action, () if created else tuple(changes))
