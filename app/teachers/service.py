"""Teachers' links: issue, resolve, revoke; what the public page shows and records.

The URL carries ``itsdangerous``-signed ``[link id, secret part]`` (the
application's ``SECRET_KEY``, salt :data:`SALT`). The secret part is
``HMAC(SECRET_KEY, nonce)``; the row keeps the nonce and ``sha256(secret part)``.
Resolving checks, in order: the signature (a forged or altered token is
« unknown »: 404), the row and the hash, compared in constant time (a
signed token whose hash no longer matches is an older link replaced by a
new one: « revoked »), the revocation, then the expiry (« expired »: 410).

Changing ``SECRET_KEY`` kills every link (re-issue them from the staff page).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import date, datetime

from flask import current_app, has_request_context, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from app.actions.models import Action, utcnow
from app.extensions import db
from app.teachers.models import TeacherLink

SALT = "occe-teachers-link-v1"
EXPIRED, REVOKED, UNKNOWN = "expired", "revoked", "unknown"


class LinkProblem(Exception):
    """A link that opens nothing; ``kind`` is expired, revoked or unknown, ``message`` is French."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.message = message
        self.kind = kind

    @property
    def status(self) -> int:
        return 404 if self.kind == UNKNOWN else 410


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _secret_part(nonce: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{SALT}:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_of(link: TeacherLink) -> str:
    return _serializer().dumps([link.id, _secret_part(link.nonce)])


PUBLIC_PREFIX = "/enseignants"


def path_of(link: TeacherLink) -> str:
    """``/enseignants/<token>``; works outside a request too (a mailing run from the command line)."""
    if has_request_context():
        return url_for("teachers_public.page", token=token_of(link))
    return f"{PUBLIC_PREFIX}/{token_of(link)}"


def base_url() -> str:
    """``OCCE_PUBLIC_URL`` (the address teachers reach, e.g. https://console.occe02.fr) when set,
    else the address of the current request, else http://localhost."""
    configured = (current_app.config.get("OCCE_PUBLIC_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost"


def absolute_url_of(link: TeacherLink) -> str:
    path = path_of(link)
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root):]
    return base_url() + (request.script_root if has_request_context() else "") + path


# --- expiry -----------------------------------------------------------------------------------


def expiry_for(year) -> date:
    """The end of the registration period: ``OCCE_TEACHER_LINKS_UNTIL`` (YYYY-MM-DD) when set,
    else the latest closing date of the year's actions, else the year's last day."""
    configured = current_app.config.get("OCCE_TEACHER_LINKS_UNTIL")
    if configured:
        return configured if isinstance(configured, date) else date.fromisoformat(str(configured))
    latest = db.session.execute(select(func.max(Action.closes_on)).filter(Action.school_year_id == year.id)).scalar_one()
    return latest or year.end_date


# --- issuing ------------------------------------------------------------------------------------


def _renew(link: TeacherLink, expires_on: date) -> None:
    link.nonce = secrets.token_hex(16)
    link.token_hash = _hash(_secret_part(link.nonce))
    link.created_at = utcnow()
    link.expires_on = expires_on
    link.revoked_at = None
    link.revoked_by_id = None
    link.last_used_at = None


def ensure_link(cooperative, year, *, expires_on: date | None = None) -> tuple[TeacherLink, bool]:
    """The live link of ``cooperative`` for ``year``, made (or re-made after a revocation) when needed.

    Returns ``(link, changed)``. A live link keeps its token; its expiry only moves later.
    Flushes, never commits.
    """
    expires_on = expires_on or expiry_for(year)
    link = db.session.execute(
        select(TeacherLink).filter(TeacherLink.cooperative_id == cooperative.id, TeacherLink.school_year_id == year.id)
    ).scalar_one_or_none()
    if link is None:
        link = TeacherLink(cooperative_id=cooperative.id, school_year_id=year.id)
        _renew(link, expires_on)
        db.session.add(link)
        db.session.flush()
        return link, True
    if link.revoked_at is not None:
        _renew(link, expires_on)
        db.session.flush()
        return link, True
    if link.expires_on < expires_on:
        link.expires_on = expires_on
        return link, True
    return link, False


def issue_link(cooperative, year, *, commit: bool = True) -> str:
    """The path (``/enseignants/<token>``) of the cooperative's live link, issued when missing or revoked."""
    link, changed = ensure_link(cooperative, year)
    if changed and commit:
        db.session.commit()
    return path_of(link)


def proposal_link_for(cooperative, year, *, commit: bool = True) -> str:
    """The absolute URL the end-of-August proposals mail gives the cooperative (issued when missing)."""
    link, changed = ensure_link(cooperative, year)
    if changed and commit:
        db.session.commit()
    return absolute_url_of(link)


def links_for(cooperatives: Iterable, year, *, absolute: bool = True, commit: bool = True) -> dict[int, str]:
    """``{cooperative id: URL}`` for many cooperatives at once (the proposals mailing): one query
    for the existing links, one insert per missing one, one commit."""
    cooperatives = list(cooperatives)
    expires_on = expiry_for(year)
    ids = [c.id if not isinstance(c, int) else c for c in cooperatives]
    existing = {
        link.cooperative_id: link
        for link in db.session.execute(
            select(TeacherLink).filter(TeacherLink.school_year_id == year.id, TeacherLink.cooperative_id.in_(ids))
        ).scalars()
    }
    changed = False
    for coop_id in ids:
        link = existing.get(coop_id)
        if link is None:
            link = TeacherLink(cooperative_id=coop_id, school_year_id=year.id)
            _renew(link, expires_on)
            db.session.add(link)
            existing[coop_id] = link
            changed = True
        elif link.revoked_at is not None:
            _renew(link, expires_on)
            changed = True
        elif link.expires_on < expires_on:
            link.expires_on = expires_on
            changed = True
    if changed:
        db.session.flush()
        if commit:
            db.session.commit()
    make = absolute_url_of if absolute else path_of
    return {coop_id: make(existing[coop_id]) for coop_id in ids}


def create_missing(year, *, commit: bool = True, with_last_year: bool = True) -> int:
    """Issue a link for every active cooperative of ``year`` (a member this year, or the last one as the
    proposals mailing counts them) that has none (or a revoked one); returns how many were made."""
    from app.directory.models import Cooperative, Membership
    from app.mail.recipients import previous_year

    years = [year.id]
    before = previous_year(year) if with_last_year else None
    if before is not None:
        years.append(before.id)
    members = select(Membership.cooperative_id).filter(Membership.school_year_id.in_(years))
    live = select(TeacherLink.cooperative_id).filter(TeacherLink.school_year_id == year.id, TeacherLink.revoked_at.is_(None))
    ids = list(
        db.session.execute(
            select(Cooperative.id).filter(Cooperative.status == "active", Cooperative.id.in_(members), Cooperative.id.not_in(live)).order_by(Cooperative.id)
        ).scalars()
    )
    if ids:
        links_for(ids, year, absolute=False, commit=commit)
    return len(ids)


def revoke(link: TeacherLink, user_id: int | None, *, commit: bool = True) -> bool:
    """Kill ``link`` at once; returns False when it was already revoked."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    link.revoked_by_id = user_id
    if commit:
        db.session.commit()
    return True


# --- resolving ----------------------------------------------------------------------------------

UNKNOWN_MESSAGE = "Ce lien n'existe pas. Vérifiez qu'il a été copié en entier depuis le courriel de l'OCCE."
REVOKED_MESSAGE = (
    "Ce lien a été désactivé par l'OCCE (un nouveau lien a pu être envoyé à votre école). "
    "Demandez-le à votre mandataire ou écrivez à l'association."
)
EXPIRED_MESSAGE = "Ce lien a expiré le %s : la période d'inscription est terminée. Pour une demande tardive, écrivez à l'association."


def resolve(token: str, today: date | None = None) -> TeacherLink:
    """The live link behind ``token``, or raise :class:`LinkProblem`. Changes nothing."""
    try:
        link_id, secret = _serializer().loads(token)
        link_id = int(link_id)
        secret = str(secret)
    except (BadSignature, TypeError, ValueError):
        raise LinkProblem(UNKNOWN_MESSAGE, UNKNOWN) from None
    link = db.session.get(TeacherLink, link_id)
    if link is None:
        raise LinkProblem(UNKNOWN_MESSAGE, UNKNOWN)
    if not hmac.compare_digest(_hash(secret), link.token_hash):
        # signed by us, but no longer the row's secret: an older link, replaced after a revocation
        raise LinkProblem(REVOKED_MESSAGE, REVOKED)
    if link.revoked_at is not None:
        raise LinkProblem(REVOKED_MESSAGE, REVOKED)
    if link.expires_on < (today or date.today()):
        raise LinkProblem(EXPIRED_MESSAGE % f"{link.expires_on:%d/%m/%Y}", EXPIRED)
    return link


def touch(link: TeacherLink) -> None:
    """Record the visit (the only write a GET makes), at most once a minute."""
    now = utcnow()
    if link.last_used_at is None or (now - link.last_used_at).total_seconds() >= 60:
        db.session.execute(TeacherLink.__table__.update().where(TeacherLink.id == link.id).values(last_used_at=now))
        db.session.commit()


def demo_links(year) -> int:
    """Links for the demo cooperatives affiliated in ``year`` (idempotent, whatever order the years are loaded in)."""
    return create_missing(year, with_last_year=False)


def utc_to_local(value: datetime | None) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if value else ""
