"""The mail service: preview, queue, send, cancel. Every module sends its mail through it.

    from app.mail import service
    from app.mail.recipients import action_recipients

    recipients = action_recipients(action)                      # the classes retained
    service.preview("mail:message_action", recipients, {"title": ..., "message": ...})
    batch = service.queue("mail:message_action", recipients, {...}, label="...", module="defimaths")
    report = service.send_pending()                               # or `flask occe mail send`

Queueing renders one message per recipient and stores it « en attente »: the
outbox keeps what each person was sent. Sending opens one connection to the
backend (``OCCE_MAIL_BACKEND``) for the whole run. A message the server
refuses for now keeps « en attente » with the error and is tried again by the
next run, up to ``OCCE_MAIL_MAX_ATTEMPTS`` tries (then « échec »); a definite
refusal (5xx) is « échec » at once. When the server cannot be reached at
all, no try is counted: every message waits, with the error, for the next
run, so an outage of a week loses nothing.

Two runs at once (the button and the scheduled command) never send a message
twice: a run first claims the messages it will send (``claimed_by``); a claim
left by a run that died expires after :data:`CLAIM_TIMEOUT`. Outcomes are
committed every :data:`MARK_EVERY` messages: a run killed mid-way may send
its last few messages once more when their claim expires (at least once,
never lost).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, insert, or_, select, update

from app.actions.models import utcnow
from app.actions.service import current_user_id
from app.extensions import db
from app.mail.backends import MailError, backend_from_config, build_message, sender_address
from app.mail.models import CANCELLED, FAILED, PENDING, SENT, STATUSES, MailBatch, MailMessage
from app.mail.recipients import Recipient, RecipientList
from app.mail.rendering import MailTemplateError, RegisteredTemplate, Rendered, compile_template, find_template, french_date, render

CLAIM_TIMEOUT = timedelta(minutes=15)
#: messages claimed (and read) at a time by a sending run
CHUNK = 100
#: outcomes recorded per commit while sending (see _Marker)
MARK_EVERY = 20
#: messages sent by one click on « Envoyer maintenant » (the scheduled command sends the rest)
WEB_SEND_LIMIT = 1000

ASKED_FIELDS = {"title": "l'objet", "message": "le message"}
#: the per-recipient names, None when a recipient has none (a cooperative registered as a whole has no class)
PERSONAL_NAMES = ("action", "cooperative", "school", "mandataire", "classroom", "teacher")


# --- rendering ------------------------------------------------------------------------------


def resolve(template: RegisteredTemplate | str, year=None) -> RegisteredTemplate:
    if isinstance(template, RegisteredTemplate):
        return template
    found = find_template(template, year)
    if found is None:
        raise MailTemplateError(f"Modèle de courriel introuvable « {template} » (son module est-il actif cette année ?).")
    return found


def _year(year):
    if year is not None:
        return year
    from app.years.context import viewed_year

    return viewed_year()


def proposals_context(year) -> list[dict]:
    from app.actions.catalogue import august_proposals

    return [
        {
            "name": p.action.name,
            "description": p.action.description or "",
            "module": p.plugin_label,
            "opens_on": french_date(p.opens_on),
            "closes_on": french_date(p.closes_on),
            "capacity": p.action.capacity,
        }
        for p in august_proposals(year)
    ]


def shared_context(year, extras: dict | None = None) -> dict:
    """What every message of a mailing shares: the association, the year, the proposals, the staff's words, the extras."""
    config = current_app.config
    context = {
        "association": {
            "name": config.get("ASSOCIATION_NAME", "OCCE"),
            "department_number": config.get("DEPARTMENT_NUMBER", ""),
            "department_name": config.get("DEPARTMENT_NAME", ""),
        },
        "year": year.label if year is not None else "",
        "proposals": proposals_context(year) if year is not None else [],
        "title": "",
        "message": "",
        # what a recipient may lack: a template tests them with {% if classroom %}
        **{name: None for name in PERSONAL_NAMES},
        "classrooms": [],
        "recipient": {"name": "", "email": ""},
        "greeting": "Bonjour,",
    }
    context.update({key: value for key, value in (extras or {}).items() if value is not None})
    return context


