"""Business rules of « Porté Disparu », as plain functions over the session.

- The action: one core ``Action`` per school year (code ``porte_disparu``),
  joined by classes through :mod:`app.actions.service`.
- Loans: two kinds of items (endangered-species kits, the Ecocoop trunk)
  served by the core's loans service.
- Relay of the federation's mails: the core template ``mail:relais_federal``
  queued to the registered classes, each relay logged.
- Import of the federation's registration recap (CSV or XLSX): each line is
  matched to one of our cooperatives (affiliation number, else the school's
  UAI) and to a class of its school; a preview lists what will be done,
  nothing is written until confirmed; every line is kept (matched or not,
  with the reason in French) and the same line imported again is recognised.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.actions import service as registrations
from app.actions.catalogue import ensure_action, get_action
from app.actions.models import ACCEPTED, CLASS_AUDIENCE, Action, Registration
from app.directory.importer import SpreadsheetError, fold, normalise_header, read_table
from app.directory.models import Classroom, Cooperative, Person, School
from app.actions.figures import plugin_registrations
from app.extensions import db
from app.plugins import LoanItemKind
from app.years.service import get_year, previous_label

from .models import PorteDisparuFederalLine, PorteDisparuRelayedMail

CODE = "porte_disparu"
ACTION_CODE = "porte_disparu"
ACTION_NAME = "Porté Disparu"
ACTION_DESCRIPTION = (
    "Action fédérale sur l'environnement et les espèces menacées : kits d'espèces menacées et malle « Ecocoop » "
    "prêtés par l'OCCE 02, courriels de la fédération relayés aux classes inscrites."
)

KIT_KIND = "kit_especes"
TRUNK_KIND = "malle_ecocoop"
LOAN_KINDS = (
    LoanItemKind(KIT_KIND, "Kits d'espèces menacées", "Prêtés aux classes pour l'action fédérale Porté Disparu."),
    LoanItemKind(TRUNK_KIND, "Malle Ecocoop", "La malle « Ecocoop » de l'OCCE 02 sur l'environnement (Porté Disparu)."),
)

#: Uploads larger than this are refused (a recap is a few hundred lines).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")


# --- the action -----------------------------------------------------------------------------


def ensure_year_action(year) -> Action:
    """The year's Porté Disparu action, created when missing (never duplicated). The caller commits."""
    start = year.start_date.year
    return ensure_action(
        year, ACTION_CODE, ACTION_NAME, plugin_code=CODE, audience=CLASS_AUDIENCE, description=ACTION_DESCRIPTION,
        opens_on=date(start, 9, 1), closes_on=date(start + 1, 6, 30),
    )  # fmt: skip


def year_action(year) -> Action | None:
    return get_action(year, ACTION_CODE) if year is not None else None


def count_for(year) -> int:
    """Classes (or cooperatives) registered to this plugin's actions in ``year``, refusals and cancellations left out."""
    return plugin_registrations(CODE, year)


# --- relay of the federation's mails ---------------------------------------------------------


def queue_relay(mail: PorteDisparuRelayedMail, user_id: int | None = None):
    """Queue the federal mail to the registered classes, personalised (core template « relais_federal »).

    Returns ``(batch, None)`` or ``(None, reason)`` in French when nothing was queued. The caller commits.
    """
    from app.mail.service import relay_to_action

    if not (mail.message or "").strip():
        return None, "rien n'a été envoyé : écrivez le texte du courriel de la fédération dans « Message »."
    action = db.session.get(Action, mail.action_id)
    batch, reason = relay_to_action(action, mail.subject, mail.message, module=CODE, label=f"Porté Disparu : {mail.subject}", user_id=user_id)
    mail.recipients = batch.queued_count if batch else 0
    mail.batch_id = batch.id if batch else None
    return batch, reason


# --- import of the federation's recap --------------------------------------------------------

