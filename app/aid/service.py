"""The financial aid's workflow: request, commission decision, payment, project report.

Every step is a plain function over the database session that refuses an
impossible step with :class:`AidRefused` (a French sentence) and commits
when ``commit`` is true (the default). Action plugins call them directly; for
example the « Journées au musée de Chevregny » plugin creates one transport
aid per class, then records the decision and the payment::

    from app.aid import service as aid

    request = aid.create_request(coop, year, "Transport en bus au musée de Chevregny", Decimal("180.00"),
                                 classroom=classroom, kind=aid.TRANSPORT, description="Devis Cars Darche")
    aid.decide(request, Decimal("180.00"), date(2026, 3, 10), note="Prise en charge du transport")
    aid.pay(request, Decimal("180.00"), date(2026, 4, 2), aid.TRANSFER)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.aid.models import (
    ADJOURNED,
    AWAITING_DECISION,
    CHEQUE,
    GRANTED,
    KINDS,
    PAID,
    PAYMENT_METHODS,
    PROJECT,
    RECEIVED,
    REFUSED,
    REPORTED,
    STATUSES,
    TRANSFER,
    TRANSPORT,
    ZERO,
    AidRequest,
)
from app.extensions import db
from app.money import CENT, money

__all__ = [
    "ADJOURNED", "CHEQUE", "GRANTED", "PROJECT", "REFUSED", "TRANSFER", "TRANSPORT", "AidRefused", "create_request",
    "decide", "pay", "record_report", "totals", "money", "crfs_warning", "crfs_missing",
]  # fmt: skip


class AidRefused(ValueError):
    """A step of the aid's workflow the rules refuse, with a French reason."""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _amount(value, what: str) -> Decimal:
    """A positive amount in euros with at most two decimals, or AidRefused naming ``what``."""
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u202f", "")) if value is not None and str(value).strip() else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise AidRefused(_("Indiquez %(what)s en euros (par exemple 350,00).", what=what))
    if amount <= ZERO:
        raise AidRefused(_("%(what)s doit être supérieur à zéro.", what=what[:1].upper() + what[1:]))
    if amount != amount.quantize(CENT):
        raise AidRefused(_("%(what)s : deux décimales au plus (les centimes).", what=what[:1].upper() + what[1:]))
    if amount >= Decimal("100000000"):
        raise AidRefused(_("%(what)s est trop élevé.", what=what[:1].upper() + what[1:]))
    return amount


def _save(commit: bool, request: AidRequest | None = None) -> None:
    if request is not None and request.id is not None:
        request.version = (request.version or 0) + 1  # an edit form opened before this step is now stale
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def create_request(
    cooperative,
    year,
    title: str,
    amount_requested,
    *,
    classroom=None,
    kind: str = PROJECT,
    description: str = "",
    received_on: date | None = None,
    request_file=None,
    budget_file=None,
    commit: bool = True,
) -> AidRequest:
    """Record a request of ``cooperative`` in school year ``year`` (status « Reçue »).

    ``kind`` is ``PROJECT`` (« Projet coopératif ») or ``TRANSPORT``; ``classroom``
    (optional) must be a class of the cooperative's school in ``year``;
    ``request_file`` / ``budget_file`` are :class:`app.uploads.models.StoredFile`
    (a bus quote, a budget...) from :func:`app.uploads.service.store`.
    Raises :class:`AidRefused` in French.
    """
    if cooperative is None:
        raise AidRefused(_("Choisissez la coopérative qui demande l'aide."))
    if year is None:
        raise AidRefused(_("Aucune année scolaire n'est ouverte : ouvrez-en une avant d'enregistrer une demande."))
    title = (title or "").strip()
    if not title:
        raise AidRefused(_("Indiquez l'intitulé du projet."))
    if kind not in KINDS:
        raise AidRefused(_("Type d'aide inconnu : « %(kind)s ».", kind=kind))
    amount = _amount(amount_requested, _("le montant demandé"))
    check_classroom(cooperative, year, classroom)
    request = AidRequest(
        school_year_id=year.id,
        cooperative_id=cooperative.id,
        sector_id=cooperative.sector_id,
        classroom_id=classroom.id if classroom is not None else None,
        kind=kind,
        project_title=title[:200],
        project_description=(description or "").strip() or None,
        amount_requested=amount,
        received_on=received_on or date.today(),
        request_file=request_file,
        budget_file=budget_file,
        status=RECEIVED,
    )
    db.session.add(request)
    _save(commit)
    return request


