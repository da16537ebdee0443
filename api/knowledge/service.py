"""Knowledge item rules: who writes, edits, submits, publishes and archives; language versions; search with
facets and snippets; related items; turning a closed match into a draft; attachments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.service import check_if_match
from api.commitments.validation import Checker, with_parents
from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import Conflict, FieldError, Forbidden, InvalidTransition, NotFound, field_error
from api.core.pagination import decode_cursor, encode_cursor
from api.core.sql import plan_for_the_values
from api.files import service as files
from api.knowledge import conversion, repository, schemas, workflow
from api.knowledge.markdown import plain_text, render_html, strip_controls
from api.knowledge.snippets import snippet_parts
from api.matches import repository as matches_repository
from api.models.commitments import SupportOffer, SupportRequest, SupportRequestComponent
from api.models.knowledge import KnowledgeItem
from api.models.matches import Match, MatchItem, MatchParty
from api.support_offers import repository as offers_repository
from api.support_requests import repository as requests_repository

OWNER_TYPE = "knowledge_item"
RANKED_CURSOR = "ranked"


def roles_for(actor: Actor, item: KnowledgeItem) -> frozenset[workflow.Role]:
    roles: set[workflow.Role] = set()
    if actor.is_secretariat:
        roles.add("secretariat")
    if item.organisation_id is not None and actor.can_edit_for(item.organisation_id):
        roles.add("owner_editor")
    return frozenset(roles)


def etag(item: KnowledgeItem | schemas.KnowledgeItem) -> str:
    return f'"{item.id}:{item.version}"'


# -- files ------------------------------------------------------------------------------------------------


async def _can_read_item(session: AsyncSession, actor: Actor, item_id: uuid.UUID) -> bool:
    return await repository.is_visible(session, actor, item_id)


async def _can_attach_to_item(session: AsyncSession, actor: Actor, item_id: uuid.UUID) -> bool:
    found = await repository.get_visible(session, actor, item_id)
    return found is not None and workflow.can_edit(found[0].status, roles_for(actor, found[0]))


files.register_file_owner(OWNER_TYPE, _can_read_item, can_write=_can_attach_to_item)


# -- writing ----------------------------------------------------------------------------------------------


async def _check_content(
    checker: Checker, session: AsyncSession, body: schemas.KnowledgeItemCreate | schemas.KnowledgeItemUpdate
) -> None:
    for position, code in enumerate(body.areas or []):
        await checker.check_area(f"areas.{position}", code)
    if body.countries:
        await checker.check_countries("countries", body.countries)
    if body.contributor_types:
        await checker.check_codes("contributor_types", "contributor_types", body.contributor_types)
    if body.regions:
        known = await repository.region_codes(session, body.regions)
        for position, code in enumerate(body.regions):
            if code not in known:
                checker.add(f"regions.{position}", f"Unknown UN M49 area code '{code}'")


async def _region_codes(session: AsyncSession, regions: Sequence[str], countries: Sequence[str]) -> list[str]:
    """The chosen M49 areas with their ancestors, and the areas of the chosen countries."""
    parents = await repository.all_region_parents(session) if regions else {}
    codes: set[str] = set()
    for code in regions:
        current: str | None = code
        while current and current not in codes:
            codes.add(current)
            current = parents.get(current)
    codes |= await repository.country_regions(session, countries)
    return sorted(codes)


def _clean(text: str) -> str:
    return strip_controls(text)


async def _apply(session: AsyncSession, item: KnowledgeItem, values: dict[str, Any]) -> None:
    for key in ("kind", "title", "summary"):
        if key in values:
            if values[key] is None:
                raise field_error(key, "May not be empty")
            setattr(item, key, _clean(values[key]))
    if "body" in values:
        if values["body"] is None:
            raise field_error("body", "May not be empty")
        item.body = _clean(values["body"])
        item.body_text = plain_text(item.body)
    for key in ("areas", "countries", "regions", "contributor_types", "source_links", "attachment_links"):
        if key in values:
            if values[key] is None:
                raise field_error(key, "May not be empty; send [] to clear")
            setattr(item, key, values[key])
    for key in ("starts_on", "ends_on", "year"):
        if key in values:
            setattr(item, key, values[key])
    if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
        raise field_error("ends_on", "The end is before the start")
    if item.year is None:
        item.year = item.starts_on.year if item.starts_on else clock.now().year
    item.area_codes = with_parents(item.areas)
    item.region_codes = await _region_codes(session, item.regions, item.countries)


async def _author_organisation(
    session: AsyncSession, actor: Actor, organisation_id: uuid.UUID | None, *, field: str = "organisation_id"
) -> uuid.UUID | None:
    if organisation_id is None:
        if actor.is_secretariat:
            return None
        editable = sorted(actor.organisations_with_role("focal_point", "editor"), key=str)
        if len(editable) == 1:
            return editable[0]
        if not editable:
            raise Forbidden("Only focal points and editors of an organisation (or the Secretariat) write items")
        raise field_error(field, "Choose the author organisation")
    organisation = await repository.organisation(session, organisation_id)
    if organisation is None or not organisation.is_active:
        raise field_error(field, "No such organisation")
    if not (actor.is_secretariat or actor.can_edit_for(organisation_id)):
        raise Forbidden("Only the organisation's focal points and editors (or the Secretariat) write its items")
    return organisation_id


async def create(session: AsyncSession, *, actor: Actor, body: schemas.KnowledgeItemCreate) -> schemas.KnowledgeItem:
    """Draft an item: for your own organisation (focal points and editors), or for any (the Secretariat)."""
    organisation_id = await _author_organisation(session, actor, body.organisation_id)
    checker = Checker(session)
    await _check_content(checker, session, body)
    checker.raise_if_any()
    item_id = uuid.uuid4()
    item = KnowledgeItem(
        id=item_id,
        translation_group_id=item_id,
        language=body.language,
        status="draft",
        organisation_id=organisation_id,
        created_by_user_id=actor.user_id,
    )
    values = body.model_dump(mode="json", exclude={"language", "organisation_id", "starts_on", "ends_on"})
    values.update(starts_on=body.starts_on, ends_on=body.ends_on)
    if not values["contributor_types"] and organisation_id is not None:
        organisation = await repository.organisation(session, organisation_id)
        values["contributor_types"] = [organisation.contributor_type] if organisation else []
    await _apply(session, item, values)
    session.add(item)
    await session.flush()
    return await _full_view(session, actor, item)


async def _load(
    session: AsyncSession, actor: Actor, item_id: uuid.UUID, *, for_update: bool = False
) -> tuple[KnowledgeItem, bool, str | None]:
    found = await repository.get_visible(session, actor, item_id, for_update=for_update)
    if found is None:
        raise NotFound("No such knowledge item")
    return found


async def get(
    session: AsyncSession, *, actor: Actor, item_id: uuid.UUID
) -> schemas.KnowledgeItem | schemas.KnowledgeItemPublic:
    item, full, organisation_name = await _load(session, actor, item_id)
    if full:
        return await _full_view(session, actor, item, organisation_name=organisation_name)
    return await _public_view(session, actor, item, organisation_name=organisation_name)


async def update(
    session: AsyncSession,
    *,
    actor: Actor,
    item_id: uuid.UUID,
    body: schemas.KnowledgeItemUpdate,
    if_match: str | None,
) -> schemas.KnowledgeItem:
    """Edit an item: the author organisation while it is a draft; the Secretariat in any status."""
    item, full, _ = await _load(session, actor, item_id, for_update=True)
    if not full or not workflow.can_edit(item.status, roles_for(actor, item)):
        if full and "owner_editor" in roles_for(actor, item):
            raise Forbidden(f"An item {item.status.replace('_', ' ')} is edited by the Secretariat only")
        raise Forbidden("You may not edit this item")
    check_if_match(item, if_match)
    checker = Checker(session)
    await _check_content(checker, session, body)
    checker.raise_if_any()
    values = body.model_dump(mode="json", exclude_unset=True, exclude={"starts_on", "ends_on"})
    values.update({k: getattr(body, k) for k in ("starts_on", "ends_on") if k in body.model_fields_set})
    await _apply(session, item, values)
    await session.flush()
    return await _full_view(session, actor, item)


async def transition(
    session: AsyncSession,
    *,
    actor: Actor,
    item_id: uuid.UUID,
    action: workflow.Action,
    comment: str | None,
    if_match: str | None,
) -> schemas.KnowledgeItem:
    """Submit a draft for review; return it to draft with a comment, publish, archive or republish it
    (the Secretariat)."""
    item, full, _ = await _load(session, actor, item_id, for_update=True)
    if not full:
        raise Forbidden("You may not act on this item")
    check_if_match(item, if_match, required=False)
    found = workflow.transition_for(item.status, action)
    if found is None:
        raise InvalidTransition(f"Cannot {action.replace('_', ' ')} an item that is {item.status.replace('_', ' ')}")
    if not found.roles & roles_for(actor, item):
        raise Forbidden(f"You may not {action.replace('_', ' ')} this item")
    if found.needs_comment and not (comment and comment.strip()):
        raise field_error("comment", "Say what to change before the item is submitted again")
    now = clock.now()
    item.status = found.target
    if action == "submit":
        item.submitted_at = now
    elif action == "return_to_draft":
        item.review_comment = comment
    elif action in ("publish", "republish"):
        item.published_at = item.published_at if action == "republish" and item.published_at else now
        item.archived_at = None
        item.review_comment = None
    elif action == "archive":
        item.archived_at = now
    audit.label(session, item, f"knowledge_items.{action}", note=comment)
    await session.flush()
    return await _full_view(session, actor, item)


async def add_translation(
    session: AsyncSession, *, actor: Actor, item_id: uuid.UUID, body: schemas.TranslationCreate
) -> schemas.KnowledgeItem:
    """Draft another language version of an item, in its translation group, with the source's tags."""
    source, full, _ = await _load(session, actor, item_id)
    roles = roles_for(actor, source) if full else frozenset()
    if not roles:
        raise Forbidden("Only the author organisation's focal points and editors (or the Secretariat) translate it")
    if body.language in await repository.languages_in_group(session, source.translation_group_id):
        raise Conflict(
            f"This item already has a '{body.language}' version",
            fields=[FieldError(field="language", message="A version in this language exists")],
        )
    item = KnowledgeItem(
        id=uuid.uuid4(),
        translation_group_id=source.translation_group_id,
        language=body.language,
        kind=source.kind,
        status="draft",
        organisation_id=source.organisation_id,
        match_id=source.match_id,
        created_by_user_id=actor.user_id,
    )
    await _apply(
        session,
        item,
        {
            "title": body.title,
            "summary": body.summary,
            "body": body.body,
            "areas": list(source.areas),
            "countries": list(source.countries),
            "regions": list(source.regions),
            "contributor_types": list(source.contributor_types),
            "source_links": list(source.source_links),
            "attachment_links": list(source.attachment_links),
            "year": source.year,
            "starts_on": source.starts_on,
            "ends_on": source.ends_on,
        },
    )
    session.add(item)
    audit.label(session, item, "knowledge_items.translate", note=f"from {source.id}")
    await session.flush()
    return await _full_view(session, actor, item)


