"""Queries on import jobs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from api.core.actor import Actor
from api.models.identity import Organisation
from api.models.imports import ImportJob


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """A job is seen by whoever uploaded it, and by the Secretariat."""
    if actor.is_secretariat:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.user_id is not None:
        clauses.append(ImportJob.created_by_user_id == actor.user_id)
    if actor.client_id is not None:
        clauses.append(ImportJob.created_by_client_id == actor.client_id)
    return or_(*clauses) if clauses else false()


async def get_visible(
    session: AsyncSession, actor: Actor, job_id: uuid.UUID, *, with_report: bool = True
) -> ImportJob | None:
    statement = select(ImportJob).where(ImportJob.id == job_id, visible_to(actor))
    if with_report:
        statement = statement.options(undefer(ImportJob.issues), undefer(ImportJob.records))
    return (await session.execute(statement)).scalar_one_or_none()


async def recent(session: AsyncSession, actor: Actor, *, limit: int) -> Sequence[ImportJob]:
    statement = (
        select(ImportJob)
        .where(visible_to(actor))
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
        .limit(limit)
    )
    return (await session.execute(statement)).scalars().all()


async def job_for_run(session: AsyncSession, job_id: uuid.UUID) -> ImportJob | None:
    statement = select(ImportJob).where(ImportJob.id == job_id).options(undefer(ImportJob.file_data))
    return (await session.execute(statement)).scalar_one_or_none()


async def file_of(session: AsyncSession, job_id: uuid.UUID, column: str) -> bytes | None:
    value = (await session.execute(select(getattr(ImportJob, column)).where(ImportJob.id == job_id))).scalar_one()
    return value if value is None else bytes(value)


async def organisation_label(session: AsyncSession, organisation_id: uuid.UUID) -> str | None:
    row = (
        await session.execute(
            select(Organisation.short_name, Organisation.name).where(Organisation.id == organisation_id)
        )
    ).first()
    return (row.short_name or row.name) if row else None
