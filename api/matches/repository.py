"""Queries on matches. `visible_to` is the resource's one visibility predicate; `role_clauses` tells which
view a visible match is read through (facilitator, party or public)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.core.actor import Actor
from api.core.pagination import after, capped_count, decode_cursor, encode_cursor
from api.matches import workflow
from api.models.commitments import SupportOffer, SupportOfferComponent, SupportRequest, SupportRequestComponent
from api.models.identity import Membership, Organisation
from api.models.matches import (
    Match,
    MatchEvent,
    MatchFacilitator,
    MatchItem,
    MatchNote,
    MatchParty,
)
from api.models.reference import Country


def facilitating(actor: Actor) -> ColumnElement[bool]:
    """Matches the actor facilitates: the Secretariat all; UNHCR offices assigned to the match or covering a
    requesting country."""
    if actor.is_secretariat:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.is_unhcr and actor.organisation_ids:
        clauses.append(
            Match.id.in_(
                select(MatchFacilitator.match_id).where(MatchFacilitator.organisation_id.in_(actor.organisation_ids))
            )
        )
    if actor.unhcr_countries:
        clauses.append(
            Match.id.in_(
                select(MatchParty.match_id)
                .join(SupportRequest, SupportRequest.id == MatchParty.request_id)
                .where(SupportRequest.country_iso3.in_(actor.unhcr_countries))
            )
        )
    return or_(*clauses) if clauses else false()


def party_of(actor: Actor) -> ColumnElement[bool]:
    if not actor.organisation_ids:
        return false()
    return Match.id.in_(select(MatchParty.match_id).where(MatchParty.organisation_id.in_(actor.organisation_ids)))


def published() -> ColumnElement[bool]:
    """From planning on, and only when every party agreed to publish."""
    # An alias, so the clause stays correct inside queries that already join match_parties.
    party = aliased(MatchParty)
    return and_(
        Match.status.in_(workflow.PUBLISHABLE),
        ~exists(select(party.id).where(party.match_id == Match.id, party.publication_consent.isnot(True))),
    )


def visible_to(actor: Actor) -> ColumnElement[bool]:
    return or_(facilitating(actor), party_of(actor), published())


async def get_visible(
    session: AsyncSession, actor: Actor, match_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Match, bool, bool] | None:
    """The match, whether the actor facilitates it, and whether they are one of its parties."""
    statement = select(Match, facilitating(actor).label("facilitating"), party_of(actor).label("party")).where(
        Match.id == match_id, visible_to(actor)
    )
    if for_update:
        statement = statement.with_for_update(of=Match)
    row = (await session.execute(statement)).first()
    return (row[0], bool(row.facilitating), bool(row.party)) if row else None


async def parties(session: AsyncSession, match_id: uuid.UUID) -> list[tuple[MatchParty, Organisation]]:
    rows = await session.execute(
        select(MatchParty, Organisation)
        .join(Organisation, Organisation.id == MatchParty.organisation_id)
        .where(MatchParty.match_id == match_id)
        .order_by(MatchParty.side.desc(), Organisation.name)
    )
    return [(party, organisation) for party, organisation in rows.all()]


async def items(session: AsyncSession, match_id: uuid.UUID) -> list[MatchItem]:
    rows = await session.execute(
        select(MatchItem).where(MatchItem.match_id == match_id).order_by(MatchItem.rank, MatchItem.id)
    )
    return list(rows.scalars())


async def facilitators(session: AsyncSession, match_id: uuid.UUID) -> list[Organisation]:
    rows = await session.execute(
        select(Organisation)
        .join(MatchFacilitator, MatchFacilitator.organisation_id == Organisation.id)
        .where(MatchFacilitator.match_id == match_id)
        .order_by(Organisation.name)
    )
    return list(rows.scalars())


async def requests(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, SupportRequest]:
    if not ids:
        return {}
    rows = await session.execute(select(SupportRequest).where(SupportRequest.id.in_(ids)))
    return {row.id: row for row in rows.scalars()}


async def offers(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, SupportOffer]:
    if not ids:
        return {}
    rows = await session.execute(select(SupportOffer).where(SupportOffer.id.in_(ids)))
    return {row.id: row for row in rows.scalars()}


async def request_components(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, SupportRequestComponent]:
    if not ids:
        return {}
    rows = await session.execute(select(SupportRequestComponent).where(SupportRequestComponent.id.in_(ids)))
    return {row.id: row for row in rows.scalars()}


async def offer_components(
    session: AsyncSession, offer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SupportOfferComponent]]:
    result: dict[uuid.UUID, list[SupportOfferComponent]] = {i: [] for i in offer_ids}
    if not offer_ids:
        return result
    rows = await session.execute(
        select(SupportOfferComponent)
        .where(SupportOfferComponent.offer_id.in_(offer_ids))
        .order_by(SupportOfferComponent.offer_id, SupportOfferComponent.position)
    )
    for row in rows.scalars():
        result[row.offer_id].append(row)
    return result


async def focal_points(
    session: AsyncSession, organisation_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organisation id, user id) of the focal points of these organisations (active users only)."""
    from api.models.identity import User

    if not organisation_ids:
        return []
    rows = await session.execute(
        select(Membership.organisation_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id.in_(organisation_ids), Membership.role == "focal_point", User.is_active.is_(True)
        )
    )
    return [(row.organisation_id, row.user_id) for row in rows.all()]


