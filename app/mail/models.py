"""The outbox: every mail the console sends is first a row here, then handed to the backend.

A mailing (:class:`MailBatch`) is rendered once per recipient when it is
queued; each personalised message (:class:`MailMessage`) keeps its own
subject and body, so what was sent can always be read again. Nothing is lost
when the mail server is down: a message stays « en attente » with the error
and is tried again by the next send, up to ``OCCE_MAIL_MAX_ATTEMPTS``.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from app.actions.models import utcnow
from app.extensions import db

PENDING = "en_attente"
SENT = "envoye"
FAILED = "echec"
CANCELLED = "annule"

STATUSES = {PENDING: "En attente", SENT: "Envoyé", FAILED: "Échec", CANCELLED: "Annulé"}


class MailBatch(db.Model):
    """One mailing: a template sent to a list of recipients at once."""

    __tablename__ = "occe_mail_batch"

    id = Column(Integer, primary_key=True)
    label = Column(String(200), nullable=False)
    module = Column(String(40), nullable=False)
    template = Column(String(80), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))
    #: messages queued, and recipients left out because they have no address
    queued_count = Column(Integer, nullable=False, default=0)
    missing_count = Column(Integer, nullable=False, default=0)
    #: where the messages stand, recounted by each sending run, cancel and retry (see service.refresh_counts)
    pending_count = Column(Integer, nullable=False, default=0)
    sent_count = Column(Integer, nullable=False, default=0)
    failed_count = Column(Integer, nullable=False, default=0)

    created_by = relationship(User, lazy="select")

    def __str__(self) -> str:
        return f"{self.label} ({self.created_at:%d/%m/%Y %H:%M})" if self.created_at else self.label


class MailMessage(db.Model):
    """One personalised message of the outbox."""

    __tablename__ = "occe_mail_message"
    __table_args__ = (
        # the sender picks the oldest pending messages; the outbox lists by status, newest first
        Index("ix_occe_mail_message_status_id", "status", "id"),
        Index("ix_occe_mail_message_status_created", "status", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    batch_id = Column(Integer, ForeignKey("occe_mail_batch.id"), index=True)
    module = Column(String(40), nullable=False)
    template = Column(String(80), nullable=False)
    recipient_email = Column(String(200), nullable=False, index=True)
    recipient_name = Column(String(200))
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), index=True)
    subject = Column(String(300), nullable=False)
    body_text = Column(Text, nullable=False)
    body_html = Column(Text)
    status = Column(String(12), nullable=False, default=PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    sent_at = Column(DateTime)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))
    #: a sender run holding this message (two runs at once never send it twice); expires
    claimed_by = Column(String(32))
    claimed_at = Column(DateTime)

    batch = relationship("MailBatch", lazy="joined")
    # shown on the message's page only: the outbox list never loads them
    cooperative = relationship("Cooperative", lazy="select")
    created_by = relationship(User, lazy="select", foreign_keys=[created_by_id])

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def recipient(self) -> str:
        return f"{self.recipient_name} <{self.recipient_email}>" if self.recipient_name else self.recipient_email

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_email}"