async def create_from_match(
    session: AsyncSession, *, actor: Actor, body: schemas.FromMatchCreate
) -> schemas.KnowledgeItem:
    """Turn a closed match (fulfilled or cancelled) into a draft project or good practice, prefilled from the
    match. The Secretariat, the match's facilitators and the parties' focal points and editors may."""
    prefill = await conversion.prefill_from_match(session, actor=actor, match_id=body.match_id, language=body.language)
    organisation_id = body.organisation_id
    if organisation_id is None and not actor.is_secretariat:
        editable = [o for o in prefill.party_organisation_ids if actor.can_edit_for(o)]
        if not editable and not prefill.actor_facilitates:
            raise Forbidden("Only the Secretariat, the facilitators and the parties turn a match into an item")
        organisation_id = editable[0] if editable else None
    organisation_id = await _author_organisation(session, actor, organisation_id)
    item_id = uuid.uuid4()
    item = KnowledgeItem(
        id=item_id,
        translation_group_id=item_id,
        language=body.language,
        status="draft",
        organisation_id=organisation_id,
        match_id=prefill.match_id,
        created_by_user_id=actor.user_id,
    )
    await _apply(
        session,
        item,
        {
            "kind": body.kind,
            "title": prefill.title,
            "summary": prefill.summary,
            "body": prefill.body_markdown(),
            "areas": prefill.areas,
            "countries": prefill.countries,
            "regions": [],
            "contributor_types": prefill.contributor_types,
            "source_links": [],
            "attachment_links": [],
            "starts_on": prefill.starts_on,
            "ends_on": prefill.ends_on,
            "year": None,
        },
    )
    session.add(item)
    audit.label(session, item, "knowledge_items.from_match", note=str(prefill.match_id))
    await session.flush()
    return await _full_view(session, actor, item)


