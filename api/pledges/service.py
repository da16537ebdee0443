"""Pledge rules: the Secretariat (and integration clients allowed to write pledges) create and edit them;
everyone reads published ones; pledging organisations also read their unpublished ones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.service import check_if_match
from api.commitments.validation import Checker
from api.core.actor import Actor
from api.core.errors import Conflict, Forbidden, NotFound, refuse_emptied
from api.models.commitments import Pledge, PledgeOrganisation
from api.models.identity import Organisation
from api.pledges import repository, schemas
from api.support_offers.repository import visible_to as offer_visible_to
from api.support_requests.repository import visible_to as request_visible_to


def may_write(actor: Actor) -> bool:
    return actor.is_secretariat or (actor.kind == "client" and actor.has_scope("pledges:write"))


def _require_writer(actor: Actor) -> None:
    if not may_write(actor):
        raise Forbidden("Only the Secretariat records and edits pledges")


async def check(checker: Checker, session: AsyncSession, body: schemas.PledgeCreate | schemas.PledgeUpdate) -> None:
    if body.source_event is not None:
        await checker.check_codes("source_event", "pledge_source_events", [body.source_event])
        if checker.errors and checker.errors[-1].field == "source_event.0":
            checker.errors[-1] = checker.errors[-1].model_copy(update={"field": "source_event"})
    if body.pledge_types is not None:
        await checker.check_codes("pledge_types", "pledge_types", body.pledge_types)
    for position, code in enumerate(body.areas or []):
        await checker.check_area(f"areas.{position}", code)
    if body.organisations is not None:
        ids = [entity.organisation_id for entity in body.organisations]
        found = {o.id for o in await _organisations(session, ids)}
        for position, organisation_id in enumerate(ids):
            if organisation_id not in found:
                checker.add(f"organisations.{position}.organisation_id", "No such organisation")
        if len(set(ids)) != len(ids):
            checker.add("organisations", "An organisation is listed twice")
        if sum(1 for entity in body.organisations if entity.is_lead) > 1:
            checker.add("organisations", "A pledge has one lead organisation")


async def _organisations(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Organisation]:
    if not ids:
        return []
    return list((await session.execute(select(Organisation).where(Organisation.id.in_(ids)))).scalars())


async def replace_entities(session: AsyncSession, pledge: Pledge, entities: Sequence[schemas.PledgingEntity]) -> None:
    """Replace the pledging organisations; with no lead named, the first one leads."""
    await session.execute(delete(PledgeOrganisation).where(PledgeOrganisation.pledge_id == pledge.id))
    has_lead = any(entity.is_lead for entity in entities)
    for position, entity in enumerate(entities):
        session.add(
            PledgeOrganisation(
                pledge_id=pledge.id,
                organisation_id=entity.organisation_id,
                is_lead=entity.is_lead or (not has_lead and position == 0),
            )
        )


async def create(session: AsyncSession, *, actor: Actor, body: schemas.PledgeCreate) -> schemas.Pledge:
    _require_writer(actor)
    checker = Checker(session)
    await check(checker, session, body)
    checker.raise_if_any()
    if await repository.by_external_id(session, body.source, body.external_id) is not None:
        raise Conflict(f"A pledge '{body.external_id}' from {body.source} exists already", code="DuplicatePledge")
    pledge = Pledge(**body.model_dump(exclude={"organisations"}))
    session.add(pledge)
    await session.flush()
    await replace_entities(session, pledge, body.organisations)
    await session.flush()
    return await read(session, actor, pledge)


def apply_update(pledge: Pledge, body: schemas.PledgeUpdate) -> None:
    changes = body.model_dump(exclude_unset=True, exclude={"organisations"})
    refuse_emptied(changes, set(changes) - {"stage", "submitted_on"})
    for key, value in changes.items():
        setattr(pledge, key, value)


async def update(
    session: AsyncSession, *, actor: Actor, pledge_id: uuid.UUID, body: schemas.PledgeUpdate, if_match: str | None
) -> schemas.Pledge:
    _require_writer(actor)
    pledge = await repository.get_visible(session, actor, pledge_id)
    if pledge is None:
        raise NotFound("No such pledge")
    check_if_match(pledge, if_match)
    checker = Checker(session)
    await check(checker, session, body)
    checker.raise_if_any()
    apply_update(pledge, body)
    if body.organisations is not None:
        await replace_entities(session, pledge, body.organisations)
    await session.flush()
    return await read(session, actor, pledge)


async def get(session: AsyncSession, *, actor: Actor, pledge_id: uuid.UUID) -> schemas.Pledge:
    pledge = await repository.get_visible(session, actor, pledge_id)
    if pledge is None:
        raise NotFound("No such pledge")
    return await read(session, actor, pledge)


async def read(session: AsyncSession, actor: Actor, pledge: Pledge) -> schemas.Pledge:
    entities = (await repository.entities(session, [pledge.id]))[pledge.id]
    requests = await repository.linked_requests(session, pledge.id, request_visible_to(actor))
    offers = await repository.linked_offers(session, pledge.id, offer_visible_to(actor))
    return schemas.Pledge(
        id=pledge.id,
        external_id=pledge.external_id,
        source=pledge.source,
        source_event=pledge.source_event,
        title=pledge.title,
        description=pledge.description,
        pledge_types=pledge.pledge_types,
        areas=pledge.areas,
        stage=pledge.stage,
        submitted_on=pledge.submitted_on,
        is_published=pledge.is_published,
        organisations=[
            schemas.PledgingEntityRead(
                organisation_id=e.organisation_id,
                name=e.name,
                contributor_type=e.contributor_type,
                country_iso3=e.country_iso3,
                is_lead=e.is_lead,
            )
            for e in entities
        ],
        requests=[schemas.LinkedRecord(id=r.id, reference=r.reference, title=r.title) for r in requests],
        offers=[schemas.LinkedRecord(id=o.id, reference=o.reference, title=o.title) for o in offers],
        version=pledge.version,
        created_at=pledge.created_at,
        updated_at=pledge.updated_at,
    )


async def list_pledges(
    session: AsyncSession,
    *,
    actor: Actor,
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
) -> schemas.PledgePage:
    rows, next_cursor, total, capped = await repository.page(
        session,
        actor,
        q=q,
        source_event=source_event,
        stage=stage,
        area=area,
        organisation_id=organisation_id,
        country=country,
        region=region,
        contributor_type=contributor_type,
        updated_since=updated_since,
        limit=limit,
        cursor=cursor,
    )
    return schemas.PledgePage(
        items=[schemas.PledgeListItem.model_validate(row, from_attributes=True) for row in rows],
        next_cursor=next_cursor,
        total=total,
        total_is_lower_bound=capped,
    )