async def members(session: AsyncSession, organisation_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, uuid.UUID]]:
    from api.models.identity import User

    if not organisation_ids:
        return []
    rows = await session.execute(
        select(Membership.organisation_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id.in_(organisation_ids), User.is_active.is_(True))
    )
    return [(row.organisation_id, row.user_id) for row in rows.all()]


async def events(session: AsyncSession, match_id: uuid.UUID) -> list[MatchEvent]:
    rows = await session.execute(
        select(MatchEvent).where(MatchEvent.match_id == match_id).order_by(MatchEvent.occurred_at, MatchEvent.id)
    )
    return list(rows.scalars())


async def notes(session: AsyncSession, match_id: uuid.UUID) -> list[MatchNote]:
    rows = await session.execute(
        select(MatchNote).where(MatchNote.match_id == match_id).order_by(MatchNote.created_at.desc(), MatchNote.id)
    )
    return list(rows.scalars())


def _area_codes() -> Any:
    return (
        select(func.array_agg(func.distinct(SupportRequestComponent.area_code)))
        .select_from(MatchItem)
        .join(SupportRequestComponent, SupportRequestComponent.id == MatchItem.request_component_id)
        .where(MatchItem.match_id == Match.id)
        .correlate(Match)
        .scalar_subquery()
    )


def _pending_consents() -> Any:
    return (
        select(func.count())
        .select_from(MatchParty)
        .where(MatchParty.match_id == Match.id, MatchParty.consent_status != "granted")
        .correlate(Match)
        .scalar_subquery()
    )


def _names(side: str | None = None) -> Any:
    statement = (
        select(func.array_agg(Organisation.name))
        .select_from(MatchParty)
        .join(Organisation, Organisation.id == MatchParty.organisation_id)
        .where(MatchParty.match_id == Match.id)
        .correlate(Match)
    )
    return statement.scalar_subquery()


def _requesting_countries() -> Any:
    return (
        select(func.array_agg(func.distinct(SupportRequest.country_iso3)))
        .select_from(MatchParty)
        .join(SupportRequest, SupportRequest.id == MatchParty.request_id)
        .where(MatchParty.match_id == Match.id)
        .correlate(Match)
        .scalar_subquery()
    )