# -- views ------------------------------------------------------------------------------------------------


async def _attachments(session: AsyncSession, item: KnowledgeItem) -> list[schemas.AttachmentOut]:
    stored = (await files.files_of(session, OWNER_TYPE, [item.id]))[item.id]
    result = [
        schemas.AttachmentOut(
            kind="file",
            title=record.title or record.file_name,
            url=f"/api/v1/files/{record.id}/content",
            file_id=record.id,
            file_name=record.file_name,
            content_type=record.content_type,
            size_bytes=record.size_bytes,
        )
        for record in stored
    ]
    result.extend(
        schemas.AttachmentOut(kind="link", title=link["title"], url=link["url"]) for link in item.attachment_links
    )
    return result


async def _common(
    session: AsyncSession, actor: Actor, item: KnowledgeItem, organisation_name: str | None
) -> dict[str, Any]:
    if organisation_name is None and item.organisation_id is not None:
        organisation = await repository.organisation(session, item.organisation_id)
        organisation_name = organisation.name if organisation else None
    versions = await repository.versions(session, actor, item.translation_group_id, exclude=item.id)
    return {
        "id": item.id,
        "translation_group_id": item.translation_group_id,
        "kind": item.kind,
        "language": item.language,
        "title": item.title,
        "summary": item.summary,
        "body_html": render_html(item.body),
        "areas": item.areas,
        "countries": item.countries,
        "regions": item.regions,
        "contributor_types": item.contributor_types,
        "source_links": item.source_links,
        "attachments": await _attachments(session, item),
        "organisation": (
            {"id": item.organisation_id, "name": organisation_name}
            if item.organisation_id and organisation_name
            else None
        ),
        "year": item.year,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "published_at": item.published_at,
        "also_available_in": [
            {"id": version_id, "language": language, "title": title, "status": status}
            for version_id, language, title, status in versions
        ],
    }


