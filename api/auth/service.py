"""Identity rules: signing in and out, lockout, personal access tokens, invitations and password resets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import repository, schemas
from api.auth.dependencies import ACCESS_TOKEN_PREFIX
from api.core import audit, clock
from api.core.actor import Actor
from api.core.config import Settings
from api.core.errors import (
    AppError,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    field_error,
)
from api.core.security import (
    hash_password,
    keyed_hash,
    new_token,
    password_problem,
    token_hash,
    verify_password,
)
from api.models.identity import (
    Invitation,
    Membership,
    Organisation,
    PasswordReset,
    PersonalAccessToken,
    SignInAttempt,
    User,
    UserSession,
)
from api.notifications.emails import queue_email

ROLE_LABELS = {
    "en": {"focal_point": "focal point", "editor": "editor", "viewer": "viewer"},
    "fr": {
        "focal_point": "point focal",
        "editor": "rédacteur ou rédactrice",
        "viewer": "lecteur ou lectrice",
    },
    "es": {"focal_point": "punto focal", "editor": "editor o editora", "viewer": "lector o lectora"},
}


@dataclass
class SignInOutcome:
    """Either a new session (token for the cookie) or the refusal to send.

    A refusal is returned, not raised, because the failed attempt and the lockout it may trigger must be
    committed: raising would roll them back.
    """

    user: User | None = None
    session_token: str | None = None
    refusal: AppError | None = None


def _secret(settings: Settings) -> str:
    return settings.secret_key.get_secret_value()


async def sign_in(
    session: AsyncSession, *, email: str, password: str, client_address: str, settings: Settings
) -> SignInOutcome:
    """Check the credentials, with a per-address rate limit and a per-account lockout.

    Unknown e-mails are counted and locked exactly like known ones, so responses do not reveal which
    addresses have accounts.
    """
    now = clock.now()
    client_hash = keyed_hash(_secret(settings), "client:" + client_address)
    email_hash = keyed_hash(_secret(settings), "email:" + email.lower())
    window = now - timedelta(minutes=1)
    if await repository.recent_failures(session, since=window, client_hash=client_hash) >= (
        settings.login_rate_per_ip_per_minute
    ):
        return SignInOutcome(
            refusal=TooManyRequests(
                "Too many sign-in attempts from this address; wait a minute", headers={"Retry-After": "60"}
            )
        )

    lockout = timedelta(minutes=settings.login_lockout_minutes)
    user = await repository.user_by_email(session, email)
    if user is not None:
        locked = user.locked_until is not None and user.locked_until > now
    else:
        failures = await repository.recent_failures(session, since=now - lockout, email_hash=email_hash)
        locked = failures >= settings.login_max_failures
    if locked:
        retry_after = int(lockout.total_seconds())
        if user is not None and user.locked_until is not None:
            retry_after = max(1, int((user.locked_until - now).total_seconds()))
        session.add(SignInAttempt(client_hash=client_hash, email_hash=email_hash, attempted_at=now, succeeded=False))
        return SignInOutcome(
            refusal=TooManyRequests(
                "This account is temporarily locked after repeated failed sign-ins; try again later",
                code="AccountLocked",
                headers={"Retry-After": str(retry_after)},
            )
        )

    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        session.add(SignInAttempt(client_hash=client_hash, email_hash=email_hash, attempted_at=now, succeeded=False))
        if user is not None:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= settings.login_max_failures:
                user.locked_until = now + lockout
                user.failed_sign_ins = 0
                audit.label(session, user, "auth.account_locked")
            else:
                audit.label(session, user, "auth.sign_in_failed")
        return SignInOutcome(refusal=Unauthorized("Invalid e-mail or password", code="InvalidCredentials"))

    session.add(SignInAttempt(client_hash=client_hash, email_hash=email_hash, attempted_at=now, succeeded=True))
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    token = await _open_session(session, user=user, settings=settings)
    return SignInOutcome(user=user, session_token=token)


async def _open_session(session: AsyncSession, *, user: User, settings: Settings) -> str:
    now = clock.now()
    token = new_token()
    record = UserSession(
        user_id=user.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.session_ttl_hours),
    )
    session.add(record)
    audit.label(session, record, "auth.signed_in")
    return token


async def sign_out(session: AsyncSession, *, actor: Actor) -> None:
    session_id = actor.extra.get("session_id")
    record = await session.get(UserSession, uuid.UUID(session_id)) if session_id else None
    if record is not None and record.revoked_at is None:
        record.revoked_at = clock.now()
        audit.label(session, record, "auth.signed_out")
    else:
        await audit.record(session, action="auth.signed_out", record_type="user_sessions", note="no open session")


async def me_for_user(session: AsyncSession, *, user: User) -> schemas.Me:
    return await me(session, actor=await repository.actor_for_user(session, user))


async def me(session: AsyncSession, *, actor: Actor) -> schemas.Me:
    if actor.user_id is None:
        raise Unauthorized("Sign in to use this resource")
    user = await repository.user_by_id(session, actor.user_id)
    if user is None:
        raise Unauthorized("Sign in to use this resource")
    organisations = await repository.organisation_names(session, [m.organisation_id for m in actor.memberships])
    return schemas.Me(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        preferred_language=user.preferred_language,
        is_secretariat=actor.is_secretariat,
        is_unhcr=actor.is_unhcr,
        unhcr_countries=sorted(actor.unhcr_countries),
        memberships=[
            schemas.MembershipRead(
                organisation_id=m.organisation_id,
                organisation_name=organisations[m.organisation_id].name,
                organisation_kind=m.organisation_kind,
                role=m.role,
                country_iso3=m.country_iso3,
            )
            for m in actor.memberships
        ],
    )


async def _current_user(session: AsyncSession, actor: Actor) -> User:
    if actor.user_id is None:
        raise Unauthorized("Sign in to use this resource")
    user = await repository.user_by_id(session, actor.user_id)
    if user is None:
        raise Unauthorized("Sign in to use this resource")
    return user


async def update_preferences(session: AsyncSession, *, actor: Actor, changes: schemas.PreferencesUpdate) -> schemas.Me:
    user = await _current_user(session, actor)
    if changes.preferred_language is not None:
        user.preferred_language = changes.preferred_language
    if changes.full_name is not None:
        user.full_name = changes.full_name
    return await me(session, actor=actor)


async def change_password(session: AsyncSession, *, actor: Actor, current_password: str, new_password: str) -> None:
    """Change the password and end every other session of the user."""
    user = await _current_user(session, actor)
    if not verify_password(user.password_hash, current_password):
        raise field_error("current_password", "The current password is wrong")
    _set_password(user, new_password, field="new_password")
    audit.label(session, user, "auth.password_changed")
    keep = actor.extra.get("session_id")
    for other in await repository.live_sessions_of(session, user.id, clock.now()):
        if str(other.id) != keep:
            other.revoked_at = clock.now()


def _set_password(user: User, password: str, *, field: str) -> None:
    problem = password_problem(password, email=user.email)
    if problem:
        raise field_error(field, problem)
    user.password_hash = hash_password(password)


# Personal access tokens


async def create_access_token(
    session: AsyncSession, *, actor: Actor, body: schemas.AccessTokenCreate
) -> schemas.AccessTokenCreated:
    user = await _current_user(session, actor)
    now = clock.now()
    token = new_token(ACCESS_TOKEN_PREFIX)
    record = PersonalAccessToken(
        user_id=user.id,
        name=body.name,
        token_prefix=token[: len(ACCESS_TOKEN_PREFIX) + 6],
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=body.expires_in_days) if body.expires_in_days else None,
    )
    session.add(record)
    audit.label(session, record, "auth.access_token_created")
    await session.flush()
    return schemas.AccessTokenCreated(**schemas.AccessToken.model_validate(record).model_dump(), token=token)


async def list_access_tokens(session: AsyncSession, *, actor: Actor) -> list[schemas.AccessToken]:
    user = await _current_user(session, actor)
    return [schemas.AccessToken.model_validate(t) for t in await repository.access_tokens_of(session, user.id)]


async def revoke_access_token(session: AsyncSession, *, actor: Actor, token_id: uuid.UUID) -> schemas.AccessToken:
    record = await session.get(PersonalAccessToken, token_id)
    if record is None or record.user_id != actor.user_id:
        raise NotFound("No such access token")
    if record.revoked_at is None:
        record.revoked_at = clock.now()
        audit.label(session, record, "auth.access_token_revoked")
    return schemas.AccessToken.model_validate(record)


# Invitations


def _invitation_status(invitation: Invitation, now: datetime) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "pending"


def _invitation_read(invitation: Invitation, organisation: Organisation) -> schemas.Invitation:
    return schemas.Invitation(
        id=invitation.id,
        email=invitation.email,
        full_name=invitation.full_name,
        organisation_id=invitation.organisation_id,
        organisation_name=organisation.name,
        role=invitation.role,
        status=_invitation_status(invitation, clock.now()),
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
    )


def _may_invite(actor: Actor, organisation_id: uuid.UUID) -> bool:
    return actor.is_secretariat or actor.is_focal_point_of(organisation_id)


async def create_invitation(
    session: AsyncSession, *, actor: Actor, body: schemas.InvitationCreate, settings: Settings
) -> schemas.Invitation:
    """Invite someone into an organisation: the Secretariat for any, a focal point for their own."""
    organisation = await session.get(Organisation, body.organisation_id)
    if organisation is None or not organisation.is_active:
        raise field_error("organisation_id", "No such organisation")
    if not _may_invite(actor, organisation.id):
        raise Forbidden("Only the Secretariat or the organisation's focal point may invite to it")
    now = clock.now()
    token = new_token()
    invitation = Invitation(
        email=body.email,
        full_name=body.full_name,
        organisation_id=organisation.id,
        role=body.role,
        token_hash=token_hash(token),
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(hours=settings.invitation_ttl_hours),
    )
    session.add(invitation)
    audit.label(session, invitation, "auth.invitation_created")
    await session.flush()
    existing = await repository.user_by_email(session, body.email)
    language = existing.preferred_language if existing else actor.preferred_language
    inviter = await repository.user_by_id(session, actor.user_id) if actor.user_id else None
    await queue_email(
        session,
        to=body.email,
        template="invitation",
        language=language,
        context={
            "inviter": inviter.full_name if inviter else "The ACSG Secretariat",
            "organisation": organisation.name,
            "role": ROLE_LABELS.get(language, ROLE_LABELS["en"])[body.role],
            "expires": invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
            "link": f"{settings.public_base_url}/invitations/accept?token={token}",
        },
        dedup_key=f"invitation:{invitation.id}",
        recipient_user_id=existing.id if existing else None,
    )
    return _invitation_read(invitation, organisation)


async def list_invitations(
    session: AsyncSession, *, actor: Actor, organisation_id: uuid.UUID | None
) -> list[schemas.Invitation]:
    statement = select(Invitation, Organisation).join(Organisation, Organisation.id == Invitation.organisation_id)
    if not actor.is_secretariat:
        statement = statement.where(Invitation.organisation_id.in_(actor.organisations_with_role("focal_point")))
    if organisation_id is not None:
        statement = statement.where(Invitation.organisation_id == organisation_id)
    statement = statement.order_by(Invitation.created_at.desc(), Invitation.id).limit(500)
    rows = (await session.execute(statement)).all()
    return [_invitation_read(invitation, organisation) for invitation, organisation in rows]


async def revoke_invitation(session: AsyncSession, *, actor: Actor, invitation_id: uuid.UUID) -> schemas.Invitation:
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None or not _may_invite(actor, invitation.organisation_id):
        raise NotFound("No such invitation")
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = clock.now()
        audit.label(session, invitation, "auth.invitation_revoked")
    organisation = await session.get(Organisation, invitation.organisation_id)
    assert organisation is not None
    return _invitation_read(invitation, organisation)


async def _usable_invitation(session: AsyncSession, token: str) -> Invitation:
    invitation = await repository.invitation_by_token(session, token_hash(token))
    if invitation is None or _invitation_status(invitation, clock.now()) != "pending":
        raise NotFound("This invitation link is invalid, expired, revoked or already used", code="InvalidToken")
    return invitation


async def preview_invitation(session: AsyncSession, *, token: str) -> schemas.InvitationPreview:
    invitation = await _usable_invitation(session, token)
    await audit.record(session, action="auth.invitation_viewed", record_type="invitations", record_id=invitation.id)
    organisation = await session.get(Organisation, invitation.organisation_id)
    assert organisation is not None
    return schemas.InvitationPreview(
        email=invitation.email,
        full_name=invitation.full_name,
        organisation_name=organisation.name,
        role=invitation.role,
        expires_at=invitation.expires_at,
        has_account=await repository.user_by_email(session, invitation.email) is not None,
    )


async def accept_invitation(
    session: AsyncSession, *, body: schemas.InvitationAccept, settings: Settings
) -> tuple[User, str]:
    """Create the account (or, for an existing account, check its password) and add the membership.

    Returns the user and a new session token: accepting signs the person in.
    """
    invitation = await _usable_invitation(session, body.token)
    user = await repository.user_by_email(session, invitation.email)
    if user is None:
        full_name = body.full_name or invitation.full_name
        if not full_name:
            raise field_error("full_name", "Give your full name")
        user = User(email=invitation.email, full_name=full_name, preferred_language="en")
        _set_password(user, body.password, field="password")
        session.add(user)
        audit.label(session, user, "auth.account_created")
        await session.flush()
    elif not verify_password(user.password_hash, body.password):
        raise field_error("password", "This e-mail already has an account: enter its password to accept")
    if await repository.membership(session, user.id, invitation.organisation_id) is None:
        session.add(Membership(user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role))
    invitation.accepted_at = clock.now()
    audit.label(session, invitation, "auth.invitation_accepted")
    token = await _open_session(session, user=user, settings=settings)
    return user, token


# Password reset


async def request_password_reset(session: AsyncSession, *, email: str, client_address: str, settings: Settings) -> None:
    """Send a reset link if the account exists. The answer is the same either way (no account discovery)."""
    now = clock.now()
    client_hash = keyed_hash(_secret(settings), "client:" + client_address)
    if await repository.recent_failures(session, since=now - timedelta(minutes=1), client_hash=client_hash) >= (
        settings.login_rate_per_ip_per_minute
    ):
        raise TooManyRequests("Too many requests from this address; wait a minute", headers={"Retry-After": "60"})
    user = await repository.user_by_email(session, email)
    await audit.record(
        session,
        action="auth.password_reset_requested",
        record_type="users",
        record_id=user.id if user else None,
        note=None if user else "no account for the address given",
    )
    if user is None or not user.is_active:
        return
    token = new_token()
    reset = PasswordReset(
        user_id=user.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.password_reset_ttl_minutes),
    )
    session.add(reset)
    await session.flush()
    await queue_email(
        session,
        to=user.email,
        template="password_reset",
        language=user.preferred_language,
        context={
            "expires": reset.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
            "link": f"{settings.public_base_url}/reset-password?token={token}",
        },
        dedup_key=f"password_reset:{reset.id}",
        recipient_user_id=user.id,
    )


async def confirm_password_reset(session: AsyncSession, *, token: str, password: str) -> None:
    """Set the new password, use up the link and end every session of the account."""
    now = clock.now()
    reset = await repository.password_reset_by_token(session, token_hash(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise NotFound("This reset link is invalid, expired or already used", code="InvalidToken")
    user = await repository.user_by_id(session, reset.user_id)
    if user is None or not user.is_active:
        raise NotFound("This reset link is invalid, expired or already used", code="InvalidToken")
    _set_password(user, password, field="password")
    reset.used_at = now
    user.failed_sign_ins = 0
    user.locked_until = None
    audit.label(session, user, "auth.password_reset")
    for other in await repository.live_sessions_of(session, user.id, now):
        other.revoked_at = now
