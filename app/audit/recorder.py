"""Records a history row for each object added, changed or deleted during a request.

Listens to every SQLAlchemy session flush. Only changes made in a request by
a signed-in person are recorded (the demo loader and migrations are not);
bulk imports, which bypass the ORM, record one summary row with
:func:`record`. Secrets (password hashes, API keys) are never copied.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry

ADDED, CHANGED, DELETED = "ajout", "modification", "suppression"
SECRET_COLUMNS = {"password", "api_key", "key_hash", "registration_hash"}
IGNORED_TABLES = {AuditEntry.__tablename__, "ab_permission_view_role", "ab_view_menu", "ab_permission", "ab_permission_view"}
#: Columns that change on every login and say nothing about what a person did.
NOISE_COLUMNS = {"last_login", "login_count", "fail_login_count", "changed_on", "changed_by_fk", "version"}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"{len(value)} octets"  # an uploaded file's content: its size says enough
    return str(value)


def _current_user_id() -> int | None:
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", False) else None


def _row_id(state) -> str:
    # A new row's identity key is only set after the flush ends; its primary key is already there.
    key = state.mapper.primary_key_from_instance(state.obj())
    return ",".join(str(part) for part in key if part is not None)


def _changes(state, action: str) -> dict:
    result = {}
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if key in SECRET_COLUMNS or key in NOISE_COLUMNS:
            continue
        history = state.attrs[key].history
        if action == ADDED:
            value = state.attrs[key].value
            if value is not None:
                result[key] = _plain(value)
        elif action == DELETED:
            value = (history.unchanged or history.deleted or [None])[0]
            if value is not None:
                result[key] = _plain(value)
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                result[key] = [_plain(before), _plain(after)]
    return result


def _entries(session: Session) -> list[dict]:
    user_id = _current_user_id()
    entries = []
    for action, objects in ((ADDED, session.new), (CHANGED, session.dirty), (DELETED, session.deleted)):
        for obj in objects:
            state = inspect(obj)
            table = getattr(state.mapper.local_table, "name", None)
            if table is None or table in IGNORED_TABLES:
                continue
            changes = _changes(state, action)
            if action == CHANGED and not changes:
                continue
            entries.append(
                {
                    "happened_on": datetime.now(),
                    "user_id": user_id,
                    "action": action,
                    "table_name": table,
                    "row_id": _row_id(state),
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                }
            )
    return entries


@event.listens_for(Session, "after_flush")
def _record_flush(session: Session, flush_context) -> None:
    if _current_user_id() is None:
        return
    entries = _entries(session)
    if entries:
        session.connection().execute(insert(AuditEntry), entries)


def record(action: str, table_name: str, summary: str, row_id: str = "") -> None:
    """A history row for a change made outside the ORM (an import). The caller commits."""
    from app.extensions import db

    db.session.execute(
        insert(AuditEntry),
        [{"happened_on": datetime.now(), "user_id": _current_user_id(), "action": action, "table_name": table_name, "row_id": row_id, "changes": summary}],
    )
