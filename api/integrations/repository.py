"""Queries for integration clients: the clients themselves, what they act for, and the call counter."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.identity import OfficeCountry, Organisation
from api.models.integrations import IntegrationClient
from api.models.reference import Country


async def client(session: AsyncSession, client_id: uuid.UUID) -> IntegrationClient | None:
    return await session.get(IntegrationClient, client_id)


async def clients(session: AsyncSession) -> Sequence[IntegrationClient]:
    statement = select(IntegrationClient).order_by(IntegrationClient.revoked_at.nullsfirst(), IntegrationClient.name)
    return (await session.execute(statement.limit(1000))).scalars().all()


async def covered_countries(session: AsyncSession, organisation: Organisation) -> frozenset[str]:
    """The countries a UNHCR country office or bureau covers (none for other organisations)."""
    if organisation.kind == "unhcr_country_office":
        statement = select(OfficeCountry.country_iso3).where(OfficeCountry.organisation_id == organisation.id)
        found = set((await session.execute(statement)).scalars())
        return frozenset(found | ({organisation.country_iso3} if organisation.country_iso3 else set()))
    if organisation.kind == "unhcr_bureau" and organisation.bureau_code:
        statement = select(Country.iso3).where(Country.bureau_code == organisation.bureau_code)
        return frozenset((await session.execute(statement)).scalars())
    return frozenset()


# One round trip per client call: count the call in this minute's window and audit it. Written in its own
# short transaction so that concurrent calls of one client do not wait on each other's request, and so that
# refused calls are counted and audited too.
_COUNT_AND_AUDIT = text(
    """
    WITH hit AS (
        INSERT INTO integration_rate_windows (client_id, window_start, calls)
        VALUES (:client_id, :window_start, 1)
        ON CONFLICT (client_id, window_start) DO UPDATE SET calls = integration_rate_windows.calls + 1
        RETURNING calls
    ), logged AS (
        INSERT INTO audit_events (occurred_at, actor_type, actor_user_id, actor_client_id, actor_label, action,
                                  record_type, record_id, changes, note, request_id)
        SELECT :now, 'client', NULL, :client_id, :label,
               CASE WHEN hit.calls > :limit THEN 'integration.rate_limited' ELSE 'integration.call' END,
               'integration_clients', :record_id, '{}'::jsonb, :note, :request_id
        FROM hit
    )
    SELECT calls FROM hit
    """
)


async def count_call(
    session: AsyncSession,
    *,
    client_id: uuid.UUID,
    label: str,
    window_start: datetime,
    now: datetime,
    limit: int,
    note: str,
    request_id: str | None,
) -> int:
    result = await session.execute(
        _COUNT_AND_AUDIT,
        {
            "client_id": client_id,
            "record_id": str(client_id),
            "window_start": window_start,
            "now": now,
            "label": label,
            "limit": limit,
            "note": note[:500],
            "request_id": request_id,
        },
    )
    return int(result.scalar_one())


async def prune_rate_windows(session: AsyncSession, *, before: datetime) -> int:
    result = await session.execute(
        text("DELETE FROM integration_rate_windows WHERE window_start < :before"), {"before": before}
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
