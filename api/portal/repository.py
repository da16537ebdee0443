"""Aggregate queries for the portal. Anything broken down by country only counts records their owners allowed
to publish (validated requests and offers with `allow_publication`, matches every party agreed to publish)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, distinct, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from api.matches import workflow as match_workflow
from api.matches.repository import published
from api.models.commitments import (
    PUBLISHED_STATUSES,
    Pledge,
    PledgeOrganisation,
    SupportOffer,
    SupportRequest,
    SupportRequestComponent,
)
from api.models.identity import Organisation
from api.models.matches import Match, MatchItem, MatchParty


def _publishable(model: Any) -> Any:
    return and_(model.status.in_(PUBLISHED_STATUSES), model.allow_publication.is_(True))


async def key_figures(session: AsyncSession) -> dict[str, Any]:
    validated_requests = (
        select(func.count())
        .select_from(SupportRequest)
        .where(SupportRequest.status.in_(PUBLISHED_STATUSES))
        .scalar_subquery()
    )
    validated_offers = (
        select(func.count())
        .select_from(SupportOffer)
        .where(SupportOffer.status.in_(PUBLISHED_STATUSES))
        .scalar_subquery()
    )
    unmet = (
        select(func.count())
        .select_from(SupportRequestComponent)
        .join(SupportRequest, SupportRequest.id == SupportRequestComponent.request_id)
        .where(SupportRequest.status.in_(("validated", "partially_matched")), SupportRequestComponent.status == "open")
        .scalar_subquery()
    )
    pledges = select(func.count()).select_from(Pledge).where(Pledge.is_published.is_(True)).scalar_subquery()
    states = union(
        select(SupportRequest.country_iso3).where(SupportRequest.status.in_(PUBLISHED_STATUSES)),
        select(Organisation.country_iso3)
        .join(SupportOffer, SupportOffer.organisation_id == Organisation.id)
        .where(SupportOffer.status.in_(PUBLISHED_STATUSES), Organisation.contributor_type == "state"),
        select(Organisation.country_iso3)
        .join(PledgeOrganisation, PledgeOrganisation.organisation_id == Organisation.id)
        .join(Pledge, Pledge.id == PledgeOrganisation.pledge_id)
        .where(Pledge.is_published.is_(True), Organisation.contributor_type == "state"),
    ).subquery()
    row = (
        await session.execute(
            select(
                validated_requests,
                validated_offers,
                unmet,
                pledges,
                select(func.count(distinct(states.c.country_iso3)))
                .where(states.c.country_iso3.is_not(None))
                .scalar_subquery(),
            )
        )
    ).one()
    stages = dict(
        (
            await session.execute(
                select(Match.status, func.count())
                .where(Match.status.in_(match_workflow.PUBLISHABLE))
                .group_by(Match.status)
            )
        ).all()
    )
    return {
        "requests": row[0],
        "offers": row[1],
        "unmet_needs": row[2],
        "pledges": row[3],
        "states_involved": row[4],
        "matches_by_stage": {stage: int(stages.get(stage, 0)) for stage in ("planning", "in_progress", "fulfilled")},
    }


async def country_figures(session: AsyncSession) -> Sequence[Any]:
    pledgers = (
        select(Organisation.country_iso3.label("country"), func.count(distinct(Organisation.id)).label("n"))
        .join(PledgeOrganisation, PledgeOrganisation.organisation_id == Organisation.id)
        .join(Pledge, Pledge.id == PledgeOrganisation.pledge_id)
        .where(Pledge.is_published.is_(True), Organisation.country_iso3.is_not(None))
        .group_by(Organisation.country_iso3)
    )
    matches = (
        select(SupportRequest.country_iso3.label("country"), func.count(distinct(Match.id)).label("n"))
        .select_from(Match)
        .join(MatchParty, MatchParty.match_id == Match.id)
        .join(SupportRequest, SupportRequest.id == MatchParty.request_id)
        .where(published())
        .group_by(SupportRequest.country_iso3)
    )
    needs = (
        select(SupportRequest.country_iso3.label("country"), func.count().label("n"))
        .join(SupportRequestComponent, SupportRequestComponent.request_id == SupportRequest.id)
        .where(
            _publishable(SupportRequest),
            SupportRequest.status.in_(("validated", "partially_matched")),
            SupportRequestComponent.status == "open",
        )
        .group_by(SupportRequest.country_iso3)
    )
    offers = (
        select(SupportOffer.country_iso3.label("country"), func.count().label("n"))
        .where(_publishable(SupportOffer), SupportOffer.country_iso3.is_not(None))
        .group_by(SupportOffer.country_iso3)
    )
    result: dict[str, dict[str, int]] = {}
    for name, statement in (
        ("pledging_entities", pledgers),
        ("published_matches", matches),
        ("unmet_needs", needs),
        ("offers", offers),
    ):
        for country, count in (await session.execute(statement)).all():
            if country is None:
                continue
            figures = result.setdefault(
                country, dict.fromkeys(("pledging_entities", "published_matches", "unmet_needs", "offers"), 0)
            )
            figures[name] = int(count)
    return [{"country_iso3": country, **values} for country, values in sorted(result.items())]


async def coverage_counts(session: AsyncSession) -> Sequence[Any]:
    needs = (
        select(SupportRequest.country_iso3, SupportRequestComponent.area_code, func.count())
        .join(SupportRequestComponent, SupportRequestComponent.request_id == SupportRequest.id)
        .where(
            _publishable(SupportRequest),
            SupportRequest.status.in_(("validated", "partially_matched")),
            SupportRequestComponent.status == "open",
        )
        .group_by(SupportRequest.country_iso3, SupportRequestComponent.area_code)
    )
    matched = (
        select(SupportRequest.country_iso3, SupportRequestComponent.area_code, func.count(distinct(Match.id)))
        .select_from(Match)
        .join(MatchItem, MatchItem.match_id == Match.id)
        .join(SupportRequestComponent, SupportRequestComponent.id == MatchItem.request_component_id)
        .join(SupportRequest, SupportRequest.id == SupportRequestComponent.request_id)
        .where(published())
        .group_by(SupportRequest.country_iso3, SupportRequestComponent.area_code)
    )
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for key, statement in (("needs", needs), ("matches", matched)):
        for country, area, count in (await session.execute(statement)).all():
            cells.setdefault((country, area), {"needs": 0, "matches": 0})[key] = int(count)
    return [{"country_iso3": c, "area_code": a, **v} for (c, a), v in sorted(cells.items())]
