"""Reference data rules: anyone reads; the Secretariat edits labels, adds and retires codes, and deletes only
codes nothing uses."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit
from api.core.actor import Actor
from api.core.errors import Conflict, FieldError, NotFound, field_error, refuse_emptied
from api.models.reference import VOCABULARIES, Area, Bureau, Country, VocabularyTerm
from api.reference import repository, schemas


async def list_countries(session: AsyncSession) -> list[schemas.Country]:
    return [schemas.Country.model_validate(c) for c in await repository.countries(session)]


async def list_regions(session: AsyncSession) -> list[schemas.Region]:
    return [schemas.Region.model_validate(r) for r in await repository.regions(session)]


async def list_bureaux(session: AsyncSession) -> list[schemas.Bureau]:
    return [schemas.Bureau.model_validate(b) for b in await repository.bureaux(session)]


async def list_areas(session: AsyncSession, *, include_retired: bool) -> list[schemas.Area]:
    return [schemas.Area.model_validate(a) for a in await repository.areas(session, include_retired=include_retired)]


async def list_terms(session: AsyncSession, *, vocabulary: str | None, include_retired: bool) -> list[schemas.Term]:
    if vocabulary is not None and vocabulary not in VOCABULARIES:
        raise NotFound(f"No vocabulary '{vocabulary}'")
    rows = await repository.terms(session, vocabulary=vocabulary, include_retired=include_retired)
    return [schemas.Term.model_validate(t) for t in rows]


def _apply(record: object, changes: dict[str, object]) -> None:
    for key, value in changes.items():
        setattr(record, key, value)


async def update_country(
    session: AsyncSession, *, actor: Actor, iso3: str, body: schemas.CountryUpdate
) -> schemas.Country:
    country = await session.get(Country, iso3.upper())
    if country is None:
        raise NotFound(f"No country '{iso3}'")
    changes = body.model_dump(exclude_unset=True)
    refuse_emptied(changes, ("name_en", "name_fr", "name_es"))
    bureau_code = changes.get("bureau_code")
    if bureau_code is not None and await session.get(Bureau, bureau_code) is None:
        raise field_error("bureau_code", "No such bureau")
    unhcr_code = changes.get("unhcr_code")
    if unhcr_code is not None and unhcr_code != country.unhcr_code:
        holder = await repository.country_with_unhcr_code(session, unhcr_code)
        if holder is not None:
            raise Conflict(
                f"The UNHCR code '{unhcr_code}' belongs to {holder} already",
                code="DuplicateCode",
                fields=[FieldError(field="unhcr_code", message="Used by another country")],
            )
    _apply(country, changes)
    await session.flush()
    return schemas.Country.model_validate(country)


async def update_bureau(
    session: AsyncSession, *, actor: Actor, code: str, body: schemas.BureauUpdate
) -> schemas.Bureau:
    bureau = await session.get(Bureau, code)
    if bureau is None:
        raise NotFound(f"No bureau '{code}'")
    _apply(bureau, body.model_dump(exclude_unset=True, exclude_none=True))
    await session.flush()
    return schemas.Bureau.model_validate(bureau)


async def create_area(session: AsyncSession, *, actor: Actor, body: schemas.AreaCreate) -> schemas.Area:
    if await session.get(Area, body.code) is not None:
        raise Conflict(f"The area code '{body.code}' exists already", code="DuplicateCode")
    parent_code = body.code.rsplit(".", 1)[0] if "." in body.code else None
    if parent_code is not None:
        parent = await session.get(Area, parent_code)
        if parent is None or parent.is_retired:
            raise field_error("code", f"The parent area '{parent_code}' does not exist or is retired")
    area = Area(parent_code=parent_code, **body.model_dump())
    session.add(area)
    await session.flush()
    return schemas.Area.model_validate(area)


async def update_area(session: AsyncSession, *, actor: Actor, code: str, body: schemas.AreaUpdate) -> schemas.Area:
    area = await session.get(Area, code)
    if area is None:
        raise NotFound(f"No area '{code}'")
    _apply(area, body.model_dump(exclude_unset=True, exclude_none=True))
    await session.flush()
    return schemas.Area.model_validate(area)


async def delete_area(session: AsyncSession, *, actor: Actor, code: str) -> None:
    """Delete an area code nothing refers to; a code in use can only be retired."""
    area = await session.get(Area, code)
    if area is None:
        raise NotFound(f"No area '{code}'")
    if await repository.area_has_children(session, code) or await repository.code_in_use(
        session, repository.AREA_USAGES, code
    ):
        raise Conflict(f"The area '{code}' is in use; retire it instead", code="CodeInUse")
    await session.delete(area)
    await session.flush()


def _vocabulary(vocabulary: str) -> str:
    if vocabulary not in VOCABULARIES:
        raise NotFound(f"No vocabulary '{vocabulary}'")
    return vocabulary


async def create_term(
    session: AsyncSession, *, actor: Actor, vocabulary: str, body: schemas.TermCreate
) -> schemas.Term:
    _vocabulary(vocabulary)
    if await session.get(VocabularyTerm, (vocabulary, body.code)) is not None:
        raise Conflict(f"The code '{body.code}' exists already in {vocabulary}", code="DuplicateCode")
    term = VocabularyTerm(vocabulary=vocabulary, **body.model_dump())
    session.add(term)
    await session.flush()
    return schemas.Term.model_validate(term)


async def update_term(
    session: AsyncSession, *, actor: Actor, vocabulary: str, code: str, body: schemas.TermUpdate
) -> schemas.Term:
    term = await session.get(VocabularyTerm, (_vocabulary(vocabulary), code))
    if term is None:
        raise NotFound(f"No code '{code}' in {vocabulary}")
    if body.is_retired and vocabulary == "support_types" and code == "technical":
        raise Conflict("'technical' cannot be retired: every support must include technical exchange")
    _apply(term, body.model_dump(exclude_unset=True, exclude_none=True))
    await session.flush()
    return schemas.Term.model_validate(term)


async def delete_term(session: AsyncSession, *, actor: Actor, vocabulary: str, code: str) -> None:
    term = await session.get(VocabularyTerm, (_vocabulary(vocabulary), code))
    if term is None:
        raise NotFound(f"No code '{code}' in {vocabulary}")
    if await repository.code_in_use(session, repository.TERM_USAGES.get(vocabulary, []), code):
        raise Conflict(f"The code '{code}' is in use; retire it instead", code="CodeInUse")
    if vocabulary == "support_types" and code == "technical":
        raise Conflict("'technical' cannot be deleted: every support must include technical exchange")
    audit.label(session, term, "reference.term_deleted")
    await session.delete(term)
    await session.flush()
