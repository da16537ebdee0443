"""Liveness and readiness probes (outside /api/v1), and the development mailbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select, text

from api.auth.dependencies import SecretariatDep
from api.core.config import Settings
from api.core.db import Database, SessionDep
from api.core.errors import NotFound
from api.core.schemas import ReadModel
from api.models.outbox import OutboxMessage

probes = APIRouter(tags=["system"])
router = APIRouter(tags=["system"])


@probes.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """The process is up (no dependency checked)."""
    return {"status": "ok"}


@probes.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """The database answers; a load balancer sends traffic only when this is 200."""
    database: Database = request.app.state.database
    try:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


class MailboxMessage(ReadModel):
    id: uuid.UUID
    to: str
    subject: str
    body: str
    status: str
    created_at: datetime


@router.get("/dev/mailbox", response_model=list[MailboxMessage])
async def list_dev_mailbox(request: Request, session: SessionDep, actor: SecretariatDep) -> list[MailboxMessage]:
    """E-mails the platform sent or would send (development and testing only: no SMTP there)."""
    settings: Settings = request.app.state.settings
    if settings.env == "production":
        raise NotFound("No such resource")
    rows = (
        (
            await session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "email")
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id)
                .limit(200)
            )
        )
        .scalars()
        .all()
    )
    result: list[MailboxMessage] = []
    for row in rows:
        payload: dict[str, Any] = row.payload
        result.append(
            MailboxMessage(
                id=row.id,
                to=payload["to"],
                subject=payload["subject"],
                body=payload["body"],
                status=row.status,
                created_at=row.created_at,
            )
        )
    return result