def asked_problems(registered: RegisteredTemplate, extras: dict | None) -> list[str]:
    """The fields the template asks for that the staff left empty, in French."""
    extras = extras or {}
    return [
        f"Remplissez {ASKED_FIELDS[name]} : le modèle « {registered.label} » l'utilise."
        for name in registered.template.asks
        if not str(extras.get(name) or "").strip()
    ]


def _recipients(recipients: RecipientList | Sequence[Recipient]) -> RecipientList:
    return recipients if isinstance(recipients, RecipientList) else RecipientList(list(recipients))


def render_all(registered: RegisteredTemplate, recipients: RecipientList, extras: dict | None, year) -> list[Rendered]:
    """Every personalised message; raises MailTemplateError (French) on the first that cannot be rendered."""
    problems = asked_problems(registered, extras)
    if problems:
        raise MailTemplateError(" ".join(problems))
    compiled = compile_template(registered)
    shared = shared_context(year, extras)
    return [render(registered, {**shared, **recipient.context}, compiled) for recipient in recipients.recipients]


@dataclass
class Preview:
    template: RegisteredTemplate
    total: int
    samples: list[tuple[Recipient, Rendered]]
    missing: list[str]
    merged: int


def preview(template: RegisteredTemplate | str, recipients: RecipientList | Sequence[Recipient], extras: dict | None = None, *, year=None, count: int = 3) -> Preview:
    """The first ``count`` personalised messages and the number to send; nothing is stored.

    Every message is rendered, so a template error met by any recipient shows
    here (MailTemplateError), not when confirming.
    """
    year = _year(year)
    registered = resolve(template, year)
    recipients = _recipients(recipients)
    rendered = render_all(registered, recipients, extras, year)
    samples = list(zip(recipients.recipients[:count], rendered[:count], strict=True))
    return Preview(registered, len(rendered), samples, list(recipients.missing), recipients.merged)


def queue(
    template: RegisteredTemplate | str,
    recipients: RecipientList | Sequence[Recipient],
    extras: dict | None = None,
    *,
    label: str | None = None,
    module: str | None = None,
    year=None,
    user_id: int | None = None,
    commit: bool = True,
) -> MailBatch:
    """Render one message per recipient and store them « en attente » as one batch.

    Raises MailTemplateError (nothing stored) when a message cannot be
    rendered, ValueError when no recipient has an address.
    """
    year = _year(year)
    registered = resolve(template, year)
    recipients = _recipients(recipients)
    rendered = render_all(registered, recipients, extras, year)
    if not rendered:
        raise ValueError("Aucun destinataire n'a d'adresse de courriel : rien n'a été mis en file d'attente.")
    user_id = user_id if user_id is not None else current_user_id()
    now = utcnow()
    batch = MailBatch(
        label=(label or registered.label)[:200],
        module=(module or registered.module)[:40],
        template=registered.key[:80],
        created_at=now,
        created_by_id=user_id,
        queued_count=len(rendered),
        missing_count=len(recipients.missing),
        pending_count=len(rendered),
    )
    db.session.add(batch)
    db.session.flush()
    rows = [
        {
            "batch_id": batch.id,
            "module": batch.module,
            "template": batch.template,
            "recipient_email": recipient.email,
            "recipient_name": (recipient.name or None) and recipient.name[:200],
            "cooperative_id": recipient.cooperative_id,
            "subject": message.subject,
            "body_text": message.body_text,
            "body_html": message.body_html,
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
            "created_by_id": user_id,
        }
        for recipient, message in zip(recipients.recipients, rendered, strict=True)
    ]
    # Core executemany: hundreds of rows in one round trip; the batch row itself is in the history.
    db.session.execute(insert(MailMessage), rows)
    if commit:
        db.session.commit()
    return batch


