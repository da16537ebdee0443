"""Support request rules: who may create, edit and move a request; the scope rule; what each viewer sees."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments import workflow
from api.commitments.queries import Filters
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
from api.core.actor import STATE_KINDS, Actor
from api.core.errors import Forbidden, InvalidTransition, NotFound, field_error, refuse_emptied
from api.existing_support.service import duplication_warnings
from api.models.base import new_id
from api.models.commitments import (
    SupportRequest,
    SupportRequestComponent,
    SupportRequestPartner,
    SupportRequestPledge,
)
from api.models.identity import Organisation
from api.models.reference import Area
from api.reference.repository import active_area_codes
from api.support_requests import repository, schemas

LABEL = "request"


def scope_problem(component_areas: Sequence[str], areas: dict[str, Area], *, establishing: bool) -> str | None:
    """Why a request is out of scope, or None.

    The ACSG supports asylum systems only; a request entirely about other State systems is out of scope,
    unless the State is establishing an asylum system (then drafting laws or creating institutions counts).
    """
    if establishing:
        return None
    outside = [code for code in component_areas if code in areas and not areas[code].is_asylum_system]
    if component_areas and len(outside) == len(component_areas):
        return (
            "Out of scope: every component concerns a State system other than asylum "
            f"({', '.join(sorted(set(outside)))}). The ACSG supports asylum systems; a State that is "
            "establishing an asylum system may say so (is_establishing_system) to be considered."
        )
    return None


async def _organisation_for_create(session: AsyncSession, actor: Actor, organisation_id: uuid.UUID) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or not organisation.is_active:
        raise field_error("organisation_id", "No such organisation")
    if organisation.kind not in STATE_KINDS:
        raise field_error("organisation_id", "A request comes from a State's government or one of its institutions")
    if organisation.country_iso3 is None:
        raise field_error("organisation_id", "The requesting organisation has no country")
    if not (actor.is_secretariat or actor.can_edit_for(organisation.id)):
        raise Forbidden("Only the organisation's focal points and editors (or the Secretariat) draft its requests")
    return organisation


async def _check_links(
    checker: Checker,
    session: AsyncSession,
    *,
    partner_ids: Sequence[uuid.UUID] | None,
    pledge_ids: Sequence[uuid.UUID] | None,
    owner_id: uuid.UUID,
) -> None:
    if partner_ids:
        found = await repository.organisations(session, partner_ids)
        for position, partner_id in enumerate(partner_ids):
            partner = found.get(partner_id)
            if partner is None:
                checker.add(f"partner_organisation_ids.{position}", "No such organisation")
            elif partner_id == owner_id:
                checker.add(
                    f"partner_organisation_ids.{position}", "The requesting organisation is not its own partner"
                )
    if pledge_ids:
        known = {p.id for p in await repository.pledges(session, pledge_ids, published_only=False)}
        for position, pledge_id in enumerate(pledge_ids):
            if pledge_id not in known:
                checker.add(f"pledge_ids.{position}", "No such pledge")


async def _check_body(checker: Checker, body: schemas.SupportRequestCreate | schemas.SupportRequestUpdate) -> None:
    if body.components is not None:
        await check_components(checker, body.components)
    if body.languages is not None:
        await checker.check_codes("languages", "languages", body.languages)
    if body.starts_on and body.ends_on and body.ends_on < body.starts_on:
        checker.add("ends_on", "The end is before the start")


async def _replace_links(
    session: AsyncSession,
    record: SupportRequest,
    *,
    partner_ids: Sequence[uuid.UUID] | None,
    pledge_ids: Sequence[uuid.UUID] | None,
) -> None:
    if partner_ids is not None:
        await session.execute(delete(SupportRequestPartner).where(SupportRequestPartner.request_id == record.id))
        session.add_all(
            SupportRequestPartner(request_id=record.id, organisation_id=i) for i in dict.fromkeys(partner_ids)
        )
    if pledge_ids is not None:
        await session.execute(delete(SupportRequestPledge).where(SupportRequestPledge.request_id == record.id))
        session.add_all(SupportRequestPledge(request_id=record.id, pledge_id=i) for i in dict.fromkeys(pledge_ids))


_SIMPLE_FIELDS = (
    "title",
    "commitment_text",
    "qualities",
    "languages",
    "starts_on",
    "ends_on",
    "urgency",
    "is_establishing_system",
    "context",
    "public_summary",
    "confidential_details",
    "allow_publication",
)


def _apply_simple(record: SupportRequest, values: dict[str, object]) -> None:
    refuse_emptied(values, [key for key in _SIMPLE_FIELDS if key not in ("starts_on", "ends_on")])
    for key in _SIMPLE_FIELDS:
        if key in values:
            value = values[key]
            setattr(record, key, list(dict.fromkeys(value)) if isinstance(value, list) else value)
    if "contacts" in values and values["contacts"] is not None:
        record.contacts = values["contacts"]  # type: ignore[assignment]
    if "attachments" in values and values["attachments"] is not None:
        record.attachments = values["attachments"]  # type: ignore[assignment]


async def create(session: AsyncSession, *, actor: Actor, body: schemas.SupportRequestCreate) -> schemas.SupportRequest:
    """Draft a request for a State organisation (its focal points and editors, or the Secretariat)."""
    organisation = await _organisation_for_create(session, actor, body.organisation_id)
    checker = Checker(session)
    await _check_body(checker, body)
    await _check_links(
        checker,
        session,
        partner_ids=body.partner_organisation_ids,
        pledge_ids=body.pledge_ids,
        owner_id=organisation.id,
    )
    checker.raise_if_any()
    assert organisation.country_iso3 is not None
    record = SupportRequest(
        id=new_id(),
        reference=await next_reference(session, prefix="REQ", sequence="support_request_reference_seq"),
        organisation_id=organisation.id,
        country_iso3=organisation.country_iso3,
        status="draft",
    )
    _apply_simple(
        record,
        body.model_dump(mode="json", exclude={"components"}) | {"starts_on": body.starts_on, "ends_on": body.ends_on},
    )
    session.add(record)
    components = await sync_components(
        session,
        [],
        body.components,
        factory=lambda position: SupportRequestComponent(request_id=record.id, position=position),
    )
    refresh_denormalised(record, components)
    await _replace_links(session, record, partner_ids=body.partner_organisation_ids, pledge_ids=body.pledge_ids)
    await session.flush()
    return await _full_view(session, actor, await _load(session, actor, record.id))


@dataclass(frozen=True)
class Loaded:
    """A request with what its views show, read in one query (repository.detail)."""

    record: SupportRequest
    full: bool
    organisation: dict[str, Any]
    partners: list[dict[str, Any]]
    pledges: list[dict[str, Any]]
    components: list[dict[str, Any]]


async def _load(session: AsyncSession, actor: Actor, request_id: uuid.UUID, *, for_update: bool = False) -> Loaded:
    row = await repository.detail(session, actor, request_id, for_update=for_update)
    if row is None:
        raise NotFound("No such support request")
    return Loaded(row[0], bool(row.full), row.organisation, row.partners, row.pledges, row.components)


def _roles(actor: Actor, loaded: Loaded) -> frozenset[workflow.Role]:
    partner_ids = [uuid.UUID(str(partner["id"])) for partner in loaded.partners]
    return roles_for(actor, owner_ids=[loaded.record.organisation_id, *partner_ids])


async def get(
    session: AsyncSession, *, actor: Actor, request_id: uuid.UUID
) -> schemas.SupportRequest | schemas.SupportRequestPublic:
    loaded = await _load(session, actor, request_id)
    if loaded.full:
        return await _full_view(session, actor, loaded)
    return _public_view(loaded)


async def update(
    session: AsyncSession,
    *,
    actor: Actor,
    request_id: uuid.UUID,
    body: schemas.SupportRequestUpdate,
    if_match: str | None,
) -> schemas.SupportRequest:
    """Edit a request: its owners while it is a draft, submitted or rejected; the Secretariat at any time."""
    loaded = await _load(session, actor, request_id, for_update=True)
    record = loaded.record
    roles = _roles(actor, loaded) if loaded.full else frozenset()
    refusal = workflow.edit_refusal(record.status, roles, noun="request")
    if refusal:
        raise Forbidden(refusal)
    check_if_match(record, if_match)
    checker = Checker(session)
    await _check_body(checker, body)
    await _check_links(
        checker,
        session,
        partner_ids=body.partner_organisation_ids,
        pledge_ids=body.pledge_ids,
        owner_id=record.organisation_id,
    )
    starts_on = body.starts_on if "starts_on" in body.model_fields_set else record.starts_on
    ends_on = body.ends_on if "ends_on" in body.model_fields_set else record.ends_on
    if starts_on and ends_on and ends_on < starts_on:
        checker.add("ends_on", "The end is before the start")
    checker.raise_if_any()
    # Read everything first, then change: a query in between would autoflush and bump the version twice.
    components = (await repository.components_of(session, [record.id]))[record.id]
    values = body.model_dump(
        mode="json", exclude_unset=True, exclude={"components", "partner_organisation_ids", "pledge_ids"}
    )
    values.update({k: getattr(body, k) for k in ("starts_on", "ends_on") if k in body.model_fields_set})
    _apply_simple(record, values)
    if body.components is not None:
        components = await sync_components(
            session,
            components,
            body.components,
            factory=lambda position: SupportRequestComponent(request_id=record.id, position=position),
        )
    refresh_denormalised(record, components)
    await _replace_links(session, record, partner_ids=body.partner_organisation_ids, pledge_ids=body.pledge_ids)
    await session.flush()
    return await _full_view(session, actor, await _load(session, actor, record.id))


async def transition(
    session: AsyncSession,
    *,
    actor: Actor,
    request_id: uuid.UUID,
    action: workflow.Action,
    reason: str | None,
    if_match: str | None,
) -> schemas.SupportRequest:
    """Move a request through its workflow. Submitting an out-of-scope request records its rejection."""
    loaded = await _load(session, actor, request_id, for_update=True)
    record = loaded.record
    if not loaded.full:
        raise Forbidden("You may not act on this request")
    check_if_match(record, if_match, required=False)
    roles = _roles(actor, loaded)
    if action in ("submit", "validate"):
        components = (await repository.components_of(session, [record.id]))[record.id]
        problem = scope_problem(
            [c.area_code for c in components],
            await active_area_codes(session),
            establishing=record.is_establishing_system,
        )
        if problem and action == "validate":
            raise InvalidTransition(problem + " Reject it instead.", code="OutOfScope")
        if problem:
            perform_transition(session, record=record, action="submit", roles=roles, label=LABEL)
            perform_transition(
                session, record=record, action="reject", roles=roles | {"system"}, label=LABEL, reason=problem
            )
            await session.flush()
            return await _full_view(session, actor, await _load(session, actor, record.id))
    perform_transition(session, record=record, action=action, roles=roles, label=LABEL, reason=reason)
    await session.flush()
    return await _full_view(session, actor, await _load(session, actor, record.id))


async def list_requests(
    session: AsyncSession,
    *,
    actor: Actor,
    filters: Filters,
    sort: str,
    limit: int,
    cursor: str | None,
) -> schemas.SupportRequestPage:
    rows, next_cursor, total, capped = await repository.page(
        session, actor, filters, sort=sort, limit=limit, cursor=cursor
    )
    items = [
        schemas.SupportRequestListItem(
            id=row.id,
            reference=row.reference,
            title=row.title,
            status=row.status,
            country_iso3=row.country_iso3,
            organisation_id=row.organisation_id,
            organisation_name=row.organisation_name,
            component_areas=list(row.component_areas or []),
            support_types=row.support_types,
            modalities=row.modalities,
            languages=row.languages,
            urgency=row.urgency,
            is_establishing_system=row.is_establishing_system,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            public_summary=row.public_summary,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
            duplication_count=row.duplication_count,
        )
        for row in rows
    ]
    return schemas.SupportRequestPage(items=items, next_cursor=next_cursor, total=total, total_is_lower_bound=capped)


def _common_parts(loaded: Loaded, *, published_pledges_only: bool) -> dict[str, object]:
    record = loaded.record
    return {
        "id": record.id,
        "reference": record.reference,
        "title": record.title,
        "status": record.status,
        "country_iso3": record.country_iso3,
        "organisation": loaded.organisation,
        "partners": loaded.partners,
        "pledges": [p for p in loaded.pledges if p["is_published"] or not published_pledges_only],
        "components": loaded.components,
        "qualities": record.qualities,
        "languages": record.languages,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "urgency": record.urgency,
        "is_establishing_system": record.is_establishing_system,
        "public_summary": record.public_summary,
        "validated_at": record.validated_at,
        "updated_at": record.updated_at,
    }


def _public_view(loaded: Loaded) -> schemas.SupportRequestPublic:
    return schemas.SupportRequestPublic.model_validate(_common_parts(loaded, published_pledges_only=True))


async def _full_view(session: AsyncSession, actor: Actor, loaded: Loaded) -> schemas.SupportRequest:
    record = loaded.record
    roles = _roles(actor, loaded)
    warnings = await duplication_warnings(
        session,
        actor,
        country_iso3=record.country_iso3,
        area_codes=[str(c["area_code"]) for c in loaded.components],
        starts_on=record.starts_on,
        ends_on=record.ends_on,
    )
    return schemas.SupportRequest.model_validate(
        {
            **_common_parts(loaded, published_pledges_only=False),
            "commitment_text": record.commitment_text,
            "context": record.context,
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
            "can_edit": workflow.edit_refusal(record.status, roles, noun="request") is None,
            "duplication_warnings": warnings,
        }
    )


# What a person may trigger by hand (the matched states follow the match lifecycle).
ACTOR_ACTIONS: frozenset[str] = frozenset(
    {"submit", "start_review", "validate", "reject", "revise", "withdraw", "close"}
)
