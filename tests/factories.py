"""Plain typed async factories writing with the test's session."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.dependencies import ACCESS_TOKEN_PREFIX, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from api.core import clock
from api.core.security import csrf_token_for, hash_password, new_token, token_hash
from api.models.commitments import (
    Pledge,
    PledgeOrganisation,
    SupportOffer,
    SupportOfferComponent,
    SupportRequest,
    SupportRequestComponent,
)
from api.models.identity import (
    Membership,
    OfficeCountry,
    Organisation,
    PersonalAccessToken,
    User,
    UserSession,
)

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


async def create_organisation(
    session: AsyncSession,
    *,
    kind: str = "stakeholder",
    name: str | None = None,
    country: str | None = "FRA",
    contributor_type: str | None = None,
    bureau: str | None = None,
    office_countries: tuple[str, ...] = (),
    parent: Organisation | None = None,
) -> Organisation:
    if contributor_type is None:
        contributor_type = {
            "state_government": "state",
            "state_institution": "state",
            "stakeholder": "civil_society",
        }.get(kind, "un_international")
    organisation = Organisation(
        name=name or unique(f"Organisation {kind}"),
        kind=kind,
        contributor_type=contributor_type,
        country_iso3=country,
        bureau_code=bureau,
        parent_id=parent.id if parent else None,
    )
    session.add(organisation)
    await session.flush()
    if kind == "unhcr_country_office":
        for iso3 in {country, *office_countries} - {None}:
            session.add(OfficeCountry(organisation_id=organisation.id, country_iso3=iso3))
        await session.flush()
    return organisation


async def create_user(
    session: AsyncSession,
    *,
    organisation: Organisation | None = None,
    role: str = "focal_point",
    email: str | None = None,
    language: str = "en",
    is_active: bool = True,
) -> User:
    user = User(
        email=email or f"{unique('user')}@example.org",
        full_name=unique("Person"),
        password_hash=_PASSWORD_HASH,
        preferred_language=language,
        is_active=is_active,
    )
    session.add(user)
    await session.flush()
    if organisation is not None:
        session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
        await session.flush()
    return user


async def create_member(
    session: AsyncSession,
    *,
    kind: str = "stakeholder",
    role: str = "focal_point",
    country: str | None = "FRA",
    **organisation_options: object,
) -> tuple[User, Organisation]:
    organisation = await create_organisation(session, kind=kind, country=country, **organisation_options)  # type: ignore[arg-type]
    return await create_user(session, organisation=organisation, role=role), organisation


async def create_secretariat_user(session: AsyncSession) -> User:
    organisation = await create_organisation(session, kind="secretariat", country="CHE")
    return await create_user(session, organisation=organisation)


async def session_token_for(session: AsyncSession, user: User) -> str:
    token = new_token()
    now = clock.now()
    session.add(
        UserSession(user_id=user.id, token_hash=token_hash(token), created_at=now, expires_at=now + timedelta(days=365))
    )
    await session.flush()
    return token


def sign_in_client(client: httpx.AsyncClient, token: str, secret: str) -> httpx.AsyncClient:
    """Make `client` send the session cookie and the matching CSRF header, as the SPA does."""
    client.cookies.set(SESSION_COOKIE, token)
    csrf = csrf_token_for(secret, token)
    client.cookies.set(CSRF_COOKIE, csrf)
    client.headers[CSRF_HEADER] = csrf
    return client


async def access_token_for(session: AsyncSession, user: User, *, name: str = "script") -> str:
    token = new_token(ACCESS_TOKEN_PREFIX)
    session.add(
        PersonalAccessToken(
            user_id=user.id,
            name=name,
            token_prefix=token[:15],
            token_hash=token_hash(token),
            created_at=clock.now(),
        )
    )
    await session.flush()
    return token


async def create_request(
    session: AsyncSession,
    *,
    organisation: Organisation,
    status: str = "draft",
    areas: tuple[str, ...] = ("procedures.rsd",),
    title: str | None = None,
    public_summary: str = "Public summary",
    confidential_details: str = "Confidential details",
    allow_publication: bool = False,
    languages: tuple[str, ...] = ("en",),
    is_establishing_system: bool = False,
    urgency: str = "normal",
    starts_on: date | None = None,
    ends_on: date | None = None,
    support_types: tuple[str, ...] = ("technical",),
    modalities: tuple[str, ...] = ("training",),
    **extra: object,
) -> SupportRequest:
    from api.commitments.service import next_reference, refresh_denormalised

    assert organisation.country_iso3 is not None
    record = SupportRequest(
        reference=await next_reference(session, prefix="REQ", sequence="support_request_reference_seq"),
        title=title or unique("Request"),
        organisation_id=organisation.id,
        country_iso3=organisation.country_iso3,
        status=status,
        public_summary=public_summary,
        confidential_details=confidential_details,
        allow_publication=allow_publication,
        languages=list(languages),
        is_establishing_system=is_establishing_system,
        urgency=urgency,
        starts_on=starts_on,
        ends_on=ends_on,
        **extra,
    )
    session.add(record)
    await session.flush()
    components = [
        SupportRequestComponent(
            request_id=record.id,
            position=position,
            area_code=area,
            modalities=list(modalities),
            support_types=list(support_types),
            description=f"Component {position}",
        )
        for position, area in enumerate(areas)
    ]
    session.add_all(components)
    refresh_denormalised(record, components)
    await session.flush()
    return record


async def create_offer(
    session: AsyncSession,
    *,
    organisation: Organisation,
    status: str = "draft",
    areas: tuple[str, ...] = ("procedures.rsd",),
    title: str | None = None,
    public_summary: str = "Public summary",
    confidential_details: str = "Confidential details",
    allow_publication: bool = False,
    languages: tuple[str, ...] = ("en",),
    support_types: tuple[str, ...] = ("technical",),
    modalities: tuple[str, ...] = ("training",),
    capacity: int = 2,
    serves_any: bool = True,
    **extra: object,
) -> SupportOffer:
    from api.commitments.service import next_reference, refresh_denormalised

    record = SupportOffer(
        reference=await next_reference(session, prefix="OFF", sequence="support_offer_reference_seq"),
        title=title or unique("Offer"),
        organisation_id=organisation.id,
        country_iso3=organisation.country_iso3,
        status=status,
        public_summary=public_summary,
        confidential_details=confidential_details,
        allow_publication=allow_publication,
        languages=list(languages),
        capacity=capacity,
        serves_any=serves_any,
        **extra,
    )
    session.add(record)
    await session.flush()
    components = [
        SupportOfferComponent(
            offer_id=record.id,
            position=position,
            area_code=area,
            modalities=list(modalities),
            support_types=list(support_types),
            description=f"Offer component {position}",
        )
        for position, area in enumerate(areas)
    ]
    session.add_all(components)
    refresh_denormalised(record, components)
    await session.flush()
    return record


async def create_pledge(
    session: AsyncSession,
    *,
    organisations: tuple[Organisation, ...],
    source_event: str = "GRF2023",
    is_published: bool = True,
    title: str | None = None,
    areas: tuple[str, ...] = (),
) -> Pledge:
    pledge = Pledge(
        external_id=unique("GRF-PLEDGE"),
        source="grf",
        source_event=source_event,
        title=title or unique("Pledge"),
        is_published=is_published,
        areas=list(areas),
    )
    session.add(pledge)
    await session.flush()
    for position, organisation in enumerate(organisations):
        session.add(PledgeOrganisation(pledge_id=pledge.id, organisation_id=organisation.id, is_lead=position == 0))
    await session.flush()
    return pledge