def check_classroom(cooperative, year, classroom) -> None:
    """Refuse a class of another school or another year (AidRefused in French)."""
    if classroom is None:
        return
    if classroom.school_id != cooperative.school_id or (year is not None and classroom.school_year_id != year.id):
        raise AidRefused(
            _("La classe « %(classroom)s » n'est pas une classe de l'école de cette coopérative pour l'année choisie.", classroom=classroom.name)
        )


def decide(request: AidRequest, granted, on: date, note: str | None = None, *, decision: str = GRANTED, commit: bool = True) -> AidRequest:
    """Record the commission's decision on ``request``, taken on ``on``.

    ``decision`` is ``GRANTED`` (``granted`` euros, more than zero and at most the
    amount requested), ``REFUSED`` or ``ADJOURNED`` (``granted`` ignored; an
    adjourned request comes back to a later commission). Only a request
    awaiting decision (« Reçue » or « Ajournée ») can be decided.
    """
    if request.status not in AWAITING_DECISION:
        raise AidRefused(
            _("La commission a déjà statué sur cette demande (statut actuel : %(status)s).", status=request.status_label)
        )
    if decision not in (GRANTED, REFUSED, ADJOURNED):
        raise AidRefused(_("Décision inconnue : choisissez accorder, refuser ou ajourner."))
    if on is None:
        raise AidRefused(_("Indiquez la date de la commission."))
    if request.received_on and on < request.received_on:
        raise AidRefused(
            _("La commission (%(on)s) ne peut pas précéder la réception de la demande (%(received)s).", on=_day(on), received=_day(request.received_on))
        )
    if decision == GRANTED:
        amount = _amount(granted, _("le montant accordé"))
        if amount > request.amount_requested:
            raise AidRefused(
                _(
                    "Le montant accordé (%(granted)s) ne peut pas dépasser le montant demandé (%(requested)s).",
                    granted=money(amount),
                    requested=money(request.amount_requested),
                )
            )
        request.amount_granted = amount
    else:
        request.amount_granted = ZERO if decision == REFUSED else None
    request.status = decision
    request.commission_on = on
    request.decision_note = (note or "").strip() or None
    _save(commit, request)
    return request


def pay(request: AidRequest, amount, on: date, method: str, *, commit: bool = True) -> AidRequest:
    """Record the payment of a granted aid: ``amount`` (at most the amount granted) paid on ``on`` by ``method`` (CHEQUE or TRANSFER)."""
    if request.status == REFUSED:
        raise AidRefused(_("Impossible de verser une aide refusée par la commission."))
    if request.status in (PAID, REPORTED):
        raise AidRefused(_("Cette aide a déjà été versée le %(on)s.", on=_day(request.paid_on) if request.paid_on else "?"))
    if request.status != GRANTED:
        raise AidRefused(_("Seule une aide accordée par la commission peut être versée (statut actuel : %(status)s).", status=request.status_label))
    if method not in PAYMENT_METHODS:
        raise AidRefused(_("Choisissez le mode de versement : chèque ou virement."))
    if on is None:
        raise AidRefused(_("Indiquez la date du versement."))
    if request.commission_on and on < request.commission_on:
        raise AidRefused(_("Le versement (%(on)s) ne peut pas précéder la décision de la commission (%(decided)s).", on=_day(on), decided=_day(request.commission_on)))
    paid = _amount(amount, _("le montant versé"))
    if paid > request.amount_granted:
        raise AidRefused(
            _("Le montant versé (%(paid)s) ne peut pas dépasser le montant accordé (%(granted)s).", paid=money(paid), granted=money(request.amount_granted))
        )
    request.amount_paid = paid
    request.paid_on = on
    request.payment_method = method
    request.status = PAID
    _save(commit, request)
    return request


