"""Organisation rules: who may create and edit them, what each kind requires, who manages members."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit
from api.core.actor import Actor
from api.core.errors import Forbidden, NotFound, field_error, refuse_emptied
from api.models.identity import Organisation
from api.models.reference import Bureau, Country
from api.organisations import repository, schemas
from api.reference.repository import active_codes

STATE_KINDS = ("state_government", "state_institution")
UNHCR_KINDS = ("unhcr_country_office", "unhcr_bureau", "secretariat")


async def _read(session: AsyncSession, organisation: Organisation) -> schemas.Organisation:
    countries = await repository.office_countries(session, organisation.id)
    return schemas.Organisation.model_validate(
        {
            **schemas.OrganisationSummary.model_validate(organisation).model_dump(),
            "website": organisation.website,
            "description": organisation.description,
            "office_countries": countries,
            "created_at": organisation.created_at,
            "updated_at": organisation.updated_at,
        }
    )


async def _check_country(session: AsyncSession, iso3: str | None, field: str) -> None:
    if iso3 is not None and await session.get(Country, iso3) is None:
        raise field_error(field, f"Unknown ISO 3166-1 alpha-3 code '{iso3}'")


async def _contributor_type(session: AsyncSession, kind: str, given: str | None) -> str:
    if kind in STATE_KINDS:
        if given not in (None, "state"):
            raise field_error("contributor_type", "A State organisation's contributor type is 'state'")
        return "state"
    if kind in UNHCR_KINDS:
        return "un_international"
    if given is None:
        raise field_error("contributor_type", "A stakeholder needs a contributor type")
    if given == "state" or given not in await active_codes(session, "contributor_types"):
        raise field_error("contributor_type", f"'{given}' is not a stakeholder contributor type")
    return given


async def create_organisation(
    session: AsyncSession, *, actor: Actor, body: schemas.OrganisationCreate
) -> schemas.Organisation:
    """Register an organisation (Secretariat only). Each kind has its own required fields."""
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat registers organisations")
    await _check_country(session, body.country_iso3, "country_iso3")
    if body.kind in ("state_government", "state_institution", "unhcr_country_office") and not body.country_iso3:
        raise field_error("country_iso3", "This kind of organisation needs a country")
    if body.kind == "unhcr_bureau":
        if not body.bureau_code or await session.get(Bureau, body.bureau_code) is None:
            raise field_error("bureau_code", "A UNHCR bureau needs a valid bureau code")
    elif body.bureau_code is not None:
        raise field_error("bureau_code", "Only a UNHCR bureau has a bureau code")
    if body.parent_id is not None:
        parent = await session.get(Organisation, body.parent_id)
        if parent is None:
            raise field_error("parent_id", "No such organisation")
        if body.kind == "state_institution" and (
            parent.kind != "state_government" or parent.country_iso3 != body.country_iso3
        ):
            raise field_error("parent_id", "A State institution's parent is the government of the same State")
    if body.office_countries and body.kind != "unhcr_country_office":
        raise field_error("office_countries", "Only a UNHCR country office covers countries")
    for position, iso3 in enumerate(body.office_countries):
        await _check_country(session, iso3, f"office_countries.{position}")
    organisation = Organisation(
        name=body.name,
        short_name=body.short_name,
        kind=body.kind,
        contributor_type=await _contributor_type(session, body.kind, body.contributor_type),
        country_iso3=body.country_iso3,
        parent_id=body.parent_id,
        bureau_code=body.bureau_code,
        website=body.website,
        description=body.description,
    )
    session.add(organisation)
    await session.flush()
    if body.kind == "unhcr_country_office":
        await repository.replace_office_countries(
            session, organisation.id, [body.country_iso3 or "", *body.office_countries]
        )
    await session.flush()
    return await _read(session, organisation)


async def get_organisation(session: AsyncSession, *, actor: Actor, organisation_id: uuid.UUID) -> schemas.Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation")
    return await _read(session, organisation)


async def list_organisations(
    session: AsyncSession,
    *,
    actor: Actor,
    q: str | None,
    kind: str | None,
    country: str | None,
    contributor_type: str | None,
    limit: int,
    cursor: str | None,
) -> schemas.OrganisationPage:
    rows, next_cursor, total = await repository.page(
        session,
        q=q,
        kind=kind,
        country=country,
        contributor_type=contributor_type,
        limit=limit,
        cursor=cursor,
    )
    return schemas.OrganisationPage(
        items=[schemas.OrganisationSummary.model_validate(r) for r in rows],
        next_cursor=next_cursor,
        total=total,
    )


async def update_organisation(
    session: AsyncSession, *, actor: Actor, organisation_id: uuid.UUID, body: schemas.OrganisationUpdate
) -> schemas.Organisation:
    """The Secretariat edits any organisation; a focal point edits their own's name, website and description."""
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation")
    changes = body.model_dump(exclude_unset=True)
    if not actor.is_secretariat:
        if not actor.is_focal_point_of(organisation.id):
            raise Forbidden("Only the Secretariat or the organisation's focal point may edit it")
        restricted = set(changes) - {"name", "short_name", "website", "description"}
        if restricted:
            raise field_error(sorted(restricted)[0], "Only the Secretariat may change this field")
    if "country_iso3" in changes:
        await _check_country(session, changes["country_iso3"], "country_iso3")
    if "contributor_type" in changes:
        changes["contributor_type"] = await _contributor_type(session, organisation.kind, changes["contributor_type"])
    countries = changes.pop("office_countries", None)
    refuse_emptied(changes, ("name", "is_active", "contributor_type"))
    for key, value in changes.items():
        setattr(organisation, key, value)
    if countries is not None:
        if organisation.kind != "unhcr_country_office":
            raise field_error("office_countries", "Only a UNHCR country office covers countries")
        for position, iso3 in enumerate(countries):
            await _check_country(session, iso3, f"office_countries.{position}")
        await repository.replace_office_countries(
            session, organisation.id, [*countries, organisation.country_iso3 or ""]
        )
    await session.flush()
    return await _read(session, organisation)


