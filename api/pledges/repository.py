"""Queries on pledges; `visible_to` is the resource's one visibility predicate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.queries import search_tokens
from api.core.actor import Actor
from api.core.pagination import after, capped_count, decode_cursor, encode_cursor
from api.models.commitments import Pledge, PledgeOrganisation, SupportOffer, SupportRequest, SupportRequestPledge
from api.models.identity import Organisation
from api.models.reference import Country
from api.reference.repository import register_area_usage, register_term_usage


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Published pledges for everyone; unpublished ones for the Secretariat and the pledging organisations."""
    if actor.is_secretariat:
        return true()
    clauses: list[ColumnElement[bool]] = [Pledge.is_published.is_(True)]
    if actor.organisation_ids:
        clauses.append(
            Pledge.id.in_(
                select(PledgeOrganisation.pledge_id).where(
                    PledgeOrganisation.organisation_id.in_(actor.organisation_ids)
                )
            )
        )
    return or_(*clauses)


async def get_visible(session: AsyncSession, actor: Actor, pledge_id: uuid.UUID) -> Pledge | None:
    return (await session.execute(select(Pledge).where(Pledge.id == pledge_id, visible_to(actor)))).scalar_one_or_none()


async def by_external_id(session: AsyncSession, source: str, external_id: str) -> Pledge | None:
    return (
        await session.execute(select(Pledge).where(Pledge.source == source, Pledge.external_id == external_id))
    ).scalar_one_or_none()


async def entities(session: AsyncSession, pledge_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    result: dict[uuid.UUID, list[Any]] = {i: [] for i in pledge_ids}
    rows = (
        await session.execute(
            select(
                PledgeOrganisation.pledge_id,
                PledgeOrganisation.organisation_id,
                PledgeOrganisation.is_lead,
                Organisation.name,
                Organisation.contributor_type,
                Organisation.country_iso3,
            )
            .join(Organisation, Organisation.id == PledgeOrganisation.organisation_id)
            .where(PledgeOrganisation.pledge_id.in_(pledge_ids))
            .order_by(PledgeOrganisation.pledge_id, PledgeOrganisation.is_lead.desc(), Organisation.name)
        )
    ).all()
    for row in rows:
        result[row.pledge_id].append(row)
    return result


async def linked_requests(session: AsyncSession, pledge_id: uuid.UUID, visible: ColumnElement[bool]) -> Sequence[Any]:
    return (
        await session.execute(
            select(SupportRequest.id, SupportRequest.reference, SupportRequest.title)
            .join(SupportRequestPledge, SupportRequestPledge.request_id == SupportRequest.id)
            .where(SupportRequestPledge.pledge_id == pledge_id, visible)
            .order_by(SupportRequest.reference)
        )
    ).all()


async def linked_offers(session: AsyncSession, pledge_id: uuid.UUID, visible: ColumnElement[bool]) -> Sequence[Any]:
    return (
        await session.execute(
            select(SupportOffer.id, SupportOffer.reference, SupportOffer.title)
            .where(SupportOffer.pledge_id == pledge_id, visible)
            .order_by(SupportOffer.reference)
        )
    ).all()


async def page(
    session: AsyncSession,
    actor: Actor,
    *,
    q: str | None,
    source_event: str | None,
    stage: str | None,
    area: str | None,
    organisation_id: uuid.UUID | None,
    country: str | None,
    region: str | None,
    contributor_type: str | None,
    updated_since: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Any], str | None, int, bool]:
    lead = (
        select(
            PledgeOrganisation.pledge_id, Organisation.name, Organisation.country_iso3, Organisation.contributor_type
        )
        .join(Organisation, Organisation.id == PledgeOrganisation.organisation_id)
        .where(PledgeOrganisation.is_lead.is_(True))
        .subquery()
    )
    clauses: list[Any] = [visible_to(actor)]
    if q:
        # Every word, accents and case folded, anywhere in the title or the external id.
        haystack = func.f_unaccent(Pledge.title + " " + Pledge.external_id)
        clauses.extend(haystack.contains(token) for token in search_tokens(q))
    if source_event:
        clauses.append(Pledge.source_event == source_event)
    if stage:
        clauses.append(Pledge.stage == stage)
    if area:
        # A parent area matches its children (pledges store the codes they were tagged with).
        clauses.append(
            text(
                "EXISTS (SELECT 1 FROM unnest(pledges.areas) AS tagged(code) "
                "WHERE tagged.code = :area OR tagged.code LIKE :area_children)"
            ).bindparams(area=area, area_children=f"{area}.%")
        )
    if organisation_id or contributor_type or country or region:
        entity = select(PledgeOrganisation.pledge_id).join(
            Organisation, Organisation.id == PledgeOrganisation.organisation_id
        )
        if organisation_id:
            entity = entity.where(PledgeOrganisation.organisation_id == organisation_id)
        if contributor_type:
            entity = entity.where(Organisation.contributor_type == contributor_type)
        if country:
            entity = entity.where(Organisation.country_iso3 == country.upper())
        if region:
            entity = entity.where(
                Organisation.country_iso3.in_(
                    select(Country.iso3).where(
                        or_(
                            Country.region_code == region,
                            Country.subregion_code == region,
                            Country.intermediate_region_code == region,
                        )
                    )
                )
            )
        clauses.append(Pledge.id.in_(entity))
    if updated_since:
        clauses.append(Pledge.updated_at >= updated_since)
    total, capped = await capped_count(session, select(Pledge.id).where(*clauses))
    statement = (
        select(
            Pledge.id,
            Pledge.external_id,
            Pledge.source_event,
            Pledge.title,
            Pledge.pledge_types,
            Pledge.areas,
            Pledge.stage,
            Pledge.submitted_on,
            Pledge.updated_at,
            lead.c.name.label("lead_organisation_name"),
            lead.c.country_iso3.label("lead_country_iso3"),
        )
        .outerjoin(lead, lead.c.pledge_id == Pledge.id)
        .where(and_(*clauses))
    )
    columns = [Pledge.updated_at, Pledge.id]
    if cursor:
        statement = statement.where(after(columns, decode_cursor(cursor, key="pledges", length=2), [True, True]))
    rows = (
        await session.execute(statement.order_by(Pledge.updated_at.desc(), Pledge.id.desc()).limit(limit + 1))
    ).all()
    next_cursor = (
        encode_cursor("pledges", [rows[limit - 1].updated_at, rows[limit - 1].id]) if len(rows) > limit else None
    )
    return rows[:limit], next_cursor, total, capped


register_area_usage("pledges", "areas", holds_array=True)
register_term_usage("pledge_types", "pledges", "pledge_types", holds_array=True)
register_term_usage("pledge_source_events", "pledges", "source_event")
register_term_usage("public_stages", "pledges", "stage")
