"""User administration by the Secretariat (and by the `acsg create-user` command)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import repository as auth_repository
from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import Conflict, Forbidden, NotFound, field_error
from api.core.security import hash_password, password_problem
from api.models.identity import Membership, Organisation, User
from api.users import repository, schemas


def _require_secretariat(actor: Actor) -> None:
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat manages users")


async def _read_many(session: AsyncSession, users: Sequence[User]) -> list[schemas.User]:
    rows = await repository.memberships_of(session, [u.id for u in users])
    by_user: dict[uuid.UUID, list[schemas.UserMembership]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(
            schemas.UserMembership(organisation_id=row.organisation_id, organisation_name=row.name, role=row.role)
        )
    return [
        schemas.User(
            id=u.id,
            email=u.email,
            full_name=u.full_name,
            preferred_language=u.preferred_language,
            is_active=u.is_active,
            locked_until=u.locked_until,
            last_sign_in_at=u.last_sign_in_at,
            created_at=u.created_at,
            memberships=by_user.get(u.id, []),
        )
        for u in users
    ]


async def list_users(
    session: AsyncSession,
    *,
    actor: Actor,
    q: str | None,
    organisation_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
) -> schemas.UserPage:
    _require_secretariat(actor)
    rows, next_cursor, total = await repository.page(
        session, q=q, organisation_id=organisation_id, limit=limit, cursor=cursor
    )
    return schemas.UserPage(items=await _read_many(session, rows), next_cursor=next_cursor, total=total)


async def create_user(session: AsyncSession, *, actor: Actor, body: schemas.UserCreate) -> schemas.User:
    """Create an account directly, with its memberships (invitations are the usual way)."""
    _require_secretariat(actor)
    if await auth_repository.user_by_email(session, body.email) is not None:
        raise Conflict("An account with this e-mail exists already", code="DuplicateEmail")
    problem = password_problem(body.password, email=body.email)
    if problem:
        raise field_error("password", problem)
    user = User(
        email=body.email,
        full_name=body.full_name,
        password_hash=hash_password(body.password),
        preferred_language=body.preferred_language,
    )
    session.add(user)
    await session.flush()
    seen: set[uuid.UUID] = set()
    for position, grant in enumerate(body.memberships):
        if grant.organisation_id in seen:
            raise field_error(f"memberships.{position}.organisation_id", "Listed twice")
        seen.add(grant.organisation_id)
        if await session.get(Organisation, grant.organisation_id) is None:
            raise field_error(f"memberships.{position}.organisation_id", "No such organisation")
        session.add(Membership(user_id=user.id, organisation_id=grant.organisation_id, role=grant.role))
    await session.flush()
    return (await _read_many(session, [user]))[0]


async def get_user(session: AsyncSession, *, actor: Actor, user_id: uuid.UUID) -> schemas.User:
    _require_secretariat(actor)
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    return (await _read_many(session, [user]))[0]


async def update_user(
    session: AsyncSession, *, actor: Actor, user_id: uuid.UUID, body: schemas.UserUpdate
) -> schemas.User:
    _require_secretariat(actor)
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    if body.full_name is not None:
        user.full_name = body.full_name
    if body.is_active is not None:
        if user.id == actor.user_id and not body.is_active:
            raise field_error("is_active", "You cannot deactivate your own account")
        user.is_active = body.is_active
        if not body.is_active:
            for open_session in await auth_repository.live_sessions_of(session, user.id, clock.now()):
                open_session.revoked_at = clock.now()
    if body.unlock:
        user.locked_until = None
        user.failed_sign_ins = 0
        audit.label(session, user, "auth.account_unlocked")
    await session.flush()
    return (await _read_many(session, [user]))[0]


async def grant_membership(
    session: AsyncSession, *, actor: Actor, user_id: uuid.UUID, body: schemas.MembershipGrant
) -> schemas.User:
    _require_secretariat(actor)
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    if await session.get(Organisation, body.organisation_id) is None:
        raise field_error("organisation_id", "No such organisation")
    existing = await auth_repository.membership(session, user_id, body.organisation_id)
    if existing is not None:
        existing.role = body.role
    else:
        session.add(Membership(user_id=user_id, organisation_id=body.organisation_id, role=body.role))
    await session.flush()
    return (await _read_many(session, [user]))[0]
