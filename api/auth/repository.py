"""Queries for identity: users, memberships, sessions, tokens, invitations, resets, sign-in attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select, text
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


async def _unhcr_countries(session: AsyncSession, memberships: Sequence[Any]) -> frozenset[str]:
    """Countries covered by the caller's UNHCR country offices and bureaux (one query, only for UNHCR staff)."""
    office_ids = [m.organisation_id for m in memberships if m.kind == "unhcr_country_office"]
    bureau_codes = [m.bureau_code for m in memberships if m.kind == "unhcr_bureau" and m.bureau_code]
    if not office_ids and not bureau_codes:
        return frozenset()
    countries: set[str] = {m.country_iso3 for m in memberships if m.kind == "unhcr_country_office" and m.country_iso3}
    statement = (
        select(OfficeCountry.country_iso3)
        .where(OfficeCountry.organisation_id.in_(office_ids))
        .union(select(Country.iso3).where(Country.bureau_code.in_(bureau_codes)))
    )
    countries.update((await session.execute(statement)).scalars())
    return frozenset(countries)


def _actor(
    user_id: uuid.UUID, email: str, language: str, memberships: Sequence[Any], unhcr_countries: frozenset[str]
) -> Actor:
    return Actor(
        kind="user",
        user_id=user_id,
        label=email,
        memberships=tuple(
            MembershipInfo(
                organisation_id=m.organisation_id, organisation_kind=m.kind, role=m.role, country_iso3=m.country_iso3
            )
            for m in memberships
        ),
        unhcr_countries=unhcr_countries,
        is_secretariat=any(m.kind == "secretariat" for m in memberships),
        preferred_language=language,
    )


def _memberships_of(user_id: Any) -> Any:
    return (
        select(
            Membership.organisation_id,
            Membership.role,
            Organisation.kind,
            Organisation.country_iso3,
            Organisation.bureau_code,
        )
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id == user_id, Organisation.is_active.is_(True))
        .order_by(Organisation.name)
    )


async def actor_for_user(session: AsyncSession, user: User) -> Actor:
    """Build the caller from their memberships; UNHCR offices and bureaux expand to the countries they cover."""
    memberships = (await session.execute(_memberships_of(user.id))).all()
    return _actor(
        user.id, user.email, user.preferred_language, memberships, await _unhcr_countries(session, memberships)
    )


# Built once: this subquery runs on every signed-in request, and building SQL costs more than running it.
_MEMBERSHIPS_JSON = (
    select(
        func.coalesce(
            func.json_agg(
                func.json_build_object(
                    "organisation_id",
                    Membership.organisation_id,
                    "role",
                    Membership.role,
                    "kind",
                    Organisation.kind,
                    "country_iso3",
                    Organisation.country_iso3,
                    "bureau_code",
                    Organisation.bureau_code,
                )
            ),
            text("'[]'::json"),
        )
    )
    .join(Organisation, Organisation.id == Membership.organisation_id)
    .where(Membership.user_id == User.id, Organisation.is_active.is_(True))
    .correlate(User)
    .scalar_subquery()
    .label("memberships")
)


async def actor_for_session(session: AsyncSession, token_hash: str, now: datetime) -> tuple[Actor, uuid.UUID] | None:
    """The caller behind a live session cookie, in one query (plus one for UNHCR staff): it runs on every
    request, so it is kept to a single round trip."""
    row = (
        await session.execute(
            select(
                UserSession.id,
                User.id.label("user_id"),
                User.email,
                User.preferred_language,
                _MEMBERSHIPS_JSON,
            )
            .join(User, User.id == UserSession.user_id)
            .where(
                UserSession.token_hash == token_hash,
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > now,
                User.is_active.is_(True),
            )
        )
    ).first()
    if row is None:
        return None
    memberships = [
        SimpleNamespace(
            organisation_id=uuid.UUID(m["organisation_id"]),
            role=m["role"],
            kind=m["kind"],
            country_iso3=m["country_iso3"],
            bureau_code=m["bureau_code"],
        )
        for m in row.memberships
    ]
    memberships.sort(key=lambda m: str(m.organisation_id))
    actor = _actor(
        row.user_id, row.email, row.preferred_language, memberships, await _unhcr_countries(session, memberships)
    )
    return actor, row.id


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