#: field → (French label, header wordings)
RECAP_FIELDS = {
    "affiliation_number": ("N° d'affiliation", ("N° affiliation", "Numéro d'affiliation", "Affiliation", "N° coopérative", "Numéro coopérative", "Code coopérative", "N° coop")),
    "uai": ("UAI", ("UAI", "RNE", "Code UAI", "UAI école", "N° UAI", "UAI/RNE")),
    "school_name": ("École", ("École", "Ecole", "Nom de l'école", "Établissement", "Etablissement", "Nom établissement")),
    "commune": ("Commune", ("Commune", "Ville", "Localité")),
    "teacher": ("Enseignant·e", ("Enseignant", "Enseignante", "Enseignant·e", "Enseignant(e)", "Nom de l'enseignant", "Professeur", "Professeur des écoles")),
    "class_name": ("Classe", ("Classe", "Nom de la classe")),
    "levels": ("Niveau", ("Niveau", "Niveaux", "Niveau(x)", "Niveau de la classe")),
    "pupils": ("Effectif", ("Effectif", "Effectifs", "Nb élèves", "Nombre d'élèves", "Élèves")),
}
_HEADER_INDEX = {normalise_header(wording): name for name, (label, wordings) in RECAP_FIELDS.items() for wording in (label, *wordings)}

TO_REGISTER = "a_inscrire"
ALREADY_REGISTERED = "deja_inscrite"
ALREADY_IMPORTED = "deja_importee"
UNMATCHED = "non_rapprochee"
OUTCOMES = {
    TO_REGISTER: "À inscrire",
    ALREADY_REGISTERED: "Déjà inscrite",
    ALREADY_IMPORTED: "Déjà importée",
    UNMATCHED: "Non rapprochée",
}


@dataclass
class RecapLine:
    line: int
    values: dict[str, str]
    key: str
    outcome: str
    reason: str = ""
    cooperative: Cooperative | None = None
    classroom: Classroom | None = None
    registration: Registration | None = None

    @property
    def outcome_label(self) -> str:
        return OUTCOMES[self.outcome]


@dataclass
class RecapPlan:
    columns: dict[str, str]
    ignored: list[str]
    lines: list[RecapLine] = field(default_factory=list)

    def of(self, outcome: str) -> list[RecapLine]:
        return [line for line in self.lines if line.outcome == outcome]

    @property
    def summary(self) -> str:
        counts = {outcome: len(self.of(outcome)) for outcome in OUTCOMES}
        return (
            f"{len(self.lines)} ligne(s) : {counts[TO_REGISTER]} à inscrire, {counts[ALREADY_REGISTERED]} déjà inscrite(s), "
            f"{counts[ALREADY_IMPORTED]} déjà importée(s), {counts[UNMATCHED]} non rapprochée(s)"
        )


