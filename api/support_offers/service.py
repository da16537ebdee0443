"""Support offer rules: who may offer, the technical exchange rule, the served scope, what each viewer sees."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments import workflow
from api.commitments.queries import Filters
from api.commitments.schemas import ComponentIn, DuplicationWarning
from api.commitments.service import (
    check_components,
    check_if_match,
    next_reference,
    perform_transition,
    refresh_denormalised,
    roles_for,
    sync_components,
)
from api.commitments.validation import Checker
from api.core.actor import Actor
from api.core.errors import Forbidden, NotFound, field_error
from api.existing_support.service import duplication_warnings
from api.models.base import new_id
from api.models.commitments import Pledge, SupportOffer, SupportOfferComponent
from api.models.identity import Organisation
from api.models.reference import Country
from api.reference.repository import bureaux, regions
from api.support_offers import repository, schemas
from api.support_requests.service import ACTOR_ACTIONS

LABEL = "offer"
OFFERING_KINDS = frozenset({"state_government", "state_institution", "stakeholder"})
TECHNICAL = "technical"


def technical_exchange_problem(components: Sequence[ComponentIn]) -> str | None:
    """The ACSG is not primarily a funding mechanism: every support includes technical exchange."""
    if any(TECHNICAL in c.support_types for c in components):
        return None
    return (
        "Every offer must include technical exchange: mark at least one component with the 'technical' "
        "support type. Material or financial support is welcome alongside it, not alone."
    )


async def _organisation_for_create(session: AsyncSession, actor: Actor, organisation_id: uuid.UUID) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or not organisation.is_active:
        raise field_error("organisation_id", "No such organisation")
    if organisation.kind not in OFFERING_KINDS:
        raise field_error("organisation_id", "An offer comes from a State institution or a stakeholder")
    if not (actor.is_secretariat or actor.can_edit_for(organisation.id)):
        raise Forbidden("Only the organisation's focal points and editors (or the Secretariat) draft its offers")
    return organisation


async def _check_body(
    checker: Checker, session: AsyncSession, body: schemas.SupportOfferCreate | schemas.SupportOfferUpdate
) -> None:
    if body.components is not None:
        await check_components(checker, body.components)
        problem = technical_exchange_problem(body.components)
        if problem:
            checker.add("components", problem)
    if body.languages is not None:
        await checker.check_codes("languages", "languages", body.languages)
    for name in ("served_countries", "excluded_countries"):
        values = getattr(body, name)
        if values:
            await checker.check_countries(name, values)
    await checker.check_country("proactive_target_iso3", body.proactive_target_iso3)
    if body.served_bureaux:
        known = {b.code for b in await bureaux(session)}
        for position, code in enumerate(body.served_bureaux):
            if code not in known:
                checker.add(f"served_bureaux.{position}", f"Unknown bureau '{code}'")
    if body.served_regions:
        known_regions = {r.code for r in await regions(session)}
        for position, code in enumerate(body.served_regions):
            if code not in known_regions:
                checker.add(f"served_regions.{position}", f"Unknown UN M49 area '{code}'")
    if body.pledge_id is not None and await session.get(Pledge, body.pledge_id) is None:
        checker.add("pledge_id", "No such pledge")
    if body.starts_on and body.ends_on and body.ends_on < body.starts_on:
        checker.add("ends_on", "The end is before the start")


_SIMPLE_FIELDS = (
    "title",
    "pledge_id",
    "languages",
    "serves_any",
    "served_countries",
    "served_regions",
    "served_bureaux",
    "excluded_countries",
    "capacity",
    "starts_on",
    "ends_on",
    "proactive_target_iso3",
    "public_summary",
    "confidential_details",
    "contacts",
    "attachments",
    "allow_publication",
)
_NULLABLE = frozenset({"pledge_id", "starts_on", "ends_on", "proactive_target_iso3"})


def _apply(
    record: SupportOffer, body: schemas.SupportOfferCreate | schemas.SupportOfferUpdate, fields: set[str]
) -> None:
    for key in _SIMPLE_FIELDS:
        if key not in fields:
            continue
        value = getattr(body, key)
        if value is None and key not in _NULLABLE:
            raise field_error(key, "May not be empty")
        if key in ("contacts", "attachments"):
            value = [item.model_dump(mode="json") for item in value]
        elif isinstance(value, list):
            value = list(dict.fromkeys(value))
        setattr(record, key, value)
    if record.serves_any:
        record.served_countries, record.served_regions, record.served_bureaux = [], [], []


async def create(session: AsyncSession, *, actor: Actor, body: schemas.SupportOfferCreate) -> schemas.SupportOffer:
    """Draft an offer for a State institution or stakeholder (its focal points and editors, or the Secretariat)."""
    organisation = await _organisation_for_create(session, actor, body.organisation_id)
    checker = Checker(session)
    await _check_body(checker, session, body)
    if not body.serves_any and not (body.served_countries or body.served_regions or body.served_bureaux):
        checker.add("served_countries", "Say which countries, regions or bureaux the offer serves, or serve any")
    checker.raise_if_any()
    record = SupportOffer(
        id=new_id(),
        reference=await next_reference(session, prefix="OFF", sequence="support_offer_reference_seq"),
        organisation_id=organisation.id,
        country_iso3=organisation.country_iso3,
        status="draft",
    )
    _apply(record, body, set(_SIMPLE_FIELDS))
    session.add(record)
    components = await sync_components(
        session,
        [],
        body.components,
        factory=lambda position: SupportOfferComponent(offer_id=record.id, position=position),
    )
    refresh_denormalised(record, components)
    await session.flush()
    return await _full_view(session, actor, await _load(session, actor, record.id))


@dataclass(frozen=True)
class Loaded:
    """An offer with what its views show, read in one query (repository.detail)."""

    record: SupportOffer
    full: bool
    organisation: dict[str, Any]
    pledge: dict[str, Any] | None
    components: list[dict[str, Any]]


async def _load(session: AsyncSession, actor: Actor, offer_id: uuid.UUID, *, for_update: bool = False) -> Loaded:
    row = await repository.detail(session, actor, offer_id, for_update=for_update)
    if row is None:
        raise NotFound("No such support offer")
    return Loaded(row[0], bool(row.full), row.organisation, row.pledge, row.components)


def _roles(actor: Actor, record: SupportOffer) -> frozenset[workflow.Role]:
    return roles_for(actor, owner_ids=[record.organisation_id])


async def get(
    session: AsyncSession, *, actor: Actor, offer_id: uuid.UUID
) -> schemas.SupportOffer | schemas.SupportOfferPublic:
    loaded = await _load(session, actor, offer_id)
    if loaded.full:
        return await _full_view(session, actor, loaded)
    return schemas.SupportOfferPublic.model_validate(_common_parts(loaded, published_pledges_only=True))


async def update(
    session: AsyncSession,
    *,
    actor: Actor,
    offer_id: uuid.UUID,
    body: schemas.SupportOfferUpdate,
    if_match: str | None,
) -> schemas.SupportOffer:
    loaded = await _load(session, actor, offer_id, for_update=True)
    record = loaded.record
    roles = _roles(actor, record) if loaded.full else frozenset()
    refusal = workflow.edit_refusal(record.status, roles, noun="offer")
    if refusal:
        raise Forbidden(refusal)
    check_if_match(record, if_match)
    checker = Checker(session)
    await _check_body(checker, session, body)
    fields = body.model_fields_set
    starts_on = body.starts_on if "starts_on" in fields else record.starts_on
    ends_on = body.ends_on if "ends_on" in fields else record.ends_on
    if starts_on and ends_on and ends_on < starts_on:
        checker.add("ends_on", "The end is before the start")
    checker.raise_if_any()
    # Read first, then change: a query in between would autoflush and bump the version twice.
    components = (await repository.components_of(session, [record.id]))[record.id]
    _apply(record, body, set(fields))
    if not record.serves_any and not (record.served_countries or record.served_regions or record.served_bureaux):
        raise field_error("served_countries", "Say which countries, regions or bureaux the offer serves, or serve any")
    if body.components is not None:
        components = await sync_components(
            session,
            components,
            body.components,
            factory=lambda position: SupportOfferComponent(offer_id=record.id, position=position),
        )
    refresh_denormalised(record, components)
    await session.flush()
    return await _full_view(session, actor, await _load(session, actor, record.id))


async def transition(
    session: AsyncSession,
    *,
    actor: Actor,
    offer_id: uuid.UUID,
    action: workflow.Action,
    reason: str | None,
    if_match: str | None,
) -> schemas.SupportOffer:
    loaded = await _load(session, actor, offer_id, for_update=True)
    record = loaded.record
    if not loaded.full:
        raise Forbidden("You may not act on this offer")
    check_if_match(record, if_match, required=False)
    perform_transition(session, record=record, action=action, roles=_roles(actor, record), label=LABEL, reason=reason)
    await session.flush()
    return await _full_view(session, actor, await _load(session, actor, record.id))


async def list_offers(
    session: AsyncSession,
    *,
    actor: Actor,
    filters: Filters,
    sort: str,
    limit: int,
    cursor: str | None,
    serves_country: str | None,
) -> schemas.SupportOfferPage:
    if serves_country:
        country = await session.get(Country, serves_country.upper())
        if country is None:
            raise field_error("query.serves_country", f"Unknown country '{serves_country}'")
        filters.extra["serves_country"] = country
    rows, next_cursor, total, capped = await repository.page(
        session, actor, filters, sort=sort, limit=limit, cursor=cursor
    )
    items = [
        schemas.SupportOfferListItem(
            id=row.id,
            reference=row.reference,
            title=row.title,
            status=row.status,
            country_iso3=row.country_iso3,
            organisation_id=row.organisation_id,
            organisation_name=row.organisation_name,
            contributor_type=row.contributor_type,
            component_areas=list(row.component_areas or []),
            support_types=row.support_types,
            modalities=row.modalities,
            languages=row.languages,
            serves_any=row.serves_any,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            public_summary=row.public_summary,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
        )
        for row in rows
    ]
    return schemas.SupportOfferPage(items=items, next_cursor=next_cursor, total=total, total_is_lower_bound=capped)


def _common_parts(loaded: Loaded, *, published_pledges_only: bool) -> dict[str, object]:
    record = loaded.record
    pledge = loaded.pledge
    if pledge is not None and published_pledges_only and not pledge["is_published"]:
        pledge = None
    return {
        "id": record.id,
        "reference": record.reference,
        "title": record.title,
        "status": record.status,
        "country_iso3": record.country_iso3,
        "organisation": loaded.organisation,
        "pledge": pledge,
        "components": loaded.components,
        "languages": record.languages,
        "serves_any": record.serves_any,
        "served_countries": record.served_countries,
        "served_regions": record.served_regions,
        "served_bureaux": record.served_bureaux,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "public_summary": record.public_summary,
        "validated_at": record.validated_at,
        "updated_at": record.updated_at,
    }


async def _full_view(session: AsyncSession, actor: Actor, loaded: Loaded) -> schemas.SupportOffer:
    record = loaded.record
    warnings: list[DuplicationWarning] = []
    if record.proactive_target_iso3:
        warnings = await duplication_warnings(
            session,
            actor,
            country_iso3=record.proactive_target_iso3,
            area_codes=[str(c["area_code"]) for c in loaded.components],
            starts_on=record.starts_on,
            ends_on=record.ends_on,
        )
    roles = _roles(actor, record)
    return schemas.SupportOffer.model_validate(
        {
            **_common_parts(loaded, published_pledges_only=False),
            "excluded_countries": record.excluded_countries,
            "capacity": record.capacity,
            "proactive_target_iso3": record.proactive_target_iso3,
            "confidential_details": record.confidential_details,
            "contacts": record.contacts,
            "attachments": record.attachments,
            "allow_publication": record.allow_publication,
            "rejection_reason": record.rejection_reason,
            "submitted_at": record.submitted_at,
            "closed_at": record.closed_at,
            "created_at": record.created_at,
            "version": record.version,
            "allowed_actions": [a for a in workflow.allowed_actions(record.status, roles) if a in ACTOR_ACTIONS],
            "can_edit": workflow.edit_refusal(record.status, roles, noun="offer") is None,
            "duplication_warnings": warnings,
        }
    )
