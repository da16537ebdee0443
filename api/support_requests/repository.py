"""Queries on support requests. `visible_to` is the resource's one visibility predicate; `fully_visible_to`
says which of the visible rows the caller may see in full. Every read path (detail, list, search, export,
stats) goes through them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.commitments.queries import Filters, common_filters, full_access_clause, keyset_page, visible_clause
from api.core.actor import Actor
from api.core.pagination import capped_count
from api.core.sql import plan_for_the_values
from api.existing_support.repository import visible_to as existing_support_visible_to
from api.models.commitments import (
    ExistingSupport,
    Pledge,
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPartner,
    SupportRequestPledge,
)
from api.models.identity import Organisation
from api.reference.repository import register_area_usage, register_term_usage


def _partner_owned(actor: Actor) -> ColumnElement[bool] | None:
    if not actor.organisation_ids:
        return None
    return SupportRequest.id.in_(
        select(SupportRequestPartner.request_id).where(
            SupportRequestPartner.organisation_id.in_(actor.organisation_ids)
        )
    )


def fully_visible_to(actor: Actor) -> ColumnElement[bool]:
    return full_access_clause(
        actor,
        owner_column=SupportRequest.organisation_id,
        country_columns=[SupportRequest.country_iso3],
        partner_owned=_partner_owned(actor),
    )


def visible_to(actor: Actor) -> ColumnElement[bool]:
    return visible_clause(actor, model=SupportRequest, full_access=fully_visible_to(actor))


async def get_visible(
    session: AsyncSession, actor: Actor, request_id: uuid.UUID, *, for_update: bool = False
) -> tuple[SupportRequest, bool] | None:
    """The request if `actor` may see it, with whether they may see it in full."""
    statement = select(SupportRequest, fully_visible_to(actor).label("full")).where(
        SupportRequest.id == request_id, visible_to(actor)
    )
    if for_update:
        statement = statement.with_for_update(of=SupportRequest)
    row = (await session.execute(statement)).first()
    return (row[0], bool(row[1])) if row else None


async def components_of(
    session: AsyncSession, request_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SupportRequestComponent]]:
    result: dict[uuid.UUID, list[SupportRequestComponent]] = {i: [] for i in request_ids}
    rows = (
        await session.execute(
            select(SupportRequestComponent)
            .where(SupportRequestComponent.request_id.in_(request_ids))
            .order_by(SupportRequestComponent.request_id, SupportRequestComponent.position)
        )
    ).scalars()
    for row in rows:
        result[row.request_id].append(row)
    return result


async def partner_ids(session: AsyncSession, request_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        (
            await session.execute(
                select(SupportRequestPartner.organisation_id).where(SupportRequestPartner.request_id == request_id)
            )
        ).scalars()
    )


async def pledge_ids(session: AsyncSession, request_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        (
            await session.execute(
                select(SupportRequestPledge.pledge_id).where(SupportRequestPledge.request_id == request_id)
            )
        ).scalars()
    )


async def organisations(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Organisation]:
    if not ids:
        return {}
    rows = (await session.execute(select(Organisation).where(Organisation.id.in_(ids)))).scalars()
    return {row.id: row for row in rows}


async def pledges(session: AsyncSession, ids: Sequence[uuid.UUID], *, published_only: bool) -> list[Pledge]:
    if not ids:
        return []
    statement = select(Pledge).where(Pledge.id.in_(ids)).order_by(Pledge.external_id)
    if published_only:
        statement = statement.where(Pledge.is_published.is_(True))
    return list((await session.execute(statement)).scalars())


def request_filters(filters: Filters) -> list[ColumnElement[bool]]:
    clauses = common_filters(
        SupportRequest, replace(filters, organisation_id=None), country_column=SupportRequest.country_iso3
    )
    if filters.organisation_id:
        # An organisation's requests include those it joined as a partner (joint requests).
        clauses.append(
            or_(
                SupportRequest.organisation_id == filters.organisation_id,
                SupportRequest.id.in_(
                    select(SupportRequestPartner.request_id).where(
                        SupportRequestPartner.organisation_id == filters.organisation_id
                    )
                ),
            )
        )
    if filters.pledge_source_event:
        clauses.append(
            SupportRequest.id.in_(
                select(SupportRequestPledge.request_id)
                .join(Pledge, Pledge.id == SupportRequestPledge.pledge_id)
                .where(Pledge.source_event == filters.pledge_source_event)
            )
        )
    if urgency := filters.extra.get("urgency"):
        clauses.append(SupportRequest.urgency == urgency)
    if (establishing := filters.extra.get("is_establishing_system")) is not None:
        clauses.append(SupportRequest.is_establishing_system.is_(establishing))
    return clauses


def _component_areas() -> Any:
    """The components' area codes in order, as an array (correlated to the outer row)."""
    return (
        select(func.array_agg(aggregate_order_by(SupportRequestComponent.area_code, SupportRequestComponent.position)))
        .where(SupportRequestComponent.request_id == SupportRequest.id)
        .correlate_except(SupportRequestComponent)
        .scalar_subquery()
    )


def _duplication_count(actor: Actor, component_areas: Any) -> Any:
    """Overlapping existing support the caller may see; only computed for rows they see in full."""
    overlap = (
        select(func.count())
        .select_from(ExistingSupport)
        .where(
            existing_support_visible_to(actor),
            ExistingSupport.recipient_country_iso3 == SupportRequest.country_iso3,
            or_(
                ExistingSupport.areas.overlap(SupportRequest.area_codes),
                ExistingSupport.area_codes.overlap(component_areas),
            ),
            or_(
                ExistingSupport.starts_on.is_(None),
                SupportRequest.ends_on.is_(None),
                ExistingSupport.starts_on <= SupportRequest.ends_on,
            ),
            or_(
                ExistingSupport.ends_on.is_(None),
                SupportRequest.starts_on.is_(None),
                ExistingSupport.ends_on >= SupportRequest.starts_on,
            ),
        )
        .scalar_subquery()
    )
    return case((fully_visible_to(actor), overlap), else_=None)