def relay_to_action(action, subject: str, message: str, *, module: str, label: str, user_id: int | None = None, extras: dict | None = None):
    """Queue a federal mail, personalised, to the live registrations of ``action`` (core template « relais_federal »).

    Every plugin relaying the federation's mails calls this. Returns ``(batch, None)``,
    or ``(None, reason)`` in French when nobody registered has an address. The caller commits.
    """
    from app.actions.models import ACTIVE_STATUSES
    from app.mail.core_templates import FEDERAL_RELAY
    from app.mail.recipients import action_recipients

    recipients = action_recipients(action, ACTIVE_STATUSES)
    if not recipients.recipients:
        return None, "rien n'a été envoyé : aucun inscrit n'a d'adresse de courriel."
    extras = {"title": subject, "message": message, **(extras or {})}
    batch = queue(f"mail:{FEDERAL_RELAY}", recipients, extras, label=label, module=module, year=action.school_year, user_id=user_id, commit=False)
    return batch, None


def queued_messages(batch: MailBatch | None, reason: str | None) -> list[tuple[str, str]]:
    """What a page flashes after queueing a relay: ``(message, category)`` pairs in French."""
    if batch is None:
        return [(f"Courriel noté ; {reason}", "warning")]
    found = [(f"{batch.queued_count} courriel(s) personnalisé(s) mis en file d'attente (Courriels › Boîte d'envoi).", "success")]
    if batch.missing_count:
        found.append((f"{batch.missing_count} inscrit(s) sans adresse de courriel ne le recevront pas.", "warning"))
    return found


def refresh_counts(batch_ids: Iterable[int | None]) -> None:
    """Recount where each batch's messages stand (one statement; counts never drift). The caller commits."""
    ids = sorted({batch_id for batch_id in batch_ids if batch_id is not None})
    if not ids:
        return

    def counted(*statuses):
        return (
            select(func.count(MailMessage.id))
            .filter(MailMessage.batch_id == MailBatch.id, MailMessage.status.in_(statuses))
            .scalar_subquery()
        )

    db.session.execute(
        update(MailBatch)
        .filter(MailBatch.id.in_(ids))
        .values(pending_count=counted(PENDING), sent_count=counted(SENT), failed_count=counted(FAILED))
        .execution_options(synchronize_session=False)
    )


# --- sending ----------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    #: refused for now, still « en attente » (tried again by the next run)
    retry: int = 0
    #: given up: « échec »
    failed: int = 0
    #: the server could not be reached (nothing more was tried), in French
    error: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retry + self.failed

    def summary(self) -> str:
        parts = [f"{self.sent} courriel(s) envoyé(s)"]
        if self.retry:
            parts.append(f"{self.retry} à réessayer")
        if self.failed:
            parts.append(f"{self.failed} en échec")
        text = ", ".join(parts) + "."
        if self.error:
            text += f" Envoi interrompu : {self.error} Les courriels restent en attente."
        return text


def _free():
    return or_(MailMessage.claimed_by.is_(None), MailMessage.claimed_at < utcnow() - CLAIM_TIMEOUT)