def _may_manage_members(actor: Actor, organisation_id: uuid.UUID) -> bool:
    return actor.is_secretariat or actor.is_focal_point_of(organisation_id)


async def list_members(session: AsyncSession, *, actor: Actor, organisation_id: uuid.UUID) -> list[schemas.Member]:
    if not (actor.is_secretariat or organisation_id in actor.organisation_ids):
        raise NotFound("No such organisation")
    return [
        schemas.Member(
            user_id=u.id,
            full_name=u.full_name,
            email=u.email,
            role=m.role,
            is_active=u.is_active,
        )
        for m, u in await repository.members(session, organisation_id)
    ]


async def update_member(
    session: AsyncSession, *, actor: Actor, organisation_id: uuid.UUID, user_id: uuid.UUID, role: str
) -> schemas.Member:
    if not _may_manage_members(actor, organisation_id):
        raise NotFound("No such member")
    membership = await repository.membership(session, organisation_id, user_id)
    if membership is None:
        raise NotFound("No such member")
    membership.role = role
    audit.label(session, membership, "membership.role_changed")
    await session.flush()
    return next(
        m for m in await list_members(session, actor=actor, organisation_id=organisation_id) if m.user_id == user_id
    )


async def remove_member(session: AsyncSession, *, actor: Actor, organisation_id: uuid.UUID, user_id: uuid.UUID) -> None:
    if not _may_manage_members(actor, organisation_id):
        raise NotFound("No such member")
    membership = await repository.membership(session, organisation_id, user_id)
    if membership is None:
        raise NotFound("No such member")
    audit.label(session, membership, "membership.removed")
    await session.delete(membership)
    await session.flush()
