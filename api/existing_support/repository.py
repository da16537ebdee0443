"""Queries on existing support. `visible_to` is the one visibility predicate of the resource."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.validation import with_parents
from api.core.actor import Actor
from api.core.pagination import after, capped_count, decode_cursor, encode_cursor
from api.models.commitments import ExistingSupport
from api.reference.repository import register_area_usage


def fully_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Confidential records: the Secretariat, the UNHCR offices covering the recipient country, and the
    organisations that provide or recorded the support."""
    if actor.is_secretariat:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.unhcr_countries:
        clauses.append(ExistingSupport.recipient_country_iso3.in_(actor.unhcr_countries))
    if actor.organisation_ids:
        clauses.append(ExistingSupport.provider_organisation_id.in_(actor.organisation_ids))
        clauses.append(ExistingSupport.recorded_by_organisation_id.in_(actor.organisation_ids))
    return or_(*clauses) if clauses else false()


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Non-confidential records are visible to every signed-in user; the public sees aggregates only."""
    if not actor.is_authenticated:
        return false()
    return or_(ExistingSupport.is_confidential.is_(False), fully_visible_to(actor))


def overlaps(
    *, country_iso3: str, area_codes: Sequence[str], starts_on: date | None, ends_on: date | None
) -> ColumnElement[bool]:
    """Same country; an area equal to, parent of or child of one of `area_codes`; periods that overlap."""
    exact = sorted(set(area_codes))
    return and_(
        ExistingSupport.recipient_country_iso3 == country_iso3,
        or_(ExistingSupport.areas.overlap(with_parents(exact)), ExistingSupport.area_codes.overlap(exact)),
        true() if ends_on is None else or_(ExistingSupport.starts_on.is_(None), ExistingSupport.starts_on <= ends_on),
        true() if starts_on is None else or_(ExistingSupport.ends_on.is_(None), ExistingSupport.ends_on >= starts_on),
    )


async def overlapping(
    session: AsyncSession,
    actor: Actor,
    *,
    country_iso3: str,
    area_codes: Sequence[str],
    starts_on: date | None,
    ends_on: date | None,
    exclude_id: uuid.UUID | None = None,
) -> Sequence[ExistingSupport]:
    statement = select(ExistingSupport).where(
        visible_to(actor),
        overlaps(country_iso3=country_iso3, area_codes=area_codes, starts_on=starts_on, ends_on=ends_on),
    )
    if exclude_id is not None:
        statement = statement.where(ExistingSupport.id != exclude_id)
    return (
        (await session.execute(statement.order_by(ExistingSupport.starts_on, ExistingSupport.id).limit(50)))
        .scalars()
        .all()
    )


async def page(
    session: AsyncSession,
    actor: Actor,
    *,
    country: str | None,
    area: str | None,
    source_kind: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[ExistingSupport], str | None, int, bool]:
    statement = select(ExistingSupport).where(visible_to(actor))
    if country:
        statement = statement.where(ExistingSupport.recipient_country_iso3 == country.upper())
    if area:
        statement = statement.where(ExistingSupport.area_codes.contains([area]))
    if source_kind:
        statement = statement.where(ExistingSupport.source_kind == source_kind)
    total, capped = await capped_count(session, statement)
    columns = [ExistingSupport.updated_at, ExistingSupport.id]
    if cursor:
        statement = statement.where(after(columns, decode_cursor(cursor, key="existing", length=2), [True, True]))
    rows = (
        (
            await session.execute(
                statement.order_by(ExistingSupport.updated_at.desc(), ExistingSupport.id.desc()).limit(limit + 1)
            )
        )
        .scalars()
        .all()
    )
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor("existing", [rows[limit - 1].updated_at, rows[limit - 1].id])
    return rows[:limit], next_cursor, total, capped


async def get_visible(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> ExistingSupport | None:
    result = await session.execute(select(ExistingSupport).where(ExistingSupport.id == record_id, visible_to(actor)))
    return result.scalar_one_or_none()


async def is_fully_visible(session: AsyncSession, actor: Actor, record_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(ExistingSupport.id).where(ExistingSupport.id == record_id, fully_visible_to(actor))
    )
    return result.first() is not None


register_area_usage("existing_support", "areas", holds_array=True)