async def page(
    session: AsyncSession,
    actor: Actor,
    *,
    statuses: Sequence[str],
    country: str | None,
    facilitated_only: bool,
    overdue_only: bool,
    now: datetime,
    limit: int,
    cursor: str | None,
    region: str | None = None,
    area: str | None = None,
    contributor_type: str | None = None,
) -> tuple[list[Any], str | None, int, bool]:
    clauses: list[ColumnElement[bool]] = [visible_to(actor)]
    if statuses:
        clauses.append(Match.status.in_(statuses))
    if region:
        # A requesting country in this M49 region (any level) or UNHCR bureau.
        clauses.append(
            Match.id.in_(
                select(MatchParty.match_id)
                .join(SupportRequest, SupportRequest.id == MatchParty.request_id)
                .join(Country, Country.iso3 == SupportRequest.country_iso3)
                .where(
                    or_(
                        Country.region_code == region,
                        Country.subregion_code == region,
                        Country.intermediate_region_code == region,
                        Country.bureau_code == region,
                    )
                )
            )
        )
    if area:
        # A parent area matches its children.
        clauses.append(
            Match.id.in_(
                select(MatchItem.match_id)
                .join(SupportRequestComponent, SupportRequestComponent.id == MatchItem.request_component_id)
                .where(
                    or_(
                        SupportRequestComponent.area_code == area,
                        SupportRequestComponent.area_code.startswith(area + ".", autoescape=True),
                    )
                )
            )
        )
    if contributor_type:
        clauses.append(
            Match.id.in_(
                select(MatchParty.match_id)
                .join(Organisation, Organisation.id == MatchParty.organisation_id)
                .where(Organisation.contributor_type == contributor_type)
            )
        )
    if facilitated_only:
        clauses.append(facilitating(actor))
    if country:
        clauses.append(
            Match.id.in_(
                select(MatchParty.match_id)
                .join(SupportRequest, SupportRequest.id == MatchParty.request_id)
                .where(SupportRequest.country_iso3 == country.upper())
            )
        )
    if overdue_only:
        clauses.append(
            or_(
                and_(Match.status == "consent_pending", Match.consent_deadline < now),
                Match.next_action_on < now.date(),
            )
        )
    total, capped = await capped_count(session, select(Match.id).where(*clauses))
    statement = select(
        Match.id,
        Match.reference,
        Match.status,
        Match.consent_deadline,
        Match.next_action_on,
        Match.updated_at,
        Match.disclosed,
        Match.public_summary,
        Match.starts_on,
        Match.ends_on,
        facilitating(actor).label("facilitating"),
        published().label("published"),
        _area_codes().label("area_codes"),
        _pending_consents().label("pending_consents"),
        _names().label("party_names"),
        _requesting_countries().label("requesting_countries"),
    ).where(*clauses)
    columns = [Match.updated_at, Match.id]
    if cursor:
        statement = statement.where(after(columns, decode_cursor(cursor, key="matches", length=2), [True, True]))
    rows = (await session.execute(statement.order_by(Match.updated_at.desc(), Match.id.desc()).limit(limit + 1))).all()
    next_cursor = (
        encode_cursor("matches", [rows[limit - 1].updated_at, rows[limit - 1].id]) if len(rows) > limit else None
    )
    return list(rows[:limit]), next_cursor, total, capped


async def queue(session: AsyncSession, actor: Actor, *, limit: int) -> list[Any]:
    """The facilitator's open matches, with what the attention order needs."""
    statement = select(
        Match.id,
        Match.reference,
        Match.status,
        Match.consent_deadline,
        Match.next_action_on,
        Match.updated_at,
        Match.disclosed,
        Match.public_summary,
        Match.starts_on,
        Match.ends_on,
        _area_codes().label("area_codes"),
        _pending_consents().label("pending_consents"),
        _names().label("party_names"),
        _requesting_countries().label("requesting_countries"),
    ).where(facilitating(actor), Match.status.notin_(("fulfilled", "cancelled", "declined", "expired")))
    return list((await session.execute(statement.limit(limit))).all())


async def engaged_offer_load(session: AsyncSession, offer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many request components each offer currently serves in live matches (its used capacity)."""
    if not offer_ids:
        return {}
    rows = await session.execute(
        select(MatchItem.offer_id, func.count())
        .join(Match, Match.id == MatchItem.match_id)
        .where(MatchItem.offer_id.in_(offer_ids), Match.status.in_(workflow.ENGAGED))
        .group_by(MatchItem.offer_id)
    )
    return {offer_id: int(count) for offer_id, count in rows.all()}