LIST_COLUMNS = (
    SupportRequest.id,
    SupportRequest.reference,
    SupportRequest.title,
    SupportRequest.status,
    SupportRequest.country_iso3,
    SupportRequest.organisation_id,
    SupportRequest.support_types,
    SupportRequest.modalities,
    SupportRequest.languages,
    SupportRequest.urgency,
    SupportRequest.is_establishing_system,
    SupportRequest.starts_on,
    SupportRequest.ends_on,
    SupportRequest.public_summary,
    SupportRequest.submitted_at,
    SupportRequest.updated_at,
)


async def page(
    session: AsyncSession,
    actor: Actor,
    filters: Filters,
    *,
    sort: str,
    limit: int,
    cursor: str | None,
) -> tuple[list[Any], str | None, int, bool]:
    await plan_for_the_values(session)
    clauses = [visible_to(actor), *request_filters(filters)]
    total, capped = await capped_count(session, select(SupportRequest.id).where(*clauses))
    component_areas = _component_areas()
    statement = (
        select(
            *LIST_COLUMNS,
            Organisation.name.label("organisation_name"),
            component_areas.label("component_areas"),
            _duplication_count(actor, component_areas).label("duplication_count"),
        )
        .join(Organisation, Organisation.id == SupportRequest.organisation_id)
        .where(and_(*clauses))
    )
    rows, next_cursor = await keyset_page(
        session, statement, model=SupportRequest, sort=sort, limit=limit, cursor=cursor
    )
    return rows, next_cursor, total, capped


register_area_usage("support_request_components", "area_code")
register_term_usage("modalities", "support_request_components", "modalities", holds_array=True)
register_term_usage("support_types", "support_request_components", "support_types", holds_array=True)
register_term_usage("languages", "support_requests", "languages", holds_array=True)
register_term_usage("qualities", "support_requests", "qualities", holds_array=True)


def _json_list(statement: Any) -> Any:
    return func.coalesce(statement.scalar_subquery(), text("'[]'::json"))


def _organisation_json(organisation: Any) -> Any:
    return func.json_build_object(
        "id",
        organisation.id,
        "name",
        organisation.name,
        "kind",
        organisation.kind,
        "country_iso3",
        organisation.country_iso3,
    )


_partner = aliased(Organisation)
# The detail view's JSON parts, built once: constructing SQL expressions costs more than running them.
_DETAIL_PARTNERS = _json_list(
    select(func.json_agg(aggregate_order_by(_organisation_json(_partner), _partner.name)))
    .select_from(SupportRequestPartner)
    .join(_partner, _partner.id == SupportRequestPartner.organisation_id)
    .where(SupportRequestPartner.request_id == SupportRequest.id)
    .correlate(SupportRequest)
).label("partners")
_DETAIL_PLEDGES = _json_list(
    select(
        func.json_agg(
            aggregate_order_by(
                func.json_build_object(
                    "id",
                    Pledge.id,
                    "external_id",
                    Pledge.external_id,
                    "source_event",
                    Pledge.source_event,
                    "title",
                    Pledge.title,
                    "is_published",
                    Pledge.is_published,
                ),
                Pledge.external_id,
            )
        )
    )
    .select_from(SupportRequestPledge)
    .join(Pledge, Pledge.id == SupportRequestPledge.pledge_id)
    .where(SupportRequestPledge.request_id == SupportRequest.id)
    .correlate(SupportRequest)
).label("pledges")
_DETAIL_COMPONENTS = _json_list(
    select(
        func.json_agg(
            aggregate_order_by(
                func.json_build_object(
                    "id",
                    SupportRequestComponent.id,
                    "position",
                    SupportRequestComponent.position,
                    "area_code",
                    SupportRequestComponent.area_code,
                    "modalities",
                    SupportRequestComponent.modalities,
                    "support_types",
                    SupportRequestComponent.support_types,
                    "description",
                    SupportRequestComponent.description,
                    "status",
                    SupportRequestComponent.status,
                ),
                SupportRequestComponent.position,
            )
        )
    )
    .where(SupportRequestComponent.request_id == SupportRequest.id)
    .correlate(SupportRequest)
).label("components")
_DETAIL_ORGANISATION = _organisation_json(Organisation).label("organisation")


async def detail(session: AsyncSession, actor: Actor, request_id: uuid.UUID, *, for_update: bool = False) -> Any:
    """The request with everything a detail view shows, in one round trip (a page view's hot path):
    whether `actor` sees it in full, its organisation, partners, pledges (with their publication flag) and
    components as JSON. None when `actor` may not see the request."""
    statement = (
        select(
            SupportRequest,
            fully_visible_to(actor).label("full"),
            _DETAIL_ORGANISATION,
            _DETAIL_PARTNERS,
            _DETAIL_PLEDGES,
            _DETAIL_COMPONENTS,
        )
        .join(Organisation, Organisation.id == SupportRequest.organisation_id)
        .where(SupportRequest.id == request_id, visible_to(actor))
    )
    if for_update:
        statement = statement.with_for_update(of=SupportRequest)
    return (await session.execute(statement)).first()