def record_report(request: AidRequest, on: date, note: str | None = None, *, report_file=None, commit: bool = True) -> AidRequest:
    """Record the project's report (bilan) received on ``on``, with an optional file (StoredFile). Only after the payment."""
    if request.status == REPORTED:
        raise AidRefused(_("Le bilan de ce projet a déjà été reçu le %(on)s.", on=_day(request.report_received_on) if request.report_received_on else "?"))
    if request.status != PAID:
        raise AidRefused(_("Le bilan du projet s'enregistre après le versement de l'aide (statut actuel : %(status)s).", status=request.status_label))
    if on is None:
        raise AidRefused(_("Indiquez la date de réception du bilan."))
    if request.paid_on and on < request.paid_on:
        raise AidRefused(_("Le bilan (%(on)s) ne peut pas précéder le versement (%(paid)s).", on=_day(on), paid=_day(request.paid_on)))
    request.report_received_on = on
    request.report_note = (note or "").strip() or None
    if report_file is not None:
        request.report_file = report_file
    request.status = REPORTED
    _save(commit, request)
    return request


def awaiting_decision(year) -> list[AidRequest]:
    """The requests of ``year`` the commission has still to decide on, oldest first."""
    query = select(AidRequest).filter(AidRequest.school_year_id == year.id, AidRequest.status.in_(AWAITING_DECISION))
    return list(db.session.execute(query.order_by(AidRequest.received_on, AidRequest.id)).scalars())


def totals(year=None, query=None) -> dict[str, Decimal | int]:
    """Requested / granted / paid sums and the count, over ``year`` or over the rows of a list's ``query``."""
    columns = (
        func.count(AidRequest.id),
        func.coalesce(func.sum(AidRequest.amount_requested), 0),
        func.coalesce(func.sum(case((AidRequest.status.in_((GRANTED, PAID, REPORTED)), AidRequest.amount_granted), else_=0)), 0),
        func.coalesce(func.sum(AidRequest.amount_paid), 0),
    )
    if query is None:
        row = db.session.execute(select(*columns).filter(AidRequest.school_year_id == year.id)).one()
    else:
        row = query.order_by(None).with_entities(*columns).one()
    count, requested, granted, paid = row
    return {"count": count, "requested": Decimal(requested), "granted": Decimal(granted), "paid": Decimal(paid)}


# --- the latest CRFS (app.accounts owns the rule) ----------------------------------


def crfs_warning(cooperative_id: int, year) -> str | None:
    """app.accounts' French warning when the cooperative's latest CRFS is missing (None when received)."""
    from app.accounts.service import crfs_warning as accounts_warning

    return accounts_warning(cooperative_id, year)


def crfs_missing(cooperative_ids, year) -> tuple[str | None, set[int]]:
    """The cooperatives whose latest CRFS is missing, for a whole page in two queries.

    Returns the label of the year the latest CRFS covers (None when that year is
    not in the database: nothing is then missing) and the ids without a received
    CRFS for it: the same rule as :func:`app.accounts.service.crfs_warning`.
    """
    from app.accounts.models import Crfs
    from app.accounts.service import previous_year

    ids = {cid for cid in cooperative_ids if cid is not None}
    if not ids or year is None:
        return None, set()
    before = previous_year(year)
    if before is None:
        return None, set()
    received = set(
        db.session.execute(
            select(Crfs.cooperative_id).filter(Crfs.school_year_id == before.id, Crfs.cooperative_id.in_(ids), Crfs.received_on.is_not(None))
        ).scalars()
    )
    return before.label, ids - received


def status_label(code: str) -> str:
    return STATUSES.get(code, code)
