"""The raw facts stocktaking figures are computed from (one row per request, offer, match, party, report)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.commitments import SupportOffer, SupportOfferComponent, SupportRequest, SupportRequestComponent
from api.models.matches import Match, MatchItem, MatchParty
from api.models.reference import Country
from api.models.reports import ProgressReport, ReportingSchedule


async def request_facts(session: AsyncSession) -> Sequence[Any]:
    """Per request: where, which top-level areas, when submitted/validated, first proposal, consent and
    agreement of a match on it, and how many components are still open."""
    first = (
        select(
            SupportRequestComponent.request_id.label("request_id"),
            func.min(Match.created_at).label("proposed_at"),
            func.min(Match.consented_at).label("consented_at"),
            func.min(Match.agreed_at).label("agreed_at"),
        )
        .join(MatchItem, MatchItem.request_component_id == SupportRequestComponent.id)
        .join(Match, Match.id == MatchItem.match_id)
        .group_by(SupportRequestComponent.request_id)
    ).subquery()
    areas = (
        select(
            SupportRequestComponent.request_id.label("request_id"),
            func.array_agg(func.distinct(func.split_part(SupportRequestComponent.area_code, ".", 1))).label("areas"),
            func.count().filter(SupportRequestComponent.status == "open").label("open_components"),
        ).group_by(SupportRequestComponent.request_id)
    ).subquery()
    statement = (
        select(
            SupportRequest.id,
            SupportRequest.status,
            SupportRequest.submitted_at,
            SupportRequest.validated_at,
            Country.region_code,
            Country.bureau_code,
            areas.c.areas,
            areas.c.open_components,
            first.c.proposed_at,
            first.c.consented_at,
            first.c.agreed_at,
        )
        .join(Country, Country.iso3 == SupportRequest.country_iso3)
        .outerjoin(areas, areas.c.request_id == SupportRequest.id)
        .outerjoin(first, first.c.request_id == SupportRequest.id)
        .where(SupportRequest.submitted_at.is_not(None))
    )
    return (await session.execute(statement)).all()


async def offer_facts(session: AsyncSession) -> Sequence[Any]:
    offer_areas = (
        select(
            SupportOfferComponent.offer_id.label("offer_id"),
            func.array_agg(func.distinct(func.split_part(SupportOfferComponent.area_code, ".", 1))).label("areas"),
        ).group_by(SupportOfferComponent.offer_id)
    ).subquery()
    statement = (
        select(
            SupportOffer.id,
            SupportOffer.status,
            SupportOffer.submitted_at,
            SupportOffer.validated_at,
            Country.region_code,
            Country.bureau_code,
            offer_areas.c.areas,
        )
        .outerjoin(Country, Country.iso3 == SupportOffer.country_iso3)
        .outerjoin(offer_areas, offer_areas.c.offer_id == SupportOffer.id)
        .where(SupportOffer.submitted_at.is_not(None))
    )
    return (await session.execute(statement)).all()


async def match_facts(session: AsyncSession) -> Sequence[Any]:
    """Per match: its stage and dates, with the region, bureau and areas of its requesting side."""
    statement = (
        select(
            Match.id,
            Match.status,
            Match.created_at,
            Match.agreed_at,
            Match.fulfilled_at,
            func.array_agg(func.distinct(Country.region_code)).label("regions"),
            func.array_agg(func.distinct(Country.bureau_code)).label("bureaux"),
            func.array_agg(func.distinct(func.split_part(SupportRequestComponent.area_code, ".", 1))).label("areas"),
        )
        .join(MatchItem, MatchItem.match_id == Match.id)
        .join(SupportRequestComponent, SupportRequestComponent.id == MatchItem.request_component_id)
        .join(SupportRequest, SupportRequest.id == SupportRequestComponent.request_id)
        .join(Country, Country.iso3 == SupportRequest.country_iso3)
        .group_by(Match.id)
    )
    return (await session.execute(statement)).all()


async def consent_facts(session: AsyncSession) -> Sequence[Any]:
    """Per party decision: how long after the request for consent it came."""
    statement = (
        select(MatchParty.match_id, Match.consent_requested_at, MatchParty.consent_decided_at)
        .join(Match, Match.id == MatchParty.match_id)
        .where(Match.consent_requested_at.is_not(None), MatchParty.consent_decided_at.is_not(None))
    )
    return (await session.execute(statement)).all()


async def report_facts(session: AsyncSession) -> Sequence[Any]:
    statement = (
        select(ProgressReport.id, ProgressReport.due_on, ProgressReport.submitted_at, ReportingSchedule.match_id)
        .join(ReportingSchedule, ReportingSchedule.id == ProgressReport.schedule_id)
        .where(ProgressReport.status != "not_yet_due")
    )
    return (await session.execute(statement)).all()