async def _public_view(
    session: AsyncSession, actor: Actor, item: KnowledgeItem, *, organisation_name: str | None = None
) -> schemas.KnowledgeItemPublic:
    return schemas.KnowledgeItemPublic.model_validate(await _common(session, actor, item, organisation_name))


async def _full_view(
    session: AsyncSession, actor: Actor, item: KnowledgeItem, *, organisation_name: str | None = None
) -> schemas.KnowledgeItem:
    roles = roles_for(actor, item)
    return schemas.KnowledgeItem.model_validate(
        {
            **await _common(session, actor, item, organisation_name),
            "status": item.status,
            "body": item.body,
            "attachment_links": item.attachment_links,
            "match_id": item.match_id,
            "review_comment": item.review_comment,
            "submitted_at": item.submitted_at,
            "archived_at": item.archived_at,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
            "version": item.version,
            "allowed_actions": workflow.allowed_actions(item.status, roles),
            "can_edit": workflow.can_edit(item.status, roles),
        }
    )


# -- search -----------------------------------------------------------------------------------------------


def _hit(row: Any, *, snippet: list[schemas.SnippetPart], rank: float | None) -> schemas.KnowledgeHit:
    return schemas.KnowledgeHit(
        id=row.id,
        kind=row.kind,
        language=row.language,
        status=row.status,
        title=row.title,
        summary=row.summary,
        areas=row.areas,
        countries=row.countries,
        regions=row.regions,
        contributor_types=row.contributor_types,
        organisation_name=row.organisation_name,
        year=row.year,
        published_at=row.published_at,
        updated_at=row.updated_at,
        rank=rank,
        snippet=snippet,
    )


async def search(
    session: AsyncSession,
    *,
    actor: Actor,
    filters: repository.SearchFilters,
    limit: int,
    cursor: str | None,
    with_facets: bool,
) -> schemas.KnowledgePage:
    """Items the caller may see, filtered; with `q`, matched in each item's language (accents ignored),
    ranked, with highlighted snippets. Facet counts on request."""
    # A rare word wants the GIN index, a common one the date index: the plan must see the words.
    await plan_for_the_values(session)
    total, capped = await repository.count(session, actor, filters)
    ranking_exact = True
    if filters.q:
        offset = int(decode_cursor(cursor, key=RANKED_CURSOR, length=1)[0]) if cursor else 0
        if offset < 0:
            raise field_error("query.cursor", "Invalid cursor: restart from the first page", "cursor_invalid")
        rows = await repository.ranked(session, actor, filters, limit=limit, offset=offset)
        next_cursor = encode_cursor(RANKED_CURSOR, [offset + limit]) if len(rows) > limit else None
        items = [
            _hit(
                row,
                rank=float(row.rank),
                snippet=snippet_parts(row.headline, original=row.snippet_source, folded=row.snippet_folded),
            )
            for row in rows[:limit]
        ]
        ranking_exact = capped is False and total <= repository.RANK_WINDOW
    else:
        rows, next_cursor = await repository.browse(session, actor, filters, limit=limit, cursor=cursor)
        items = [
            _hit(row, rank=None, snippet=snippet_parts(None, original=row.summary, folded=row.summary)) for row in rows
        ]
    facets = None
    if with_facets:
        counted = await repository.facets(session, actor, filters)
        facets = schemas.Facets.model_validate(
            {name: [{"value": value, "count": n} for value, n in values] for name, values in counted.items()}
        )
    return schemas.KnowledgePage(
        items=items,
        next_cursor=next_cursor,
        total=total,
        total_is_lower_bound=capped,
        ranking_exact=ranking_exact,
        facets=facets,
    )