def map_recap_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Which header feeds which field (first one wins), and the headers left aside."""
    columns: dict[str, str] = {}
    ignored = []
    for header in headers:
        name = _HEADER_INDEX.get(normalise_header(header))
        if name and name not in columns:
            columns[name] = header
        else:
            ignored.append(header)
    if "affiliation_number" not in columns and "uai" not in columns:
        raise SpreadsheetError(
            "Le récapitulatif doit avoir une colonne « N° affiliation » ou « UAI » pour retrouver les coopératives ; "
            f"colonnes trouvées : {', '.join(headers)}."
        )
    return columns, ignored


def _line_key(values: dict[str, str]) -> str:
    content = "\x1f".join(fold(values.get(name, "")) for name in RECAP_FIELDS)
    return hashlib.sha256(content.encode()).hexdigest()


def _registration_day(action: Action, today: date | None = None) -> date:
    """The federation registered the class: its recap is recorded whatever our own window, so the day is kept inside it."""
    day = today or date.today()
    if action.opens_on and day < action.opens_on:
        day = action.opens_on
    if action.closes_on and day > action.closes_on:
        day = action.closes_on
    return day


def _find_cooperative(values: dict[str, str]) -> tuple[Cooperative | None, str]:
    number = "".join(values.get("affiliation_number", "").split()).upper()
    uai = "".join(values.get("uai", "").split()).upper()
    if not number and not uai:
        return None, "ni n° d'affiliation ni UAI : impossible de retrouver la coopérative."
    if number:
        found = db.session.execute(select(Cooperative).filter_by(affiliation_number=number)).scalar_one_or_none()
        if found is not None:
            return found, ""
    if uai:
        found = db.session.execute(
            select(Cooperative).join(School, Cooperative.school_id == School.id).filter(School.uai == uai).order_by(Cooperative.status, Cooperative.id).limit(1)
        ).scalar_one_or_none()
        if found is not None:
            return found, ""
    unknown = []
    if number:
        unknown.append(f"n° d'affiliation « {number} »")
    if uai:
        unknown.append(f"UAI « {uai} »")
    return None, f"coopérative introuvable dans l'annuaire ({' et '.join(unknown)} inconnu{'s' if len(unknown) > 1 else ''})."


def _find_classroom(cooperative: Cooperative, year, values: dict[str, str]) -> tuple[Classroom | None, str]:
    classes = list(
        db.session.execute(select(Classroom).filter_by(school_id=cooperative.school_id, school_year_id=year.id).order_by(Classroom.name)).scalars()
    )
    name, teacher = fold(values.get("class_name", "")), fold(values.get("teacher", ""))
    if name:
        by_name = [c for c in classes if fold(c.name) == name]
        if len(by_name) == 1:
            return by_name[0], ""
    if teacher:
        words = set(teacher.replace("-", " ").split())
        teacher_ids = {c.teacher_id for c in classes if c.teacher_id}
        people = {p.id: p for p in db.session.execute(select(Person).filter(Person.id.in_(teacher_ids))).scalars()} if teacher_ids else {}
        by_teacher = [c for c in classes if c.teacher_id in people and fold(people[c.teacher_id].last_name) in words]
        if len(by_teacher) == 1:
            return by_teacher[0], ""
    if len(classes) == 1 and not name and not teacher:
        return classes[0], ""
    described = ", ".join(
        part for part in (f"classe « {values['class_name']} »" if values.get("class_name") else "", f"enseignant·e « {values['teacher']} »" if values.get("teacher") else "") if part
    ) or "aucune classe indiquée"
    school = cooperative.school.name if cooperative.school else ""
    return None, (
        f"coopérative {cooperative.affiliation_number} reconnue, mais la classe ({described}) n'a pas été identifiée "
        f"parmi les {len(classes)} classe(s) {year.label} de l'école « {school} » : inscrivez-la à la main."
    )


def plan_recap(table, year, action: Action, today: date | None = None) -> RecapPlan:
    """What importing ``table`` would do for ``action``; nothing is written."""
    columns, ignored = map_recap_headers(table.headers)
    plan = RecapPlan(columns, ignored)
    stored = {
        line.line_key: line
        for line in db.session.execute(select(PorteDisparuFederalLine).filter_by(school_year_id=year.id)).scalars()
    }
    seen_keys: dict[str, int] = {}
    seen_classes: dict[int, int] = {}
    day = _registration_day(action, today)
    for row in table.rows:
        values = {name: row.values.get(header, "").strip() for name, header in columns.items()}
        key = _line_key(values)
        line = RecapLine(row.line, values, key, UNMATCHED)
        plan.lines.append(line)
        if key in seen_keys:
            line.reason = f"ligne en double : identique à la ligne {seen_keys[key]}."
            continue
        seen_keys[key] = row.line
        before = stored.get(key)
        if before is not None and before.registration_id is not None:
            line.outcome, line.registration = ALREADY_IMPORTED, before.registration
            line.cooperative = before.cooperative
            continue
        pupils = values.get("pupils", "")
        if pupils and not pupils.isdigit():
            line.reason = f"effectif « {pupils} » illisible : un nombre entier est attendu."
            continue
        cooperative, reason = _find_cooperative(values)
        line.cooperative = cooperative
        if cooperative is None:
            line.reason = reason
            continue
        classroom, reason = _find_classroom(cooperative, year, values)
        if classroom is None:
            line.reason = reason
            continue
        line.classroom = classroom
        if classroom.id in seen_classes:
            line.reason = f"la classe « {classroom.name} » figure déjà à la ligne {seen_classes[classroom.id]}."
            continue
        seen_classes[classroom.id] = row.line
        existing = registrations.live_registration(action, cooperative, classroom)
        if existing is not None:
            line.outcome, line.registration = ALREADY_REGISTERED, existing
            continue
        refused = registrations.refusal_reasons(action, cooperative, classroom, today=day)
        if refused:
            line.reason = " ".join(refused)
            continue
        line.outcome = TO_REGISTER
    return plan


def apply_recap(plan: RecapPlan, year, action: Action, file_name: str, user_id: int | None = None, today: date | None = None) -> dict[str, int]:
    """Record the plan: the matched classes registered (retenue), every line kept. The caller commits (or rolls back)."""
    stored = {
        line.line_key: line
        for line in db.session.execute(select(PorteDisparuFederalLine).filter_by(school_year_id=year.id)).scalars()
    }
    day = _registration_day(action, today)
    done = {outcome: 0 for outcome in OUTCOMES}
    written: set[str] = set()
    for line in plan.lines:
        done[line.outcome] += 1
        if line.outcome == ALREADY_IMPORTED or line.key in written:
            continue
        registration = line.registration
        if line.outcome == TO_REGISTER:
            pupils = int(line.values["pupils"]) if line.values.get("pupils") else None
            registration = registrations.register(
                action, line.cooperative, line.classroom, pupils=pupils, notes=f"Récapitulatif de la fédération ({file_name}, ligne {line.line})",
                user_id=user_id, today=day, commit=False,
            )  # fmt: skip
            db.session.flush()
            registrations.accept_or_wait(registration, user_id=user_id, commit=False)
        record = stored.get(line.key)
        if record is None:
            record = PorteDisparuFederalLine(school_year_id=year.id, action_id=action.id, line_key=line.key)
            db.session.add(record)
            stored[line.key] = record
        written.add(line.key)
        values = line.values
        record.line_number = line.line
        record.file_name = file_name[:200]
        record.affiliation_number = values.get("affiliation_number", "")[:20] or None
        record.uai = values.get("uai", "")[:12] or None
        record.school_name = values.get("school_name", "")[:200] or None
        record.commune = values.get("commune", "")[:120] or None
        record.teacher = values.get("teacher", "")[:200] or None
        record.class_name = values.get("class_name", "")[:100] or None
        record.levels = values.get("levels", "")[:60] or None
        record.pupils = int(values["pupils"]) if values.get("pupils", "").isdigit() else None
        record.cooperative_id = line.cooperative.id if line.cooperative is not None else None
        record.registration_id = registration.id if registration is not None else None
        record.reason = line.reason[:1000] if line.outcome == UNMATCHED else None
    db.session.flush()
    return done


def read_recap(data: bytes, filename: str):
    """The uploaded recap as a table; SpreadsheetError (French) for a file too large or unreadable."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(f"« {filename} » dépasse {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo : un récapitulatif de la fédération est bien plus petit.")
    return read_table(data, filename)


def unmatched_lines(year) -> list[PorteDisparuFederalLine]:
    return list(
        db.session.execute(
            select(PorteDisparuFederalLine).filter_by(school_year_id=year.id, registration_id=None).order_by(PorteDisparuFederalLine.line_number)
        ).scalars()
    )


# --- demonstration ----------------------------------------------------------------------------

DEMO_KITS = (
    ("PD-K01", "Kit espèces menacées : l'ours polaire", "Fiche espèce\nPeluche ours polaire\n6 photos plastifiées\nLivret pédagogique"),
    ("PD-K02", "Kit espèces menacées : la tortue marine", "Fiche espèce\nMaquette tortue luth\n6 photos plastifiées\nLivret pédagogique"),
    ("PD-K03", "Kit espèces menacées : l'abeille noire", "Fiche espèce\nCadre de ruche pédagogique\n6 photos plastifiées\nLivret pédagogique"),
    ("PD-K04", "Kit espèces menacées : le grand hamster d'Alsace", "Fiche espèce\nPeluche hamster\n6 photos plastifiées\nLivret pédagogique"),
)
DEMO_TRUNK = ("PD-E01", "Malle Ecocoop", "12 albums sur l'environnement\nJeu coopératif « Sauvons la planète »\nLoupes x 6\nBoîtes à insectes x 6\nLivret d'accompagnement")
DEMO_REGISTRATIONS = 25


def ensure_demo_items() -> int:
    """The kits and the Ecocoop trunk, added when their code is missing; return how many were added."""
    from app.loans.models import LoanItem

    wanted = [(KIT_KIND, *kit) for kit in DEMO_KITS] + [(TRUNK_KIND, *DEMO_TRUNK)]
    have = set(db.session.execute(select(LoanItem.code).filter(LoanItem.code.in_([code for _k, code, _n, _c in wanted]))).scalars())
    added = 0
    for kind, code, name, checklist in wanted:
        if code not in have:
            db.session.add(LoanItem(kind=kind, code=code, name=name, checklist=checklist, location="Siège OCCE 02, Laon"))
            added += 1
    db.session.flush()
    return added


def _switch_on_previous_year(year) -> None:
    """The demonstration shows last year too (the dashboard compares): switch the plugin on for it.

    ``flask occe demo`` walks the years newest first and asks each year's
    plugins for their rows, so last year's rows come when it reaches that year.
    """
    from app.plugins.switches import current_manager, is_on, set_switch

    previous = get_year(previous_label(year.label))
    plugin = current_manager().get(CODE)
    if previous is not None and plugin is not None and not is_on(plugin, previous):
        set_switch(current_manager(), plugin, previous, True)


def add_demo(year) -> None:
    """The year's action, ~25 classes registered, the kits and the trunk, and an imported recap with 2 unmatched lines."""
    ensure_demo_items()
    action = ensure_year_action(year)
    if year.is_current:
        _switch_on_previous_year(year)
    if db.session.execute(select(Registration.id).filter_by(action_id=action.id).limit(1)).first():
        return
    rng = random.Random(f"porte-disparu-{year.label}")
    classes = list(
        db.session.execute(
            select(Classroom, Cooperative)
            .join(Cooperative, Cooperative.school_id == Classroom.school_id)
            .filter(Classroom.school_year_id == year.id, Cooperative.status == "active")
            .order_by(Classroom.id)
        ).all()
    )
    day = action.opens_on
    registered = []
    for classroom, cooperative in rng.sample(classes, min(DEMO_REGISTRATIONS, len(classes))):
        if registrations.live_registration(action, cooperative, classroom) is not None:
            continue
        registration = registrations.register(action, cooperative, classroom, today=day, notes="Démonstration", commit=False)
        db.session.flush()
        registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
        registered.append(registration)
    if db.session.execute(select(PorteDisparuFederalLine.id).filter_by(school_year_id=year.id).limit(1)).first():
        return
    lines = []
    for registration in registered[:8]:
        school = registration.cooperative.school
        lines.append(
            {
                "affiliation_number": registration.cooperative.affiliation_number, "uai": school.uai, "school_name": school.name,
                "commune": school.commune or "", "class_name": registration.classroom.name, "levels": registration.classroom.levels,
                "pupils": str(registration.classroom.pupils), "cooperative_id": registration.cooperative_id, "registration_id": registration.id, "reason": None,
            }
        )  # fmt: skip
    lines.append(
        {"affiliation_number": "029999", "uai": "0029999Z", "school_name": "École des Tilleuls", "commune": "Hirson", "class_name": "CE2",
         "levels": "CE2", "pupils": "24", "cooperative_id": None, "registration_id": None,
         "reason": "coopérative introuvable dans l'annuaire (n° d'affiliation « 029999 » et UAI « 0029999Z » inconnus)."}
    )  # fmt: skip
    lines.append(
        {"affiliation_number": "", "uai": "", "school_name": "École du Centre", "commune": "Vervins", "class_name": "CM1-CM2",
         "levels": "CM1-CM2", "pupils": "27", "cooperative_id": None, "registration_id": None,
         "reason": "ni n° d'affiliation ni UAI : impossible de retrouver la coopérative."}
    )  # fmt: skip
    for number, values in enumerate(lines, start=2):
        keyed = {name: values.get(name, "") for name in RECAP_FIELDS}
        db.session.add(
            PorteDisparuFederalLine(
                school_year_id=year.id, action_id=action.id, line_key=_line_key(keyed), line_number=number,
                file_name=f"recapitulatif-porte-disparu-{year.label}.xlsx",
                affiliation_number=values["affiliation_number"] or None, uai=values["uai"] or None, school_name=values["school_name"],
                commune=values["commune"] or None, class_name=values["class_name"], levels=values["levels"], pupils=int(values["pupils"]),
                cooperative_id=values["cooperative_id"], registration_id=values["registration_id"], reason=values["reason"],
            )
        )  # fmt: skip
    db.session.flush()
