"""Queries on support offers; `visible_to` is the resource's one visibility predicate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.queries import Filters, common_filters, full_access_clause, keyset_page, visible_clause
from api.core.actor import Actor
from api.core.pagination import capped_count
from api.core.sql import plan_for_the_values
from api.models.commitments import Pledge, SupportOffer, SupportOfferComponent
from api.models.identity import Organisation
from api.models.reference import Country
from api.reference.repository import register_area_usage, register_term_usage


def fully_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Owners, the Secretariat, and the UNHCR offices covering the offerer's country or the proactive target."""
    return full_access_clause(
        actor,
        owner_column=SupportOffer.organisation_id,
        country_columns=[SupportOffer.country_iso3, SupportOffer.proactive_target_iso3],
        partner_owned=None,
    )


def visible_to(actor: Actor) -> ColumnElement[bool]:
    return visible_clause(actor, model=SupportOffer, full_access=fully_visible_to(actor))


async def get_visible(
    session: AsyncSession, actor: Actor, offer_id: uuid.UUID, *, for_update: bool = False
) -> tuple[SupportOffer, bool] | None:
    statement = select(SupportOffer, fully_visible_to(actor).label("full")).where(
        SupportOffer.id == offer_id, visible_to(actor)
    )
    if for_update:
        statement = statement.with_for_update(of=SupportOffer)
    row = (await session.execute(statement)).first()
    return (row[0], bool(row[1])) if row else None


async def components_of(
    session: AsyncSession, offer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SupportOfferComponent]]:
    result: dict[uuid.UUID, list[SupportOfferComponent]] = {i: [] for i in offer_ids}
    rows = (
        await session.execute(
            select(SupportOfferComponent)
            .where(SupportOfferComponent.offer_id.in_(offer_ids))
            .order_by(SupportOfferComponent.offer_id, SupportOfferComponent.position)
        )
    ).scalars()
    for row in rows:
        result[row.offer_id].append(row)
    return result


def serves_country(country: Country) -> ColumnElement[bool]:
    """Offers that can serve `country`: any country, the country itself, its region or bureau; not excluded."""
    regions = [c for c in (country.region_code, country.subregion_code, country.intermediate_region_code) if c]
    served = [SupportOffer.serves_any.is_(True), SupportOffer.served_countries.contains([country.iso3])]
    if regions:
        served.append(SupportOffer.served_regions.overlap(regions))
    if country.bureau_code:
        served.append(SupportOffer.served_bureaux.contains([country.bureau_code]))
    return and_(~SupportOffer.excluded_countries.contains([country.iso3]), or_(*served))


def offer_filters(filters: Filters) -> list[ColumnElement[bool]]:
    clauses = common_filters(SupportOffer, filters, country_column=SupportOffer.country_iso3)
    if filters.pledge_source_event:
        clauses.append(
            SupportOffer.pledge_id.in_(select(Pledge.id).where(Pledge.source_event == filters.pledge_source_event))
        )
    served: Country | None = filters.extra.get("serves_country")
    if served is not None:
        clauses.append(serves_country(served))
    return clauses


def _component_areas() -> Any:
    """The components' area codes in order, as an array (correlated to the outer row)."""
    return (
        select(func.array_agg(aggregate_order_by(SupportOfferComponent.area_code, SupportOfferComponent.position)))
        .where(SupportOfferComponent.offer_id == SupportOffer.id)
        .correlate_except(SupportOfferComponent)
        .scalar_subquery()
    )


LIST_COLUMNS = (
    SupportOffer.id,
    SupportOffer.reference,
    SupportOffer.title,
    SupportOffer.status,
    SupportOffer.country_iso3,
    SupportOffer.organisation_id,
    SupportOffer.support_types,
    SupportOffer.modalities,
    SupportOffer.languages,
    SupportOffer.serves_any,
    SupportOffer.starts_on,
    SupportOffer.ends_on,
    SupportOffer.public_summary,
    SupportOffer.submitted_at,
    SupportOffer.updated_at,
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
    clauses = [visible_to(actor), *offer_filters(filters)]
    total, capped = await capped_count(session, select(SupportOffer.id).where(*clauses))
    statement = (
        select(
            *LIST_COLUMNS,
            Organisation.name.label("organisation_name"),
            Organisation.contributor_type.label("contributor_type"),
            _component_areas().label("component_areas"),
        )
        .join(Organisation, Organisation.id == SupportOffer.organisation_id)
        .where(and_(*clauses))
    )
    rows, next_cursor = await keyset_page(session, statement, model=SupportOffer, sort=sort, limit=limit, cursor=cursor)
    return rows, next_cursor, total, capped


register_area_usage("support_offer_components", "area_code")
register_term_usage("modalities", "support_offer_components", "modalities", holds_array=True)
register_term_usage("support_types", "support_offer_components", "support_types", holds_array=True)
register_term_usage("languages", "support_offers", "languages", holds_array=True)


# The detail view's JSON parts, built once: constructing SQL expressions costs more than running them.
_DETAIL_PLEDGE = (
    select(
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
        )
    )
    .where(Pledge.id == SupportOffer.pledge_id)
    .correlate(SupportOffer)
    .scalar_subquery()
    .label("pledge")
)
_DETAIL_COMPONENTS = func.coalesce(
    select(
        func.json_agg(
            aggregate_order_by(
                func.json_build_object(
                    "id",
                    SupportOfferComponent.id,
                    "position",
                    SupportOfferComponent.position,
                    "area_code",
                    SupportOfferComponent.area_code,
                    "modalities",
                    SupportOfferComponent.modalities,
                    "support_types",
                    SupportOfferComponent.support_types,
                    "description",
                    SupportOfferComponent.description,
                ),
                SupportOfferComponent.position,
            )
        )
    )
    .where(SupportOfferComponent.offer_id == SupportOffer.id)
    .correlate(SupportOffer)
    .scalar_subquery(),
    text("'[]'::json"),
).label("components")
_DETAIL_ORGANISATION = func.json_build_object(
    "id",
    Organisation.id,
    "name",
    Organisation.name,
    "kind",
    Organisation.kind,
    "country_iso3",
    Organisation.country_iso3,
).label("organisation")


async def detail(session: AsyncSession, actor: Actor, offer_id: uuid.UUID, *, for_update: bool = False) -> Any:
    """The offer with its organisation, pledge and components as JSON, in one round trip; None when hidden."""
    statement = (
        select(
            SupportOffer,
            fully_visible_to(actor).label("full"),
            _DETAIL_ORGANISATION,
            _DETAIL_PLEDGE,
            _DETAIL_COMPONENTS,
        )
        .join(Organisation, Organisation.id == SupportOffer.organisation_id)
        .where(SupportOffer.id == offer_id, visible_to(actor))
    )
    if for_update:
        statement = statement.with_for_update(of=SupportOffer)
    return (await session.execute(statement)).first()
