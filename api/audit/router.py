"""The audit log (Secretariat)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.audit import schemas, service
from api.auth.dependencies import SecretariatDep
from api.core.db import SessionDep
from api.core.pagination import Cursor, PageSize

router = APIRouter(prefix="/audit-events", tags=["audit"])


@router.get("", response_model=schemas.AuditEventPage)
async def list_audit_events(
    session: SessionDep,
    actor: SecretariatDep,
    record_type: Annotated[str | None, Query(max_length=80)] = None,
    record_id: Annotated[str | None, Query(max_length=120)] = None,
    actor_user_id: uuid.UUID | None = None,
    action: Annotated[str | None, Query(max_length=120, description="Prefix, e.g. 'auth.'")] = None,
    request_id: Annotated[str | None, Query(max_length=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: PageSize = 50,
    cursor: Cursor = None,
) -> schemas.AuditEventPage:
    """Who did what to which record, newest first."""
    return await service.list_events(
        session,
        actor=actor,
        record_type=record_type,
        record_id=record_id,
        actor_user_id=actor_user_id,
        action=action,
        request_id=request_id,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )
