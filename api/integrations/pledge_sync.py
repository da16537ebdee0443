"""Pledge sync: a source system (the GRF pledge platform) puts each pledge by its own id.

The body is the whole pledge; the stored pledge is made equal to it. Sending the same body again writes
nothing (same version, same ETag). Rules and writing come from the pledges module (`check`,
`replace_entities`, `read`); this module only resolves the source system's references and compares.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.service import check_if_match, etag
from api.commitments.validation import Checker
from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import AppError, FieldError, Forbidden, PreconditionFailed, validation_fields
from api.integrations import schemas
from api.models.commitments import Pledge, PledgeOrganisation, SupportOffer, SupportRequest, SupportRequestPledge
from api.models.identity import Organisation
from api.pledges import repository as pledges_repository
from api.pledges import schemas as pledge_schemas
from api.pledges import service as pledges_service
from api.support_offers.repository import visible_to as offer_visible_to
from api.support_requests.repository import visible_to as request_visible_to

SyncStatus = Literal["created", "updated", "unchanged"]
_FIELDS = ("source_event", "title", "description", "pledge_types", "areas", "stage", "submitted_on", "is_published")


async def _organisations(
    session: AsyncSession, checker: Checker, refs: Sequence[schemas.OrganisationRef]
) -> list[pledge_schemas.PledgingEntity] | None:
    """The pledging entities with platform ids; None (and field errors) when a reference is unknown."""
    by_external = [(r.source, r.external_id) for r in refs if r.organisation_id is None]
    found: dict[tuple[str | None, str | None], uuid.UUID] = {}
    if by_external:
        rows = await session.execute(
            select(Organisation.id, Organisation.source, Organisation.external_id).where(
                or_(*[(Organisation.source == s) & (Organisation.external_id == e) for s, e in by_external])
            )
        )
        found = {(row.source, row.external_id): row.id for row in rows}
    entities: list[pledge_schemas.PledgingEntity] = []
    for position, ref in enumerate(refs):
        organisation_id = ref.organisation_id or found.get((ref.source, ref.external_id))
        if organisation_id is None:
            checker.add(f"organisations.{position}", f"No organisation '{ref.external_id}' from {ref.source}")
            continue
        entities.append(pledge_schemas.PledgingEntity(organisation_id=organisation_id, is_lead=ref.is_lead))
    return entities if len(entities) == len(refs) else None


async def _records(
    session: AsyncSession,
    checker: Checker,
    actor: Actor,
    refs: Sequence[schemas.RecordRef] | None,
    *,
    model: type[SupportRequest] | type[SupportOffer],
    field: str,
) -> list[uuid.UUID] | None:
    """Ids of the requests (or offers) named by reference or external id, among those the caller may see."""
    if refs is None:
        return None
    if not refs:
        return []
    visible = request_visible_to(actor) if model is SupportRequest else offer_visible_to(actor)
    clauses = [
        model.reference == ref.reference
        if ref.reference
        else (model.source == ref.source) & (model.external_id == ref.external_id)
        for ref in refs
    ]
    rows = (
        await session.execute(
            select(model.id, model.reference, model.source, model.external_id).where(or_(*clauses), visible)
        )
    ).all()
    by_reference = {row.reference: row.id for row in rows}
    by_external = {(row.source, row.external_id): row.id for row in rows}
    ids: list[uuid.UUID] = []
    for position, ref in enumerate(refs):
        found = by_reference.get(ref.reference) if ref.reference else by_external.get((ref.source, ref.external_id))
        if found is None:
            checker.add(f"{field}.{position}", f"No such {'request' if model is SupportRequest else 'offer'}")
        else:
            ids.append(found)
    return list(dict.fromkeys(ids))


def _wanted_entities(entities: Sequence[pledge_schemas.PledgingEntity]) -> set[tuple[uuid.UUID, bool]]:
    """The entities as `replace_entities` stores them (the first leads when none is named)."""
    has_lead = any(e.is_lead for e in entities)
    return {(e.organisation_id, e.is_lead or (not has_lead and i == 0)) for i, e in enumerate(entities)}


async def sync_pledge(
    session: AsyncSession,
    *,
    actor: Actor,
    source: str,
    external_id: str,
    body: schemas.PledgeSync,
    if_match: str | None,
) -> tuple[schemas.PledgeSynced, SyncStatus]:
    """Create or update the pledge `external_id` of `source` to equal `body`; unchanged bodies write nothing."""
    if not pledges_service.may_write(actor):
        raise Forbidden("Only the Secretariat and clients with pledges:write record pledges")
    checker = Checker(session)
    entities = await _organisations(session, checker, body.organisations)
    request_ids = await _records(session, checker, actor, body.requests, model=SupportRequest, field="requests")
    offer_ids = await _records(session, checker, actor, body.offers, model=SupportOffer, field="offers")
    await pledges_service.check(
        checker,
        session,
        pledge_schemas.PledgeUpdate.model_construct(
            source_event=body.source_event,
            pledge_types=body.pledge_types,
            areas=body.areas,
            organisations=entities,
        ),
    )
    checker.raise_if_any()
    assert entities is not None
    values: dict[str, Any] = {
        "source_event": body.source_event,
        "title": body.title,
        "description": body.description,
        "pledge_types": list(dict.fromkeys(body.pledge_types)),
        "areas": list(dict.fromkeys(body.areas)),
        "stage": body.stage,
        "submitted_on": body.submitted_on,
        "is_published": body.is_published,
    }
    pledge = await pledges_repository.by_external_id(session, source, external_id)
    status: SyncStatus
    if pledge is None:
        if if_match is not None:
            raise PreconditionFailed("There is no such pledge yet: send no If-Match to create it")
        pledge = Pledge(source=source, external_id=external_id, **values)
        session.add(pledge)
        audit.label(session, pledge, "pledges.synced")
        await session.flush()
        await pledges_service.replace_entities(session, pledge, entities)
        offers = await _offers_to_relink(session, pledge, offer_ids)
        await _link(
            session, pledge, request_ids=request_ids, offer_ids=offer_ids, current_requests=set(), offers=offers
        )
        status = "created"
    else:
        check_if_match(pledge, if_match, required=False)
        # Everything is read before anything changes: a query after a change would flush it early.
        current_entities = {
            (row.organisation_id, row.is_lead)
            for row in (
                await session.execute(
                    select(PledgeOrganisation.organisation_id, PledgeOrganisation.is_lead).where(
                        PledgeOrganisation.pledge_id == pledge.id
                    )
                )
            ).all()
        }
        current_requests = set(
            (
                await session.execute(
                    select(SupportRequestPledge.request_id).where(SupportRequestPledge.pledge_id == pledge.id)
                )
            ).scalars()
        )
        offers = await _offers_to_relink(session, pledge, offer_ids)
        changed = {key: value for key, value in values.items() if getattr(pledge, key) != value}
        entities_changed = current_entities != _wanted_entities(entities)
        requests_changed = request_ids is not None and current_requests != set(request_ids)
        offers_changed = offer_ids is not None and {o.id for o in offers if o.pledge_id == pledge.id} != set(offer_ids)
        if not (changed or entities_changed or requests_changed or offers_changed):
            if actor.kind != "client":  # a client's calls are audited anyway
                await audit.record(session, action="pledges.sync_unchanged", record_type="pledges", record_id=pledge.id)
            return await _synced(session, actor, pledge, "unchanged"), "unchanged"
        for key, value in changed.items():
            setattr(pledge, key, value)
        if not changed:
            # Only its links change: the pledge still gets a new version (and ETag, and change event).
            pledge.updated_at = clock.now()
        audit.label(session, pledge, "pledges.synced")
        if entities_changed:
            await pledges_service.replace_entities(session, pledge, entities)
        await _link(
            session,
            pledge,
            request_ids=request_ids if requests_changed else None,
            offer_ids=offer_ids if offers_changed else None,
            current_requests=current_requests,
            offers=offers,
        )
        status = "updated"
    await session.flush()
    return await _synced(session, actor, pledge, status), status


async def _offers_to_relink(
    session: AsyncSession, pledge: Pledge, offer_ids: Sequence[uuid.UUID] | None
) -> list[SupportOffer]:
    """The offers linked now and those to link, loaded for update."""
    if offer_ids is None:
        return []
    statement = select(SupportOffer).where(or_(SupportOffer.pledge_id == pledge.id, SupportOffer.id.in_(offer_ids)))
    return list((await session.execute(statement)).scalars())


async def _link(
    session: AsyncSession,
    pledge: Pledge,
    *,
    request_ids: Sequence[uuid.UUID] | None,
    offer_ids: Sequence[uuid.UUID] | None,
    current_requests: set[uuid.UUID],
    offers: Sequence[SupportOffer],
) -> None:
    if request_ids is not None:
        for link in (
            await session.execute(
                select(SupportRequestPledge).where(
                    SupportRequestPledge.pledge_id == pledge.id,
                    SupportRequestPledge.request_id.not_in(request_ids),
                )
            )
        ).scalars():
            await session.delete(link)
        session.add_all(
            SupportRequestPledge(request_id=i, pledge_id=pledge.id) for i in request_ids if i not in current_requests
        )
    if offer_ids is not None:
        wanted = set(offer_ids)
        for offer in offers:
            target = pledge.id if offer.id in wanted else None
            if offer.pledge_id != target:
                offer.pledge_id = target


async def _synced(session: AsyncSession, actor: Actor, pledge: Pledge, status: SyncStatus) -> schemas.PledgeSynced:
    read = await pledges_service.read(session, actor, pledge)
    return schemas.PledgeSynced(**read.model_dump(), sync_status=status)


async def bulk_upsert(
    session: AsyncSession, *, actor: Actor, body: schemas.PledgeBulkUpsert
) -> schemas.PledgeBulkResponse:
    """Each item is validated and written on its own (in a savepoint): one bad item refuses only itself."""
    if not pledges_service.may_write(actor):
        raise Forbidden("Only the Secretariat and clients with pledges:write record pledges")
    results: list[schemas.PledgeBulkResult] = []
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(body.items):
        prefix = f"items.{index}"
        source, external_id = _key_of(raw)
        try:
            item = schemas.PledgeSyncItem.model_validate(raw)
        except ValidationError as error:
            fields = [
                FieldError(field=f"{prefix}.{f.field}", message=f.message, type=f.type)
                for f in validation_fields(error.errors())
            ]
            results.append(_error(index, source, external_id, fields))
            continue
        key = (item.source, item.external_id)
        if key in seen:
            message = f"The same pledge is item {seen[key]} of this request"
            results.append(
                _error(index, source, external_id, [FieldError(field=f"{prefix}.external_id", message=message)])
            )
            continue
        seen[key] = index
        sync_body = schemas.PledgeSync.model_validate(item.model_dump(exclude={"source", "external_id"}))
        try:
            async with session.begin_nested():
                synced, status = await sync_pledge(
                    session,
                    actor=actor,
                    source=item.source,
                    external_id=item.external_id,
                    body=sync_body,
                    if_match=None,
                )
        except AppError as error:
            fields = [
                FieldError(field=f"{prefix}.{f.field}", message=f.message, type=f.type) for f in error.fields or []
            ] or [FieldError(field=prefix, message=error.detail)]
            results.append(_error(index, source, external_id, fields))
            continue
        except SQLAlchemyError:
            message = "The pledge could not be written (it changed meanwhile); send it again"
            results.append(_error(index, source, external_id, [FieldError(field=prefix, message=message)]))
            continue
        results.append(
            schemas.PledgeBulkResult(
                index=index,
                source=item.source,
                external_id=item.external_id,
                status=status,
                id=synced.id,
                version=synced.version,
                etag=etag(synced),
            )
        )
    counts = schemas.PledgeBulkCounts()
    for result in results:
        setattr(counts, result.status, getattr(counts, result.status) + 1)
    await audit.record(
        session,
        action="pledges.bulk_upsert",
        record_type="pledges",
        note=", ".join(f"{name} {value}" for name, value in counts.model_dump().items()),
    )
    return schemas.PledgeBulkResponse(counts=counts, results=results)


def _key_of(raw: dict[str, Any]) -> tuple[str | None, str | None]:
    source, external_id = raw.get("source"), raw.get("external_id")
    return (source if isinstance(source, str) else None, external_id if isinstance(external_id, str) else None)


def _error(
    index: int, source: str | None, external_id: str | None, fields: list[FieldError]
) -> schemas.PledgeBulkResult:
    return schemas.PledgeBulkResult(index=index, source=source, external_id=external_id, status="error", errors=fields)