# -- related items ----------------------------------------------------------------------------------------


async def _record_context(
    session: AsyncSession,
    actor: Actor,
    *,
    request_id: uuid.UUID | None,
    offer_id: uuid.UUID | None,
    match_id: uuid.UUID | None,
) -> tuple[list[str], list[str], list[str]]:
    """(specific areas, countries, explicit regions) of the record, read through its visibility predicate."""
    if request_id is not None:
        row = (
            await session.execute(
                select(SupportRequest.area_codes, SupportRequest.country_iso3).where(
                    SupportRequest.id == request_id, requests_repository.visible_to(actor)
                )
            )
        ).first()
        if row is None:
            raise NotFound("No such support request")
        return _specific(row.area_codes), [row.country_iso3], []
    if offer_id is not None:
        offer = (
            await session.execute(
                select(
                    SupportOffer.area_codes,
                    SupportOffer.country_iso3,
                    SupportOffer.proactive_target_iso3,
                    SupportOffer.served_countries,
                    SupportOffer.served_regions,
                ).where(SupportOffer.id == offer_id, offers_repository.visible_to(actor))
            )
        ).first()
        if offer is None:
            raise NotFound("No such support offer")
        countries = [c for c in (offer.proactive_target_iso3, *offer.served_countries) if c]
        if not countries and offer.country_iso3:
            countries = [offer.country_iso3]
        return _specific(offer.area_codes), countries, list(offer.served_regions)
    assert match_id is not None
    visible = (
        await session.execute(select(Match.id).where(Match.id == match_id, matches_repository.visible_to(actor)))
    ).first()
    if visible is None:
        raise NotFound("No such match")
    match_areas = (
        await session.scalars(
            select(SupportRequestComponent.area_code)
            .join(MatchItem, MatchItem.request_component_id == SupportRequestComponent.id)
            .where(MatchItem.match_id == match_id)
            .distinct()
        )
    ).all()
    match_countries = (
        await session.scalars(
            select(SupportRequest.country_iso3)
            .join(MatchParty, MatchParty.request_id == SupportRequest.id)
            .where(MatchParty.match_id == match_id)
            .distinct()
        )
    ).all()
    return sorted(match_areas), sorted(match_countries), []


def _specific(area_codes: Sequence[str]) -> list[str]:
    """The most specific codes of a denormalised area list (children, or a parent chosen on its own)."""
    codes = set(area_codes)
    return sorted(c for c in codes if "." in c or not any(o.startswith(c + ".") for o in codes))


async def related(
    session: AsyncSession,
    *,
    actor: Actor,
    request_id: uuid.UUID | None,
    offer_id: uuid.UUID | None,
    match_id: uuid.UUID | None,
    limit: int,
) -> schemas.RelatedItems:
    """Published items related to a request, an offer or a match the caller may see (else 404): sharing an
    area, those about the same countries or region first."""
    given = [
        name for name, value in (("request_id", request_id), ("offer_id", offer_id), ("match_id", match_id)) if value
    ]
    if len(given) != 1:
        raise field_error("query", "Give exactly one of request_id, offer_id or match_id")
    areas, countries, regions = await _record_context(
        session, actor, request_id=request_id, offer_id=offer_id, match_id=match_id
    )
    region_codes = sorted(set(regions) | await repository.country_regions(session, countries))
    if not areas:
        return schemas.RelatedItems(items=[])
    rows = await repository.related(session, actor, areas=areas, countries=countries, regions=region_codes, limit=limit)
    return schemas.RelatedItems(
        items=[
            schemas.RelatedItem(
                id=row.id,
                kind=row.kind,
                language=row.language,
                title=row.title,
                summary=row.summary,
                areas=row.areas,
                countries=row.countries,
                year=row.year,
                published_at=row.published_at,
                same_region=bool(row.same_region),
                shared_areas=sorted(set(row.areas) & set(areas)),
            )
            for row in rows
        ]
    )
