"""Existing support rules: recorded by the Secretariat or the UNHCR offices covering the country; confidential
records seen only by those entitled; every record checked for overlaps (duplication warnings)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from api.commitments.schemas import DuplicationWarning
from api.commitments.service import check_if_match
from api.commitments.validation import Checker, with_parents
from api.core import audit
from api.core.actor import Actor
from api.core.errors import Forbidden, NotFound, refuse_emptied
from api.existing_support import repository, schemas
from api.models.commitments import ExistingSupport
from api.models.identity import Organisation

# Other sources of "support already flowing" (active matches) register here, so this module need not know
# them: each returns the warnings the actor may see.
OverlapSource = Callable[
    [AsyncSession, Actor, str, Sequence[str], date | None, date | None], Awaitable[list[DuplicationWarning]]
]
OVERLAP_SOURCES: list[OverlapSource] = []


async def duplication_warnings(
    session: AsyncSession,
    actor: Actor,
    *,
    country_iso3: str,
    area_codes: Sequence[str],
    starts_on: date | None,
    ends_on: date | None,
    exclude_existing_id: uuid.UUID | None = None,
) -> list[DuplicationWarning]:
    """Active support overlapping this country, these areas and this period, as far as `actor` may see it."""
    rows = await repository.overlapping(
        session,
        actor,
        country_iso3=country_iso3,
        area_codes=area_codes,
        starts_on=starts_on,
        ends_on=ends_on,
        exclude_id=exclude_existing_id,
    )
    warnings = [
        DuplicationWarning(
            kind="existing_support",
            record_id=row.id,
            country_iso3=row.recipient_country_iso3,
            area_codes=list(row.areas),
            provider_name=row.provider_name,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
        )
        for row in rows
    ]
    for source in OVERLAP_SOURCES:
        warnings.extend(await source(session, actor, country_iso3, area_codes, starts_on, ends_on))
    return warnings


def _may_record(actor: Actor, country_iso3: str) -> bool:
    return actor.is_secretariat or actor.covers_country(country_iso3)


def _recording_organisation(actor: Actor) -> uuid.UUID | None:
    """The UNHCR office or Secretariat the recorder acts for (else their first organisation)."""
    official = [
        m for m in actor.memberships if m.organisation_kind in ("secretariat", "unhcr_country_office", "unhcr_bureau")
    ]
    chosen = official or list(actor.memberships)
    return chosen[0].organisation_id if chosen else None


async def _read(session: AsyncSession, actor: Actor, record: ExistingSupport) -> schemas.ExistingSupport:
    warnings = await duplication_warnings(
        session,
        actor,
        country_iso3=record.recipient_country_iso3,
        area_codes=record.areas,
        starts_on=record.starts_on,
        ends_on=record.ends_on,
        exclude_existing_id=record.id,
    )
    return schemas.ExistingSupport.model_validate({**_columns(record), "duplication_warnings": warnings})


def _columns(record: ExistingSupport) -> dict[str, object]:
    return {
        name: getattr(record, name) for name in schemas.ExistingSupport.model_fields if name != "duplication_warnings"
    }


async def _check(
    checker: Checker, *, areas: Sequence[str] | None, starts_on: date | None, ends_on: date | None
) -> None:
    for position, code in enumerate(areas or []):
        await checker.check_area(f"areas.{position}", code)
    if starts_on and ends_on and ends_on < starts_on:
        checker.add("ends_on", "The end is before the start")


async def create(
    session: AsyncSession, *, actor: Actor, body: schemas.ExistingSupportCreate
) -> schemas.ExistingSupport:
    if not _may_record(actor, body.recipient_country_iso3):
        raise Forbidden("Only the Secretariat or a UNHCR office covering the country records existing support")
    checker = Checker(session)
    await checker.check_country("recipient_country_iso3", body.recipient_country_iso3)
    await _check(checker, areas=body.areas, starts_on=body.starts_on, ends_on=body.ends_on)
    provider_name = body.provider_name
    if body.provider_organisation_id is not None:
        provider = await session.get(Organisation, body.provider_organisation_id)
        if provider is None:
            checker.add("provider_organisation_id", "No such organisation")
        elif provider_name is None:
            provider_name = provider.name
    if provider_name is None:
        checker.add("provider_name", "Name the provider, or choose its organisation")
    checker.raise_if_any()
    record = ExistingSupport(
        provider_organisation_id=body.provider_organisation_id,
        provider_name=provider_name,
        recipient_country_iso3=body.recipient_country_iso3,
        areas=list(dict.fromkeys(body.areas)),
        area_codes=with_parents(body.areas),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        source_kind=body.source_kind,
        description=body.description,
        is_confidential=body.is_confidential,
        recorded_by_organisation_id=_recording_organisation(actor),
    )
    session.add(record)
    await session.flush()
    return await _read(session, actor, record)


async def get(session: AsyncSession, *, actor: Actor, record_id: uuid.UUID) -> schemas.ExistingSupport:
    record = await repository.get_visible(session, actor, record_id)
    if record is None:
        raise NotFound("No such existing support record")
    return await _read(session, actor, record)


async def get_for_update(session: AsyncSession, *, actor: Actor, record_id: uuid.UUID) -> ExistingSupport:
    record = await repository.get_visible(session, actor, record_id)
    if record is None:
        raise NotFound("No such existing support record")
    if not _may_record(actor, record.recipient_country_iso3):
        raise Forbidden("Only the Secretariat or a UNHCR office covering the country edits existing support")
    return record


async def update(
    session: AsyncSession,
    *,
    actor: Actor,
    record_id: uuid.UUID,
    body: schemas.ExistingSupportUpdate,
    if_match: str | None,
) -> schemas.ExistingSupport:
    record = await get_for_update(session, actor=actor, record_id=record_id)
    check_if_match(record, if_match)
    changes = body.model_dump(exclude_unset=True)
    checker = Checker(session)
    await _check(
        checker,
        areas=changes.get("areas"),
        starts_on=changes.get("starts_on", record.starts_on),
        ends_on=changes.get("ends_on", record.ends_on),
    )
    checker.raise_if_any()
    refuse_emptied(changes, ("provider_name", "source_kind", "is_confidential", "description", "areas"))
    for key, value in changes.items():
        setattr(record, key, value)
    if "areas" in changes:
        record.areas = list(dict.fromkeys(changes["areas"]))
        record.area_codes = with_parents(record.areas)
    await session.flush()
    return await _read(session, actor, record)


async def delete(session: AsyncSession, *, actor: Actor, record_id: uuid.UUID, if_match: str | None) -> None:
    record = await get_for_update(session, actor=actor, record_id=record_id)
    check_if_match(record, if_match)
    audit.label(session, record, "existing_support.deleted")
    await session.delete(record)
    await session.flush()


async def list_records(
    session: AsyncSession,
    *,
    actor: Actor,
    country: str | None,
    area: str | None,
    source_kind: str | None,
    limit: int,
    cursor: str | None,
) -> schemas.ExistingSupportPage:
    rows, next_cursor, total, capped = await repository.page(
        session, actor, country=country, area=area, source_kind=source_kind, limit=limit, cursor=cursor
    )
    return schemas.ExistingSupportPage(
        items=[schemas.ExistingSupport.model_validate(_columns(r)) for r in rows],
        next_cursor=next_cursor,
        total=total,
        total_is_lower_bound=capped,
    )
