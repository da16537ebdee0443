"""Queries for identity: users, memberships, sessions, tokens, invitations, resets, sign-in attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor, MembershipInfo
from api.models.identity import (
    Invitation,
    Membership,
    OfficeCountry,
    Organisation,
    PasswordReset,
    PersonalAccessToken,
    SignInAttempt,
    User,
    UserSession,
)
from api.models.reference import Country


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(func.lower(User.email) == email.strip().lower()))
    return result.scalar_one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def actor_for_user(session: AsyncSession, user: User) -> Actor:
    """Build the caller from their memberships; UNHCR offices and bureaux expand to the countries they cover."""
    rows = (
        await session.execute(
            select(
                Membership.organisation_id,
                Membership.role,
                Organisation.kind,
                Organisation.country_iso3,
                Organisation.bureau_code,
            )
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.user_id == user.id, Organisation.is_active.is_(True))
            .order_by(Organisation.name)
        )
    ).all()
    memberships = tuple(
        MembershipInfo(
            organisation_id=r.organisation_id,
            organisation_kind=r.kind,
            role=r.role,
            country_iso3=r.country_iso3,
        )
        for r in rows
    )
    office_ids = [r.organisation_id for r in rows if r.kind == "unhcr_country_office"]
    bureau_codes = [r.bureau_code for r in rows if r.kind == "unhcr_bureau" and r.bureau_code]
    countries: set[str] = {r.country_iso3 for r in rows if r.kind == "unhcr_country_office" and r.country_iso3}
    if office_ids:
        countries.update(
            (
                await session.execute(
                    select(OfficeCountry.country_iso3).where(OfficeCountry.organisation_id.in_(office_ids))
                )
            ).scalars()
        )
    if bureau_codes:
        countries.update(
            (await session.execute(select(Country.iso3).where(Country.bureau_code.in_(bureau_codes)))).scalars()
        )
    return Actor(
        kind="user",
        user_id=user.id,
        label=user.email,
        memberships=memberships,
        unhcr_countries=frozenset(countries),
        is_secretariat=any(r.kind == "secretariat" for r in rows),
        preferred_language=user.preferred_language,
    )


async def live_session(session: AsyncSession, token_hash: str, now: datetime) -> UserSession | None:
    result = await session.execute(
        select(UserSession).where(
            UserSession.token_hash == token_hash,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
        )
    )
    return result.scalar_one_or_none()


async def live_sessions_of(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> list[UserSession]:
    result = await session.execute(
        select(UserSession).where(
            UserSession.user_id == user_id, UserSession.revoked_at.is_(None), UserSession.expires_at > now
        )
    )
    return list(result.scalars())


async def live_access_token(session: AsyncSession, token_hash: str, now: datetime) -> PersonalAccessToken | None:
    result = await session.execute(
        select(PersonalAccessToken).where(
            PersonalAccessToken.token_hash == token_hash,
            PersonalAccessToken.revoked_at.is_(None),
            (PersonalAccessToken.expires_at.is_(None)) | (PersonalAccessToken.expires_at > now),
        )
    )
    return result.scalar_one_or_none()


async def access_tokens_of(session: AsyncSession, user_id: uuid.UUID) -> list[PersonalAccessToken]:
    result = await session.execute(
        select(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user_id)
        .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id)
    )
    return list(result.scalars())


async def recent_failures(
    session: AsyncSession, *, since: datetime, client_hash: str | None = None, email_hash: str | None = None
) -> int:
    statement = (
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.attempted_at > since, SignInAttempt.succeeded.is_(False))
    )
    if client_hash is not None:
        statement = statement.where(SignInAttempt.client_hash == client_hash)
    if email_hash is not None:
        statement = statement.where(SignInAttempt.email_hash == email_hash)
    return int((await session.execute(statement)).scalar_one())


async def invitation_by_token(session: AsyncSession, token_hash: str) -> Invitation | None:
    result = await session.execute(select(Invitation).where(Invitation.token_hash == token_hash))
    return result.scalar_one_or_none()


async def password_reset_by_token(session: AsyncSession, token_hash: str) -> PasswordReset | None:
    result = await session.execute(select(PasswordReset).where(PasswordReset.token_hash == token_hash))
    return result.scalar_one_or_none()


async def membership(session: AsyncSession, user_id: uuid.UUID, organisation_id: uuid.UUID) -> Membership | None:
    result = await session.execute(
        select(Membership).where(Membership.user_id == user_id, Membership.organisation_id == organisation_id)
    )
    return result.scalar_one_or_none()


async def organisation_names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Organisation]:
    if not ids:
        return {}
    result = await session.execute(select(Organisation).where(Organisation.id.in_(ids)))
    return {org.id: org for org in result.scalars()}
