"""Audit trail written in the same transaction as the change it records.

Every flush that inserts, updates or deletes an audited ORM object writes one `audit_events` row per object,
with the changed fields before and after. Services name the business action when it says more than the
row change (`audit.label(session, request, "support_request.validated", note=reason)`); events that change
no row (an export, a failed check) are written with `audit.record(...)`. Bulk paths that bypass the ORM
write their rows with `audit.record_many(...)`.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from api.core import clock
from api.core.actor import ANONYMOUS, Actor
from api.models.audit import AuditEvent
from api.models.base import Base
from api.models.changes import ChangeEvent

_LABELS = "audit_labels"
REDACTED = "***"


def bind_actor(session: AsyncSession | Session, actor: Actor) -> None:
    """Attach the caller to the session so every audit row of this unit of work names them."""
    session.info["actor"] = actor


def label(session: AsyncSession, record: Base, action: str, *, note: str | None = None) -> None:
    """Name the business action that the next flush of `record` performs (instead of `<table>.update`)."""
    session.info.setdefault(_LABELS, {})[id(record)] = (action, note)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


def _record_id(obj: Base) -> str | None:
    state = inspect(obj)
    # A row inserted by this flush has no identity key yet (it is assigned after after_flush): read its key.
    identity = state.identity or state.mapper.primary_key_from_instance(obj)
    if identity is None or any(part is None for part in identity):
        return None
    return ",".join(str(part) for part in identity)


def _changes(obj: Base, operation: str) -> dict[str, Any]:
    state = inspect(obj)
    redacted = type(obj).__audit_redacted__
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        history = state.attrs[key].history
        if operation == "update":
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
        elif operation == "insert":
            # state.dict, not attribute access: reading an expired server default here would query again.
            before, after = None, state.dict.get(key)
        else:
            before, after = state.dict.get(key), None
        if key in redacted:
            before = REDACTED if before is not None else None
            after = REDACTED if after is not None else None
        changes[key] = {"before": _jsonable(before), "after": _jsonable(after)}
    return changes


def _actor_columns(actor: Actor) -> dict[str, Any]:
    return {
        "actor_type": actor.kind,
        "actor_user_id": actor.user_id,
        "actor_client_id": actor.client_id,
        "actor_label": actor.label,
    }


def _row(
    session: Session,
    *,
    action: str,
    record_type: str,
    record_id: str | None,
    changes: dict[str, Any],
    note: str | None,
) -> dict[str, Any]:
    actor: Actor = session.info.get("actor", ANONYMOUS)
    return {
        "occurred_at": clock.now(),
        **_actor_columns(actor),
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "changes": changes,
        "note": note,
        "request_id": session.info.get("request_id"),
    }


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, _: UOWTransaction) -> None:
    labels: dict[int, tuple[str, str | None]] = session.info.get(_LABELS, {})
    rows: list[dict[str, Any]] = []
    changes_feed: list[dict[str, Any]] = []
    groups: Iterable[tuple[str, Iterable[object]]] = (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    )
    for operation, objects in groups:
        for obj in objects:
            if not isinstance(obj, Base) or not type(obj).__audited__:
                continue
            if operation == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, operation)
            if operation == "update" and not changes:
                continue
            table = type(obj).__tablename__
            action, note = labels.pop(id(obj), (f"{table}.{operation}", None))
            if type(obj).__change_feed__:
                changes_feed.append(
                    {
                        "resource": type(obj).__change_feed__,
                        "record_id": _record_id(obj) or "",
                        "operation": operation,
                        "version": getattr(obj, "version", None),
                        "occurred_at": clock.now(),
                    }
                )
            rows.append(
                _row(
                    session,
                    action=action,
                    record_type=table,
                    record_id=_record_id(obj),
                    changes=changes,
                    note=note,
                )
            )
    if rows:
        session.connection().execute(insert(AuditEvent), rows)
        session.info["audit_rows"] = session.info.get("audit_rows", 0) + len(rows)
    if changes_feed:
        session.connection().execute(
            insert(ChangeEvent).values(txid=text("pg_current_xact_id()::text::bigint")), changes_feed
        )


async def record(
    session: AsyncSession,
    *,
    action: str,
    record_type: str,
    record_id: str | uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    note: str | None = None,
) -> None:
    """Write one audit event for something that is not a row change (an export, a delivery, a refusal)."""
    await record_many(session, [(action, record_type, record_id, changes or {}, note)])


async def record_many(
    session: AsyncSession,
    events: list[tuple[str, str, str | uuid.UUID | None, dict[str, Any], str | None]],
) -> None:
    """Bulk form of `record`, for paths that write rows without the ORM (imports)."""
    if not events:
        return
    sync_session = session.sync_session
    rows = [
        _row(
            sync_session,
            action=action,
            record_type=record_type,
            record_id=str(record_id) if record_id is not None else None,
            changes=_jsonable(changes),
            note=note,
        )
        for action, record_type, record_id, changes, note in events
    ]
    await session.execute(insert(AuditEvent), rows)
    session.info["audit_rows"] = session.info.get("audit_rows", 0) + len(rows)