def _claim(token: str, size: int) -> list:
    """Claim up to ``size`` of the oldest pending messages for this run, commit, and read them."""
    candidates = select(MailMessage.id).filter(MailMessage.status == PENDING, _free()).order_by(MailMessage.id).limit(size)
    db.session.execute(
        update(MailMessage)
        .filter(MailMessage.id.in_(candidates), MailMessage.status == PENDING, _free())
        .values(claimed_by=token, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    columns = MailMessage.__table__.c
    query = (
        select(columns.id, columns.recipient_email, columns.recipient_name, columns.subject, columns.body_text, columns.body_html, columns.attempts)
        .filter(columns.claimed_by == token, columns.status == PENDING, columns.sent_at.is_(None))
        .order_by(columns.id)
    )
    rows = db.session.execute(query).all()
    db.session.commit()
    return rows


class _Marker:
    """Records each message's outcome, committing every :data:`MARK_EVERY` messages or every second.

    A commit per message would cost an fsync per message on SQLite (about 70
    mails/s at best); grouping keeps the write lock short and the rate high.
    If the process dies between two commits, those few messages (already
    handed over) stay claimed, then pending: they may be sent once more after
    the claim expires. Nothing is ever lost.
    """

    def __init__(self):
        self.unsaved = 0
        self.sent: list[int] = []
        self.last = time.monotonic()

    def mark(self, message_id: int, **values) -> None:
        """A failure: its own attempts and error."""
        db.session.execute(update(MailMessage).filter(MailMessage.id == message_id).values(**values).execution_options(synchronize_session=False))
        self._count()

    def mark_sent(self, message_id: int) -> None:
        """A success: written with the others of the group, in one statement."""
        self.sent.append(message_id)
        self._count()

    def _count(self) -> None:
        self.unsaved += 1
        if self.unsaved >= MARK_EVERY or time.monotonic() - self.last > 1:
            self.commit()

    def commit(self) -> None:
        if self.sent:
            db.session.execute(
                update(MailMessage)
                .filter(MailMessage.id.in_(self.sent))
                .values(status=SENT, sent_at=utcnow(), attempts=MailMessage.attempts + 1, last_error=None)
                .execution_options(synchronize_session=False)
            )
            self.sent = []
        if self.unsaved:
            db.session.commit()
        self.unsaved, self.last = 0, time.monotonic()


def _release(token: str) -> None:
    """End a run: recount its batches, free its claims."""
    db.session.rollback()
    batches = db.session.execute(select(MailMessage.batch_id).filter(MailMessage.claimed_by == token).distinct()).scalars()
    refresh_counts(list(batches))
    db.session.execute(
        update(MailMessage).filter(MailMessage.claimed_by == token).values(claimed_by=None, claimed_at=None).execution_options(synchronize_session=False)
    )
    db.session.commit()


def send_pending(limit: int | None = None, *, backend=None) -> SendReport:
    """Send the pending messages, oldest first, through one connection; return what happened."""
    config = current_app.config
    backend = backend or backend_from_config(config, current_app.instance_path)
    sender = sender_address(config.get("OCCE_MAIL_FROM", ""))
    max_attempts = max(1, int(config.get("OCCE_MAIL_MAX_ATTEMPTS", 5)))
    token = uuid.uuid4().hex
    report = SendReport()
    opened = False
    handled_ids: set[int] = set()
    marker = _Marker()
    try:
        while limit is None or report.handled < limit:
            size = CHUNK if limit is None else min(CHUNK, limit - report.handled)
            rows = [row for row in _claim(token, size) if row.id not in handled_ids]
            if not rows:
                break
            if not opened:
                try:
                    backend.open()
                except MailError as exc:
                    report.error = str(exc)
                    db.session.execute(
                        update(MailMessage)
                        .filter(MailMessage.claimed_by == token, MailMessage.status == PENDING)
                        .values(last_error=str(exc))
                        .execution_options(synchronize_session=False)
                    )
                    db.session.commit()
                    break
                opened = True
            for row in rows:
                handled_ids.add(row.id)
                outcome = _send_one(backend, sender, row, max_attempts, report, marker)
                if outcome == "connection":
                    break
            marker.commit()
            if report.error:
                break
    finally:
        if opened:
            backend.close()
        try:
            marker.commit()
        finally:
            _release(token)
    return report


def _send_one(backend, sender, row, max_attempts: int, report: SendReport, marker: _Marker) -> str:
    attempts = (row.attempts or 0) + 1
    try:
        message = build_message(
            sender=sender, to_email=row.recipient_email, to_name=row.recipient_name or "", subject=row.subject,
            body_text=row.body_text, body_html=row.body_html, message_id=row.id,
        )  # fmt: skip
        backend.send(message, row.id)
    except MailError as exc:
        final = exc.permanent or attempts >= max_attempts
        marker.mark(row.id, attempts=attempts, last_error=str(exc), status=FAILED if final else PENDING)
        report.errors.append(f"{row.recipient_email} : {exc}")
        if final:
            report.failed += 1
        else:
            report.retry += 1
        if exc.connection:
            report.error = str(exc)
            return "connection"
        return "failed"
    except (ValueError, TypeError, UnicodeError, IndexError) as exc:
        error = f"Message impossible à construire (adresse ou objet invalide) : {exc}."
        marker.mark(row.id, attempts=attempts, last_error=error, status=FAILED)
        report.errors.append(f"{row.recipient_email} : {error}")
        report.failed += 1
        return "failed"
    marker.mark_sent(row.id)
    report.sent += 1
    return "sent"


# --- the outbox -------------------------------------------------------------------------------


def cancel(message_ids: Iterable[int]) -> int:
    """Cancel pending messages (the others are left as they are); return how many. The caller commits."""
    ids = list(message_ids)
    if not ids:
        return 0
    result = db.session.execute(
        update(MailMessage)
        .filter(MailMessage.id.in_(ids), MailMessage.status == PENDING)
        .values(status=CANCELLED, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    refresh_counts(_batches_of(ids))
    return result.rowcount


def cancel_batch(batch_id: int) -> int:
    ids = db.session.execute(select(MailMessage.id).filter(MailMessage.batch_id == batch_id, MailMessage.status == PENDING)).scalars()
    return cancel(list(ids))


def retry(message_ids: Iterable[int]) -> int:
    """Put failed or cancelled messages back « en attente », for new tries; return how many. The caller commits."""
    ids = list(message_ids)
    if not ids:
        return 0
    result = db.session.execute(
        update(MailMessage)
        .filter(MailMessage.id.in_(ids), MailMessage.status.in_((FAILED, CANCELLED)))
        .values(status=PENDING, attempts=0, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    refresh_counts(_batches_of(ids))
    return result.rowcount


def _batches_of(message_ids: list[int]) -> list[int]:
    return list(db.session.execute(select(MailMessage.batch_id).filter(MailMessage.id.in_(message_ids)).distinct()).scalars())


def counts_by_status(batch_id: int | None = None) -> dict[str, int]:
    query = select(MailMessage.status, func.count(MailMessage.id)).group_by(MailMessage.status)
    if batch_id is not None:
        query = query.filter(MailMessage.batch_id == batch_id)
    found = dict(db.session.execute(query).all())
    return {status: found.get(status, 0) for status in STATUSES}


# --- GDPR -------------------------------------------------------------------------------------

ERASED_ADDRESS = "effacee@anonyme.invalid"


def messages_to(email: str | None) -> list[dict]:
    """The mails sent (or to send) to ``email``, for a person's GDPR export."""
    if not email:
        return []
    query = select(MailMessage).filter(func.lower(MailMessage.recipient_email) == email.strip().lower()).order_by(MailMessage.id)
    return [
        {"préparé_le": m.created_at.isoformat(), "statut": STATUSES.get(m.status, m.status), "objet": m.subject, "texte": m.body_text}
        for m in db.session.execute(query).scalars()
    ]


def forget_address(email: str | None) -> int:
    """Erase from the outbox what identifies the person at ``email`` (address, name, subject, text); keep the counts.

    Pending messages to them are cancelled. The caller commits; returns how many messages were erased.
    """
    if not email:
        return 0
    match = func.lower(MailMessage.recipient_email) == email.strip().lower()
    batches = list(db.session.execute(select(MailMessage.batch_id).filter(match).distinct()).scalars())
    db.session.execute(update(MailMessage).filter(match, MailMessage.status == PENDING).values(status=CANCELLED).execution_options(synchronize_session=False))
    result = db.session.execute(
        update(MailMessage)
        .filter(match)
        .values(recipient_email=ERASED_ADDRESS, recipient_name=None, subject="(effacé : personne anonymisée)", body_text="", body_html=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    refresh_counts(batches)
    return result.rowcount
