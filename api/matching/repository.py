"""Loading the matching engine's inputs from the database: open request components and offers with
capacity left, with everything the criteria read (region, bureau, languages, duplication, waiting time)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.commitments.workflow import MATCHABLE
from api.core.sql import among
from api.matches import workflow as match_workflow
from api.matching import engine
from api.models.changes import ChangeEvent
from api.models.commitments import (
    ExistingSupport,
    SupportOffer,
    SupportOfferComponent,
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPledge,
)
from api.models.identity import Organisation
from api.models.matches import AllocationRun, Match, MatchingCriteria, MatchItem
from api.models.reference import Area, Country

URGENCY = {"low": 0, "normal": 1, "high": 2, "critical": 3}


@dataclass(frozen=True)
class Place:
    region_code: str | None
    subregion_code: str | None
    intermediate_code: str | None
    bureau_code: str | None


async def places(session: AsyncSession) -> dict[str, Place]:
    """Region, subregion and bureau of every country."""
    rows = await session.execute(
        select(
            Country.iso3,
            Country.region_code,
            Country.subregion_code,
            Country.intermediate_region_code,
            Country.bureau_code,
        )
    )
    return {
        r.iso3: Place(r.region_code, r.subregion_code, r.intermediate_region_code, r.bureau_code) for r in rows.all()
    }


async def criteria_versions(session: AsyncSession) -> Sequence[MatchingCriteria]:
    return (await session.execute(select(MatchingCriteria).order_by(MatchingCriteria.version.desc()))).scalars().all()


async def latest_criteria(session: AsyncSession) -> MatchingCriteria | None:
    return (
        await session.execute(select(MatchingCriteria).order_by(MatchingCriteria.version.desc()).limit(1))
    ).scalar_one_or_none()


async def snapshot_key(session: AsyncSession) -> tuple[Any, ...]:
    """Moves whenever an input of the engine may have changed. Every change to an offer, a request or a match
    writes a change-feed row in the same transaction, so the newest row id moves with them; existing support and
    criteria are checked directly."""
    row = (
        await session.execute(
            select(
                select(func.max(ChangeEvent.id)).scalar_subquery(),
                select(func.count()).select_from(ExistingSupport).scalar_subquery(),
                select(func.max(ExistingSupport.updated_at)).scalar_subquery(),
                select(func.max(MatchingCriteria.version)).scalar_subquery(),
            )
        )
    ).one()
    return tuple(row)


def _overlaps(code: str, codes: Iterable[str]) -> bool:
    parent = code.split(".")[0]
    return any(other in (code, parent) or other.split(".")[0] == code for other in codes)


async def _duplication_index(
    session: AsyncSession, countries: Iterable[str] | None = None
) -> tuple[dict[str, list[tuple[list[str], date | None, date | None]]], dict[str, set[str]]]:
    """Where support already flows: existing support by country, and the areas live matches cover by country
    (for every country, or only `countries`)."""
    existing: dict[str, list[tuple[list[str], date | None, date | None]]] = defaultdict(list)
    existing_statement = select(
        ExistingSupport.recipient_country_iso3,
        ExistingSupport.areas,
        ExistingSupport.starts_on,
        ExistingSupport.ends_on,
    )
    matched_statement = (
        select(SupportRequest.country_iso3, SupportRequestComponent.area_code)
        .join(SupportRequestComponent, SupportRequestComponent.request_id == SupportRequest.id)
        .join(MatchItem, MatchItem.request_component_id == SupportRequestComponent.id)
        .join(Match, Match.id == MatchItem.match_id)
        .where(Match.status.in_(match_workflow.ENGAGED | match_workflow.COVERING))
    )
    if countries is not None:
        wanted = set(countries)
        existing_statement = existing_statement.where(among(ExistingSupport.recipient_country_iso3, wanted))
        matched_statement = matched_statement.where(among(SupportRequest.country_iso3, wanted))
    for row in (await session.execute(existing_statement)).all():
        existing[row.recipient_country_iso3].append((list(row.areas), row.starts_on, row.ends_on))
    matched: dict[str, set[str]] = defaultdict(set)
    rows = await session.execute(matched_statement)
    for country, area in rows.all():
        matched[country].add(area)
    return existing, matched


def _period_overlap(a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None) -> bool:
    return (a_start is None or b_end is None or a_start <= b_end) and (
        a_end is None or b_start is None or a_end >= b_start
    )


async def component_inputs(
    session: AsyncSession,
    *,
    today: date,
    request_ids: Sequence[uuid.UUID] | None = None,
    component_ids: Sequence[uuid.UUID] | None = None,
    include_covered: bool = False,
) -> list[engine.RequestComponent]:
    """Open components of validated requests (or those asked for), as the engine reads them."""
    sibling, sibling_area = aliased(SupportRequestComponent), aliased(Area)
    statement = (
        select(
            SupportRequestComponent.id,
            SupportRequestComponent.request_id,
            SupportRequestComponent.area_code,
            SupportRequestComponent.modalities,
            SupportRequestComponent.support_types,
            SupportRequestComponent.status.label("component_status"),
            SupportRequest.country_iso3,
            SupportRequest.languages,
            SupportRequest.urgency,
            SupportRequest.is_establishing_system,
            SupportRequest.validated_at,
            SupportRequest.submitted_at,
            SupportRequest.starts_on,
            SupportRequest.ends_on,
            Country.region_code,
            Country.subregion_code,
            Country.intermediate_region_code,
            Country.bureau_code,
            exists(select(1).where(SupportRequestPledge.request_id == SupportRequest.id)).label("pledged"),
            # The scope rule is per request: out of scope only when every component is outside asylum.
            exists(
                select(1)
                .select_from(sibling)
                .join(sibling_area, sibling_area.code == sibling.area_code)
                .where(sibling.request_id == SupportRequest.id, sibling_area.is_asylum_system.is_(True))
            ).label("in_asylum"),
        )
        .join(SupportRequest, SupportRequest.id == SupportRequestComponent.request_id)
        .outerjoin(Country, Country.iso3 == SupportRequest.country_iso3)
    )
    if component_ids is not None:
        statement = statement.where(among(SupportRequestComponent.id, component_ids))
    elif request_ids is not None:
        statement = statement.where(among(SupportRequestComponent.request_id, request_ids))
    else:
        statement = statement.where(SupportRequest.status.in_(MATCHABLE))
    rows = (await session.execute(statement)).all()
    if not rows:
        return []
    # A few requests asked for by id (a suggestions call): only their countries' support is read.
    countries = {r.country_iso3 for r in rows} if request_ids is not None or component_ids is not None else None
    existing, matched = await _duplication_index(session, countries)
    result = []
    for r in rows:
        if r.component_status == "covered" and not include_covered and component_ids is None:
            continue
        since: datetime | None = r.validated_at or r.submitted_at
        duplicated = _overlaps(r.area_code, matched.get(r.country_iso3, ())) or any(
            _overlaps(r.area_code, areas) and _period_overlap(start, end, r.starts_on, r.ends_on)
            for areas, start, end in existing.get(r.country_iso3, ())
        )
        result.append(
            engine.RequestComponent(
                id=str(r.id),
                request_id=str(r.request_id),
                country_iso3=r.country_iso3,
                region_code=r.region_code,
                subregion_code=r.subregion_code,
                intermediate_code=r.intermediate_region_code,
                bureau_code=r.bureau_code,
                area_code=r.area_code,
                modalities=frozenset(r.modalities),
                support_types=frozenset(r.support_types),
                languages=frozenset(r.languages),
                in_scope=r.is_establishing_system or r.in_asylum,
                pledge_linked=r.pledged,
                establishing_system=r.is_establishing_system,
                urgency=URGENCY.get(r.urgency, 1),
                waited_days=max(0, (today - since.date()).days) if since else 0,
                duplicated=duplicated,
                starts_on=r.starts_on,
                ends_on=r.ends_on,
            )
        )
    return result


async def engaged_load(session: AsyncSession) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(MatchItem.offer_id, func.count())
        .join(Match, Match.id == MatchItem.match_id)
        .where(Match.status.in_(match_workflow.ENGAGED))
        .group_by(MatchItem.offer_id)
    )
    return {offer_id: int(count) for offer_id, count in rows.all()}


async def offer_inputs(
    session: AsyncSession, *, offer_ids: Sequence[uuid.UUID] | None = None, with_full_capacity: bool = False
) -> list[engine.Offer]:
    """Validated offers with capacity left (or those asked for), as the engine reads them."""
    statement = select(SupportOffer)
    if offer_ids is not None:
        statement = statement.where(SupportOffer.id.in_(offer_ids))
    else:
        statement = statement.where(SupportOffer.status.in_(MATCHABLE))
    offers = (await session.execute(statement)).scalars().all()
    if not offers:
        return []
    ids = [o.id for o in offers]
    components: dict[uuid.UUID, list[engine.OfferComponent]] = defaultdict(list)
    for row in (
        await session.execute(
            select(
                SupportOfferComponent.offer_id,
                SupportOfferComponent.area_code,
                SupportOfferComponent.modalities,
                SupportOfferComponent.support_types,
            )
            .where(SupportOfferComponent.offer_id.in_(ids))
            .order_by(SupportOfferComponent.offer_id, SupportOfferComponent.position)
        )
    ).all():
        components[row.offer_id].append(
            engine.OfferComponent(row.area_code, frozenset(row.modalities), frozenset(row.support_types))
        )
    load = await engaged_load(session)
    where = await places(session)
    result = []
    for offer in offers:
        if not components.get(offer.id):
            continue
        place = where.get(offer.country_iso3 or "", Place(None, None, None, None))
        capacity_left = offer.capacity if with_full_capacity else offer.capacity - load.get(offer.id, 0)
        if capacity_left <= 0 and offer_ids is None:
            continue
        result.append(
            engine.Offer(
                id=str(offer.id),
                organisation_id=str(offer.organisation_id),
                country_iso3=offer.country_iso3,
                region_code=place.region_code,
                bureau_code=place.bureau_code,
                components=tuple(components[offer.id]),
                languages=frozenset(offer.languages),
                serves_any=offer.serves_any,
                served_countries=frozenset(offer.served_countries),
                served_regions=frozenset(offer.served_regions),
                served_bureaux=frozenset(offer.served_bureaux),
                excluded_countries=frozenset(offer.excluded_countries),
                capacity_left=max(capacity_left, 0),
                starts_on=offer.starts_on,
                ends_on=offer.ends_on,
            )
        )
    return result


async def offer_summaries(session: AsyncSession, ids: Iterable[str]) -> dict[str, Any]:
    wanted = [uuid.UUID(i) for i in set(ids)]
    if not wanted:
        return {}
    rows = await session.execute(
        select(
            SupportOffer.id,
            SupportOffer.reference,
            SupportOffer.title,
            SupportOffer.country_iso3,
            Organisation.name.label("organisation_name"),
            Organisation.contributor_type,
        )
        .join(Organisation, Organisation.id == SupportOffer.organisation_id)
        .where(among(SupportOffer.id, wanted))
    )
    return {str(r.id): r for r in rows.all()}


async def component_summaries(session: AsyncSession, ids: Iterable[str]) -> dict[str, Any]:
    wanted = [uuid.UUID(i) for i in set(ids)]
    if not wanted:
        return {}
    rows = await session.execute(
        select(
            SupportRequestComponent.id,
            SupportRequestComponent.area_code,
            SupportRequestComponent.description,
            SupportRequest.id.label("request_id"),
            SupportRequest.reference,
            SupportRequest.title,
            SupportRequest.country_iso3,
        )
        .join(SupportRequest, SupportRequest.id == SupportRequestComponent.request_id)
        .where(among(SupportRequestComponent.id, wanted))
    )
    return {str(r.id): r for r in rows.all()}


async def covered_components(session: AsyncSession) -> int:
    statement = (
        select(func.count())
        .select_from(SupportRequestComponent)
        .join(SupportRequest, SupportRequest.id == SupportRequestComponent.request_id)
        .where(SupportRequest.status.in_(MATCHABLE | {"matched"}), SupportRequestComponent.status != "open")
    )
    return int((await session.execute(statement)).scalar_one())


async def allocation_runs(session: AsyncSession, limit: int) -> Sequence[AllocationRun]:
    return (
        (
            await session.execute(
                select(AllocationRun).order_by(AllocationRun.created_at.desc(), AllocationRun.id).limit(limit)
            )
        )
        .scalars()
        .all()
    )


async def coverage_cells(session: AsyncSession) -> list[tuple[str, str, str, str | None]]:
    """(country, area, source, provider) of support that flows: live matches and existing support."""
    cells: list[tuple[str, str, str, str | None]] = []
    rows = await session.execute(
        select(SupportRequest.country_iso3, SupportRequestComponent.area_code, Match.reference)
        .join(SupportRequestComponent, SupportRequestComponent.request_id == SupportRequest.id)
        .join(MatchItem, MatchItem.request_component_id == SupportRequestComponent.id)
        .join(Match, Match.id == MatchItem.match_id)
        .where(Match.status.in_(match_workflow.ENGAGED | match_workflow.COVERING))
    )
    cells.extend((country, area, "match", reference) for country, area, reference in rows.all())
    for row in (
        await session.execute(
            select(ExistingSupport.recipient_country_iso3, ExistingSupport.areas, ExistingSupport.provider_name)
        )
    ).all():
        cells.extend((row.recipient_country_iso3, area, "existing_support", row.provider_name) for area in row.areas)
    return cells
